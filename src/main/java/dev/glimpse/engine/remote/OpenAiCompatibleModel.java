package dev.glimpse.engine.remote;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glimpse.engine.Answer;
import dev.glimpse.engine.CancellationToken;
import dev.glimpse.engine.GenerationOptions;
import dev.glimpse.engine.ModelInfo;
import dev.glimpse.engine.ModelLocation;
import dev.glimpse.engine.Prompt;
import dev.glimpse.engine.TokenListener;
import dev.glimpse.engine.VisionLanguageModel;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * A model behind an OpenAI-compatible chat completions endpoint: {@code glimpse serve}, vLLM, SGLang, or Zhipu's
 * hosted API. Answers come back as from the local engine: streamed pieces to the {@link TokenListener} (reasoning
 * flagged), then an {@link Answer} with reasoning split off, grounding boxes parsed, token counts from the server,
 * and timings (time to the first piece as prefill, the gaps between pieces as decode steps).
 *
 * <pre>{@code
 * try (VisionLanguageModel model = OpenAiCompatibleModel.connect("http://localhost:8000/v1", null, null)) {
 *     Answer a = model.generate(Prompt.of("What is in this image?", image), GenerationOptions.DEFAULT);
 * }
 * // Zhipu (free model; key from GLIMPSE_API_KEY):
 * OpenAiCompatibleModel.connect("https://open.bigmodel.cn/api/paas/v4/", "glm-4.6v-flash", null);
 * }</pre>
 *
 * <p>Images are sent as PNG data URLs. Thinking off is sent both as {@code chat_template_kwargs.enable_thinking}
 * (vLLM, SGLang, {@code glimpse serve}) and as Zhipu's {@code thinking.type}. Reasoning is read from
 * {@code reasoning_content} or {@code reasoning}, or from think tags in the content when the server has no
 * reasoning parser. Cancelling closes the connection, which stops generation on servers that notice (vLLM, SGLang,
 * {@code glimpse serve}).
 *
 * <p>Remote pieces have no token ids: listeners get id −1 and {@link Answer#tokenIds()} is empty. Calls are not
 * serialised here; concurrent calls go out concurrently and the server queues them. Failures throw
 * {@link RemoteModelException} naming the endpoint and the fix.
 */
public final class OpenAiCompatibleModel implements VisionLanguageModel {

    /** Environment variable with the API key, used when none is given. */
    public static final String API_KEY_VARIABLE = "GLIMPSE_API_KEY";

    /** Requests a batch keeps in flight to an endpoint unless told otherwise. */
    public static final int DEFAULT_CONCURRENCY = 8;

    private static final long POLL_MILLIS = 50;
    private static final long PROBE_MILLIS = 250;

    /**
     * How to talk to the endpoint.
     *
     * @param connectTimeout the longest wait for a connection
     * @param timeout        the longest wait for the response to start, and between two streamed pieces
     * @param streaming      whether to ask for a streamed answer (pieces reach the listener as they come); without
     *                       it the listener gets the whole reasoning and answer at the end
     * @param startupWait    the longest {@link #awaitStarted} waits for an endpoint that is still starting
     */
    public record Options(Duration connectTimeout, Duration timeout, boolean streaming, Duration startupWait) {

        /** 10 s to connect, 5 min for an answer to start or go on, streaming, 2 min for a server to start. */
        public static final Options DEFAULT = new Options(Duration.ofSeconds(10), Duration.ofMinutes(5), true,
                Duration.ofMinutes(2));

        public Options {
            Objects.requireNonNull(connectTimeout, "connectTimeout");
            Objects.requireNonNull(timeout, "timeout");
            Objects.requireNonNull(startupWait, "startupWait");
            if (connectTimeout.isNegative() || connectTimeout.isZero() || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive, were " + connectTimeout + " and "
                        + timeout);
            }
            if (startupWait.isNegative()) {
                throw new IllegalArgumentException("startupWait must not be negative, was " + startupWait);
            }
        }

        public Options withConnectTimeout(Duration d) {
            return new Options(d, timeout, streaming, startupWait);
        }

        public Options withTimeout(Duration d) {
            return new Options(connectTimeout, d, streaming, startupWait);
        }

        public Options withStreaming(boolean on) {
            return new Options(connectTimeout, timeout, on, startupWait);
        }

        public Options withStartupWait(Duration d) {
            return new Options(connectTimeout, timeout, streaming, d);
        }
    }

    /** Told while {@link #awaitStarted} waits for an endpoint to start answering. */
    @FunctionalInterface
    public interface StartupWait {
        /**
         * Called about every quarter second while waiting.
         *
         * @param root   the endpoint
         * @param waited how long it has waited so far
         * @param bound  how long it waits at most
         */
        void waiting(URI root, Duration waited, Duration bound);
    }

    private final URI root;
    private final String model;
    private final String apiKey;
    private final Options options;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper();
    private final ModelInfo info;
    private volatile boolean closed;

    private OpenAiCompatibleModel(URI root, String model, String apiKey, Options options, HttpClient http,
                                  long loadMillis) {
        this.root = root;
        this.model = model;
        this.apiKey = apiKey;
        this.options = options;
        this.http = http;
        this.info = new ModelInfo(model, root.toString(), "remote", "unknown", 0, 0, loadMillis);
    }

    /** {@link #connect(String, String, String, Options)} with {@link Options#DEFAULT}. */
    public static OpenAiCompatibleModel connect(String url, String model, String apiKey) {
        return connect(url, model, apiKey, Options.DEFAULT);
    }

    /**
     * A client for an endpoint.
     *
     * @param url    the API root, e.g. {@code http://localhost:8000/v1} or
     *               {@code https://open.bigmodel.cn/api/paas/v4/}; a URL without a path gets {@code /v1}, and a
     *               trailing {@code /chat/completions} is dropped
     * @param model  the served model name (e.g. {@code glm-4.6v-flash}); {@code null} or blank asks the endpoint
     *               ({@code GET /models}) and takes the first model it serves
     * @param apiKey sent as {@code Authorization: Bearer …}; {@code null} or blank uses {@value #API_KEY_VARIABLE},
     *               and without either no key is sent
     * @throws IllegalArgumentException when {@code url} is not an http(s) URL
     * @throws RemoteModelException     when the model list is needed and the endpoint cannot give it
     */
    public static OpenAiCompatibleModel connect(String url, String model, String apiKey, Options options) {
        return connectWithKey(url, model, apiKey != null && !apiKey.isBlank() ? apiKey
                : System.getenv(API_KEY_VARIABLE), options);
    }

    /**
     * {@link #connect(String, String, String, Options)}, sending exactly {@code apiKey}: {@code null} or blank sends
     * no key and never falls back to {@value #API_KEY_VARIABLE} (that key may belong to another server, as in the
     * container, where it is the Jupyter token).
     */
    public static OpenAiCompatibleModel connectWithKey(String url, String model, String apiKey, Options options) {
        long t0 = System.nanoTime();
        URI root = apiRoot(url);
        String key = apiKey == null || apiKey.isBlank() ? null : apiKey.strip();
        HttpClient http = HttpClient.newBuilder().connectTimeout(options.connectTimeout())
                .version(HttpClient.Version.HTTP_1_1).build();
        String name = model == null || model.isBlank() ? null : model.strip();
        if (name == null) {
            List<String> served = listModels(http, root, key, options);
            if (served.isEmpty()) {
                throw new RemoteModelException(root + " serves no models (GET " + root + "/models listed none); "
                        + "give the model's name", 200, null);
            }
            name = served.get(0);
        }
        return new OpenAiCompatibleModel(root, name, key, options, http, (System.nanoTime() - t0) / 1_000_000);
    }

    /**
     * The API root for a URL: scheme, host, port and path without trailing slashes; {@code /v1} when there is no
     * path; a trailing {@code /chat/completions} dropped.
     *
     * @throws IllegalArgumentException when it is not an http(s) URL with a host
     */
    public static URI apiRoot(String url) {
        Objects.requireNonNull(url, "url");
        String s = url.strip();
        if (!ModelLocation.isUrl(s)) {
            throw new IllegalArgumentException("'" + url + "' is not an endpoint URL; give one like "
                    + "http://localhost:8000/v1 or https://open.bigmodel.cn/api/paas/v4/");
        }
        URI uri;
        try {
            uri = URI.create(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + url + "' is not a valid URL: " + e.getMessage(), e);
        }
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("'" + url + "' has no host; give one like http://localhost:8000/v1");
        }
        String path = trimSlashes(uri.getRawPath() == null ? "" : uri.getRawPath());
        if (path.endsWith("/chat/completions")) {
            path = trimSlashes(path.substring(0, path.length() - "/chat/completions".length()));
        }
        if (path.isEmpty()) {
            path = "/v1";
        }
        return URI.create(uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getRawAuthority() + path);
    }

    private static String trimSlashes(String path) {
        int end = path.length();
        while (end > 0 && path.charAt(end - 1) == '/') {
            end--;
        }
        return path.substring(0, end);
    }

    /** The API root requests go to, e.g. {@code http://localhost:8000/v1}. */
    public URI baseUrl() {
        return root;
    }

    /** The model name sent with each request. */
    public String model() {
        return model;
    }

    /** The models the endpoint serves ({@code GET /models}). */
    public List<String> models() {
        return listModels(http, root, apiKey, options);
    }

    /** The options this client was connected with. */
    public Options options() {
        return options;
    }

    /**
     * Waits until the endpoint answers, for an endpoint that may still be starting (a server that does not listen
     * yet refuses the connection). Asks {@code GET /models} about four times a second while the connection is
     * refused or the answer is 503 {@code model_not_ready}; any other answer, an error such as a wrong key included,
     * ends the wait (the next request reports it). A server that listens while it loads its model (as
     * {@code glimpse web} does) lists its models at once, so this returns then, and the request that follows may
     * still get {@code model_not_ready}.
     *
     * @param listener told while waiting
     * @param cancel   stops the wait early
     * @return {@code true} when the endpoint answers, {@code false} when cancelled (or the thread interrupted)
     * @throws RemoteModelException naming the endpoint and how long it waited, when it still does not answer after
     *                              {@link Options#startupWait()}
     */
    public boolean awaitStarted(StartupWait listener, CancellationToken cancel) {
        long t0 = System.nanoTime();
        Duration bound = options.startupWait();
        while (true) {
            try {
                listModels(http, root, apiKey, options);
                return true;
            } catch (RemoteModelException e) {
                if (!e.serverStarting()) {
                    return true;
                }
                Duration waited = Duration.ofNanos(System.nanoTime() - t0);
                if (waited.compareTo(bound) >= 0) {
                    throw RemoteModelException.notStarted(e, bound);
                }
                listener.waiting(root, waited, bound);
            }
            long until = System.nanoTime() + PROBE_MILLIS * 1_000_000;
            while (System.nanoTime() < until) {
                if (cancel.isCancelled()) {
                    return false;
                }
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
    }

    /** Name, endpoint URL, device {@code remote}; size and dtype are unknown (0, {@code unknown}). */
    @Override
    public ModelInfo info() {
        return info;
    }

    /**
     * {@value #DEFAULT_CONCURRENCY}: vLLM and SGLang batch concurrent requests, so a batch keeps several in flight
     * ({@code glimpse serve} queues them and answers one at a time, which costs nothing extra).
     */
    @Override
    public int defaultConcurrency() {
        return DEFAULT_CONCURRENCY;
    }

    @Override
    public Answer generate(Prompt prompt, GenerationOptions generation, TokenListener listener,
                           CancellationToken cancel) {
        if (closed) {
            throw new IllegalStateException("This model was closed; connect again to generate");
        }
        long t0 = System.nanoTime();
        byte[] body;
        try {
            body = json.writeValueAsBytes(ChatRequestBody.of(json, model, prompt, generation, options.streaming()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        StreamedAnswer answer = new StreamedAnswer(listener, t0, (System.nanoTime() - t0) / 1e6);
        URI url = URI.create(root + "/chat/completions");
        HttpRequest request = request(url, apiKey, options)
                .header("Content-Type", "application/json")
                .header("Accept", options.streaming() ? "text/event-stream" : "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        ResponseLines lines = ResponseLines.send(http, request);
        answer.requestSent();
        boolean complete = false;
        try {
            Answer a = read(lines, answer, cancel, url);
            complete = a.finishReason() != dev.glimpse.engine.FinishReason.CANCELLED;
            return a;
        } finally {
            if (!complete) {
                lines.cancel();
            }
        }
    }

    private Answer read(ResponseLines lines, StreamedAnswer answer, CancellationToken cancel, URI url) {
        ResponseLines.Status status = null;
        StringBuilder errorBody = null;
        StringBuilder plainBody = null;
        ServerSentEvents events = new ServerSentEvents();
        long last = System.nanoTime();
        while (true) {
            if (cancel.isCancelled()) {
                return answer.answer(true);
            }
            ResponseLines.Event event;
            try {
                event = lines.poll(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return answer.answer(true);
            }
            if (event == null) {
                // before the headers, the request's own timeout applies
                if (status != null && System.nanoTime() - last > options.timeout().toNanos()) {
                    throw RemoteModelException.silent(url, options.timeout());
                }
                continue;
            }
            last = System.nanoTime();
            if (event instanceof ResponseLines.Status s) {
                status = s;
                if (s.code() / 100 != 2) {
                    errorBody = new StringBuilder();
                } else if (!s.contentType().toLowerCase(Locale.ROOT).startsWith("text/event-stream")) {
                    plainBody = new StringBuilder();
                }
            } else if (event instanceof ResponseLines.Line line) {
                if (errorBody != null) {
                    errorBody.append(line.text()).append('\n');
                } else if (plainBody != null) {
                    plainBody.append(line.text()).append('\n');
                } else if (onEvent(events.line(line.text()), answer, url)) {
                    return answer.answer(false);
                }
            } else if (event instanceof ResponseLines.End) {
                if (errorBody != null) {
                    throw RemoteModelException.forStatus(status.code(), detail(errorBody.toString()),
                            errorCode(json, errorBody.toString()), root, url, model, apiKey != null);
                }
                if (plainBody != null) {
                    return completion(plainBody.toString(), answer, url);
                }
                if (onEvent(events.finish(), answer, url) || answer.finished()) {
                    return answer.answer(false);
                }
                throw RemoteModelException.cutOff(url);
            } else if (event instanceof ResponseLines.Failed f) {
                throw failure(f.cause(), root, url, options);
            }
        }
    }

    // one SSE event's data: a chunk, an error, or [DONE]; true when the stream is done
    private boolean onEvent(String data, StreamedAnswer answer, URI url) {
        if (data == null || data.isBlank()) {
            return false;
        }
        if (data.strip().equals("[DONE]")) {
            return true;
        }
        JsonNode chunk;
        try {
            chunk = json.readTree(data);
        } catch (JsonProcessingException e) {
            throw RemoteModelException.badResponse(url, "a streamed event is not JSON: " + abbreviate(data));
        }
        String error = ChatDelta.errorMessage(chunk);
        if (error != null) {
            throw RemoteModelException.streamError(url, error);
        }
        answer.accept(ChatDelta.ofChunk(chunk));
        return false;
    }

    private Answer completion(String body, StreamedAnswer answer, URI url) {
        JsonNode completion;
        try {
            completion = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw RemoteModelException.badResponse(url, "the body is not JSON: " + abbreviate(body));
        }
        String error = ChatDelta.errorMessage(completion);
        if (error != null) {
            throw RemoteModelException.streamError(url, error);
        }
        if (!completion.path("choices").path(0).has("message")) {
            throw RemoteModelException.badResponse(url, "no choices[0].message in " + abbreviate(body));
        }
        answer.accept(ChatDelta.ofCompletion(completion));
        return answer.answer(false);
    }

    private String detail(String body) {
        String text = body.strip();
        try {
            String message = ChatDelta.errorMessage(json.readTree(text));
            if (message != null) {
                return message;
            }
        } catch (JsonProcessingException | RuntimeException notJson) {
            // an HTML error page or plain text: show its start
        }
        return abbreviate(text);
    }

    // the error body's error.code (glimpse serve says model_not_ready while it has no model), or null
    private static String errorCode(ObjectMapper json, String body) {
        try {
            JsonNode code = json.readTree(body.strip()).path("error").path("code");
            return code.isTextual() ? code.asText() : null;
        } catch (JsonProcessingException | RuntimeException notJson) {
            return null;
        }
    }

    private static String abbreviate(String s) {
        String t = s.strip().replaceAll("\\s+", " ");
        return t.length() <= 300 ? t : t.substring(0, 300) + "…";
    }

    private static HttpRequest.Builder request(URI url, String apiKey, Options options) {
        HttpRequest.Builder b = HttpRequest.newBuilder(url).timeout(options.timeout())
                .header("User-Agent", "glimpse");
        if (apiKey != null) {
            b.header("Authorization", "Bearer " + apiKey);
        }
        return b;
    }

    private static List<String> listModels(HttpClient http, URI root, String apiKey, Options options) {
        URI url = URI.create(root + "/models");
        HttpResponse<String> response;
        try {
            response = http.send(request(url, apiKey, options).GET().build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw failure(e, root, url, options);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RemoteModelException("interrupted while asking " + url + " for its models", 0, e);
        }
        ObjectMapper json = new ObjectMapper();
        if (response.statusCode() / 100 != 2) {
            String detail;
            try {
                String m = ChatDelta.errorMessage(json.readTree(response.body()));
                detail = m != null ? m : abbreviate(response.body());
            } catch (JsonProcessingException | RuntimeException notJson) {
                detail = abbreviate(response.body());
            }
            throw RemoteModelException.forStatus(response.statusCode(), detail, errorCode(json, response.body()), root,
                    url, null, apiKey != null);
        }
        List<String> ids = new ArrayList<>();
        try {
            for (JsonNode m : json.readTree(response.body()).path("data")) {
                if (m.hasNonNull("id")) {
                    ids.add(m.get("id").asText());
                }
            }
        } catch (JsonProcessingException e) {
            throw RemoteModelException.badResponse(url, "the model list is not JSON: " + abbreviate(response.body()));
        }
        return ids;
    }

    // the exception for a failed exchange: unreachable, unknown host, or a timeout
    private static RemoteModelException failure(Throwable t, URI root, URI url, Options options) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof HttpConnectTimeoutException) {
            return RemoteModelException.connectTimeout(root, options.connectTimeout(), c);
        }
        if (c instanceof HttpTimeoutException) {
            return RemoteModelException.noAnswer(url, options.timeout(), c);
        }
        for (Throwable x = c; x != null; x = x.getCause()) {
            if (x instanceof ConnectException) {
                return RemoteModelException.refused(root, c);
            }
            if (x instanceof UnknownHostException || x instanceof UnresolvedAddressException) {
                return RemoteModelException.unknownHost(root, c);
            }
        }
        return RemoteModelException.unreachable(root, c);
    }

    /** Marks the client closed; connections are released as the JDK's HTTP client idles them out. */
    @Override
    public void close() {
        closed = true;
    }
}
