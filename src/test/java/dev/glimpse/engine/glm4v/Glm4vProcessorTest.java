package dev.glimpse.engine.glm4v;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glimpse.engine.ImageLoader;
import dev.glimpse.engine.Prompt;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** From image files and messages to the exact inputs transformers built for every reference case. */
class Glm4vProcessorTest {

    @ParameterizedTest
    @ValueSource(strings = {"tiny-a/image_text", "tiny-a/two_images", "tiny-a/text_only", "tiny-b/image_text",
            "tiny-b/two_images", "tiny-b/text_only"})
    void reproducesTheReferenceInputs(String name) {
        String model = name.substring(0, name.indexOf('/'));
        JsonNode c = Fixtures.json(model + "/reference/" + name.substring(model.length() + 1) + ".json");
        ImageLoader loader = new ImageLoader();
        Prompt prompt = FixturePrompts.prompt(c.get("messages"), image -> loader.load(Fixtures.image(image)));
        try (Glm4vProcessor processor = Glm4vProcessor.open(ModelDirectory.open(Fixtures.model(model)))) {
            ModelInputs inputs = processor.encode(prompt, c.get("enable_thinking").asBoolean());

            int[] expectedIds = new int[c.get("input_ids").size()];
            for (int i = 0; i < expectedIds.length; i++) {
                expectedIds[i] = c.get("input_ids").get(i).asInt();
            }
            assertArrayEquals(expectedIds, inputs.inputIds());

            List<ImageGrid> grids = new ArrayList<>();
            for (JsonNode g : c.get("image_grid_thw")) {
                grids.add(new ImageGrid(g.get(0).asInt(), g.get(1).asInt(), g.get(2).asInt()));
            }
            assertEquals(grids, inputs.grids());

            List<Float> expected = new ArrayList<>();
            for (JsonNode image : c.get("images")) {
                for (float v : Glm4vImageProcessorTest.fixturePixelValues(image.asText())) {
                    expected.add(v);
                }
            }
            float[] actual = inputs.images().pixelValues();
            assertEquals(expected.size(), actual.length);
            for (int i = 0; i < actual.length; i++) {
                assertEquals(expected.get(i), actual[i], 1e-5f);
            }
        }
    }
}
