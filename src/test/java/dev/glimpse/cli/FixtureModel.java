package dev.glimpse.cli;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** The tiny-a fixture checkpoint, copied to where an installation keeps its default model. */
final class FixtureModel {

    private FixtureModel() {
    }

    /** Copies tiny-a's model files to {@code home/models/glimpse-tiny} (a copy: JUnit warns about symlinks). */
    static Path installAsDefault(Path home) throws IOException {
        Path source;
        try {
            source = Path.of(FixtureModel.class.getResource("/glm4v/tiny-a/model").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        Path target = Files.createDirectories(home.resolve("models/glimpse-tiny"));
        try (Stream<Path> files = Files.list(source)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, target.resolve(f.getFileName()));
            }
        }
        return target;
    }
}
