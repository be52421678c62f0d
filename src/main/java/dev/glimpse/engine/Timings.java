package dev.glimpse.engine;

import java.util.List;

/**
 * Where the time of one answer went, in milliseconds.
 *
 * @param preprocessMillis image decoding, resizing and patching
 * @param visionMillis     the vision encoder
 * @param prefillMillis    the text decoder over the prompt (up to the first token's logits)
 * @param decodeMillis     each decoding step after the first token
 * @param totalMillis      wall time of the whole call
 */
public record Timings(double preprocessMillis, double visionMillis, double prefillMillis,
                      List<Double> decodeMillis, double totalMillis) {
    public Timings {
        decodeMillis = List.copyOf(decodeMillis);
    }

    /** Decode throughput in tokens per second, or 0 when nothing was decoded. */
    public double decodeTokensPerSecond() {
        double sum = decodeMillis.stream().mapToDouble(Double::doubleValue).sum();
        return sum == 0 ? 0 : decodeMillis.size() * 1000.0 / sum;
    }
}
