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
 * @param key              what the answer depends on beyond file and prompt: the image's content, the model's
 *                         identity and the generation options
 * @param error            why the image could not be asked about (not an image, the model failed), or empty
 */
public record BatchResult(String file, String prompt, String answer, double latencyMillis, int promptTokens,
                          int completionTokens, String model, AnswerKey key, String error) {
    public BatchResult {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(answer, "answer");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(error, "error");
    }

    /** A row for an image that could not be asked about. */
    public static BatchResult failed(String file, String prompt, String model, AnswerKey key, String error) {
        return new BatchResult(file, prompt, "", 0, 0, 0, model, key, error);
    }

    /** Whether the image could not be asked about. */
    public boolean failed() {
        return !error.isEmpty();
    }

    /**
     * What an answer depends on besides the file name and the prompt; a results file's row is reused only when all
     * of it is the same.
     *
     * @param imageSha256 the SHA-256 of the image file's content (empty when it could not be read)
     * @param modelId     the model's {@link ModelIdentity identity}
     * @param options     the generation options and system prompt, as {@link BatchRunner#optionsKey} writes them
     */
    public record AnswerKey(String imageSha256, String modelId, String options) {
        public AnswerKey {
            Objects.requireNonNull(imageSha256, "imageSha256");
            Objects.requireNonNull(modelId, "modelId");
            Objects.requireNonNull(options, "options");
        }

        /** The key of rows from an older results file, which said none of this: matches nothing. */
        static final AnswerKey UNKNOWN = new AnswerKey("", "", "");
    }
}
