package dev.glimpse.engine.glm4v;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * Runs one task over the rows of a matrix on the calling thread and up to {@code threads − 1} workers, handing out
 * chunks of rows from a shared counter, so a thread slowed by anything else on the machine takes fewer chunks.
 *
 * <p>A decoding step makes ~280 such calls of 0.05–60 ms each, with libtorch's ops in between. Workers therefore spin
 * for a short while after a call before they park: waking a parked thread costs tens of microseconds per call, and
 * with contiguous halves handed to a thread pool the whole 40-layer step of GLM-4.6V-Flash took 940 ms against
 * 560–690 ms this way (bench/engine/README.md). They never spin while no generation runs.
 *
 * <p>Between calls the caller runs libtorch's small ops alone; the first worker may spend that time on an
 * {@link IdleTask} the call names (reading the next weight into cache), and leaves it when the next call comes.
 *
 * <p>One caller at a time: a second concurrent caller (two models answering at once in one JVM) runs its rows
 * alone on its own thread rather than waiting.
 */
final class RowSplit {

    /** Work on rows {@code [from, to)}; called from several threads at once on disjoint ranges. */
    @FunctionalInterface
    interface RowTask {
        void run(int from, int to);
    }

    /**
     * What a worker does once its rows of a call are done, while the caller goes on alone: at most one worker runs
     * it, and it must return soon after {@code nextCall} says the next call has come.
     */
    @FunctionalInterface
    interface IdleTask {
        void run(BooleanSupplier nextCall);
    }

    private static final long SPIN_NANOS = Long.getLong("glimpse.gemv.spinMicros", 50) * 1000;

    private final String name;
    private final ReentrantLock caller = new ReentrantLock();
    private final List<Worker> workers = new ArrayList<>();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger pending = new AtomicInteger();
    /** The current call, published to the workers in one write; a new object for every call. */
    private volatile Call call;
    private volatile Throwable failure;

    /**
     * One call: {@code helpers} workers join the caller on {@code task} over {@code [0, rows)}; then the first worker
     * runs {@code idle} (may be null) until the next call.
     */
    private record Call(RowTask task, int rows, int chunk, int helpers, IdleTask idle) {
    }

    RowSplit(String name) {
        this.name = name;
    }

    /** Runs {@code task} over {@code [0, rows)} in chunks of {@code chunk} rows on at most {@code threads} threads. */
    void run(int rows, int chunk, int threads, RowTask task) {
        run(rows, chunk, threads, task, null);
    }

    /**
     * {@link #run(int, int, int, RowTask)}, after which a worker runs {@code idle} (when not null, and only when a
     * worker took part) while the caller goes on, until the caller's next call here.
     */
    void run(int rows, int chunk, int threads, RowTask task, IdleTask idle) {
        int helpers = Math.min(threads, (rows + chunk - 1) / chunk) - 1;
        if (helpers <= 0 || !caller.tryLock()) {
            task.run(0, rows);
            return;
        }
        try {
            while (workers.size() < helpers) {
                workers.add(new Worker(workers.size()));
            }
            failure = null;
            next.set(0);
            pending.set(helpers);
            Call current = new Call(task, rows, chunk, helpers, idle);
            call = current; // after the counters: a worker that sees the call sees them reset
            for (int i = 0; i < helpers; i++) {
                workers.get(i).wake();
            }
            drain(current);
            for (int spins = 0; pending.get() > 0; spins++) {
                if (spins < 10_000) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield(); // a worker was descheduled: let it run
                }
            }
            Throwable f = failure;
            if (f instanceof RuntimeException e) {
                throw e;
            } else if (f instanceof Error e) {
                throw e;
            } else if (f != null) {
                throw new IllegalStateException(f);
            }
        } finally {
            caller.unlock();
        }
    }

    private void drain(Call c) {
        int from;
        while ((from = next.getAndAdd(c.chunk())) < c.rows()) {
            c.task().run(from, Math.min(c.rows(), from + c.chunk()));
        }
    }

    private final class Worker implements Runnable {
        private final int index;
        private final Thread thread;
        /** The last call this worker saw; set before it starts, so a call made meanwhile is not missed. */
        private Call seen;
        private volatile boolean parked;

        Worker(int index) {
            this.index = index;
            this.seen = call;
            this.thread = new Thread(this, name + "-" + (index + 1));
            thread.setDaemon(true);
            thread.start();
        }

        void wake() {
            if (parked) {
                LockSupport.unpark(thread);
            }
        }

        @Override
        public void run() {
            while (true) {
                long spinUntil = System.nanoTime() + SPIN_NANOS;
                Call current;
                while ((current = call) == seen) {
                    if (System.nanoTime() < spinUntil) {
                        Thread.onSpinWait();
                        continue;
                    }
                    parked = true;
                    if (call == seen) { // re-checked after announcing: the caller reads parked after its write
                        LockSupport.park(this);
                    }
                    parked = false;
                    spinUntil = System.nanoTime() + SPIN_NANOS;
                }
                seen = current;
                if (index >= current.helpers()) {
                    continue; // this call needs fewer helpers
                }
                try {
                    drain(current);
                } catch (Throwable e) {
                    failure = e;
                    next.set(Integer.MAX_VALUE / 2); // stop the others taking chunks
                } finally {
                    pending.decrementAndGet();
                }
                if (index == 0 && current.idle() != null && failure == null) {
                    Call done = current;
                    try {
                        done.idle().run(() -> call != done);
                    } catch (RuntimeException ignored) {
                        // idle work is a hint: a failure there must not end the worker that the rows need
                    }
                }
            }
        }
    }
}
