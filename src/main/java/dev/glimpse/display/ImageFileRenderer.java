package dev.glimpse.display;

import org.dflib.jjava.jupyter.kernel.display.RenderContext;
import org.dflib.jjava.jupyter.kernel.display.Renderer;
import org.dflib.jjava.jupyter.kernel.display.mime.MIMEType;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * Renders a {@link Path} or {@link File} naming a PNG, JPEG, GIF or SVG file as that image, sending the file's own
 * bytes under the MIME type its content has (a JPEG saved as {@code .png} still shows). Every path also renders as
 * {@code text/plain}: the path itself, which is all that other paths render as.
 */
public final class ImageFileRenderer {
    /** Files above this size stay a path: a bundle that large would bloat the saved notebook. */
    public static final long MAX_INLINE_BYTES = 20L * 1024 * 1024;

    private ImageFileRenderer() {
    }

    public static void register(Renderer renderer) {
        renderer.createRegistration(Path.class)
                .preferring(MIMEType.IMAGE_PNG, MIMEType.IMAGE_JPEG, MIMEType.IMAGE_GIF, MIMEType.IMAGE_SVG,
                        MIMEType.TEXT_PLAIN)
                .register(ImageFileRenderer::render);
        renderer.createRegistration(File.class)
                .preferring(MIMEType.IMAGE_PNG, MIMEType.IMAGE_JPEG, MIMEType.IMAGE_GIF, MIMEType.IMAGE_SVG,
                        MIMEType.TEXT_PLAIN)
                .register((file, context) -> render(file.toPath(), context));
    }

    static void render(Path path, RenderContext context) {
        String plain = path.toString();
        if (wantsAnImage(context) && looksLikeImage(path) && Files.isRegularFile(path)) {
            plain = renderImage(path, context);
        }
        String text = plain;
        context.renderIfRequested(MIMEType.TEXT_PLAIN, () -> text);
    }

    private static boolean wantsAnImage(RenderContext context) {
        return context.wantsDataRenderedAs(MIMEType.IMAGE_PNG) || context.wantsDataRenderedAs(MIMEType.IMAGE_JPEG)
                || context.wantsDataRenderedAs(MIMEType.IMAGE_GIF) || context.wantsDataRenderedAs(MIMEType.IMAGE_SVG);
    }

    private static boolean looksLikeImage(Path path) {
        Path name = path.getFileName();
        return name != null && (ImageFormat.byFileName(name.toString()).isPresent() || isSvgName(name.toString()));
    }

    private static boolean isSvgName(String fileName) {
        return fileName.toLowerCase(Locale.ROOT).endsWith(".svg");
    }

    /** Puts the image data into the context and returns the text/plain line to go with it. */
    private static String renderImage(Path path, RenderContext context) {
        byte[] bytes;
        try {
            long size = Files.size(path);
            if (size > MAX_INLINE_BYTES) {
                return path + " (" + size / (1024 * 1024) + " MB, too large to display inline)";
            }
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read image file " + path + ": " + e.getMessage(), e);
        }
        Optional<ImageFormat> format = ImageFormat.sniff(bytes);
        if (format.isPresent()) {
            String data = Base64.getEncoder().encodeToString(bytes);
            context.renderIfRequested(format.get().mimeType(), () -> data);
            return path.toString();
        }
        if (isSvgName(path.getFileName().toString())) {
            String svg = new String(bytes, StandardCharsets.UTF_8);
            if (svg.contains("<svg")) {
                context.renderIfRequested(MIMEType.IMAGE_SVG, () -> svg);
                return path.toString();
            }
        }
        return path + " (not a PNG, JPEG, GIF or SVG image despite its name)";
    }
}
