package dev.glimpse.kernel;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glimpse.kernel.protocol.Json;
import dev.glimpse.kernel.protocol.Message;
import dev.glimpse.kernel.protocol.RequestHandler;
import dev.glimpse.kernel.protocol.RouterChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.TimeUnit;

/**
 * Answers the control channel: interrupts, shutdowns and kernel_info, on its own thread, so they are served while a
 * cell runs.
 */
final class ControlRequests implements RequestHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ControlRequests.class);

    private final GlimpseKernel kernel;

    ControlRequests(GlimpseKernel kernel) {
        this.kernel = kernel;
    }

    @Override
    public void handle(Message request, RouterChannel channel) {
        switch (request.type()) {
            case "interrupt_request" -> {
                kernel.interrupt();
                ObjectNode reply = Json.object();
                reply.put("status", "ok");
                ShellRequests.reply(channel, request, "interrupt_reply", reply);
            }
            case "shutdown_request" -> shutdown(kernel, request, channel);
            case "kernel_info_request" -> ShellRequests.reply(channel, request, "kernel_info_reply",
                    KernelInfo.content());
            default -> LOG.warn("Unknown message type {} on the control channel; ignored", request.type());
        }
    }

    /** Replies, lets extensions clean up, flushes IOPub and ends the process; a restart is the client's job. */
    static void shutdown(GlimpseKernel kernel, Message request, RouterChannel channel) {
        boolean restart = request.content().path("restart").asBoolean(false);
        ObjectNode reply = Json.object();
        reply.put("status", "ok");
        reply.put("restart", restart);
        ShellRequests.reply(channel, request, "shutdown_reply", reply);
        kernel.publisher().status(request, "idle");
        try {
            kernel.onShutdown(restart);
        } catch (RuntimeException e) {
            LOG.warn("Shutdown hook failed", e);
        }
        try {
            kernel.sockets().iopub().flush(2, TimeUnit.SECONDS);
            Thread.sleep(50); // let ZeroMQ hand the last frames to the network before the process ends
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Runtime.getRuntime().exit(0);
    }
}
