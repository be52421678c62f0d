package dev.glimpse.pipeline;

import dev.glimpse.engine.CancellationToken;
import dev.glimpse.engine.remote.RemoteModelException;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * How a batch retries a request the endpoint turned away for now: HTTP 429 (rate limited), 5xx (overloaded,
 * restarting), or a connection that broke before the answer began (see {@link #retryable}). Waits grow exponentially from {@code firstDelay} up to {@code maxDelay}, with up to 50 % taken off at random
 * (jitter) so that many workers do not retry in step. Other failures (a bad request, an unreachable host) are not
 * retried: trying again would not help.
 *
 * @param attempts   the most tries in all, at least 1
 * @param firstDelay the wait before the second try
 * @param maxDelay   the longest wait between tries
 */
public record RetryPolicy(int attempts, Duration firstDelay, Duration maxDelay) {

    /** Five tries, waiting about 0.5, 1, 2 and 4 s between them. */
    public static final RetryPolicy DEFAULT = new RetryPolicy(5, Duration.ofMillis(500), Duration.ofSeconds(8));

    /** One try. */
    public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO);

    public RetryPolicy {
        if (attempts < 1) {
            throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
        }
        if (firstDelay.isNegative() || maxDelay.isNegative()) {
            throw new IllegalArgumentException("delays must not be negative");
        }
    }

    /**
     * Whether a failure is worth another try: the endpoint said 429 or 5xx, or the connection broke before an
     * answer came (a kept-alive connection the server or a proxy had closed). Not retried: other statuses, a
     * refused connection, an unknown host and timeouts, where another try would fail the same way or wait as long
     * again.
     */
    public static boolean retryable(RuntimeException e) {
        if (!(e instanceof RemoteModelException r)) {
            return false;
        }
        if (r.statusCode() != 0) {
            return r.statusCode() == 429 || r.statusCode() >= 500;
        }
        boolean io = false;
        for (Throwable c = r.getCause(); c != null; c = c.getCause()) {
            if (c instanceof java.net.ConnectException || c instanceof java.net.UnknownHostException
                    || c instanceof java.net.http.HttpTimeoutException
                    || c instanceof java.nio.channels.UnresolvedAddressException) {
                return false;
            }
            io |= c instanceof java.io.IOException;
        }
        return io;
    }

    /**
     * Calls {@code call} until it returns, a failure is not {@link #retryable}, the tries run out (the last failure
     * is thrown) or {@code cancel} reports cancellation during a wait (the last failure is thrown).
     */
    public <T> T call(Supplier<T> call, CancellationToken cancel) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (RuntimeException e) {
                if (attempt >= attempts || !retryable(e) || !sleep(delay(attempt), cancel)) {
                    throw e;
                }
            }
        }
    }

    // the wait after the attempt-th try
    Duration delay(int attempt) {
        long base = firstDelay.toMillis() << Math.min(attempt - 1, 20);
        long capped = Math.min(base, maxDelay.toMillis());
        long jitter = capped == 0 ? 0 : ThreadLocalRandom.current().nextLong(capped / 2 + 1);
        return Duration.ofMillis(capped - jitter);
    }

    private static boolean sleep(Duration d, CancellationToken cancel) {
        long end = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < end) {
            if (cancel.isCancelled()) {
                return false;
            }
            try {
                Thread.sleep(Math.min(50, Math.max(1, (end - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return !cancel.isCancelled();
    }
}
