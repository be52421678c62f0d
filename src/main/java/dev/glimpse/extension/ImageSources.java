package dev.glimpse.extension;

import dev.glimpse.engine.ImageInput;
import dev.glimpse.engine.ImageLoader;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Turns what a user calls an image (a path, a URL, bytes, a {@link BufferedImage}) into an {@link Image}, with
 * messages that name the image and the fix for every way it can go wrong.
 */
final class ImageSources {

    /** Downloads larger than this are refused. */
    static final long MAX_DOWNLOAD_BYTES = 64L << 20;

    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration DOWNLOAD_TIMEOUT = Duration.ofSeconds(60);

    private final ImageLoader loader;

    ImageSources(ImageLoader loader) {
        this.loader = loader;
    }

    Image fromText(String pathOrUrl) {
        if (pathOrUrl == null || pathOrUrl.isBlank()) {
            throw new IllegalArgumentException("image(..) needs a file path or an http(s) URL, got "
                    + (pathOrUrl == null ? "null" : "an empty string"));
        }
        String s = pathOrUrl.strip();
        String lower = s.toLowerCase(Locale.ROOT);
        if (lower.startsWith("http://") || lower.startsWith("https://")) {
            try {
                return fromUrl(new URI(s));
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("'" + s + "' is not a valid URL: " + e.getReason(), e);
            }
        }
        return fromPath(Path.of(s), s);
    }

    Image fromPath(Path path, String asGiven) {
        Path absolute = path.toAbsolutePath();
        if (!Files.exists(path)) {
            String where = path.isAbsolute() ? "" : " (relative paths start in the working directory "
                    + Path.of("").toAbsolutePath() + ", the notebook's folder)";
            throw new IllegalArgumentException("Image file not found: " + absolute + where + ". Check the name.");
        }
        if (Files.isDirectory(path)) {
            throw new IllegalArgumentException(absolute + " is a folder, not an image file. Give one file, or ask "
                    + "about every image in it with askAll(\"" + asGiven + "\", prompt).");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException("Image " + absolute + " cannot be read: permission denied. Check the "
                    + "file's permissions.", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Image " + absolute + " cannot be read: " + e.getMessage(), e);
        }
        return fromBytes(bytes, asGiven);
    }

    Image fromBytes(byte[] bytes, String source) {
        ImageInput input = loader.load(bytes, source);
        return new Image(input);
    }

    Image fromBufferedImage(BufferedImage image, String source) {
        return new Image(loader.fromImage(image, source));
    }

    Image fromUrl(URI url) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpRequest request = HttpRequest.newBuilder(url).timeout(DOWNLOAD_TIMEOUT)
                .header("User-Agent", "Glimpse").GET().build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new UncheckedIOException("Downloading image " + url + " timed out. Check the address, or download "
                    + "the file and give its path.", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot download image " + url + ": " + describe(e) + ". Check the "
                    + "address and the network, or download the file and give its path.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while downloading image " + url, e);
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IllegalArgumentException("Cannot download image " + url + ": the server answered HTTP "
                        + response.statusCode() + ". Check the address.");
            }
            byte[] bytes = body.readNBytes((int) MAX_DOWNLOAD_BYTES + 1);
            if (bytes.length > MAX_DOWNLOAD_BYTES) {
                throw new IllegalArgumentException("Image " + url + " is larger than " + (MAX_DOWNLOAD_BYTES >> 20)
                        + " MB; download it and scale it down first.");
            }
            return fromBytes(bytes, url.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("Downloading image " + url + " failed: " + describe(e), e);
        }
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
