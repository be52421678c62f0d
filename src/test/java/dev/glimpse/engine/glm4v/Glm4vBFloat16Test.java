package dev.glimpse.engine.glm4v;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine in bfloat16 (weights as stored, matmuls in bf16, RMSNorm/softmax/vision rotary in float32, as
 * transformers computes) against transformers' own bfloat16 run on the same fixtures ({@code reference-bf16/}).
 *
 * <p>Greedy tokens are compared on glimpse-tiny ({@link GlimpseTinyParityTest}), not here: these random fixture
 * models were chosen for float32 margins of 0.02, and in bf16 most of their first steps are near-ties (transformers'
 * own bf16 run leads by less than 0.2 on half of them), which rounding can flip either way.
 */
class Glm4vBFloat16Test {

    /**
     * How far the engine's bf16 logits may be from transformers' bf16 logits, as a multiple of how far transformers'
     * own bf16 logits are from its float32 ones (per case, max and mean abs difference). Both sides round every
     * activation to bf16 (8 significant bits: a relative step of 2⁻⁸), in kernels that accumulate in different
     * orders and round at slightly different points (e.g. silu in one op or two), so each is a separate bf16
     * approximation of the same float32 computation. If each is within ε of it, they are within 2ε of each other;
     * ε is measured, not assumed, because the tiny random fixture models amplify rounding through their layers
     * (transformers' own bf16 error is 1.4–5.7 in max, 0.11–0.32 in mean, at |logits| ≤ 25). A real mistake (a
     * wrong rotary pairing, a missing mask, a bad cast) moves logits by far more.
     */
    static final double ROUNDING_FACTOR = 2.0;

    @RegisterExtension
    static final FixtureNetworks NETWORKS = new FixtureNetworks(DataType.BFLOAT16);

    @TestFactory
    Stream<DynamicTest> prefillLogitsMatchTransformersBFloat16() {
        return Glm4vFixtures.cases().stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
            Glm4vTextModel text = NETWORKS.network(c).languageModel();
            try (NDManager m = NETWORKS.newSubManager(); KvCache cache = text.newCache(m, c.inputIds().length)) {
                FixtureNetworks.Prefill prefill = NETWORKS.prefill(c, m, cache);
                if (prefill.image() != null) {
                    assertEquals(DataType.BFLOAT16, BFloat16.typeOf(prefill.image()));
                }
                NDArray logits = prefill.logits();
                assertEquals(DataType.BFLOAT16, BFloat16.typeOf(logits));
                float[] actual = logits.toType(DataType.FLOAT32, false).toFloatArray();
                float[] bf16 = c.bf16Reference("prefill_logits");
                float[] fp32 = c.reference("prefill_logits");
                double maxBound = ROUNDING_FACTOR * TestTensors.maxAbsDiff(fp32, bf16);
                double meanBound = ROUNDING_FACTOR * meanAbsDiff(fp32, bf16);
                double max = TestTensors.maxAbsDiff(bf16, actual);
                double mean = meanAbsDiff(bf16, actual);
                assertTrue(max <= maxBound && mean <= meanBound, "abs diff to transformers' bf16 logits: max " + max
                        + " (bound " + maxBound + "), mean " + mean + " (bound " + meanBound + ")");
            }
        }));
    }

    private static double meanAbsDiff(float[] a, float[] b) {
        assertEquals(a.length, b.length, "sizes");
        double sum = 0;
        for (int i = 0; i < a.length; i++) {
            sum += Math.abs(a[i] - b[i]);
        }
        return sum / a.length;
    }
}
