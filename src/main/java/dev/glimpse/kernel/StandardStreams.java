package dev.glimpse.kernel;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The notebook's {@code System.out} and {@code System.err}. A cell may close them ({@code System.out.close()}) or
 * replace them ({@code System.setOut(..)}); {@link #restore()}, called as each cell starts, puts the notebook's streams
 * back, so one cell cannot silence every later one.
 */
final class StandardStreams {

    private final OutputStream stdout;
    private final OutputStream stderr;
    private NotebookPrintStream out;
    private NotebookPrintStream err;

    StandardStreams(OutputStream stdout, OutputStream stderr) {
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** Installs the notebook's streams as {@code System.out} and {@code System.err}, fresh ones where closed. */
    synchronized void restore() {
        if (out == null || out.closed) {
            out = new NotebookPrintStream(stdout);
        }
        if (err == null || err.closed) {
            err = new NotebookPrintStream(stderr);
        }
        if (System.out != out) {
            System.setOut(out);
        }
        if (System.err != err) {
            System.setErr(err);
        }
    }

    /** A closed {@link PrintStream} drops every later write without a word; this one remembers that it was closed. */
    private static final class NotebookPrintStream extends PrintStream {
        private volatile boolean closed;

        NotebookPrintStream(OutputStream target) {
            super(target, true, StandardCharsets.UTF_8);
        }

        @Override
        public void close() {
            closed = true;
            super.close();
        }
    }
}
