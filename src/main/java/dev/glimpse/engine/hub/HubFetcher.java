package dev.glimpse.engine.hub;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Brings a model repository's snapshot from the Hugging Face Hub into the local Hub cache and gives its directory,
 * ready for the engine to load.
 *
 * <pre>{@code
 * HubFetcher hub = new HubFetcher(HubSettings.current());
 * Path dir = hub.locate(HubModelId.parse("zai-org/GLM-4.6V-Flash"), event -> System.err.println(event));
 * }</pre>
 *
 * <p>{@link #locate} uses a complete cached snapshot of the revision without any request (what loading a model
 * wants: no network on every start); {@link #pull} asks the Hub which commit the revision is at now and fetches what
 * is missing (what {@code glimpse pull} wants). Both work like huggingface_hub's {@code snapshot_download}: each
 * file's bytes are downloaded once into {@code blobs/<etag>.incomplete}, resumed with a Range request after a break
 * (in this run or a later one), checked against the Hub's content hash, then renamed to {@code blobs/<etag>}; the
 * snapshot's symlinks are made only when every file is there, so a half-fetched snapshot is never used. Files in
 * other weight formats ({@code *.bin}, {@code *.pt}, {@code *.gguf}, …) are skipped when the repository has
 * safetensors: the engine reads only those.
 */
public final class HubFetcher {

    /** Consecutive failed attempts, without a byte of progress between them, before a file's download gives up. */
    static final int MAX_ATTEMPTS = 5;
    static final long PROGRESS_INTERVAL_NANOS = 250_000_000L;
    private static final int BUFFER = 1 << 20;
    private static final Set<String> OTHER_WEIGHT_FORMATS = Set.of(".bin", ".pt", ".pth", ".ckpt", ".h5", ".msgpack",
            ".onnx", ".gguf", ".ot", ".tflite", ".mlmodel", ".pb");

    private final HubSettings settings;
    private final HubClient client;
    private final HubCache cache;
    private final FreeSpace freeSpace;
    private final Duration retryPause;

    /** A fetcher with these settings, the file system's free space, and a second between retries. */
    public HubFetcher(HubSettings settings) {
        this(settings, new HubClient(settings), FreeSpace.FILE_STORE, Duration.ofSeconds(1));
    }

    /**
     * A fetcher with its own HTTP client (it must not follow redirects), free-space probe and pause between retries.
     */
    public HubFetcher(HubSettings settings, HttpClient http, FreeSpace freeSpace, Duration retryPause) {
        this(settings, new HubClient(settings, http), freeSpace, retryPause);
    }

    private HubFetcher(HubSettings settings, HubClient client, FreeSpace freeSpace, Duration retryPause) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.client = client;
        this.cache = new HubCache(settings.cache());
        this.freeSpace = Objects.requireNonNull(freeSpace, "freeSpace");
        this.retryPause = Objects.requireNonNull(retryPause, "retryPause");
    }

    /** The settings in use. */
    public HubSettings settings() {
        return settings;
    }

    /** The complete cached snapshot of the id's revision, found without any request. */
    public Optional<Path> cached(HubModelId id) {
        return cache.completeSnapshot(id);
    }

    /**
     * The snapshot directory of the id's revision: the cached one when it is complete (no request at all), else
     * fetched as by {@link #pull}.
     *
     * @throws HubException naming the repository and the fix
     */
    public Path locate(HubModelId id, DownloadListener listener) {
        Optional<Path> cached = cached(id);
        if (cached.isPresent()) {
            String commit = cached.get().getFileName().toString();
            listener.on(new DownloadEvent.Finished(id, commit, cached.get(), 0, Duration.ZERO));
            return cached.get();
        }
        return pull(id, listener);
    }

    /**
     * Asks the Hub which commit the revision is at and downloads the files of that commit that are not cached
     * ({@code HF_HUB_OFFLINE}: uses the cache only).
     *
     * @throws HubException naming the repository and the fix
     */
    public Path pull(HubModelId id, DownloadListener listener) {
        Objects.requireNonNull(listener, "listener");
        if (settings.offline()) {
            Path snapshot = cached(id).orElseThrow(() -> HubErrors.offline(id, settings));
            listener.on(new DownloadEvent.Finished(id, snapshot.getFileName().toString(), snapshot, 0, Duration.ZERO));
            return snapshot;
        }
        long start = System.nanoTime();
        RepoRevision revision = client.revision(id);
        String commit = revision.commit();
        List<String> files = wanted(revision.files());
        List<FileMetadata> toLink = new ArrayList<>();
        List<FileMetadata> toDownload = new ArrayList<>();
        long bytes = 0;
        for (String file : files) {
            if (Files.exists(cache.pointer(id, commit, file))) {
                continue; // already in this snapshot (by us or huggingface_hub)
            }
            FileMetadata meta = client.metadata(id, commit, file);
            toLink.add(meta);
            if (!Files.isRegularFile(cache.blob(id, meta.etag()))) {
                toDownload.add(meta);
                bytes += meta.size() - partialLength(id, meta);
            }
        }
        checkFreeSpace(id, bytes);
        listener.on(new DownloadEvent.Planned(id, commit, files.size(), toDownload.size(), bytes));
        Transfer transfer = new Transfer(bytes, listener);
        for (FileMetadata meta : toDownload) {
            download(id, meta, transfer);
        }
        try {
            for (FileMetadata meta : toLink) {
                cache.link(id, commit, meta.file(), meta.etag());
            }
            Files.createDirectories(cache.snapshot(id, commit));
            cache.writeRef(id, commit);
        } catch (IOException e) {
            throw HubErrors.cache(id, cache.repoFolder(id), e);
        }
        Path snapshot = cache.snapshot(id, commit);
        listener.on(new DownloadEvent.Finished(id, commit, snapshot, transfer.done,
                Duration.ofNanos(System.nanoTime() - start)));
        return snapshot;
    }

    /** Every file, except weights in formats other than safetensors when the repository has safetensors. */
    static List<String> wanted(List<String> files) {
        boolean safetensors = files.stream().anyMatch(f -> f.endsWith(".safetensors"));
        if (!safetensors) {
            return files;
        }
        return files.stream().filter(f -> {
            int dot = f.lastIndexOf('.');
            return dot < 0 || !OTHER_WEIGHT_FORMATS.contains(f.substring(dot).toLowerCase(Locale.ROOT));
        }).toList();
    }

    private long partialLength(HubModelId id, FileMetadata meta) {
        try {
            Path part = cache.incomplete(id, meta.etag());
            long length = Files.isRegularFile(part) ? Files.size(part) : 0;
            return length <= meta.size() ? length : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private void checkFreeSpace(HubModelId id, long bytes) {
        if (bytes == 0) {
            return;
        }
        Path where = cache.repoFolder(id);
        long free;
        try {
            free = freeSpace.usableBytes(where);
        } catch (IOException e) {
            return; // unknown: the write itself reports a full disk
        }
        if (free < bytes) {
            throw HubErrors.diskFull(id, bytes, free, nearestExisting(where));
        }
    }

    private static Path nearestExisting(Path p) {
        Path q = p.toAbsolutePath();
        while (q.getParent() != null && !Files.exists(q)) {
            q = q.getParent();
        }
        return q;
    }

    /** Downloads one blob into {@code blobs/<etag>}, resuming its {@code .incomplete} file, checked. */
    private void download(HubModelId id, FileMetadata meta, Transfer transfer) {
        Path blob = cache.blob(id, meta.etag());
        Path part = cache.incomplete(id, meta.etag());
        try (BlobLock lock = BlobLock.acquire(cache.lockFile(id, meta.etag()))) {
            if (Files.isRegularFile(blob)) {
                return; // another process finished it while we waited
            }
            Files.createDirectories(part.getParent());
            if (Files.isRegularFile(part) && Files.size(part) > meta.size()) {
                Files.delete(part);
            }
            ContentCheck check = ContentCheck.forEtag(meta.etag(), meta.size());
            long have = hashExisting(part, check);
            transfer.on(new DownloadEvent.FileStarted(meta.file(), meta.size(), have));
            int failures = 0;
            while (have < meta.size()) {
                long before = have;
                try {
                    HubClient.Body body = client.open(id, meta, have);
                    if (body.startsAt() == 0 && have > 0) {
                        // the server ignored the Range: start the file over
                        transfer.restart(have);
                        check = ContentCheck.forEtag(meta.etag(), meta.size());
                        have = 0;
                        Files.write(part, new byte[0]);
                    }
                    have = append(id, meta, body.stream(), part, have, check, transfer);
                    if (have < meta.size()) {
                        throw new EOFException("the body ended at byte " + have);
                    }
                } catch (IOException | HubException e) {
                    if (e instanceof HubException h && h.reason() != HubException.Reason.NETWORK) {
                        throw h;
                    }
                    // what reached the disk before the break is what the check has seen
                    have = Files.isRegularFile(part) ? Files.size(part) : 0;
                    failures = have > before ? 1 : failures + 1;
                    if (failures >= MAX_ATTEMPTS) {
                        throw e instanceof HubException h ? h
                                : HubErrors.network(id, meta.location(), settings, (IOException) e);
                    }
                    transfer.on(new DownloadEvent.Retrying(meta.file(), have, failures, problem(e)));
                    pause();
                }
            }
            if (have != meta.size()) {
                Files.deleteIfExists(part);
                throw HubErrors.sizeMismatch(id, meta.file(), meta.size(), have);
            }
            String mismatch = check.mismatch();
            if (mismatch != null) {
                Files.deleteIfExists(part);
                throw HubErrors.checksum(id, meta.file(), check.algorithm(), meta.etag(), mismatch, settings);
            }
            HubCache.move(part, blob);
            transfer.fileDone(meta.file(), meta.size());
        } catch (IOException e) {
            throw HubErrors.cache(id, cache.repoFolder(id), e);
        }
    }

    /** Feeds the bytes of an earlier, interrupted download to the check; returns how many there are. */
    private static long hashExisting(Path part, ContentCheck check) throws IOException {
        if (!Files.isRegularFile(part)) {
            return 0;
        }
        long n = 0;
        byte[] buffer = new byte[BUFFER];
        try (InputStream in = Files.newInputStream(part)) {
            for (int r; (r = in.read(buffer)) > 0; ) {
                check.update(buffer, 0, r);
                n += r;
            }
        }
        return n;
    }

    /**
     * Appends the body to the partial file; returns the file's new length. Read failures propagate as IOException
     * (retried); write failures become {@link HubException}s (a full disk is not retried).
     */
    private long append(HubModelId id, FileMetadata meta, InputStream body, Path part, long have, ContentCheck check,
                        Transfer transfer) throws IOException {
        byte[] buffer = new byte[BUFFER];
        try (InputStream in = body;
             FileChannel out = openForAppend(id, meta, part)) {
            for (int r; (r = in.read(buffer)) > 0; ) {
                if (have + r > meta.size()) {
                    Files.deleteIfExists(part);
                    throw HubErrors.sizeMismatch(id, meta.file(), meta.size(), have + r);
                }
                try {
                    out.write(ByteBuffer.wrap(buffer, 0, r));
                } catch (IOException e) {
                    throw writeFailure(id, meta, part, e);
                }
                check.update(buffer, 0, r);
                have += r;
                transfer.advance(meta.file(), r);
            }
        }
        return have;
    }

    private FileChannel openForAppend(HubModelId id, FileMetadata meta, Path part) {
        try {
            return FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw writeFailure(id, meta, part, e);
        }
    }

    private HubException writeFailure(HubModelId id, FileMetadata meta, Path part, IOException e) {
        String message = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        return message.contains("no space left") || message.contains("disk quota")
                ? HubErrors.diskFullWhileWriting(id, meta.file(), part.getParent(), e)
                : HubErrors.cache(id, part.getParent(), e);
    }

    private static String problem(Exception e) {
        if (e instanceof HubException) {
            return e.getMessage();
        }
        return e instanceof EOFException ? "the connection closed early" : "the connection broke ("
                + e.getClass().getSimpleName() + ")";
    }

    private void pause() {
        try {
            Thread.sleep(retryPause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new HubException(HubException.Reason.NETWORK, "The download was interrupted; what was downloaded "
                    + "is kept and resumed on the next try.");
        }
    }

    /** The bytes of one {@link #pull}, its rate and the events about it, emitted at most every 250 ms. */
    private static final class Transfer {
        private long total;
        private final DownloadListener listener;
        private final TransferMeter meter = new TransferMeter();
        private long done;
        private long lastEvent;

        Transfer(long total, DownloadListener listener) {
            this.total = total;
            this.listener = listener;
            meter.record(System.nanoTime(), 0);
        }

        void on(DownloadEvent event) {
            listener.on(event);
        }

        void advance(String file, long n) {
            done += n;
            long now = System.nanoTime();
            meter.record(now, done);
            if (now - lastEvent >= PROGRESS_INTERVAL_NANOS) {
                lastEvent = now;
                emit(file);
            }
        }

        /** The server sent a file from its start again: its {@code n} bytes on disk are downloaded anew. */
        void restart(long n) {
            total += n;
        }

        void fileDone(String file, long size) {
            emit(file);
            listener.on(new DownloadEvent.FileDone(file, size));
        }

        private void emit(String file) {
            listener.on(new DownloadEvent.Progress(file, done, total, meter.bytesPerSecond(),
                    meter.timeLeft(total - done)));
        }
    }
}
