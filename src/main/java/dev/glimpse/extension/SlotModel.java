package dev.glimpse.extension;

import dev.glimpse.engine.Answer;
import dev.glimpse.engine.CancellationToken;
import dev.glimpse.engine.GenerationOptions;
import dev.glimpse.engine.ModelInfo;
import dev.glimpse.engine.Prompt;
import dev.glimpse.engine.TokenListener;
import dev.glimpse.engine.VisionLanguageModel;

/**
 * Whatever model the kernel's slot holds when a request comes, for the web page's server: the same model the
 * notebook uses (no second copy), and after {@code %model} the new one. A request made while the model loads waits
 * for it; with no model (failed, unloaded) it fails with {@link ModelUnavailableException}, which the server
 * answers with 503 and its message.
 */
final class SlotModel implements VisionLanguageModel {

    // the server's threads wait quietly: progress belongs to the notebook's cells
    private static final ModelSlot.Waiting QUIET = new ModelSlot.Waiting() {
        @Override
        public void waiting(ModelSlot.Loading loading, ModelSlot.State now) {
        }

        @Override
        public boolean interrupted() {
            return false;
        }
    };

    private final ModelSlot slot;

    SlotModel(ModelSlot slot) {
        this.slot = slot;
    }

    @Override
    public ModelInfo info() {
        return slot.await(QUIET).info();
    }

    @Override
    public Answer generate(Prompt prompt, GenerationOptions options, TokenListener listener,
                           CancellationToken cancel) {
        return slot.await(QUIET).generate(prompt, options, listener, cancel);
    }

    /** The defaults of the model in the slot (waiting for it, as {@link #info()} does). */
    @Override
    public GenerationOptions defaultOptions() {
        return slot.await(QUIET).defaultOptions();
    }

    /** Nothing to free: the kernel owns the model. */
    @Override
    public void close() {
    }
}
