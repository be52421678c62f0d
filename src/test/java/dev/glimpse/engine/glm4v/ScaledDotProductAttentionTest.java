package dev.glimpse.engine.glm4v;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScaledDotProductAttentionTest {

    private static NDManager manager;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    /** Attention written out in doubles, one query at a time: the definition the kernel must match. */
    static float[] naive(float[] q, float[] k, float[] v, int heads, int kvHeads, int queries, int keys, int dim,
                         double scale, int firstQueryPosition) {
        int groups = heads / kvHeads;
        float[] out = new float[queries * heads * dim];
        for (int h = 0; h < heads; h++) {
            int kvh = h / groups;
            for (int i = 0; i < queries; i++) {
                double[] s = new double[keys];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < keys; j++) {
                    if (firstQueryPosition >= 0 && j > firstQueryPosition + i) {
                        s[j] = Double.NEGATIVE_INFINITY;
                        continue;
                    }
                    double dot = 0;
                    for (int d = 0; d < dim; d++) {
                        dot += (double) q[(h * queries + i) * dim + d] * k[(kvh * keys + j) * dim + d];
                    }
                    s[j] = dot * scale;
                    max = Math.max(max, s[j]);
                }
                double sum = 0;
                for (int j = 0; j < keys; j++) {
                    s[j] = Math.exp(s[j] - max);
                    sum += s[j];
                }
                for (int d = 0; d < dim; d++) {
                    double acc = 0;
                    for (int j = 0; j < keys; j++) {
                        acc += s[j] / sum * v[(kvh * keys + j) * dim + d];
                    }
                    out[(i * heads + h) * dim + d] = (float) acc;
                }
            }
        }
        return out;
    }

    @Test
    void groupedCausalAttentionMatchesTheDefinition() {
        int heads = 6;
        int kvHeads = 2;
        int queries = 5;
        int keys = 9;
        int dim = 8;
        NDArray q = TestTensors.random(manager, 1, 1.0, heads, queries, dim);
        NDArray k = TestTensors.random(manager, 2, 1.0, kvHeads, keys, dim);
        NDArray v = TestTensors.random(manager, 3, 1.0, kvHeads, keys, dim);
        double scale = 1 / Math.sqrt(dim);
        // the 5 queries are the last 5 of 9 tokens: query 0 sits at key index 4
        NDArray out = new ScaledDotProductAttention(1L << 30).forward(q, k, v, scale, 4);
        assertEquals(new ai.djl.ndarray.types.Shape(queries, heads * dim), out.getShape());
        float[] expected = naive(q.toFloatArray(), k.toFloatArray(), v.toFloatArray(), heads, kvHeads, queries, keys,
                dim, scale, 4);
        assertTrue(TestTensors.maxAbsDiff(expected, out.toFloatArray()) < 1e-5);
    }

    @Test
    void bidirectionalAttentionMatchesTheDefinition() {
        NDArray q = TestTensors.random(manager, 4, 1.0, 3, 7, 4);
        NDArray k = TestTensors.random(manager, 5, 1.0, 3, 7, 4);
        NDArray v = TestTensors.random(manager, 6, 1.0, 3, 7, 4);
        NDArray out = new ScaledDotProductAttention(1L << 30).forward(q, k, v, 0.5, -1);
        float[] expected = naive(q.toFloatArray(), k.toFloatArray(), v.toFloatArray(), 3, 3, 7, 7, 4, 0.5, -1);
        assertTrue(TestTensors.maxAbsDiff(expected, out.toFloatArray()) < 1e-5);
    }

    @Test
    void planKeepsEachChunkWithinTheBudget() {
        // the vision tower on a 1920×1080 image: 10,764 patches, 12 heads, float32
        ScaledDotProductAttention kernel = new ScaledDotProductAttention(ScaledDotProductAttention.DEFAULT_SCORE_BUDGET_BYTES);
        ScaledDotProductAttention.Plan plan = kernel.plan(12, 12, 10_764, 10_764, DataType.FLOAT32);
        assertTrue(plan.bytesPerChunk() <= kernel.scoreBudgetBytes(), plan.toString());
        assertEquals(1, plan.kvHeadsPerChunk());
        assertEquals(1, plan.headsPerChunk());
        assertTrue(plan.chunks() >= 12, plan.toString());
        // everything fits: one chunk
        assertEquals(1, kernel.plan(32, 2, 100, 100, DataType.FLOAT32).chunks());
        // float16 scores still get float32 probabilities
        ScaledDotProductAttention.Plan half = kernel.plan(12, 12, 10_764, 10_764, DataType.FLOAT16);
        assertTrue(half.bytesPerChunk() <= kernel.scoreBudgetBytes(), half.toString());
    }

    @Test
    void everyChunkingLevelGivesTheUnchunkedResult() {
        int heads = 8;
        int kvHeads = 2;
        int queries = 12;
        int keys = 12;
        int dim = 4;
        NDArray q = TestTensors.random(manager, 7, 1.0, heads, queries, dim);
        NDArray k = TestTensors.random(manager, 8, 1.0, kvHeads, keys, dim);
        NDArray v = TestTensors.random(manager, 9, 1.0, kvHeads, keys, dim);
        float[] whole = new ScaledDotProductAttention(1L << 30).forward(q, k, v, 0.5, 0).toFloatArray();
        long perRow = keys * 8L; // float32 scores + probabilities
        // whole kv heads (4 heads × 12 queries = 48 rows), a few heads, and blocks of 5 queries of one head
        long[] budgets = {48 * perRow, 3 * 12 * perRow, 5 * perRow, 1};
        int[] expectedChunks = {2, 2 * 2, 2 * 4 * 3, 2 * 4 * 12};
        for (int i = 0; i < budgets.length; i++) {
            ScaledDotProductAttention kernel = new ScaledDotProductAttention(budgets[i]);
            assertEquals(expectedChunks[i], kernel.plan(heads, kvHeads, queries, keys, DataType.FLOAT32).chunks(),
                    "budget " + budgets[i]);
            float[] chunked = kernel.forward(q, k, v, 0.5, 0).toFloatArray();
            assertTrue(TestTensors.maxAbsDiff(whole, chunked) < 1e-6, "budget " + budgets[i]);
        }
    }

    @Test
    void chunkTemporariesAreFreed() {
        NDArray q = TestTensors.random(manager, 10, 1.0, 4, 16, 4);
        NDArray k = TestTensors.random(manager, 11, 1.0, 4, 16, 4);
        NDArray v = TestTensors.random(manager, 12, 1.0, 4, 16, 4);
        int before = manager.getManagedArrays().size();
        NDArray out = new ScaledDotProductAttention(16 * 8).forward(q, k, v, 0.5, -1);
        // the output (and the buffer it views) is all that remains
        assertTrue(manager.getManagedArrays().size() - before <= 1,
                "left " + (manager.getManagedArrays().size() - before) + " arrays");
        out.close();
    }
}
