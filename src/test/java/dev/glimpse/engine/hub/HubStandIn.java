package dev.glimpse.engine.hub;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A stand-in for the Hugging Face Hub, for tests: two HTTP servers on ephemeral loopback ports that serve a real
 * model directory the way the Hub serves a model repository. The real Hub cannot be reached from CI; what this
 * reproduces of it (from huggingface_hub's {@code file_download.py}, {@code hf_api.py} and
 * {@code utils/_http.py}, which are written against the real Hub) is:
 *
 * <ul>
 *   <li>{@code GET /api/models/{repo}/revision/{revision}}: JSON with {@code sha} (the commit) and
 *       {@code siblings[].rfilename} (every file, nested paths with {@code /}); and
 *       {@code GET /api/models/{repo}/tree/{revision}?recursive=true}, the listing huggingface_hub 1.x+ reads
 *       ({@code path}, {@code size}, {@code oid}, {@code lfs.oid}) so that it can be run against this stand-in;</li>
 *   <li>{@code HEAD|GET /{repo}/resolve/{revision}/{file}}: for a file kept in Git, 200 with the bytes,
 *       {@code ETag: "<git blob sha1>"}, {@code X-Repo-Commit} and {@code Content-Length}; for a Git LFS file
 *       (here, as in real repositories, {@code *.safetensors} and anything over 10 MB) a 302 to a signed URL on
 *       another host (the "storage host", like {@code cas-bridge.xethub.hf.co}) with
 *       {@code X-Linked-Etag: "<sha256>"}, {@code X-Linked-Size}, {@code X-Repo-Commit};</li>
 *   <li>errors with the Hub's {@code X-Error-Code} / {@code X-Error-Message} headers: 401 {@code RepoNotFound}
 *       for an unknown or private repository without a token (404 with one), 401 {@code GatedRepo} for a gated
 *       repository without a token and 403 {@code GatedRepo} with a token that has no access, 401
 *       "Invalid credentials in Authorization header" for an unknown token, 404 {@code RevisionNotFound};</li>
 *   <li>the storage host answers {@code Range: bytes=N-} with 206 and {@code Content-Range}, and, like S3 and
 *       CloudFront with a signed URL, refuses a request that also carries an {@code Authorization} header
 *       (400; the header is recorded so tests can assert it never arrives).</li>
 * </ul>
 *
 * <p>Checked by hand on 2026-12-06: huggingface_hub 2.4.0's {@code snapshot_download} fetches a repository from
 * this stand-in, and each of it and {@code glimpse pull} uses the other's cache with {@code HF_HUB_OFFLINE=1}.
 *
 * <p>Faults a test can inject: the storage host closing the connection after N bytes of a file (once), serving a
 * file with one byte changed, ignoring Range. The Hub is at {@code http://localhost:P} and the storage host at
 * {@code http://127.0.0.1:Q}: different hosts, as in production.
 */
public final class HubStandIn implements AutoCloseable {

    static final long LFS_THRESHOLD = 10_000_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One repository: its files by path, the commit of its one revision, and who may read it. */
    private record Repo(String id, String commit, Map<String, Path> files, Map<String, String> etags,
                        Set<String> lfs, Access access, String allowedToken) {
    }

    /** Who may read a repository. */
    public enum Access { PUBLIC, PRIVATE, GATED }

    private final HttpServer hub;
    private final HttpServer storage;
    private final Map<String, Repo> repos = new ConcurrentHashMap<>();
    private final Map<String, Path> blobsBySha = new ConcurrentHashMap<>();
    private final Set<String> knownTokens = ConcurrentHashMap.newKeySet();
    private final List<String> hubRequests = new CopyOnWriteArrayList<>();
    private final List<String> storageRequests = new CopyOnWriteArrayList<>();
    private final List<String> storageAuthorizations = new CopyOnWriteArrayList<>();
    private final List<String> hubAuthorizations = new CopyOnWriteArrayList<>();
    private final Map<String, Long> dropAfter = new ConcurrentHashMap<>();
    private final Set<String> corrupt = ConcurrentHashMap.newKeySet();
    private volatile boolean ignoreRange;
    private volatile long bytesPerSecond;

    private HubStandIn() throws IOException {
        hub = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        storage = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        hub.createContext("/", this::handleHub);
        storage.createContext("/", this::handleStorage);
        hub.setExecutor(Executors.newFixedThreadPool(4));
        storage.setExecutor(Executors.newFixedThreadPool(4));
        hub.start();
        storage.start();
    }

    /** Starts both servers, with no repositories yet. */
    public static HubStandIn start() throws IOException {
        return new HubStandIn();
    }

    /** Serves every file under {@code directory} (recursively) as the public repository {@code id}. */
    public HubStandIn serve(String id, Path directory) throws IOException {
        return serve(id, directory, Access.PUBLIC, null, file -> true);
    }

    /**
     * Serves a repository.
     *
     * @param access       who may read it
     * @param allowedToken the token that may read a private or gated repository ({@code null}: none)
     * @param include      which files of the directory (paths relative to it, with {@code /}) the repository has
     */
    public HubStandIn serve(String id, Path directory, Access access, String allowedToken, Predicate<String> include)
            throws IOException {
        Map<String, Path> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(directory)) {
            walk.filter(Files::isRegularFile).forEach(p -> files.put(directory.relativize(p).toString()
                    .replace('\\', '/'), p));
        }
        files.keySet().removeIf(include.negate());
        Map<String, String> etags = new LinkedHashMap<>();
        Set<String> lfs = ConcurrentHashMap.newKeySet();
        MessageDigest commit = digest("SHA-1");
        for (Map.Entry<String, Path> f : files.entrySet()) {
            byte[] bytes = Files.readAllBytes(f.getValue());
            boolean isLfs = f.getKey().endsWith(".safetensors") || bytes.length > LFS_THRESHOLD;
            String etag = isLfs ? hex(digest("SHA-256").digest(bytes)) : gitBlobId(bytes);
            etags.put(f.getKey(), etag);
            if (isLfs) {
                lfs.add(f.getKey());
                blobsBySha.put(etag, f.getValue());
            }
            commit.update((f.getKey() + etag).getBytes(StandardCharsets.UTF_8));
        }
        commit.update(id.getBytes(StandardCharsets.UTF_8));
        repos.put(id, new Repo(id, hex(commit.digest()), files, etags, lfs, access, allowedToken));
        if (allowedToken != null) {
            knownTokens.add(allowedToken);
        }
        return this;
    }

    /** Also accepts {@code token} as a valid token of some account (that may lack access to a repository). */
    public HubStandIn knowToken(String token) {
        knownTokens.add(token);
        return this;
    }

    /** The storage host closes the connection after {@code bytes} bytes of this file, on its next request only. */
    public void dropConnectionAfter(String file, long bytes) {
        dropAfter.put(file, bytes);
    }

    /** The storage host sends this file with one byte changed. */
    public void corrupt(String file) {
        corrupt.add(file);
    }

    /** The storage host answers Range requests with the whole file (200), as some proxies do. */
    public void ignoreRange() {
        ignoreRange = true;
    }

    /** The storage host sends at most this many bytes a second (a slow link, so progress can be watched). */
    public void throttle(long bytesPerSecond) {
        this.bytesPerSecond = bytesPerSecond;
    }

    /** The Hub's base URL, for {@code HF_ENDPOINT}. */
    public URI endpoint() {
        return URI.create("http://localhost:" + hub.getAddress().getPort());
    }

    /** The commit hash the repository's {@code main} points at. */
    public String commit(String id) {
        return repos.get(id).commit();
    }

    /** The content hash the Hub gives for a file (sha256 for LFS files, the Git blob id otherwise). */
    public String etag(String id, String file) {
        return repos.get(id).etags().get(file);
    }

    /** Every request the Hub got, as {@code "GET /path"}. */
    public List<String> hubRequests() {
        return List.copyOf(hubRequests);
    }

    /** Every request the storage host got, as {@code "GET /path Range: bytes=N-"}. */
    public List<String> storageRequests() {
        return List.copyOf(storageRequests);
    }

    /** The Authorization headers that reached the storage host (the test of the token never leaving the Hub). */
    public List<String> storageAuthorizations() {
        return List.copyOf(storageAuthorizations);
    }

    /** The Authorization headers the Hub got. */
    public List<String> hubAuthorizations() {
        return List.copyOf(hubAuthorizations);
    }

    /** All requests to both hosts. */
    public int requestCount() {
        return hubRequests.size() + storageRequests.size();
    }

    @Override
    public void close() {
        hub.stop(0);
        storage.stop(0);
        ((java.util.concurrent.ExecutorService) hub.getExecutor()).shutdownNow();
        ((java.util.concurrent.ExecutorService) storage.getExecutor()).shutdownNow();
    }

    // ---- the Hub

    private void handleHub(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath();
            hubRequests.add(ex.getRequestMethod() + " " + path);
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth != null) {
                hubAuthorizations.add(auth);
            }
            String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null;
            if (token != null && !knownTokens.contains(token)) {
                error(ex, 401, null, "Invalid credentials in Authorization header");
                return;
            }
            if (path.startsWith("/api/models/")) {
                apiRevision(ex, path.substring("/api/models/".length()), token);
                return;
            }
            // /{ns}/{name}/resolve/{revision}/{file...}
            String[] parts = path.substring(1).split("/", 5);
            if (parts.length < 5 || !parts[2].equals("resolve")) {
                error(ex, 404, null, "Not found");
                return;
            }
            String revision = URLDecoder.decode(parts[3], StandardCharsets.UTF_8);
            Repo repo = readableAt(ex, parts[0] + "/" + parts[1], revision, token);
            if (repo == null) {
                return;
            }
            String file = URLDecoder.decode(parts[4], StandardCharsets.UTF_8);
            Path source = repo.files().get(file);
            if (source == null) {
                ex.getResponseHeaders().set("X-Repo-Commit", repo.commit());
                error(ex, 404, "EntryNotFound", file + " does not exist on \"" + revision + "\"");
                return;
            }
            Headers h = ex.getResponseHeaders();
            h.set("X-Repo-Commit", repo.commit());
            String etag = repo.etags().get(file);
            if (repo.lfs().contains(file)) {
                h.set("X-Linked-Etag", "\"" + etag + "\"");
                h.set("X-Linked-Size", Long.toString(Files.size(source)));
                h.set("ETag", "W/\"" + etag.substring(0, 16) + "-redirect\"");
                h.set("Location", "http://127.0.0.1:" + storage.getAddress().getPort() + "/blobs/" + etag
                        + "?X-Amz-Expires=3600&X-Amz-Signature=" + etag.substring(0, 12));
                send(ex, 302, "Found. Redirecting".getBytes(StandardCharsets.US_ASCII));
                return;
            }
            h.set("ETag", "\"" + etag + "\"");
            send(ex, 200, Files.readAllBytes(source));
        }
    }

    private void apiRevision(HttpExchange ex, String rest, String token) throws IOException {
        // {ns}/{name}/revision/{revision}, or {ns}/{name}/tree/{revision} (the listing newer huggingface_hub reads)
        String[] parts = rest.split("/", 4);
        if (parts.length == 4 && parts[2].equals("tree")) {
            apiTree(ex, parts[0] + "/" + parts[1], URLDecoder.decode(parts[3], StandardCharsets.UTF_8), token);
            return;
        }
        if (parts.length < 4 || !parts[2].equals("revision")) {
            error(ex, 404, null, "Not found");
            return;
        }
        Repo repo = readableAt(ex, parts[0] + "/" + parts[1], URLDecoder.decode(parts[3], StandardCharsets.UTF_8),
                token);
        if (repo == null) {
            return;
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("_id", "0123456789abcdef01234567");
        json.put("id", repo.id());
        json.put("private", repo.access() == Access.PRIVATE);
        json.put("gated", repo.access() == Access.GATED ? "manual" : false);
        json.put("sha", repo.commit());
        List<Map<String, String>> siblings = new ArrayList<>();
        repo.files().keySet().forEach(f -> siblings.add(Map.of("rfilename", f)));
        json.put("siblings", siblings);
        sendJson(ex, json);
    }

    /** {@code GET /api/models/{repo}/tree/{revision}?recursive=true}: every file with its size and hashes. */
    private void apiTree(HttpExchange ex, String id, String revision, String token) throws IOException {
        Repo repo = readableAt(ex, id, revision, token);
        if (repo == null) {
            return;
        }
        List<Map<String, Object>> entries = new ArrayList<>();
        for (Map.Entry<String, Path> f : repo.files().entrySet()) {
            byte[] bytes = Files.readAllBytes(f.getValue());
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("type", "file");
            entry.put("oid", gitBlobId(bytes));
            entry.put("size", bytes.length);
            entry.put("path", f.getKey());
            if (repo.lfs().contains(f.getKey())) {
                entry.put("lfs", Map.of("oid", repo.etags().get(f.getKey()), "size", bytes.length,
                        "pointerSize", 134));
            }
            entries.add(entry);
        }
        sendJson(ex, entries);
    }

    /** The repository at {@code revision}, or {@code null} after answering as the Hub does when there is none. */
    private Repo readableAt(HttpExchange ex, String id, String revision, String token) throws IOException {
        Repo repo = readable(ex, id, token);
        if (repo != null && !revision.equals("main") && !revision.equals(repo.commit())) {
            error(ex, 404, "RevisionNotFound", "Invalid rev id: " + revision);
            return null;
        }
        return repo;
    }

    /** The repository, or {@code null} after answering as the Hub does when it may not be read. */
    private Repo readable(HttpExchange ex, String id, String token) throws IOException {
        Repo repo = repos.get(id);
        boolean allowed = repo != null && (repo.access() == Access.PUBLIC || token != null
                && token.equals(repo.allowedToken()));
        if (allowed) {
            return repo;
        }
        if (repo != null && repo.access() == Access.GATED) {
            if (token == null) {
                error(ex, 401, "GatedRepo", "Access to model " + id + " is restricted. You must have access to it "
                        + "and be authenticated to access it. Please log in.");
            } else {
                error(ex, 403, "GatedRepo", "Access to model " + id + " is restricted and you are not in the "
                        + "authorized list. Visit https://huggingface.co/" + id + " to ask for access.");
            }
            return null;
        }
        // unknown and private repositories look the same from outside
        error(ex, token == null ? 401 : 404, "RepoNotFound", "Repository not found");
        return null;
    }

    private static void error(HttpExchange ex, int status, String code, String message) throws IOException {
        if (code != null) {
            ex.getResponseHeaders().set("X-Error-Code", code);
        }
        ex.getResponseHeaders().set("X-Error-Message", message);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        send(ex, status, ("{\"error\":\"" + message.replace("\"", "'") + "\"}").getBytes(StandardCharsets.UTF_8));
    }

    private static void sendJson(HttpExchange ex, Object value) throws IOException {
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
        send(ex, 200, JSON.writeValueAsBytes(value));
    }

    /** An answer with {@code body}; to HEAD, its headers alone, with the length the body would have. */
    private static void send(HttpExchange ex, int status, byte[] body) throws IOException {
        if (ex.getRequestMethod().equals("HEAD")) {
            ex.getResponseHeaders().set("Content-Length", Integer.toString(body.length));
            ex.sendResponseHeaders(status, -1);
        } else {
            ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            ex.getResponseBody().write(body);
        }
    }

    // ---- the storage host

    private void handleStorage(HttpExchange ex) throws IOException {
        try (ex) {
            String range = ex.getRequestHeaders().getFirst("Range");
            String path = ex.getRequestURI().getRawPath();
            storageRequests.add(ex.getRequestMethod() + " " + path + (range == null ? "" : " Range: " + range));
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            if (auth != null) {
                storageAuthorizations.add(auth);
                byte[] body = ("<Error><Code>InvalidArgument</Code><Message>Only one auth mechanism allowed; only the "
                        + "X-Amz-Algorithm query parameter, Signature query string parameter or the Authorization "
                        + "header should be specified</Message></Error>").getBytes(StandardCharsets.UTF_8);
                ex.sendResponseHeaders(400, body.length);
                ex.getResponseBody().write(body);
                return;
            }
            String query = ex.getRequestURI().getRawQuery();
            Path source = path.startsWith("/blobs/") ? blobsBySha.get(path.substring(7)) : null;
            if (source == null || query == null || !query.contains("X-Amz-Signature=")) {
                ex.sendResponseHeaders(403, -1);
                return;
            }
            String file = repos.values().stream().flatMap(r -> r.files().entrySet().stream())
                    .filter(e -> e.getValue().equals(source)).map(Map.Entry::getKey).findFirst().orElseThrow();
            byte[] bytes = Files.readAllBytes(source);
            if (corrupt.contains(file)) {
                bytes[bytes.length / 2] ^= 0x5a;
            }
            long from = 0;
            if (range != null && !ignoreRange && range.startsWith("bytes=") && range.endsWith("-")) {
                from = Long.parseLong(range.substring(6, range.length() - 1));
                if (from >= bytes.length) {
                    ex.getResponseHeaders().set("Content-Range", "bytes */" + bytes.length);
                    ex.sendResponseHeaders(416, -1);
                    return;
                }
                ex.getResponseHeaders().set("Content-Range", "bytes " + from + "-" + (bytes.length - 1) + "/"
                        + bytes.length);
            }
            ex.getResponseHeaders().set("Accept-Ranges", "bytes");
            ex.getResponseHeaders().set("ETag", "\"" + path.substring(7) + "\"");
            long length = bytes.length - from;
            ex.sendResponseHeaders(from > 0 ? 206 : 200, length);
            OutputStream out = ex.getResponseBody();
            Long drop = dropAfter.remove(file);
            if (drop != null && drop < length) {
                out.write(bytes, (int) from, (int) (long) drop);
                out.flush();
                // a network failure mid-body: closing a fixed-length body before its end makes the JDK's server
                // close the connection, so the client sees the body end early
                return;
            }
            long rate = bytesPerSecond;
            if (rate <= 0) {
                out.write(bytes, (int) from, (int) length);
                return;
            }
            int chunk = (int) Math.max(1, rate / 20);
            for (long at = from; at < bytes.length; at += chunk) {
                out.write(bytes, (int) at, (int) Math.min(chunk, bytes.length - at));
                out.flush();
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static String gitBlobId(byte[] bytes) {
        MessageDigest sha1 = digest("SHA-1");
        sha1.update(("blob " + bytes.length + "\0").getBytes(StandardCharsets.US_ASCII));
        return hex(sha1.digest(bytes));
    }

    private static MessageDigest digest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
