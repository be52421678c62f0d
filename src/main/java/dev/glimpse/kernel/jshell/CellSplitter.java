package dev.glimpse.kernel.jshell;

import java.util.ArrayList;
import java.util.List;

import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;

/** Splits the code of a cell into the snippets JShell evaluates one at a time. */
final class CellSplitter {

    /**
     * One snippet of a cell.
     *
     * @param code     the snippet's source as JShell should evaluate it: leading blank space removed (JShell maps stack
     *                 frames to the wrong line when a snippet starts with blank lines), a {@code ;} added where JShell
     *                 adds one
     * @param offset   where {@code code} starts in the cell
     * @param complete false for trailing code that is not a complete snippet (an unclosed brace, say)
     */
    record Piece(String code, int offset, boolean complete) {
    }

    private final SourceCodeAnalysis analysis;

    CellSplitter(SourceCodeAnalysis analysis) {
        this.analysis = analysis;
    }

    /** The snippets of {@code code} in order; comments and blank space alone make no snippet. */
    List<Piece> split(String code) {
        List<Piece> pieces = new ArrayList<>();
        String remaining = code;
        while (!remaining.isBlank()) {
            int start = code.length() - remaining.length();
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
            Completeness completeness = info.completeness();
            if (completeness == Completeness.EMPTY) {
                break;
            }
            if (!completeness.isComplete() || info.source() == null) {
                pieces.add(trimmed(remaining, start, false));
                break;
            }
            pieces.add(trimmed(info.source(), start, true));
            remaining = info.remaining();
        }
        return pieces;
    }

    /**
     * Where the snippet that a cursor is in starts, given the code before the cursor: past every snippet that is
     * complete and followed by more code.
     */
    int startOfSnippetAt(String beforeCursor) {
        int start = 0;
        String remaining = beforeCursor;
        while (!remaining.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(remaining);
            if (!info.completeness().isComplete() || info.remaining().isBlank()) {
                break;
            }
            start += remaining.length() - info.remaining().length();
            remaining = info.remaining();
        }
        return start;
    }

    private static Piece trimmed(String source, int offset, boolean complete) {
        int blank = 0;
        while (blank < source.length() && Character.isWhitespace(source.charAt(blank))) {
            blank++;
        }
        return new Piece(source.substring(blank), offset + blank, complete);
    }
}
