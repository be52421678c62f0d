package dev.glimpse.engine.glm4v;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The runner of the tests that hold the network to transformers' reference outputs ({@link Glm4vFixtures}): the
 * fixture models loaded once each, in one data type, and a case's prefill fed the reference ids and pixel values
 * (so the tokenizer and image processor play no part). A test class registers one; it frees the networks after
 * the class's tests:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final FixtureNetworks NETWORKS = new FixtureNetworks(DataType.BFLOAT16);
 * }</pre>
 */
final class FixtureNetworks implements AfterAllCallback {

    /** The width of a row of pixel values: 3 channels × temporal patch 2 × 14 × 14. */
    private static final int PATCH_VALUES = 1176;

    private final DataType dtype;
    private final NDManager manager = NDManager.newBaseManager();
    private final Map<String, Glm4vForConditionalGeneration> networks = new ConcurrentHashMap<>();

    FixtureNetworks(DataType dtype) {
        this.dtype = dtype;
    }

    /** The network of the case's model, its weights cast to this runner's data type. */
    Glm4vForConditionalGeneration network(Glm4vFixtures.Case c) {
        return networks.computeIfAbsent(c.model(), m -> {
            ModelDirectory dir = ModelDirectory.open(c.modelDir());
            try (ModelWeights weights = dir.openWeights()) {
                return Glm4vForConditionalGeneration.load(dir.config(), name -> weights.load(name, manager, dtype),
                        new ScaledDotProductAttention(ScaledDotProductAttention.DEFAULT_SCORE_BUDGET_BYTES));
            }
        });
    }

    /** A manager for one test's arrays, closed by the test. */
    NDManager newSubManager() {
        return manager.newSubManager();
    }

    /** The case's reference pixel values, one row per patch. */
    static NDArray pixelValues(NDManager m, Glm4vFixtures.Case c) {
        float[] pv = c.pixelValues();
        return m.create(pv, new Shape(pv.length / PATCH_VALUES, PATCH_VALUES));
    }

    /**
     * A case's prompt run through its network.
     *
     * @param image  the vision tower's features of the case's images, or {@code null} when it has none
     * @param rope   the prompt's M-RoPE positions
     * @param logits the logits of every prompt position
     */
    record Prefill(NDArray image, RopeIndex rope, NDArray logits) {
    }

    /** Runs the case's prompt into {@code cache}, in arrays of {@code m}. */
    Prefill prefill(Glm4vFixtures.Case c, NDManager m, KvCache cache) {
        Glm4vForConditionalGeneration net = network(c);
        int[] ids = c.inputIds();
        NDArray image = c.images().isEmpty() ? null : net.imageFeatures(pixelValues(m, c), c.grids());
        RopeIndex rope = net.ropeIndex(ids, c.grids());
        NDArray hidden = net.languageModel().forward(net.inputsEmbeds(m, ids, image), rope.positions(), 0, cache);
        return new Prefill(image, rope, net.logits(hidden));
    }

    @Override
    public void afterAll(ExtensionContext context) {
        networks.clear();
        manager.close();
    }
}
