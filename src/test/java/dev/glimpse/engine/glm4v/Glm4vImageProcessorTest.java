package dev.glimpse.engine.glm4v;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import dev.glimpse.engine.ImageInput;
import dev.glimpse.engine.ImageLoader;
import java.awt.image.BufferedImage;
import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class Glm4vImageProcessorTest {

    private final Glm4vImageProcessor processor =
            new Glm4vImageProcessor(ModelDirectory.open(Fixtures.model("tiny-a")).preprocessorConfig());

    private static ByteBuffer array(String image, String name) {
        SafetensorsShard shard = SafetensorsShard.open(Fixtures.root().resolve("images/" + image + ".safetensors"));
        return shard.map(shard.info(name));
    }

    private static byte[] bytes(String image, String name) {
        ByteBuffer b = array(image, name);
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    static float[] fixturePixelValues(String image) {
        FloatBuffer f = array(image, "pixel_values").asFloatBuffer();
        float[] out = new float[f.remaining()];
        f.get(out);
        return out;
    }

    private static Iterable<Map.Entry<String, JsonNode>> images() {
        return Fixtures.json("manifest.json").get("images").properties();
    }

    @Test
    void loadsEveryFixtureImageToTheSameRgb() {
        for (Map.Entry<String, JsonNode> e : images()) {
            BufferedImage rgb = new ImageLoader().load(Fixtures.image(e.getKey())).image();
            assertArrayEquals(bytes(e.getKey(), "rgb"), Glm4vImageProcessor.interleavedRgb(rgb), e.getKey());
        }
    }

    @Test
    void resizesEveryFixtureImageToTheSameBytes() {
        for (Map.Entry<String, JsonNode> e : images()) {
            ImageInput image = new ImageLoader().load(Fixtures.image(e.getKey()));
            assertArrayEquals(bytes(e.getKey(), "resized_rgb"), processor.resizedRgb(image), e.getKey());
        }
    }

    @Test
    void pixelValuesMatchEveryFixtureImage() {
        for (Map.Entry<String, JsonNode> e : images()) {
            JsonNode meta = e.getValue();
            ProcessedImage p = processor.process(new ImageLoader().load(Fixtures.image(e.getKey())));
            JsonNode thw = meta.get("image_grid_thw");
            assertEquals(new ImageGrid(thw.get(0).asInt(), thw.get(1).asInt(), thw.get(2).asInt()), p.grid());
            assertEquals(meta.get("num_image_tokens").asInt(), p.tokens(2));
            assertEquals(meta.get("resized_width").asInt(), p.resizedWidth());
            float[] expected = fixturePixelValues(e.getKey());
            assertEquals(expected.length, p.pixelValues().length, e.getKey());
            double maxDiff = 0;
            for (int i = 0; i < expected.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(expected[i] - p.pixelValues()[i]));
            }
            assertTrue(maxDiff <= 1e-5, e.getKey() + ": max abs diff " + maxDiff);
        }
    }

    @Test
    void severalImagesConcatenateInOrder() {
        List<ImageInput> inputs = new ArrayList<>();
        List<Float> expected = new ArrayList<>();
        for (String name : List.of("badge_rgba", "stripes_l")) {
            inputs.add(new ImageLoader().load(Fixtures.image(name)));
            for (float v : fixturePixelValues(name)) {
                expected.add(v);
            }
        }
        ProcessedImages all = processor.process(inputs);
        assertEquals(24 + 8, all.rows());
        assertEquals(List.of(new ImageGrid(1, 4, 6), new ImageGrid(1, 2, 4)), all.grids());
        float[] values = all.pixelValues();
        for (int i = 0; i < values.length; i++) {
            assertEquals(expected.get(i), values[i], 0f);
        }
        try (NDManager manager = NDManager.newBaseManager()) {
            NDArray pv = all.pixelValues(manager);
            assertEquals(new Shape(32, 1176), pv.getShape());
            assertArrayEquals(values, pv.toFloatArray());
            assertArrayEquals(new long[] {1, 4, 6, 1, 2, 4}, all.gridThw(manager).toLongArray());
        }
    }

    @Test
    void downscalesLargeImagesToTheBudget() {
        // 2000 × 500 with the tiny budget (18816 / 2 pixels): each side a multiple of 28, under the bound
        BufferedImage wide = new BufferedImage(2000, 500, BufferedImage.TYPE_INT_RGB);
        ProcessedImage p = processor.process(new ImageInput("wide", wide));
        assertTrue(2L * p.resizedWidth() * p.resizedHeight() <= 18816);
        assertEquals(0, p.resizedWidth() % 28);
        assertEquals(p.grid().patches() * 1176, p.pixelValues().length);
    }

    @Test
    void extremeAspectRatioNamesTheImage() {
        BufferedImage strip = new BufferedImage(6000, 28, BufferedImage.TYPE_INT_RGB);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> processor.process(new ImageInput("banner.png", strip)));
        assertEquals("Image banner.png (6000×28) cannot be processed: its aspect ratio is 214.3, over GLM-4V's limit "
                + "of 200; crop it or pad it to a squarer shape.", e.getMessage());
    }
}
