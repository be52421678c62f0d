package dev.glimpse.pipeline;

import dev.glimpse.engine.FinishReason;
import dev.glimpse.engine.Usage;

import java.util.Objects;

/**
 * How the model did on one question.
 *
 * @param item          the question
 * @param answer        the model's answer without its reasoning (what was matched)
 * @param correct       whether the answer matched the expected one
 * @param latencyMillis wall time of the model call in milliseconds: preprocessing, vision encoder, prefill and
 *                      every decoding step (reasoning included); decoding the image file is not counted
 * @param reasoning     the model's reasoning, or empty (thinking off)
 * @param finishReason  why generation ended; {@link FinishReason#LENGTH} means the token limit cut the answer off
 * @param usage         prompt and completion token counts
 */
public record EvalResult(EvalItem item, String answer, boolean correct, double latencyMillis, String reasoning,
                         FinishReason finishReason, Usage usage) {
    public EvalResult {
        Objects.requireNonNull(item, "item");
        Objects.requireNonNull(answer, "answer");
        Objects.requireNonNull(reasoning, "reasoning");
        Objects.requireNonNull(finishReason, "finishReason");
        Objects.requireNonNull(usage, "usage");
    }

    /** The image path as the data set writes it. */
    public String image() {
        return item.image();
    }

    /** The question's type. */
    public String type() {
        return item.type();
    }

    /** The question. */
    public String question() {
        return item.question();
    }

    /** The expected answer. */
    public String expected() {
        return item.expected();
    }
}
