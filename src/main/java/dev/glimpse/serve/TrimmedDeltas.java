package dev.glimpse.serve;

import dev.glimpse.engine.AnswerParser;

/**
 * Turns one stream of token texts (the answer's, or the reasoning's) into deltas that add up to exactly what the
 * finished answer holds. The answer and reasoning are {@linkplain AnswerParser#strip stripped}, the tokens are not
 * (the answer's first token is usually the newline after {@code </think>}): so white space at the start is
 * dropped, white space at the end is held back until something follows it, and {@link #rest} sends whatever the
 * finished text has beyond what went out.
 */
final class TrimmedDeltas {

    private final StringBuilder sent = new StringBuilder();
    private final StringBuilder held = new StringBuilder();

    /** The delta to send for this token's text; empty when nothing can go out yet. */
    String push(String text) {
        int start = 0;
        if (sent.length() == 0 && held.length() == 0) {
            while (start < text.length() && AnswerParser.isSpace(text.charAt(start))) {
                start++;
            }
        }
        held.append(text, start, text.length());
        int end = held.length();
        while (end > 0 && AnswerParser.isSpace(held.charAt(end - 1))) {
            end--;
        }
        if (end == 0) {
            return "";
        }
        String out = held.substring(0, end);
        held.delete(0, end);
        sent.append(out);
        return out;
    }

    /**
     * The last delta: what {@code finished} (the answer's stripped text) holds beyond what was sent; empty when the
     * deltas add up already. Text the stream did not carry (a cancelled answer's) is sent here too.
     */
    String rest(String finished) {
        String s = sent.toString();
        held.setLength(0);
        if (finished.startsWith(s)) {
            sent.append(finished, s.length(), finished.length());
            return finished.substring(s.length());
        }
        return "";
    }
}
