package dev.glimpse.engine.glm4v;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RotaryEmbeddingTest {

    private static NDManager manager;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    @Test
    void visionRotatesHalfSplitPairsByRowAndColumnAngles() {
        int n = 3;
        int heads = 2;
        int dim = 8; // quarter = 2 frequencies: 1 and 1/100 for θ = 10000 over dim/2 = 4
        int[] hs = {0, 1, 5};
        int[] ws = {2, 0, 7};
        RotaryEmbedding.Vision rope = new RotaryEmbedding.Vision(dim, 10_000);
        NDArray x = TestTensors.random(manager, 21, 1.0, n, heads, dim);
        float[] out = rope.apply(x, rope.cosSin(manager, hs, ws)).toFloatArray();

        float[] in = x.toFloatArray();
        float[] inv = {1f, 0.01f};
        float[] expected = new float[in.length];
        for (int p = 0; p < n; p++) {
            // angles for the 8 dims: [h·f0, h·f1, w·f0, w·f1] twice
            double[] angle = new double[dim];
            for (int i = 0; i < 2; i++) {
                angle[i] = hs[p] * inv[i];
                angle[2 + i] = ws[p] * inv[i];
            }
            System.arraycopy(angle, 0, angle, 4, 4);
            for (int h = 0; h < heads; h++) {
                int base = (p * heads + h) * dim;
                for (int d = 0; d < dim; d++) {
                    // rotate_half(x) = cat(-x2, x1)
                    double rotated = d < dim / 2 ? -in[base + d + dim / 2] : in[base + d - dim / 2];
                    expected[base + d] = (float) (in[base + d] * Math.cos(angle[d]) + rotated * Math.sin(angle[d]));
                }
            }
        }
        assertTrue(TestTensors.maxAbsDiff(expected, out) < 1e-5);
    }

    @Test
    void textRotatesInterleavedPairsOfTheFirstHalfWithMropeAxes() {
        int tokens = 4;
        int heads = 3;
        int dim = 16; // rotary dim 8 → 4 frequencies, sections [1, 2, 1]: slot 0 ← t, slots 1–2 ← h, slot 3 ← w
        int[][] positions = {{0, 1, 2, 9}, {0, 4, 2, 9}, {0, 3, 7, 9}};
        RotaryEmbedding.Text rope = new RotaryEmbedding.Text(dim, 0.5, 500_000, new int[] {1, 2, 1});
        NDArray x = TestTensors.random(manager, 22, 1.0, tokens, heads, dim);
        float[] out = rope.apply(x, rope.cosSin(manager, positions, 0, tokens, DataType.FLOAT32)).toFloatArray();

        float[] in = x.toFloatArray();
        float[] inv = RotaryEmbedding.inverseFrequencies(500_000, 8);
        int[] axis = {0, 1, 1, 2};
        float[] expected = new float[in.length];
        for (int s = 0; s < tokens; s++) {
            for (int h = 0; h < heads; h++) {
                int base = (s * heads + h) * dim;
                for (int d = 0; d < dim; d++) {
                    if (d >= 8) {
                        expected[base + d] = in[base + d];
                        continue;
                    }
                    int slot = d / 2;
                    double angle = (float) positions[axis[slot]][s] * inv[slot];
                    // rotate_half_llm: pairs (2i, 2i+1) → (-x[2i+1], x[2i])
                    double rotated = d % 2 == 0 ? -in[base + d + 1] : in[base + d - 1];
                    expected[base + d] = (float) (in[base + d] * Math.cos(angle) + rotated * Math.sin(angle));
                }
            }
        }
        assertTrue(TestTensors.maxAbsDiff(expected, out) < 1e-5);
    }

    @Test
    void inverseFrequenciesFollowTheta() {
        assertArrayEquals(new float[] {1f, 0.1f, 0.01f, 0.001f}, RotaryEmbedding.inverseFrequencies(10_000, 8), 1e-9f);
    }

    @Test
    void mropeSectionMustCoverEveryFrequency() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RotaryEmbedding.Text(128, 0.5, 500_000, new int[] {8, 12, 10}));
        assertTrue(e.getMessage().contains("must sum to 32"), e.getMessage());
    }
}
