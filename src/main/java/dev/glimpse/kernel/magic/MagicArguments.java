package dev.glimpse.kernel.magic;

import java.util.ArrayList;
import java.util.List;

/** Splits a magic's argument string into words the way a shell would, for magics that take several arguments. */
public final class MagicArguments {
    private MagicArguments() {
    }

    /**
     * Words separated by whitespace; single or double quotes group a word with spaces (quotes removed), and inside
     * double quotes {@code \"} and {@code \\} stand for {@code "} and {@code \}. Backslashes elsewhere are literal,
     * so Windows paths need no escaping.
     *
     * @throws MagicException if a quote is not closed
     */
    public static List<String> split(String args) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < args.length(); i++) {
            char c = args.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (quote == '"' && c == '\\' && i + 1 < args.length()
                        && (args.charAt(i + 1) == '"' || args.charAt(i + 1) == '\\')) {
                    word.append(args.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new MagicException("Unclosed " + quote + " quote in: " + args);
        }
        if (inWord) {
            words.add(word.toString());
        }
        return words;
    }
}
