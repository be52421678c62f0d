package dev.glimpse.engine;

import java.awt.image.BufferedImage;
import java.util.Objects;

/**
 * A decoded image with a name for messages (usually its file name or URL).
 *
 * @param source where the image came from, used in error messages and tables
 * @param image  the decoded pixels
 */
public record ImageInput(String source, BufferedImage image) {
    public ImageInput {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(image, "image");
    }

    /** Width in pixels. */
    public int width() {
        return image.getWidth();
    }

    /** Height in pixels. */
    public int height() {
        return image.getHeight();
    }
}
