package dev.glimpse.pipeline;

import dev.glimpse.engine.CancellationToken;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Runs one piece of work per input with up to {@code concurrency} at a time, and hands the results to a sink on the
 * calling thread in input order, each as soon as it and every result before it are known. So a batch keeps N
 * requests in flight to an endpoint while its results file still grows in input order (a resumed run finds a
 * prefix, and progress is live).
 *
 * <p>With concurrency 1 the work runs on the calling thread: an in-process model keeps the thread it was called
 * from. At most {@code 4 × concurrency} results wait for an earlier slow one; beyond that, no more work starts.
 */
final class InOrderWorkers {

    /** Receives each result in input order; returns false to stop (the work in flight finishes, unseen). */
    @FunctionalInterface
    interface Sink<R> {
        boolean accept(int index, R result);
    }

    private InOrderWorkers() {
    }

    /**
     * Runs {@code work} over {@code inputs} and feeds {@code sink} in order. A {@code null} result means the work
     * was cancelled: it and every later result are dropped, and the run ends. Cancellation of {@code cancel} stops
     * new work from starting.
     *
     * @return how many results the sink took
     */
    static <T, R> int run(List<T> inputs, int concurrency, Function<T, R> work, Sink<R> sink,
                          CancellationToken cancel) {
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
        }
        if (concurrency == 1 || inputs.size() <= 1) {
            int taken = 0;
            for (T input : inputs) {
                if (cancel.isCancelled()) {
                    break;
                }
                R result = work.apply(input);
                if (result == null || !sink.accept(taken, result)) {
                    break;
                }
                taken++;
            }
            return taken;
        }
        AtomicInteger threads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(concurrency, r -> {
            Thread t = new Thread(r, "glimpse-batch-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        int window = 4 * concurrency;
        Deque<Future<R>> pending = new ArrayDeque<>();
        int next = 0;
        int taken = 0;
        try {
            while (true) {
                while (next < inputs.size() && pending.size() < window && !cancel.isCancelled()) {
                    T input = inputs.get(next++);
                    pending.add(pool.submit(() -> work.apply(input)));
                }
                if (pending.isEmpty()) {
                    return taken;
                }
                R result = await(pending.poll());
                if (result == null || !sink.accept(taken, result)) {
                    return taken;
                }
                taken++;
            }
        } finally {
            // the work in flight sees the cancellation (or is not needed); do not wait for it here
            pending.forEach(f -> f.cancel(false));
            pool.shutdown();
        }
    }

    private static <R> R await(Future<R> future) {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }
}
