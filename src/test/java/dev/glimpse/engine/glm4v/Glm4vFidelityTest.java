package dev.glimpse.engine.glm4v;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.glimpse.engine.CancellationToken;
import dev.glimpse.engine.GenerationOptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.HashSet;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Java network against transformers, in float32, on every fixture model and case: vision tower output,
 * M-RoPE positions, prefill logits (max abs diff ≤ 1e-3), each greedy step's logits, the first step's top 5 and
 * 20 greedy tokens. The reference input ids and pixel values are fed in directly, so these tests do not depend on
 * the tokenizer or image processor.
 */
class Glm4vFidelityTest {

    private static final double LOGIT_TOLERANCE = 1e-3;
    private static final double VISION_TOLERANCE = 1e-4;

    @RegisterExtension
    static final FixtureNetworks NETWORKS = new FixtureNetworks(DataType.FLOAT32);

    @TestFactory
    Stream<DynamicTest> visionTowerMatchesTransformers() {
        // the single-image cases carry the tower's outputs; the two-image cases are covered by the logits
        return Glm4vFixtures.cases().stream().filter(c -> c.json().get("arrays").has("image_embeds"))
                .map(c -> DynamicTest.dynamicTest(
                c.toString(), () -> {
                    try (NDManager m = NETWORKS.newSubManager()) {
                        Glm4vVisionModel.Output out = NETWORKS.network(c).visual().forwardWithOutputs(
                                FixtureNetworks.pixelValues(m, c), c.grids());
                        assertClose(c.reference("vision_downsample"), out.downsampled().toFloatArray(),
                                VISION_TOLERANCE, "downsample");
                        assertClose(c.reference("image_embeds"), out.merged().toFloatArray(), VISION_TOLERANCE,
                                "image_embeds");
                    }
                }));
    }

    @TestFactory
    Stream<DynamicTest> ropeIndexMatchesTransformers() {
        return Glm4vFixtures.cases().stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
            RopeIndex rope = NETWORKS.network(c).ropeIndex(c.inputIds(), c.grids());
            for (int axis = 0; axis < 3; axis++) {
                assertArrayEquals(Glm4vFixtures.ints(c.json().get("position_ids").get(axis)), rope.positions()[axis],
                        "axis " + axis);
            }
            assertEquals(c.json().get("rope_deltas").asInt(), rope.ropeDelta());
        }));
    }

    /** Prefill logits over the whole prompt, then each greedy step's logits, fed the reference tokens. */
    @TestFactory
    Stream<DynamicTest> logitsMatchTransformers() {
        return Glm4vFixtures.cases().stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
            Glm4vForConditionalGeneration net = NETWORKS.network(c);
            Glm4vTextModel text = net.languageModel();
            int[] ids = c.inputIds();
            int[] greedy = c.greedyTokens();
            try (NDManager m = NETWORKS.newSubManager();
                 KvCache cache = text.newCache(m, ids.length + greedy.length)) {
                FixtureNetworks.Prefill prefill = NETWORKS.prefill(c, m, cache);
                RopeIndex rope = prefill.rope();
                NDArray logits = prefill.logits();
                assertClose(c.reference("prefill_logits"), logits.toFloatArray(), LOGIT_TOLERANCE, "prefill logits");

                List<TokenLogit> top = GenerationLoop.top(logits.get("-1").reshape(-1), 5);
                int[] expectedTop = Glm4vFixtures.ints(c.json().get("first_step_top5").get("ids"));
                assertArrayEquals(expectedTop, top.stream().mapToInt(TokenLogit::id).toArray());
                for (int i = 0; i < 5; i++) {
                    assertEquals(c.json().get("first_step_top5").get("logits").get(i).asDouble(), top.get(i).logit(),
                            LOGIT_TOLERANCE);
                }

                float[] stepReference = c.reference("step_logits");
                int vocab = Math.toIntExact(logits.getShape().get(1));
                // step_logits row i scores the token after greedy[i] (row 0 is the last prefill row)
                for (int i = 0; i + 1 < greedy.length && (i + 1) * vocab < stepReference.length; i++) {
                    NDArray id = m.create(new long[] {greedy[i]}, new Shape(1));
                    NDArray h = text.forward(text.embed(id), rope.decodePositions(ids.length + i, 1), 0, cache);
                    float[] expected = java.util.Arrays.copyOfRange(stepReference, (i + 1) * vocab, (i + 2) * vocab);
                    assertClose(expected, net.logits(h).toFloatArray(), LOGIT_TOLERANCE, "step " + (i + 1) + " logits");
                }
            }
        }));
    }

    @TestFactory
    Stream<DynamicTest> greedyTokensMatchTransformers() {
        return Glm4vFixtures.cases().stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> {
            Glm4vForConditionalGeneration net = NETWORKS.network(c);
            int[] expected = c.greedyTokens();
            try (NDManager m = NETWORKS.newSubManager()) {
                NDArray pv = c.images().isEmpty() ? null : FixtureNetworks.pixelValues(m, c);
                GenerationLoop.Result result = new GenerationLoop(net, new HashSet<>(net.config().text().eosTokenIds()))
                        .run(m, c.inputIds(), pv, c.grids(), GenerationOptions.DEFAULT.withMaxNewTokens(expected.length),
                                t -> { }, CancellationToken.NEVER);
                assertArrayEquals(expected, result.tokens().stream().mapToInt(Integer::intValue).toArray());
            }
        }));
    }

    static void assertClose(float[] expected, float[] actual, double tolerance, String what) {
        assertEquals(expected.length, actual.length, what + " size");
        double diff = TestTensors.maxAbsDiff(expected, actual);
        assertTrue(diff <= tolerance, what + ": max abs diff " + diff + " > " + tolerance);
    }
}
