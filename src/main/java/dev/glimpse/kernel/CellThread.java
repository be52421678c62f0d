package dev.glimpse.kernel;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The one thread user code runs on. Keeping cells off the socket threads means an interrupt (which may
 * {@link Thread#interrupt} this thread) or an {@link OutOfMemoryError} in a cell can never break a ZeroMQ socket,
 * and the shell thread stays free to publish while the cell runs.
 */
final class CellThread {
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        // A large stack: deep recursion in a cell should overflow with a StackOverflowError late, not early.
        Thread thread = new Thread(null, r, "glimpse-cell", 512L * 1024 * 1024);
        thread.setDaemon(true);
        return thread;
    });

    /** Runs the work on the cell thread and waits for it; the caller's thread is never interrupted by it. */
    <T> T run(Callable<T> work) throws Exception {
        Future<T> future = executor.submit(work);
        while (true) {
            try {
                return future.get();
            } catch (InterruptedException e) {
                // The shell thread is not meant to be interrupted; keep waiting for the cell.
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof Exception ex) {
                    throw ex;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw e;
            }
        }
    }
}
