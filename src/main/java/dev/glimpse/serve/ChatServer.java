package dev.glimpse.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import dev.glimpse.engine.ImageLoader;
import dev.glimpse.engine.VisionLanguageModel;
import dev.glimpse.serve.http.HttpFront;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenAI-compatible HTTP server over a {@link VisionLanguageModel}, on an {@link HttpFront} that reads requests
 * without blocking, under deadlines and per-client bounds ({@link ServeOptions#http()}).
 *
 * <pre>{@code
 * try (ChatServer server = ChatServer.start(model, ServeOptions.of("glimpse-tiny").withPort(8000))) {
 *     System.out.println("serving at " + server.baseUrl());   // http://127.0.0.1:8000/v1
 *     ...
 * }
 * }</pre>
 *
 * <p>Endpoints: {@code POST /v1/chat/completions} (streamed or not), {@code GET /v1/models},
 * {@code GET /v1/models/{id}}, {@code GET /health} (no key needed), and the web page at {@code GET /} (no key
 * needed to load it; it asks for the key and sends it with its API calls). Requests are read by one selector thread,
 * checked on a pool of HTTP threads and answered one at a time, in arrival order, by the model; clients beyond the
 * first wait in the queue. {@code /health} and {@code /v1/models} run on threads of their own, so they answer
 * while every HTTP thread waits for the model.
 *
 * <p>Security: the server listens on 127.0.0.1 unless told otherwise. With an API key, every {@code /v1} request
 * must carry it. Images come inline as data URLs; image files on the server's disk are read only from the
 * directory given as {@link ServeOptions#allowedLocalMediaPath()}, because otherwise anyone who can reach the
 * server could read any image its user can (and probe which files exist). URLs on the web are never fetched.
 */
public final class ChatServer implements AutoCloseable {

    private final HttpFront server;
    private final ExecutorService httpThreads;
    private final ExecutorService quickThreads;
    private final GenerationQueue queue;
    private final String host;
    private volatile boolean closing;

    private ChatServer(HttpFront server, ExecutorService httpThreads, ExecutorService quickThreads,
                       GenerationQueue queue, String host) {
        this.server = server;
        this.httpThreads = httpThreads;
        this.quickThreads = quickThreads;
        this.queue = queue;
        this.host = host;
    }

    /**
     * Starts serving. The caller keeps the model: close the server first, then the model.
     *
     * @throws IllegalArgumentException when the port is taken or the address is not this machine's
     * @throws UncheckedIOException     when the server cannot start for another reason
     */
    public static ChatServer start(VisionLanguageModel model, ServeOptions options) {
        ObjectMapper json = JsonLimits.mapper();
        ImageUrls images = new ImageUrls(options.allowedLocalMediaPath(), new ImageLoader(),
                options.http().maxBodyBytes());
        HttpFront http;
        try {
            http = HttpFront.open(new InetSocketAddress(options.host(), options.port()), options.http());
        } catch (BindException e) {
            throw new IllegalArgumentException("Cannot listen on " + options.host() + ":" + options.port() + " ("
                    + e.getMessage() + "): " + (options.port() == 0 ? "is the address one of this machine's?"
                    : "is another server using the port? Pick another with --port, or 0 for any free one."), e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the HTTP server on " + options.host() + ":"
                    + options.port() + ": " + e.getMessage(), e);
        }
        ExecutorService threads = pool(options.httpThreads(), "glimpse-serve-http-");
        ExecutorService quick = pool(2, "glimpse-serve-quick-");
        GenerationQueue queue = new GenerationQueue(model);
        ChatServer server = new ChatServer(http, threads, quick, queue, options.host());
        String name = options.servedModelName();
        ChatRequestParser parser = new ChatRequestParser(json, name, options.defaults(), images, options.limits(),
                new PixelBudget(options.limits().maxPixelsInFlight()), model);
        http.route(ChatCompletionsHandler.PATH, new Guarded(new ChatCompletionsHandler(json, parser, queue,
                name, () -> server.closing, options.requestLog()), options.apiKey(), json), threads);
        http.route(ModelsHandler.PATH, new Guarded(new ModelsHandler(json, name,
                Instant.now().getEpochSecond()), options.apiKey(), json), quick);
        http.route("/health", new Guarded(ChatServer::health, null, json), quick);
        // the web page's files, on the request threads: a client slow to take them must not hold up /health
        http.route("/", new Guarded(new WebPage(exchange -> {
            throw ApiError.notFound("No route " + exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath()
                    + "; this server answers POST " + ChatCompletionsHandler.PATH + " and GET " + ModelsHandler.PATH);
        }), null, json), threads);
        http.start();
        return server;
    }

    private static ExecutorService pool(int size, String prefix) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(size, r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    private static void health(HttpExchange exchange) throws IOException {
        exchange.sendResponseHeaders(200, -1);
    }

    /** The port the server listens on (the chosen one when started with port 0). */
    public int port() {
        return server.address().getPort();
    }

    /** The web page, e.g. {@code http://127.0.0.1:7860/}. */
    public URI pageUrl() {
        return baseUrl().resolve("/");
    }

    /** The API root clients use, e.g. {@code http://127.0.0.1:8000/v1}. */
    public URI baseUrl() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        if (h.equals("0.0.0.0") || h.equals("[::]")) {
            h = "127.0.0.1";
        }
        return URI.create("http://" + h + ":" + port() + "/v1");
    }

    /**
     * Stops the server: no new connections, generations in progress are cancelled (their streams end with finish
     * reason {@code abort}), queued ones are refused. Returns when the model is no longer in use.
     */
    @Override
    public void close() {
        if (closing) {
            return;
        }
        closing = true;
        // the generation sees `closing` and stops; its stream still ends with finish reason abort
        queue.close();
        httpThreads.shutdown();
        try {
            httpThreads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.close();
        quickThreads.shutdownNow();
        httpThreads.shutdownNow();
    }
}
