package dev.glimpse.pipeline;

import dev.glimpse.engine.ModelInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class ModelIdentityTest {

    @TempDir
    Path dir;

    private static ModelInfo info(String name, String source) {
        return new ModelInfo(name, source, "cpu()", "float32", 0, 0, 0);
    }

    @Test
    void anEndpointIsItsUrlAndServedName() {
        assertEquals("http://gpu:8000/v1 glm-4.6v", ModelIdentity.of(new ModelInfo("glm-4.6v", "http://gpu:8000/v1",
                "remote", "unknown", 0, 0, 0)));
    }

    @Test
    void aDirectoryIsItsNameAndAFingerprintThatFollowsItsFiles() throws IOException {
        Path model = Files.createDirectories(dir.resolve("tiny"));
        Files.writeString(model.resolve("config.json"), "{\"hidden_size\": 8}");
        Path weights = model.resolve("model.safetensors");
        Files.write(weights, new byte[3 * ModelIdentity.SAMPLE_BYTES]);
        String first = ModelIdentity.of(info("tiny", model.toString()));
        assertEquals(first, ModelIdentity.of(info("tiny", model.toString())), "stable");
        assertEquals("tiny@", first.substring(0, 5));

        try (RandomAccessFile f = new RandomAccessFile(weights.toFile(), "rw")) {
            f.seek(f.length() - 10);
            f.write(1);
        }
        String retrained = ModelIdentity.of(info("tiny", model.toString()));
        assertNotEquals(first, retrained, "weights changed near the end");
        Files.writeString(model.resolve("config.json"), "{\"hidden_size\": 16}");
        assertNotEquals(retrained, ModelIdentity.of(info("tiny", model.toString())), "config changed");
        assertEquals("custom@/not/a/dir", ModelIdentity.of(info("custom", "/not/a/dir")));
    }
}
