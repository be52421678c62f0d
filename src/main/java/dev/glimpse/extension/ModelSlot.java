package dev.glimpse.extension;

import dev.glimpse.engine.VisionLanguageModel;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;

/**
 * The one model a notebook uses, in one of four states: empty, loading (in the background), ready, or failed.
 * Cells that need the model {@link #await} it; a load that finishes after the slot has moved on (unloaded, or
 * another model asked for) closes the model it produced.
 */
final class ModelSlot {

    /** What the slot holds. */
    sealed interface State permits Empty, Loading, Ready, Failed {
    }

    /** No model: never loaded, or unloaded. */
    record Empty(String note) implements State {
    }

    /** A load running in the background. */
    record Loading(ModelSource source, long startNanos, long bytes, CompletableFuture<VisionLanguageModel> future)
            implements State {
        long elapsedMillis() {
            return (System.nanoTime() - startNanos) / 1_000_000;
        }
    }

    /** A loaded model. */
    record Ready(ModelSource source, VisionLanguageModel model, long loadMillis, Instant readyAt) implements State {
    }

    /** A load that failed; its error names the model and the fix. */
    record Failed(ModelSource source, ModelUnavailableException error, Instant at) implements State {
    }

    /** Told every few hundred milliseconds while a cell waits for a load. */
    interface Waiting {
        /** Called while loading, and once more when the load has ended (ready or failed). */
        void waiting(Loading loading, State now);

        /** Whether the waiting cell was interrupted. */
        boolean interrupted();
    }

    static final long TICK_MILLIS = 200;

    private State state = new Empty(ModelSlotNotes.NEVER);

    synchronized State state() {
        return state;
    }

    /**
     * Starts loading {@code source}, after closing the model the slot holds (so that its memory is free first).
     *
     * @param runner runs the load, e.g. on a background thread; given a name and the work
     */
    Loading load(ModelSource source, BiFunction<String, Callable<VisionLanguageModel>, CompletableFuture<VisionLanguageModel>> runner) {
        unload("replaced");
        long bytes = source.bytes();
        CompletableFuture<VisionLanguageModel> future = new CompletableFuture<>();
        Loading loading = new Loading(source, System.nanoTime(), bytes, future);
        synchronized (this) {
            state = loading;
        }
        runner.apply("model-load", source::open).whenComplete((model, error) -> {
            settle(loading, model, error);
            if (error != null) {
                future.completeExceptionally(error);
            } else {
                future.complete(model);
            }
        });
        return loading;
    }

    /** Holds a model loaded elsewhere (closing the one held before). */
    void use(VisionLanguageModel model, ModelSource source) {
        unload("replaced");
        synchronized (this) {
            state = new Ready(source, model, model.info().loadMillis(), Instant.now());
        }
    }

    /** Records a failure found before any load could start (e.g. a malformed GLIMPSE_MODEL). */
    void fail(ModelUnavailableException error) {
        unload("replaced");
        synchronized (this) {
            state = new Failed(new ModelSource.Directory(java.nio.file.Path.of("."), "configuration"), error,
                    Instant.now());
        }
    }

    /** Closes and forgets the model, if one is loaded; a running load is abandoned (its model closed when done). */
    Optional<Ready> unload(String note) {
        Ready ready = null;
        synchronized (this) {
            if (state instanceof Ready r) {
                ready = r;
            }
            state = new Empty(note);
        }
        if (ready != null) {
            ready.model().close();
        }
        return Optional.ofNullable(ready);
    }

    private void settle(Loading loading, VisionLanguageModel model, Throwable error) {
        VisionLanguageModel orphan = null;
        synchronized (this) {
            if (state != loading) {
                orphan = model; // unloaded or replaced while it loaded
            } else if (error == null) {
                state = new Ready(loading.source(), model, loading.elapsedMillis(), Instant.now());
            } else {
                state = new Failed(loading.source(), unavailable(loading.source(), error), Instant.now());
            }
        }
        if (orphan != null) {
            orphan.close();
        }
    }

    private static ModelUnavailableException unavailable(ModelSource source, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof ModelUnavailableException m) {
            return m;
        }
        return new ModelUnavailableException("Loading the model " + source.describe() + " failed: " + cause
                + ". Load another with %model DIR, or fix GLIMPSE_MODEL and restart the kernel.", cause);
    }

    /**
     * The model, waiting for a load in progress.
     *
     * @throws ModelUnavailableException when the load failed or no model is loaded
     * @throws CancellationException     when the waiting cell is interrupted (the load goes on)
     */
    VisionLanguageModel await(Waiting waiting) {
        while (true) {
            State now = state();
            if (now instanceof Ready ready) {
                return ready.model();
            }
            if (now instanceof Failed failed) {
                // a fresh exception, so that the traceback shows the cell, with the load's failure as the cause
                throw new ModelUnavailableException(failed.error().getMessage(), failed.error());
            }
            if (now instanceof Empty empty) {
                throw new ModelUnavailableException("No model is loaded (" + empty.note() + "). Load one with "
                        + "%model DIR (a GLM-4V model directory) or %model URL (an OpenAI-compatible endpoint).");
            }
            Loading loading = (Loading) now;
            waiting.waiting(loading, now);
            if (waiting.interrupted()) {
                throw new CancellationException("Interrupted while waiting for the model " + loading.source().name()
                        + "; it goes on loading in the background.");
            }
            try {
                loading.future().get(TICK_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // still loading, or failed: the next round reads the settled state
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("Interrupted while waiting for the model " + loading.source().name()
                        + "; it goes on loading in the background.");
            }
            if (loading.future().isDone() && state() != loading) {
                waiting.waiting(loading, state());
            }
        }
    }
}
