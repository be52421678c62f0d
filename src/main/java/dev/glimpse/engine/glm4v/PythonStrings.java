package dev.glimpse.engine.glm4v;

/** Python's {@code str.strip()} in Java: the chat template trims with Python's idea of whitespace. */
final class PythonStrings {

    private PythonStrings() {
    }

    /** Whether Python's {@code str.isspace()} holds for this character. */
    static boolean isSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\u0085';
    }

    /** {@code s.strip()}. */
    static String strip(String s) {
        int start = 0;
        int end = s.length();
        while (start < end && isSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }
}
