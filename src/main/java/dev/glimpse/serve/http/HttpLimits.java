package dev.glimpse.serve.http;

import java.time.Duration;
import java.util.Objects;

/**
 * What one client may hold of an {@link HttpFront}: how long a request may take to arrive, how many connections a
 * client address may keep open, and how large a request may be.
 *
 * @param requestTimeout           a request's head and body must arrive whole within this time of its first byte;
 *                                 a client that trickles is answered 408 and disconnected
 * @param idleTimeout              a kept-alive connection with no request in progress is closed after this
 * @param writeTimeout             a client that accepts no response bytes for this long is disconnected
 * @param maxConnections           open connections in all; a new one beyond them takes the place of the
 *                                 connection that has waited longest for its request to arrive (or is refused with
 *                                 503 when every connection is being answered)
 * @param maxConnectionsPerClient  open connections from one IP address; beyond them likewise, among that
 *                                 address's connections — so slow clients cannot lock out a health check
 * @param maxHeadBytes             the largest request line and headers
 * @param maxBodyBytes             the largest request body; a larger {@code Content-Length} is answered 413 before
 *                                 any of it is read
 * @param maxBodyBytesInFlight     request bodies held in memory at once; a request that would go beyond is
 *                                 answered 503 with {@code Retry-After} before its body is read
 */
public record HttpLimits(Duration requestTimeout, Duration idleTimeout, Duration writeTimeout, int maxConnections,
                         int maxConnectionsPerClient, int maxHeadBytes, long maxBodyBytes,
                         long maxBodyBytesInFlight) {

    /**
     * 30 s to send a request, 60 s idle, 60 s write stall; 512 connections, 32 per client; 16 KiB of headers,
     * 64 MiB bodies and at most a quarter of the heap in bodies at once.
     */
    public static final HttpLimits DEFAULT = new HttpLimits(Duration.ofSeconds(30), Duration.ofSeconds(60),
            Duration.ofSeconds(60), 512, 32, 16 * 1024, 64L << 20,
            Math.max(64L << 20, Runtime.getRuntime().maxMemory() / 4));

    public HttpLimits {
        Objects.requireNonNull(requestTimeout, "requestTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(writeTimeout, "writeTimeout");
        positive(requestTimeout, "requestTimeout");
        positive(idleTimeout, "idleTimeout");
        positive(writeTimeout, "writeTimeout");
        if (maxConnections < 1 || maxConnectionsPerClient < 1) {
            throw new IllegalArgumentException("connection bounds must be positive, were " + maxConnections + " and "
                    + maxConnectionsPerClient);
        }
        if (maxHeadBytes < 1024) {
            throw new IllegalArgumentException("maxHeadBytes must be at least 1024, was " + maxHeadBytes);
        }
        if (maxBodyBytes < 1 || maxBodyBytes > Integer.MAX_VALUE - 16 || maxBodyBytesInFlight < maxBodyBytes) {
            throw new IllegalArgumentException("maxBodyBytes must be 1 to 2 GiB and at most maxBodyBytesInFlight, were "
                    + maxBodyBytes + " and " + maxBodyBytesInFlight);
        }
    }

    private static void positive(Duration d, String name) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, was " + d);
        }
    }

    public HttpLimits withRequestTimeout(Duration d) {
        return new HttpLimits(d, idleTimeout, writeTimeout, maxConnections, maxConnectionsPerClient,
                maxHeadBytes, maxBodyBytes, maxBodyBytesInFlight);
    }

    public HttpLimits withMaxConnectionsPerClient(int n) {
        return new HttpLimits(requestTimeout, idleTimeout, writeTimeout, maxConnections, n,
                maxHeadBytes, maxBodyBytes, maxBodyBytesInFlight);
    }

    public HttpLimits withMaxBodyBytes(long bytes) {
        return new HttpLimits(requestTimeout, idleTimeout, writeTimeout, maxConnections, maxConnectionsPerClient,
                maxHeadBytes, bytes, Math.max(bytes, maxBodyBytesInFlight));
    }
}
