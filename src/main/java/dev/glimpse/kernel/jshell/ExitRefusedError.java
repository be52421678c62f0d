package dev.glimpse.kernel.jshell;

/**
 * Thrown inside cell code in place of {@code System.exit}, {@code Runtime.exit} or {@code Runtime.halt}, which would
 * end the kernel. An {@link Error}, so that {@code catch (Exception e)} does not swallow it.
 */
public final class ExitRefusedError extends Error {

    private static final long serialVersionUID = 1L;

    private final String call;
    private final int status;

    ExitRefusedError(String call, int status) {
        super(call + " is not allowed in a notebook cell; restart the kernel from the Kernel menu instead");
        this.call = call;
        this.status = status;
    }

    /** The refused call, such as {@code "System.exit"} or {@code "Runtime.halt"}. */
    public String call() {
        return call;
    }

    /** The exit status the cell asked for. */
    public int status() {
        return status;
    }
}
