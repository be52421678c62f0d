package dev.glimpse.engine;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Issue 17, item 9: a temperature too small to divide the scores by decodes greedily. */
class GenerationOptionsTest {

    @Test
    void temperaturesUnderTheEpsilonAreGreedy() {
        for (double t : new double[] {0.0, 1e-300, Double.MIN_VALUE, 1e-30, 9.9e-6}) {
            assertTrue(GenerationOptions.DEFAULT.withTemperature(t).greedy(), "temperature " + t);
        }
        for (double t : new double[] {1e-5, 0.01, 0.7, 2.0}) {
            assertFalse(GenerationOptions.DEFAULT.withTemperature(t).greedy(), "temperature " + t);
        }
    }
}
