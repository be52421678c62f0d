package dev.glimpse.kernel.jshell;

/**
 * Thrown inside cell code when the user interrupts the cell. An {@link Error}, so that {@code catch (Exception e)}
 * in user code lets it through; catching {@code Throwable} swallows it only until the next loop iteration or call.
 */
public final class CellInterruptedError extends Error {

    private static final long serialVersionUID = 1L;

    /** Creates the error with the message "Interrupted". */
    public CellInterruptedError() {
        super("Interrupted");
    }
}
