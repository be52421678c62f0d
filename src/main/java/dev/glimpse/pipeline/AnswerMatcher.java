package dev.glimpse.pipeline;

import java.util.Locale;

/**
 * Decides whether a model's answer counts as the expected one.
 *
 * <p>{@link #NORMALIZED} is the default: two answers match when their {@link #normalize normalized} forms are
 * equal, so {@code "Red."} matches {@code "red"} and {@code " 3 "} matches {@code "3"}, but {@code "3 apples"} does
 * not match {@code "3"} and {@code "dark  red"} does not match {@code "dark red"}.
 */
@FunctionalInterface
public interface AnswerMatcher {

    /** Case-insensitive equality after trimming whitespace and one trailing period; see {@link #normalize}. */
    AnswerMatcher NORMALIZED = (expected, answer) -> normalize(expected).equals(normalize(answer));

    /** Whether {@code answer} (the model's, without reasoning) counts as {@code expected}. */
    boolean matches(String expected, String answer);

    /**
     * The form {@link #NORMALIZED} compares, in this order:
     * <ol>
     *   <li>leading and trailing whitespace removed ({@link String#strip}: Unicode white space, including
     *       newlines);</li>
     *   <li>one trailing period removed, then trailing whitespace again ({@code "red ."} → {@code "red"};
     *       {@code "etc.."} → {@code "etc."});</li>
     *   <li>lower-cased with {@link Locale#ROOT} (locale-independent; {@code "İ"} and {@code "ß"} follow
     *       {@link String#toLowerCase(Locale)}).</li>
     * </ol>
     * Nothing else changes: inner whitespace, other punctuation, articles and number words are compared as they
     * are.
     */
    static String normalize(String text) {
        String s = text.strip();
        if (s.endsWith(".")) {
            s = s.substring(0, s.length() - 1).stripTrailing();
        }
        return s.toLowerCase(Locale.ROOT);
    }
}
