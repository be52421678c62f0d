package dev.glimpse.extension;

import dev.glimpse.pipeline.CapacityEstimate;
import dev.glimpse.pipeline.EvalReport;
import dev.glimpse.pipeline.Evaluation;
import dev.glimpse.pipeline.LatencyHistogram;
import dev.glimpse.pipeline.Thresholds;
import tech.tablesaw.api.Table;

import java.util.Objects;

/**
 * The outcome of {@code evaluate(..)}: accuracy per question type, latency percentiles, the wrong answers, a latency
 * histogram, pass or fail against {@link Thresholds}, and how many calls a day one worker could answer. In a notebook
 * it shows all of that; {@link #table()} and {@link #failures()} are Tablesaw tables for further work.
 *
 * <pre>{@code
 * var s = evaluate("data/eval.jsonl");
 * s.passed();                                   // accuracy ≥ 90 % and p95 latency ≤ 800 ms
 * s.withThresholds(thresholds(0.8, 1500));     // judge again against another bar, without re-running
 * s.failures();
 * }</pre>
 */
public final class Scorecard {

    /** Bins the latency histogram aims for. */
    static final int HISTOGRAM_BINS = 12;

    private final Evaluation evaluation;
    private final Thresholds thresholds;

    Scorecard(Evaluation evaluation, Thresholds thresholds) {
        this.evaluation = Objects.requireNonNull(evaluation, "evaluation");
        this.thresholds = Objects.requireNonNull(thresholds, "thresholds");
    }

    /** The evaluation behind it: data set, model, options and one result per answered question. */
    public Evaluation evaluation() {
        return evaluation;
    }

    /** Accuracy per type and overall, latency percentiles (nearest rank). */
    public EvalReport report() {
        return evaluation.report();
    }

    /**
     * Every answered question: image, type, question, matcher, expected, answer, correct, score (0–1, partial
     * credit), why (why it failed), latency_ms.
     */
    public Table table() {
        return evaluation.table();
    }

    /** The wrongly answered questions and error rows: image, type, question, expected, answer, score, why. */
    public Table failures() {
        return evaluation.failures();
    }

    /** The bar it is judged against. */
    public Thresholds thresholds() {
        return thresholds;
    }

    /** How it measures up to {@link #thresholds()}. */
    public Thresholds.Verdict verdict() {
        return thresholds.check(report());
    }

    /** Whether accuracy and p95 latency are both within the thresholds. */
    public boolean passed() {
        return verdict().passed();
    }

    /** The same results judged against other thresholds. */
    public Scorecard withThresholds(Thresholds other) {
        return new Scorecard(evaluation, other);
    }

    /** Sustained requests per second and per day for one worker, from the mean latency. */
    public CapacityEstimate capacity() {
        return CapacityEstimate.of(report().latency());
    }

    /** The latencies in about a dozen bins. */
    public LatencyHistogram histogram() {
        // error rows have no latency
        double[] latencies = evaluation.results().stream().filter(r -> !r.failed())
                .mapToDouble(r -> Math.round(r.latencyMillis() * 10) / 10.0).toArray();
        return LatencyHistogram.of(tech.tablesaw.api.DoubleColumn.create("latency_ms", latencies), HISTOGRAM_BINS);
    }

    /** Whether the run was interrupted before every question was answered. */
    public boolean interrupted() {
        return evaluation.cancelled();
    }

    /** The plain-text report. */
    @Override
    public String toString() {
        return ScorecardView.plain(this);
    }
}
