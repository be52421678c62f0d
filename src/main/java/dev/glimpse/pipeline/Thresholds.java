package dev.glimpse.pipeline;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What an evaluation must reach to pass: a least overall accuracy, a greatest p95 latency, and optionally a least
 * accuracy for some question types ({@link #forType}).
 *
 * @param minAccuracy  the least overall accuracy, 0–1 (inclusive)
 * @param maxP95Millis the greatest 95th-percentile latency in milliseconds (inclusive)
 * @param byType       the least accuracy of a question type, 0–1, for the types that have their own bar
 */
public record Thresholds(double minAccuracy, double maxP95Millis, Map<String, Double> byType) {

    /** The original workflow's bar: accuracy ≥ 90 %, p95 latency ≤ 800 ms. */
    public static final Thresholds DEFAULT = new Thresholds(0.90, 800);

    public Thresholds {
        check(minAccuracy, "minAccuracy");
        if (!(maxP95Millis > 0)) {
            throw new IllegalArgumentException("maxP95Millis must be a positive number of milliseconds, was "
                    + maxP95Millis);
        }
        byType = Map.copyOf(byType);
        byType.forEach((type, min) -> check(min, "the accuracy bar of type " + type));
    }

    /** A bar for overall accuracy and p95 latency only. */
    public Thresholds(double minAccuracy, double maxP95Millis) {
        this(minAccuracy, maxP95Millis, Map.of());
    }

    private static void check(double fraction, String what) {
        if (!(fraction >= 0 && fraction <= 1)) {
            throw new IllegalArgumentException(what + " is a fraction between 0 and 1 (0.9 for 90 %), was "
                    + fraction);
        }
    }

    /** These thresholds, and questions of {@code type} must also reach {@code minAccuracy} (0–1). */
    public Thresholds forType(String type, double minAccuracy) {
        Map<String, Double> types = new TreeMap<>(byType);
        types.put(type, minAccuracy);
        return new Thresholds(this.minAccuracy, maxP95Millis, types);
    }

    /**
     * Judges a report. No answered questions means neither bar is met; a type with its own bar that has no
     * questions in the report is not judged.
     */
    public Verdict check(EvalReport report) {
        double accuracy = report.overall().accuracy();
        double p95 = report.latency().p95();
        List<String> below = new ArrayList<>();
        for (Map.Entry<String, Double> bar : new TreeMap<>(byType).entrySet()) {
            report.accuracyOf(bar.getKey()).filter(a -> a.items() > 0 && a.accuracy() < bar.getValue())
                    .ifPresent(a -> below.add(a.group()));
        }
        return new Verdict(this, accuracy, p95, !Double.isNaN(accuracy) && accuracy >= minAccuracy,
                !Double.isNaN(p95) && p95 <= maxP95Millis, below);
    }

    /**
     * How an evaluation measured up to its thresholds.
     *
     * @param thresholds  the bar
     * @param accuracy    the overall accuracy measured ({@code NaN} with no answers)
     * @param p95Millis   the p95 latency measured ({@code NaN} with no answers)
     * @param accuracyMet whether the accuracy reaches the bar
     * @param latencyMet  whether the p95 latency is within the bar
     * @param typesBelow  the question types with their own bar that fall short of it, sorted
     */
    public record Verdict(Thresholds thresholds, double accuracy, double p95Millis, boolean accuracyMet,
                          boolean latencyMet, List<String> typesBelow) {

        public Verdict {
            typesBelow = List.copyOf(typesBelow);
        }

        /** Every bar met. */
        public boolean passed() {
            return accuracyMet && latencyMet && typesBelow.isEmpty();
        }
    }
}
