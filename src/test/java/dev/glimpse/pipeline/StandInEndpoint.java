package dev.glimpse.pipeline;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenAI-compatible endpoint on 127.0.0.1 that answers requests in parallel, each after a fixed delay, as a vLLM
 * server does under light load: for tests and benches of batch concurrency, retries and resume against endpoints,
 * where a real vLLM cannot run. The answer names the request it answers ({@code answer <first 12 hex digits of the
 * SHA-256 of its body>}), so that a result can be checked against the image and options sent. The first
 * {@code failures} chat requests are answered with {@code failureStatus} instead (a rate limit, an overload).
 */
public final class StandInEndpoint implements AutoCloseable {

    /** The served model's name. */
    public static final String MODEL = "stand-in-vlm";

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "stand-in-endpoint");
        t.setDaemon(true);
        return t;
    });
    private final long delayMillis;
    private final AtomicInteger failuresLeft;
    private final int failureStatus;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger mostInFlight = new AtomicInteger();

    private final String reply;

    private StandInEndpoint(long delayMillis, int failures, int failureStatus, String reply) throws IOException {
        this.delayMillis = delayMillis;
        this.reply = reply;
        this.failuresLeft = new AtomicInteger(failures);
        this.failureStatus = failureStatus;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setExecutor(threads);
        server.createContext("/v1/models", this::models);
        server.createContext("/v1/chat/completions", this::chat);
        server.start();
    }

    /** An endpoint that answers every request after {@code delayMillis}. */
    public static StandInEndpoint start(long delayMillis) throws IOException {
        return new StandInEndpoint(delayMillis, 0, 0, null);
    }

    /** An endpoint that answers every request with {@code text} at once (e.g. a judge's grade). */
    public static StandInEndpoint replying(String text) throws IOException {
        return new StandInEndpoint(0, 0, 0, text);
    }

    /** An endpoint that turns the first {@code failures} chat requests away with {@code status}. */
    public static StandInEndpoint failingFirst(int failures, int status, long delayMillis) throws IOException {
        return new StandInEndpoint(delayMillis, failures, status, null);
    }

    /** The API root, e.g. {@code http://127.0.0.1:41234/v1}. */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** Chat requests received, failed ones included. */
    public int requests() {
        return requests.get();
    }

    /** The most chat requests that were being answered at the same time. */
    public int mostInFlight() {
        return mostInFlight.get();
    }

    /** The answer this endpoint gives to a request body. */
    public static String answerFor(byte[] body) {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(body);
            return "answer " + HexFormat.of().formatHex(sha).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private void models(HttpExchange exchange) throws IOException {
        send(exchange, 200, "{\"object\":\"list\",\"data\":[{\"id\":\"" + MODEL + "\",\"object\":\"model\"}]}");
    }

    private void chat(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        requests.incrementAndGet();
        int now = inFlight.incrementAndGet();
        mostInFlight.accumulateAndGet(now, Math::max);
        try {
            Thread.sleep(delayMillis);
            if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                send(exchange, failureStatus, "{\"error\":{\"message\":\"stand-in: try again later\"}}");
                return;
            }
            send(exchange, 200, "{\"id\":\"c\",\"object\":\"chat.completion\",\"model\":\"" + MODEL + "\","
                    + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\""
                    + (reply != null ? reply : answerFor(body)) + "\"},\"finish_reason\":\"stop\"}],"
                    + "\"usage\":{\"prompt_tokens\":20,\"completion_tokens\":3,\"total_tokens\":23}}");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
