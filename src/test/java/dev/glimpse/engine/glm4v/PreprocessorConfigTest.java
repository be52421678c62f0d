package dev.glimpse.engine.glm4v;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreprocessorConfigTest {

    @TempDir
    Path dir;

    private static final String GLM46V = """
            {"size": {"shortest_edge": 12544, "longest_edge": 9633792}, "do_rescale": true,
             "patch_size": 14, "temporal_patch_size": 2, "merge_size": 2,
             "image_mean": [0.48145466, 0.4578275, 0.40821073], "image_std": [0.26862954, 0.26130258, 0.27577711],
             "image_processor_type": "Glm46VImageProcessor", "processor_class": "Glm46VProcessor"}
            """;

    @Test
    void readsSizeAsPixelBounds() {
        PreprocessorConfig p = PreprocessorConfig.parse(GLM46V, "preprocessor_config.json");
        assertEquals(12544, p.minPixels());
        assertEquals(9633792, p.maxPixels());
        assertEquals(28, p.factor());
        assertEquals(PreprocessorConfig.CLIP_MEAN, p.imageMean());
        assertEquals(1 / 255.0, p.rescaleFactor());
    }

    @Test
    void minAndMaxPixelsOverrideSize() {
        PreprocessorConfig p = PreprocessorConfig.parse("{\"min_pixels\": 3136, \"max_pixels\": 100000,"
                + "\"size\": {\"shortest_edge\": 12544, \"longest_edge\": 9633792}}", "p");
        assertEquals(3136, p.minPixels());
        assertEquals(100000, p.maxPixels());
    }

    @Test
    void absentKeysTakeTheImageProcessorDefaults() {
        assertEquals(PreprocessorConfig.DEFAULT, PreprocessorConfig.parse("{}", "p"));
        assertEquals(28L * 28 * 15000, PreprocessorConfig.DEFAULT.maxPixels());
    }

    @Test
    void readsTransformers5ProcessorConfig() throws IOException {
        Files.writeString(dir.resolve("processor_config.json"), "{\"image_processor\": " + GLM46V
                + ", \"processor_class\": \"Glm46VProcessor\"}");
        assertEquals(9633792, PreprocessorConfig.readFrom(dir).maxPixels());
        Files.writeString(dir.resolve("preprocessor_config.json"), "{\"size\": {\"longest_edge\": 1000000}}");
        assertEquals(1000000, PreprocessorConfig.readFrom(dir).maxPixels(), "preprocessor_config.json wins");
    }

    @Test
    void badValuesNameTheFile() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PreprocessorConfig.parse("{\"image_std\": [0.2, 0, 0.2]}", "/m/preprocessor_config.json"));
        assertEquals("/m/preprocessor_config.json: image_std values must be positive, but are [0.2, 0.0, 0.2]",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> PreprocessorConfig.parse("{\"resample\": 2}", "p"));
        assertTrue(e.getMessage().contains("resample 2 is not supported"), e.getMessage());
    }
}
