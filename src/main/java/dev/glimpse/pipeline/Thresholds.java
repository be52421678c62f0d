package dev.glimpse.pipeline;

/**
 * What an evaluation must reach to pass: a least overall accuracy and a greatest p95 latency.
 *
 * @param minAccuracy  the least overall accuracy, 0–1 (inclusive)
 * @param maxP95Millis the greatest 95th-percentile latency in milliseconds (inclusive)
 */
public record Thresholds(double minAccuracy, double maxP95Millis) {

    /** The original workflow's bar: accuracy ≥ 90 %, p95 latency ≤ 800 ms. */
    public static final Thresholds DEFAULT = new Thresholds(0.90, 800);

    public Thresholds {
        if (!(minAccuracy >= 0 && minAccuracy <= 1)) {
            throw new IllegalArgumentException("minAccuracy is a fraction between 0 and 1 (0.9 for 90 %), was "
                    + minAccuracy);
        }
        if (!(maxP95Millis > 0)) {
            throw new IllegalArgumentException("maxP95Millis must be a positive number of milliseconds, was "
                    + maxP95Millis);
        }
    }

    /** Judges a report. No answered questions means neither bar is met. */
    public Verdict check(EvalReport report) {
        double accuracy = report.overall().accuracy();
        double p95 = report.latency().p95();
        return new Verdict(this, accuracy, p95, !Double.isNaN(accuracy) && accuracy >= minAccuracy,
                !Double.isNaN(p95) && p95 <= maxP95Millis);
    }

    /**
     * How an evaluation measured up to its thresholds.
     *
     * @param thresholds    the bar
     * @param accuracy      the overall accuracy measured ({@code NaN} with no answers)
     * @param p95Millis     the p95 latency measured ({@code NaN} with no answers)
     * @param accuracyMet   whether the accuracy reaches the bar
     * @param latencyMet    whether the p95 latency is within the bar
     */
    public record Verdict(Thresholds thresholds, double accuracy, double p95Millis, boolean accuracyMet,
                          boolean latencyMet) {

        /** Both bars met. */
        public boolean passed() {
            return accuracyMet && latencyMet;
        }
    }
}
