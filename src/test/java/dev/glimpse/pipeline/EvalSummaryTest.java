package dev.glimpse.pipeline;

import dev.glimpse.engine.FinishReason;
import dev.glimpse.engine.Usage;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.DoubleColumn;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Thresholds, the call-volume estimate and the latency histogram. */
class EvalSummaryTest {

    private static EvalResult result(boolean correct, double millis) {
        EvalItem item = new EvalItem(1, "a.png", Path.of("a.png"), "Q?", "red", "color");
        return new EvalResult(item, correct ? "red" : "blue", correct, millis, "", FinishReason.STOP, new Usage(1, 1));
    }

    @Test
    void thresholdsJudgeAccuracyAndP95Inclusively() {
        // 9 of 10 correct = 90 %; latencies 100..1000 ms → p95 by nearest rank is 1000
        java.util.List<EvalResult> results = new java.util.ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            results.add(result(i != 3, i * 100));
        }
        EvalReport report = EvalReport.of(results);
        Thresholds.Verdict strict = Thresholds.DEFAULT.check(report);
        assertTrue(strict.accuracyMet(), "90 % reaches a 90 % bar");
        assertFalse(strict.latencyMet(), "p95 1000 ms is over 800 ms");
        assertFalse(strict.passed());
        assertTrue(new Thresholds(0.9, 1000).check(report).passed(), "1000 ms is within a 1000 ms bar");
        assertFalse(new Thresholds(0.91, 1000).check(report).passed());
        assertFalse(Thresholds.DEFAULT.check(EvalReport.of(java.util.List.of())).passed(), "no answers never pass");
        assertThrows(IllegalArgumentException.class, () -> new Thresholds(90, 800), "a percentage is refused");
    }

    @Test
    void capacityIsThousandOverTheMeanPerSecondTimesADay() {
        CapacityEstimate c = CapacityEstimate.fromMeanMillis(500);
        assertEquals(2.0, c.requestsPerSecond(), 1e-12);
        assertEquals(172_800, c.requestsPerDay(), 1e-9);
        assertEquals(Double.NaN, CapacityEstimate.fromMeanMillis(0).requestsPerSecond());
        assertEquals(4.0, CapacityEstimate.of(LatencySummary.of(new double[] {200, 300})).requestsPerSecond(), 1e-12);
    }

    @Test
    void histogramUsesNiceBinsThatHoldEveryValue() {
        LatencyHistogram h = LatencyHistogram.of(DoubleColumn.create("ms", 120, 180, 230, 240, 610), 5);
        // range 490 / 5 = 98 → width 100, from 100: [100,200) 2, [200,300) 2, …, [600,700) 1
        assertEquals(100, h.width());
        assertEquals(100, h.start());
        assertArrayEquals(new int[] {2, 2, 0, 0, 0, 1}, h.counts());
        assertEquals(2, h.maxCount());
        assertEquals(1, LatencyHistogram.of(new double[] {42, 42}, 10).bins());
        assertEquals(0, LatencyHistogram.of(new double[0], 10).bins());
        assertEquals(2, LatencyHistogram.niceWidth(1.5));
        assertEquals(50, LatencyHistogram.niceWidth(31));
    }
}
