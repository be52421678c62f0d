package dev.glimpse.pipeline;

import dev.glimpse.engine.Answer;
import dev.glimpse.engine.CancellationToken;
import dev.glimpse.engine.FinishReason;
import dev.glimpse.engine.GenerationOptions;
import dev.glimpse.engine.ImageInput;
import dev.glimpse.engine.ImageLoader;
import dev.glimpse.engine.Prompt;
import dev.glimpse.engine.TokenListener;
import dev.glimpse.engine.Usage;
import dev.glimpse.engine.VisionLanguageModel;

import java.nio.file.Path;

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
    private final Path answers;

    /** A runner with the defaults (greedy, thinking on, normalized matching, one question at a time). */
    public EvalRunner(VisionLanguageModel model) {
        this(model, GenerationOptions.DEFAULT, null, new ImageLoader(), null, 1, RetryPolicy.DEFAULT, null);
    }

    private EvalRunner(VisionLanguageModel model, GenerationOptions options, AnswerMatcher matcher,
                       ImageLoader images, Judge judge, int concurrency, RetryPolicy retries, Path answers) {
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
        this.answers = answers;
    }

    /** The generation options used for every question. */
    public GenerationOptions options() {
        return options;
    }

    /** Uses these generation options (e.g. a model's own defaults, or sampling with a seed). */
    public EvalRunner withOptions(GenerationOptions o) {
        return new EvalRunner(model, o, matcher, images, judge, concurrency, retries, answers);
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
                retries, answers);
    }

    /** Decodes images with this loader (e.g. another pixel limit). */
    public EvalRunner withImageLoader(ImageLoader loader) {
        return new EvalRunner(model, options, matcher, loader, judge, concurrency, retries, answers);
    }

    /** Grades {@code judge} items with this judge (default: a {@link ModelJudge} of the model under test). */
    public EvalRunner withJudge(Judge j) {
        return new EvalRunner(model, options, matcher, images, Objects.requireNonNull(j, "judge"), concurrency,
                retries, answers);
    }

    /** Keeps up to {@code n} questions in flight at once (1: one after another). */
    public EvalRunner withConcurrency(int n) {
        return new EvalRunner(model, options, matcher, images, judge, n, retries, answers);
    }

    /** Retries requests an endpoint turns away for now (429, 5xx) by this policy. */
    public EvalRunner withRetries(RetryPolicy policy) {
        return new EvalRunner(model, options, matcher, images, judge, concurrency, policy, answers);
    }

    /**
     * Keeps every answer in this results file as it comes, in askAll's format and by its rules ({@link ResultsCsv}),
     * and takes the answers it already holds for the same key (image content, question, model identity, generation
     * options) instead of asking the model again; they are scored again. A run that was interrupted or crashed is
     * finished by running it again; error rows and anything whose key changed are asked again.
     */
    public EvalRunner withAnswersFile(Path file) {
        return new EvalRunner(model, options, matcher, images, judge, concurrency, retries,
                Objects.requireNonNull(file, "file"));
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
     * @throws IllegalArgumentException when the {@link #withAnswersFile answers file} is not one askAll wrote
     * @throws java.io.UncheckedIOException when the answers file cannot be read or written
     */
    public Evaluation run(EvalDataset dataset, EvalProgress progress, CancellationToken cancel) {
        List<EvalResult> results = new ArrayList<>(dataset.size());
        Judge grader = judge != null ? judge : new ModelJudge(model);
        List<EvalItem> items = dataset.items();
        ResultsCsv journal = answers == null ? null : ResultsCsv.open(answers);
        List<BatchResult.AnswerKey> keys = new ArrayList<>(items.size());
        BatchResult[] earlier = new BatchResult[items.size()];
        String modelId = ModelIdentity.of(model.info());
        String optionsKey = BatchRunner.optionsKey(options, null);
        int[] resumed = {0};
        for (int i = 0; i < items.size(); i++) {
            EvalItem item = items.get(i);
            if (journal != null) {
                keys.add(new BatchResult.AnswerKey(BatchRunner.sha256(new BatchItem(item.image(), item.imagePath())),
                        modelId, optionsKey));
                earlier[i] = journal.find(new ResultsCsv.Key(item.image(), item.question(), keys.get(i)));
            }
        }
        List<Integer> order = java.util.stream.IntStream.range(0, items.size()).boxed().toList();
        InOrderWorkers.run(order, concurrency, i -> earlier[i] != null
                        ? rescore(items.get(i), earlier[i], grader, cancel)
                        : answer(dataset, items.get(i), grader, cancel),
                (index, result) -> {
                    if (earlier[index] != null) {
                        resumed[0]++;
                    } else if (journal != null) {
                        journal.append(row(result, keys.get(index)));
                    }
                    results.add(result);
                    progress.onResult(result, results.size(), dataset.size());
                    return true;
                }, cancel);
        boolean cancelled = results.size() < dataset.size();
        return new Evaluation(dataset, model.info(), options, results, cancelled, resumed[0]);
    }

    /**
     * The answers-file row of a result the model gave in this run. A judge's failure is not the answer's: the row
     * keeps the answer without it, so that a run again takes the answer and only grades it again.
     */
    private BatchResult row(EvalResult r, BatchResult.AnswerKey key) {
        String generationError = r.error().startsWith(JUDGE_FAILED) ? "" : r.error();
        return new BatchResult(r.image(), r.question(), r.answer(), Math.round(r.latencyMillis() * 10) / 10.0,
                r.usage().promptTokens(), r.usage().completionTokens(), model.info().name(), key, generationError);
    }

    /**
     * The result of a question answered in an earlier run, scored again. The answers file keeps no reasoning and no
     * finish reason: an answer that used every token it was allowed counts as cut off, as the model reports it.
     */
    private EvalResult rescore(EvalItem item, BatchResult earlier, Judge grader, CancellationToken cancel) {
        if (cancel.isCancelled()) {
            return null;
        }
        FinishReason finish = earlier.completionTokens() >= options.maxNewTokens() ? FinishReason.LENGTH
                : FinishReason.STOP;
        Usage usage = new Usage(earlier.promptTokens(), earlier.completionTokens());
        Score score;
        try {
            ImageInput image = item.expectation() instanceof Expectation.Judged ? images.load(item.imagePath()) : null;
            score = score(item, earlier.answer(), image, grader, cancel);
        } catch (RuntimeException e) {
            return new EvalResult(item, earlier.answer(), Score.wrong("error: " + JUDGE_FAILED + message(e)),
                    earlier.latencyMillis(), "", finish, usage, JUDGE_FAILED + message(e));
        }
        return new EvalResult(item, earlier.answer(), score, earlier.latencyMillis(), "", finish, usage, "");
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
            return new EvalResult(item, answer.text(), Score.wrong("error: " + JUDGE_FAILED + message(e)), millis,
                    answer.reasoning(), answer.finishReason(), answer.usage(), JUDGE_FAILED + message(e));
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

    /** How the error of a result whose answer the judge could not grade begins. */
    private static final String JUDGE_FAILED = "the judge failed: ";

    private static String message(RuntimeException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
