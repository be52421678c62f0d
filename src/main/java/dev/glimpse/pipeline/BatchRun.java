package dev.glimpse.pipeline;

import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What a batch run has: a row per image in the order of the images, answers of earlier runs included.
 *
 * @param prompt    the question asked of every image
 * @param results   the rows, in image order; fewer than the images when the run was cancelled
 * @param total     how many images the run was given
 * @param reused    how many rows came from the results file of an earlier run (not asked again)
 * @param cancelled whether the run stopped before every image was answered
 * @param csv       the results file
 */
public record BatchRun(String prompt, List<BatchResult> results, int total, int reused, boolean cancelled,
                       Path csv) {

    private static final ResultColumns<BatchResult> TABLE = new ResultColumns<BatchResult>()
            .text("file", BatchResult::file)
            .text("prompt", BatchResult::prompt)
            .text("answer", BatchResult::answer)
            .number("latency_ms", r -> Math.round(r.latencyMillis() * 10) / 10.0)
            .count("prompt_tokens", BatchResult::promptTokens)
            .count("completion_tokens", BatchResult::completionTokens)
            .text("model", BatchResult::model)
            .text("error", BatchResult::error);

    /**
     * The columns of {@link #table()}: the results file's ({@link ResultsCsv#COLUMNS}) without the key columns
     * (image hash, model identity, options), which only tell when an answer may be reused.
     */
    public static final List<String> COLUMNS = TABLE.names();

    public BatchRun {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(csv, "csv");
        results = List.copyOf(results);
    }

    /** How many images were asked about in this run (not reused). */
    public int asked() {
        return results.size() - reused;
    }

    /**
     * The rows as a table: file, prompt, answer, latency_ms (double), prompt_tokens and completion_tokens (int),
     * model, error (empty when the image was answered).
     */
    public Table table() {
        return TABLE.table("answers " + csv.getFileName(), results);
    }
}
