package dev.glimpse.serve;

import dev.glimpse.engine.GenerationOptions;
import dev.glimpse.serve.http.HttpLimits;

import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * How to serve a model.
 *
 * @param host                  the address to listen on; {@code 127.0.0.1} (this machine only) unless the server
 *                              should be reachable from elsewhere ({@code 0.0.0.0} for every interface)
 * @param port                  the TCP port, or 0 for a free one
 * @param apiKey                the key clients must send as {@code Authorization: Bearer …}, or {@code null} for
 *                              none
 * @param servedModelName       the model id clients send and {@code GET /v1/models} lists
 * @param allowedLocalMediaPath the directory whose image files requests may name by path or {@code file://} URL,
 *                              or {@code null} to allow none (the default: see {@link ChatServer} on why)
 * @param defaults              the generation options of a request that sets none (its fields override them)
 * @param httpThreads           threads reading requests and writing answers; requests beyond them wait for one
 * @param requestLog            called once per chat completion request when the server is done with it
 * @param limits                how much work one request may ask for: images, pixels, prompt tokens
 * @param http                  what one client may hold of the server: request deadline, connections per client,
 *                              body size
 */
public record ServeOptions(String host, int port, String apiKey, String servedModelName, Path allowedLocalMediaPath,
                           GenerationOptions defaults, int httpThreads, Consumer<RequestRecord> requestLog,
                           RequestLimits limits, HttpLimits http) {

    /** The default address: this machine only. */
    public static final String LOOPBACK = "127.0.0.1";

    /** The default port, vLLM's and SGLang's too. */
    public static final int DEFAULT_PORT = 8000;

    public ServeOptions {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(servedModelName, "servedModelName");
        Objects.requireNonNull(defaults, "defaults");
        Objects.requireNonNull(requestLog, "requestLog");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(http, "http");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0 (any free port) to 65535, was " + port);
        }
        if (servedModelName.isBlank()) {
            throw new IllegalArgumentException("servedModelName must not be blank");
        }
        if (httpThreads < 1) {
            throw new IllegalArgumentException("httpThreads must be at least 1, was " + httpThreads);
        }
        if (apiKey != null && apiKey.isBlank()) {
            apiKey = null;
        }
    }

    /**
     * Serving {@code servedModelName} on 127.0.0.1:8000 without an API key or local files, with
     * {@link GenerationOptions#DEFAULT} at most 1024 new tokens, 32 HTTP threads, no request log,
     * {@link RequestLimits#DEFAULT} and {@link HttpLimits#DEFAULT}.
     */
    public static ServeOptions of(String servedModelName) {
        return new ServeOptions(LOOPBACK, DEFAULT_PORT, null, servedModelName, null,
                GenerationOptions.DEFAULT.withMaxNewTokens(1024), 32, r -> { }, RequestLimits.DEFAULT,
                HttpLimits.DEFAULT);
    }

    public ServeOptions withHost(String h) {
        return new ServeOptions(h, port, apiKey, servedModelName, allowedLocalMediaPath, defaults, httpThreads,
                requestLog, limits, http);
    }

    public ServeOptions withPort(int p) {
        return new ServeOptions(host, p, apiKey, servedModelName, allowedLocalMediaPath, defaults, httpThreads,
                requestLog, limits, http);
    }

    public ServeOptions withApiKey(String key) {
        return new ServeOptions(host, port, key, servedModelName, allowedLocalMediaPath, defaults, httpThreads,
                requestLog, limits, http);
    }

    public ServeOptions withServedModelName(String name) {
        return new ServeOptions(host, port, apiKey, name, allowedLocalMediaPath, defaults, httpThreads, requestLog,
                limits, http);
    }

    public ServeOptions withAllowedLocalMediaPath(Path dir) {
        return new ServeOptions(host, port, apiKey, servedModelName, dir, defaults, httpThreads, requestLog,
                limits, http);
    }

    public ServeOptions withDefaults(GenerationOptions o) {
        return new ServeOptions(host, port, apiKey, servedModelName, allowedLocalMediaPath, o, httpThreads,
                requestLog, limits, http);
    }

    public ServeOptions withHttpThreads(int n) {
        return new ServeOptions(host, port, apiKey, servedModelName, allowedLocalMediaPath, defaults, n, requestLog,
                limits, http);
    }

    public ServeOptions withRequestLog(Consumer<RequestRecord> log) {
        return new ServeOptions(host, port, apiKey, servedModelName, allowedLocalMediaPath, defaults, httpThreads,
                log, limits, http);
    }

    public ServeOptions withLimits(RequestLimits l) {
        return new ServeOptions(host, port, apiKey, servedModelName, allowedLocalMediaPath, defaults, httpThreads,
                requestLog, l, http);
    }

    public ServeOptions withHttp(HttpLimits h) {
        return new ServeOptions(host, port, apiKey, servedModelName, allowedLocalMediaPath, defaults, httpThreads,
                requestLog, limits, h);
    }
}
