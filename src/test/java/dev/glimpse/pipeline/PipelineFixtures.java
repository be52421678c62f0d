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

    /**
     * Writes {@code n} small PNGs of distinct colours, {@code img-000.png} …, into {@code folder} and returns them in
     * order: images whose content differs, for runs that must tell them apart.
     */
    static java.util.List<Path> distinctImages(Path folder, int n) throws IOException {
        Files.createDirectories(folder);
        java.util.List<Path> files = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(16, 16,
                    java.awt.image.BufferedImage.TYPE_INT_RGB);
            java.awt.Graphics2D g = img.createGraphics();
            g.setColor(new java.awt.Color(i * 37 % 256, i * 91 % 256, i * 13 % 256));
            g.fillRect(0, 0, 16, 16);
            g.setColor(java.awt.Color.WHITE);
            g.fillRect(i % 16, (i / 16) % 16, 1, 1);
            g.dispose();
            Path file = folder.resolve(String.format(java.util.Locale.ROOT, "img-%03d.png", i));
            javax.imageio.ImageIO.write(img, "png", file.toFile());
            files.add(file);
        }
        return files;
    }

    /** Copies fixture images into {@code dir/images/}. */
    static void copyImages(Path dir, String... names) throws IOException {
        Files.createDirectories(dir.resolve("images"));
        for (String name : names) {
            Files.copy(fixture("images/" + name), dir.resolve("images").resolve(name));
        }
    }
}
