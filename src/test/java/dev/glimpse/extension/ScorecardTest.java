package dev.glimpse.extension;

import dev.glimpse.engine.FinishReason;
import dev.glimpse.engine.GenerationOptions;
import dev.glimpse.engine.ModelInfo;
import dev.glimpse.engine.Usage;
import dev.glimpse.pipeline.EvalDataset;
import dev.glimpse.pipeline.EvalItem;
import dev.glimpse.pipeline.EvalResult;
import dev.glimpse.pipeline.Evaluation;
import dev.glimpse.pipeline.Expectation;
import dev.glimpse.pipeline.Thresholds;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The numbers and the layout of {@code evaluate(..)}'s scorecard, from known results. */
class ScorecardTest {

    private static final ModelInfo MODEL = new ModelInfo("glimpse-tiny", "/m", "cpu()", "float32", 1, 4, 1);

    /** 20 questions: colour 10 (9 right), shape 10 (10 right); latencies 100, 200, …, 2000 ms. */
    private static Scorecard card(Thresholds thresholds) {
        List<EvalItem> items = new ArrayList<>();
        List<EvalResult> results = new ArrayList<>();
        for (int i = 1; i <= 20; i++) {
            String type = i <= 10 ? "color" : "shape";
            EvalItem item = new EvalItem(i, "img" + i + ".png", Path.of("img" + i + ".png"), "Q" + i, "yes", type);
            items.add(item);
            boolean right = i != 4;
            results.add(new EvalResult(item, right ? "yes" : "no", right, i * 100.0, "", FinishReason.STOP,
                    new Usage(10, 2)));
        }
        EvalDataset data = new EvalDataset(Path.of("eval.jsonl"), items);
        return new Scorecard(new Evaluation(data, MODEL, GenerationOptions.DEFAULT, results, false), thresholds);
    }

    @Test
    void numbersFromTheResults() {
        Scorecard s = card(Thresholds.DEFAULT);
        assertEquals(0.95, s.report().overall().accuracy(), 1e-12);
        assertEquals(0.9, s.report().accuracyOf("color").orElseThrow().accuracy(), 1e-12);
        assertEquals(1.0, s.report().accuracyOf("shape").orElseThrow().accuracy(), 1e-12);
        assertEquals(1000, s.report().latency().p50());
        assertEquals(1900, s.report().latency().p95());
        assertEquals(2000, s.report().latency().max());
        assertTrue(s.verdict().accuracyMet());
        assertFalse(s.verdict().latencyMet(), "p95 1900 ms > 800 ms");
        assertFalse(s.passed());
        assertTrue(s.withThresholds(new Thresholds(0.9, 2000)).passed());
        // mean 1050 ms → 1000 / 1050 requests/s, × 86 400 a day
        assertEquals(1000.0 / 1050, s.capacity().requestsPerSecond(), 1e-12);
        assertEquals(86_400_000.0 / 1050, s.capacity().requestsPerDay(), 1e-6);
        assertEquals(1, s.failures().rowCount());
        assertEquals("img4.png", s.failures().stringColumn("image").get(0));
        assertEquals(20, java.util.Arrays.stream(s.histogram().counts()).sum());
    }

    @Test
    void bundleShowsVerdictTablesHistogramAndAssumption() throws IOException {
        Scorecard s = card(Thresholds.DEFAULT);
        Bundle bundle = ScorecardView.bundle(s);
        String html = bundle.get(Bundle.HTML);
        assertTrue(html.contains("FAIL · eval.jsonl · glimpse-tiny · 20 questions"), html);
        assertTrue(html.contains("accuracy 95.0% ≥ 90.0% ✓ · p95 latency 1900 ms &gt; 800 ms ✗"), html);
        assertTrue(html.contains("<td>color</td><td>10</td><td>9</td><td>90.0%</td>"), html);
        assertTrue(html.contains("p50 1000 ms · p95 1900 ms · max 2000 ms · mean 1050 ms"), html);
        assertTrue(html.contains("≈ 0.95 requests/s sustained = 1000 / 1050 ms mean latency; ≈ 82,286 per day"), html);
        assertTrue(html.contains("one worker answering one request at a time"), html);
        assertTrue(html.contains("Failures (1)") && html.contains("img4.png"), html);
        BufferedImage chart = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(bundle.get(Bundle.PNG))));
        assertEquals(HistogramChart.WIDTH, chart.getWidth());
        assertTrue(html.contains(bundle.get(Bundle.PNG)), "the HTML shows the same chart");
        assertTrue(bundle.get(Bundle.PLAIN).startsWith("FAIL · eval.jsonl"), bundle.get(Bundle.PLAIN));
        assertTrue(ScorecardView.bundle(s.withThresholds(new Thresholds(0.9, 2000))).get(Bundle.HTML)
                .contains("PASS · eval.jsonl"));
    }

    @Test
    void partialCreditPerTypeBarsAndWhyAFailureFailed() {
        EvalItem objects = new EvalItem(1, "office.jpg", Path.of("office.jpg"), "List the objects.",
                new Expectation.ItemList(List.of("chair", "desk", "monitor"), 0.8), "objects");
        EvalItem count = new EvalItem(2, "office.jpg", Path.of("office.jpg"), "How many chairs?",
                new Expectation.Number(3, 0), "count");
        EvalItem broken = new EvalItem(3, "broken.jpg", Path.of("broken.jpg"), "How many chairs?",
                new Expectation.Number(3, 0), "count");
        String listed = "a chair, a lamp and a plant";
        List<EvalResult> results = List.of(
                new EvalResult(objects, listed, objects.expectation().score(listed, Expectation.Grader.NONE), 300,
                        "", FinishReason.STOP, new Usage(10, 8), ""),
                new EvalResult(count, "3 chairs", count.expectation().score("3 chairs", Expectation.Grader.NONE), 200,
                        "", FinishReason.STOP, new Usage(10, 2), ""),
                EvalResult.failed(broken, "cannot read the image broken.jpg: not in a format Java can decode"));
        Evaluation e = new Evaluation(new EvalDataset(Path.of("office.jsonl"), List.of(objects, count, broken)),
                MODEL, GenerationOptions.DEFAULT, results, false);
        Scorecard s = new Scorecard(e, new Thresholds(0.3, 800).forType("count", 0.9));
        assertEquals(1 / 3.0, s.report().accuracyOf("objects").orElseThrow().meanScore(), 1e-12,
                "recall 1/3, precision 1/3");
        assertEquals(List.of("count"), s.verdict().typesBelow());
        assertFalse(s.passed(), "overall 33 % ≥ 30 %, but count 50 % < 90 %");
        String html = ScorecardView.bundle(s).get(Bundle.HTML);
        assertTrue(html.contains("<td>objects</td><td>1</td><td>0</td><td>0.0%</td><td>0.333</td><td>0</td>"), html);
        assertTrue(html.contains("count 50.0% &lt; 90.0% ✗"), html);
        assertTrue(html.contains("1 questions could not be answered"), html);
        Table failures = s.failures();
        assertEquals(List.of("image", "type", "question", "expected", "answer", "score", "why"),
                failures.columnNames());
        assertEquals("recall 0.33, precision 0.33; missing: desk, monitor; extra: lamp, plant",
                failures.stringColumn("why").get(0));
        assertEquals("chair, desk, monitor", failures.stringColumn("expected").get(0));
        assertTrue(failures.stringColumn("why").get(1).startsWith("error: cannot read the image broken.jpg"));
        assertEquals(2, java.util.Arrays.stream(s.histogram().counts()).sum(), "the error row has no latency");
    }

    @Test
    void chartHasABarPerBinInTheBarColour() {
        Scorecard s = card(Thresholds.DEFAULT);
        BufferedImage chart = ScorecardView.chart(s);
        int bar = HistogramChart.BAR.getRGB() & 0xFFFFFF;
        int barPixels = 0;
        for (int x = 0; x < chart.getWidth(); x++) {
            if ((chart.getRGB(x, chart.getHeight() - 40) & 0xFFFFFF) == bar) {
                barPixels++;
            }
        }
        assertTrue(barPixels > 100, "bars along the bottom of the plot: " + barPixels);
    }
}
