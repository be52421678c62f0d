package dev.glimpse.extension;

import dev.glimpse.engine.glm4v.Glm4vModel;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The shared GLM-4V fixtures: the tiny random tiny-a model and the test images. */
final class ExtensionFixtures {

    private static Glm4vModel model;

    private ExtensionFixtures() {
    }

    static Path fixture(String path) {
        try {
            return Path.of(ExtensionFixtures.class.getResource("/glm4v/" + path).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The tiny-a model, loaded once for every test class (it is read-only and serialises its calls). */
    static synchronized Glm4vModel model() {
        if (model == null) {
            model = Glm4vModel.load(fixture("tiny-a/model"));
        }
        return model;
    }

    static Path image(String name) {
        return fixture("images/" + name);
    }

    /** Copies fixture images into {@code dir}. */
    static void copyImages(Path dir, String... names) throws IOException {
        Files.createDirectories(dir);
        for (String name : names) {
            Files.copy(image(name), dir.resolve(name));
        }
    }
}
