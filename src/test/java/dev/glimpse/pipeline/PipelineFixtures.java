package dev.glimpse.pipeline;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Paths of the shared GLM-4V test fixtures, and copies of their images for data sets the tests write. */
final class PipelineFixtures {

    private PipelineFixtures() {
    }

    static Path fixture(String path) {
        try {
            return Path.of(PipelineFixtures.class.getResource("/glm4v/" + path).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Copies fixture images into {@code dir/images/}. */
    static void copyImages(Path dir, String... names) throws IOException {
        Files.createDirectories(dir.resolve("images"));
        for (String name : names) {
            Files.copy(fixture("images/" + name), dir.resolve("images").resolve(name));
        }
    }
}
