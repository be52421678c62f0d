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
                type     items  correct  accuracy  score
                color        3        2     66.7%  0.667
                shape        2        1     50.0%  0.500
                -------  -----  -------  --------  -----
                overall      5        3     60.0%  0.600

                latency ms (nearest rank, 5 answers): p50 300.0  p95 1200.3  max 1200.3  mean 440.1
                1 of 5 answers were cut off by the token limit before they finished (allow more new tokens, or \
                turn thinking off)
                """, EvalReport.of(RESULTS).format());
    }

    @Test
    void longTypeNamesWidenTheFirstColumn() {
        String text = EvalReport.of(List.of(result("counting objects", "3", "3", 50, FinishReason.STOP))).format();
        assertTrue(text.startsWith("""
                type              items  correct  accuracy  score
                counting objects      1        1    100.0%  1.000
                ----------------  -----  -------  --------  -----
                overall               1        1    100.0%  1.000
                """), text);
        assertTrue(text.contains("(nearest rank, 1 answer): p50 50.0"), text);
    }

    @Test
    void anEmptyRunHasNoAccuracyAndNoLatencies() {
        EvalReport report = EvalReport.of(List.of());
        assertTrue(Double.isNaN(report.overall().accuracy()));
        assertEquals("""
                type     items  correct  accuracy  score
                -------  -----  -------  --------  -----
                overall      0        0         -      -

                latency ms: no answers
                """, report.format());
    }

    @Test
    void partialCreditAndErrorRowsShowInTheReport() {
        EvalItem objects = new EvalItem(1, "office.jpg", Path.of("/data/office.jpg"), "List the objects.",
                new Expectation.ItemList(List.of("chair", "desk", "monitor"), 0.9), "objects");
        EvalResult partial = new EvalResult(objects, "a chair and a desk",
                objects.expectation().score("a chair and a desk", Expectation.Grader.NONE), 250, "",
                FinishReason.STOP, new Usage(10, 5), "");
        EvalResult error = EvalResult.failed(objects, "cannot read the image office.jpg: truncated");
        EvalReport report = EvalReport.of(List.of(partial, error, result("color", "red", "red", 100,
                FinishReason.STOP)));
        Accuracy o = report.accuracyOf("objects").orElseThrow();
        assertEquals(2, o.items());
        assertEquals(0, o.correct());
        assertEquals(1, o.errors());
        assertEquals(0.8 / 2, o.meanScore(), 1e-12, "recall 2/3 and precision 1 give F1 0.8, the error 0");
        assertEquals(2, report.latency().count());
        assertEquals("""
                type     items  correct  accuracy  score  errors
                color        1        1    100.0%  1.000       0
                objects      2        0      0.0%  0.400       1
                -------  -----  -------  --------  -----  ------
                overall      3        1     33.3%  0.600       1
                """, report.format().substring(0, report.format().indexOf("\n\n") + 1));
        assertTrue(report.format().contains("1 of 3 questions could not be answered"), report.format());
    }

    @Test
    void accuracyAsATableForNotebooks() {
        Table t = EvalReport.of(RESULTS).accuracyTable();
        assertEquals(List.of("type", "items", "correct", "accuracy", "score", "errors"), t.columnNames());
        assertEquals(List.of("color", "shape", "overall"), t.stringColumn("type").asList());
        assertEquals(2.0 / 3, t.doubleColumn("accuracy").get(0), 1e-12);
        assertEquals(5, t.intColumn("items").get(2));
    }
}
