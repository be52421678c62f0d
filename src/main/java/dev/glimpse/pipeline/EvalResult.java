package dev.glimpse.pipeline;

import dev.glimpse.engine.FinishReason;
import dev.glimpse.engine.Usage;

import java.util.Objects;

/**
 * How the model did on one question: its answer and score, or the error that kept it from answering.
 *
 * @param item          the question
 * @param answer        the model's answer without its reasoning (what was scored); empty for an error row
 * @param score         the answer's score against the item's {@link Expectation}, with why it failed; 0 for an
 *                      error row
 * @param latencyMillis wall time of the model call in milliseconds: preprocessing, vision encoder, prefill and
 *                      every decoding step (reasoning included); decoding the image file and judging are not
 *                      counted; 0 for an error row
 * @param reasoning     the model's reasoning, or empty (thinking off)
 * @param finishReason  why generation ended; {@link FinishReason#LENGTH} means the token limit cut the answer off
 * @param usage         prompt and completion token counts
 * @param error         why the question could not be answered or scored (an unreadable image, a model or judge
 *                      failure), or empty; an error row counts as wrong
 */
public record EvalResult(EvalItem item, String answer, Score score, double latencyMillis, String reasoning,
                         FinishReason finishReason, Usage usage, String error) {
    public EvalResult {
        Objects.requireNonNull(item, "item");
        Objects.requireNonNull(answer, "answer");
        Objects.requireNonNull(score, "score");
        Objects.requireNonNull(reasoning, "reasoning");
        Objects.requireNonNull(finishReason, "finishReason");
        Objects.requireNonNull(usage, "usage");
        Objects.requireNonNull(error, "error");
    }

    /** A result scored all or nothing (right: 1, wrong: 0), without error. */
    public EvalResult(EvalItem item, String answer, boolean correct, double latencyMillis, String reasoning,
                      FinishReason finishReason, Usage usage) {
        this(item, answer, correct ? Score.right("") : Score.wrong(""), latencyMillis, reasoning, finishReason, usage,
                "");
    }

    /** The row of a question that could not be answered: wrong, with its reason. */
    public static EvalResult failed(EvalItem item, String error) {
        return new EvalResult(item, "", Score.wrong("error: " + error), 0, "", FinishReason.STOP, new Usage(0, 0),
                error);
    }

    /** Whether the answer counts as correct (never for an error row). */
    public boolean correct() {
        return score.correct();
    }

    /** Whether the question could not be answered or scored. */
    public boolean failed() {
        return !error.isEmpty();
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

    /** The expected answer, as text. */
    public String expected() {
        return item.expected();
    }
}
