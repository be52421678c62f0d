package dev.glimpse.engine.glm4v;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** Paths into the reference fixtures under src/test/resources/glm4v (see its README.md). */
final class Fixtures {

    private Fixtures() {
    }

    /** The fixture root directory. */
    static Path root() {
        URL url = Fixtures.class.getResource("/glm4v/manifest.json");
        if (url == null) {
            throw new IllegalStateException("glm4v fixtures are not on the test classpath");
        }
        try {
            return Path.of(url.toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A tiny model directory: {@code tiny-a} or {@code tiny-b}. */
    static Path model(String config) {
        return root().resolve(config).resolve("model");
    }

    /** A test image. */
    static Path image(String name) {
        return root().resolve("images").resolve(name + ".png");
    }

    /** Parses a fixture JSON file, relative to the root. */
    static JsonNode json(String relative) {
        try {
            return ConfigJson.MAPPER.readTree(root().resolve(relative).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
