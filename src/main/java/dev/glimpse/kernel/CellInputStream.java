package dev.glimpse.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code System.in} inside the kernel: each time a cell reads past what it has, the frontend shows an input box
 * ({@code input_request}) and the line the user types comes back followed by a newline.
 */
final class CellInputStream extends InputStream {

    /** Asks the frontend for one line. */
    @FunctionalInterface
    interface LineSource {
        String readLine(String prompt, boolean password) throws IOException;
    }

    private final LineSource source;
    private byte[] buffer = new byte[0];
    private int position;

    CellInputStream(LineSource source) {
        this.source = source;
    }

    @Override
    public synchronized int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return buffer[position++] & 0xff;
    }

    @Override
    public synchronized int read(byte[] target, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(length, buffer.length - position);
        System.arraycopy(buffer, position, target, offset, n);
        position += n;
        return n;
    }

    @Override
    public synchronized int available() {
        return buffer.length - position;
    }

    private boolean fill() throws IOException {
        if (position < buffer.length) {
            return true;
        }
        String line = source.readLine("", false);
        if (line == null) {
            return false;
        }
        buffer = (line + "\n").getBytes(StandardCharsets.UTF_8);
        position = 0;
        return true;
    }
}
