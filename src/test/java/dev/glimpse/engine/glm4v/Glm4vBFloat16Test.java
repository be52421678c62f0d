package dev.glimpse.engine.glm4v;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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

    private static final Map<String, Glm4vForConditionalGeneration> NETWORKS = new ConcurrentHashMap<>();
    private static NDManager manager;

    @BeforeAll
    static void start() {
        manager = NDManager.newBaseManager();
    }

    @AfterAll
    static void stop() {
        manager.close();
    }

    private static Glm4vForConditionalGeneration network(Glm4vFixtures.Case c) {
        return NETWORKS.computeIfAbsent(c.model(), m -> {
            ModelDirectory dir = ModelDirectory.open(c.modelDir());
            try (ModelWeights weights = dir.openWeights()) {
                return Glm4vForConditionalGeneration.load(dir.config(),
                        name -> weights.load(name, manager, DataType.BFLOAT16),
                        new ScaledDotProductAttention(ScaledDotProductAttention.DEFAULT_SCORE_BUDGET_BYTES));
            }
        });
    }

    private static NDArray pixelValues(NDManager m, Glm4vFixtures.Case c) {
        float[] pv = c.pixelValues();
        return m.create(pv, new Shape(pv.length / 1176, 1176));
    }

    @TestFactory
    Stream<DynamicTest> prefillLogitsMatchTransformersBFloat16() {
        return Glm4vFixtures.cases().stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
            Glm4vForConditionalGeneration net = network(c);
            Glm4vTextModel text = net.languageModel();
            int[] ids = c.inputIds();
            try (NDManager m = manager.newSubManager(); KvCache cache = text.newCache(m, ids.length)) {
                NDArray image = c.images().isEmpty() ? null : net.imageFeatures(pixelValues(m, c), c.grids());
                if (image != null) {
                    assertEquals(DataType.BFLOAT16, BFloat16.typeOf(image));
                }
                NDArray hidden = text.forward(net.inputsEmbeds(m, ids, image), net.ropeIndex(ids, c.grids()).positions(),
                        0, cache);
                NDArray logits = net.logits(hidden);
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
