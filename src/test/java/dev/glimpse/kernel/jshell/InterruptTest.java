package dev.glimpse.kernel.jshell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Interrupting running cells from another thread. Latencies are printed, not asserted: machines are noisy. Each test
 * asserts that the cell stops at all and that the evaluator works afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InterruptTest {

    private JShellEvaluator evaluator;

    @BeforeAll
    void start() {
        evaluator = JShellEvaluator.create(EvaluatorOptions.defaults());
        evaluator.warmUp();
    }

    @AfterAll
    void stop() {
        evaluator.close();
    }

    /** Evaluates {@code code} on another thread, interrupts it once it runs, and returns what it failed with. */
    private CellFailure interruptWhileRunning(String code) throws Exception {
        KernelSideHelpers.waiting = new java.util.concurrent.CountDownLatch(1);
        CompletableFuture<CellFailure> result = CompletableFuture.supplyAsync(() -> {
            try {
                evaluator.eval(code, 1);
                return null;
            } catch (CellFailure failure) {
                return failure;
            }
        });
        // the cell opens the latch itself once it runs: interrupting earlier would test something else
        assertTrue(KernelSideHelpers.waiting.await(60, TimeUnit.SECONDS), "the cell did not start");
        Thread.sleep(200); // let it get into its loop or sleep
        long interruptedAt = System.nanoTime();
        evaluator.interrupt();
        CellFailure failure = result.get(60, TimeUnit.SECONDS);
        System.out.printf("interrupt latency on Java %s: %.1f ms for %s%n", Runtime.version().feature(),
                (System.nanoTime() - interruptedAt) / 1e6, code.replace('\n', ' '));
        return failure;
    }

    /** The code as one block snippet that first tells the test it runs. */
    private static String started(String code) {
        return "{ dev.glimpse.kernel.jshell.KernelSideHelpers.waiting.countDown();\n" + code + "\n}";
    }

    @Test
    void aBusyLoopStops() throws Exception {
        CellFailure failure = interruptWhileRunning(started("while (true) {}"));

        CellInterrupted interrupted = assertInstanceOf(CellInterrupted.class, failure);
        assertEquals("Interrupted", interrupted.ename());
        assertEquals("Interrupted", interrupted.evalue());
        assertEquals("Interrupted", interrupted.traceback(false).get(0));
        assertEquals("    at cell line 2", interrupted.traceback(false).get(1), "where the loop was");
        assertFalse(interrupted.threadLeftRunning());
        assertEquals(2, evaluator.eval("1 + 1", 1).value());
    }

    @Test
    void aLoopThatCatchesExceptionsStops() throws Exception {
        CellFailure failure = interruptWhileRunning(started(
                "long spins = 0;\nwhile (true) {\n  try { spins++; } catch (Exception e) { }\n}"));
        assertInstanceOf(CellInterrupted.class, failure);
        assertEquals(2, evaluator.eval("1 + 1", 1).value());
    }

    @Test
    void aBusyLoopInsideAMethodStops() throws Exception {
        evaluator.eval("void forever() { long n = 0; for (;;) { n++; } }", 1);
        CellFailure failure = interruptWhileRunning(started("forever();"));
        assertInstanceOf(CellInterrupted.class, failure);
        assertTrue(failure.traceback(false).contains("    at forever (cell line 1)"), failure.report());
    }

    @Test
    void aSleepStops() throws Exception {
        CellFailure failure = interruptWhileRunning(started("Thread.sleep(600_000);"));
        CellInterrupted interrupted = assertInstanceOf(CellInterrupted.class, failure);
        assertInstanceOf(InterruptedException.class, interrupted.getCause());
        assertEquals(2, evaluator.eval("1 + 1", 1).value());
    }

    @Test
    void theRestOfTheCellDoesNotRun() throws Exception {
        CellFailure failure = interruptWhileRunning(
                "int beforeLoop = 1;\n" + started("while (true) {}") + "\nint afterLoop = 2;");
        assertInstanceOf(CellInterrupted.class, failure);
        assertEquals(1, evaluator.eval("beforeLoop", 1).value());
        assertThrows(CompileFailure.class, () -> evaluator.eval("afterLoop", 1));
    }

    @Test
    void libraryCodeCanAskWhetherTheCellWasInterrupted() throws Exception {
        KernelSideHelpers.waiting = new java.util.concurrent.CountDownLatch(1);
        CompletableFuture<Evaluation> result = CompletableFuture.supplyAsync(() -> {
            try {
                return evaluator.eval("dev.glimpse.kernel.jshell.KernelSideHelpers.spinUntilInterrupted()", 1);
            } catch (CellFailure failure) {
                throw new AssertionError(failure.report(), failure);
            }
        });
        assertTrue(KernelSideHelpers.waiting.await(60, TimeUnit.SECONDS));
        Thread.sleep(200);
        assertFalse(CellInterrupt.requested());
        evaluator.interrupt();

        Evaluation evaluation = result.get(60, TimeUnit.SECONDS);
        assertTrue((Long) evaluation.value() > 0, "the loop ran and then returned on its own");
        assertFalse(CellInterrupt.requested(), "lowered once the cell is over");
    }

    @Test
    void aThreadStuckInCodeThatIgnoresInterruptsIsStoppedOrLeftBehind() throws Exception {
        KernelSideHelpers.releaseSpinner = false;
        try {
            CellFailure failure = interruptWhileRunning(
                    "dev.glimpse.kernel.jshell.KernelSideHelpers.spinIgnoringInterrupts()");
            CellInterrupted interrupted = assertInstanceOf(CellInterrupted.class, failure);
            if (Runtime.version().feature() < 20) {
                assertFalse(interrupted.threadLeftRunning(), "Thread.stop ends it on this JDK");
            } else {
                assertTrue(interrupted.threadLeftRunning(), "no Thread.stop on this JDK");
                assertTrue(interrupted.report().contains("left running"), interrupted.report());
            }
            assertEquals(2, evaluator.eval("1 + 1", 1).value(), "a fresh cell thread serves the next cell");
        } finally {
            KernelSideHelpers.releaseSpinner = true;
        }
    }

    @Test
    void interruptBetweenCellsDoesNothing() throws CellFailure {
        evaluator.interrupt();
        assertFalse(CellInterrupt.requested());
        assertEquals(2, evaluator.eval("1 + 1", 1).value());
    }
}
