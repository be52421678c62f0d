package dev.glimpse.engine;

import java.util.List;

/**
 * A model's answer.
 *
 * @param text         the answer without the reasoning; grounding boxes stay in the text as the model wrote them
 * @param reasoning    the reasoning between {@code <think>} and {@code </think>}, or empty
 * @param boxes        grounding boxes parsed from the text, in order, in 0–1000 coordinates
 * @param usage        prompt and completion token counts
 * @param timings      where the time went
 * @param finishReason why generation ended
 * @param tokenIds     the generated token ids, in order
 */
public record Answer(String text, String reasoning, List<Box> boxes, Usage usage, Timings timings,
                     FinishReason finishReason, List<Integer> tokenIds) {
    public Answer {
        boxes = List.copyOf(boxes);
        tokenIds = List.copyOf(tokenIds);
    }
}
