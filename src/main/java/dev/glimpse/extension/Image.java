package dev.glimpse.extension;

import dev.glimpse.display.ImageFormat;
import dev.glimpse.display.ImageRenderer;
import dev.glimpse.engine.Box;
import dev.glimpse.engine.ImageInput;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Objects;

/**
 * An image to ask about, decoded to RGB. Made by {@code image(..)}; in a notebook it shows itself as a thumbnail.
 *
 * <pre>{@code
 * var img = image("photos/cat.jpg");
 * img.width();                      // 1280
 * ask(img, "What animal is this?");
 * }</pre>
 */
public final class Image {

    /** The longest side of thumbnails, in pixels. */
    public static final int THUMBNAIL_SIDE = 480;

    private final ImageInput input;
    private final BufferedImage thumbnail;
    private volatile String thumbnailPng;

    /**
     * Scales the thumbnail at once: loading a large photo is slow anyway, and an {@code ask} about thirty of them
     * must not spend seconds drawing its preview (nor make an interrupt wait for it).
     */
    Image(ImageInput input) {
        this.input = Objects.requireNonNull(input, "input");
        this.thumbnail = BoxPainter.scaled(input.image(), THUMBNAIL_SIDE);
    }

    /** Where it came from: the file path or URL as given, or a description of the bytes or image. */
    public String source() {
        return input.source();
    }

    /** Width in pixels. */
    public int width() {
        return input.width();
    }

    /** Height in pixels. */
    public int height() {
        return input.height();
    }

    /** The decoded pixels (8-bit RGB). Do not change them: the image is shared with the answers that used it. */
    public BufferedImage pixels() {
        return input.image();
    }

    /** The engine's view of the image, for calling a {@link dev.glimpse.engine.VisionLanguageModel} directly. */
    public ImageInput input() {
        return input;
    }

    /** A copy scaled down so that its longest side is at most {@value #THUMBNAIL_SIDE} pixels (never scaled up). */
    public BufferedImage thumbnail() {
        return thumbnail;
    }

    /**
     * The {@link #thumbnail()} as base64 PNG. Encoded once: the image's own display and every answer about it that
     * has no boxes to draw show these bytes, so asking again about an image costs no encoding.
     */
    String thumbnailPng() {
        String png = thumbnailPng;
        if (png == null) {
            png = ImageRenderer.base64(thumbnail(), ImageFormat.PNG);
            thumbnailPng = png;
        }
        return png;
    }

    /**
     * A full-size copy with grounding boxes drawn on it, numbered from 1.
     *
     * @param boxes boxes in GLM-4V's 0–1000 coordinates, e.g. {@code answer.boxes()}
     */
    public BufferedImage withBoxes(List<Box> boxes) {
        return BoxPainter.draw(input.image(), boxes);
    }

    /** {@code Image cat.jpg (1280×960)}. */
    @Override
    public String toString() {
        return "Image " + source() + " (" + width() + "×" + height() + ")";
    }
}
