package dev.glimpse.kernel.jshell;

import java.util.List;

/**
 * Cell code threw. {@link #thrown()} is the real exception (or error, such as {@link StackOverflowError} or
 * {@link OutOfMemoryError}); the traceback shows cell frames with cell line numbers and drops JShell's and the
 * kernel's own frames.
 */
public final class ExceptionFailure extends CellFailure {

    private static final long serialVersionUID = 1L;

    ExceptionFailure(Throwable thrown, List<String> traceback) {
        super(thrown.getClass().getName(), thrown.getMessage() == null ? "" : thrown.getMessage(), traceback, thrown);
    }

    /** What the cell threw. */
    public Throwable thrown() {
        return getCause();
    }
}
