package dev.glimpse.serve;

import dev.glimpse.engine.ImageInput;
import dev.glimpse.engine.ImageLoader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Locale;

/**
 * Turns an {@code image_url} into pixels: a {@code data:image/…;base64,} URL always; a local file (a
 * {@code file://} URL or a path) only inside the directory the server was started with
 * ({@code --allowed-local-media-path}).
 *
 * <p>Why local files are off by default: whoever can reach the server could otherwise read any image the server's
 * user can read, and learn from the error messages which files exist. With a directory allowed, paths are resolved
 * (symbolic links and {@code ..} included) and must stay inside it. Web URLs are never fetched: that would let
 * clients make the server connect to hosts of their choice, including ones only the server can reach.
 */
final class ImageUrls {

    private final Path allowed;
    private final ImageLoader loader;

    /**
     * @param allowedDirectory the directory local images may come from, or {@code null} for none
     */
    ImageUrls(Path allowedDirectory, ImageLoader loader) {
        try {
            this.allowed = allowedDirectory == null ? null : allowedDirectory.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("The allowed local media directory " + allowedDirectory
                    + " cannot be read: " + e.getMessage(), e);
        }
        this.loader = loader;
    }

    /**
     * Decodes the image a URL names.
     *
     * @param param where the URL is in the request, e.g. {@code messages[0].content[1].image_url}; names the
     *              image in errors
     * @throws ApiError 400 when the URL is malformed, not allowed, or not a decodable image
     */
    ImageInput load(String url, String param) {
        String u = url.strip();
        String lower = u.toLowerCase(Locale.ROOT);
        if (lower.startsWith("data:")) {
            return decode(dataUrl(u, param), param);
        }
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            throw ApiError.badRequest("The image at " + param + " is a web URL (" + abbreviate(u) + "); this server "
                    + "does not fetch URLs. Send the image as a data URL: data:image/png;base64,…", param,
                    "invalid_image_url");
        }
        Path path = localPath(u, lower, param);
        if (allowed == null) {
            throw ApiError.badRequest("The image at " + param + " is a local file (" + abbreviate(u) + "); this "
                    + "server reads no local files unless started with --allowed-local-media-path DIR. Send the "
                    + "image as a data URL: data:image/png;base64,…", param, "local_media_not_allowed");
        }
        Path file = allowed.resolve(path).normalize();
        Path real;
        try {
            real = file.toRealPath();
        } catch (NoSuchFileException e) {
            throw ApiError.badRequest("The image file " + file + " at " + param + " does not exist.", param,
                    "invalid_image_url");
        } catch (IOException e) {
            throw ApiError.badRequest("The image file " + file + " at " + param + " cannot be read: "
                    + e.getMessage(), param, "invalid_image_url");
        }
        if (!real.startsWith(allowed)) {
            throw ApiError.badRequest("The image file " + file + " at " + param + " is outside the allowed local "
                    + "media directory " + allowed + ".", param, "local_media_not_allowed");
        }
        if (!Files.isRegularFile(real)) {
            throw ApiError.badRequest("The image path " + file + " at " + param + " is not a file.", param,
                    "invalid_image_url");
        }
        try {
            return loader.load(real);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw ApiError.badRequest(e.getMessage(), param, "invalid_image");
        }
    }

    private static Path localPath(String u, String lower, String param) {
        if (!lower.startsWith("file:") && lower.matches("^[a-z][a-z0-9+.-]*:.*")) {
            throw ApiError.badRequest("The image URL at " + param + " has an unsupported scheme (" + abbreviate(u)
                    + "); send a data URL: data:image/png;base64,…", param, "invalid_image_url");
        }
        try {
            return lower.startsWith("file:") ? Path.of(URI.create(u)) : Path.of(u);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("The image URL at " + param + " is not a valid file URL or path ("
                    + abbreviate(u) + "): " + e.getMessage(), param, "invalid_image_url");
        }
    }

    // data:[<media type>][;base64],<data>
    private static byte[] dataUrl(String url, String param) {
        int comma = url.indexOf(',');
        if (comma < 0) {
            throw ApiError.badRequest("The data URL at " + param + " has no comma before its data; write it as "
                    + "data:image/png;base64,<base64 bytes>", param, "invalid_image_url");
        }
        String meta = url.substring(5, comma).toLowerCase(Locale.ROOT);
        if (!meta.endsWith(";base64")) {
            throw ApiError.badRequest("The data URL at " + param + " is not base64-encoded; write it as "
                    + "data:image/png;base64,<base64 bytes>", param, "invalid_image_url");
        }
        String type = meta.substring(0, meta.length() - ";base64".length());
        if (!type.isEmpty() && !type.startsWith("image/") && !type.equals("application/octet-stream")) {
            throw ApiError.badRequest("The data URL at " + param + " holds " + type + ", not an image; send "
                    + "data:image/png;base64,… or data:image/jpeg;base64,…", param, "invalid_image_url");
        }
        try {
            return Base64.getDecoder().decode(url.substring(comma + 1).replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("The data URL at " + param + " is not valid base64: " + e.getMessage(), param,
                    "invalid_image_url");
        }
    }

    private ImageInput decode(byte[] bytes, String param) {
        try {
            return loader.load(bytes, param);
        } catch (IllegalArgumentException | UncheckedIOException e) {
            throw ApiError.badRequest(e.getMessage(), param, "invalid_image");
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }
}
