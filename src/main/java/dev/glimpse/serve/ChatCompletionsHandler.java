package dev.glimpse.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.glimpse.engine.Answer;
import dev.glimpse.engine.CancellationToken;
import dev.glimpse.engine.FinishReason;
import dev.glimpse.engine.ModelNotReadyException;
import dev.glimpse.engine.PromptRejectedException;
import dev.glimpse.engine.TokenListener;
import dev.glimpse.engine.Usage;
import dev.glimpse.serve.http.HttpFront;

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
import java.util.concurrent.CompletionException;
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
 * <p>A client that hangs up, streaming or not, cancels its generation at the next token (or skips it if still
 * queued): the {@link HttpFront} watches the connection while the request is answered. Streaming: the generating
 * thread only hands {@link GenerationEvent}s over; this request's HTTP thread writes them, so a slow client never
 * holds up the model. The streamed deltas add up to exactly the content and reasoning a non-streamed answer
 * holds ({@link TrimmedDeltas}). While nothing else is sent — queued behind other requests, or a long
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
        exchange.getResponseHeaders().set("X-Request-Id", id);
        CancellationToken cancel = cancellation(exchange);
        ChatRequest request;
        try {
            if (!exchange.getRequestURI().getPath().equals(PATH)) {
                throw ApiError.notFound("No route " + exchange.getRequestURI().getPath() + "; chat completions are "
                        + "at POST " + PATH);
            }
            if (!exchange.getRequestMethod().equals("POST")) {
                throw ApiError.methodNotAllowed(exchange.getRequestMethod(), PATH, "POST");
            }
            request = parser.parse(Exchanges.body(exchange), cancel);
        } catch (ApiError e) {
            Exchanges.sendError(exchange, e, json);
            record(id, e.status(), false, NOTHING, null, e.getMessage(), start);
            return;
        } catch (OutOfMemoryError e) {
            ApiError error = outOfMemory(id, e);
            Exchanges.sendError(exchange, error, json);
            record(id, error.status(), false, NOTHING, null, error.getMessage(), start);
            return;
        }
        try {
            CompletionJson out = new CompletionJson(json, id, Instant.now().getEpochSecond(), model);
            if (request.stream()) {
                stream(exchange, request, out, id, start, cancel);
            } else {
                complete(exchange, request, out, id, start, cancel);
            }
        } finally {
            request.release().run();
        }
    }

    // the server closing, or the client hanging up: the front notices at once, not at the next write
    private CancellationToken cancellation(HttpExchange exchange) {
        BooleanSupplier gone = HttpFront.clientGone(exchange);
        return () -> closing.getAsBoolean() || gone.getAsBoolean();
    }

    private void complete(HttpExchange exchange, ChatRequest request, CompletionJson out, String id, long start,
                          CancellationToken cancel) throws IOException {
        CompletableFuture<Answer> result = queue.submit(request.prompt(), request.options(), TokenListener.NONE,
                cancel);
        Answer answer;
        try {
            answer = await(result, id);
        } catch (ApiError e) {
            boolean gone = cancel.isCancelled() && !closing.getAsBoolean();
            if (!gone) {
                Exchanges.sendError(exchange, e, json);
            }
            record(id, gone ? RequestRecord.CLIENT_CLOSED : e.status(), false, NOTHING,
                    gone ? FinishReason.CANCELLED : null, gone ? null : e.getMessage(), start);
            return;
        }
        if (answer.finishReason() == FinishReason.CANCELLED && !closing.getAsBoolean()) {
            record(id, RequestRecord.CLIENT_CLOSED, false, answer.usage(), answer.finishReason(), null, start);
            return; // the client hung up: nobody to answer
        }
        try {
            Exchanges.sendJson(exchange, 200, out.completion(answer), json);
        } finally {
            record(id, 200, false, answer.usage(), answer.finishReason(), null, start);
        }
    }

    private void stream(HttpExchange exchange, ChatRequest request, CompletionJson out, String id, long start,
                        CancellationToken cancel) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
        exchange.getResponseHeaders().set("Cache-Control", "no-cache");
        exchange.sendResponseHeaders(200, 0);
        OutputStream body = exchange.getResponseBody();
        AtomicBoolean writeFailed = new AtomicBoolean();
        CancellationToken stop = () -> writeFailed.get() || cancel.isCancelled();
        BlockingQueue<GenerationEvent> events = new LinkedBlockingQueue<>();
        CompletableFuture<Answer> result = queue.submit(request.prompt(), request.options(), token -> {
            if (!token.text().isEmpty()) {
                events.add(new GenerationEvent.Piece(token));
            }
        }, stop);
        result.whenComplete((answer, failure) -> events.add(answer != null ? new GenerationEvent.Finished(answer)
                : new GenerationEvent.Failed(failure instanceof CompletionException c && c.getCause() != null
                ? c.getCause() : failure)));

        boolean usage = request.includeUsage();
        TrimmedDeltas content = new TrimmedDeltas();
        TrimmedDeltas reasoning = new TrimmedDeltas();
        GenerationEvent last = null;
        boolean recorded = false;
        ApiError sent = null;
        List<GenerationEvent> batch = new ArrayList<>();
        try {
            send(body, out.roleChunk(usage));
            body.flush();
            while (last == null) {
                GenerationEvent event = events.poll(KEEP_ALIVE_SECONDS, TimeUnit.SECONDS);
                if (event == null) {
                    comment(body, "keep-alive");
                    body.flush();
                    continue;
                }
                // what piled up while the last write went out leaves in one write
                batch.clear();
                batch.add(event);
                events.drainTo(batch);
                for (GenerationEvent e : batch) {
                    if (e instanceof GenerationEvent.Piece p) {
                        boolean r = p.token().reasoning();
                        String text = (r ? reasoning : content).push(p.token().text());
                        if (!text.isEmpty()) {
                            send(body, out.textChunk(text, r, usage));
                        }
                    } else if (e instanceof GenerationEvent.Finished f) {
                        last = f;
                        Answer answer = f.answer();
                        String r = reasoning.rest(answer.reasoning());
                        if (!r.isEmpty()) {
                            send(body, out.textChunk(r, true, usage));
                        }
                        String c = content.rest(answer.text());
                        if (!c.isEmpty()) {
                            send(body, out.textChunk(c, false, usage));
                        }
                        send(body, out.finishChunk(answer.finishReason(), usage));
                        if (usage) {
                            send(body, out.usageChunk(answer.usage()));
                        }
                        done(body);
                    } else if (e instanceof GenerationEvent.Failed f) {
                        last = f;
                        sent = error(f.cause(), id);
                        send(body, sent.toJson(json));
                        done(body);
                    }
                }
                if (last != null) {
                    // logged before the end goes out: a client that reads the log after its answer finds it there
                    recorded = record(id, last, false, sent, start);
                }
                body.flush();
            }
        } catch (IOException clientGone) {
            writeFailed.set(true);
        } catch (InterruptedException e) {
            writeFailed.set(true);
            Thread.currentThread().interrupt();
        } finally {
            try {
                body.close();
            } catch (IOException alreadyGone) {
                writeFailed.set(true);
            }
        }
        boolean gone = writeFailed.get() || cancel.isCancelled() && !closing.getAsBoolean();
        if (last == null) {
            // the client left: wait for the generation to notice, to log what it did
            try {
                last = new GenerationEvent.Finished(result.get());
            } catch (ExecutionException e) {
                last = new GenerationEvent.Failed(e.getCause());
            } catch (CancellationException e) {
                last = new GenerationEvent.Failed(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                last = new GenerationEvent.Failed(e);
            }
        }
        if (!recorded) {
            record(id, last, gone, sent, start);
        }
    }

    private boolean record(String id, GenerationEvent last, boolean gone, ApiError sent, long start) {
        if (last instanceof GenerationEvent.Finished f) {
            record(id, 200, true, f.answer().usage(), f.answer().finishReason(), null, start);
        } else if (last instanceof GenerationEvent.Failed f) {
            record(id, 200, true, NOTHING, gone ? FinishReason.CANCELLED : null,
                    gone ? null : (sent != null ? sent : error(f.cause(), id)).getMessage(), start);
        }
        return true;
    }

    private Answer await(CompletableFuture<Answer> result, String id) {
        try {
            return result.get();
        } catch (ExecutionException e) {
            throw error(e.getCause(), id);
        } catch (CancellationException e) {
            throw error(e, id);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiError.serverError("The server was interrupted while answering request " + id + ".");
        }
    }

    // a prompt the model refuses (e.g. an image token typed into the text) is the client's to fix; anything else,
    // other IllegalArgumentExceptions too (a tensor shape libtorch refuses), is the server's, told to the client by
    // request id only, with the details in the log
    private static ApiError error(Throwable failure, String id) {
        if (failure instanceof PromptRejectedException) {
            return ApiError.badRequest(failure.getMessage(), "messages");
        }
        if (failure instanceof ModelNotReadyException) {
            return new ApiError(503, "server_error", failure.getMessage(), null, "model_not_ready");
        }
        if (failure instanceof CancellationException) {
            return new ApiError(503, "server_error", "The server is shutting down; retry against a running one.",
                    null, null);
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof OutOfMemoryError oom) {
                return outOfMemory(id, oom); // also when a library wrapped it: no fault of the client's
            }
        }
        LOG.log(System.Logger.Level.ERROR, "request " + id + ": generation failed", failure);
        return ApiError.serverError("The server failed on request " + id + "; its log has the details.");
    }

    // the server's fault, not the client's: 503 to retry, whatever reported it (an image decoder calls it a read
    // error); the details in the log only
    private static ApiError outOfMemory(String id, OutOfMemoryError e) {
        LOG.log(System.Logger.Level.ERROR, "request " + id + ": out of memory", e);
        return ApiError.outOfMemory(id);
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
