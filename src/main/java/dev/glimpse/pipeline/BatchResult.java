package dev.glimpse.pipeline;

import java.util.Objects;

/**
 * The answer to one image of a batch run: a row of its table and of its CSV file.
 *
 * @param file             the image as {@link BatchItem#file()} names it
 * @param prompt           the question asked
 * @param answer           the model's answer without its reasoning; empty when {@code error} is set
 * @param latencyMillis    wall time of the model call, in milliseconds to 0.1 ms (decoding the image file not
 *                         counted)
 * @param promptTokens     tokens of the prompt, image tokens included
 * @param completionTokens tokens generated, reasoning included
 * @param model            the name of the model that answered
 * @param error            why the image could not be asked about (e.g. not an image), or empty
 */
public record BatchResult(String file, String prompt, String answer, double latencyMillis, int promptTokens,
                          int completionTokens, String model, String error) {
    public BatchResult {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(answer, "answer");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(error, "error");
    }

    /** A row for an image that could not be asked about. */
    public static BatchResult failed(String file, String prompt, String model, String error) {
        return new BatchResult(file, prompt, "", 0, 0, 0, model, error);
    }

    /** Whether the image could not be asked about. */
    public boolean failed() {
        return !error.isEmpty();
    }
}
