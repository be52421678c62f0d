import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.glimpse.kernel.jshell.CellFailure;
import dev.glimpse.kernel.jshell.EvaluatorOptions;
import dev.glimpse.kernel.jshell.JShellEvaluator;
import jdk.jshell.JShell;

/**
 * Start-up and per-cell cost of Glimpse's JShell evaluator, against raw JShell with its local execution engine as
 * the baseline, measured in the same run. Every measurement that involves start-up runs in a fresh JVM; the table
 * shows medians over the rounds. Run through bench/jshell-eval.sh.
 */
public class JShellEvalBench {

    private static final List<String> IMPORTS = EvaluatorOptions.DEFAULT_IMPORTS;
    private static final int STEADY_EVALS = 20;
    private static final int INTERRUPTS = 5;

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("child")) {
            child(args[1]);
            return;
        }
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        Map<String, List<Double>> results = new LinkedHashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (String mode : List.of("raw", "cold", "warm")) {
                results.computeIfAbsent(mode, k -> new ArrayList<>()); // keep order
                for (Map.Entry<String, Double> e : runChild(mode).entrySet()) {
                    results.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
                }
            }
        }
        System.out.printf("Java %s, %d rounds, medians in ms (fresh JVM per round and mode)%n%n",
                Runtime.version(), rounds);
        System.out.printf("%-44s %12s %12s %8s%n", "", "raw JShell", "Glimpse", "ratio");
        row(results, "create", "raw.create", "cold.create");
        row(results, "first cell 1+1, no warm-up (with 8 imports)", "raw.first", "cold.first");
        row(results, "warmUp() (imports + warm-up)", null, "warm.warmUp");
        row(results, "first cell 1+1 after warmUp()", "raw.steady", "warm.first");
        row(results, "1+1, median of " + STEADY_EVALS + " later cells", "raw.steady", "warm.steady");
        row(results, "interrupt while(true){}, median of " + INTERRUPTS, null, "warm.interrupt");
        System.out.println("\nratio = Glimpse / raw JShell; the raw 'after warmUp' baseline is its steady 1+1.");
    }

    private static void row(Map<String, List<Double>> results, String label, String baseline, String measured) {
        double base = baseline == null ? Double.NaN : median(results.get(baseline));
        double value = median(results.get(measured));
        System.out.printf("%-44s %12s %12.1f %8s%n", label, Double.isNaN(base) ? "-" : String.format("%.1f", base),
                value, Double.isNaN(base) ? "-" : String.format("%.2f", value / base));
    }

    private static Map<String, Double> runChild(String mode) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), "bench/JShellEvalBench.java",
                "child", mode).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("child " + mode + " failed:\n" + out);
        }
        Map<String, Double> values = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            String[] kv = line.strip().split("=");
            if (kv.length == 2) {
                values.put(mode + "." + kv[0], Double.parseDouble(kv[1]));
            }
        }
        return values;
    }

    private static void child(String mode) throws Exception {
        long t0 = System.nanoTime();
        if (mode.equals("raw")) {
            try (JShell jshell = JShell.builder().executionEngine("local").build()) {
                print("create", t0);
                long t1 = System.nanoTime();
                for (String name : IMPORTS) {
                    jshell.eval("import " + name + ";");
                }
                jshell.eval("1+1");
                print("first", t1);
                double[] steady = new double[STEADY_EVALS];
                for (int i = 0; i < STEADY_EVALS; i++) {
                    long t = System.nanoTime();
                    jshell.eval("1+1");
                    steady[i] = ms(t);
                }
                System.out.println("steady=" + median(steady));
            }
            return;
        }
        try (JShellEvaluator evaluator = JShellEvaluator.create(EvaluatorOptions.defaults())) {
            print("create", t0);
            if (mode.equals("warm")) {
                long t = System.nanoTime();
                evaluator.warmUp();
                print("warmUp", t);
            }
            long t1 = System.nanoTime();
            evaluator.eval("1+1", 1);
            print("first", t1);
            double[] steady = new double[STEADY_EVALS];
            for (int i = 0; i < STEADY_EVALS; i++) {
                long t = System.nanoTime();
                evaluator.eval("1+1", 1);
                steady[i] = ms(t);
            }
            System.out.println("steady=" + median(steady));
            if (mode.equals("warm")) {
                double[] latency = new double[INTERRUPTS];
                for (int i = 0; i < INTERRUPTS; i++) {
                    CompletableFuture<Void> cell = CompletableFuture.runAsync(() -> {
                        try {
                            evaluator.eval("while (true) {}", 1);
                        } catch (CellFailure expected) {
                            // the interrupt
                        }
                    });
                    Thread.sleep(300);
                    long t = System.nanoTime();
                    evaluator.interrupt();
                    cell.get(30, TimeUnit.SECONDS);
                    latency[i] = ms(t);
                }
                System.out.println("interrupt=" + median(latency));
            }
        }
    }

    private static void print(String key, long since) {
        System.out.println(key + "=" + ms(since));
    }

    private static double ms(long since) {
        return (System.nanoTime() - since) / 1e6;
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    private static double median(List<Double> values) {
        return values == null || values.isEmpty() ? Double.NaN
                : median(values.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
