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
 * The float16 path a GPU takes (norms and softmax in float32, everything else in half precision), run on the CPU:
 * the prefill logits stay within half-precision error of transformers' float32 ones. The bound is what
 * transformers itself shows: its own float16 forward on these fixtures (CPU, eager) is 0.16–0.51 away from its
 * float32 logits (|logits| ≈ 15; the tiny random models amplify rounding).
 */
class Glm4vFloat16Test {

    @RegisterExtension
    static final FixtureNetworks NETWORKS = new FixtureNetworks(DataType.FLOAT16);

    @TestFactory
    Stream<DynamicTest> float16PrefillStaysCloseToFloat32() {
        return Glm4vFixtures.cases().stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
            Glm4vTextModel text = NETWORKS.network(c).languageModel();
            try (NDManager m = NETWORKS.newSubManager(); KvCache cache = text.newCache(m, c.inputIds().length)) {
                FixtureNetworks.Prefill prefill = NETWORKS.prefill(c, m, cache);
                if (prefill.image() != null) {
                    assertEquals(DataType.FLOAT16, prefill.image().getDataType());
                }
                NDArray logits = prefill.logits().toType(DataType.FLOAT32, false);
                float[] expected = c.reference("prefill_logits");
                double diff = TestTensors.maxAbsDiff(expected, logits.toFloatArray());
                assertTrue(diff < 0.6, "max abs diff " + diff);
                // and the first token is still transformers' choice
                assertEquals(c.greedyTokens()[0], (int) logits.get("-1").argMax().getLong());
            }
        }));
    }
}
