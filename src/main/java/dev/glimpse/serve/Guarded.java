package dev.glimpse.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.UUID;

/**
 * Wraps an API handler: checks the API key when the server has one, turns an {@link ApiError} or an unexpected
 * failure (out of memory included) into an OpenAI error response — a server fault with a request id, its details
 * in the log only — and always closes the exchange, so every request read gets an answer.
 */
final class Guarded implements HttpHandler {

    private static final System.Logger LOG = System.getLogger(Guarded.class.getName());

    private final HttpHandler handler;
    private final byte[] expectedAuthorization;
    private final ObjectMapper json;

    /**
     * @param apiKey the key clients must send as {@code Authorization: Bearer …}, or {@code null} for none
     */
    Guarded(HttpHandler handler, String apiKey, ObjectMapper json) {
        this.handler = handler;
        this.expectedAuthorization = apiKey == null ? null : ("Bearer " + apiKey).getBytes(StandardCharsets.UTF_8);
        this.json = json;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try {
            if (expectedAuthorization != null) {
                checkKey(exchange.getRequestHeaders().getFirst("Authorization"));
            }
            handler.handle(exchange);
        } catch (ApiError e) {
            respond(exchange, e);
        } catch (RuntimeException | OutOfMemoryError | StackOverflowError e) {
            // the client gets an id to quote; the log gets the details, which are none of the client's business
            String id = "req-" + UUID.randomUUID().toString().replace("-", "");
            LOG.log(System.Logger.Level.ERROR, "request " + id + " to " + exchange.getRequestURI().getPath()
                    + " failed", e);
            respond(exchange, e instanceof OutOfMemoryError ? ApiError.outOfMemory(id)
                    : ApiError.serverError("The server failed on request " + id + "; its log has the details."));
        } finally {
            exchange.close();
        }
    }

    private void checkKey(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw ApiError.unauthorized("This server needs an API key: send the header 'Authorization: Bearer "
                    + "<key>' (OpenAI clients: api_key=<key>).");
        }
        // constant time, so the comparison does not leak how much of a guess was right
        byte[] given = authorization.strip().getBytes(StandardCharsets.UTF_8);
        if (given.length > 7 && authorization.strip().regionMatches(true, 0, "Bearer ", 0, 7)) {
            given = ("Bearer " + authorization.strip().substring(7).strip()).getBytes(StandardCharsets.UTF_8);
        }
        if (!MessageDigest.isEqual(given, expectedAuthorization)) {
            throw ApiError.unauthorized("Incorrect API key provided; send the key the server was started with "
                    + "(--api-key or GLIMPSE_API_KEY) as 'Authorization: Bearer <key>'.");
        }
    }

    private void respond(HttpExchange exchange, ApiError error) {
        try {
            Exchanges.sendError(exchange, error, json);
        } catch (IOException e) {
            // headers already sent or the client has gone: nothing more can be said
        }
    }
}
