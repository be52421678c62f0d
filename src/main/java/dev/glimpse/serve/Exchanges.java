package dev.glimpse.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** Reading request bodies and sending JSON answers on the JDK's HTTP server. */
final class Exchanges {

    /** The largest request body read: room for several large images as base64. */
    static final long MAX_BODY_BYTES = 64L << 20;

    private Exchanges() {
    }

    /** The request body; {@link ApiError} 413 when it is larger than {@link #MAX_BODY_BYTES}. */
    static byte[] body(HttpExchange exchange) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = exchange.getRequestBody()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
                if (out.size() > MAX_BODY_BYTES) {
                    // the rest is not read: close the connection rather than drain it
                    exchange.getResponseHeaders().set("Connection", "close");
                    throw ApiError.tooLarge(MAX_BODY_BYTES);
                }
            }
        }
        return out.toByteArray();
    }

    static void sendJson(HttpExchange exchange, int status, JsonNode body, ObjectMapper json) throws IOException {
        byte[] bytes = json.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    static void sendError(HttpExchange exchange, ApiError error, ObjectMapper json) throws IOException {
        if (error.status() == 401) {
            exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
        }
        sendJson(exchange, error.status(), error.toJson(json), json);
    }
}
