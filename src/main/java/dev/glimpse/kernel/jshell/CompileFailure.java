package dev.glimpse.kernel.jshell;

import java.util.ArrayList;
import java.util.List;

/** The cell does not compile (or does not parse). Every error is located by cell line and column. */
public final class CompileFailure extends CellFailure {

    private static final long serialVersionUID = 1L;

    private final transient List<CellDiagnostic> diagnostics;

    CompileFailure(String cellName, List<CellDiagnostic> diagnostics) {
        super("CompileError", evalue(diagnostics), render(cellName, diagnostics), null);
        this.diagnostics = List.copyOf(diagnostics);
    }

    /** The errors, in the order of the cell's snippets. */
    public List<CellDiagnostic> diagnostics() {
        return diagnostics;
    }

    private static String evalue(List<CellDiagnostic> diagnostics) {
        if (diagnostics.isEmpty()) {
            return "the cell does not compile";
        }
        String first = diagnostics.get(0).message();
        int end = first.indexOf('\n');
        return end < 0 ? first : first.substring(0, end);
    }

    private static List<String> render(String cellName, List<CellDiagnostic> diagnostics) {
        List<String> lines = new ArrayList<>();
        if (diagnostics.isEmpty()) {
            lines.add("The cell does not compile, and the compiler gave no reason.");
        }
        for (CellDiagnostic d : diagnostics) {
            String[] message = d.message().split("\n");
            lines.add(cellName + " line " + d.line() + ", column " + d.column() + ": " + message[0]);
            for (int i = 1; i < message.length; i++) {
                lines.add("    " + message[i].strip());
            }
            lines.add("    " + d.sourceLine());
            lines.add("    " + caretLine(d));
        }
        return lines;
    }

    /** Spaces up to the column (tabs kept, so the carets line up), then one caret per covered character. */
    private static String caretLine(CellDiagnostic d) {
        StringBuilder caret = new StringBuilder();
        String source = d.sourceLine();
        for (int i = 0; i < d.column() - 1; i++) {
            caret.append(i < source.length() && source.charAt(i) == '\t' ? '\t' : ' ');
        }
        return caret.append("^".repeat(Math.max(1, d.length()))).toString();
    }
}
