package dev.glimpse.pipeline;

import dev.glimpse.engine.Answer;
import dev.glimpse.engine.CancellationToken;
import dev.glimpse.engine.FinishReason;
import dev.glimpse.engine.GenerationOptions;
import dev.glimpse.engine.ImageInput;
import dev.glimpse.engine.ImageLoader;
import dev.glimpse.engine.Prompt;
import dev.glimpse.engine.TokenListener;
import dev.glimpse.engine.VisionLanguageModel;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Asks one question of many images, appending each answer to a {@link ResultsCsv} the moment it is known. Images
 * the results file already answers (same file, prompt and model) are not asked again, so a run that crashed or was
 * interrupted is finished by running it again.
 *
 * <pre>{@code
 * BatchRun run = new BatchRunner(model).run(BatchItem.fromFolder(Path.of("photos")), "Describe the image.",
 *         Path.of("photos-answers.csv"), BatchProgress.NONE, CancellationToken.NEVER);
 * Table answers = run.table();
 * }</pre>
 *
 * <p>An image that cannot be decoded (not an image, truncated) gets a row with its {@code error} and counts as done;
 * a failure of the model itself stops the run with an exception (what was answered stays in the file).
 */
public final class BatchRunner {

    private final VisionLanguageModel model;
    private final GenerationOptions options;
    private final ImageLoader images;

    /** A runner with greedy decoding and {@link GenerationOptions#DEFAULT}'s other settings. */
    public BatchRunner(VisionLanguageModel model) {
        this(model, GenerationOptions.DEFAULT, new ImageLoader());
    }

    private BatchRunner(VisionLanguageModel model, GenerationOptions options, ImageLoader images) {
        this.model = Objects.requireNonNull(model, "model");
        this.options = Objects.requireNonNull(options, "options");
        this.images = Objects.requireNonNull(images, "images");
    }

    /** Uses these generation options for every image. */
    public BatchRunner withOptions(GenerationOptions o) {
        return new BatchRunner(model, o, images);
    }

    /** Decodes images with this loader. */
    public BatchRunner withImageLoader(ImageLoader loader) {
        return new BatchRunner(model, options, loader);
    }

    /**
     * Asks {@code prompt} of every image not answered yet in {@code csv}, in order.
     *
     * @param cancel checked before each image and between decoding steps; once it reports cancellation the run
     *               stops, the image being answered is dropped (its answer would be partial, and is asked again
     *               next time) and the run holds what is answered with {@link BatchRun#cancelled()} true
     * @throws IllegalArgumentException when the results file is not one askAll wrote
     * @throws IllegalStateException    naming the image when the model fails on it
     * @throws UncheckedIOException     when the results file cannot be written
     */
    public BatchRun run(List<BatchItem> items, String prompt, Path csv, BatchProgress progress,
                        CancellationToken cancel) {
        Objects.requireNonNull(prompt, "prompt");
        if (items.isEmpty()) {
            throw new IllegalArgumentException("No images to ask about: give a folder with images or a non-empty list");
        }
        ResultsCsv results = ResultsCsv.open(csv);
        String modelName = model.info().name();
        List<BatchResult> rows = new ArrayList<>(items.size());
        int alreadyDone = 0;
        for (BatchItem item : items) {
            if (results.find(new ResultsCsv.Key(item.file(), prompt, modelName)) != null) {
                alreadyDone++;
            }
        }
        progress.started(items.size(), alreadyDone);
        int reused = 0;
        int asked = 0;
        boolean cancelled = false;
        for (BatchItem item : items) {
            BatchResult earlier = results.find(new ResultsCsv.Key(item.file(), prompt, modelName));
            if (earlier != null) {
                rows.add(earlier);
                reused++;
                continue;
            }
            if (cancel.isCancelled()) {
                cancelled = true;
                break;
            }
            BatchResult row = ask(item, prompt, modelName, cancel);
            if (row == null) {
                cancelled = true;
                break;
            }
            results.append(row);
            rows.add(row);
            asked++;
            progress.answered(row, alreadyDone + asked, items.size());
        }
        return new BatchRun(prompt, rows, items.size(), reused, cancelled, csv);
    }

    /** The row for one image, or null when the run was cancelled while the model answered it. */
    private BatchResult ask(BatchItem item, String prompt, String modelName, CancellationToken cancel) {
        ImageInput image;
        try {
            image = images.load(item.path());
        } catch (IllegalArgumentException | UncheckedIOException e) {
            return BatchResult.failed(item.file(), prompt, modelName, e.getMessage());
        }
        long start = System.nanoTime();
        Answer answer;
        try {
            answer = model.generate(Prompt.of(prompt, image), options, TokenListener.NONE, cancel);
        } catch (RuntimeException e) {
            throw new IllegalStateException("The model failed on " + item.file() + ": " + e.getMessage()
                    + ". The answers so far are kept; run again to go on from this image.", e);
        }
        // rounded as the results file keeps it, so that a row reads back equal to what the run returned
        double millis = Math.round((System.nanoTime() - start) / 1e5) / 10.0;
        if (answer.finishReason() == FinishReason.CANCELLED) {
            return null;
        }
        return new BatchResult(item.file(), prompt, answer.text(), millis, answer.usage().promptTokens(),
                answer.usage().completionTokens(), modelName, "");
    }
}
