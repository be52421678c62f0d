package dev.glimpse.engine;

/**
 * A loaded vision-language model that answers prompts made of text and images.
 *
 * <p>Implementations are thread-safe for sequential use from several threads; concurrent calls are
 * serialised unless the implementation says otherwise. Close the model to free its native memory.
 */
public interface VisionLanguageModel extends AutoCloseable {

    /** What is loaded: name, device, dtype, size and load time. */
    ModelInfo info();

    /**
     * Generates an answer.
     *
     * @param prompt   the conversation so far; its last message is the user's turn
     * @param options  sampling and length options
     * @param listener receives every generated token as it is decoded, for streaming; may be {@link TokenListener#NONE}
     * @param cancel   checked often while the images are prepared and the prompt is read and between decoding
     *                 steps; when it reports cancellation, generation stops within a fraction of a second and the
     *                 partial (possibly empty) answer is returned with {@link FinishReason#CANCELLED}
     * @return the answer with its reasoning, grounding boxes, token counts and timings
     */
    Answer generate(Prompt prompt, GenerationOptions options, TokenListener listener, CancellationToken cancel);

    /**
     * The most tokens a prompt and its answer may take together (the model's {@code max_position_embeddings}),
     * or 0 when unknown.
     */
    default int contextLength() {
        return 0;
    }

    /**
     * How many tokens the prompt takes, text and images together, without running the model; -1 when the model
     * cannot tell. Servers use it to refuse prompts beyond their limits before queueing them.
     *
     * @param thinking whether the prompt is rendered for an answer with reasoning
     * @throws IllegalArgumentException when the prompt cannot be encoded (e.g. an image token typed into its text)
     */
    default int promptTokens(Prompt prompt, boolean thinking) {
        return -1;
    }

    /**
     * The options this model answers with when none are given: for a local model its {@code generation_config.json}
     * (token limit, sampling settings, repetition penalty) applied to {@link GenerationOptions#DEFAULT}; otherwise
     * {@link GenerationOptions#DEFAULT}. Callers choose the temperature themselves where greedy is their default.
     */
    default GenerationOptions defaultOptions() {
        return GenerationOptions.DEFAULT;
    }

    /** Generates with no streaming and no cancellation. */
    default Answer generate(Prompt prompt, GenerationOptions options) {
        return generate(prompt, options, TokenListener.NONE, CancellationToken.NEVER);
    }

    /**
     * How many requests a batch ({@code askAll}, {@code evaluate}, {@code glimpse eval}) keeps in flight by default:
     * 1 for a model that answers one at a time (in process), more for an endpoint that answers in parallel.
     */
    default int defaultConcurrency() {
        return 1;
    }

    /** Frees the model's memory. The model cannot be used afterwards. */
    @Override
    void close();
}
