package dev.glimpse.kernel.protocol;

import dev.glimpse.kernel.memory.HeapReserve;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import java.util.List;

/**
 * A shell or control channel: a ROUTER socket and the one thread that blocks on it, verifies each message and hands
 * it to a {@link RequestHandler}. Replies are sent from the same thread, so the socket is never shared.
 * Unsigned, badly signed or malformed messages are dropped and logged; the loop carries on.
 */
public final class RouterChannel {
    private static final Logger LOG = LoggerFactory.getLogger(RouterChannel.class);

    private final String name;
    private final ZMQ.Socket socket;
    private final WireCodec codec;
    private final Thread thread;
    private volatile RequestHandler handler;

    RouterChannel(String name, ZContext context, String endpoint, WireCodec codec) {
        this.name = name;
        this.codec = codec;
        this.socket = context.createSocket(SocketType.ROUTER);
        socket.setLinger(1000);
        if (!socket.bind(endpoint)) {
            throw new IllegalStateException("Cannot bind the " + name + " channel to " + endpoint);
        }
        this.thread = new Thread(this::loop, "glimpse-" + name);
        thread.setDaemon(true);
    }

    void start(RequestHandler handler) {
        this.handler = handler;
        thread.start();
    }

    /** Sends a message on this channel. Call only from the handler, i.e. on this channel's thread. */
    public void send(Message message) {
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("send on the " + name + " channel from thread "
                    + Thread.currentThread().getName());
        }
        Frames.send(socket, codec.encode(message));
    }

    /** Receives without blocking: the next request already waiting, or {@code null}. For draining the queue. */
    public Message pollWaiting() {
        while (true) {
            byte[] first = socket.recv(ZMQ.DONTWAIT);
            if (first == null) {
                return null;
            }
            List<byte[]> frames = new java.util.ArrayList<>();
            frames.add(first);
            while (socket.hasReceiveMore()) {
                frames.add(socket.recv(0));
            }
            try {
                return codec.decode(frames);
            } catch (MalformedMessageException e) {
                LOG.warn("Dropped a message on the {} channel: {}", name, e.getMessage());
            }
        }
    }

    private void loop() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                if (!serveOne()) {
                    return;
                }
            } catch (OutOfMemoryError e) {
                // a cell filled the heap: give the kernel its reserve; the request is lost, the channel is not
                HeapReserve.instance().release();
            }
        }
    }

    /** Receives and handles one request; false once the context is terminated. */
    private boolean serveOne() {
        List<byte[]> frames = Frames.receive(socket);
        if (frames == null) {
            return false;
        }
        Message request;
        try {
            request = codec.decode(frames);
        } catch (MalformedMessageException e) {
            LOG.warn("Dropped a message on the {} channel: {}", name, e.getMessage());
            return true;
        }
        try {
            handler.handle(request, this);
        } catch (RuntimeException | StackOverflowError | LinkageError e) {
            LOG.error("Handling {} on the {} channel failed", request.type(), name, e);
        }
        return true;
    }
}
