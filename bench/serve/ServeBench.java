import dev.glimpse.engine.Answer;
import dev.glimpse.engine.CancellationToken;
import dev.glimpse.engine.GenerationOptions;
import dev.glimpse.engine.ImageInput;
import dev.glimpse.engine.ImageLoader;
import dev.glimpse.engine.Prompt;
import dev.glimpse.engine.TokenListener;
import dev.glimpse.engine.glm4v.Glm4vModel;
import dev.glimpse.engine.remote.OpenAiCompatibleModel;
import dev.glimpse.serve.ChatServer;
import dev.glimpse.serve.ServeOptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Throughput of {@code glimpse serve} with concurrent clients against the baseline of calling the engine directly,
 * one question after another, on the same model and questions in the same run. The server runs in this JVM on
 * 127.0.0.1; each client is an {@link OpenAiCompatibleModel} on its own thread, sending images as PNG data URLs.
 * Greedy decoding, so every served answer can be checked against the direct one. Run through bench/serve/run.sh.
 *
 * <p>Arguments: [model dir] [requests] [max new tokens] [clients] [rounds].
 */
public class ServeBench {

    /** One timed pass; {@code cpuSeconds} is this process's CPU time over it (all threads, native ones too). */
    record Result(String mode, int requests, int errors, int same, long tokens, double seconds, double cpuSeconds) {
    }

    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    private static double cpu() {
        return OS.getProcessCpuTime() / 1e9;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : defaultModel());
        int requests = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        int maxTokens = args.length > 2 ? Integer.parseInt(args[2]) : 32;
        int clients = args.length > 3 ? Integer.parseInt(args[3]) : 8;
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 5;

        Glm4vModel model = Glm4vModel.load(dir);
        GenerationOptions options = model.defaultOptions().withTemperature(0).withMaxNewTokens(maxTokens);
        List<Prompt> prompts = prompts(requests);

        List<Result> direct = new ArrayList<>();
        List<List<Result>> served = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        List<Answer> answers;
        try (ChatServer server = ChatServer.start(model, ServeOptions.of("bench").withPort(0))) {
            String url = server.baseUrl().toString();
            // warm-up: one untimed pass each way (JIT, the native engine's first calls, connections)
            answers = direct(model, prompts, options, null);
            serve(url, prompts, answers, options, clients, true);
            // each round runs every mode, starting one later than the round before, so a change in machine load
            // touches all modes alike
            for (int r = 0; r < rounds; r++) {
                double[] seconds = new double[4];
                for (int k = 0; k < 4; k++) {
                    int mode = (r + k) % 4;
                    Result result;
                    if (mode == 0) {
                        List<Result> out = new ArrayList<>();
                        direct(model, prompts, options, out);
                        result = out.get(0);
                        direct.add(result);
                    } else {
                        result = serve(url, prompts, answers, options, mode == 1 ? 1 : clients, mode != 3);
                        served.get(mode - 1).add(result);
                    }
                    seconds[mode] = result.seconds();
                }
                if (System.getenv("BENCH_DEBUG") != null) {
                    System.err.printf(Locale.ROOT, "round %d: direct %.2f s, served %.2f / %.2f / %.2f s%n", r,
                            seconds[0], seconds[1], seconds[2], seconds[3]);
                }
            }
        }
        model.close();

        System.out.printf(Locale.ROOT, "model %s (%s), %d requests, greedy, at most %d new tokens, %d processors, "
                + "Java %s; median of %d rounds%n%n", dir, model.info().device(), requests, maxTokens,
                Runtime.getRuntime().availableProcessors(), Runtime.version(), rounds);
        System.out.printf(Locale.ROOT, "%-38s %8s %6s %6s %7s %7s %8s %7s %10s %9s%n", "mode", "requests",
                "errors", "same", "tokens", "wall s", "tok/s", "ratio", "CPU ms/tok", "CPU ratio");
        Result baseline = median(direct);
        row(baseline, baseline);
        for (List<Result> r : served) {
            row(median(r), baseline);
        }
        System.out.println();
        System.out.println("ratio: throughput (tokens/s) against the engine called directly, one request after "
                + "another; target >= 0.90 with " + clients + " clients");
        System.out.println("CPU ms/tok: this process's CPU time per generated token (model, HTTP server and clients "
                + "together); CPU ratio against the engine alone");
        System.out.println("same: served answers equal to the direct ones (text, reasoning, token counts). A stream "
                + "cannot reproduce one quirk: a random model's\n      </think> without <think> makes the text "
                + "before it reasoning in the final parse, but it was streamed as answer text.");
    }

    private static List<Answer> direct(Glm4vModel model, List<Prompt> prompts, GenerationOptions options,
                                       List<Result> out) {
        long t0 = System.nanoTime();
        double c0 = cpu();
        List<Answer> answers = new ArrayList<>();
        long tokens = 0;
        for (Prompt p : prompts) {
            Answer a = model.generate(p, options);
            answers.add(a);
            tokens += a.usage().completionTokens();
        }
        if (out != null) {
            out.add(new Result("engine, sequential", prompts.size(), 0, prompts.size(), tokens,
                    (System.nanoTime() - t0) / 1e9, cpu() - c0));
        }
        return answers;
    }

    private static Result median(List<Result> results) {
        List<Result> sorted = new ArrayList<>(results);
        sorted.sort((a, b) -> Double.compare(a.seconds(), b.seconds()));
        return sorted.get(sorted.size() / 2);
    }

    private static Result serve(String url, List<Prompt> prompts, List<Answer> direct, GenerationOptions options,
                                int clients, boolean streaming) throws Exception {
        ConcurrentLinkedQueue<Integer> work = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < prompts.size(); i++) {
            work.add(i);
        }
        AtomicInteger errors = new AtomicInteger();
        AtomicInteger same = new AtomicInteger();
        AtomicLong tokens = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long t0 = System.nanoTime();
        double c0 = cpu();
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            running.add(pool.submit(() -> {
                try (OpenAiCompatibleModel client = OpenAiCompatibleModel.connect(url, "bench", null,
                        OpenAiCompatibleModel.Options.DEFAULT.withStreaming(streaming))) {
                    Integer i;
                    while ((i = work.poll()) != null) {
                        try {
                            Answer a = client.generate(prompts.get(i), options, TokenListener.NONE,
                                    CancellationToken.NEVER);
                            tokens.addAndGet(a.usage().completionTokens());
                            Answer d = direct.get(i);
                            if (a.text().equals(d.text()) && a.reasoning().equals(d.reasoning())
                                    && a.usage().equals(d.usage())) {
                                same.incrementAndGet();
                            } else if (System.getenv("BENCH_DEBUG") != null) {
                                System.err.println("request " + i + " differs:\n  direct " + d.text() + " | "
                                        + d.reasoning() + " | " + d.usage() + "\n  served " + a.text() + " | "
                                        + a.reasoning() + " | " + a.usage());
                            }
                        } catch (RuntimeException e) {
                            errors.incrementAndGet();
                            System.err.println("request " + i + ": " + e.getMessage());
                        }
                    }
                }
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpuSeconds = cpu() - c0;
        pool.shutdown();
        String mode = "serve, " + clients + " client" + (clients == 1 ? "" : "s") + ", "
                + (streaming ? "streaming" : "not streaming");
        return new Result(mode, prompts.size(), errors.get(), same.get(), tokens.get(), seconds, cpuSeconds);
    }

    private static void row(Result r, Result baseline) {
        double tps = r.tokens() / r.seconds();
        double cpuPerToken = 1000 * r.cpuSeconds() / r.tokens();
        System.out.printf(Locale.ROOT, "%-38s %8d %6d %6d %7d %7.2f %8.1f %7.2f %10.2f %9.2f%n", r.mode(),
                r.requests(), r.errors(), r.same(), r.tokens(), r.seconds(), tps,
                tps / (baseline.tokens() / baseline.seconds()),
                cpuPerToken, cpuPerToken / (1000 * baseline.cpuSeconds() / baseline.tokens()));
    }

    /** Questions about the fixture images and a few without an image, in a fixed order. */
    private static List<Prompt> prompts(int n) throws Exception {
        Path images = Path.of("src/test/resources/glm4v/images");
        List<ImageInput> loaded = new ArrayList<>();
        ImageLoader loader = new ImageLoader();
        for (String name : new String[] {"shapes_rgb.png", "wide_rgb.png", "small_p.png", "stripes_l.png",
            "badge_rgba.png", "tiny_rgb.png"}) {
            loaded.add(loader.load(images.resolve(name)));
        }
        String[] questions = {"What is in this image?", "Describe the picture.", "What colours do you see?",
            "How many shapes are there?", "Is there any text?"};
        List<Prompt> prompts = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String q = questions[i % questions.length];
            prompts.add(i % 4 == 3 ? Prompt.of(q + " (" + i + ")")
                    : Prompt.of(q + " (" + i + ")", loaded.get(i % loaded.size())));
        }
        return prompts;
    }

    private static String defaultModel() {
        Path tiny = Path.of("models/glimpse-tiny");
        return Files.isDirectory(tiny) ? tiny.toString() : "src/test/resources/glm4v/tiny-a/model";
    }
}
