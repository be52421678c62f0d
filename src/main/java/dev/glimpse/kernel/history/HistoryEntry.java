package dev.glimpse.kernel.history;

/**
 * One executed cell, as a {@code history_reply} lists it.
 *
 * @param session the session number (sessions count up from 1 across kernel runs)
 * @param line    the cell's execution count within its session
 * @param input   the cell source as the user typed it
 * @param output  the {@code text/plain} of the cell's result; {@code null} when the cell had none or the query did
 *                not ask for output
 */
public record HistoryEntry(int session, int line, String input, String output) {

    HistoryEntry withoutOutput() {
        return output == null ? this : new HistoryEntry(session, line, input, null);
    }
}
