package dev.glimpse.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C for a command that can stop early: while open, a shutdown hook marks the run as interrupted and holds the
 * JVM's exit (up to 30 s) until the command has finished what it has — printed a partial answer, written a partial
 * report — and closed this hook.
 *
 * <p>The hook waits for {@link #close()}, not for the command's thread to end: that thread then returns to
 * {@code main}, whose {@code System.exit} blocks while shutdown hooks run, so joining it would always take the full
 * 30 s.
 */
final class InterruptHook implements AutoCloseable {

    private static final long WAIT_SECONDS = 30;

    private volatile boolean interrupted;
    private final CountDownLatch requested = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook;

    InterruptHook(String name) {
        hook = new Thread(() -> {
            interrupted = true;
            requested.countDown();
            try {
                finished.await(WAIT_SECONDS, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, name);
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Whether Ctrl-C (or another shutdown) was requested. */
    boolean interrupted() {
        return interrupted;
    }

    /** Blocks until Ctrl-C (or another shutdown) is requested: for commands that run until stopped. */
    void awaitInterrupt() throws InterruptedException {
        requested.await();
    }

    /** The command is done with its output: lets an interrupted JVM exit now. */
    @Override
    public void close() {
        finished.countDown();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook is running; the countdown above releases it
        }
    }
}
