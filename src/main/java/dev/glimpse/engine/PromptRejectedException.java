package dev.glimpse.engine;

/**
 * A prompt the model refuses, with a message written for whoever sent it (it names what is wrong and the fix): an
 * image token typed into the text, an image the processor cannot scale. A server answers it as the client's
 * mistake; any other exception from {@link VisionLanguageModel#generate} is the server's own fault.
 *
 * <p>It is an {@link IllegalArgumentException}, as it was before it had a type of its own, so that callers that
 * catch those keep working.
 */
public final class PromptRejectedException extends IllegalArgumentException {

    /** @param message what is wrong with the prompt and how to fix it, in words meant for its sender */
    public PromptRejectedException(String message) {
        super(message);
    }

    /**
     * @param message what is wrong with the prompt and how to fix it, in words meant for its sender
     * @param cause   the check that found it
     */
    public PromptRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}
