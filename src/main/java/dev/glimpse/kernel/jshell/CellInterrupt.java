package dev.glimpse.kernel.jshell;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The interrupt flag of the running cell, readable from any code in the kernel JVM.
 *
 * <p>Cell code does not need to call this: the evaluator inserts {@link #check()} at every method entry and loop back
 * edge of snippet classes. Library code that runs long loops outside snippet classes (a model's generation loop, a
 * batch over files) should poll {@link #requested()} and stop early, or call {@link #check()} to stop by throwing.
 *
 * <p>There is one flag per JVM: a kernel has one evaluator. It is raised by
 * {@link JShellEvaluator#interrupt()} and lowered when a cell evaluation starts and ends.
 */
public final class CellInterrupt {

    private static volatile boolean requested;
    /** Fast path for {@link #check()}: true once any thread has been given up on; see {@link #abandon(Thread)}. */
    private static volatile boolean anyAbandoned;
    private static final Set<Thread> abandoned = ConcurrentHashMap.newKeySet();

    private CellInterrupt() {
    }

    /**
     * Whether the user has asked to interrupt the cell that is running now, or the calling thread is a cell thread
     * that was given up on after an interrupt (so that library code polling this, such as a model's generation, stops
     * there too instead of running on once the next cell has lowered the flag). Cheap: one or two volatile reads.
     */
    public static boolean requested() {
        return requested || anyAbandoned && abandoned.contains(Thread.currentThread());
    }

    /**
     * Throws {@link CellInterruptedError} if the running cell has been interrupted, and does nothing otherwise.
     * The error is not an {@link Exception}, so {@code catch (Exception e)} in a user loop does not swallow it.
     */
    public static void check() {
        if (requested || anyAbandoned) {
            checkSlow();
        }
    }

    private static void checkSlow() {
        if (requested || abandoned.contains(Thread.currentThread())) {
            throw new CellInterruptedError();
        }
    }

    static void raise() {
        requested = true;
    }

    static void lower() {
        requested = false;
    }

    /**
     * Marks a cell thread that did not stop when interrupted: it keeps running outside snippet code, and is stopped the
     * moment it re-enters snippet code, even after the flag has been lowered for the next cell.
     */
    static void abandon(Thread thread) {
        abandoned.add(thread);
        anyAbandoned = true;
    }

    /** Forgets an abandoned thread once it has come back from the code it was stuck in. */
    static void forget(Thread thread) {
        if (abandoned.remove(thread)) {
            anyAbandoned = !abandoned.isEmpty();
        }
    }
}
