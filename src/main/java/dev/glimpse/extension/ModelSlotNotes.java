package dev.glimpse.extension;

/** Why the model slot is empty, as {@code %model} shows it. */
final class ModelSlotNotes {
    /** The slot has never held a model. */
    static final String NEVER = "no model loaded yet";
    /** {@code %model unload} emptied it. */
    static final String UNLOADED = "unloaded with %model unload";

    private ModelSlotNotes() {
    }
}
