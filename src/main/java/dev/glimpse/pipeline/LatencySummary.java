package dev.glimpse.pipeline;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Arrays;
import java.util.Collection;

/**
 * Latency percentiles of an evaluation, in milliseconds, by the <b>nearest-rank</b> method: the p-th percentile of
 * n sorted values is the value at rank ⌈p·n/100⌉ (1-based), so it is always one of the measured latencies — with
 * 20 answers, p95 is the 19th fastest; with 10, it is the slowest. See {@link #nearestRank}.
 *
 * @param count how many latencies were measured
 * @param p50   the median by nearest rank ({@code NaN} when {@code count} is 0)
 * @param p95   the 95th percentile by nearest rank ({@code NaN} when {@code count} is 0)
 * @param max   the slowest ({@code NaN} when {@code count} is 0)
 * @param mean  the arithmetic mean ({@code NaN} when {@code count} is 0)
 */
public record LatencySummary(int count, double p50, double p95, double max, double mean) {

    /** Summarises latencies in milliseconds (any order). */
    public static LatencySummary of(Collection<Double> millis) {
        return of(millis.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** Summarises latencies in milliseconds (any order; the array is not changed). */
    public static LatencySummary of(double[] millis) {
        if (millis.length == 0) {
            return new LatencySummary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        double[] sorted = millis.clone();
        Arrays.sort(sorted);
        double mean = Arrays.stream(sorted).sum() / sorted.length;
        return new LatencySummary(sorted.length, nearestRank(sorted, 50), nearestRank(sorted, 95),
                sorted[sorted.length - 1], mean);
    }

    /**
     * The nearest-rank percentile: the value at 1-based rank ⌈percent·n/100⌉ of {@code sorted}, computed in
     * exact decimal arithmetic (so p99.9 of 1000 values is rank 999, not 1000 by a binary rounding error).
     *
     * @param sorted  values in ascending order, at least one
     * @param percent in (0, 100]; 100 gives the maximum
     */
    public static double nearestRank(double[] sorted, double percent) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no values to take a percentile of");
        }
        if (!(percent > 0 && percent <= 100)) {
            throw new IllegalArgumentException("percent must be in (0, 100], was " + percent);
        }
        int rank = BigDecimal.valueOf(percent).multiply(BigDecimal.valueOf(sorted.length))
                .divide(BigDecimal.valueOf(100), 0, RoundingMode.CEILING).intValueExact();
        return sorted[Math.max(1, rank) - 1];
    }
}
