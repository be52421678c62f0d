package dev.glimpse.pipeline;

import dev.glimpse.engine.FinishReason;
import tech.tablesaw.api.DoubleColumn;
import tech.tablesaw.api.IntColumn;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The numbers of an evaluation: accuracy per question type and overall, latency percentiles, and how many answers
 * the token limit cut off. {@link #format()} lays them out as plain text:
 *
 * <pre>
 * type     items  correct  accuracy
 * color        2        1     50.0%
 * shape        1        1    100.0%
 * -------  -----  -------  --------
 * overall      3        2     66.7%
 *
 * latency ms (nearest rank, 3 answers): p50 412.3  p95 780.1  max 780.1  mean 530.6
 * </pre>
 *
 * @param byType  accuracy per question type, types sorted by name
 * @param overall accuracy over every answered question (group {@value #OVERALL})
 * @param latency latency percentiles of the answered questions
 * @param cutOff  answers that ended at the token limit ({@link FinishReason#LENGTH}) rather than finishing
 */
public record EvalReport(List<Accuracy> byType, Accuracy overall, LatencySummary latency, int cutOff) {

    /** The group name of the overall accuracy. */
    public static final String OVERALL = "overall";

    public EvalReport {
        byType = List.copyOf(byType);
    }

    /** The report of some results. */
    public static EvalReport of(List<EvalResult> results) {
        Map<String, int[]> counts = new TreeMap<>();
        int correct = 0;
        int cutOff = 0;
        double[] latencies = new double[results.size()];
        for (int i = 0; i < results.size(); i++) {
            EvalResult r = results.get(i);
            int[] c = counts.computeIfAbsent(r.type(), t -> new int[2]);
            c[0]++;
            if (r.correct()) {
                c[1]++;
                correct++;
            }
            if (r.finishReason() == FinishReason.LENGTH) {
                cutOff++;
            }
            latencies[i] = r.latencyMillis();
        }
        List<Accuracy> byType = new ArrayList<>();
        counts.forEach((type, c) -> byType.add(new Accuracy(type, c[0], c[1])));
        return new EvalReport(byType, new Accuracy(OVERALL, results.size(), correct), LatencySummary.of(latencies),
                cutOff);
    }

    /** The accuracy of one question type, if any question had it. */
    public java.util.Optional<Accuracy> accuracyOf(String type) {
        return byType.stream().filter(a -> a.group().equals(type)).findFirst();
    }

    /** Accuracy per type and overall as a table: type, items, correct, accuracy (0–1); the last row is overall. */
    public Table accuracyTable() {
        StringColumn type = StringColumn.create("type");
        IntColumn items = IntColumn.create("items");
        IntColumn correct = IntColumn.create("correct");
        DoubleColumn accuracy = DoubleColumn.create("accuracy");
        List<Accuracy> rows = new ArrayList<>(byType);
        rows.add(overall);
        for (Accuracy a : rows) {
            type.append(a.group());
            items.append(a.items());
            correct.append(a.correct());
            accuracy.append(a.accuracy());
        }
        return Table.create("accuracy", type, items, correct, accuracy);
    }

    /** The report as plain text: the accuracy table, the latency line, and a note when answers were cut off. */
    public String format() {
        List<String[]> rows = new ArrayList<>();
        for (Accuracy a : byType) {
            rows.add(row(a));
        }
        String[] header = {"type", "items", "correct", "accuracy"};
        String[] total = row(overall);
        int[] width = new int[header.length];
        for (int c = 0; c < header.length; c++) {
            width[c] = Math.max(header[c].length(), total[c].length());
            for (String[] r : rows) {
                width[c] = Math.max(width[c], r[c].length());
            }
        }
        StringBuilder out = new StringBuilder();
        line(out, header, width);
        rows.forEach(r -> line(out, r, width));
        String[] rule = new String[header.length];
        for (int c = 0; c < rule.length; c++) {
            rule[c] = "-".repeat(width[c]);
        }
        line(out, rule, width);
        line(out, total, width);
        out.append('\n');
        if (latency.count() == 0) {
            out.append("latency ms: no answers\n");
        } else {
            out.append(String.format(Locale.ROOT, "latency ms (nearest rank, %d answer%s): p50 %s  p95 %s  max %s"
                            + "  mean %s\n", latency.count(), latency.count() == 1 ? "" : "s", millis(latency.p50()),
                    millis(latency.p95()), millis(latency.max()), millis(latency.mean())));
        }
        if (cutOff > 0) {
            out.append(String.format(Locale.ROOT, "%d of %d answers were cut off by the token limit before they "
                    + "finished (allow more new tokens, or turn thinking off)\n", cutOff, overall.items()));
        }
        return out.toString();
    }

    @Override
    public String toString() {
        return format();
    }

    private static String[] row(Accuracy a) {
        String percent = a.items() == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * a.accuracy());
        return new String[] {a.group(), Integer.toString(a.items()), Integer.toString(a.correct()), percent};
    }

    // the type column is left-aligned, the numbers right-aligned, two spaces between columns
    private static void line(StringBuilder out, String[] cells, int[] width) {
        StringBuilder line = new StringBuilder();
        for (int c = 0; c < cells.length; c++) {
            if (c > 0) {
                line.append("  ");
            }
            String pad = " ".repeat(width[c] - cells[c].length());
            line.append(c == 0 ? cells[c] + pad : pad + cells[c]);
        }
        out.append(line.toString().stripTrailing()).append('\n');
    }

    private static String millis(double ms) {
        return String.format(Locale.ROOT, "%.1f", ms);
    }
}
