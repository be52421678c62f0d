import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glimpse.engine.Answer;
import dev.glimpse.engine.CancellationToken;
import dev.glimpse.engine.GenerationOptions;
import dev.glimpse.engine.ImageInput;
import dev.glimpse.engine.ImageLoader;
import dev.glimpse.engine.Prompt;
import dev.glimpse.engine.TokenListener;
import dev.glimpse.engine.glm4v.Glm4vModel;
import dev.glimpse.pipeline.AnswerMatcher;
import dev.glimpse.pipeline.LatencySummary;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * glimpse-tiny in the Java engine, one JVM: greedy answers to the questions of a scenes.jsonl (written by
 * {@code python -m scenes generate}), accuracy per question type, and answer latency.
 *
 * <p>Latency is the wall time of {@code generate} per answer over the 224x224 images, after a warm-up. The
 * baseline row, measured in the same run on the same prompts, stops after one generated token (image encoder and
 * prefill only), so the ratio shows what decoding the answer adds. Run through {@code bench/glimpse-tiny}.
 *
 * <p>Arguments: MODEL_DIR SCENES_JSONL OUT_JSONL [thinking: on|off|both] [limit] [latency items].
 */
public class GlimpseTinyBench {

    private static final int WARM_UP = 5;
    private static final CancellationToken NEVER = () -> false;

    public static void main(String[] args) throws Exception {
        Path modelDir = Path.of(args[0]);
        Path data = Path.of(args[1]);
        Path out = Path.of(args[2]);
        String thinkingArg = args.length > 3 ? args[3] : "both";
        int limit = args.length > 4 ? Integer.parseInt(args[4]) : Integer.MAX_VALUE;
        int latencyItems = args.length > 5 ? Integer.parseInt(args[5]) : 100;
        List<Boolean> modes = switch (thinkingArg) {
            case "on" -> List.of(true);
            case "off" -> List.of(false);
            default -> List.of(true, false);
        };

        ObjectMapper json = new ObjectMapper();
        List<JsonNode> items = new ArrayList<>();
        for (String line : Files.readAllLines(data, StandardCharsets.UTF_8)) {
            if (!line.isBlank() && items.size() < limit) {
                items.add(json.readTree(line));
            }
        }
        ImageLoader loader = new ImageLoader();
        Map<String, ImageInput> images = new HashMap<>();
        Path base = data.toAbsolutePath().getParent();

        try (Glm4vModel model = Glm4vModel.load(modelDir)) {
            GenerationOptions greedy = model.defaultOptions().withTemperature(0.0);
            Map<String, int[]> hits = new LinkedHashMap<>();
            try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
                for (boolean thinking : modes) {
                    for (JsonNode it : items) {
                        ImageInput image = images.computeIfAbsent(it.get("image").asText(),
                                p -> loader.load(base.resolve(p)));
                        Answer a = model.generate(Prompt.of(it.get("question").asText(), image),
                                greedy.withThinking(thinking), TokenListener.NONE, NEVER);
                        boolean ok = AnswerMatcher.normalize(a.text()).equals(AnswerMatcher.normalize(it.get("answer").asText()));
                        String key = (thinking ? "on " : "off ") + it.get("type").asText();
                        int[] h = hits.computeIfAbsent(key, k -> new int[2]);
                        h[0] += ok ? 1 : 0;
                        h[1]++;
                        ObjectNode row = json.createObjectNode();
                        row.put("image", it.get("image").asText());
                        row.put("question", it.get("question").asText());
                        row.put("thinking", thinking);
                        row.put("answer", a.text());
                        row.putPOJO("tokens", a.tokenIds());
                        row.put("total_ms", a.timings().totalMillis());
                        w.write(json.writeValueAsString(row));
                        w.newLine();
                    }
                }
            }
            printAccuracy(hits);
            latency(model, items, images, loader, base, latencyItems, greedy);
        }
    }

    private static void latency(Glm4vModel model, List<JsonNode> items, Map<String, ImageInput> images,
                                ImageLoader loader, Path base, int count, GenerationOptions greedy) {
        List<Prompt> prompts = new ArrayList<>();
        for (JsonNode it : items) {
            if (prompts.size() >= count + WARM_UP) {
                break;
            }
            ImageInput image = images.computeIfAbsent(it.get("image").asText(), p -> loader.load(base.resolve(p)));
            if (image.width() == 224 && image.height() == 224) {
                prompts.add(Prompt.of(it.get("question").asText(), image));
            }
        }
        System.out.printf(Locale.ROOT, "%nlatency over %d answers to questions about 224x224 images (after %d "
                + "warm-up), threads: %d processors, load average at start %.1f%n", prompts.size() - WARM_UP,
                WARM_UP, Runtime.getRuntime().availableProcessors(), loadAverage());
        System.out.printf(Locale.ROOT, "%-36s %9s %9s %9s %8s%n", "", "p50 ms", "p95 ms", "mean ms", "vs base");
        double[] base1 = null;
        for (String mode : List.of("one token (baseline)", "thinking off", "thinking on")) {
            GenerationOptions o = switch (mode) {
                case "thinking off" -> greedy.withThinking(false);
                case "thinking on" -> greedy.withThinking(true);
                default -> greedy.withThinking(false).withMaxNewTokens(1);
            };
            double[] ms = new double[prompts.size() - WARM_UP];
            double tokens = 0;
            for (int i = 0; i < prompts.size(); i++) {
                long t0 = System.nanoTime();
                Answer a = model.generate(prompts.get(i), o, TokenListener.NONE, NEVER);
                double elapsed = (System.nanoTime() - t0) / 1e6;
                if (i >= WARM_UP) {
                    ms[i - WARM_UP] = elapsed;
                    tokens += a.tokenIds().size();
                }
            }
            double[] sorted = ms.clone();
            Arrays.sort(sorted);
            if (base1 == null) {
                base1 = sorted;
            }
            System.out.printf(Locale.ROOT, "%-36s %9.1f %9.1f %9.1f %7.2fx%n",
                    mode + String.format(Locale.ROOT, ", %.1f tokens", tokens / ms.length),
                    LatencySummary.nearestRank(sorted, 50), LatencySummary.nearestRank(sorted, 95), Arrays.stream(ms).average().orElse(0),
                    LatencySummary.nearestRank(sorted, 50) / LatencySummary.nearestRank(base1, 50));
        }
    }


    private static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (Exception e) {
            return Double.NaN;
        }
    }

    private static void printAccuracy(Map<String, int[]> hits) {
        System.out.printf(Locale.ROOT, "%-24s %9s %11s%n", "thinking, type", "accuracy", "correct");
        hits.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e ->
                System.out.printf(Locale.ROOT, "%-24s %9.3f %5d/%5d%n", e.getKey(),
                        e.getValue()[0] / (double) e.getValue()[1], e.getValue()[0], e.getValue()[1]));
    }

    /** As the Python evaluation: case-insensitive, whitespace collapsed, one trailing period ignored. */
}
