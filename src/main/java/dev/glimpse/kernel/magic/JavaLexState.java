package dev.glimpse.kernel.magic;

/**
 * Whether a line of Java starts inside a block comment or a text block, so that a {@code %} line in one of those is
 * not taken for a magic. Strings, chars and line comments end with their line and need no state.
 */
enum JavaLexState {
    CODE, BLOCK_COMMENT, TEXT_BLOCK;

    /** The state after {@code line}, given the state before it. */
    JavaLexState after(String line) {
        JavaLexState state = this;
        int i = 0;
        while (i < line.length()) {
            switch (state) {
                case BLOCK_COMMENT -> {
                    int end = line.indexOf("*/", i);
                    if (end < 0) {
                        return state;
                    }
                    state = CODE;
                    i = end + 2;
                }
                case TEXT_BLOCK -> {
                    int end = textBlockEnd(line, i);
                    if (end < 0) {
                        return state;
                    }
                    state = CODE;
                    i = end + 3;
                }
                case CODE -> {
                    if (line.startsWith("//", i)) {
                        return CODE;
                    } else if (line.startsWith("/*", i)) {
                        state = BLOCK_COMMENT;
                        i += 2;
                    } else if (line.startsWith("\"\"\"", i)) {
                        state = TEXT_BLOCK;
                        i += 3;
                    } else if (line.charAt(i) == '"' || line.charAt(i) == '\'') {
                        i = literalEnd(line, i);
                    } else {
                        i++;
                    }
                }
            }
        }
        return state;
    }

    /** Index of the closing {@code """} at or after {@code from}, skipping escapes; -1 if the line has none. */
    private static int textBlockEnd(String line, int from) {
        for (int i = from; i < line.length(); i++) {
            if (line.charAt(i) == '\\') {
                i++;
            } else if (line.startsWith("\"\"\"", i)) {
                return i;
            }
        }
        return -1;
    }

    /** Index just past the string or char literal opening at {@code open}, or the line end if it is unclosed. */
    private static int literalEnd(String line, int open) {
        char quote = line.charAt(open);
        for (int i = open + 1; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == quote) {
                return i + 1;
            }
        }
        return line.length();
    }
}
