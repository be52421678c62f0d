package dev.glimpse.pipeline;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One question of an evaluation data set: an image, a question about it and the expected answer.
 *
 * @param line      the line of the JSONL file it came from (1-based), for messages
 * @param image     the image path as the data set writes it (relative to the JSONL file, or absolute)
 * @param imagePath the image file, resolved against the JSONL file's directory
 * @param question  the question to ask
 * @param expected  the expected answer, matched against the model's with an {@link AnswerMatcher}
 * @param type      the kind of question, for accuracy per type (e.g. {@code color}, {@code count}); never blank
 */
public record EvalItem(int line, String image, Path imagePath, String question, String expected, String type) {
    public EvalItem {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(imagePath, "imagePath");
        Objects.requireNonNull(question, "question");
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(type, "type");
        if (type.isBlank()) {
            throw new IllegalArgumentException("type must not be blank; use " + EvalDataset.DEFAULT_TYPE);
        }
    }
}
