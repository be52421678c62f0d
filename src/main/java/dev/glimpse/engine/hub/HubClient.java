package dev.glimpse.engine.hub;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * The Hub's HTTP routes, as huggingface_hub uses them:
 * <ul>
 *   <li>{@code GET {endpoint}/api/models/{repo}/revision/{revision}}: the commit ({@code sha}) and the file list
 *       ({@code siblings});</li>
 *   <li>{@code HEAD {endpoint}/{repo}/resolve/{commit}/{file}}: {@code X-Repo-Commit}, the content hash
 *       ({@code X-Linked-Etag} for LFS files, else {@code ETag}), the size ({@code X-Linked-Size}, else
 *       {@code Content-Length}), and for LFS files a 302 to a signed URL on a storage host;</li>
 *   <li>{@code GET} of that location, with {@code Range: bytes=N-} to resume.</li>
 * </ul>
 *
 * <p>Redirects are never followed by the HTTP client: its automatic redirects would carry the {@code Authorization}
 * header to the storage host, which refuses a second credential next to the URL's signature (and must not see
 * the token). The token is sent only to the endpoint's own origin; redirects to another host are followed without
 * it.
 */
final class HubClient {

    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);
    private static final int MAX_REDIRECTS = 5;
    private static final String USER_AGENT = "glimpse/0.1; java/" + Runtime.version().feature();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HubSettings settings;
    private final HttpClient http;

    HubClient(HubSettings settings) {
        this(settings, HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(CONNECT_TIMEOUT).build());
    }

    HubClient(HubSettings settings, HttpClient http) {
        this.settings = Objects.requireNonNull(settings, "settings");
        if (http.followRedirects() != HttpClient.Redirect.NEVER) {
            throw new IllegalArgumentException("the Hub client follows redirects itself; give it an HttpClient "
                    + "with Redirect.NEVER so that the token never reaches the storage host");
        }
        this.http = http;
    }

    /** The commit a revision points at and the files it has. */
    RepoRevision revision(HubModelId id) {
        URI url = URI.create(settings.endpoint() + "/api/models/" + id.repo() + "/revision/" + encode(id.revision()));
        HttpResponse<InputStream> response = send(id, url, "GET", "the revision " + id.revision());
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw HubErrors.forStatus(response.statusCode(), response.headers(), id, "the revision "
                        + id.revision(), settings);
            }
            JsonNode json;
            try {
                json = JSON.readTree(body);
            } catch (IOException e) {
                throw HubErrors.notTheHub(id, url, settings, "its answer is not JSON");
            }
            String sha = json.path("sha").asText("");
            if (!sha.matches("[0-9a-f]{40}") || !json.path("siblings").isArray()) {
                throw HubErrors.notTheHub(id, url, settings, "its answer has no commit (sha) and file list (siblings)");
            }
            List<String> files = new ArrayList<>();
            for (JsonNode sibling : json.path("siblings")) {
                String name = sibling.path("rfilename").asText("");
                if (!name.isEmpty()) {
                    files.add(name);
                }
            }
            return new RepoRevision(sha, files);
        } catch (IOException e) {
            throw HubErrors.network(id, url, settings, e);
        }
    }

    /** A file's content hash, size and download location at a commit. */
    FileMetadata metadata(HubModelId id, String commit, String file) {
        URI url = URI.create(settings.endpoint() + "/" + id.repo() + "/resolve/" + commit + "/" + encodePath(file));
        HttpResponse<InputStream> response = send(id, url, "HEAD", file);
        try {
            response.body().close();
        } catch (IOException e) {
            // nothing to read in a HEAD response
        }
        int status = response.statusCode();
        boolean redirect = status >= 300 && status < 400;
        if (status != 200 && !redirect) {
            throw HubErrors.forStatus(status, response.headers(), id, file, settings);
        }
        HttpHeaders h = response.headers();
        String etag = normalizeEtag(h.firstValue("X-Linked-Etag").or(() -> h.firstValue("ETag")).orElse(null));
        Optional<String> size = h.firstValue("X-Linked-Size")
                .or(() -> redirect ? Optional.empty() : h.firstValue("Content-Length"));
        if (h.firstValue("X-Repo-Commit").isEmpty() || etag == null || size.isEmpty()) {
            throw HubErrors.notTheHub(id, response.uri(), settings, "it sent no X-Repo-Commit, ETag or size for "
                    + file);
        }
        long bytes;
        try {
            bytes = Long.parseLong(size.get().strip());
        } catch (NumberFormatException e) {
            throw HubErrors.notTheHub(id, response.uri(), settings, "the size of " + file + " is not a number");
        }
        URI location = redirect ? response.uri().resolve(h.firstValue("Location").orElseThrow(() ->
                HubErrors.notTheHub(id, response.uri(), settings, "a redirect without a Location"))) : response.uri();
        return new FileMetadata(file, etag, bytes, location);
    }

    /**
     * The body of a file, from byte {@code offset} on when the server honours the Range; follows redirects itself,
     * sending the token only to the Hub's origin.
     *
     * @return the body and the byte it starts at: {@code offset}, or 0 when the server sent the whole file
     */
    Body open(HubModelId id, FileMetadata file, long offset) {
        URI url = file.location();
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpRequest.Builder request = request(url, "GET").timeout(METADATA_TIMEOUT);
            if (offset > 0) {
                request.header("Range", "bytes=" + offset + "-");
            }
            HttpResponse<InputStream> response = exchange(id, request.build());
            int status = response.statusCode();
            if (status >= 300 && status < 400 && response.headers().firstValue("Location").isPresent()) {
                close(response);
                url = url.resolve(response.headers().firstValue("Location").get());
                continue;
            }
            if (status == 200) {
                return new Body(response.body(), 0);
            }
            if (status == 206) {
                long start = rangeStart(response.headers()).orElse(-1L);
                if (start != offset) {
                    close(response);
                    throw HubErrors.notTheHub(id, url, settings, "it answered the range from byte " + offset
                            + " of " + file.file() + " with another range");
                }
                return new Body(response.body(), offset);
            }
            close(response);
            if (status == 416) {
                // the partial file is longer than the file: start over
                return open(id, file, 0);
            }
            throw HubErrors.forStatus(status, response.headers(), id, file.file(), settings);
        }
        throw HubErrors.notTheHub(id, url, settings, "more than " + MAX_REDIRECTS + " redirects for " + file.file());
    }

    /** A response body and the file offset of its first byte. */
    record Body(InputStream stream, long startsAt) {
    }

    /** Sends a request, following relative redirects (a renamed repository) on the same host, token attached. */
    private HttpResponse<InputStream> send(HubModelId id, URI url, String method, String what) {
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpResponse<InputStream> response = exchange(id, request(url, method).timeout(METADATA_TIMEOUT).build());
            int status = response.statusCode();
            Optional<String> location = response.headers().firstValue("Location");
            if (status >= 300 && status < 400 && location.isPresent() && URI.create(location.get()).getHost() == null) {
                close(response);
                url = url.resolve(location.get());
                continue;
            }
            return response;
        }
        throw HubErrors.notTheHub(id, url, settings, "more than " + MAX_REDIRECTS + " redirects for " + what);
    }

    private HttpResponse<InputStream> exchange(HubModelId id, HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw HubErrors.network(id, request.uri(), settings, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw HubErrors.interrupted(id);
        }
    }

    private HttpRequest.Builder request(URI url, String method) {
        HttpRequest.Builder b = HttpRequest.newBuilder(url).method(method, HttpRequest.BodyPublishers.noBody())
                .header("User-Agent", USER_AGENT)
                // the real size: no compression
                .header("Accept-Encoding", "identity");
        if (settings.token() != null && sameOrigin(url, settings.endpoint())) {
            b.header("Authorization", "Bearer " + settings.token());
        }
        return b;
    }

    /** Whether two URLs share scheme, host and port: only then does the token go along. */
    static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme())
                && a.getHost() != null && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : u.getScheme().equalsIgnoreCase("https") ? 443 : 80;
    }

    static String normalizeEtag(String etag) {
        if (etag == null) {
            return null;
        }
        String e = etag.strip();
        if (e.startsWith("W/")) {
            e = e.substring(2);
        }
        e = e.replace("\"", "");
        return e.isEmpty() || e.contains("/") || e.contains("\\") || e.equals(".") || e.equals("..") ? null : e;
    }

    private static Optional<Long> rangeStart(HttpHeaders headers) {
        // Content-Range: bytes 100-199/200
        return headers.firstValue("Content-Range").flatMap(v -> {
            String s = v.strip().toLowerCase(Locale.ROOT);
            if (!s.startsWith("bytes ") || s.indexOf('-') < 0) {
                return Optional.empty();
            }
            try {
                return Optional.of(Long.parseLong(s.substring(6, s.indexOf('-')).strip()));
            } catch (NumberFormatException e) {
                return Optional.empty();
            }
        });
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static String encodePath(String path) {
        StringBuilder b = new StringBuilder();
        for (String part : path.split("/", -1)) {
            if (b.length() > 0) {
                b.append('/');
            }
            b.append(encode(part));
        }
        return b.toString();
    }

    private static void close(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException e) {
            // the body is not wanted
        }
    }

    static boolean isTimeout(IOException e) {
        return e instanceof HttpTimeoutException && !(e instanceof HttpConnectTimeoutException);
    }

    static boolean isUnreachable(IOException e) {
        return e instanceof ConnectException || e instanceof UnknownHostException
                || e instanceof HttpConnectTimeoutException;
    }
}
