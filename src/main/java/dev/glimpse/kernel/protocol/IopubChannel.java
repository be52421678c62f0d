package dev.glimpse.kernel.protocol;

import dev.glimpse.kernel.memory.HeapReserve;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The IOPub PUB socket. Any thread may publish; one sender thread owns the socket. This keeps ZeroMQ away from
 * threads that user code may interrupt (an interrupted thread writing to an NIO pipe closes it for good) and keeps
 * messages in publish order.
 */
public final class IopubChannel {
    private static final Logger LOG = LoggerFactory.getLogger(IopubChannel.class);

    private final ZMQ.Socket socket;
    private final WireCodec codec;
    private final BlockingQueue<Item> queue = new LinkedBlockingQueue<>();
    private final Thread thread;

    /** What the sender thread takes from the queue: a message to send, or a point to signal once reached. */
    private sealed interface Item {
    }

    private record Publish(Message message) implements Item {
    }

    private record Flushed(CountDownLatch done) implements Item {
    }

    IopubChannel(ZContext context, String endpoint, WireCodec codec) {
        this.codec = codec;
        this.socket = context.createSocket(SocketType.PUB);
        socket.setLinger(1000);
        if (!socket.bind(endpoint)) {
            throw new IllegalStateException("Cannot bind the iopub channel to " + endpoint);
        }
        this.thread = new Thread(this::loop, "glimpse-iopub");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Queues a message for publishing, with the topic {@code kernel.<session>.<msg_type>} as ipykernel sends it.
     * Never blocks on the network.
     */
    public void publish(Message message) {
        byte[] topic = ("kernel." + message.header().session() + "." + message.type())
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        queue.add(new Publish(new Message(List.of(topic), message.header(), message.parentHeader(),
                message.metadata(), message.content(), message.buffers())));
    }

    /** Waits until everything published so far has been handed to ZeroMQ, or the timeout passes. */
    public boolean flush(long timeout, TimeUnit unit) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        queue.add(new Flushed(done));
        return done.await(timeout, unit);
    }

    private void loop() {
        while (true) {
            Item item;
            try {
                item = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (item instanceof Flushed flushed) {
                flushed.done().countDown();
            } else if (item instanceof Publish publish) {
                send(publish.message());
            }
        }
    }

    private void send(Message message) {
        try {
            List<byte[]> frames = codec.encode(message);
            for (int i = 0; i < frames.size(); i++) {
                socket.send(frames.get(i), i < frames.size() - 1 ? ZMQ.SNDMORE : 0);
            }
        } catch (RuntimeException e) {
            LOG.error("Publishing {} failed", message.type(), e);
        } catch (OutOfMemoryError e) {
            HeapReserve.instance().release(); // a cell filled the heap: this message is lost, not the channel
        }
    }
}
