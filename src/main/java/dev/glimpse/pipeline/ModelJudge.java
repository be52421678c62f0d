package dev.glimpse.pipeline;

import dev.glimpse.engine.Answer;
import dev.glimpse.engine.GenerationOptions;
import dev.glimpse.engine.ImageInput;
import dev.glimpse.engine.Prompt;
import dev.glimpse.engine.VisionLanguageModel;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A {@link Judge} that asks a vision-language model (the one under test, or another, e.g. a larger model behind an
 * OpenAI-compatible endpoint) to grade an answer 1–5 against the rubric, showing it the image, the question, the
 * rubric and the answer. Greedy, thinking off, a short reply; the first digit 1–5 in the reply is the grade.
 */
public final class ModelJudge implements Judge {

    private static final Pattern GRADE = Pattern.compile("(?<![\\p{L}\\p{N}])[1-5](?![\\p{L}\\p{N}])");

    private final VisionLanguageModel model;
    private final GenerationOptions options;

    /** A judge that asks {@code model}, greedy, thinking off, at most 16 new tokens. */
    public ModelJudge(VisionLanguageModel model) {
        this(model, GenerationOptions.DEFAULT.withTemperature(0).withThinking(false).withMaxNewTokens(16));
    }

    /** A judge that asks {@code model} with these options. */
    public ModelJudge(VisionLanguageModel model, GenerationOptions options) {
        this.model = Objects.requireNonNull(model, "model");
        this.options = Objects.requireNonNull(options, "options");
    }

    /** The model that grades. */
    public VisionLanguageModel model() {
        return model;
    }

    /** The question put to the judge model. */
    static String prompt(String question, String rubric, String answer) {
        return "You grade answers about the image. Question: " + question + "\nRubric (what a good answer does): "
                + rubric + "\nAnswer to grade: " + answer + "\nGrade the answer against the rubric from 1 (fails "
                + "it) to 5 (fully meets it). Reply with the digit only.";
    }

    /** The grade in a judge's reply: its first digit 1–5 with no letter or digit beside it, or -1. */
    static int parse(String reply) {
        Matcher m = GRADE.matcher(reply);
        return m.find() ? m.group().charAt(0) - '0' : -1;
    }

    @Override
    public int grade(String question, ImageInput image, String rubric, String answer) {
        Answer reply = model.generate(Prompt.of(prompt(question, rubric, answer), image), options);
        int grade = parse(reply.text());
        if (grade < 0) {
            throw new IllegalStateException("the judge (" + model.info().name() + ") replied without a grade 1–5: \""
                    + abbreviate(reply.text()) + "\"");
        }
        return grade;
    }

    private static String abbreviate(String s) {
        String t = s.strip().replaceAll("\\s+", " ");
        return t.length() <= 80 ? t : t.substring(0, 79) + "…";
    }
}
