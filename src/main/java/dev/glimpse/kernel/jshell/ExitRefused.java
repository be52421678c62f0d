package dev.glimpse.kernel.jshell;

import java.util.List;

/**
 * The cell called {@code System.exit}, {@code Runtime.exit} or {@code Runtime.halt}, which would end the kernel; the
 * call was refused and the kernel keeps running.
 */
public final class ExitRefused extends CellFailure {

    private static final long serialVersionUID = 1L;

    private final int status;

    ExitRefused(ExitRefusedError refused, List<String> traceback) {
        super("ExitRefused", refused.getMessage(), traceback, refused);
        this.status = refused.status();
    }

    /** The exit status the cell asked for. */
    public int status() {
        return status;
    }
}
