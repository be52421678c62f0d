package dev.glimpse.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glimpse.engine.Answer;
import dev.glimpse.engine.Box;
import dev.glimpse.engine.GenerationOptions;
import dev.glimpse.engine.ImageInput;
import dev.glimpse.engine.ImageLoader;
import dev.glimpse.engine.ModelInfo;
import dev.glimpse.engine.Prompt;
import dev.glimpse.engine.TokenListener;
import dev.glimpse.engine.VisionLanguageModel;
import dev.glimpse.engine.glm4v.Glm4vModel;
import dev.glimpse.engine.hub.HubException;
import dev.glimpse.engine.glm4v.TokenLogit;
import dev.glimpse.engine.remote.RemoteModelException;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import dev.glimpse.engine.glm4v.InsufficientMemoryException;
import dev.glimpse.engine.glm4v.NonFiniteLogitsException;

/**
 * {@code glimpse ask}: loads a GLM-4V model directory (or connects to an OpenAI-compatible endpoint), asks one
 * question about zero or more images and prints the answer — streamed as plain text (reasoning on stderr), or as
 * one JSON object with timings and diagnostics.
 */
final class AskCommand {

    static final String USAGE_TEXT = """
            usage: glimpse ask [--model DIR|URL] [--image FILE]... --prompt TEXT [options]

            """ + ModelOption.HELP + DtypeOption.HELP + ModelOption.REMOTE_HELP + """
              --image FILE       an image to ask about (PNG, JPEG, GIF, BMP, TIFF); repeat for several
              --prompt TEXT      the question
              --max-tokens N     most tokens to generate, reasoning included (default 1024)
              --temperature T    above 0 samples (top-p, top-k from the model's generation_config.json);
                                 default 0: greedy, the same question gets the same answer
              --seed S           random seed for sampling
              --no-think         answer without reasoning first
              --json             print one JSON object (answer, reasoning, boxes, token counts, timings,
                                 warnings about the load) at the end
              --help             show this help

            Plain output streams the answer to stdout and the reasoning to stderr. With an endpoint, --json has
            no input_ids_length, first_step_top5 or tokens (the API does not return them).
            """;

    static final int DEFAULT_MAX_TOKENS = 1024;

    private static final Map<String, Arguments.Kind> OPTIONS = options();

    private final PrintStream out;
    private final PrintStream err;
    private final CliEnvironment environment;

    AskCommand(PrintStream out, PrintStream err, CliEnvironment environment) {
        this.out = out;
        this.err = err;
        this.environment = environment;
    }

    private static Map<String, Arguments.Kind> options() {
        Map<String, Arguments.Kind> o = new LinkedHashMap<>();
        o.put("model", Arguments.Kind.VALUE);
        o.put("dtype", Arguments.Kind.VALUE);
        o.put("remote-model", Arguments.Kind.VALUE);
        o.put("api-key", Arguments.Kind.VALUE);
        o.put("image", Arguments.Kind.REPEATED);
        o.put("prompt", Arguments.Kind.VALUE);
        o.put("max-tokens", Arguments.Kind.VALUE);
        o.put("temperature", Arguments.Kind.VALUE);
        o.put("seed", Arguments.Kind.VALUE);
        o.put("no-think", Arguments.Kind.FLAG);
        o.put("json", Arguments.Kind.FLAG);
        o.put("help", Arguments.Kind.FLAG);
        return o;
    }

    /** What the command line asks for, checked before anything is loaded. */
    record Request(ModelOption.Choice model, List<Path> images, String prompt, int maxTokens, Double temperature, Long seed,
                   boolean thinking, boolean json, ai.djl.ndarray.types.DataType dtype) {
    }

    /**
     * Parses and checks the arguments (files exist, numbers are numbers); without {@code --model}, uses the
     * configured model. Throws {@link UsageException}.
     */
    static Request parse(List<String> args, CliEnvironment environment) {
        Arguments a = Arguments.parse(args, OPTIONS);
        ModelOption.Choice model = ModelOption.choose(a.value("model"), environment.configuredModel(),
                a.value("remote-model"), a.value("api-key").or(() -> Optional.ofNullable(environment.apiKey())),
                a.value("api-key").isPresent());
        List<Path> images = new ArrayList<>();
        for (String image : a.values("image")) {
            Path p = Path.of(image);
            if (!Files.isRegularFile(p)) {
                throw new UsageException(Files.isDirectory(p) ? "--image " + p + " is a directory; pass an image file"
                        : "--image file " + p + " does not exist");
            }
            images.add(p);
        }
        String prompt = a.required("prompt", "\"What is in this image?\"");
        if (prompt.isBlank()) {
            throw new UsageException("--prompt is empty; ask a question, e.g. --prompt \"What is in this image?\"");
        }
        return new Request(model, images, prompt, a.intValue("max-tokens", DEFAULT_MAX_TOKENS, 1),
                a.doubleValue("temperature", 0.0), a.longValue("seed"), !a.flag("no-think"), a.flag("json"),
                DtypeOption.parse(a.value("dtype")));
    }

    int run(List<String> args) {
        if (args.contains("--help")) {
            out.print(USAGE_TEXT);
            return Main.OK;
        }
        Request request;
        List<ImageInput> images = new ArrayList<>();
        try {
            request = parse(args, environment);
            ImageLoader loader = new ImageLoader();
            for (Path p : request.images()) {
                images.add(loader.load(p));
            }
        } catch (UsageException | IllegalArgumentException e) {
            err.println("glimpse ask: " + e.getMessage());
            err.println("Run 'glimpse ask --help' for the options.");
            return Main.USAGE;
        }

        long loadStart = System.nanoTime();
        VisionLanguageModel model;
        try {
            model = ModelOption.open(request.model(), err, environment, "ask", request.dtype());
        } catch (IllegalArgumentException e) {
            err.println("glimpse ask: " + e.getMessage());
            return Main.USAGE;
        } catch (InsufficientMemoryException e) {
            err.println("glimpse ask: " + e.getMessage());
            return Main.FAILED;
        } catch (RemoteModelException | HubException e) {
            err.println("glimpse ask: " + e.getMessage());
            return Main.FAILED;
        }
        double loadMillis = (System.nanoTime() - loadStart) / 1e6;

        // Ctrl-C: stop after the current token and let the partial answer print before the JVM exits
        try (model; InterruptHook interrupt = new InterruptHook("glimpse-ask-interrupt")) {
            GenerationOptions options = options(model.defaultOptions(), request);
            Prompt prompt = Prompt.of(request.prompt(), images.toArray(ImageInput[]::new));
            TokenListener listener = request.json() ? TokenListener.NONE : this::stream;
            Glm4vModel.DetailedAnswer detailed = null;
            Answer answer;
            if (model instanceof Glm4vModel local) {
                detailed = local.generateDetailed(prompt, options, listener, interrupt::interrupted);
                answer = detailed.answer();
            } else {
                answer = model.generate(prompt, options, listener, interrupt::interrupted);
            }
            if (request.json()) {
                out.println(json(model.info(), answer, detailed, loadMillis));
            } else {
                out.println();
                out.flush();
            }
            return Main.OK;
        } catch (RemoteModelException | NonFiniteLogitsException e) {
            err.println("glimpse ask: " + e.getMessage());
            return Main.FAILED;
        } catch (RuntimeException e) {
            err.println("glimpse ask: generation failed: " + e);
            return Main.FAILED;
        }
    }

    /**
     * The options of one run: greedy unless {@code --temperature} is given, as in a notebook; the model's own
     * defaults (top-p, top-k, repetition penalty) stay, for when it samples.
     */
    static GenerationOptions options(GenerationOptions defaults, Request request) {
        GenerationOptions o = defaults.withMaxNewTokens(request.maxTokens()).withThinking(request.thinking())
                .withTemperature(request.temperature() == null ? 0.0 : request.temperature());
        if (request.seed() != null) {
            o = o.withSeed(request.seed());
        }
        return o;
    }

    private void stream(TokenListener.Token token) {
        if (token.text().isEmpty()) {
            return;
        }
        PrintStream target = token.reasoning() ? err : out;
        target.print(token.text());
        target.flush();
    }

    /**
     * The {@code --json} output.
     *
     * @param detailed what only the local engine reports (input ids, first-step logits), or {@code null}
     */
    static String json(ModelInfo model, Answer a, Glm4vModel.DetailedAnswer detailed, double loadMillis) {
        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        ObjectNode info = root.putObject("model");
        info.put("name", model.name());
        info.put("source", model.source());
        info.put("device", model.device());
        info.put("dtype", model.dtype());
        info.put("parameters", model.parameters());
        // what the CLI also prints on stderr (e.g. memory is tight: answers may be slow), for scripts that read stdout
        ArrayNode warnings = root.putArray("warnings");
        model.warnings().forEach(warnings::add);
        root.put("answer", a.text());
        root.put("reasoning", a.reasoning());
        ArrayNode boxes = root.putArray("boxes");
        for (Box b : a.boxes()) {
            boxes.addObject().put("x1", b.x1()).put("y1", b.y1()).put("x2", b.x2()).put("y2", b.y2());
        }
        root.put("finish_reason", a.finishReason().name().toLowerCase(java.util.Locale.ROOT));
        if (detailed != null) {
            root.put("input_ids_length", detailed.inputIds().length);
        }
        root.put("prompt_tokens", a.usage().promptTokens());
        root.put("completion_tokens", a.usage().completionTokens());
        ObjectNode timings = root.putObject("timings_ms");
        timings.put("load", loadMillis);
        timings.put("preprocessing", a.timings().preprocessMillis());
        timings.put("vision_encoder", a.timings().visionMillis());
        timings.put("prefill", a.timings().prefillMillis());
        ArrayNode decode = timings.putArray("decode_steps");
        a.timings().decodeMillis().forEach(decode::add);
        timings.put("total", a.timings().totalMillis());
        if (detailed != null) {
            ArrayNode top = root.putArray("first_step_top5");
            for (TokenLogit t : detailed.firstStepTop5()) {
                top.addObject().put("id", t.id()).put("logit", t.logit());
            }
            ArrayNode tokens = root.putArray("tokens");
            a.tokenIds().forEach(tokens::add);
        }
        try {
            return mapper.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
