package dev.glimpse.engine.remote;

/**
 * Reads a {@code text/event-stream} line by line: collects each event's {@code data:} lines and hands the data over
 * at the blank line that ends the event. Comments ({@code : keep-alive}) and other fields ({@code event:},
 * {@code id:}, {@code retry:}) are skipped: chat completions put everything in {@code data}.
 */
final class ServerSentEvents {

    private final StringBuilder data = new StringBuilder();
    private boolean hasData;

    /** Feeds one line without its terminator; returns the data of the event it ends, else {@code null}. */
    String line(String line) {
        if (line.isEmpty()) {
            return take();
        }
        if (line.startsWith(":")) {
            return null;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        if (!field.equals("data")) {
            return null;
        }
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        if (hasData) {
            data.append('\n');
        }
        data.append(value);
        hasData = true;
        return null;
    }

    /** The data of an event the stream ended in without its blank line, or {@code null}. */
    String finish() {
        return take();
    }

    private String take() {
        if (!hasData) {
            return null;
        }
        String event = data.toString();
        data.setLength(0);
        hasData = false;
        return event;
    }
}
