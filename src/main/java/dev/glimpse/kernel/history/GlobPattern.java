package dev.glimpse.kernel.history;

import java.util.regex.Pattern;

/**
 * The glob syntax of {@code history_request} searches (SQLite's GLOB, which IPython uses): {@code *} any run of
 * characters, {@code ?} one character, {@code [abc]}, {@code [a-z]} and {@code [^abc]} character sets. Matching is
 * case-sensitive and covers the whole input, newlines included.
 */
final class GlobPattern {
    private GlobPattern() {
    }

    static Pattern compile(String glob) {
        StringBuilder regex = new StringBuilder(glob.length() + 8);
        int i = 0;
        while (i < glob.length()) {
            char c = glob.charAt(i);
            if (c == '*') {
                regex.append(".*");
            } else if (c == '?') {
                regex.append('.');
            } else if (c == '[' && glob.indexOf(']', i + 2) > 0) {
                int close = glob.indexOf(']', i + 2);
                regex.append(characterSet(glob.substring(i + 1, close)));
                i = close;
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
            i++;
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }

    /** A set body such as {@code ^a-z_} as a regex class, with regex metacharacters other than the range dash escaped. */
    private static String characterSet(String body) {
        StringBuilder set = new StringBuilder("[");
        int start = 0;
        if (body.startsWith("^")) {
            set.append('^');
            start = 1;
        }
        for (int i = start; i < body.length(); i++) {
            char c = body.charAt(i);
            boolean rangeDash = c == '-' && i > start && i < body.length() - 1;
            if (!rangeDash && !Character.isLetterOrDigit(c)) {
                set.append('\\');
            }
            set.append(c);
        }
        return set.append(']').toString();
    }
}
