package dev.glimpse.kernel.magic;

/**
 * One piece of a cell, in the order the kernel runs them. Line numbers are 1-based positions in the cell, so errors
 * can point at the line the user sees.
 */
public sealed interface CellSegment permits CellSegment.Code, CellSegment.LineMagicCall, CellSegment.CellMagicCall {

    /** The cell line this segment starts on. */
    int line();

    /**
     * Java source between magic lines, passed to JShell as is.
     *
     * @param source the lines, joined with {@code \n}
     * @param line   the cell line of the first source line
     */
    record Code(String source, int line) implements CellSegment {
    }

    /**
     * A {@code %name args} line.
     *
     * @param name the magic name without {@code %}
     * @param args the rest of the line, stripped
     */
    record LineMagicCall(String name, String args, int line) implements CellSegment {
    }

    /**
     * A cell that starts with {@code %%name args}: the rest of the cell is the body.
     *
     * @param name the magic name without {@code %%}
     * @param args the rest of the first line, stripped
     * @param body the following lines, joined with {@code \n}; empty when there are none
     */
    record CellMagicCall(String name, String args, String body, int line) implements CellSegment {
    }
}
