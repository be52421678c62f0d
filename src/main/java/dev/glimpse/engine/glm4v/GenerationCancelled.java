package dev.glimpse.engine.glm4v;

import dev.glimpse.engine.CancellationToken;

/**
 * Unwinds the work before the first token (image preprocessing, the vision tower, prefill) when the caller cancels.
 *
 * <p>Those stages can run for many seconds on large or many images, and a cancelled call must return within a
 * fraction of a second (a notebook interrupt, a client that went away). Each stage calls {@link #checkpoint} between
 * blocks of work it can stop after: an image, a band of rows, a vision block, an attention span or chunk, a decoder
 * layer. {@link Glm4vModel} catches this and answers with {@link dev.glimpse.engine.FinishReason#CANCELLED} and no
 * tokens. Never escapes the engine.
 */
final class GenerationCancelled extends RuntimeException {

    private GenerationCancelled() {
        super("generation cancelled", null, false, false); // control flow: no stack trace to fill
    }

    /** Throws when {@code cancel} reports cancellation; a volatile read or two otherwise. */
    static void checkpoint(CancellationToken cancel) {
        if (cancel.isCancelled()) {
            throw new GenerationCancelled();
        }
    }
}
