package dev.glimpse.pipeline;

import dev.glimpse.engine.ImageInput;

/**
 * Grades an open answer against a rubric from 1 (fails it) to 5 (fully meets it), for the {@code judge} matcher.
 * {@link ModelJudge} asks a vision-language model.
 */
@FunctionalInterface
public interface Judge {

    /** Refuses to grade: for runs whose data set has no {@code judge} items. */
    Judge NONE = (question, image, rubric, answer) -> {
        throw new IllegalStateException("no judge was given for the judge items; pass a model to grade them");
    };

    /**
     * The grade of {@code answer}, 1–5.
     *
     * @param question the question the answer replies to
     * @param image    the image it was asked about
     * @param rubric   what a good answer does, in the data set's words
     * @param answer   the answer to grade
     * @throws IllegalStateException naming the problem when the judge gives no grade
     */
    int grade(String question, ImageInput image, String rubric, String answer);
}
