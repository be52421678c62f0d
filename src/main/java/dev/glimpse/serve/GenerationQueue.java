package dev.glimpse.serve;

import dev.glimpse.engine.Answer;
import dev.glimpse.engine.CancellationToken;
import dev.glimpse.engine.GenerationOptions;
import dev.glimpse.engine.Prompt;
import dev.glimpse.engine.TokenListener;
import dev.glimpse.engine.VisionLanguageModel;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Runs generate calls one at a time, first come first served, on one thread. The model answers one prompt at a
 * time anyway; a queue in front of it keeps the order fair (a lock would not) and lets the HTTP threads go on
 * reading and checking other requests meanwhile.
 */
final class GenerationQueue implements AutoCloseable {

    private final VisionLanguageModel model;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "glimpse-serve-generate");
        t.setDaemon(true);
        return t;
    });

    GenerationQueue(VisionLanguageModel model) {
        this.model = model;
    }

    /**
     * Queues one answer. A request whose token is already cancelled when its turn comes is skipped: its future
     * fails with {@link CancellationException}.
     */
    CompletableFuture<Answer> submit(Prompt prompt, GenerationOptions options, TokenListener listener,
                                     CancellationToken cancel) {
        CompletableFuture<Answer> result = new CompletableFuture<>();
        thread.execute(() -> {
            if (cancel.isCancelled()) {
                result.completeExceptionally(new CancellationException("cancelled while queued"));
                return;
            }
            try {
                result.complete(model.generate(prompt, options, listener, cancel));
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    /** Stops taking work and waits (up to 30 s) for the current answer, which the caller has cancelled. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(30, TimeUnit.SECONDS)) {
                thread.shutdownNow();
            }
        } catch (InterruptedException e) {
            thread.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
