package dev.glimpse.kernel.jshell;

/** Counts the braces a piece of Java leaves open, skipping comments, strings, text blocks and character literals. */
final class BlockDepth {

    private BlockDepth() {
    }

    /** The indentation for the next line of unfinished code: four spaces per open brace. */
    static String indentAfter(String code) {
        return "    ".repeat(openBraces(code));
    }

    static int openBraces(String code) {
        int depth = 0;
        int i = 0;
        int n = code.length();
        while (i < n) {
            char c = code.charAt(i);
            if (c == '/' && i + 1 < n && code.charAt(i + 1) == '/') {
                int end = code.indexOf('\n', i);
                i = end < 0 ? n : end + 1;
            } else if (c == '/' && i + 1 < n && code.charAt(i + 1) == '*') {
                int end = code.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            } else if (code.startsWith("\"\"\"", i)) {
                int end = code.indexOf("\"\"\"", i + 3);
                i = end < 0 ? n : end + 3;
            } else if (c == '"' || c == '\'') {
                i = endOfQuoted(code, i, c);
            } else {
                if (c == '{') {
                    depth++;
                } else if (c == '}') {
                    depth = Math.max(0, depth - 1);
                }
                i++;
            }
        }
        return depth;
    }

    private static int endOfQuoted(String code, int start, char quote) {
        int i = start + 1;
        while (i < code.length()) {
            char c = code.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == quote || c == '\n') {
                return i + 1;
            } else {
                i++;
            }
        }
        return code.length();
    }
}
