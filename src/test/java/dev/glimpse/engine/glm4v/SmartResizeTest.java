package dev.glimpse.engine.glm4v;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SmartResizeTest {

    // GLM-4.6V-Flash's preprocessor_config.json bounds
    private static final PreprocessorConfig REAL = PreprocessorConfig.DEFAULT.withPixelBounds(12544, 9633792);

    @Test
    void matchesEveryFixtureImage() {
        PreprocessorConfig tiny = ModelDirectory.open(Fixtures.model("tiny-a")).preprocessorConfig();
        for (Map.Entry<String, JsonNode> e : Fixtures.json("manifest.json").get("images").properties()) {
            JsonNode i = e.getValue();
            SmartResize.Size s = SmartResize.of(i.get("height").asInt(), i.get("width").asInt(), tiny);
            assertEquals(new SmartResize.Size(i.get("resized_height").asInt(), i.get("resized_width").asInt()), s,
                    e.getKey());
        }
    }

    @Test
    void roundsHalfToEven() {
        // 70 / 28 = 2.5 rounds to 2 (Math.round would give 3); 98 / 28 = 3.5 rounds to 4
        assertEquals(new SmartResize.Size(56, 112), SmartResize.of(70, 98, 28, 2, 1, Long.MAX_VALUE));
    }

    @Test
    void realBudgets() {
        assertEquals(new SmartResize.Size(1036, 1036), SmartResize.of(1024, 1024, REAL));
        assertEquals(new SmartResize.Size(1092, 1932), SmartResize.of(1080, 1920, REAL));
        // 4000 × 3000 is over 9,633,792 / 2 pixels: scaled down to fit, multiples of 28 (values from transformers)
        SmartResize.Size big = SmartResize.of(3000, 4000, REAL);
        assertEquals(new SmartResize.Size(1876, 2520), big);
        assertEquals(true, 2L * big.height() * big.width() <= 9633792);
        // tiny images are scaled up to the minimum
        assertEquals(new SmartResize.Size(84, 84), SmartResize.of(30, 30, REAL));
    }

    @Test
    void shortSidesAreScaledUpFirst() {
        // 10 × 1000: scaled by 2.8 to 28 × 2800, then fitted
        assertEquals(new SmartResize.Size(28, 2800), SmartResize.of(10, 1000, REAL));
    }

    @Test
    void extremeAspectRatiosAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SmartResize.of(28, 28 * 201, REAL));
        assertEquals("its aspect ratio is 201.0, over GLM-4V's limit of 200; crop it or pad it to a squarer shape",
                e.getMessage());
    }
}
