package dev.glimpse.kernel.jshell;

import dev.glimpse.kernel.memory.HeapReserve;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
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

        /** The cell was interrupted before the snippet started, so it did not run. */
        record NotStarted() implements Outcome {
        }

        /** The snippet was interrupted but its thread did not stop; it was left running. */
        record Abandoned(String threadName) implements Outcome {
        }
    }

    static final long GRACE_MILLIS = 1000;
    private static final long POLL_MILLIS = 50;
    private static final AtomicInteger THREAD_NUMBER = new AtomicInteger();

    private final long stackSize;
    private ExecutorService executor;
    private volatile Thread cellThread;
    private volatile Thread runningThread;

    CellRunner(long stackSize) {
        this.stackSize = stackSize;
    }

    /** Whether the calling thread is the cell thread, that is, cell code is calling back into the evaluator. */
    boolean onCellThread() {
        return Thread.currentThread() == cellThread;
    }

    /** Runs {@code doit} (a static no-argument method of a snippet class) and waits for it, however it ends. */
    Outcome run(Method doit, ClassLoader contextLoader) {
        Job job = new Job(doit, contextLoader);
        if (onCellThread()) {
            job.invoke(); // nested evaluation from cell code
            return job.outcome();
        }
        executor().execute(job);
        // Waiting allocates nothing (no Future.get timeouts), so a cell that fills the heap cannot make this thread
        // fail with OutOfMemoryError while it waits.
        long stopAt = 0;
        boolean stopTried = false;
        synchronized (job) {
            while (!job.done) {
                try {
                    job.wait(POLL_MILLIS);
                } catch (InterruptedException e) {
                    // the evaluating thread itself was interrupted: treat it as a request to interrupt the cell
                    CellInterrupt.raise();
                    interrupt();
                }
                if (job.done || !CellInterrupt.requested()) {
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
            }
        }
        return job.outcome();
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
        HeapReserve.instance().restore();
    }

    /** Gives back the memory reserve so that the kernel can work on after an {@link OutOfMemoryError}. */
    void releaseReserve() {
        HeapReserve.instance().release();
    }

    @Override
    public synchronized void close() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
            cellThread = null;
        }
    }

    /** One invocation of snippet code; its result fields are written once, by the thread that runs it. */
    private final class Job implements Runnable {

        private final Method doit;
        private final ClassLoader contextLoader;
        private boolean done;
        private Object value;
        private Throwable thrown;

        Job(Method doit, ClassLoader contextLoader) {
            this.doit = doit;
            this.contextLoader = contextLoader;
        }

        @Override
        public void run() {
            runningThread = Thread.currentThread();
            try {
                invoke();
            } finally {
                if (runningThread == Thread.currentThread()) {
                    runningThread = null;
                }
                CellInterrupt.forget(Thread.currentThread());
                Thread.interrupted(); // an interrupt aimed at this cell must not leak into the next
                synchronized (this) {
                    done = true;
                    notifyAll();
                }
            }
        }

        /** Runs the snippet on the calling thread; allocates nothing after the snippet ends. */
        void invoke() {
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(contextLoader);
            Object result = null;
            Throwable failure = null;
            try {
                result = doit.invoke(null);
            } catch (InvocationTargetException e) {
                failure = e.getCause();
            } catch (Throwable e) {
                failure = e;
            } finally {
                thread.setContextClassLoader(previous);
            }
            if (failure instanceof OutOfMemoryError) {
                releaseReserve();
            }
            synchronized (this) {
                value = result;
                thrown = failure;
                done = true;
            }
        }

        synchronized Outcome outcome() {
            return thrown != null ? new Outcome.Threw(thrown) : new Outcome.Returned(value);
        }
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
