package dev.glimpse.kernel.jshell;

import java.util.List;

/**
 * The user interrupted the cell. The traceback starts with "Interrupted" and shows where the cell code was.
 * Snippets after the interrupted one did not run.
 */
public final class CellInterrupted extends CellFailure {

    private static final long serialVersionUID = 1L;

    private final boolean threadLeftRunning;

    CellInterrupted(List<String> traceback, boolean threadLeftRunning, Throwable cause) {
        super("Interrupted", "Interrupted", traceback, cause);
        this.threadLeftRunning = threadLeftRunning;
    }

    /**
     * Whether the cell's thread was busy in library code that ignores interrupts and had to be left running; it dies
     * when it next enters cell code. Restarting the kernel ends it for sure.
     */
    public boolean threadLeftRunning() {
        return threadLeftRunning;
    }
}
