package dev.glimpse.engine.glm4v;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The float16 path a GPU takes (norms and softmax in float32, everything else in half precision), run on the CPU:
 * the prefill logits stay within half-precision error of transformers' float32 ones. The bound is what
 * transformers itself shows: its own float16 forward on these fixtures (CPU, eager) is 0.16–0.51 away from its
 * float32 logits (|logits| ≈ 15; the tiny random models amplify rounding).
 */
class Glm4vFloat16Test {

    @TestFactory
    Stream<DynamicTest> float16PrefillStaysCloseToFloat32() {
        return Glm4vFixtures.cases().stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
            try (NDManager manager = NDManager.newBaseManager();
                 ModelWeights weights = ModelDirectory.open(c.modelDir()).openWeights()) {
                Glm4vForConditionalGeneration net = Glm4vForConditionalGeneration.load(
                        ModelDirectory.open(c.modelDir()).config(), name -> weights.load(name, manager, DataType.FLOAT16),
                        new ScaledDotProductAttention(ScaledDotProductAttention.DEFAULT_SCORE_BUDGET_BYTES));
                Glm4vTextModel text = net.languageModel();
                int[] ids = c.inputIds();
                NDArray image = null;
                if (!c.images().isEmpty()) {
                    float[] pv = c.pixelValues();
                    image = net.imageFeatures(manager.create(pv, new Shape(pv.length / 1176, 1176)), c.grids());
                    assertEquals(DataType.FLOAT16, image.getDataType());
                }
                try (KvCache cache = text.newCache(manager, ids.length)) {
                    NDArray hidden = text.forward(net.inputsEmbeds(manager, ids, image),
                            net.ropeIndex(ids, c.grids()).positions(), 0, cache);
                    NDArray logits = net.logits(hidden).toType(DataType.FLOAT32, false);
                    float[] expected = c.reference("prefill_logits");
                    double diff = TestTensors.maxAbsDiff(expected, logits.toFloatArray());
                    assertTrue(diff < 0.6, "max abs diff " + diff);
                    // and the first token is still transformers' choice
                    assertEquals(c.greedyTokens()[0], (int) logits.get("-1").argMax().getLong());
                }
            }
        }));
    }
}
