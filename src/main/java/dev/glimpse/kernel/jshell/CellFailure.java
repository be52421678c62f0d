package dev.glimpse.kernel.jshell;

import java.util.ArrayList;
import java.util.List;

/**
 * Why a cell did not evaluate, with the three fields of a Jupyter {@code error} message.
 *
 * <p>The subclasses: {@link CompileFailure} (the cell does not compile), {@link ExceptionFailure} (cell code threw),
 * {@link UnresolvedReference} (cell code called a method whose dependencies are not declared yet),
 * {@link CellInterrupted} and {@link ExitRefused}. The evaluator stays usable after each of them.
 *
 * <p>A failure has no stack trace of its own (it would show evaluator internals); its {@link #traceback()} is the
 * user's view, with cell line numbers.
 */
public abstract sealed class CellFailure extends Exception
        permits CompileFailure, ExceptionFailure, UnresolvedReference, CellInterrupted, ExitRefused {

    private static final long serialVersionUID = 1L;
    private static final String BOLD_RED = "\u001b[1;31m";
    private static final String RESET = "\u001b[0m";

    private final String ename;
    private final String evalue;
    private final List<String> traceback;

    CellFailure(String ename, String evalue, List<String> traceback, Throwable cause) {
        super(evalue, cause, false, false);
        this.ename = ename;
        this.evalue = evalue;
        this.traceback = List.copyOf(traceback);
    }

    /** The error's name, Jupyter's {@code ename}: an exception class name, or a word such as "CompileError". */
    public String ename() {
        return ename;
    }

    /** The error's one-line description, Jupyter's {@code evalue}; never null. */
    public String evalue() {
        return evalue;
    }

    /**
     * The report a notebook shows, one line per element, Jupyter's {@code traceback}. Heading lines (the exception,
     * each diagnostic) are bold red, which reads on light and dark themes; everything else is plain text.
     */
    public List<String> traceback() {
        return traceback(true);
    }

    /** The report, with or without ANSI colour on heading lines. */
    public List<String> traceback(boolean ansi) {
        if (!ansi) {
            return traceback;
        }
        List<String> coloured = new ArrayList<>(traceback.size());
        for (String line : traceback) {
            boolean heading = !line.isEmpty() && !Character.isWhitespace(line.charAt(0));
            coloured.add(heading ? BOLD_RED + line + RESET : line);
        }
        return coloured;
    }

    /** The plain report as one string, for logs and terminals. */
    public String report() {
        return String.join("\n", traceback);
    }
}
