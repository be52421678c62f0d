package dev.glimpse.pipeline;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LatencySummaryTest {

    private static double[] oneTo(int n) {
        return IntStream.rangeClosed(1, n).asDoubleStream().toArray();
    }

    @Test
    void nearestRankIsTheValueAtRankCeilingOfPTimesNOverHundred() {
        // 10 values: p50 → rank 5, p95 → rank ⌈9.5⌉ = 10, p90 → rank 9, p10 → rank 1
        double[] ten = oneTo(10);
        assertEquals(5, LatencySummary.nearestRank(ten, 50));
        assertEquals(10, LatencySummary.nearestRank(ten, 95));
        assertEquals(9, LatencySummary.nearestRank(ten, 90));
        assertEquals(1, LatencySummary.nearestRank(ten, 10));
        assertEquals(1, LatencySummary.nearestRank(ten, 0.1));
        assertEquals(10, LatencySummary.nearestRank(ten, 100));
        // 20 values: p95 is rank 19, the 19th fastest
        assertEquals(19, LatencySummary.nearestRank(oneTo(20), 95));
        // 1000 values: p99.9 is rank 999 (in binary floating point 99.9 / 100 * 1000 = 999.0000000000001 → 1000)
        assertEquals(999, LatencySummary.nearestRank(oneTo(1000), 99.9));
        // 3 values: p50 → rank 2, p95 → rank 3
        assertEquals(2, LatencySummary.nearestRank(oneTo(3), 50));
        assertEquals(3, LatencySummary.nearestRank(oneTo(3), 95));
        // 1 value: every percentile is that value
        assertEquals(7, LatencySummary.nearestRank(new double[] {7}, 50));
    }

    @Test
    void summaryIsOrderIndependentAndDoesNotSortTheCallersArray() {
        double[] millis = {300, 100, 500, 200, 400};
        LatencySummary s = LatencySummary.of(millis);
        assertEquals(new LatencySummary(5, 300, 500, 500, 300), s);
        assertEquals(300, millis[0]);
        assertEquals(s, LatencySummary.of(List.of(500.0, 400.0, 300.0, 200.0, 100.0)));
    }

    @Test
    void noLatenciesGiveNaN() {
        LatencySummary s = LatencySummary.of(new double[0]);
        assertEquals(0, s.count());
        assertTrue(Double.isNaN(s.p50()) && Double.isNaN(s.p95()) && Double.isNaN(s.max()) && Double.isNaN(s.mean()));
    }

    @Test
    void percentOutsideTheRangeIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> LatencySummary.nearestRank(oneTo(3), 0));
        assertThrows(IllegalArgumentException.class, () -> LatencySummary.nearestRank(oneTo(3), 100.5));
        assertThrows(IllegalArgumentException.class, () -> LatencySummary.nearestRank(new double[0], 50));
    }
}
