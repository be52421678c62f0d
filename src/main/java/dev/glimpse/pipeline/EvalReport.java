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
 * The numbers of an evaluation: accuracy and mean score (partial credit) per question type and overall, latency
 * percentiles, and how many answers the token limit cut off. {@link #format()} lays them out as plain text:
 *
 * <pre>
 * type     items  correct  accuracy  score
 * color        2        1     50.0%  0.500
 * objects      1        0      0.0%  0.667
 * -------  -----  -------  --------  -----
 * overall      3        1     33.3%  0.556
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
        Map<String, Tally> counts = new TreeMap<>();
        Tally all = new Tally();
        int cutOff = 0;
        double[] latencies = new double[results.size()];
        int answered = 0;
        for (EvalResult r : results) {
            counts.computeIfAbsent(r.type(), t -> new Tally()).add(r);
            all.add(r);
            if (r.finishReason() == FinishReason.LENGTH) {
                cutOff++;
            }
            // an error row has no latency: it would pull the percentiles down
            if (!r.failed()) {
                latencies[answered++] = r.latencyMillis();
            }
        }
        List<Accuracy> byType = new ArrayList<>();
        counts.forEach((type, c) -> byType.add(c.accuracy(type)));
        return new EvalReport(byType, all.accuracy(OVERALL),
                LatencySummary.of(java.util.Arrays.copyOf(latencies, answered)), cutOff);
    }

    private static final class Tally {
        int items;
        int correct;
        double credit;
        int errors;

        void add(EvalResult r) {
            items++;
            correct += r.correct() ? 1 : 0;
            credit += r.score().value();
            errors += r.failed() ? 1 : 0;
        }

        Accuracy accuracy(String group) {
            return new Accuracy(group, items, correct, Math.min(credit, items), errors);
        }
    }

    /** The accuracy of one question type, if any question had it. */
    public java.util.Optional<Accuracy> accuracyOf(String type) {
        return byType.stream().filter(a -> a.group().equals(type)).findFirst();
    }

    /**
     * Accuracy per type and overall as a table: type, items, correct, accuracy (0–1), score (mean, 0–1, partial
     * credit included), errors; the last row is overall.
     */
    public Table accuracyTable() {
        StringColumn type = StringColumn.create("type");
        IntColumn items = IntColumn.create("items");
        IntColumn correct = IntColumn.create("correct");
        DoubleColumn accuracy = DoubleColumn.create("accuracy");
        DoubleColumn score = DoubleColumn.create("score");
        IntColumn errors = IntColumn.create("errors");
        List<Accuracy> rows = new ArrayList<>(byType);
        rows.add(overall);
        for (Accuracy a : rows) {
            type.append(a.group());
            items.append(a.items());
            correct.append(a.correct());
            accuracy.append(a.accuracy());
            score.append(a.meanScore());
            errors.append(a.errors());
        }
        return Table.create("accuracy", type, items, correct, accuracy, score, errors);
    }

    /** The report as plain text: the accuracy table, the latency line, and a note when answers were cut off. */
    public String format() {
        String[] header = overall.errors() > 0 ? new String[] {"type", "items", "correct", "accuracy", "score",
                "errors"} : new String[] {"type", "items", "correct", "accuracy", "score"};
        List<String[]> rows = new ArrayList<>();
        for (Accuracy a : byType) {
            rows.add(row(a, header.length));
        }
        String[] total = row(overall, header.length);
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
        if (overall.errors() > 0) {
            out.append(String.format(Locale.ROOT, "%d of %d questions could not be answered (errors, counted wrong; "
                    + "the failures list each reason)\n", overall.errors(), overall.items()));
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

    private static String[] row(Accuracy a, int columns) {
        String percent = a.items() == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * a.accuracy());
        String score = a.items() == 0 ? "-" : String.format(Locale.ROOT, "%.3f", a.meanScore());
        String[] all = {a.group(), Integer.toString(a.items()), Integer.toString(a.correct()), percent, score,
                Integer.toString(a.errors())};
        return java.util.Arrays.copyOf(all, columns);
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
