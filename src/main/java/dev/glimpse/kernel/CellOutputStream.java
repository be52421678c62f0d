package dev.glimpse.kernel;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What {@code System.out} and {@code System.err} write into while the kernel runs. Bytes are gathered and sent as
 * one {@code stream} message a short moment after the first write, so a loop printing thousands of lines makes a
 * few messages, not thousands, and output still appears while the cell runs. Multi-byte UTF-8 characters split
 * across writes are kept whole.
 */
final class CellOutputStream extends OutputStream {
    /** How long text may wait before it is sent; short enough to look live. */
    private static final long BATCH_MILLIS = 20;

    private final String name;
    private final StreamSink sink;
    private final ScheduledExecutorService timer;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPLACE)
            .onUnmappableCharacter(CodingErrorAction.REPLACE);
    private ByteBuffer pending = ByteBuffer.allocate(8192);
    private boolean scheduled;

    CellOutputStream(String name, StreamSink sink, ScheduledExecutorService timer) {
        this.name = name;
        this.sink = sink;
        this.timer = timer;
    }

    @Override
    public void write(int b) {
        write(new byte[]{(byte) b}, 0, 1);
    }

    @Override
    public synchronized void write(byte[] bytes, int offset, int length) {
        if (pending.remaining() < length) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(pending.capacity() * 2, pending.position() + length));
            pending.flip();
            bigger.put(pending);
            pending = bigger;
        }
        pending.put(bytes, offset, length);
        if (!scheduled) {
            scheduled = true;
            timer.schedule(this::send, BATCH_MILLIS, TimeUnit.MILLISECONDS);
        }
    }

    /** Sends are batched; {@link #send()} happens on the timer or when the cell ends. */
    @Override
    public void flush() {
    }

    /** Sends everything written so far, now. */
    void send() {
        String text;
        synchronized (this) {
            scheduled = false;
            if (pending.position() == 0) {
                return;
            }
            pending.flip();
            CharBuffer chars = CharBuffer.allocate(pending.remaining());
            decoder.decode(pending, chars, false); // an incomplete trailing sequence stays in 'pending'
            pending.compact();
            chars.flip();
            text = chars.toString();
        }
        if (!text.isEmpty()) {
            sink.write(name, text);
        }
    }
}
