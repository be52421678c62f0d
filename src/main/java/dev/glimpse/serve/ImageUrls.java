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
 * user can read, and learn from the error messages which files exist. With a directory allowed, a path must stay
 * inside it both as written ({@code ..} resolved, before the file system is asked anything) and with its symbolic
 * links followed; one message answers every path outside, existing or not. Web URLs are never fetched: that would let
 * clients make the server connect to hosts of their choice, including ones only the server can reach.
 */
final class ImageUrls {

    private static final System.Logger LOG = System.getLogger(ImageUrls.class.getName());

    private final Path allowed;
    private final ImageLoader loader;
    private final long maxFileBytes;

    /**
     * @param allowedDirectory the directory local images may come from, or {@code null} for none
     * @param maxFileBytes     the largest local image file read (as large as a request body may be)
     */
    ImageUrls(Path allowedDirectory, ImageLoader loader, long maxFileBytes) {
        try {
            this.allowed = allowedDirectory == null ? null : allowedDirectory.toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("The allowed local media directory " + allowedDirectory
                    + " cannot be read: " + e.getMessage(), e);
        }
        this.loader = loader;
        this.maxFileBytes = maxFileBytes;
    }

    /** An image as sent, not yet decoded, with its size from its header. */
    record Encoded(byte[] bytes, String param, ImageLoader.Size size) {
    }

    /**
     * Reads the image a URL names and its size, without decoding it.
     *
     * @param param where the URL is in the request, e.g. {@code messages[0].content[1].image_url}; names the
     *              image in errors
     * @throws ApiError 400 when the URL is malformed, not allowed, or not an image
     */
    Encoded read(String url, String param) {
        String u = url.strip();
        String lower = u.toLowerCase(Locale.ROOT);
        byte[] bytes;
        if (lower.startsWith("data:")) {
            bytes = dataUrl(u, param);
        } else if (lower.startsWith("http://") || lower.startsWith("https://")) {
            throw ApiError.badRequest("The image at " + param + " is a web URL (" + abbreviate(u) + "); this server "
                    + "does not fetch URLs. Send the image as a data URL: data:image/png;base64,…", param,
                    "invalid_image_url");
        } else {
            bytes = localFile(u, lower, param);
        }
        try {
            return new Encoded(bytes, param, loader.size(bytes, param));
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage(), param, "invalid_image");
        }
    }

    /** Decodes an image {@link #read} returned. */
    ImageInput decode(Encoded image) {
        try {
            return loader.load(image.bytes(), image.param());
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage(), image.param(), "invalid_image"); // the loader's own words
        } catch (UncheckedIOException e) {
            // a decoder's read error: its text is the library's, not written for clients; the log keeps it
            LOG.log(System.Logger.Level.WARNING, "decoding the image at " + image.param() + " failed", e);
            throw ApiError.badRequest("The image at " + image.param() + " cannot be decoded: its data is cut short "
                    + "or damaged, or in a variant of its format this server cannot read. Send the whole image, as "
                    + "PNG or JPEG.",
                    image.param(), "invalid_image");
        }
    }

    // whether a path is inside the allowed directory is decided from its text first, so a path outside gets the
    // same answer whether or not it exists: the server is no oracle for its file system
    private byte[] localFile(String u, String lower, String param) {
        Path path = localPath(u, lower, param);
        if (allowed == null) {
            throw ApiError.badRequest("The image at " + param + " is a local file (" + abbreviate(u) + "); this "
                    + "server reads no local files unless started with --allowed-local-media-path DIR. Send the "
                    + "image as a data URL: data:image/png;base64,…", param, "local_media_not_allowed");
        }
        ApiError outside = ApiError.badRequest("The image file " + abbreviate(u) + " at " + param + " is not "
                + "inside the allowed local media directory; name a file under it, relative to it.", param,
                "local_media_not_allowed");
        Path file = allowed.resolve(path).normalize();
        if (!file.startsWith(allowed)) {
            throw outside;
        }
        Path real;
        try {
            real = file.toRealPath();
        } catch (NoSuchFileException e) {
            if (Files.isSymbolicLink(file)) {
                throw outside; // a dangling link: where it points is none of the client's business
            }
            throw ApiError.badRequest("The image file " + abbreviate(u) + " at " + param + " does not exist in the "
                    + "allowed local media directory.", param, "invalid_image_url");
        } catch (IOException e) {
            throw outside;
        }
        if (!real.startsWith(allowed)) {
            throw outside;
        }
        if (!Files.isRegularFile(real)) {
            throw ApiError.badRequest("The image path " + abbreviate(u) + " at " + param + " is not a file.", param,
                    "invalid_image_url");
        }
        // the size first: a file the heap cannot hold is the client's to avoid (413), running out of memory on
        // one it could is not (503, from the handler)
        try {
            if (Files.size(real) > maxFileBytes) {
                throw new ApiError(413, "invalid_request_error", "The image file " + abbreviate(u) + " at " + param
                        + " is larger than " + (maxFileBytes >> 20) + " MiB, the most this server reads; send a "
                        + "smaller image.", param, "image_too_large");
            }
            return Files.readAllBytes(real);
        } catch (IOException e) {
            throw ApiError.badRequest("The image file " + abbreviate(u) + " at " + param + " cannot be read.",
                    param, "invalid_image_url");
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
        String data = url.substring(comma + 1);
        try {
            try {
                return Base64.getDecoder().decode(data);
            } catch (IllegalArgumentException lineBreaks) {
                return Base64.getDecoder().decode(data.replaceAll("\\s", ""));
            }
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest("The data URL at " + param + " is not valid base64 (" + e.getMessage()
                    + "); encode the image bytes with standard base64.", param, "invalid_image_url");
        }
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 80) + "…";
    }
}
