package dev.glimpse.engine.glm4v;

import dev.glimpse.engine.AnswerParser;

/** Python's {@code str.strip()} in Java: the chat template trims with Python's idea of whitespace. */
final class PythonStrings {

    private PythonStrings() {
    }

    /** {@code s.strip()}. */
    static String strip(String s) {
        return AnswerParser.strip(s);
    }
}
