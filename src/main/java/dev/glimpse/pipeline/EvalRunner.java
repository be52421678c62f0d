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
 * Runs a model over an {@link EvalDataset}: for each question decodes the image, asks
 * {@code Prompt.of(question, image)}, times the model call and scores the answer (without reasoning) against the
 * item's {@link Expectation}. With {@link #withConcurrency concurrency} N, N questions are in flight at once (for an
 * endpoint that answers in parallel); results still come in data set order.
 *
 * <pre>{@code
 * Evaluation e = new EvalRunner(model).withThinking(false).run(EvalDataset.read(Path.of("eval.jsonl")));
 * System.out.print(e.report().format());
 * }</pre>
 *
 * <p>A question that cannot be answered (an image that does not decode, a model or endpoint failure after
 * {@link RetryPolicy retries}, a judge that fails) becomes an error row, counted wrong with its reason; the run goes
 * on. Defaults: greedy decoding with {@link GenerationOptions#DEFAULT} (512 new tokens, thinking on), concurrency 1,
 * {@link RetryPolicy#DEFAULT}, the model under test as the judge of {@code judge} items ({@link ModelJudge}), and
 * an {@link ImageLoader} with its default pixel limit. A runner is immutable; the {@code with…} methods return
 * changed copies.
 */
public final class EvalRunner {

    private final VisionLanguageModel model;
    private final GenerationOptions options;
    private final AnswerMatcher matcher;
    private final ImageLoader images;
    private final Judge judge;
    private final int concurrency;
    private final RetryPolicy retries;

    /** A runner with the defaults (greedy, thinking on, normalized matching, one question at a time). */
    public EvalRunner(VisionLanguageModel model) {
        this(model, GenerationOptions.DEFAULT, null, new ImageLoader(), null, 1, RetryPolicy.DEFAULT);
    }

    private EvalRunner(VisionLanguageModel model, GenerationOptions options, AnswerMatcher matcher,
                       ImageLoader images, Judge judge, int concurrency, RetryPolicy retries) {
        this.model = Objects.requireNonNull(model, "model");
        this.options = Objects.requireNonNull(options, "options");
        this.matcher = matcher;
        this.images = Objects.requireNonNull(images, "images");
        this.judge = judge;
        if (concurrency < 1) {
            throw new IllegalArgumentException("concurrency must be at least 1, was " + concurrency);
        }
        this.concurrency = concurrency;
        this.retries = Objects.requireNonNull(retries, "retries");
    }

    /** The generation options used for every question. */
    public GenerationOptions options() {
        return options;
    }

    /** Uses these generation options (e.g. a model's own defaults, or sampling with a seed). */
    public EvalRunner withOptions(GenerationOptions o) {
        return new EvalRunner(model, o, matcher, images, judge, concurrency, retries);
    }

    /** Whether the model reasons before answering. Only the answer after the reasoning is matched. */
    public EvalRunner withThinking(boolean on) {
        return withOptions(options.withThinking(on));
    }

    /** The most tokens per answer, reasoning included. */
    public EvalRunner withMaxNewTokens(int n) {
        return withOptions(options.withMaxNewTokens(n));
    }

    /**
     * Uses another rule for the {@code answer} items (instead of equality after {@link AnswerText#normalize}); the
     * other matchers are unchanged.
     */
    public EvalRunner withMatcher(AnswerMatcher m) {
        return new EvalRunner(model, options, Objects.requireNonNull(m, "matcher"), images, judge, concurrency,
                retries);
    }

    /** Decodes images with this loader (e.g. another pixel limit). */
    public EvalRunner withImageLoader(ImageLoader loader) {
        return new EvalRunner(model, options, matcher, loader, judge, concurrency, retries);
    }

    /** Grades {@code judge} items with this judge (default: a {@link ModelJudge} of the model under test). */
    public EvalRunner withJudge(Judge j) {
        return new EvalRunner(model, options, matcher, images, Objects.requireNonNull(j, "judge"), concurrency,
                retries);
    }

    /** Keeps up to {@code n} questions in flight at once (1: one after another). */
    public EvalRunner withConcurrency(int n) {
        return new EvalRunner(model, options, matcher, images, judge, n, retries);
    }

    /** Retries requests an endpoint turns away for now (429, 5xx) by this policy. */
    public EvalRunner withRetries(RetryPolicy policy) {
        return new EvalRunner(model, options, matcher, images, judge, concurrency, policy);
    }

    /** Runs every question, without progress reports or cancellation. */
    public Evaluation run(EvalDataset dataset) {
        return run(dataset, EvalProgress.NONE, CancellationToken.NEVER);
    }

    /**
     * Runs every question.
     *
     * @param progress told after each question, in data set order, on the calling thread
     * @param cancel   checked before each question and between decoding steps; once it reports cancellation the
     *                 run stops, questions being answered are dropped (their answers would be partial), and the
     *                 evaluation holds the questions answered so far with {@link Evaluation#cancelled()} true
     */
    public Evaluation run(EvalDataset dataset, EvalProgress progress, CancellationToken cancel) {
        List<EvalResult> results = new ArrayList<>(dataset.size());
        Judge grader = judge != null ? judge : new ModelJudge(model);
        InOrderWorkers.run(dataset.items(), concurrency, item -> answer(dataset, item, grader, cancel),
                (index, result) -> {
                    results.add(result);
                    progress.onResult(result, results.size(), dataset.size());
                    return true;
                }, cancel);
        boolean cancelled = results.size() < dataset.size();
        return new Evaluation(dataset, model.info(), options, results, cancelled);
    }

    /** One question's result, or null when the run was cancelled while it was answered. */
    private EvalResult answer(EvalDataset dataset, EvalItem item, Judge grader, CancellationToken cancel) {
        if (cancel.isCancelled()) {
            return null;
        }
        ImageInput image;
        try {
            image = images.load(item.imagePath());
        } catch (RuntimeException e) {
            return EvalResult.failed(item, "cannot read the image " + item.image() + ": " + e.getMessage());
        }
        long start = System.nanoTime();
        Answer answer;
        try {
            answer = retries.call(() -> model.generate(Prompt.of(item.question(), image), options, TokenListener.NONE,
                    cancel), cancel);
        } catch (RuntimeException e) {
            if (cancel.isCancelled()) {
                return null;
            }
            return EvalResult.failed(item, "the model failed: " + message(e));
        }
        double millis = (System.nanoTime() - start) / 1e6;
        if (answer.finishReason() == FinishReason.CANCELLED) {
            return null;
        }
        Score score;
        try {
            score = score(item, answer.text(), image, grader, cancel);
        } catch (RuntimeException e) {
            return new EvalResult(item, answer.text(), Score.wrong("error: the judge failed: " + message(e)), millis,
                    answer.reasoning(), answer.finishReason(), answer.usage(), "the judge failed: " + message(e));
        }
        return new EvalResult(item, answer.text(), score, millis, answer.reasoning(), answer.finishReason(),
                answer.usage(), "");
    }

    private Score score(EvalItem item, String answer, ImageInput image, Judge grader, CancellationToken cancel) {
        if (matcher != null && item.expectation() instanceof Expectation.Exact exact) {
            return matcher.matches(exact.answer(), answer) ? Score.right("") : Score.wrong("not equal to the "
                    + "expected answer");
        }
        return item.expectation().score(answer, (rubric, given) -> retries.call(
                () -> grader.grade(item.question(), image, rubric, given), cancel));
    }

    private static String message(RuntimeException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
