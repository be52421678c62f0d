package dev.glimpse.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glimpse.kernel.history.HistoryEntry;
import dev.glimpse.kernel.history.HistoryStore;
import dev.glimpse.kernel.protocol.Json;

import java.util.List;

/** Answers {@code history_request} (tail, range, search) from the kernel's own {@link HistoryStore}. */
final class HistoryReplies {
    private HistoryReplies() {
    }

    static ObjectNode reply(HistoryStore store, JsonNode request) {
        boolean output = request.path("output").asBoolean(false);
        int n = request.hasNonNull("n") ? request.get("n").asInt() : HistoryStore.ALL;
        List<HistoryEntry> entries = switch (request.path("hist_access_type").asText("tail")) {
            case "range" -> store.range(request.path("session").asInt(0), request.path("start").asInt(1),
                    request.hasNonNull("stop") ? request.get("stop").asInt() : Integer.MAX_VALUE, output);
            case "search" -> store.search(request.path("pattern").asText("*"), n,
                    request.path("unique").asBoolean(false), output);
            default -> store.tail(request.hasNonNull("n") ? n : 10, output);
        };
        ObjectNode reply = Json.object();
        reply.put("status", "ok");
        ArrayNode history = reply.putArray("history");
        for (HistoryEntry entry : entries) {
            ArrayNode row = history.addArray();
            row.add(entry.session());
            row.add(entry.line());
            if (output) {
                ArrayNode pair = row.addArray();
                pair.add(entry.input());
                if (entry.output() == null) {
                    pair.addNull();
                } else {
                    pair.add(entry.output());
                }
            } else {
                row.add(entry.input());
            }
        }
        return reply;
    }
}
