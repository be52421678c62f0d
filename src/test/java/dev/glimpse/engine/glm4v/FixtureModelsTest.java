package dev.glimpse.engine.glm4v;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The tiny reference checkpoints open, parse and load like the real model directory. */
class FixtureModelsTest {

    @ParameterizedTest
    @ValueSource(strings = {"tiny-a", "tiny-b"})
    void configsMatchTheFixtureTable(String name) {
        ModelDirectory dir = ModelDirectory.open(Fixtures.model(name));
        Glm4vConfig c = dir.config();
        boolean a = name.equals("tiny-a");
        // the table in src/test/resources/glm4v/README.md
        assertEquals(a ? 128 : 144, c.text().hiddenSize());
        assertEquals(a ? 2 : 3, c.text().numHiddenLayers());
        assertEquals(a ? 2 : 1, c.text().numKeyValueHeads());
        assertEquals(a ? 32 : 48, c.text().headDim());
        assertEquals(a ? 16 : 24, c.text().rotaryDim());
        assertEquals(a ? List.of(2, 3, 3) : List.of(4, 6, 2), c.text().mropeSection());
        assertEquals(a ? 32 : 16, c.vision().headDim());
        assertEquals(500000.0, c.text().ropeTheta());
        assertEquals(a ? 8 : 5, c.vision().positionGridSize());
        assertEquals(10000.0, c.vision().ropeTheta());
        assertEquals(514, c.imageTokenId());
        assertEquals(List.of(480, 487, 489), dir.generationConfig().eosTokenIds());
        assertEquals(18816, dir.preprocessorConfig().maxPixels());
        assertEquals(3136, dir.preprocessorConfig().minPixels());
    }

    @ParameterizedTest
    @ValueSource(strings = {"tiny-a", "tiny-b"})
    void everyWeightLoadsWithItsShape(String name) {
        long expectedParameters = Fixtures.json(name + "/model/model.safetensors.index.json")
                .get("metadata").get("total_parameters").asLong();
        try (ModelWeights weights = ModelDirectory.open(Fixtures.model(name)).openWeights();
             NDManager manager = NDManager.newBaseManager()) {
            assertEquals(expectedParameters, weights.index().totalElements());
            long loaded = 0;
            for (String tensor : weights.names()) {
                NDArray array = weights.load(tensor, manager, DataType.FLOAT32);
                assertEquals(new Shape(weights.info(tensor).dims()), array.getShape(), tensor);
                loaded += array.size();
            }
            assertEquals(expectedParameters, loaded);
            assertEquals(new Shape(528, name.equals("tiny-a") ? 128 : 144),
                    weights.load("lm_head.weight", manager).getShape());
        }
    }
}
