package dev.glimpse.kernel.jshell;

/**
 * The text of one cell, for turning character offsets into the line and column numbers a user sees.
 *
 * @param code      the cell's code as evaluated
 * @param firstLine the 1-based line of {@code code} within the notebook cell (greater than 1 when a magic line or
 *                  earlier code precedes it)
 * @param name      how messages name the cell, such as {@code "cell"} or {@code "In [3]"}
 */
record CellText(String code, int firstLine, String name) {

    /** The 1-based cell line of an offset into {@link #code()}. */
    int lineOf(int offset) {
        int line = firstLine;
        int end = Math.min(offset, code.length());
        for (int i = 0; i < end; i++) {
            if (code.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }

    /** The 1-based column of an offset into {@link #code()}. */
    int columnOf(int offset) {
        int end = Math.min(offset, code.length());
        return end - lineStart(end) + 1;
    }

    /** The text of the line that holds the offset, without its line break. */
    String lineText(int offset) {
        int end = Math.min(offset, code.length());
        int start = lineStart(end);
        int stop = code.indexOf('\n', start);
        String line = code.substring(start, stop < 0 ? code.length() : stop);
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    private int lineStart(int offset) {
        return offset == 0 ? 0 : code.lastIndexOf('\n', offset - 1) + 1;
    }
}
