package dev.glimpse.pipeline;

import dev.glimpse.engine.FinishReason;
import dev.glimpse.engine.Usage;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvalReportTest {

    private static EvalResult result(String type, String expected, String answer, double millis,
                                     FinishReason finish) {
        EvalItem item = new EvalItem(1, "a.png", Path.of("/data/a.png"), "Q?", expected, type);
        return new EvalResult(item, answer, AnswerMatcher.NORMALIZED.matches(expected, answer), millis, "",
                finish, new Usage(10, 3));
    }

    private static final List<EvalResult> RESULTS = List.of(
            result("shape", "circle", "Circle.", 400, FinishReason.STOP),
            result("color", "red", "blue", 100, FinishReason.STOP),
            result("color", "red", "red", 300, FinishReason.STOP),
            result("shape", "square", "", 1200.25, FinishReason.LENGTH),
            result("color", "green", "Green", 200, FinishReason.STOP));

    @Test
    void accuracyPerTypeSortedByNameAndOverall() {
        EvalReport report = EvalReport.of(RESULTS);
        assertEquals(List.of(new Accuracy("color", 3, 2), new Accuracy("shape", 2, 1)), report.byType());
        assertEquals(new Accuracy("overall", 5, 3), report.overall());
        assertEquals(0.6, report.overall().accuracy(), 1e-12);
        assertEquals(new Accuracy("shape", 2, 1), report.accuracyOf("shape").orElseThrow());
        assertTrue(report.accuracyOf("count").isEmpty());
        assertEquals(1, report.cutOff());
        // nearest rank over {100, 200, 300, 400, 1200.25}: p50 rank 3, p95 rank 5
        assertEquals(new LatencySummary(5, 300, 1200.25, 1200.25, 440.05), report.latency());
    }

    @Test
    void formatsAsAPlainTextTable() {
        assertEquals("""
                type     items  correct  accuracy
                color        3        2     66.7%
                shape        2        1     50.0%
                -------  -----  -------  --------
                overall      5        3     60.0%

                latency ms (nearest rank, 5 answers): p50 300.0  p95 1200.3  max 1200.3  mean 440.1
                1 of 5 answers were cut off by the token limit before they finished (allow more new tokens, or \
                turn thinking off)
                """, EvalReport.of(RESULTS).format());
    }

    @Test
    void longTypeNamesWidenTheFirstColumn() {
        String text = EvalReport.of(List.of(result("counting objects", "3", "3", 50, FinishReason.STOP))).format();
        assertTrue(text.startsWith("""
                type              items  correct  accuracy
                counting objects      1        1    100.0%
                ----------------  -----  -------  --------
                overall               1        1    100.0%
                """), text);
        assertTrue(text.contains("(nearest rank, 1 answer): p50 50.0"), text);
    }

    @Test
    void anEmptyRunHasNoAccuracyAndNoLatencies() {
        EvalReport report = EvalReport.of(List.of());
        assertTrue(Double.isNaN(report.overall().accuracy()));
        assertEquals("""
                type     items  correct  accuracy
                -------  -----  -------  --------
                overall      0        0         -

                latency ms: no answers
                """, report.format());
    }

    @Test
    void accuracyAsATableForNotebooks() {
        Table t = EvalReport.of(RESULTS).accuracyTable();
        assertEquals(List.of("type", "items", "correct", "accuracy"), t.columnNames());
        assertEquals(List.of("color", "shape", "overall"), t.stringColumn("type").asList());
        assertEquals(2.0 / 3, t.doubleColumn("accuracy").get(0), 1e-12);
        assertEquals(5, t.intColumn("items").get(2));
    }
}
