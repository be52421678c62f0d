package dev.glimpse.engine.hub;

/**
 * Fetching from the Hub failed. The message names the repository and the fix; {@link #reason()} says which kind of
 * failure it was, for callers that react differently (exit codes, retries).
 */
public final class HubException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Reason {
        /** 401/403: a private or gated repository, or a rejected token. */
        ACCESS_DENIED,
        /** 404: no such repository, revision or file. */
        NOT_FOUND,
        /** No connection to the Hub or the storage host, or the transfer kept breaking. */
        NETWORK,
        /** Not enough free disk space for the files, or the disk filled up while writing. */
        DISK_FULL,
        /** A downloaded file does not have the checksum the Hub published; it was deleted. */
        CHECKSUM_MISMATCH,
        /** {@code HF_HUB_OFFLINE} is set and the revision is not in the cache. */
        OFFLINE_NOT_CACHED,
        /** The server answered, but not as the Hub does (an error status, a proxy's page, missing headers). */
        BAD_RESPONSE,
        /** The cache could not be read or written (permissions, a broken file system). */
        CACHE
    }

    private final Reason reason;

    HubException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    HubException(Reason reason, String message) {
        this(reason, message, null);
    }

    /** Which kind of failure this is. */
    public Reason reason() {
        return reason;
    }
}
