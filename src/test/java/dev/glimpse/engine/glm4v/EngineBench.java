package dev.glimpse.engine.glm4v;

import ai.djl.engine.Engine;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glimpse.engine.Answer;
import dev.glimpse.engine.CancellationToken;
import dev.glimpse.engine.GenerationOptions;
import dev.glimpse.engine.ImageLoader;
import dev.glimpse.engine.Prompt;
import dev.glimpse.engine.TokenListener;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Bench (not a test): the Java side of bench/engine, one process, one JSON line on stdout. The protocol is the one
 * of bench/engine/bench_transformers.py (read its docstring); bench/engine/compare.py runs both and prints the table.
 *
 * <pre>
 * EngineBench MODEL_DIR IMAGE PROMPT THREADS PREFILL_REPS DECODE_REPS DECODE_TOKENS LAUNCHED_EPOCH_SECONDS
 * </pre>
 */
public final class EngineBench {

    private final Glm4vModel model;
    private final Path image;
    private final String prompt;
    private final ImageLoader loader = new ImageLoader();

    private EngineBench(Glm4vModel model, Path image, String prompt) {
        this.model = model;
        this.image = image;
        this.prompt = prompt;
    }

    public static void main(String[] args) throws IOException {
        Path modelDir = Path.of(args[0]);
        Path image = Path.of(args[1]);
        String prompt = args[2];
        int threads = Integer.parseInt(args[3]);
        int prefillReps = Integer.parseInt(args[4]);
        int decodeReps = Integer.parseInt(args[5]);
        int decodeTokens = Integer.parseInt(args[6]);
        double launched = Double.parseDouble(args[7]);

        // The engine starts outside the load clock, as `import torch` is outside it on the Python side.
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        Engine engine = Engine.getEngine("PyTorch");

        long t0 = System.nanoTime();
        // -Dglimpse.bench.dtype=bfloat16|float16|float32 (default float32, the dtype transformers is run in)
        DataType dtype = switch (System.getProperty("glimpse.bench.dtype", "float32")) {
            case "bfloat16" -> DataType.BFLOAT16;
            case "float16" -> DataType.FLOAT16;
            default -> DataType.FLOAT32;
        };
        Glm4vModel model = Glm4vModel.load(modelDir, Glm4vModel.Options.DEFAULT.withDtype(dtype)
                .withThreads(threads));
        double loadSeconds = (System.nanoTime() - t0) / 1e9;
        double startupSeconds = System.currentTimeMillis() / 1000.0 - launched;

        EngineBench bench = new EngineBench(model, image, prompt);
        bench.answer(1); // warm-up
        bench.answer(decodeTokens + 1);
        List<Double> prefill = new ArrayList<>();
        List<Double> prefillCpu = new ArrayList<>();
        Map<String, List<Double>> phases = new LinkedHashMap<>();
        int promptTokens = 0;
        for (int i = 0; i < prefillReps; i++) {
            long t = System.nanoTime();
            long c = cpuNanos();
            Answer a = bench.answer(1);
            prefill.add((System.nanoTime() - t) / 1e6);
            prefillCpu.add((cpuNanos() - c) / 1e6);
            promptTokens = a.usage().promptTokens();
            phases.computeIfAbsent("preprocess", k -> new ArrayList<>()).add(a.timings().preprocessMillis());
            phases.computeIfAbsent("vision", k -> new ArrayList<>()).add(a.timings().visionMillis());
            phases.computeIfAbsent("prefill", k -> new ArrayList<>()).add(a.timings().prefillMillis());
        }
        List<Double> decode = new ArrayList<>();
        List<Double> decodeCpu = new ArrayList<>();
        List<List<Double>> decodeSteps = new ArrayList<>();
        List<Integer> tokens = List.of();
        for (int i = 0; i < decodeReps; i++) {
            Stamps stamps = new Stamps(decodeTokens + 1);
            tokens = bench.answer(decodeTokens + 1, stamps).tokenIds();
            decode.add(decodeTokens * 1e9 / (stamps.wall[decodeTokens] - stamps.wall[0]));
            decodeCpu.add((stamps.cpu[decodeTokens] - stamps.cpu[0]) / 1e6 / decodeTokens);
            decodeSteps.add(stamps.stepMillis());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("side", "java");
        out.put("version", "Java " + Runtime.version() + ", DJL " + engine.getVersion() + " (libtorch)");
        out.put("threads", threads);
        out.put("bf16_row_route", JavaBf16RowProduct.ROUTE);
        out.put("prompt_tokens", promptTokens);
        out.put("load_s", loadSeconds);
        out.put("startup_s", startupSeconds);
        out.put("prefill_ms", prefill);
        out.put("prefill_ms_median", median(prefill));
        out.put("prefill_cpu_ms_median", median(prefillCpu));
        Map<String, Double> phaseMedians = new LinkedHashMap<>();
        phases.forEach((k, v) -> phaseMedians.put(k, median(v)));
        out.put("prefill_phases_ms_median", phaseMedians);
        out.put("decode_tok_s", decode);
        out.put("decode_tok_s_median", median(decode));
        out.put("decode_cpu_ms_per_token_median", median(decodeCpu));
        out.put("decode_step_ms", decodeSteps); // each repetition's steps: spikes (GC, page faults) show here
        out.put("tokens", tokens);
        out.put("peak_rss_mb", peakRssKilobytes() / 1024.0);
        // at the end: anonymous (heap, native allocations, copied weights) vs file-backed (memory-mapped weights)
        out.put("rss_anon_mb", statusKilobytes("RssAnon:") / 1024.0);
        out.put("rss_file_mb", statusKilobytes("RssFile:") / 1024.0);
        System.out.println(new ObjectMapper().writeValueAsString(out));
        model.close();
    }

    /**
     * Wall time when each token reached the listener; process CPU time only for the first and the last token,
     * because reading it costs a system call that walks every thread of the JVM (measured: a fifth of the time of a
     * decoding step of the tiny fixture model when read for every token).
     */
    private static final class Stamps implements TokenListener {
        final long[] wall;
        final long[] cpu;
        private int next;

        Stamps(int tokens) {
            wall = new long[tokens];
            cpu = new long[tokens];
        }

        @Override
        public void onToken(Token token) {
            wall[next] = System.nanoTime();
            if (next == 0 || next == wall.length - 1) {
                cpu[next] = cpuNanos();
            }
            next++;
        }

        /** Milliseconds between consecutive tokens, rounded to 0.1 ms. */
        List<Double> stepMillis() {
            List<Double> steps = new ArrayList<>();
            for (int i = 1; i < next; i++) {
                steps.add(Math.round((wall[i] - wall[i - 1]) / 1e5) / 10.0);
            }
            return steps;
        }
    }

    private Answer answer(int newTokens) {
        return answer(newTokens, TokenListener.NONE);
    }

    /** Reads the image file and answers with exactly {@code newTokens} tokens (no stop id), greedily. */
    private Answer answer(int newTokens, TokenListener listener) {
        Prompt p = Prompt.of(prompt, loader.load(image));
        GenerationOptions options = GenerationOptions.DEFAULT.withMaxNewTokens(newTokens);
        Answer a = model.generateDetailed(p, options, listener, CancellationToken.NEVER, Set.of()).answer();
        if (a.tokenIds().size() != newTokens) {
            throw new IllegalStateException("generated " + a.tokenIds().size() + " tokens, expected " + newTokens);
        }
        return a;
    }

    /** CPU time of every thread of the process, native OpenMP workers included. */
    private static long cpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static long peakRssKilobytes() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("VmHWM not in /proc/self/status");
    }

    private static long statusKilobytes(String key) throws IOException {
        for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith(key)) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return -1;
    }
}
