package dev.glimpse.kernel.jshell;

/**
 * Stand-ins for the calls that would end the kernel JVM. Snippet bytecode is rewritten to call these methods instead of
 * {@link System#exit(int)}, {@link Runtime#exit(int)} and {@link Runtime#halt(int)}; each throws
 * {@link ExitRefusedError}. Public only because snippet classes live in another class loader.
 */
public final class ExitGuard {

    private ExitGuard() {
    }

    /** Replaces {@link System#exit(int)} in snippet code. */
    public static void exit(int status) {
        throw new ExitRefusedError("System.exit", status);
    }

    /** Replaces {@link Runtime#exit(int)} in snippet code. */
    public static void runtimeExit(Runtime runtime, int status) {
        throw new ExitRefusedError("Runtime.exit", status);
    }

    /** Replaces {@link Runtime#halt(int)} in snippet code. */
    public static void runtimeHalt(Runtime runtime, int status) {
        throw new ExitRefusedError("Runtime.halt", status);
    }
}
