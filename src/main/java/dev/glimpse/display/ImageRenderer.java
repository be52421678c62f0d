package dev.glimpse.display;

import org.dflib.jjava.jupyter.kernel.display.RenderContext;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;

/**
 * Renders any {@link RenderedImage} (so every {@link BufferedImage}) as base64 {@code image/png}, or as
 * {@code image/jpeg} / {@code image/gif} when asked, plus a {@code text/plain} size line.
 *
 * <p>Replaces jjava's {@code common.Image} renderer for images: that one writes an empty JPEG for images with an
 * alpha channel (ImageIO has no JPEG writer for them) and leaves {@code text/plain} to {@code toString()}.
 */
public final class ImageRenderer {
    private ImageRenderer() {
    }

    public static void register(Renderer renderer) {
        renderer.createRegistration(RenderedImage.class)
                .preferring(MIMEType.IMAGE_PNG)
                .supporting(MIMEType.IMAGE_JPEG, MIMEType.IMAGE_GIF, MIMEType.TEXT_PLAIN)
                .register(ImageRenderer::render);
    }

    static void render(RenderedImage image, RenderContext context) {
        for (ImageFormat format : ImageFormat.values()) {
            context.renderIfRequested(format.mimeType(), () -> base64(image, format));
        }
        context.renderIfRequested(MIMEType.TEXT_PLAIN, () -> describe(image));
    }

    /** The image encoded in {@code format}, base64 as Jupyter bundles carry binary data. */
    public static String base64(RenderedImage image, ImageFormat format) {
        return Base64.getEncoder().encodeToString(encode(image, format));
    }

    /** The image encoded in {@code format}; alpha is flattened onto white for JPEG, which cannot store it. */
    public static byte[] encode(RenderedImage image, ImageFormat format) {
        RenderedImage writable = format == ImageFormat.JPEG && image.getColorModel().hasAlpha()
                ? flattenOntoWhite(image)
                : image;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(writable, format.imageIoName(), out)) {
                throw new IllegalArgumentException("ImageIO has no " + format + " writer for this image ("
                        + writable.getColorModel() + "); display it as PNG instead.");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not encode the image as " + format, e);
        }
        return out.toByteArray();
    }

    private static BufferedImage flattenOntoWhite(RenderedImage image) {
        BufferedImage rgb = new BufferedImage(image.getWidth(), image.getHeight(), BufferedImage.TYPE_INT_RGB);
        Graphics2D g = rgb.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, rgb.getWidth(), rgb.getHeight());
            g.drawRenderedImage(image, new AffineTransform());
        } finally {
            g.dispose();
        }
        return rgb;
    }

    static String describe(RenderedImage image) {
        return image.getClass().getSimpleName() + " " + image.getWidth() + "x" + image.getHeight();
    }
}
