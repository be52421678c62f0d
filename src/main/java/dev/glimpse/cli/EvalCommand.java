package dev.glimpse.cli;

import dev.glimpse.engine.GenerationOptions;
import dev.glimpse.engine.ModelInfo;
import dev.glimpse.engine.VisionLanguageModel;
import dev.glimpse.engine.hub.HubException;
import dev.glimpse.engine.remote.OpenAiCompatibleModel;
import dev.glimpse.engine.remote.RemoteModelException;
import dev.glimpse.pipeline.EvalDataset;
import dev.glimpse.pipeline.EvalRunner;
import dev.glimpse.pipeline.Evaluation;
import dev.glimpse.pipeline.ModelJudge;

import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code glimpse eval}: runs a GLM-4V model (local, or behind an OpenAI-compatible endpoint) over a JSONL data set of image questions with expected answers, shows
 * progress on stderr, prints accuracy per question type and overall with latency percentiles, and writes every
 * answer to a CSV file.
 */
final class EvalCommand {

    static final String USAGE_TEXT = """
            usage: glimpse eval [--model DIR|URL] --data FILE.jsonl [options]

            """ + ModelOption.HELP + DtypeOption.HELP + ModelOption.REMOTE_HELP + """
              --data FILE        the questions, one JSON object per line:
                                   {"image": "a.png", "question": "What colour is the circle?",
                                    "answer": "red", "type": "color"}
                                 image paths are relative to FILE; type is optional (default "default");
                                 instead of "answer": "any_of", "contains_all", "contains_any", "regex",
                                 "number" (+ "tolerance"), "list" or "judge" (see README, Matchers)
              --out FILE         where to write every answer as CSV (image,type,question,matcher,
                                 expected,answer,correct,score,why,latency_ms);
                                 default: <data file name>-results.csv in the current directory
                                 every answer is also kept as it comes in <out name>.answers.csv (askAll's
                                 format); a re-run takes the answers it holds for the same image content,
                                 question, model and options instead of asking again, and scores them anew
              --concurrency N    questions in flight at once (default 1 for a local model,
                                 8 for an endpoint); results stay in data set order
              --judge URL        grade "judge" items with the model at this OpenAI-compatible
                                 endpoint (default: the model under test)
              --judge-model NAME the served model name at --judge (default: its first)
              --limit N          evaluate only the first N questions
              --max-tokens N     most tokens per answer, reasoning included (default 1024)
              --no-think         answer without reasoning first
              --help             show this help

            Decoding is greedy. An "answer" is correct when it equals the expected one after normalising case,
            full-width characters, surrounding punctuation, articles and list separators ("Red." matches "red",
            "a, b and c" matches "a, b, c"). Requests an endpoint turns away for now (429, 5xx) are retried with
            backoff; an item that still fails, or whose image does not decode, is an error row counted wrong.
            Progress goes to stderr; the accuracy table and latency percentiles (nearest rank) to stdout. Exit
            code 0 whenever the run completes, whatever the accuracy; Ctrl-C stops early and still reports and
            writes what was answered.
            """;

    static final int DEFAULT_MAX_TOKENS = AskCommand.DEFAULT_MAX_TOKENS;

    /** How many failures the report lists (the CSV has them all). */
    static final int FAILURES_SHOWN = 10;

    private static final Map<String, Arguments.Kind> OPTIONS = options();

    private final PrintStream out;
    private final PrintStream err;
    private final CliEnvironment environment;

    EvalCommand(PrintStream out, PrintStream err, CliEnvironment environment) {
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
        o.put("data", Arguments.Kind.VALUE);
        o.put("out", Arguments.Kind.VALUE);
        o.put("limit", Arguments.Kind.VALUE);
        o.put("max-tokens", Arguments.Kind.VALUE);
        o.put("concurrency", Arguments.Kind.VALUE);
        o.put("judge", Arguments.Kind.VALUE);
        o.put("judge-model", Arguments.Kind.VALUE);
        o.put("no-think", Arguments.Kind.FLAG);
        o.put("help", Arguments.Kind.FLAG);
        return o;
    }

    /**
     * What the command line asks for, checked before anything is loaded.
     *
     * @param limit       0 for every question
     * @param concurrency 0 for the model's default
     * @param judge       the judge endpoint's URL, or null for the model under test
     * @param judgeModel  the judge's served model name, or null for the endpoint's first
     */
    record Request(ModelOption.Choice model, Path data, Path out, int limit, int maxTokens, boolean thinking,
                   int concurrency, String judge, String judgeModel, ai.djl.ndarray.types.DataType dtype) {
    }

    /** Parses and checks the arguments; throws {@link UsageException}. */
    static Request parse(List<String> args, CliEnvironment environment) {
        Arguments a = Arguments.parse(args, OPTIONS);
        Path data = Path.of(a.required("data", "questions.jsonl"));
        if (!Files.isRegularFile(data)) {
            throw new UsageException(Files.isDirectory(data) ? "--data " + data + " is a directory; pass a .jsonl file"
                    : "--data file " + data + " does not exist");
        }
        Path out = a.value("out").map(Path::of).orElseGet(() -> defaultOut(data));
        if (Files.isDirectory(out)) {
            throw new UsageException("--out " + out + " is a directory; give a file name, e.g. --out "
                    + out.resolve("results.csv"));
        }
        Path parent = out.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new UsageException("--out " + out + ": directory " + parent + " does not exist; create it first");
        }
        int limit = a.intValue("limit", 0, 1);
        int maxTokens = a.intValue("max-tokens", DEFAULT_MAX_TOKENS, 1);
        int concurrency = a.intValue("concurrency", 0, 1);
        String judge = a.value("judge").orElse(null);
        if (judge != null && !dev.glimpse.engine.ModelLocation.isUrl(judge.strip())) {
            throw new UsageException("--judge " + judge + " is not an endpoint URL; give one like "
                    + "http://localhost:8000/v1");
        }
        if (judge == null && a.value("judge-model").isPresent()) {
            throw new UsageException("--judge-model needs --judge URL");
        }
        ModelOption.Choice model = ModelOption.choose(a.value("model"), environment.configuredModel(),
                a.value("remote-model"), a.value("api-key").or(() -> Optional.ofNullable(environment.apiKey())),
                a.value("api-key").isPresent());
        return new Request(model, data, out, limit, maxTokens, !a.flag("no-think"), concurrency, judge,
                a.value("judge-model").orElse(null), DtypeOption.parse(a.value("dtype")));
    }

    /** Where the answers are kept as they come, for resuming: {@code results.csv} → {@code results.answers.csv}. */
    static Path answersFile(Path out) {
        String name = out.getFileName().toString();
        String stem = name.toLowerCase(Locale.ROOT).endsWith(".csv") ? name.substring(0, name.length() - 4) : name;
        return out.resolveSibling(stem + ".answers.csv");
    }

    /** {@code <data file name without extension>-results.csv} in the current directory. */
    static Path defaultOut(Path data) {
        String name = data.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return Path.of((dot > 0 ? name.substring(0, dot) : name) + "-results.csv");
    }

    int run(List<String> args) {
        if (args.contains("--help")) {
            out.print(USAGE_TEXT);
            return Main.OK;
        }
        Request request;
        EvalDataset dataset;
        try {
            request = parse(args, environment);
            dataset = EvalDataset.read(request.data());
            if (request.limit() > 0) {
                dataset = dataset.limit(request.limit());
            }
        } catch (UsageException | IllegalArgumentException e) {
            err.println("glimpse eval: " + e.getMessage());
            err.println("Run 'glimpse eval --help' for the options.");
            return Main.USAGE;
        } catch (UncheckedIOException e) {
            err.println("glimpse eval: " + e.getMessage());
            return Main.FAILED;
        }

        err.println("glimpse eval: " + (request.model() instanceof ModelOption.Remote ? "connecting to "
                : "loading ") + (request.model() instanceof ModelOption.Local l ? l.directory() : request.model())
                + " …");
        VisionLanguageModel model;
        try {
            model = ModelOption.open(request.model(), err, environment, "eval", request.dtype());
        } catch (IllegalArgumentException e) {
            err.println("glimpse eval: " + e.getMessage());
            return Main.USAGE;
        } catch (dev.glimpse.engine.glm4v.InsufficientMemoryException e) {
            err.println("glimpse eval: " + e.getMessage());
            return Main.FAILED;
        } catch (RemoteModelException | HubException e) {
            err.println("glimpse eval: " + e.getMessage());
            return Main.FAILED;
        }
        // Ctrl-C: stop after the current token, then report and write what was answered before the JVM exits
        try (InterruptHook interrupt = new InterruptHook("glimpse-eval-interrupt")) {
            return evaluate(request, dataset, model, interrupt);
        }
    }

    private int evaluate(Request request, EvalDataset dataset, VisionLanguageModel model, InterruptHook interrupt) {
        ProgressLine progress = new ProgressLine(err, environment.stderrIsTerminal());
        Evaluation evaluation;
        try (model) {
            GenerationOptions options = model.defaultOptions().withTemperature(0)
                    .withMaxNewTokens(request.maxTokens()).withThinking(request.thinking());
            err.println("glimpse eval: " + dataset.size() + " question" + (dataset.size() == 1 ? "" : "s") + " from "
                    + request.data());
            int concurrency = request.concurrency() > 0 ? request.concurrency() : model.defaultConcurrency();
            EvalRunner runner = new EvalRunner(model).withOptions(options).withConcurrency(concurrency)
                    .withAnswersFile(answersFile(request.out()));
            if (request.judge() != null) {
                runner = runner.withJudge(new ModelJudge(OpenAiCompatibleModel.connect(request.judge(),
                        request.judgeModel(), null)));
            }
            evaluation = runner.run(dataset, progress, interrupt::interrupted);
            if (evaluation.resumed() > 0) {
                progress.finish();
                err.println("glimpse eval: resumed " + evaluation.resumed() + " of " + dataset.size() + " answers from "
                        + answersFile(request.out()) + " (same image, question, model and options), scored again");
            }
        } catch (IllegalArgumentException e) {
            progress.finish();
            err.println("glimpse eval: " + e.getMessage());
            return Main.USAGE;
        } catch (RuntimeException e) {
            progress.finish();
            err.println("glimpse eval: " + e.getMessage());
            return Main.FAILED;
        }
        progress.finish();

        try {
            evaluation.writeCsv(request.out());
        } catch (UncheckedIOException e) {
            err.println("glimpse eval: " + e.getMessage());
            return Main.FAILED;
        }
        out.println(header(evaluation));
        out.println();
        out.print(evaluation.report().format());
        String failures = evaluation.formatFailures(FAILURES_SHOWN);
        if (!failures.isEmpty()) {
            out.println();
            out.println("failures:");
            out.print(failures);
        }
        out.println();
        out.println("answers: " + request.out().toAbsolutePath().normalize() + " (" + evaluation.results().size()
                + " row" + (evaluation.results().size() == 1 ? "" : "s") + ")");
        out.flush();
        return Main.OK;
    }

    /** {@code glimpse-tiny (cpu(), float32) on eval.jsonl: 3 of 3 questions, greedy, thinking off, ≤ 1024 tokens}. */
    static String header(Evaluation e) {
        ModelInfo m = e.model();
        String answered = e.cancelled()
                ? "interrupted after " + e.results().size() + " of " + e.planned() + " questions"
                : e.results().size() + " question" + (e.results().size() == 1 ? "" : "s");
        return String.format(Locale.ROOT, "%s (%s, %s) on %s: %s, greedy, thinking %s, at most %d new tokens",
                m.name(), m.device(), m.dtype(), e.dataset().source().getFileName(), answered,
                e.options().thinking() ? "on" : "off", e.options().maxNewTokens());
    }
}
