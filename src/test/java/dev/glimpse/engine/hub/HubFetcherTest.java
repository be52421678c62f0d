package dev.glimpse.engine.hub;

import dev.glimpse.engine.GenerationOptions;
import dev.glimpse.engine.Prompt;
import dev.glimpse.engine.glm4v.Glm4vModel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real download path against {@link HubStandIn}, a local stand-in for the Hub and its storage host serving the
 * bundled {@code models/glimpse-tiny}: its model files ({@code model.safetensors}, 19 MB, is the LFS file) and, for
 * a nested path and a file in another weight format, {@code eval/scenes.jsonl} and {@code training/helpers.pt}.
 */
class HubFetcherTest {

    static final Path GLIMPSE_TINY = Path.of("models", "glimpse-tiny");
    static final String REPO = "glimpse/glimpse-tiny";
    static final String WEIGHTS = "model.safetensors";
    static final String TOKEN = "hf_test_token_for_the_stand_in";

    @TempDir
    Path cache;

    HubStandIn hub;
    final List<DownloadEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startHub() throws IOException {
        hub = HubStandIn.start().serve(REPO, GLIMPSE_TINY, HubStandIn.Access.PUBLIC, null, HubFetcherTest::served)
                .knowToken(TOKEN);
    }

    @AfterEach
    void stopHub() {
        hub.close();
    }

    HubFetcher fetcher(String token, boolean offline, FreeSpace freeSpace) {
        HubSettings settings = new HubSettings(hub.endpoint(), token, cache, offline);
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
        return new HubFetcher(settings, http, freeSpace, Duration.ZERO);
    }

    HubFetcher fetcher() {
        return fetcher(TOKEN, false, FreeSpace.FILE_STORE);
    }

    @Test
    void aFreshDownloadLaysOutTheHubCacheAndTheEngineAnswersFromIt() throws Exception {
        Path snapshot = fetcher().pull(HubModelId.parse(REPO), events::add);

        String commit = hub.commit(REPO);
        Path repoFolder = cache.resolve("models--glimpse--glimpse-tiny");
        assertEquals(repoFolder.resolve("snapshots").resolve(commit), snapshot);
        assertEquals(commit, Files.readString(repoFolder.resolve("refs/main")));
        List<String> problems = new ArrayList<>();
        for (String file : servedFiles()) {
            Path original = GLIMPSE_TINY.resolve(file);
            {
                Path pointer = snapshot.resolve(file);
                String etag = hub.etag(REPO, file);
                if (!Files.isSymbolicLink(pointer)) {
                    problems.add(file + " is not a symlink");
                    continue;
                }
                Path target = Files.readSymbolicLink(pointer);
                if (target.isAbsolute() || !pointer.getParent().resolve(target).normalize()
                        .equals(repoFolder.resolve("blobs").resolve(etag))) {
                    problems.add(file + " -> " + target + " is not the relative link to blobs/" + etag);
                }
                if (!java.util.Arrays.equals(Files.readAllBytes(original), Files.readAllBytes(pointer))) {
                    problems.add(file + " differs from the original");
                }
            }
        }
        assertEquals(List.of(), problems);
        assertEquals(hub.etag(REPO, WEIGHTS), sha256(repoFolder.resolve("blobs").resolve(hub.etag(REPO, WEIGHTS))));
        try (Stream<Path> blobs = Files.list(repoFolder.resolve("blobs"))) {
            assertTrue(blobs.noneMatch(p -> p.toString().endsWith(".incomplete")), "no partial files are left");
        }

        // the token went to the Hub, never to the storage host, which got exactly one request for the weights
        assertEquals(List.of(), hub.storageAuthorizations());
        assertTrue(hub.hubAuthorizations().stream().allMatch(("Bearer " + TOKEN)::equals));
        assertFalse(hub.hubAuthorizations().isEmpty());
        assertEquals(1, hub.storageRequests().size(), hub.storageRequests().toString());

        // training/helpers.pt is a PyTorch file: skipped, since the repository has safetensors
        assertFalse(Files.exists(snapshot.resolve("training/helpers.pt"), java.nio.file.LinkOption.NOFOLLOW_LINKS));
        DownloadEvent.Planned planned = only(DownloadEvent.Planned.class);
        assertEquals(9, planned.files());
        long total = servedBytes();
        assertEquals(total, planned.bytesToDownload());
        DownloadEvent.Finished finished = only(DownloadEvent.Finished.class);
        assertEquals(total, finished.downloadedBytes());
        DownloadEvent last = events.get(events.size() - 1);
        assertEquals(finished, last);

        try (Glm4vModel model = Glm4vModel.load(snapshot)) {
            String answer = model.generate(Prompt.of("Hello"), GenerationOptions.DEFAULT.withMaxNewTokens(4)).text();
            assertFalse(model.info().source().isEmpty());
            assertTrue(answer != null);
        }
    }

    @Test
    void aSecondLookUpUsesTheCacheWithoutAnyRequest() {
        HubModelId id = HubModelId.parse(REPO);
        Path first = fetcher().pull(id, DownloadListener.NONE);
        int requests = hub.requestCount();

        assertEquals(first, fetcher().locate(id, events::add));
        assertEquals(first, fetcher().locate(HubModelId.parse(REPO + "@" + hub.commit(REPO)), events::add));
        assertEquals(first, fetcher(null, true, FreeSpace.FILE_STORE).pull(id, events::add), "offline: the cache");
        assertEquals(requests, hub.requestCount(), "no request once the snapshot is cached");

        // pull asks which commit main is at, but downloads nothing
        fetcher().pull(id, events::add);
        assertEquals(0, events.stream().filter(DownloadEvent.Planned.class::isInstance)
                .map(DownloadEvent.Planned.class::cast).mapToLong(DownloadEvent.Planned::bytesToDownload).sum());
        assertEquals(1, hub.requestCount() - requests, "one API call: " + hub.hubRequests());
    }

    @Test
    void aConnectionDroppedMidFileIsResumedWithARangeRequest() throws Exception {
        hub.dropConnectionAfter(WEIGHTS, 5_000_000);
        Path snapshot = fetcher().pull(HubModelId.parse(REPO), events::add);

        assertArrayEquals(Files.readAllBytes(GLIMPSE_TINY.resolve(WEIGHTS)), Files.readAllBytes(snapshot.resolve(WEIGHTS)));
        List<String> storage = hub.storageRequests();
        assertEquals(2, storage.size(), storage.toString());
        // resumed from what reached the disk: the bytes the server wrote, less any lost in flight with the break
        DownloadEvent.Retrying retry = only(DownloadEvent.Retrying.class);
        assertEquals(new DownloadEvent.Retrying(WEIGHTS, retry.at(), 1, "the connection broke (IOException)"), retry);
        assertTrue(retry.at() > 4_000_000 && retry.at() <= 5_000_000, retry.toString());
        assertTrue(storage.get(1).endsWith("Range: bytes=" + retry.at() + "-"), storage.toString());
    }

    @Test
    void aPartialFileLeftByAnEarlierRunIsResumedNotRestarted() throws Exception {
        HubModelId id = HubModelId.parse(REPO);
        byte[] weights = Files.readAllBytes(GLIMPSE_TINY.resolve(WEIGHTS));
        Path part = leavePartialWeights(weights, 3_000_000);

        Path snapshot = fetcher().pull(id, events::add);

        assertArrayEquals(weights, Files.readAllBytes(snapshot.resolve(WEIGHTS)));
        assertEquals(List.of("GET /blobs/" + hub.etag(REPO, WEIGHTS) + " Range: bytes=3000000-"), hub.storageRequests());
        assertTrue(events.contains(new DownloadEvent.FileStarted(WEIGHTS, weights.length, 3_000_000)), events.toString());
        assertFalse(Files.exists(part));
    }

    @Test
    void aStorageHostThatIgnoresTheRangeGetsTheWholeFileAgain() throws Exception {
        HubModelId id = HubModelId.parse(REPO);
        byte[] weights = Files.readAllBytes(GLIMPSE_TINY.resolve(WEIGHTS));
        leavePartialWeights(weights, 3_000_000);
        hub.ignoreRange();

        assertArrayEquals(weights, Files.readAllBytes(fetcher().pull(id, events::add).resolve(WEIGHTS)));
    }

    /** The first {@code bytes} of the weights where an interrupted earlier run leaves them in the cache. */
    private Path leavePartialWeights(byte[] weights, int bytes) throws IOException {
        Path part = cache.resolve("models--glimpse--glimpse-tiny/blobs/" + hub.etag(REPO, WEIGHTS) + ".incomplete");
        Files.createDirectories(part.getParent());
        return Files.write(part, java.util.Arrays.copyOf(weights, bytes));
    }

    @Test
    void aCorruptDownloadIsDeletedAndNothingEntersTheSnapshot() throws Exception {
        hub.corrupt(WEIGHTS);
        HubException e = assertThrows(HubException.class, () -> fetcher().pull(HubModelId.parse(REPO), events::add));

        assertEquals(HubException.Reason.CHECKSUM_MISMATCH, e.reason());
        assertTrue(e.getMessage().startsWith("The download of model.safetensors from glimpse/glimpse-tiny is corrupt: "
                + "its sha256 is "), e.getMessage());
        assertTrue(e.getMessage().contains("but the Hub published " + hub.etag(REPO, WEIGHTS) + ". The bad file was "
                + "deleted"), e.getMessage());
        Path repoFolder = cache.resolve("models--glimpse--glimpse-tiny");
        try (Stream<Path> blobs = Files.list(repoFolder.resolve("blobs"))) {
            assertTrue(blobs.noneMatch(p -> p.getFileName().toString().startsWith(hub.etag(REPO, WEIGHTS))));
        }
        assertFalse(Files.exists(repoFolder.resolve("snapshots")), "no snapshot, not even a partial one");
        assertFalse(Files.exists(repoFolder.resolve("refs/main")));
        assertTrue(fetcher().cached(HubModelId.parse(REPO)).isEmpty());
    }

    @Test
    void notEnoughDiskSpaceStopsBeforeAnyDownload() throws IOException {
        HubException e = assertThrows(HubException.class, () -> fetcher(TOKEN, false, dir -> 1_000_000)
                .pull(HubModelId.parse(REPO), events::add));

        assertEquals(HubException.Reason.DISK_FULL, e.reason());
        assertTrue(e.getMessage().startsWith("glimpse/glimpse-tiny needs " + HubErrors.bytes(servedBytes())
                + " more on disk, but "), e.getMessage());
        assertTrue(e.getMessage().endsWith(" has 1.0 MB free. Free some space, or set HF_HUB_CACHE to a directory "
                + "on a disk with room (downloads resume where they stopped)."), e.getMessage());
        assertEquals(List.of(), hub.storageRequests());
        assertTrue(events.isEmpty());
    }

    @Test
    void offlineWithoutTheModelInTheCacheSaysHowToGetIt() {
        HubException e = assertThrows(HubException.class, () -> fetcher(null, true, FreeSpace.FILE_STORE)
                .locate(HubModelId.parse(REPO), events::add));

        assertEquals(HubException.Reason.OFFLINE_NOT_CACHED, e.reason());
        assertEquals("HF_HUB_OFFLINE is set, and glimpse/glimpse-tiny is not in the cache " + cache + " (no complete "
                + "snapshot recorded for 'main'). Fetch it once with network access (unset HF_HUB_OFFLINE; `glimpse "
                + "pull glimpse/glimpse-tiny`), or point HF_HUB_CACHE at a cache that has it.", e.getMessage());
        assertEquals(0, hub.requestCount());
    }

    @Test
    void privateGatedAndUnknownRepositoriesSayWhatToDo() throws IOException {
        hub.serve("acme/private", GLIMPSE_TINY, HubStandIn.Access.PRIVATE, "hf_owner", "config.json"::equals);
        hub.serve("acme/gated", GLIMPSE_TINY, HubStandIn.Access.GATED, "hf_accepted", "config.json"::equals);
        String tokens = hub.endpoint() + "/settings/tokens";

        HubException privateRepo = fail(null, "acme/private");
        assertEquals(HubException.Reason.ACCESS_DENIED, privateRepo.reason());
        assertEquals("acme/private was not found on " + hub.endpoint() + " (the Hub says: Repository not found). "
                + "Check the name (namespace/name, e.g. zai-org/GLM-4.6V-Flash); if it is private or gated, set "
                + "HF_TOKEN to a read token from " + tokens + ".", privateRepo.getMessage());

        HubException gated = fail(null, "acme/gated");
        assertEquals(HubException.Reason.ACCESS_DENIED, gated.reason());
        assertTrue(gated.getMessage().startsWith("acme/gated is a gated model (the Hub says: Access to model "
                + "acme/gated is restricted."), gated.getMessage());
        assertTrue(gated.getMessage().endsWith("Open " + hub.endpoint() + "/acme/gated, log in and accept its "
                + "conditions, then create a read token at " + tokens + " and set HF_TOKEN to it (or run `hf auth "
                + "login`)."), gated.getMessage());

        HubException notAccepted = fail(TOKEN, "acme/gated");
        assertEquals(HubException.Reason.ACCESS_DENIED, notAccepted.reason());
        assertTrue(notAccepted.getMessage().endsWith("The token in use has no access to it yet: open " + hub.endpoint()
                + "/acme/gated while logged in as the token's owner and accept the conditions (and give a "
                + "fine-grained token read access to it)."), notAccepted.getMessage());

        HubException badToken = fail("hf_revoked", REPO);
        assertEquals("The Hub rejected the access token (HF_TOKEN or the token file) while fetching "
                + "glimpse/glimpse-tiny (the Hub says: Invalid credentials in Authorization header): it is wrong or "
                + "expired. Create a new one at " + tokens + " and set HF_TOKEN to it.", badToken.getMessage());

        HubException unknown = fail(TOKEN, "acme/no-such-model");
        assertEquals(HubException.Reason.NOT_FOUND, unknown.reason());
        assertTrue(unknown.getMessage().startsWith("acme/no-such-model was not found on "), unknown.getMessage());

        HubException revision = fail(TOKEN, REPO + "@v9");
        assertEquals(HubException.Reason.NOT_FOUND, revision.reason());
        assertEquals("glimpse/glimpse-tiny has no revision 'v9' on " + hub.endpoint() + " (the Hub says: Invalid rev "
                + "id: v9). Give a branch, tag or commit it has after the @ (see " + hub.endpoint()
                + "/glimpse/glimpse-tiny/tree/main), or leave out @v9 for main.", revision.getMessage());

        // the owner's token reads the private repository
        Path snapshot = fetcher("hf_owner", false, FreeSpace.FILE_STORE).pull(HubModelId.parse("acme/private"),
                DownloadListener.NONE);
        assertTrue(Files.isRegularFile(snapshot.resolve("config.json")));
        assertEquals(List.of(), hub.storageAuthorizations());
    }

    @Test
    void aHubThatCannotBeReachedSaysSoAndNamesTheMirror() throws IOException {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        HubSettings settings = new HubSettings(URI.create("http://127.0.0.1:" + closed), null, cache, false);
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
        HubException e = assertThrows(HubException.class, () -> new HubFetcher(settings, http, FreeSpace.FILE_STORE,
                Duration.ZERO).pull(HubModelId.parse(REPO), events::add));

        assertEquals(HubException.Reason.NETWORK, e.reason());
        assertEquals("Fetching glimpse/glimpse-tiny: cannot connect to 127.0.0.1:" + closed + ". Check the network "
                + "connection and proxy; where huggingface.co is blocked, use a mirror: "
                + "HF_ENDPOINT=https://hf-mirror.com. Downloaded parts are kept and resumed on the next try; a model "
                + "already in the cache loads with HF_HUB_OFFLINE=1.", e.getMessage());
    }

    @Test
    void anHttpClientThatFollowsRedirectsIsRefused() {
        HttpClient following = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        HubSettings settings = new HubSettings(hub.endpoint(), TOKEN, cache, false);
        assertThrows(IllegalArgumentException.class, () -> new HubFetcher(settings, following, FreeSpace.FILE_STORE,
                Duration.ZERO));
    }

    @Test
    void progressReportsBytesRateAndTimeLeft() {
        fetcher().pull(HubModelId.parse(REPO), events::add);
        List<DownloadEvent.Progress> progress = events.stream().filter(DownloadEvent.Progress.class::isInstance)
                .map(DownloadEvent.Progress.class::cast).toList();
        assertFalse(progress.isEmpty());
        DownloadEvent.Progress last = progress.get(progress.size() - 1);
        assertEquals(last.total(), last.done());
        for (int i = 1; i < progress.size(); i++) {
            assertTrue(progress.get(i).done() >= progress.get(i - 1).done(), "progress never goes back");
        }
        assertTrue(progress.stream().anyMatch(p -> p.bytesPerSecond() > 0 && p.left().isPresent()), progress.toString());
    }

    /** The files of glimpse-tiny the stand-in serves: the model's, and two in subdirectories. */
    static boolean served(String file) {
        return !file.contains("/") || file.equals("eval/scenes.jsonl") || file.equals("training/helpers.pt");
    }

    /** The files of glimpse-tiny a fetch takes: those served but training/helpers.pt. */
    static List<String> servedFiles() throws IOException {
        try (Stream<Path> files = Files.walk(GLIMPSE_TINY)) {
            return HubFetcher.wanted(files.filter(Files::isRegularFile)
                    .map(p -> GLIMPSE_TINY.relativize(p).toString()).filter(HubFetcherTest::served).sorted().toList());
        }
    }

    static long servedBytes() throws IOException {
        long total = 0;
        for (String f : servedFiles()) {
            total += Files.size(GLIMPSE_TINY.resolve(f));
        }
        return total;
    }

    private HubException fail(String token, String id) {
        return assertThrows(HubException.class, () -> fetcher(token, false, FreeSpace.FILE_STORE)
                .pull(HubModelId.parse(id), DownloadListener.NONE));
    }

    private <T extends DownloadEvent> T only(Class<T> type) {
        List<T> found = events.stream().filter(type::isInstance).map(type::cast).toList();
        assertEquals(1, found.size(), type.getSimpleName() + " in " + events);
        return found.get(0);
    }

    static String sha256(Path file) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            d.update(in.readAllBytes());
        }
        return HexFormat.of().formatHex(d.digest());
    }
}
