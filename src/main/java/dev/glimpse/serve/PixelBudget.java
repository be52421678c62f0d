package dev.glimpse.serve;

import dev.glimpse.engine.CancellationToken;

import java.util.concurrent.TimeUnit;

/**
 * The decoded pixels the server holds at once ({@link RequestLimits#maxPixelsInFlight()}). A request takes its
 * share before decoding its images and gives it back when its answer is done; while others hold the budget it
 * waits, so eight clients sending large images at once are decoded a few at a time instead of running the heap
 * out together.
 */
final class PixelBudget {

    private static final long WAIT_MILLIS = 60_000;

    private final long capacity;
    private long inUse;

    PixelBudget(long capacity) {
        this.capacity = capacity;
    }

    /**
     * Takes {@code pixels}, waiting up to 60 s for them; returns what gives them back (call it once).
     *
     * @throws ApiError 503 when they do not come free in time or the client leaves
     */
    Runnable acquire(long pixels, CancellationToken cancel) {
        if (pixels == 0) {
            return () -> { };
        }
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MILLIS);
        synchronized (this) {
            while (inUse + pixels > capacity) {
                long left = until - System.nanoTime();
                if (left <= 0 || cancel.isCancelled()) {
                    throw new ApiError(503, "server_error", "The server is busy decoding other requests' images; "
                            + "retry in a moment.", null, null);
                }
                try {
                    wait(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, 200));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw ApiError.serverError("The server was interrupted while admitting the request.");
                }
            }
            inUse += pixels;
        }
        boolean[] released = {false};
        return () -> {
            synchronized (this) {
                if (!released[0]) {
                    released[0] = true;
                    inUse -= pixels;
                    notifyAll();
                }
            }
        };
    }
}
