package dev.glimpse.kernel.jshell;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs snippet code on a dedicated cell thread, so that the thread can have a deep stack, can be interrupted without
 * touching the caller, and can be given up on if it never stops.
 *
 * <p>An interrupt raises {@link CellInterrupt} (instrumented snippet code throws at the next loop iteration or call)
 * and calls {@link Thread#interrupt()} (which wakes {@code sleep}, {@code wait} and interruptible I/O). If the thread
 * is still running after {@link #GRACE_MILLIS} it is busy inside library code that never polls: on JDKs that still
 * have {@code Thread.stop} it is stopped, otherwise (and if stopping fails too) it is abandoned — left running as a
 * daemon, marked so that it dies on re-entering snippet code — and a fresh cell thread serves the next cell.
 */
final class CellRunner implements AutoCloseable {

    /** What one invocation of snippet code came to. */
    sealed interface Outcome {
        /** The snippet returned normally; {@code value} is what its wrapper method returned (may be null). */
        record Returned(Object value) implements Outcome {
        }

        /** The snippet threw. */
        record Threw(Throwable thrown) implements Outcome {
        }

        /** The snippet was interrupted but its thread did not stop; it was left running. */
        record Abandoned(String threadName) implements Outcome {
        }
    }

    static final long GRACE_MILLIS = 1000;
    private static final long POLL_MILLIS = 50;
    private static final int RESERVE_BYTES = 16 << 20;
    private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();

    private final long stackSize;
    private ExecutorService executor;
    private volatile Thread cellThread;
    private volatile Thread runningThread;
    /** Released when a cell runs out of memory, so the kernel has room to report the error; re-taken later. */
    private volatile byte[] reserve = new byte[RESERVE_BYTES];

    CellRunner(long stackSize) {
        this.stackSize = stackSize;
    }

    /** Whether the calling thread is the cell thread, that is, cell code is calling back into the evaluator. */
    boolean onCellThread() {
        return Thread.currentThread() == cellThread;
    }

    /** Runs {@code doit} (a static no-argument method of a snippet class) and waits for it, however it ends. */
    Outcome run(Method doit, ClassLoader contextLoader) {
        if (onCellThread()) {
            return invoke(doit, contextLoader); // nested evaluation from cell code
        }
        Future<Outcome> future = executor().submit(() -> {
            runningThread = Thread.currentThread();
            try {
                return invoke(doit, contextLoader);
            } finally {
                runningThread = null;
                Thread.interrupted(); // an interrupt aimed at this cell must not leak into the next
            }
        });
        long stopAt = 0;
        boolean stopTried = false;
        while (true) {
            try {
                return future.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (!CellInterrupt.requested()) {
                    continue;
                }
                long now = System.nanoTime();
                if (stopAt == 0) {
                    stopAt = now + TimeUnit.MILLISECONDS.toNanos(GRACE_MILLIS);
                } else if (now - stopAt >= 0) {
                    if (!stopTried && tryStop(cellThread)) {
                        stopTried = true;
                        stopAt = now + TimeUnit.MILLISECONDS.toNanos(GRACE_MILLIS / 2);
                    } else {
                        return abandon();
                    }
                }
            } catch (InterruptedException e) {
                // the evaluating thread itself was interrupted: treat it as a request to interrupt the cell
                CellInterrupt.raise();
                interrupt();
            } catch (ExecutionException e) {
                return new Outcome.Threw(e.getCause());
            }
        }
    }

    /** Wakes the running cell thread from {@code sleep}, {@code wait} and interruptible I/O. */
    void interrupt() {
        Thread running = runningThread;
        if (running != null) {
            running.interrupt();
        }
    }

    /** Takes back the memory reserve after a cell that ran out of memory, if there is room again. */
    void restoreReserve() {
        if (reserve == null) {
            try {
                reserve = new byte[RESERVE_BYTES];
            } catch (OutOfMemoryError stillFull) {
                // try again after the next cell
            }
        }
    }

    /** Gives back the memory reserve so that the kernel can work on after an {@link OutOfMemoryError}. */
    void releaseReserve() {
        reserve = null;
    }

    @Override
    public synchronized void close() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
            cellThread = null;
        }
    }

    private Outcome invoke(Method doit, ClassLoader contextLoader) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(contextLoader);
        try {
            return new Outcome.Returned(doit.invoke(null));
        } catch (InvocationTargetException e) {
            return threw(e.getCause());
        } catch (Throwable e) {
            return threw(e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private Outcome threw(Throwable thrown) {
        if (thrown instanceof OutOfMemoryError) {
            releaseReserve();
        }
        return new Outcome.Threw(thrown);
    }

    @SuppressWarnings({"deprecation", "removal"})
    private static boolean tryStop(Thread thread) {
        if (thread == null) {
            return false;
        }
        try {
            thread.stop(); // Java 17-19 only; throws UnsupportedOperationException from Java 20 on
            return true;
        } catch (UnsupportedOperationException gone) {
            return false;
        }
    }

    private synchronized Outcome abandon() {
        Thread stuck = cellThread;
        String name = stuck == null ? "cell thread" : stuck.getName();
        if (stuck != null) {
            CellInterrupt.abandon(stuck);
        }
        executor.shutdownNow();
        executor = null;
        cellThread = null;
        return new Outcome.Abandoned(name);
    }

    private synchronized ExecutorService executor() {
        if (executor == null) {
            executor = Executors.newSingleThreadExecutor(task -> {
                Thread thread = new Thread(null, task, "glimpse-cell-" + THREAD_NUMBER.incrementAndGet(), stackSize);
                thread.setDaemon(true);
                cellThread = thread;
                return thread;
            });
        }
        return executor;
    }
}
