package dev.glimpse.engine.hub;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** What a {@link HubFetcher} reports while it brings a snapshot into the cache, in order. */
public sealed interface DownloadEvent {

    /**
     * The revision is resolved and the work is known: emitted once, before any byte is downloaded.
     *
     * @param commit          the commit the revision points at
     * @param files           files in the snapshot
     * @param filesToDownload files not yet in the cache
     * @param bytesToDownload bytes still to download (a resumed file counts only its missing part)
     */
    record Planned(HubModelId id, String commit, int files, int filesToDownload, long bytesToDownload)
            implements DownloadEvent {
    }

    /**
     * A file's download starts.
     *
     * @param resumedFrom bytes already on disk from an interrupted download, asked for with a Range request
     */
    record FileStarted(String file, long size, long resumedFrom) implements DownloadEvent {
    }

    /**
     * Bytes arrived. Emitted at most a few times a second, and when a file is complete.
     *
     * @param file           the file being downloaded
     * @param done           bytes of the whole plan downloaded so far (this run)
     * @param total          bytes of the whole plan ({@link Planned#bytesToDownload()})
     * @param bytesPerSecond the recent rate
     * @param left           the time left at that rate, when there is a rate
     */
    record Progress(String file, long done, long total, double bytesPerSecond, Optional<Duration> left)
            implements DownloadEvent {
    }

    /** The connection broke; the download continues from {@code at} bytes with a Range request. */
    record Retrying(String file, long at, int attempt, String problem) implements DownloadEvent {
    }

    /** A file was downloaded, its checksum checked, and it is in the cache. */
    record FileDone(String file, long size) implements DownloadEvent {
    }

    /**
     * The snapshot is complete.
     *
     * @param downloadedBytes bytes downloaded in this run (0 when everything was cached)
     */
    record Finished(HubModelId id, String commit, Path snapshot, long downloadedBytes, Duration elapsed)
            implements DownloadEvent {
    }
}
