package dev.glimpse.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glimpse.kernel.protocol.Json;
import dev.glimpse.kernel.protocol.Message;
import dev.glimpse.kernel.protocol.RequestHandler;
import dev.glimpse.kernel.protocol.RouterChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers the shell channel, one request at a time, each wrapped in {@code busy}/{@code idle} status messages.
 * Unknown message types are logged and ignored, as ipykernel does.
 */
final class ShellRequests implements RequestHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ShellRequests.class);

    private final GlimpseKernel kernel;
    private final ExecuteRequests execute;
    private final Publisher publisher;

    ShellRequests(GlimpseKernel kernel) {
        this.kernel = kernel;
        this.publisher = kernel.publisher();
        this.execute = new ExecuteRequests(kernel, this);
    }

    @Override
    public void handle(Message request, RouterChannel channel) {
        publisher.status(request, "busy");
        try {
            switch (request.type()) {
                case "execute_request" -> execute.handle(request, channel);
                case "kernel_info_request" -> reply(channel, request, "kernel_info_reply", KernelInfo.content());
                case "complete_request" -> reply(channel, request, "complete_reply", complete(request.content()));
                case "inspect_request" -> reply(channel, request, "inspect_reply", inspect(request.content()));
                case "is_complete_request" -> reply(channel, request, "is_complete_reply",
                        isComplete(request.content()));
                case "history_request" -> reply(channel, request, "history_reply",
                        HistoryReplies.reply(kernel.history(), request.content()));
                case "comm_info_request" -> reply(channel, request, "comm_info_reply", commInfo());
                case "comm_open" -> publisher.commClose(request, request.content().path("comm_id").asText());
                case "comm_msg", "comm_close" -> LOG.debug("Ignored {}: no comm targets are registered",
                        request.type());
                case "shutdown_request" -> ControlRequests.shutdown(kernel, request, channel);
                default -> LOG.warn("Unknown message type {} on the shell channel; ignored", request.type());
            }
        } catch (RuntimeException e) {
            LOG.error("{} failed", request.type(), e);
            ObjectNode error = ErrorReport.of(e).toJson();
            error.put("status", "error");
            reply(channel, request, request.type().replace("_request", "_reply"), error);
        } finally {
            publisher.status(request, "idle");
        }
    }

    static void reply(RouterChannel channel, Message request, String type, ObjectNode content) {
        channel.send(request.reply(type, content, GlimpseKernel.instance().publisher().session()));
    }

    private ObjectNode complete(JsonNode request) {
        String code = request.path("code").asText("");
        int cursor = request.path("cursor_pos").asInt(code.length());
        var options = kernel.complete(code, cursor);
        ObjectNode reply = Json.object();
        reply.put("status", "ok");
        ArrayNode matches = reply.putArray("matches");
        options.getReplacements().forEach(matches::add);
        reply.put("cursor_start", options.getSourceStart());
        reply.put("cursor_end", options.getSourceEnd());
        reply.putObject("metadata");
        return reply;
    }

    private ObjectNode inspect(JsonNode request) {
        String code = request.path("code").asText("");
        int cursor = request.path("cursor_pos").asInt(code.length());
        var found = kernel.inspect(code, cursor, request.path("detail_level").asInt(0) > 0);
        ObjectNode reply = Json.object();
        reply.put("status", "ok");
        reply.put("found", found != null);
        if (found != null) {
            ObjectNode bundle = DisplayBundles.toJson(found);
            reply.set("data", bundle.get("data"));
            reply.set("metadata", bundle.get("metadata"));
        } else {
            reply.putObject("data");
            reply.putObject("metadata");
        }
        return reply;
    }

    private ObjectNode isComplete(JsonNode request) {
        String result = kernel.isComplete(request.path("code").asText(""));
        ObjectNode reply = Json.object();
        switch (result) {
            case GlimpseKernel.IS_COMPLETE_YES -> reply.put("status", "complete");
            case GlimpseKernel.IS_COMPLETE_BAD -> reply.put("status", "invalid");
            case GlimpseKernel.IS_COMPLETE_MAYBE -> reply.put("status", "unknown");
            default -> {
                reply.put("status", "incomplete");
                reply.put("indent", result);
            }
        }
        return reply;
    }

    private static ObjectNode commInfo() {
        ObjectNode reply = Json.object();
        reply.put("status", "ok");
        reply.putObject("comms");
        return reply;
    }
}
