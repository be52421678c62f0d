package dev.glimpse.kernel.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The stdin ROUTER socket: sends {@code input_request} to the frontend that sent the running
 * {@code execute_request} and waits for its {@code input_reply}. The socket is owned by one thread; callers (the cell
 * thread, which may be interrupted) wait on a future, so an interrupt cancels the wait without touching ZeroMQ.
 */
public final class StdinChannel {
    private static final Logger LOG = LoggerFactory.getLogger(StdinChannel.class);

    private record Pending(Message request, CompletableFuture<String> reply) {
    }

    private final ZMQ.Socket socket;
    private final WireCodec codec;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();

    StdinChannel(ZContext context, String endpoint, WireCodec codec) {
        this.codec = codec;
        this.socket = context.createSocket(SocketType.ROUTER);
        socket.setLinger(1000);
        if (!socket.bind(endpoint)) {
            throw new IllegalStateException("Cannot bind the stdin channel to " + endpoint);
        }
        Thread thread = new Thread(this::loop, "glimpse-stdin");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Asks the frontend for a line of input.
     *
     * @param parent   the execute_request being run; its identities address the frontend
     * @param prompt   text shown before the input box
     * @param password whether the frontend should hide what is typed
     * @param session  this kernel's session id
     * @return the text the user entered
     * @throws InterruptedException if the waiting thread is interrupted (the cell was interrupted)
     */
    public String requestInput(Message parent, String prompt, boolean password, String session)
            throws InterruptedException {
        ObjectNode content = Json.object();
        content.put("prompt", prompt);
        content.put("password", password);
        CompletableFuture<String> reply = new CompletableFuture<>();
        queue.add(new Pending(parent.reply("input_request", content, session), reply));
        try {
            return reply.get();
        } catch (InterruptedException e) {
            reply.cancel(false);
            throw e;
        } catch (ExecutionException e) {
            throw new IllegalStateException("No input: " + e.getCause().getMessage(), e.getCause());
        }
    }

    private void loop() {
        while (true) {
            Pending pending;
            try {
                pending = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (pending.reply().isDone()) {
                continue;
            }
            Frames.send(socket, codec.encode(pending.request()));
            // Wait for the reply, checking now and then whether the cell gave up waiting.
            socket.setReceiveTimeOut(200);
            while (!pending.reply().isDone()) {
                List<byte[]> frames = receiveOrTimeout();
                if (frames == null) {
                    continue;
                }
                try {
                    Message reply = codec.decode(frames);
                    if ("input_reply".equals(reply.type())) {
                        pending.reply().complete(reply.content().path("value").asText(""));
                    } else {
                        LOG.warn("Ignored {} on the stdin channel", reply.type());
                    }
                } catch (MalformedMessageException e) {
                    LOG.warn("Dropped a message on the stdin channel: {}", e.getMessage());
                }
            }
        }
    }

    private List<byte[]> receiveOrTimeout() {
        byte[] first = socket.recv(0);
        if (first == null) {
            return null;
        }
        List<byte[]> frames = new java.util.ArrayList<>();
        frames.add(first);
        while (socket.hasReceiveMore()) {
            frames.add(socket.recv(0));
        }
        return frames;
    }

}
