package dev.glimpse.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;

/**
 * {@code GET /v1/models} (the list: the one served model) and {@code GET /v1/models/{id}}. Each model says, under
 * {@code glimpse}, that the server generates one answer at a time ({@code max_concurrent_generations: 1}):
 * concurrent requests are answered correctly, in arrival order, so a client gains from keeping a few in flight
 * only what overlaps with the network.
 */
final class ModelsHandler implements HttpHandler {

    static final String PATH = "/v1/models";

    private final ObjectMapper json;
    private final String model;
    private final long created;

    ModelsHandler(ObjectMapper json, String model, long created) {
        this.json = json;
        this.model = model;
        this.created = created;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        if (!exchange.getRequestMethod().equals("GET")) {
            throw ApiError.methodNotAllowed(exchange.getRequestMethod(), path, "GET");
        }
        if (path.equals(PATH) || path.equals(PATH + "/")) {
            ObjectNode list = json.createObjectNode();
            list.put("object", "list");
            list.putArray("data").add(model());
            Exchanges.sendJson(exchange, 200, list, json);
        } else if (path.equals(PATH + "/" + model)) {
            Exchanges.sendJson(exchange, 200, model(), json);
        } else {
            String id = path.startsWith(PATH + "/") ? path.substring(PATH.length() + 1) : path;
            throw ApiError.modelNotFound(id, model);
        }
    }

    private ObjectNode model() {
        ObjectNode m = json.createObjectNode();
        m.put("id", model);
        m.put("object", "model");
        m.put("created", created);
        m.put("owned_by", "glimpse");
        m.putObject("glimpse").put("max_concurrent_generations", 1)
                .put("queue", "concurrent requests wait in arrival order");
        return m;
    }
}
