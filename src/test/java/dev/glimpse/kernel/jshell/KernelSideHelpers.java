package dev.glimpse.kernel.jshell;

import java.util.concurrent.CountDownLatch;

/**
 * Code on the kernel classpath that test cells call: library-style loops (not instrumented, unlike cell code) and
 * hooks back into the evaluator.
 */
public final class KernelSideHelpers {

    /** The evaluator under test, for cells that evaluate code themselves (as magics do). */
    public static volatile JShellEvaluator evaluator;
    /** Cells wait on this; the test releases it. */
    public static volatile CountDownLatch gate = new CountDownLatch(1);
    /** Opened when a cell starts waiting on {@link #gate}. */
    public static volatile CountDownLatch waiting = new CountDownLatch(1);
    /** Ends {@link #spinIgnoringInterrupts()} when a test is done with it. */
    public static volatile boolean releaseSpinner;

    private KernelSideHelpers() {
    }

    /** A cooperative library loop: runs until the cell is interrupted, then returns normally. */
    public static long spinUntilInterrupted() {
        waiting.countDown();
        long rounds = 0;
        while (!CellInterrupt.requested()) {
            rounds++;
        }
        return rounds;
    }

    /** A library loop that ignores interrupts entirely, as some JDK and native code does. */
    public static long spinIgnoringInterrupts() {
        waiting.countDown();
        long rounds = 0;
        while (!releaseSpinner) {
            rounds++;
        }
        return rounds;
    }

    /** Blocks until the test opens {@link #gate}, ignoring interrupts. */
    public static void awaitGate() {
        waiting.countDown();
        while (true) {
            try {
                gate.await();
                return;
            } catch (InterruptedException e) {
                // keep waiting: the test decides
            }
        }
    }
}
