package dev.glimpse.pipeline;

import dev.glimpse.engine.Answer;
import dev.glimpse.engine.CancellationToken;
import dev.glimpse.engine.FinishReason;
import dev.glimpse.engine.GenerationOptions;
import dev.glimpse.engine.ImageInput;
import dev.glimpse.engine.ImageLoader;
import dev.glimpse.engine.Message;
import dev.glimpse.engine.Prompt;
import dev.glimpse.engine.TokenListener;
import dev.glimpse.engine.VisionLanguageModel;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Asks one question of many images, appending each answer to a {@link ResultsCsv} the moment it and every answer
 * before it are known. Images the results file already answers for the same {@link ResultsCsv.Key} (file, prompt,
 * image content, model identity, generation options) are not asked again, so a run that crashed or was interrupted
 * is finished by running it again, and a run with other options or another model is never handed stale answers.
 *
 * <pre>{@code
 * BatchRun run = new BatchRunner(model).withConcurrency(8).run(BatchItem.fromFolder(Path.of("photos")),
 *         "Describe the image.", Path.of("photos-answers.csv"), BatchProgress.NONE, CancellationToken.NEVER);
 * Table answers = run.table();
 * }</pre>
 *
 * <p>With concurrency N, N images are in flight at once (for an endpoint that answers in parallel); rows are still
 * written in input order. An image that cannot be decoded, or that the model fails on after {@link RetryPolicy
 * retries}, gets a row with its {@code error}; the run goes on, and the next run asks it again.
 */
public final class BatchRunner {

    private final VisionLanguageModel model;
    private final GenerationOptions options;
    private final String system;
    private final ImageLoader images;
    private final int concurrency;
    private final RetryPolicy retries;

    /** A runner with greedy decoding and {@link GenerationOptions#DEFAULT}'s other settings, one image at a time. */
    public BatchRunner(VisionLanguageModel model) {
        this(model, GenerationOptions.DEFAULT, null, new ImageLoader(), 1, RetryPolicy.DEFAULT);
    }

    private BatchRunner(VisionLanguageModel model, GenerationOptions options, String system, ImageLoader images,
                        int concurrency, RetryPolicy retries) {
        this.model = Objects.requireNonNull(model, "model");
        this.options = Objects.requireNonNull(options, "options");
        this.system = system;
        this.images = Objects.requireNonNull(images, "images");
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
        }
        this.concurrency = concurrency;
        this.retries = Objects.requireNonNull(retries, "retries");
    }

    /** Uses these generation options for every image. */
    public BatchRunner withOptions(GenerationOptions o) {
        return new BatchRunner(model, o, system, images, concurrency, retries);
    }

    /** Puts this system prompt before every question ({@code null} for none). */
    public BatchRunner withSystemPrompt(String prompt) {
        return new BatchRunner(model, options, prompt == null || prompt.isBlank() ? null : prompt, images,
                concurrency, retries);
    }

    /** Decodes images with this loader. */
    public BatchRunner withImageLoader(ImageLoader loader) {
        return new BatchRunner(model, options, system, loader, concurrency, retries);
    }

    /** Keeps up to {@code n} images in flight at once (1: one after another). */
    public BatchRunner withConcurrency(int n) {
        return new BatchRunner(model, options, system, images, n, retries);
    }

    /** Retries requests an endpoint turns away for now (429, 5xx) by this policy. */
    public BatchRunner withRetries(RetryPolicy policy) {
        return new BatchRunner(model, options, system, images, concurrency, policy);
    }

    /**
     * The options part of the resume key: every generation setting and the system prompt, e.g.
     * {@code max_new_tokens=40 temperature=0.0 top_p=1.0 top_k=0 repetition_penalty=1.0 seed=none thinking=off}.
     */
    public static String optionsKey(GenerationOptions o, String system) {
        return String.format(java.util.Locale.ROOT, "max_new_tokens=%d temperature=%s top_p=%s top_k=%d "
                        + "repetition_penalty=%s seed=%s thinking=%s%s", o.maxNewTokens(), o.temperature(), o.topP(),
                o.topK(), o.repetitionPenalty(), o.seed() == null ? "none" : o.seed(), o.thinking() ? "on" : "off",
                system == null ? "" : " system=" + system);
    }

    /**
     * Asks {@code prompt} of every image not answered yet in {@code csv}.
     *
     * @param progress told after each new row, in image order, on the calling thread
     * @param cancel   checked before each image and between decoding steps; once it reports cancellation the run
     *                 stops, images being answered are dropped (their answers would be partial, and are asked
     *                 again next time) and the run holds what is answered with {@link BatchRun#cancelled()} true
     * @throws IllegalArgumentException when the results file is not one askAll wrote
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
        String modelId = ModelIdentity.of(model.info());
        String optionsKey = optionsKey(options, system);
        BatchResult[] rows = new BatchResult[items.size()];
        List<Integer> todo = new ArrayList<>();
        List<BatchResult.AnswerKey> keys = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            BatchResult.AnswerKey key = new BatchResult.AnswerKey(sha256(items.get(i)), modelId, optionsKey);
            keys.add(key);
            BatchResult earlier = results.find(new ResultsCsv.Key(items.get(i).file(), prompt, key));
            if (earlier != null) {
                rows[i] = earlier;
            } else {
                todo.add(i);
            }
        }
        int reused = items.size() - todo.size();
        progress.started(items.size(), reused);
        int asked = InOrderWorkers.run(todo, concurrency,
                i -> ask(items.get(i), prompt, modelName, keys.get(i), cancel),
                (index, row) -> {
                    results.append(row);
                    rows[todo.get(index)] = row;
                    progress.answered(row, reused + index + 1, items.size());
                    return true;
                }, cancel);
        List<BatchResult> inOrder = new ArrayList<>(items.size());
        for (BatchResult r : rows) {
            if (r != null) {
                inOrder.add(r);
            }
        }
        return new BatchRun(prompt, inOrder, items.size(), reused, asked < todo.size(), csv);
    }

    // an unreadable file gets an empty hash: its error row is asked again next time anyway
    static String sha256(BatchItem item) {
        try {
            return item.contentSha256();
        } catch (UncheckedIOException e) {
            return "";
        }
    }

    /** The row for one image, or null when the run was cancelled while the model answered it. */
    private BatchResult ask(BatchItem item, String prompt, String modelName, BatchResult.AnswerKey key,
                            CancellationToken cancel) {
        if (cancel.isCancelled()) {
            return null;
        }
        ImageInput image;
        try {
            image = images.load(item.path());
        } catch (RuntimeException e) {
            return BatchResult.failed(item.file(), prompt, modelName, key, e.getMessage());
        }
        Prompt question = system == null ? Prompt.of(prompt, image)
                : new Prompt(List.of(Message.system(system), Message.user(prompt, image)));
        long start = System.nanoTime();
        Answer answer;
        try {
            answer = retries.call(() -> model.generate(question, options, TokenListener.NONE, cancel), cancel);
        } catch (RuntimeException e) {
            if (cancel.isCancelled()) {
                return null;
            }
            return BatchResult.failed(item.file(), prompt, modelName, key, "the model failed: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
        // rounded as the results file keeps it, so that a row reads back equal to what the run returned
        double millis = Math.round((System.nanoTime() - start) / 1e5) / 10.0;
        if (answer.finishReason() == FinishReason.CANCELLED) {
            return null;
        }
        return new BatchResult(item.file(), prompt, answer.text(), millis, answer.usage().promptTokens(),
                answer.usage().completionTokens(), modelName, key, "");
    }
}
