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
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns what a user calls an image (a path, a URL, bytes, a {@link BufferedImage}) into an {@link Image}, with
 * messages that name the image and the fix for every way it can go wrong.
 */
final class ImageSources {

    /** Downloads larger than this are refused. */
    static final long MAX_DOWNLOAD_BYTES = 64L << 20;

    /**
     * Image files larger than this are refused before they are read: an uncompressed 32-bit BMP or TIFF at the
     * loader's 50-megapixel limit is 200 MB, and anything larger could not be decoded anyway.
     */
    static final long MAX_FILE_BYTES = 256L << 20;

    /**
     * A URL's scheme, with the {@code //} if there is one; two letters at least, so that {@code C:\} stays a path.
     * Without {@code //} only {@code data:} and {@code file:} count as URLs ({@code File.toURI()} writes
     * {@code file:/abs/x.png}), so that a relative path such as {@code notes:v2/x.png} stays a path.
     */
    private static final Pattern URL_SCHEME = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]+):(//)?");
    private static final Set<String> DOWNLOAD_SCHEMES = Set.of("http", "https");

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
        Matcher scheme = URL_SCHEME.matcher(s);
        if (scheme.find() && (scheme.group(2) != null || scheme.group(1).equalsIgnoreCase("data")
                || scheme.group(1).equalsIgnoreCase("file"))) {
            String name = scheme.group(1).toLowerCase(Locale.ROOT);
            if (name.equals("data")) {
                throw new IllegalArgumentException("image(..) does not read data: URLs. Decode the base64 after the "
                        + "comma and pass the bytes: image(Base64.getDecoder().decode(text.substring(text.indexOf(','"
                        + ") + 1)))");
            }
            URI uri;
            try {
                uri = new URI(s);
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException("'" + s + "' is not a valid URL: " + e.getReason(), e);
            }
            if (name.equals("file")) {
                try {
                    return fromPath(Path.of(uri), s);
                } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
                    throw new IllegalArgumentException("'" + s + "' is not a file URL this machine can read ("
                            + e.getMessage() + "); give the file's path instead", e);
                }
            }
            return fromUrl(uri);
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
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
            if (!attributes.isRegularFile()) {
                // a device such as /dev/zero or a named pipe: reading it may never end, or never begin
                throw new IllegalArgumentException(absolute + " is not a regular file but a device, pipe or socket, "
                        + "so image(..) does not read it. Give the path of an image file (PNG, JPEG, GIF, BMP, TIFF).");
            }
            if (attributes.size() > MAX_FILE_BYTES) {
                throw tooLargeFile(absolute, attributes.size());
            }
            try (InputStream in = Files.newInputStream(path)) {
                bytes = in.readNBytes((int) MAX_FILE_BYTES + 1); // the file may grow while it is read
            }
            if (bytes.length > MAX_FILE_BYTES) {
                throw tooLargeFile(absolute, bytes.length);
            }
        } catch (AccessDeniedException e) {
            throw new IllegalArgumentException("Image " + absolute + " cannot be read: permission denied. Check the "
                    + "file's permissions.", e);
        } catch (IOException e) {
            throw new UncheckedIOException("Image " + absolute + " cannot be read: " + e.getMessage(), e);
        }
        return fromBytes(bytes, asGiven);
    }

    private static IllegalArgumentException tooLargeFile(Path file, long size) {
        return new IllegalArgumentException(String.format(Locale.ROOT, "Image %s is %.0f MB, more than the %d MB "
                + "image(..) reads from a file. Scale it down or save it as JPEG or PNG first.", file, size / 1e6,
                MAX_FILE_BYTES >> 20));
    }

    Image fromBytes(byte[] bytes, String source) {
        ImageInput input = loader.load(bytes, source);
        return new Image(input);
    }

    Image fromBufferedImage(BufferedImage image, String source) {
        return new Image(loader.fromImage(image, source));
    }

    Image fromUrl(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!DOWNLOAD_SCHEMES.contains(scheme)) {
            throw new IllegalArgumentException("image(..) cannot read " + (scheme.isEmpty() ? "URLs without a scheme"
                    : scheme + ": URLs") + " (" + abbreviated(url.toString()) + "). It reads http:// and https:// "
                    + "URLs, file: URLs and file paths; download the file and give its path.");
        }
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
            if (response.statusCode() / 100 == 3) {
                throw unfollowedRedirect(url, response);
            }
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

    /**
     * The client follows redirects, except from https to http and beyond its limit; a 3xx that comes back is one of
     * those (or one without a {@code Location}).
     */
    private static IllegalArgumentException unfollowedRedirect(URI url, HttpResponse<?> response) {
        String location = response.headers().firstValue("Location").orElse(null);
        if (location == null) {
            return new IllegalArgumentException("Cannot download image " + url + ": the server answered HTTP "
                    + response.statusCode() + " (a redirect) without saying where to. Check the address.");
        }
        URI target;
        try {
            target = response.uri().resolve(location);
        } catch (IllegalArgumentException e) {
            return new IllegalArgumentException("Cannot download image " + url + ": the server redirects to '"
                    + abbreviated(location) + "', which is not a valid URL. Check the address.");
        }
        if ("https".equalsIgnoreCase(response.uri().getScheme()) && "http".equalsIgnoreCase(target.getScheme())) {
            return new IllegalArgumentException("Cannot download image " + url + ": the server redirects from https "
                    + "to the unencrypted " + abbreviated(target.toString()) + ", which is not followed. Use that "
                    + "address yourself if you trust it.");
        }
        int limit = Integer.getInteger("jdk.httpclient.redirects.retrylimit", 5);
        return new IllegalArgumentException("Cannot download image " + url + ": too many redirects (a redirect "
                + "loop?): still redirected after " + limit + ", the last time to " + abbreviated(target.toString())
                + ". Check the address in a browser, or download the file and give its path.");
    }

    private static String abbreviated(String text) {
        return text.length() <= 200 ? text : text.substring(0, 200) + "…";
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
