package dev.glimpse.pipeline;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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

    private AnswerText() {
    }

    /** NFKC, lower case, white space collapsed to single spaces and stripped. */
    public static String fold(String text) {
        String s = lower(text);
        StringBuilder out = new StringBuilder(s.length());
        boolean space = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c) || Character.isSpaceChar(c)) {
                space = !out.isEmpty();
            } else {
                if (space) {
                    out.append(' ');
                    space = false;
                }
                out.append(c);
            }
        }
        return out.toString();
    }

    // NFKC (only when a character might change: not for ASCII and common Chinese), then lower case
    private static String lower(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c >= 0x80 && !(c >= '\u4E00' && c <= '\u9FFF')) {
                return Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
            }
        }
        return text.toLowerCase(Locale.ROOT);
    }

    /** {@link #fold}, then list separators, articles and surrounding punctuation made uniform; see the class. */
    public static String normalize(String text) {
        String f = stripPunctuation(fold(text));
        int n = f.length();
        StringBuilder out = new StringBuilder(n + 8);
        int i = 0;
        while (i < n) {
            char c = f.charAt(i);
            if (c == ',' || c == ';' || c == '\u3001') {
                // "x , and y" / "x; y" / "x、y": one ", "
                trimSpace(out);
                i = skipSpace(f, i + 1);
                if (f.startsWith("and ", i)) {
                    i = skipSpace(f, i + 4);
                } else if (f.startsWith("& ", i)) {
                    i = skipSpace(f, i + 2);
                }
                out.append(", ");
            } else if (c == ' ' && (f.startsWith(" and ", i) || f.startsWith(" & ", i))) {
                trimSpace(out);
                out.append(", ");
                i = skipSpace(f, i + (f.charAt(i + 1) == '&' ? 3 : 5));
            } else {
                int article = (out.isEmpty() || !Character.isLetterOrDigit(out.charAt(out.length() - 1)))
                        ? article(f, i) : 0;
                if (article > 0) {
                    i += article;
                } else {
                    out.append(c);
                    i++;
                }
            }
        }
        return stripPunctuation(out.toString());
    }

    // the length of "a ", "an " or "the " at i when a letter or digit follows, else 0
    private static int article(String s, int i) {
        char c = s.charAt(i);
        if (c != 'a' && c != 't') {
            return 0;
        }
        int len = s.startsWith("a ", i) ? 2 : s.startsWith("an ", i) ? 3 : s.startsWith("the ", i) ? 4 : 0;
        return len > 0 && i + len < s.length() && Character.isLetterOrDigit(s.charAt(i + len)) ? len : 0;
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    private static void trimSpace(StringBuilder out) {
        while (!out.isEmpty() && out.charAt(out.length() - 1) == ' ') {
            out.setLength(out.length() - 1);
        }
    }

    /**
     * The items an answer lists, each {@link #normalize normalized}: the answer split at commas, semicolons,
     * {@code 、}, line ends, {@code and}/{@code &} and list bullets ({@code -}, {@code *}, {@code •}, {@code 1.}).
     */
    public static List<String> items(String answer) {
        String s = lower(answer);
        List<String> items = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i <= s.length()) {
            int cut = 0;
            if (i == s.length()) {
                cut = 1;
            } else {
                char c = s.charAt(i);
                if (c == ',' || c == ';' || c == '\u3001' || c == '\n') {
                    cut = 1;
                } else if (Character.isWhitespace(c)) {
                    int w = i;
                    while (w < s.length() && Character.isWhitespace(s.charAt(w)) && s.charAt(w) != '\n') {
                        w++;
                    }
                    int word = s.startsWith("and", w) ? 3 : s.startsWith("&", w) ? 1 : 0;
                    if (word > 0 && w + word < s.length() && Character.isWhitespace(s.charAt(w + word))) {
                        cut = w + word - i;
                    }
                }
            }
            if (cut > 0) {
                add(items, s.substring(start, i));
                i += cut;
                start = i;
            } else {
                i++;
            }
        }
        return items;
    }

    private static void add(List<String> items, String piece) {
        String item = normalize(withoutBullet(piece));
        if (!item.isEmpty()) {
            items.add(item);
        }
    }

    // "- chair", "* chair", "• chair", "1. chair", "2) chair": the chair
    private static String withoutBullet(String piece) {
        int i = 0;
        while (i < piece.length() && Character.isWhitespace(piece.charAt(i))) {
            i++;
        }
        int j = i;
        if (j < piece.length() && "-*•·".indexOf(piece.charAt(j)) >= 0) {
            j++;
        } else {
            while (j < piece.length() && Character.isDigit(piece.charAt(j))) {
                j++;
            }
            if (j == i || j >= piece.length() || (piece.charAt(j) != '.' && piece.charAt(j) != ')')) {
                return piece;
            }
            j++;
        }
        return j < piece.length() && Character.isWhitespace(piece.charAt(j)) ? piece.substring(j) : piece;
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
