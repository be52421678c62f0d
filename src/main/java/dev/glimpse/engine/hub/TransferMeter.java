package dev.glimpse.engine.hub;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;

/**
 * The rate of a transfer over the last {@value #WINDOW_SECONDS} seconds, and the time left at that rate: a recent
 * window follows a connection that speeds up or slows down, where an average since the start would not.
 */
final class TransferMeter {

    static final int WINDOW_SECONDS = 5;

    private record Sample(long nanos, long bytes) {
    }

    private final ArrayDeque<Sample> samples = new ArrayDeque<>();

    /** Records that {@code bytes} have been transferred in total by {@code nanos} (a monotonic clock). */
    void record(long nanos, long bytes) {
        samples.addLast(new Sample(nanos, bytes));
        while (samples.size() > 2 && nanos - samples.peekFirst().nanos() > WINDOW_SECONDS * 1_000_000_000L) {
            samples.removeFirst();
        }
    }

    /** Bytes per second over the window; 0 before two samples a measurable time apart. */
    double bytesPerSecond() {
        if (samples.size() < 2) {
            return 0;
        }
        Sample first = samples.peekFirst();
        Sample last = samples.peekLast();
        long nanos = last.nanos() - first.nanos();
        return nanos <= 0 ? 0 : (last.bytes() - first.bytes()) * 1e9 / nanos;
    }

    /** The time to transfer {@code remaining} more bytes at the current rate, when there is a rate. */
    Optional<Duration> timeLeft(long remaining) {
        double rate = bytesPerSecond();
        if (rate <= 0) {
            return Optional.empty();
        }
        return Optional.of(Duration.ofMillis(Math.round(Math.max(0, remaining) / rate * 1000)));
    }
}
