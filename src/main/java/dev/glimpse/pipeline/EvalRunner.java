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

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Runs a model over an {@link EvalDataset}: for each question, in order, decodes the image, asks
 * {@code Prompt.of(question, image)}, times the model call and matches the answer (without reasoning) against the
 * expected one.
 *
 * <pre>{@code
 * Evaluation e = new EvalRunner(model).withThinking(false).run(EvalDataset.read(Path.of("eval.jsonl")));
 * System.out.print(e.report().format());
 * }</pre>
 *
 * <p>Defaults: greedy decoding with {@link GenerationOptions#DEFAULT} (512 new tokens, thinking on), the
 * {@link AnswerMatcher#NORMALIZED} matcher, and an {@link ImageLoader} with its default pixel limit. A runner is
 * immutable; the {@code with…} methods return changed copies.
 */
public final class EvalRunner {

    private final VisionLanguageModel model;
    private final GenerationOptions options;
    private final AnswerMatcher matcher;
    private final ImageLoader images;

    /** A runner with the defaults (greedy, thinking on, normalized matching). */
    public EvalRunner(VisionLanguageModel model) {
        this(model, GenerationOptions.DEFAULT, AnswerMatcher.NORMALIZED, new ImageLoader());
    }

    private EvalRunner(VisionLanguageModel model, GenerationOptions options, AnswerMatcher matcher,
                       ImageLoader images) {
        this.model = Objects.requireNonNull(model, "model");
        this.options = Objects.requireNonNull(options, "options");
        this.matcher = Objects.requireNonNull(matcher, "matcher");
        this.images = Objects.requireNonNull(images, "images");
    }

    /** The generation options used for every question. */
    public GenerationOptions options() {
        return options;
    }

    /** Uses these generation options (e.g. a model's own defaults, or sampling with a seed). */
    public EvalRunner withOptions(GenerationOptions o) {
        return new EvalRunner(model, o, matcher, images);
    }

    /** Whether the model reasons before answering. Only the answer after the reasoning is matched. */
    public EvalRunner withThinking(boolean on) {
        return withOptions(options.withThinking(on));
    }

    /** The most tokens per answer, reasoning included. */
    public EvalRunner withMaxNewTokens(int n) {
        return withOptions(options.withMaxNewTokens(n));
    }

    /** Uses another rule for what counts as correct. */
    public EvalRunner withMatcher(AnswerMatcher m) {
        return new EvalRunner(model, options, m, images);
    }

    /** Decodes images with this loader (e.g. another pixel limit). */
    public EvalRunner withImageLoader(ImageLoader loader) {
        return new EvalRunner(model, options, matcher, loader);
    }

    /** Runs every question, without progress reports or cancellation. */
    public Evaluation run(EvalDataset dataset) {
        return run(dataset, EvalProgress.NONE, CancellationToken.NEVER);
    }

    /**
     * Runs every question in order.
     *
     * @param progress told after each answered question
     * @param cancel   checked before each question and between decoding steps; once it reports cancellation the
     *                 run stops, the question being answered is dropped (its answer would be partial), and the
     *                 evaluation holds the questions answered so far with {@link Evaluation#cancelled()} true
     * @throws IllegalArgumentException naming the data set line when an image cannot be decoded
     * @throws IllegalStateException    naming the data set line when the model fails on a question
     */
    public Evaluation run(EvalDataset dataset, EvalProgress progress, CancellationToken cancel) {
        List<EvalResult> results = new ArrayList<>(dataset.size());
        boolean cancelled = false;
        for (EvalItem item : dataset.items()) {
            if (cancel.isCancelled()) {
                cancelled = true;
                break;
            }
            String where = dataset.source() + ":" + item.line() + ": ";
            ImageInput image;
            try {
                image = images.load(item.imagePath());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + e.getMessage(), e);
            }
            long start = System.nanoTime();
            Answer answer;
            try {
                answer = model.generate(Prompt.of(item.question(), image), options, TokenListener.NONE, cancel);
            } catch (RuntimeException e) {
                throw new IllegalStateException(where + "the model failed on this question: " + e, e);
            }
            double millis = (System.nanoTime() - start) / 1e6;
            if (answer.finishReason() == FinishReason.CANCELLED) {
                cancelled = true;
                break;
            }
            EvalResult result = new EvalResult(item, answer.text(), matcher.matches(item.expected(), answer.text()),
                    millis, answer.reasoning(), answer.finishReason(), answer.usage());
            results.add(result);
            progress.onResult(result, results.size(), dataset.size());
        }
        return new Evaluation(dataset, model.info(), options, results, cancelled);
    }
}
