package dev.glimpse.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/**
 * The web page: {@code GET /} and the static files under {@code /web/}, read from the jar
 * ({@code dev/glimpse/serve/web/}). Nothing is fetched from elsewhere, so the page works offline. Any other path
 * goes to {@code notFound}.
 *
 * <p>Text files go out gzipped to clients that accept it. A Content-Security-Policy lets the page load only its own
 * files and talk only to this server, so even a bug in how it shows an answer cannot run a script from an answer.
 */
final class WebPage implements HttpHandler {

    /** Where the files are on the class path. */
    static final String ROOT = "dev/glimpse/serve/web/";

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self' data: blob:; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; "
            + "base-uri 'none'";

    // lower-case names, no "..", one of the types below: nothing else on the class path can be asked for
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*(/[a-z0-9][a-z0-9_-]*)*\\.[a-z]+");

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "json", "application/json",
            "svg", "image/svg+xml",
            "png", "image/png",
            "jpg", "image/jpeg",
            "md", "text/markdown; charset=utf-8");

    /** A file as sent: its bytes, gzipped bytes (null when not worth it), type and tag. */
    private record File(byte[] bytes, byte[] gzipped, String type, String etag) {
    }

    private final HttpHandler notFound;
    private final Map<String, Optional<File>> files = new ConcurrentHashMap<>();

    WebPage(HttpHandler notFound) {
        this.notFound = notFound;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String name = path.equals("/") || path.equals("/index.html") ? "index.html"
                : path.startsWith("/web/") ? path.substring("/web/".length()) : null;
        Optional<File> file = name == null ? Optional.empty() : file(name);
        if (file.isEmpty()) {
            notFound.handle(exchange);
            return;
        }
        String method = exchange.getRequestMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            throw ApiError.methodNotAllowed(method, path, "GET");
        }
        send(exchange, file.get(), method.equals("HEAD"));
    }

    private Optional<File> file(String name) {
        if (!NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        return files.computeIfAbsent(name, WebPage::read);
    }

    private static Optional<File> read(String name) {
        String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
        if (type == null) {
            return Optional.empty();
        }
        try (InputStream in = WebPage.class.getClassLoader().getResourceAsStream(ROOT + name)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] bytes = in.readAllBytes();
            byte[] gzipped = type.startsWith("text/") || type.startsWith("application/json")
                    || type.startsWith("image/svg") ? gzip(bytes) : null;
            if (gzipped != null && gzipped.length >= bytes.length) {
                gzipped = null;
            }
            String etag = "\"" + Integer.toHexString(Arrays.hashCode(bytes)) + "-" + bytes.length + "\"";
            return Optional.of(new File(bytes, gzipped, type, etag));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the page's file " + name, e);
        }
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }

    private static void send(HttpExchange exchange, File file, boolean head) throws IOException {
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", file.type());
        headers.set("ETag", file.etag());
        // revalidate every time: a new jar must never be mixed with a cached old script
        headers.set("Cache-Control", "no-cache");
        headers.set("X-Content-Type-Options", "nosniff");
        headers.set("Referrer-Policy", "no-referrer");
        headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        headers.add("Vary", "Accept-Encoding");
        String ifNoneMatch = exchange.getRequestHeaders().getFirst("If-None-Match");
        if (file.etag().equals(ifNoneMatch)) {
            exchange.sendResponseHeaders(304, -1);
            return;
        }
        String accept = exchange.getRequestHeaders().getFirst("Accept-Encoding");
        boolean gzip = file.gzipped() != null && accept != null && accept.contains("gzip");
        byte[] body = gzip ? file.gzipped() : file.bytes();
        if (gzip) {
            headers.set("Content-Encoding", "gzip");
        }
        if (head) {
            headers.set("Content-Length", Integer.toString(body.length));
            exchange.sendResponseHeaders(200, -1);
            return;
        }
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
