package dev.glimpse.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.glimpse.engine.Answer;
import dev.glimpse.engine.CancellationToken;
import dev.glimpse.engine.FinishReason;
import dev.glimpse.engine.ModelNotReadyException;
import dev.glimpse.engine.TokenListener;
import dev.glimpse.engine.Usage;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * {@code POST /v1/chat/completions}: checks the request and decodes its images on the HTTP thread, queues the
 * generation, and answers with one {@code chat.completion} or a stream of {@code chat.completion.chunk} events.
 *
 * <p>Streaming: the generating thread only hands tokens over; this request's HTTP thread writes them, so a slow
 * client never holds up the model. A write that fails means the client has gone: the generation is cancelled at
 * its next token (or skipped if still queued). While nothing else is sent — queued behind other requests, or a long
 * prefill — an SSE comment goes out every {@value #KEEP_ALIVE_SECONDS} s, which keeps proxies from timing the
 * stream out and notices a departed client early.
 */
final class ChatCompletionsHandler implements HttpHandler {

    static final String PATH = "/v1/chat/completions";
    static final long KEEP_ALIVE_SECONDS = 15;

    private static final System.Logger LOG = System.getLogger(ChatCompletionsHandler.class.getName());
    private static final Usage NOTHING = new Usage(0, 0);

    private final ObjectMapper json;
    private final ChatRequestParser parser;
    private final GenerationQueue queue;
    private final String model;
    private final BooleanSupplier closing;
    private final Consumer<RequestRecord> log;

    ChatCompletionsHandler(ObjectMapper json, ChatRequestParser parser, GenerationQueue queue, String model,
                           BooleanSupplier closing, Consumer<RequestRecord> log) {
        this.json = json;
        this.parser = parser;
        this.queue = queue;
        this.model = model;
        this.closing = closing;
        this.log = log;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        long start = System.nanoTime();
        String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
        ChatRequest request;
        try {
            if (!exchange.getRequestURI().getPath().equals(PATH)) {
                throw ApiError.notFound("No route " + exchange.getRequestURI().getPath() + "; chat completions are "
                        + "at POST " + PATH);
            }
            if (!exchange.getRequestMethod().equals("POST")) {
                throw ApiError.methodNotAllowed(exchange.getRequestMethod(), PATH, "POST");
            }
            request = parser.parse(Exchanges.body(exchange));
        } catch (ApiError e) {
            Exchanges.sendError(exchange, e, json);
            record(id, e.status(), false, NOTHING, null, e.getMessage(), start);
            return;
        }
        CompletionJson out = new CompletionJson(json, id, Instant.now().getEpochSecond(), model);
        if (request.stream()) {
            stream(exchange, request, out, id, start);
        } else {
            complete(exchange, request, out, id, start);
        }
    }

    private void complete(HttpExchange exchange, ChatRequest request, CompletionJson out, String id, long start)
            throws IOException {
        CompletableFuture<Answer> result = queue.submit(request.prompt(), request.options(), TokenListener.NONE,
                closing::getAsBoolean);
        Answer answer;
        try {
            answer = await(result);
        } catch (ApiError e) {
            Exchanges.sendError(exchange, e, json);
            record(id, e.status(), false, NOTHING, null, e.getMessage(), start);
            return;
        }
        try {
            Exchanges.sendJson(exchange, 200, out.completion(answer), json);
        } finally {
            record(id, 200, false, answer.usage(), answer.finishReason(), null, start);
        }
    }

    private void stream(HttpExchange exchange, ChatRequest request, CompletionJson out, String id, long start)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        OutputStream body = exchange.getResponseBody();
        AtomicBoolean gone = new AtomicBoolean();
        CancellationToken cancel = () -> gone.get() || closing.getAsBoolean();
        // tokens, then the Answer or the Throwable that ended the generation
        BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        CompletableFuture<Answer> result = queue.submit(request.prompt(), request.options(), token -> {
            if (!token.text().isEmpty()) {
                events.add(token);
            }
        }, cancel);
        result.whenComplete((answer, failure) -> events.add(answer != null ? answer : failure));

        boolean usage = request.includeUsage();
        Object last = null;
        List<Object> batch = new ArrayList<>();
        try {
            send(body, out.roleChunk(usage));
            body.flush();
            while (last == null) {
                Object event = events.poll(KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
                if (event == null) {
                    comment(body, "keep-alive");
                    body.flush();
                    continue;
                }
                // what piled up while the last write went out leaves in one write
                batch.clear();
                batch.add(event);
                events.drainTo(batch);
                for (Object e : batch) {
                    if (e instanceof TokenListener.Token token) {
                        send(body, out.tokenChunk(token, usage));
                    } else if (e instanceof Answer answer) {
                        last = answer;
                        send(body, out.finishChunk(answer.finishReason(), usage));
                        if (usage) {
                            send(body, out.usageChunk(answer.usage()));
                        }
                        done(body);
                    } else {
                        last = e;
                        send(body, error((Throwable) e).toJson(json));
                        done(body);
                    }
                }
                body.flush();
            }
        } catch (IOException clientGone) {
            gone.set(true);
        } catch (InterruptedException e) {
            gone.set(true);
            Thread.currentThread().interrupt();
        } finally {
            try {
                body.close();
            } catch (IOException alreadyGone) {
                gone.set(true);
            }
        }
        if (last == null) {
            // the client left: wait for the generation to notice, to log what it did
            try {
                last = result.get();
            } catch (ExecutionException e) {
                last = e.getCause();
            } catch (CancellationException e) {
                last = e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                last = e;
            }
        }
        if (last instanceof Answer answer) {
            record(id, 200, true, answer.usage(), answer.finishReason(), null, start);
        } else {
            record(id, 200, true, NOTHING, gone.get() ? FinishReason.CANCELLED : null,
                    gone.get() ? null : error((Throwable) last).getMessage(), start);
        }
    }

    private Answer await(CompletableFuture<Answer> result) {
        try {
            return result.get();
        } catch (ExecutionException e) {
            throw error(e.getCause());
        } catch (CancellationException e) {
            throw error(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiError.serverError("The server was interrupted while answering.");
        }
    }

    // a prompt the model refuses (e.g. an image token typed into the text) is the client's to fix
    private static ApiError error(Throwable failure) {
        if (failure instanceof IllegalArgumentException) {
            return ApiError.badRequest(failure.getMessage(), "messages");
        }
        if (failure instanceof ModelNotReadyException) {
            return new ApiError(503, "server_error", failure.getMessage(), null, "model_not_ready");
        }
        if (failure instanceof CancellationException) {
            return new ApiError(503, "server_error", "The server is shutting down; retry against a running one.",
                    null, null);
        }
        LOG.log(System.Logger.Level.ERROR, "generation failed", failure);
        return ApiError.serverError("Generation failed: " + failure);
    }

    private void send(OutputStream body, JsonNode event) throws IOException {
        byte[] data = json.writeValueAsBytes(event);
        body.write("data: ".getBytes(StandardCharsets.UTF_8));
        body.write(data);
        body.write("\n\n".getBytes(StandardCharsets.UTF_8));
    }

    private static void comment(OutputStream body, String text) throws IOException {
        body.write((": " + text + "\n\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void done(OutputStream body) throws IOException {
        body.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
    }

    private void record(String id, int status, boolean stream, Usage usage, FinishReason reason, String error,
                        long start) {
        try {
            log.accept(new RequestRecord(id, status, stream, usage, reason, error, (System.nanoTime() - start) / 1e6));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "the request log failed", e);
        }
    }
}
