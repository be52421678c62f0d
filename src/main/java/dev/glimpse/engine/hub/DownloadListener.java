package dev.glimpse.engine.hub;

/** Receives a {@link HubFetcher}'s events on the downloading thread; it should return quickly. */
@FunctionalInterface
public interface DownloadListener {

    /** Ignores everything. */
    DownloadListener NONE = event -> { };

    void on(DownloadEvent event);
}
