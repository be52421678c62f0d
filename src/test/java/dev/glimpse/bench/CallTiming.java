package dev.glimpse.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The timing protocol the bf16 backend benches share (bench/engine/README.md): the DJL ones in the test sources and
 * bench/engine/javacpp, which compiles this file next to its own (no dependency beyond the JDK). Results are
 * {@code {median wall ms, mean process CPU ms (all threads), count}}.
 */
public final class CallTiming {

    private CallTiming() {
    }

    /** 2 warm-up calls, then calls until 1 s has passed or 200 calls were made (at least 5). */
    public static double[] calls(Runnable call) {
        for (int i = 0; i < 2; i++) {
            call.run();
        }
        List<Double> wall = new ArrayList<>();
        long cpu0 = processCpuNanos();
        long start = System.nanoTime();
        while (wall.size() < 5 || (System.nanoTime() - start < 1_000_000_000L && wall.size() < 200)) {
            long t = System.nanoTime();
            call.run();
            wall.add((System.nanoTime() - t) / 1e6);
        }
        return summary(wall, processCpuNanos() - cpu0);
    }

    /**
     * 2 warm-up steps, then {@code steps} timed ones; each step times its own core (leaving out the set-up of its
     * input) and returns those nanoseconds. CPU time covers the whole timed steps, set-up included.
     */
    public static double[] steps(int steps, LongSupplier step) {
        for (int i = 0; i < 2; i++) {
            step.getAsLong();
        }
        List<Double> wall = new ArrayList<>();
        long cpu0 = processCpuNanos();
        for (int i = 0; i < steps; i++) {
            wall.add(step.getAsLong() / 1e6);
        }
        return summary(wall, processCpuNanos() - cpu0);
    }

    public static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static double[] summary(List<Double> wall, long cpuNanos) {
        double[] sorted = wall.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new double[] {sorted[sorted.length / 2], cpuNanos / 1e6 / sorted.length, sorted.length};
    }
}
