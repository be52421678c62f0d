package dev.glimpse.serve.http;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One client connection of an {@link HttpFront}. Reading is done by the front's selector thread alone and never
 * blocks: the head, then the body, against the request deadline. Once a request has fully arrived it goes to a
 * handler thread, which writes the answer ({@link #write}); meanwhile the selector goes on reading, only to notice
 * a client that hangs up (and to keep a pipelined next request for later).
 */
final class FrontConnection {

    private enum State { IDLE, HEAD, BODY, HANDLING }

    private static final ThreadLocal<Selector> WRITE_SELECTOR = ThreadLocal.withInitial(() -> {
        try {
            return Selector.open();
        } catch (IOException e) {
            throw new IllegalStateException("cannot open a selector", e);
        }
    });

    private final HttpFront front;
    private final SocketChannel channel;
    private final InetAddress client;
    private final byte[] in;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicLong heldBodyBytes = new AtomicLong();
    private final Object writeLock = new Object();
    private SelectionKey key;
    private int inLength;
    private State state = State.IDLE;
    private long deadline;
    private long since;
    private RequestHead head;
    private byte[] body;
    private int bodyLength;
    private volatile boolean gone;

    FrontConnection(HttpFront front, SocketChannel channel, InetAddress client) {
        this.front = front;
        this.channel = channel;
        this.client = client;
        this.in = new byte[front.limits().maxHeadBytes()];
        // a connection must send its first request as promptly as any request
        this.since = System.nanoTime();
        this.deadline = since + front.limits().requestTimeout().toNanos();
    }

    InetAddress client() {
        return client;
    }

    /** Selector thread: whether the connection waits for a request to arrive (none is being answered). */
    boolean waiting() {
        return state != State.HANDLING && !closed.get();
    }

    /** Selector thread: since when the connection has waited (for its first byte, or for its request to end). */
    long waitingSince() {
        return since;
    }

    SocketChannel channel() {
        return channel;
    }

    /** Whether the client has hung up or the connection was closed. */
    boolean isGone() {
        return gone;
    }

    void register(Selector selector) throws ClosedChannelException {
        key = channel.register(selector, SelectionKey.OP_READ, this);
    }

    /** Selector thread: bytes (or the end) arrived. */
    void readable() {
        try {
            switch (state) {
                case IDLE, HEAD -> {
                    int n = channel.read(ByteBuffer.wrap(in, inLength, in.length - inLength));
                    if (n < 0) {
                        close();
                        return;
                    }
                    if (state == State.IDLE && n > 0) {
                        state = State.HEAD;
                        deadline = System.nanoTime() + front.limits().requestTimeout().toNanos();
                    }
                    inLength += n;
                    headArrived();
                }
                case BODY -> {
                    int n = channel.read(ByteBuffer.wrap(body, bodyLength, body.length - bodyLength));
                    if (n < 0) {
                        close();
                        return;
                    }
                    bodyLength += n;
                    if (bodyLength == body.length) {
                        dispatch();
                    }
                }
                case HANDLING -> {
                    if (inLength == in.length) {
                        key.interestOps(0); // a pipelined request waits unread until this one is answered
                        return;
                    }
                    int n = channel.read(ByteBuffer.wrap(in, inLength, in.length - inLength));
                    if (n < 0) {
                        close(); // the client hung up: the handler learns it through isGone()
                        return;
                    }
                    inLength += n;
                }
            }
        } catch (IOException e) {
            close();
        }
    }

    /** Selector thread: closes a connection whose request or idle time is up. */
    void tick(long now) {
        if (state == State.HANDLING || now - deadline < 0) {
            return;
        }
        if (state == State.IDLE) {
            close();
        } else {
            refuse(408, "The request did not arrive within " + front.limits().requestTimeout().toSeconds()
                    + " s; send it whole at once.");
        }
    }

    /** Selector thread: the answer is out and the connection stays; read the next request. */
    void resume() {
        if (closed.get()) {
            return;
        }
        head = null;
        body = null;
        bodyLength = 0;
        state = State.IDLE;
        since = System.nanoTime();
        deadline = since + front.limits().idleTimeout().toNanos();
        key.interestOps(SelectionKey.OP_READ);
        if (inLength > 0) {
            state = State.HEAD;
            deadline = System.nanoTime() + front.limits().requestTimeout().toNanos();
            headArrived();
        }
    }

    private void headArrived() {
        int end = RequestHead.end(in, inLength);
        if (end < 0) {
            if (inLength == in.length) {
                refuse(431, "The request line and headers are larger than " + in.length + " bytes.");
            }
            return;
        }
        try {
            head = RequestHead.parse(in, end);
        } catch (RequestHead.Malformed e) {
            refuse(e.status, e.getMessage());
            return;
        }
        HttpLimits limits = front.limits();
        if (head.contentLength() > limits.maxBodyBytes()) {
            refuse(413, "The request body is " + head.contentLength() + " bytes; this server accepts at most "
                    + limits.maxBodyBytes() + " bytes (" + (limits.maxBodyBytes() >> 20) + " MiB).");
            return;
        }
        int length = (int) head.contentLength();
        if (!front.reserveBody(length)) {
            refuse(503, "The server holds as many request bodies as it can; retry in a moment.");
            return;
        }
        heldBodyBytes.set(length);
        body = new byte[length];
        bodyLength = Math.min(length, inLength - end);
        System.arraycopy(in, end, body, 0, bodyLength);
        int used = end + bodyLength;
        System.arraycopy(in, used, in, 0, inLength - used);
        inLength -= used;
        if (bodyLength < length) {
            if (head.expectContinue()) {
                try {
                    channel.write(ByteBuffer.wrap("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
                } catch (IOException e) {
                    close();
                    return;
                }
            }
            state = State.BODY;
        } else {
            dispatch();
        }
    }

    private void dispatch() {
        state = State.HANDLING;
        FrontExchange exchange = new FrontExchange(this, head, body);
        body = null;
        front.dispatch(exchange);
    }

    /** Frees the memory the request's body was counted against. */
    void releaseBody() {
        front.releaseBody(heldBodyBytes.getAndSet(0));
    }

    /** The answer is complete: wait for the next request, or close. */
    void answered(boolean keepOpen) {
        releaseBody();
        if (keepOpen && !gone) {
            front.post(this::resume);
        } else {
            close();
        }
    }

    /**
     * Answers with an error and closes, without a handler: for requests refused before they are read. The
     * message is plain text of ours, in OpenAI's error shape.
     */
    void refuse(int status, String message) {
        try {
            channel.write(ByteBuffer.wrap(errorResponse(status, message)));
        } catch (IOException e) {
            // the client is gone already
        }
        close();
    }

    static void refuseAtAccept(SocketChannel channel, String message) {
        try (channel) {
            channel.configureBlocking(false);
            channel.write(ByteBuffer.wrap(errorResponse(503, message)));
        } catch (IOException e) {
            // the client is gone already
        }
    }

    private static byte[] errorResponse(int status, String message) {
        String json = "{\"error\":{\"message\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"")
                + "\",\"type\":\"" + (status >= 500 && status != 503 ? "server_error" : "invalid_request_error")
                + "\",\"param\":null,\"code\":null}}";
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + Reasons.phrase(status) + "\r\nContent-Type: application/json\r\n"
                + (status == 503 ? "Retry-After: 1\r\n" : "") + "Content-Length: " + bytes.length
                + "\r\nConnection: close\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[h.length + bytes.length];
        System.arraycopy(h, 0, out, 0, h.length);
        System.arraycopy(bytes, 0, out, h.length, bytes.length);
        return out;
    }

    /**
     * Handler thread: writes all of {@code buffers}, waiting while the client's window is full, but no longer than
     * the write timeout without progress; then the connection is closed and the write fails.
     */
    void write(ByteBuffer... buffers) throws IOException {
        synchronized (writeLock) {
            long stall = front.limits().writeTimeout().toNanos();
            long until = System.nanoTime() + stall;
            while (remaining(buffers) > 0) {
                if (closed.get()) {
                    throw new IOException("the connection is closed");
                }
                long n;
                try {
                    n = channel.write(buffers);
                } catch (IOException e) {
                    close();
                    throw e;
                }
                if (n > 0) {
                    until = System.nanoTime() + stall;
                    continue;
                }
                long left = until - System.nanoTime();
                if (left <= 0) {
                    close();
                    throw new IOException("the client took no data for " + front.limits().writeTimeout());
                }
                awaitWritable(left);
            }
        }
    }

    private void awaitWritable(long nanos) throws IOException {
        Selector selector = WRITE_SELECTOR.get();
        SelectionKey k = channel.register(selector, SelectionKey.OP_WRITE);
        try {
            selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.min(nanos, 250_000_000L))));
        } finally {
            k.cancel();
            selector.selectNow();
        }
    }

    private static long remaining(ByteBuffer[] buffers) {
        long n = 0;
        for (ByteBuffer b : buffers) {
            n += b.remaining();
        }
        return n;
    }

    /** Closes the connection (once; from any thread). */
    void close() {
        gone = true;
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        releaseBody();
        try {
            channel.close();
        } catch (IOException e) {
            // closed anyway
        }
        if (front.onSelectorThread()) {
            front.closed(this);
        } else {
            front.post(() -> front.closed(this));
        }
    }
}
