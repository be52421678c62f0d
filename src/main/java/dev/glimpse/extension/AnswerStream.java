package dev.glimpse.extension;

import dev.glimpse.display.ImageFormat;
import dev.glimpse.display.ImageRenderer;
import dev.glimpse.engine.TokenListener;

import java.util.List;

/**
 * Streams an answer into a notebook output while the model generates it: shows the question at once, updates the
 * output on the first token and then at most every {@link #THROTTLE_MILLIS} ms (a frontend cannot redraw faster than
 * that usefully, and each update carries the whole layout), and once more with the finished answer.
 */
final class AnswerStream implements TokenListener {

    /** The least time between two updates while tokens come in. */
    static final long THROTTLE_MILLIS = 50;

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
    private int updates;
    private long lastUpdateNanos;

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
        png = images.isEmpty() ? null : ImageRenderer.base64(AnswerView.strip(images, List.of()), ImageFormat.PNG);
        displayId = output.show(bundle(AnswerView.Phase.WAITING));
    }

    @Override
    public void onToken(Token token) {
        tokens++;
        (token.reasoning() ? reasoning : text).append(token.text());
        if (displayId == null) {
            return;
        }
        long now = System.nanoTime();
        if (updates == 0 || now - lastUpdateNanos >= THROTTLE_MILLIS * 1_000_000) {
            publish(bundle(AnswerView.Phase.STREAMING));
        }
    }

    /** Shows the finished (or interrupted) answer in place of the stream. */
    void finish(Answer answer) {
        if (displayId != null) {
            publish(AnswerView.bundle(answer));
        }
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
        lastUpdateNanos = System.nanoTime();
    }

    private Bundle bundle(AnswerView.Phase phase) {
        String footer = modelName + " · " + (tokens == 0
                ? (images.isEmpty() ? "reading the prompt…" : "looking at the image" + (images.size() > 1 ? "s" : "")
                + "…")
                : "generating… " + tokens + " token" + (tokens == 1 ? "" : "s") + " · "
                + TimingLine.duration((System.nanoTime() - startNanos) / 1e6));
        AnswerView.Snapshot s = new AnswerView.Snapshot(prompt, images, text.toString().strip(),
                reasoning.toString().strip(), List.of(), phase, footer);
        return AnswerView.bundle(s, png, tokens);
    }
}
