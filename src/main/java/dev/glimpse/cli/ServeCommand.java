package dev.glimpse.cli;

import dev.glimpse.engine.FinishReason;
import dev.glimpse.engine.GenerationOptions;
import dev.glimpse.engine.ModelInfo;
import dev.glimpse.engine.ModelLocation;
import dev.glimpse.engine.glm4v.Glm4vModel;
import dev.glimpse.serve.ChatServer;
import dev.glimpse.serve.RequestLimits;
import dev.glimpse.serve.RequestRecord;
import dev.glimpse.serve.ServeOptions;
import dev.glimpse.serve.http.HttpLimits;

import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * {@code glimpse serve}: loads a GLM-4V model directory and answers OpenAI-style chat completion requests over HTTP
 * until Ctrl-C, logging each request on stderr. The API root goes to stdout (one line), so scripts that ask for
 * port 0 learn where it is.
 */
final class ServeCommand {

    static final String USAGE_TEXT = """
            usage: glimpse serve [--model DIR] [--host ADDR] [--port N] [options]

            Serves a local model over an OpenAI-compatible HTTP API: POST /v1/chat/completions (streamed or
            not; text and image_url parts) and GET /v1/models. Any OpenAI client works, e.g. glimpse ask
            --model http://127.0.0.1:8000/v1.

            """ + ModelOption.HELP + DtypeOption.HELP + """
              --host ADDR        address to listen on (default 127.0.0.1: this machine only; 0.0.0.0 for
                                 every interface, then set an API key)
              --port N           TCP port (default 8000; 0 picks a free one)
              --api-key KEY      require 'Authorization: Bearer KEY' on /v1 requests (default: $GLIMPSE_API_KEY;
                                 no key when neither is set)
              --served-model-name NAME
                                 the model id clients send and /v1/models lists (default: the directory's name)
              --allowed-local-media-path DIR
                                 let requests name image files under DIR by path or file:// URL (default: none;
                                 whoever can reach the server can then read every image in DIR)
              --max-tokens N     most tokens per answer when a request sets no max_tokens (default 1024)
              --max-images N     most images per request (default 16)
              --max-pixels N     most decoded pixels per request, all images together; more is refused
                                 with 413 before decoding. Default: 64000000 (four 4000x4000 photos), or
                                 what half the Java heap decodes at 56 bytes a pixel if that is less
                                 (below a 6.7 GiB heap). Requests decode at once what half the heap holds
                                 (at least N); the others wait. More heap: GLIMPSE_JVM_OPTS=-Xmx8g
              --max-prompt-tokens N
                                 most prompt tokens per request, text and images (default 32768; never more
                                 than the model's context)
              --request-timeout S
                                 seconds a client has to send a whole request (default 30); slower ones get 408
              --max-connections-per-client N
                                 open connections per client address (default 32); at the bound the one that
                                 has waited longest for its request makes way
              --help             show this help

            Sampling defaults come from the model's generation_config.json; requests override them with
            temperature, top_p, top_k, seed, repetition_penalty. Thinking is on unless a request sends
            "chat_template_kwargs": {"enable_thinking": false}. Requests are answered one at a time in arrival
            order; the others wait. Web image URLs are not fetched: send images as data URLs. Ctrl-C stops.
            """;

    private static final Map<String, Arguments.Kind> OPTIONS = options();

    private final PrintStream out;
    private final PrintStream err;
    private final CliEnvironment environment;

    ServeCommand(PrintStream out, PrintStream err, CliEnvironment environment) {
        this.out = out;
        this.err = err;
        this.environment = environment;
    }

    private static Map<String, Arguments.Kind> options() {
        Map<String, Arguments.Kind> o = new LinkedHashMap<>();
        o.put("model", Arguments.Kind.VALUE);
        o.put("dtype", Arguments.Kind.VALUE);
        o.put("host", Arguments.Kind.VALUE);
        o.put("port", Arguments.Kind.VALUE);
        o.put("api-key", Arguments.Kind.VALUE);
        o.put("served-model-name", Arguments.Kind.VALUE);
        o.put("allowed-local-media-path", Arguments.Kind.VALUE);
        o.put("max-tokens", Arguments.Kind.VALUE);
        o.put("max-images", Arguments.Kind.VALUE);
        o.put("max-pixels", Arguments.Kind.VALUE);
        o.put("max-prompt-tokens", Arguments.Kind.VALUE);
        o.put("request-timeout", Arguments.Kind.VALUE);
        o.put("max-connections-per-client", Arguments.Kind.VALUE);
        o.put("help", Arguments.Kind.FLAG);
        return o;
    }

    /**
     * What the command line asks for, checked before anything is loaded.
     *
     * @param apiKey            {@code null} for none
     * @param servedModelName   {@code null} for the directory's name
     * @param allowedMediaPath  {@code null} for none
     * @param limits            what one request may ask for
     * @param http              what one client may hold of the server
     */
    record Request(ModelOption.Choice model, String host, int port, String apiKey, String servedModelName,
                   Path allowedMediaPath, int maxTokens, RequestLimits limits, HttpLimits http,
                   ai.djl.ndarray.types.DataType dtype) {
    }

    /** Parses and checks the arguments; throws {@link UsageException}. */
    static Request parse(List<String> args, CliEnvironment environment) {
        return parse(args, environment, ServeOptions.DEFAULT_PORT, "glimpse serve");
    }

    /** Parses and checks the arguments of {@code command} (serve, or web with its own default port). */
    static Request parse(List<String> args, CliEnvironment environment, int defaultPort, String command) {
        Arguments a = Arguments.parse(args, OPTIONS);
        Optional<String> modelOption = a.value("model");
        if (modelOption.filter(ModelLocation::isUrl).isPresent()
                || modelOption.isEmpty() && environment.configuredModel().url().isPresent()) {
            throw new UsageException(command + " needs a local model directory, not an endpoint URL ("
                    + modelOption.orElse(environment.configuredModel().toString()) + "); give --model DIR");
        }
        ModelOption.Choice model = ModelOption.local(modelOption, environment.configuredModel());
        String host = a.value("host").orElse(ServeOptions.LOOPBACK).strip();
        if (host.isEmpty()) {
            throw new UsageException("--host is empty; give an address, e.g. --host 127.0.0.1");
        }
        int port = a.intValue("port", defaultPort, 0);
        if (port > 65535) {
            throw new UsageException("--port must be at most 65535, was " + port);
        }
        String key = a.value("api-key").orElse(environment.apiKey());
        if (key != null && key.isBlank()) {
            throw new UsageException("--api-key is empty; give a key, or leave the option out for none");
        }
        String name = a.value("served-model-name").orElse(null);
        if (name != null && name.isBlank()) {
            throw new UsageException("--served-model-name is empty; give a name, e.g. --served-model-name "
                    + "glm-4.6v-flash");
        }
        Path media = a.value("allowed-local-media-path").map(Path::of).orElse(null);
        if (media != null && !Files.isDirectory(media)) {
            throw new UsageException("--allowed-local-media-path " + media + (Files.exists(media)
                    ? " is a file; give a directory" : " does not exist"));
        }
        RequestLimits d = RequestLimits.DEFAULT;
        Long maxPixels = a.longValue("max-pixels");
        if (maxPixels != null && maxPixels < 1) {
            throw new UsageException("--max-pixels must be at least 1, was " + maxPixels);
        }
        RequestLimits limits = d.withMaxImages(a.intValue("max-images", d.maxImages(), 0))
                .withMaxPixels(maxPixels == null ? d.maxPixels() : maxPixels)
                .withMaxPromptTokens(a.intValue("max-prompt-tokens", d.maxPromptTokens(), 1));
        HttpLimits h = HttpLimits.DEFAULT;
        HttpLimits http = h.withRequestTimeout(Duration.ofSeconds(a.intValue("request-timeout",
                        (int) h.requestTimeout().toSeconds(), 1)))
                .withMaxConnectionsPerClient(a.intValue("max-connections-per-client", h.maxConnectionsPerClient(), 1));
        return new Request(model, host, port, key, name, media, a.intValue("max-tokens", AskCommand.DEFAULT_MAX_TOKENS,
                1), limits, http, DtypeOption.parse(a.value("dtype")));
    }

    /** A running server and its model; closing stops the server, then frees the model. */
    record Serving(ChatServer server, Glm4vModel model) implements AutoCloseable {
        @Override
        public void close() {
            try {
                server.close();
            } finally {
                model.close();
            }
        }
    }

    int run(List<String> args) {
        if (args.contains("--help")) {
            out.print(USAGE_TEXT);
            return Main.OK;
        }
        return serveUntilInterrupted("glimpse serve", () -> start(args));
    }

    /**
     * Starts serving, then serves until Ctrl-C and stops the server and frees the model; a failure to start is
     * reported on stderr with the exit code (2 for what the user must fix, 1 otherwise).
     */
    int serveUntilInterrupted(String command, Supplier<Serving> starter) {
        Serving serving;
        try {
            serving = starter.get();
        } catch (UsageException e) {
            err.println(command + ": " + e.getMessage());
            err.println("Run '" + command + " --help' for the options.");
            return Main.USAGE;
        } catch (IllegalArgumentException e) {
            err.println(command + ": " + e.getMessage());
            return Main.USAGE;
        } catch (RuntimeException e) {
            err.println(command + ": " + e.getMessage());
            return Main.FAILED;
        }
        try (InterruptHook stop = new InterruptHook(command.replace(' ', '-') + "-stop")) {
            stop.awaitInterrupt();
            err.println(command + ": stopping…");
            serving.close();
        } catch (InterruptedException e) {
            serving.close();
            Thread.currentThread().interrupt();
        }
        return Main.OK;
    }

    /**
     * Loads the model and starts serving; prints where to stderr and the API root to stdout.
     *
     * @throws UsageException           for a command line to fix
     * @throws IllegalArgumentException when the directory is not a model or the port is taken
     */
    Serving start(List<String> args) {
        Serving serving = start(parse(args, environment), "glimpse serve");
        out.println(serving.server().baseUrl());
        out.flush();
        return serving;
    }

    /** Loads the model and starts serving; prints where to stderr, prefixed with {@code command}. */
    Serving start(Request request, String command) {
        err.println(command + ": loading " + request.model() + " …");
        Glm4vModel model = Glm4vModel.load(ModelOption.directory(request.model(), err, environment,
                command.replaceFirst("^glimpse ", "")), Glm4vModel.Options.DEFAULT.withDtype(request.dtype()));
        ChatServer server;
        try {
            ModelInfo info = model.info();
            ModelOption.printWarnings(info, err, command);
            String name = request.servedModelName() != null ? request.servedModelName() : info.name();
            GenerationOptions defaults = model.defaultOptions().withMaxNewTokens(request.maxTokens());
            ServeOptions options = ServeOptions.of(name).withHost(request.host()).withPort(request.port())
                    .withApiKey(request.apiKey()).withAllowedLocalMediaPath(request.allowedMediaPath())
                    .withDefaults(defaults).withRequestLog(this::log).withLimits(request.limits())
                    .withHttp(request.http());
            server = ChatServer.start(model, options);
            err.printf(Locale.ROOT, "%s: %s (%s, %s) at %s — %s; Ctrl-C to stop%n", command, name, info.device(),
                    info.dtype(), server.baseUrl(), request.apiKey() != null ? "API key required" : "no API key");
            err.printf(Locale.ROOT, "%s: limits: %s (Java heap %d MiB; glimpse serve --help says how to change "
                    + "them)%n", command, request.limits().summary(), Runtime.getRuntime().maxMemory() >> 20);
            if (request.apiKey() == null && !isLoopback(request.host())) {
                err.println(command + ": warning: listening on " + request.host() + " without an API key: anyone "
                        + "who can reach this machine can use the model. Set --api-key or GLIMPSE_API_KEY.");
            }
            if (request.allowedMediaPath() != null) {
                err.println(command + ": requests may read image files under " + request.allowedMediaPath()
                        .toAbsolutePath().normalize());
            }
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
        return new Serving(server, model);
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** {@code chatcmpl-… 200 stream: 412 + 37 tokens, stop, 1830 ms}, or the status and the error. */
    private void log(RequestRecord r) {
        String line;
        if (r.error() != null) {
            line = String.format(Locale.ROOT, "%s %d%s: %s", r.id(), r.status(), r.stream() ? " stream" : "",
                    r.error());
        } else {
            String finish = r.finishReason() == null ? "none"
                    : r.finishReason() == FinishReason.CANCELLED ? "cancelled (client gone)"
                    : r.finishReason().name().toLowerCase(Locale.ROOT);
            line = String.format(Locale.ROOT, "%s %d%s: %d + %d tokens, %s, %.0f ms", r.id(), r.status(),
                    r.stream() ? " stream" : "", r.usage().promptTokens(), r.usage().completionTokens(), finish,
                    r.millis());
        }
        synchronized (err) {
            err.println("glimpse serve: " + line);
        }
    }
}
