package dev.glimpse.serve;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@link ServedModel} in a JVM of its own, for what must not happen to the test's JVM: a small heap run out. The
 * child serves tiny-a with the default options, or with the pixel limits it is given, says its limits and port, and
 * stops when its standard input closes.
 */
public final class ForkedServer implements AutoCloseable {

    private static final String PORT_LINE = "serving on port ";
    private static final String DEFAULT_LIMITS = "default";

    private final Process child;
    private final StringBuffer output = new StringBuffer();
    private final int port;

    private ForkedServer(Process child) throws IOException {
        this.child = child;
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread drain = new Thread(() -> drain(child.getInputStream(), port), "forked-server-output");
        drain.setDaemon(true);
        drain.start();
        try {
            this.port = port.get(2, TimeUnit.MINUTES);
        } catch (ExecutionException | TimeoutException e) {
            close();
            throw new IllegalStateException("the server JVM did not start:\n" + output, e);
        } catch (InterruptedException e) {
            close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Starts a JVM with {@code -Xmx<maxHeap>} (e.g. {@code 384m}) on this class path, serving with the default
     * limits, which that heap decides ({@link RequestLimits#forHeap}); returns once it serves.
     */
    static ForkedServer start(String maxHeap) throws IOException {
        return start(maxHeap, DEFAULT_LIMITS);
    }

    /**
     * Starts a JVM with {@code -Xmx<maxHeap>} on this class path, serving with {@code maxPixels} as both
     * {@link RequestLimits#maxPixels()} and {@link RequestLimits#maxPixelsInFlight()}; returns once it serves.
     */
    static ForkedServer start(String maxHeap, long maxPixels) throws IOException {
        return start(maxHeap, Long.toString(maxPixels));
    }

    private static ForkedServer start(String maxHeap, String limits) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ForkedServer(new ProcessBuilder(java, "-Xmx" + maxHeap, "-cp",
                System.getProperty("java.class.path"), ForkedServer.class.getName(), limits)
                .redirectErrorStream(true)
                .start());
    }

    // the child's output into `output`, the port once it is said
    private void drain(InputStream in, CompletableFuture<Integer> port) {
        StringBuilder line = new StringBuilder();
        try {
            int c;
            while ((c = in.read()) >= 0) {
                output.append((char) c);
                if (c != '\n') {
                    line.append((char) c);
                    continue;
                }
                if (line.toString().startsWith(PORT_LINE)) {
                    port.complete(Integer.parseInt(line.substring(PORT_LINE.length()).strip()));
                }
                line.setLength(0);
            }
        } catch (IOException e) {
            // the child is gone
        }
        port.completeExceptionally(new IllegalStateException("the server JVM ended"));
    }

    int port() {
        return port;
    }

    /** {@code path} on the server, e.g. {@code /health}. */
    URI url(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** Whether the server JVM still runs. */
    boolean alive() {
        return child.isAlive();
    }

    /** What the server JVM printed so far (its log), for failure messages. */
    String output() {
        return output.toString();
    }

    /** Closes the child's standard input, which stops it; kills it if it is still there after 30 s. */
    @Override
    public void close() {
        try {
            child.getOutputStream().close();
            if (!child.waitFor(30, TimeUnit.SECONDS)) {
                child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            child.destroyForcibly();
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            child.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** The child: serves until its standard input ends. {@code args}: the pixel limit, or {@code default}. */
    public static void main(String[] args) throws IOException {
        RequestLimits limits = args[0].equals(DEFAULT_LIMITS) ? RequestLimits.DEFAULT
                : RequestLimits.DEFAULT.withMaxPixels(Long.parseLong(args[0]))
                .withMaxPixelsInFlight(Long.parseLong(args[0]));
        try (ServedModel served = ServedModel.tinyA(options -> options.withLimits(limits)).start()) {
            System.out.println("limits: " + limits.summary());
            System.out.println(PORT_LINE + served.port());
            System.out.flush();
            while (System.in.read() >= 0) {
                // wait for the parent to close our input
            }
        }
        System.out.println("stopped");
    }
}
