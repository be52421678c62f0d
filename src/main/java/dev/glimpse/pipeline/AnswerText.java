package dev.glimpse.pipeline;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The text forms the {@link Expectation}s compare, so that an answer is not marked wrong for the way it is written.
 *
 * <p>{@link #fold} makes text case- and width-insensitive: Unicode NFKC (full-width {@code ＡＢＣ１２３，} become
 * {@code ABC123,}), lower case ({@link Locale#ROOT}), every run of white space one space, stripped.
 * {@link #normalize} goes on to ignore how a phrase or a list is dressed: surrounding punctuation ({@code "Red."},
 * {@code «red»}, {@code 红色。}), the articles {@code a}, {@code an} and {@code the} before a word, and list
 * separators ({@code "a, b and c"}, {@code "a, b, and c"}, {@code "a; b & c"} and {@code "a、b、c"} all become
 * {@code "a, b, c"}).
 */
public final class AnswerText {

    private static final Pattern SPACES = Pattern.compile("\\s+");
    // ", and" / "; " / "、" / " and " / " & " between list items: one ", "
    private static final Pattern SEPARATOR = Pattern.compile(
            "\\s*[,;、](?:\\s*(?:and|&)(?=\\s))?\\s*|\\s+(?:and|&)\\s+");
    private static final Pattern ARTICLE = Pattern.compile("(?<![\\p{L}\\p{N}])(?:a|an|the)\\s+(?=[\\p{L}\\p{N}])");
    // one piece of an answer that lists things: split at separators, line ends and bullets
    private static final Pattern ITEM_BREAK = Pattern.compile(
            "[,;、\\n]+|\\s+(?:and|&)\\s+|(?m)^\\s*(?:[-*•·]|\\d+[.)])\\s+");

    private AnswerText() {
    }

    /** NFKC, lower case, white space collapsed to single spaces and stripped. */
    public static String fold(String text) {
        String s = Normalizer.isNormalized(text, Normalizer.Form.NFKC) ? text
                : Normalizer.normalize(text, Normalizer.Form.NFKC);
        s = s.toLowerCase(Locale.ROOT);
        return SPACES.matcher(s).replaceAll(" ").strip();
    }

    /** {@link #fold}, then list separators, articles and surrounding punctuation made uniform; see the class. */
    public static String normalize(String text) {
        String s = stripPunctuation(fold(text));
        s = SEPARATOR.matcher(s).replaceAll(", ");
        s = ARTICLE.matcher(s).replaceAll("");
        return stripPunctuation(s);
    }

    /**
     * The items an answer lists, each {@link #normalize normalized}: the answer split at commas, semicolons,
     * {@code 、}, line ends, {@code and}/{@code &} and list bullets ({@code -}, {@code *}, {@code •}, {@code 1.}).
     */
    public static List<String> items(String answer) {
        String s = Normalizer.normalize(answer, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        List<String> items = new ArrayList<>();
        for (String piece : ITEM_BREAK.split(s)) {
            String item = normalize(piece);
            if (!item.isEmpty()) {
                items.add(item);
            }
        }
        return items;
    }

    /**
     * Whether {@code text} contains {@code term} as a word, both already {@link #normalize normalized}. A term that
     * begins (ends) with a Latin, Cyrillic or other spaced-script letter or digit must begin (end) a word in the
     * text, so that {@code cat} is not found in {@code category}; a plural {@code s} or {@code es} may follow
     * ({@code chair} is found in {@code chairs}). Chinese, Japanese and Korean terms are found anywhere.
     */
    public static boolean containsTerm(String text, String term) {
        if (term.isEmpty()) {
            return true;
        }
        boolean wordStart = spacedWordChar(term.codePointAt(0));
        boolean wordEnd = spacedWordChar(term.codePointBefore(term.length()));
        for (int at = text.indexOf(term); at >= 0; at = text.indexOf(term, at + 1)) {
            if (wordStart && at > 0 && wordChar(text.codePointBefore(at))) {
                continue;
            }
            int end = at + term.length();
            if (!wordEnd || end == text.length() || !wordChar(text.codePointAt(end)) || pluralEnding(text, end)) {
                return true;
            }
        }
        return false;
    }

    private static boolean pluralEnding(String text, int end) {
        int after = text.startsWith("es", end) ? end + 2 : text.startsWith("s", end) ? end + 1 : -1;
        return after > 0 && (after == text.length() || !wordChar(text.codePointAt(after)));
    }

    private static String stripPunctuation(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && surrounding(s.codePointAt(start), true)) {
            start += Character.charCount(s.codePointAt(start));
        }
        while (end > start && surrounding(s.codePointBefore(end), false)) {
            end -= Character.charCount(s.codePointBefore(end));
        }
        return s.substring(start, end);
    }

    // punctuation and spaces around an answer; a leading minus sign stays (it belongs to a number)
    private static boolean surrounding(int c, boolean leading) {
        if (Character.isWhitespace(c)) {
            return true;
        }
        if (leading && c == '-') {
            return false;
        }
        int type = Character.getType(c);
        return type == Character.OTHER_PUNCTUATION || type == Character.START_PUNCTUATION
                || type == Character.END_PUNCTUATION || type == Character.INITIAL_QUOTE_PUNCTUATION
                || type == Character.FINAL_QUOTE_PUNCTUATION || type == Character.DASH_PUNCTUATION
                || type == Character.CONNECTOR_PUNCTUATION;
    }

    static boolean wordChar(int c) {
        return Character.isLetterOrDigit(c);
    }

    // a letter or digit of a script that separates words with spaces
    private static boolean spacedWordChar(int c) {
        if (!Character.isLetterOrDigit(c)) {
            return false;
        }
        Character.UnicodeScript script = Character.UnicodeScript.of(c);
        return script != Character.UnicodeScript.HAN && script != Character.UnicodeScript.HIRAGANA
                && script != Character.UnicodeScript.KATAKANA && script != Character.UnicodeScript.HANGUL
                && script != Character.UnicodeScript.THAI;
    }
}
