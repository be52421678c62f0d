package dev.glimpse.pipeline;

import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
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

    /**
     * The columns of {@link #table()}: the results file's ({@link ResultsCsv#COLUMNS}) without the key columns
     * (image hash, model identity, options), which only tell when an answer may be reused.
     */
    public static final List<String> COLUMNS = List.of("file", "prompt", "answer", "latency_ms", "prompt_tokens",
            "completion_tokens", "model", "error");

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
        StringColumn file = StringColumn.create(COLUMNS.get(0));
        StringColumn prompts = StringColumn.create(COLUMNS.get(1));
        StringColumn answer = StringColumn.create(COLUMNS.get(2));
        DoubleColumn latency = DoubleColumn.create(COLUMNS.get(3));
        IntColumn promptTokens = IntColumn.create(COLUMNS.get(4));
        IntColumn completionTokens = IntColumn.create(COLUMNS.get(5));
        StringColumn model = StringColumn.create(COLUMNS.get(6));
        StringColumn error = StringColumn.create(COLUMNS.get(7));
        for (BatchResult r : results) {
            file.append(r.file());
            prompts.append(r.prompt());
            answer.append(r.answer());
            latency.append(Math.round(r.latencyMillis() * 10) / 10.0);
            promptTokens.append(r.promptTokens());
            completionTokens.append(r.completionTokens());
            model.append(r.model());
            error.append(r.error());
        }
        return Table.create("answers " + csv.getFileName(), file, prompts, answer, latency, promptTokens,
                completionTokens, model, error);
    }
}
