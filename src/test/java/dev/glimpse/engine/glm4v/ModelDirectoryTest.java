package dev.glimpse.engine.glm4v;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelDirectoryTest {

    @TempDir
    Path dir;

    private Path model() throws IOException {
        Path m = Files.createDirectories(dir.resolve("GLM-4.6V-Flash"));
        Files.writeString(m.resolve("config.json"), Glm4vConfigTest.TRANSFORMERS_5);
        Files.writeString(m.resolve("tokenizer.json"), "{}");
        new SafetensorsFiles().add("lm_head.weight", SafetensorsDtype.BF16, new float[] {1, 2}, 2)
                .write(m.resolve("model-00001-of-00002.safetensors"));
        new SafetensorsFiles().add("model.language_model.norm.weight", SafetensorsDtype.BF16, new float[] {1, 2}, 2)
                .write(m.resolve("model-00002-of-00002.safetensors"));
        SafetensorsFiles.writeIndex(m, Map.of("lm_head.weight", "model-00001-of-00002.safetensors",
                "model.language_model.norm.weight", "model-00002-of-00002.safetensors"));
        return m;
    }

    private IllegalArgumentException failure(Path p) {
        return assertThrows(IllegalArgumentException.class, () -> ModelDirectory.open(p));
    }

    @Test
    void opensACompleteDirectory() throws IOException {
        Path m = model();
        ModelDirectory d = ModelDirectory.open(m);
        assertEquals(m, d.path());
        assertEquals(151363, d.config().imageTokenId());
        assertEquals(GenerationConfig.EMPTY, d.generationConfig());
        assertEquals(PreprocessorConfig.DEFAULT, d.preprocessorConfig());
        try (ModelWeights w = d.openWeights()) {
            assertEquals(2, w.names().size());
        }
    }

    @Test
    void missingDirectory() {
        Path p = dir.resolve("nowhere");
        assertEquals("Model directory " + p + " does not exist. Pass the directory that holds the model's config.json"
                + " and *.safetensors files (e.g. `hf download zai-org/GLM-4.6V-Flash --local-dir <dir>`).",
                failure(p).getMessage());
    }

    @Test
    void fileInsteadOfDirectory() throws IOException {
        Path config = model().resolve("config.json");
        assertEquals(config + " is a file, not a model directory. Pass the directory that holds it ("
                + config.getParent() + ").", failure(config).getMessage());
    }

    @Test
    void missingConfigPointsIntoTheHuggingFaceCache() throws IOException {
        Path cache = dir.resolve("models--zai-org--GLM-4.6V-Flash");
        Path snapshot = Files.createDirectories(cache.resolve("snapshots/0123abcd"));
        Files.writeString(snapshot.resolve("config.json"), "{}");
        String message = failure(cache).getMessage();
        assertTrue(message.startsWith("No config.json in " + cache + ". Pass the directory that holds the model's "
                + "config.json and *.safetensors files; did you mean " + snapshot + "?"), message);
    }

    @Test
    void wrongModelType() throws IOException {
        Path m = model();
        Files.writeString(m.resolve("config.json"), "{\"model_type\": \"llava\"}");
        assertTrue(failure(m).getMessage().startsWith(m.resolve("config.json") + " has model_type 'llava', but this "
                + "engine runs GLM-4V models"));
    }

    @Test
    void missingShard() throws IOException {
        Path m = model();
        Files.delete(m.resolve("model-00002-of-00002.safetensors"));
        assertEquals("Model directory " + m + " is missing 1 weight shard(s) listed in model.safetensors.index.json: "
                + "model-00002-of-00002.safetensors. The download is incomplete; download the missing files (e.g. "
                + "`hf download zai-org/GLM-4.6V-Flash --local-dir <dir>`).", failure(m).getMessage());
    }

    @Test
    void noWeightsAtAll() throws IOException {
        Path m = model();
        Files.delete(m.resolve(SafetensorsIndex.INDEX_FILE));
        assertTrue(failure(m).getMessage().startsWith("No weights in " + m
                + ": expected model.safetensors.index.json"));
    }

    @Test
    void missingTokenizer() throws IOException {
        Path m = model();
        Files.delete(m.resolve("tokenizer.json"));
        assertTrue(failure(m).getMessage().startsWith("No tokenizer.json in " + m + "."));
    }
}
