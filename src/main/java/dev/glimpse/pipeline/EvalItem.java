package dev.glimpse.pipeline;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One question of an evaluation data set: an image, a question about it and what the answer must be.
 *
 * @param line        the line of the JSONL file it came from (1-based), for messages
 * @param image       the image path as the data set writes it (relative to the JSONL file, or absolute)
 * @param imagePath   the image file, resolved against the JSONL file's directory
 * @param question    the question to ask
 * @param expectation what the answer must be: its matcher(s) from the JSONL line
 * @param type        the kind of question, for accuracy per type (e.g. {@code color}, {@code count}); never blank
 */
public record EvalItem(int line, String image, Path imagePath, String question, Expectation expectation,
                       String type) {
    public EvalItem {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(imagePath, "imagePath");
        Objects.requireNonNull(question, "question");
        Objects.requireNonNull(expectation, "expectation");
        Objects.requireNonNull(type, "type");
        if (type.isBlank()) {
            throw new IllegalArgumentException("type must not be blank; use " + EvalDataset.DEFAULT_TYPE);
        }
    }

    /** An item whose answer must equal {@code expected} after normalisation (the JSONL {@code answer} field). */
    public EvalItem(int line, String image, Path imagePath, String question, String expected, String type) {
        this(line, image, imagePath, question, new Expectation.Exact(expected), type);
    }

    /** The expectation as text, e.g. {@code red} or {@code any of: Sichuan | Szechuan}. */
    public String expected() {
        return expectation.describe();
    }

    /** The matcher's JSONL field name, e.g. {@code answer}, {@code list}. */
    public String matcher() {
        return expectation.matcher();
    }
}
