package dev.glimpse.pipeline;

/**
 * Decides whether a model's answer counts as the expected one, for the JSONL {@code answer} field. The other
 * matchers ({@code any_of}, {@code list}, …) are {@link Expectation}s.
 *
 * <p>{@link #NORMALIZED} is the default: two answers match when their {@link AnswerText#normalize normalized}
 * forms are equal, so {@code "Red."} matches {@code "red"}, {@code "ＲＥＤ"} matches {@code "red"},
 * {@code "a cat"} matches {@code "cat"} and {@code "a, b, c and d"} matches {@code "a, b and c and d"}, but
 * {@code "3 apples"} does not match {@code "3"}.
 */
@FunctionalInterface
public interface AnswerMatcher {

    /** Equality after {@link AnswerText#normalize}. */
    AnswerMatcher NORMALIZED = (expected, answer) -> normalize(expected).equals(normalize(answer));

    /** Whether {@code answer} (the model's, without reasoning) counts as {@code expected}. */
    boolean matches(String expected, String answer);

    /** The form {@link #NORMALIZED} compares: {@link AnswerText#normalize}. */
    static String normalize(String text) {
        return AnswerText.normalize(text);
    }
}
