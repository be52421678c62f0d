package dev.glimpse.extension;

import dev.glimpse.engine.TokenListener;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Streams an answer into a notebook output while the model generates it: shows the question at once, updates the
 * output on the first token and then at most every {@link #THROTTLE_MILLIS} ms, and once more with the finished
 * answer.
 *
 * <p>Updates are laid out and published on a thread of their own, so the model never waits for the notebook; an
 * update still in flight when the next is due is skipped, not queued. Each update carries the whole layout (the
 * thumbnail included), so large pictures stretch the interval to keep the stream near {@link #BYTES_PER_SECOND}.
 * Partial updates carry {@code text/html} and {@code text/plain}; the final one every type of {@link AnswerView}.
 */
final class AnswerStream implements TokenListener {

    /** The least time between two updates while tokens come in. */
    static final long THROTTLE_MILLIS = 50;
    /** About how much display data per second a stream sends at most. */
    static final long BYTES_PER_SECOND = 2_000_000;

    private static final ExecutorService PUBLISHER = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "glimpse-answer-stream");
        thread.setDaemon(true);
        return thread;
    });

    private final CellOutput output;
    private final String prompt;
    private final List<Image> images;
    private final String modelName;
    private final StringBuilder text = new StringBuilder();
    private final StringBuilder reasoning = new StringBuilder();
    private final long startNanos = System.nanoTime();
    private String png;
    private String displayId;
    private int tokens;
    private volatile int updates;
    private long lastUpdateNanos;
    private long intervalNanos = THROTTLE_MILLIS * 1_000_000;
    private Future<?> inFlight;

    AnswerStream(CellOutput output, String prompt, List<Image> images, String modelName) {
        this.output = output;
        this.prompt = prompt;
        this.images = images;
        this.modelName = modelName;
    }

    /** Shows the question with its images, before the model starts. */
    void start() {
        if (!output.live()) {
            return;
        }
        png = AnswerView.picture(images, List.of());
        displayId = output.show(partial(snapshot(AnswerView.Phase.WAITING), 0));
        long bytes = png == null ? 0 : 2L * png.length();
        intervalNanos = Math.max(THROTTLE_MILLIS * 1_000_000, bytes * 1_000_000_000L / BYTES_PER_SECOND);
    }

    @Override
    public void onToken(Token token) {
        tokens++;
        (token.reasoning() ? reasoning : text).append(token.text());
        if (displayId == null) {
            return;
        }
        long now = System.nanoTime();
        boolean due = updates == 0 && inFlight == null || now - lastUpdateNanos >= intervalNanos;
        if (due && (inFlight == null || inFlight.isDone())) {
            lastUpdateNanos = now;
            AnswerView.Snapshot snapshot = snapshot(AnswerView.Phase.STREAMING);
            int count = tokens;
            inFlight = PUBLISHER.submit(() -> publish(partial(snapshot, count)));
        }
    }

    /** Shows the finished (or interrupted) answer in place of the stream, after any update still in flight. */
    void finish(Answer answer) {
        if (displayId == null) {
            return;
        }
        Bundle last = AnswerView.bundle(answer); // laid out while an update may still be publishing
        if (inFlight != null) {
            try {
                inFlight.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // an interrupted cell: publish the final answer all the same
            } catch (ExecutionException e) {
                // a failed partial update does not matter once the final one is published
            }
        }
        publish(last);
    }

    /** The display id of the streamed output, or null outside a notebook. */
    String displayId() {
        return displayId;
    }

    /** How many updates were sent, the final one included. */
    int updates() {
        return updates;
    }

    private void publish(Bundle bundle) {
        output.update(displayId, bundle);
        updates++;
    }

    private AnswerView.Snapshot snapshot(AnswerView.Phase phase) {
        String footer = modelName + " · " + (tokens == 0
                ? (images.isEmpty() ? "reading the prompt…" : "looking at the image" + (images.size() > 1 ? "s" : "")
                + "…")
                : "generating… " + tokens + " token" + (tokens == 1 ? "" : "s") + " · "
                + TimingLine.duration((System.nanoTime() - startNanos) / 1e6));
        return new AnswerView.Snapshot(prompt, images, text.toString().strip(), reasoning.toString().strip(),
                List.of(), phase, footer);
    }

    private Bundle partial(AnswerView.Snapshot s, int count) {
        return new Bundle().put(Bundle.HTML, AnswerView.html(s, png, count)).put(Bundle.PLAIN,
                AnswerView.plain(s, count));
    }
}
