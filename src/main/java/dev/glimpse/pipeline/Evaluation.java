package dev.glimpse.pipeline;

import dev.glimpse.engine.GenerationOptions;
import dev.glimpse.engine.ModelInfo;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of running a model over an {@link EvalDataset}: one {@link EvalResult} per answered question, in
 * data set order, as records, as a Tablesaw {@link Table} and as CSV, and summarised by {@link #report()}.
 *
 * @param dataset   the data set that was run (after any limit)
 * @param model     the model that answered
 * @param options   how it generated
 * @param results   the answered questions, in order; fewer than the data set's when the run was cancelled
 * @param cancelled whether the run was cancelled before every question was answered
 * @param resumed   how many of the results were taken from an earlier run's answers file instead of asking the
 *                  model (see {@link EvalRunner#withAnswersFile}); they are scored again all the same
 */
public record Evaluation(EvalDataset dataset, ModelInfo model, GenerationOptions options, List<EvalResult> results,
                         boolean cancelled, int resumed) {

    private static final ResultColumns<EvalResult> TABLE = new ResultColumns<EvalResult>()
            .text("image", EvalResult::image)
            .text("type", EvalResult::type)
            .text("question", EvalResult::question)
            .text("matcher", r -> r.item().matcher())
            .text("expected", EvalResult::expected)
            .text("answer", EvalResult::answer)
            .flag("correct", EvalResult::correct)
            .number("score", r -> Math.round(r.score().value() * 1000) / 1000.0)
            .text("why", r -> r.score().why())
            .number("latency_ms", r -> Math.round(r.latencyMillis() * 10) / 10.0);

    /** The columns of {@link #table()} and {@link #writeCsv}, in order. */
    public static final List<String> COLUMNS = TABLE.names();

    /** The columns of {@link #failures()}: what was expected, what the model said, and why that failed. */
    public static final List<String> FAILURE_COLUMNS =
            List.of("image", "type", "question", "expected", "answer", "score", "why");

    public Evaluation {
        Objects.requireNonNull(dataset, "dataset");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(options, "options");
        results = List.copyOf(results);
    }

    /** An evaluation whose every result the model answered in this run. */
    public Evaluation(EvalDataset dataset, ModelInfo model, GenerationOptions options, List<EvalResult> results,
                      boolean cancelled) {
        this(dataset, model, options, results, cancelled, 0);
    }

    /** How many questions the run was to answer. */
    public int planned() {
        return dataset.size();
    }

    /** Accuracy per type and overall, and latency percentiles, of the answered questions. */
    public EvalReport report() {
        return EvalReport.of(results);
    }

    /**
     * The results as a table with the {@link #COLUMNS}: image (as the data set writes it), type, question,
     * matcher (the JSONL field, e.g. {@code list}), expected, answer (without reasoning), correct (boolean), score
     * (0–1, partial credit), why (why it failed, {@code error: …} when it could not be answered), latency_ms
     * (double, rounded to 0.1 ms).
     */
    public Table table() {
        return TABLE.table("eval " + dataset.source().getFileName(), results);
    }

    /**
     * The wrongly answered questions (error rows included) with the {@link #FAILURE_COLUMNS}: image, type, question,
     * expected, answer, score, why.
     */
    public Table failures() {
        Table all = table();
        return all.where(all.booleanColumn("correct").isFalse()).selectColumns(FAILURE_COLUMNS.toArray(String[]::new))
                .setName("failures " + dataset.source().getFileName());
    }

    /**
     * The first {@code max} failures as plain text, one per line: data set line, image, what was expected, what the
     * model said and why that failed, e.g.
     * {@code eval.jsonl:7 office.jpg: expected "chair, desk, monitor", got "a chair" (recall 0.33, precision 1.00;
     * missing: desk, monitor)}; then how many more there are. Empty when nothing failed.
     */
    public String formatFailures(int max) {
        StringBuilder out = new StringBuilder();
        int shown = 0;
        int failed = 0;
        for (EvalResult r : results) {
            if (r.correct()) {
                continue;
            }
            failed++;
            if (shown < max) {
                shown++;
                out.append(dataset.source().getFileName()).append(':').append(r.item().line()).append(' ')
                        .append(r.image()).append(": expected \"").append(oneLine(r.expected(), 80)).append('"')
                        .append(r.failed() ? "" : ", got \"" + oneLine(r.answer(), 80) + "\"")
                        .append(r.score().why().isEmpty() ? "" : " (" + oneLine(r.score().why(), 160) + ")")
                        .append('\n');
            }
        }
        if (failed > shown) {
            out.append("… and ").append(failed - shown).append(" more (all in the CSV)\n");
        }
        return out.toString();
    }

    private static String oneLine(String s, int max) {
        String t = s.strip().replaceAll("\\s+", " ");
        return t.length() <= max ? t : t.substring(0, max - 1) + "…";
    }

    /** Writes {@link #table()} as CSV (see {@link CsvTable}) to {@code file}, replacing it. */
    public void writeCsv(Path file) {
        CsvTable.write(table(), file);
    }
}
