package dev.glimpse.pipeline;

import tech.tablesaw.api.DoubleColumn;

import java.util.Arrays;

/**
 * Latencies counted into equal-width bins, for a histogram. The bin width is a "nice" number (1, 2 or 5 × 10ⁿ ms)
 * chosen so that about {@code targetBins} bins cover the values; bin {@code i} holds the latencies in
 * {@code [start + i·width, start + (i+1)·width)}.
 *
 * @param start  the lower edge of the first bin, in ms (a multiple of the width)
 * @param width  the width of every bin, in ms
 * @param counts how many latencies fall in each bin
 */
public record LatencyHistogram(double start, double width, int[] counts) {

    public LatencyHistogram {
        counts = counts.clone();
    }

    /** Bins the non-missing values of a Tablesaw column of milliseconds into about {@code targetBins} bins. */
    public static LatencyHistogram of(DoubleColumn millis, int targetBins) {
        return of(millis.removeMissing().asDoubleArray(), targetBins);
    }

    /** Bins latencies in milliseconds into about {@code targetBins} bins; no values give no bins. */
    public static LatencyHistogram of(double[] millis, int targetBins) {
        if (targetBins < 1) {
            throw new IllegalArgumentException("targetBins must be at least 1, was " + targetBins);
        }
        if (millis.length == 0) {
            return new LatencyHistogram(0, 1, new int[0]);
        }
        double min = Arrays.stream(millis).min().orElseThrow();
        double max = Arrays.stream(millis).max().orElseThrow();
        double width = niceWidth((max - min) / targetBins);
        double start = Math.floor(min / width) * width;
        int bins = Math.max(1, (int) Math.floor((max - start) / width) + 1);
        int[] counts = new int[bins];
        for (double v : millis) {
            counts[Math.min(bins - 1, (int) Math.floor((v - start) / width))]++;
        }
        return new LatencyHistogram(start, width, counts);
    }

    // 1, 2 or 5 times a power of ten, at least the raw width (and at least 1 ms)
    static double niceWidth(double raw) {
        if (!(raw > 1)) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double step : new double[] {1, 2, 5, 10}) {
            if (step * power >= raw) {
                return step * power;
            }
        }
        return 10 * power;
    }

    /** The number of bins. */
    public int bins() {
        return counts.length;
    }

    /** The count of bin {@code i}. */
    public int count(int i) {
        return counts[i];
    }

    /** The largest count (0 with no bins). */
    public int maxCount() {
        return Arrays.stream(counts).max().orElse(0);
    }

    /** The lower edge of bin {@code i} in ms. */
    public double lower(int i) {
        return start + i * width;
    }
}
