package dev.glimpse.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glimpse.kernel.memory.HeapHolders;
import dev.glimpse.kernel.memory.HeapReserve;
import dev.glimpse.kernel.protocol.Json;
import dev.glimpse.kernel.protocol.Message;
import dev.glimpse.kernel.protocol.RouterChannel;
import org.dflib.jjava.jupyter.kernel.display.DisplayData;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code execute_request}s: publishes the input, runs the cell on the {@link CellThread}, publishes its result
 * or error, replies, records history, and after an error with {@code stop_on_error} aborts the executions already
 * queued behind it.
 */
final class ExecuteRequests {
    private static final Logger LOG = LoggerFactory.getLogger(ExecuteRequests.class);

    private final GlimpseKernel kernel;
    private final Publisher publisher;
    private final CellExecutor runner;
    private final dev.glimpse.kernel.protocol.RequestHandler otherRequests;
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "glimpse-cell-timeout");
        thread.setDaemon(true);
        return thread;
    });
    private int executionCount;

    ExecuteRequests(GlimpseKernel kernel, dev.glimpse.kernel.protocol.RequestHandler otherRequests) {
        this.kernel = kernel;
        this.otherRequests = otherRequests;
        this.publisher = kernel.publisher();
        this.runner = new CellExecutor(kernel);
    }

    void handle(Message request, RouterChannel channel) {
        JsonNode content = request.content();
        String code = content.path("code").asText("");
        boolean silent = content.path("silent").asBoolean(false);
        boolean storeHistory = !silent && content.path("store_history").asBoolean(true);
        boolean stopOnError = content.path("stop_on_error").asBoolean(true);
        if (storeHistory) {
            executionCount++;
        }
        int count = executionCount;
        if (!silent) {
            publisher.executeInput(request, code, count);
        }

        Optional<String> helpTopic = HelpRequest.topic(code);
        // A blank cell or a help request runs no code: no trip to the cell thread.
        Outcome outcome = helpTopic.isPresent() || code.isBlank()
                ? new Outcome(null, null)
                : run(request, code, count, content.path("allow_stdin").asBoolean(false));
        if (!code.isBlank()) {
            checkHeap(request);
        }
        ObjectNode reply = Json.object();
        reply.put("execution_count", count);
        if (outcome.error() == null) {
            if (!silent && outcome.result() != null) {
                publishResult(request, count, outcome.result());
            }
            reply.put("status", "ok");
            reply.set("user_expressions", userExpressions(content.path("user_expressions")));
            ArrayNode payload = reply.putArray("payload");
            helpTopic.ifPresent(topic -> page(request, topic, payload));
        } else {
            publisher.error(request, outcome.error());
            reply.put("status", "error");
            reply.setAll(outcome.error().toJson());
        }
        // Requests queued behind a failed cell are taken before its reply goes out, so a request the client
        // sends after seeing the error is never aborted.
        List<Message> queued = outcome.error() != null && stopOnError ? takeQueued(channel) : List.of();
        ShellRequests.reply(channel, request, "execute_reply", reply);
        if (storeHistory) {
            kernel.history().record(count, code, outcome.resultText());
        }
        abort(queued, channel);
    }

    /**
     * After a cell that leaves the heap full (it caught the {@link OutOfMemoryError} and kept what it allocated, or
     * holds it in a variable), gives the kernel its memory reserve so that it can go on answering, and tells the user
     * which variables hold the memory and how to free it. After a cell that leaves room, takes the reserve back.
     */
    private void checkHeap(Message request) {
        HeapReserve reserve = HeapReserve.instance();
        try {
            if (!reserve.heapExhausted()) {
                reserve.restore();
                return;
            }
            reserve.release();
            Runtime runtime = Runtime.getRuntime();
            long max = runtime.maxMemory();
            long used = runtime.totalMemory() - runtime.freeMemory();
            List<HeapHolders.Holder> holders = HeapHolders.largest(kernel.evaluator().variables(), max / 20);
            publisher.stream(request, "stderr", HeapHolders.report(holders, used, max));
        } catch (OutOfMemoryError e) {
            reserve.release();
            LOG.warn("The heap is full after a cell; no room to say which variables hold it");
        }
    }

    /** What a cell produced: a value to show, or an error. */
    private record Outcome(DisplayData result, ErrorReport error) {
        String resultText() {
            if (result == null) {
                return null;
            }
            Object text = result.getData(org.dflib.jjava.jupyter.kernel.display.mime.MIMEType.TEXT_PLAIN);
            return text == null ? null : text.toString();
        }
    }

    private Outcome run(Message request, String code, int count, boolean allowStdin) {
        kernel.enterRequest(request, allowStdin);
        ScheduledFuture<?>[] timeout = new ScheduledFuture<?>[1];
        try {
            Optional<Object> value = kernel.cellThread().run(() -> {
                kernel.evaluator(); // waits for start-up, which must not count against GLIMPSE_TIMEOUT
                long limit = kernel.config().timeoutMillis();
                if (limit > 0) {
                    timeout[0] = watchdog.schedule(kernel::interrupt, limit, TimeUnit.MILLISECONDS);
                }
                return runner.run(code, count);
            });
            return new Outcome(value.map(this::render).orElse(null), null);
        } catch (CellError e) {
            return new Outcome(null, e.report());
        } catch (Exception | Error e) {
            LOG.debug("Cell failed outside user code", e);
            return new Outcome(null, ErrorReport.of(e));
        } finally {
            if (timeout[0] != null) {
                timeout[0].cancel(false);
            }
            kernel.leaveRequest();
        }
    }

    /**
     * Publishes a cell's value. A value that renders under the display id of an output this cell already showed
     * (an answer streamed into the cell, then returned) replaces that output instead of being shown twice.
     */
    private void publishResult(Message request, int count, DisplayData result) {
        if (kernel.shownInCell(result.getDisplayId())) {
            publisher.updateDisplayData(request, result);
        } else {
            publisher.executeResult(request, count, result);
        }
    }

    /** Puts the documentation of {@code topic} into a pager payload, or says there is none. */
    private void page(Message request, String topic, ArrayNode payload) {
        DisplayData docs = kernel.inspect(topic, topic.length(), true);
        if (docs == null) {
            publisher.stream(request, "stderr", "No documentation found for " + topic + "\n");
            return;
        }
        ObjectNode page = payload.addObject();
        page.put("source", "page");
        page.set("data", DisplayBundles.toJson(docs).get("data"));
        page.put("start", 0);
    }

    private DisplayData render(Object value) {
        return value instanceof DisplayData display ? display : kernel.getRenderer().render(value);
    }

    private ObjectNode userExpressions(JsonNode expressions) {
        ObjectNode results = Json.object();
        if (!expressions.isObject() || expressions.isEmpty()) {
            return results;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = expressions.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            ObjectNode result = results.putObject(field.getKey());
            try {
                Object value = kernel.cellThread().run(() -> runner.evaluateExpression(field.getValue().asText()));
                ObjectNode bundle = DisplayBundles.toJson(render(value));
                result.put("status", "ok");
                result.set("data", bundle.get("data"));
                result.set("metadata", bundle.get("metadata"));
            } catch (CellError e) {
                result.put("status", "error");
                result.setAll(e.report().toJson());
            } catch (Exception e) {
                result.put("status", "error");
                result.setAll(ErrorReport.of(e).toJson());
            }
        }
        return results;
    }

    private static List<Message> takeQueued(RouterChannel channel) {
        List<Message> queued = new ArrayList<>();
        Message waiting;
        while ((waiting = channel.pollWaiting()) != null) {
            queued.add(waiting);
        }
        return queued;
    }

    /** Replies "aborted" to the queued execute_requests, as ipykernel does after a failed cell; others run. */
    private void abort(List<Message> queued, RouterChannel channel) {
        for (Message waiting : queued) {
            if (!"execute_request".equals(waiting.type())) {
                otherRequests.handle(waiting, channel);
                continue;
            }
            publisher.status(waiting, "busy");
            ObjectNode reply = Json.object();
            reply.put("status", "aborted");
            reply.put("execution_count", executionCount);
            ShellRequests.reply(channel, waiting, "execute_reply", reply);
            publisher.status(waiting, "idle");
        }
    }
}
