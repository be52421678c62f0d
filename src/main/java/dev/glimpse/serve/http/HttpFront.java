package dev.glimpse.serve.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * A small HTTP/1.1 server for clients that may be slow or hostile, running the JDK's {@link HttpHandler}s.
 *
 * <p>Why not the JDK's own {@code HttpServer}: it hands a connection to a pool thread as soon as its first byte
 * arrives and reads the headers and body there, blocking. Forty clients that send a byte a second hold forty pool
 * threads, and every other request — health checks included — waits behind them; its system properties
 * ({@code sun.net.httpserver.maxReqTime} and the like) only close such a connection after the fact, and it offers
 * no bound per client address. Here one selector thread reads every request without blocking, under a deadline
 * for the whole request ({@link HttpLimits#requestTimeout()}), and hands a handler only a request that has fully
 * arrived; connections are bounded in all and per client address, with a reserve that only {@code GET /health}
 * may use. While a handler works, the selector keeps watching its connection, so a client that hangs up is
 * noticed at once ({@link #clientGone(HttpExchange)}), not at the next write.
 *
 * <p>Handlers are routed by path prefix, longest first, as {@code HttpServer} contexts are. Each route runs on
 * the executor it names; the caller owns the executors.
 */
public final class HttpFront implements AutoCloseable {

    /** The path the reserved connections may ask for. */
    public static final String HEALTH_PATH = "/health";

    private static final System.Logger LOG = System.getLogger(HttpFront.class.getName());
    private static final long TICK_MILLIS = 100;

    private record Route(String prefix, HttpHandler handler, ExecutorService executor) {
    }

    private final ServerSocketChannel listener;
    private final Selector selector;
    private final HttpLimits limits;
    private final List<Route> routes = new ArrayList<>();
    private final Set<FrontConnection> connections = new HashSet<>();
    private final Map<InetAddress, Integer> perClient = new HashMap<>();
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicLong bodyBytesInFlight = new AtomicLong();
    private final Thread thread;
    private int reserved;
    private volatile boolean closed;

    private HttpFront(ServerSocketChannel listener, Selector selector, HttpLimits limits) {
        this.listener = listener;
        this.selector = selector;
        this.limits = limits;
        this.thread = new Thread(this::run, "glimpse-serve-front");
        thread.setDaemon(true);
    }

    /**
     * Listens on the address; call {@link #route} for each path, then {@link #start()}.
     *
     * @throws java.net.BindException when the port is taken or the address is not this machine's
     */
    public static HttpFront open(InetSocketAddress address, HttpLimits limits) throws IOException {
        ServerSocketChannel listener = ServerSocketChannel.open();
        try {
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            listener.bind(address, 128);
            listener.configureBlocking(false);
            Selector selector = Selector.open();
            listener.register(selector, SelectionKey.OP_ACCEPT);
            return new HttpFront(listener, selector, limits);
        } catch (IOException | RuntimeException e) {
            listener.close();
            throw e;
        }
    }

    /** Sends requests whose path starts with {@code prefix} to {@code handler}, run on {@code executor}. */
    public synchronized void route(String prefix, HttpHandler handler, ExecutorService executor) {
        if (thread.isAlive()) {
            throw new IllegalStateException("routes are fixed once the server has started");
        }
        routes.add(new Route(prefix, handler, executor));
        routes.sort((a, b) -> b.prefix().length() - a.prefix().length());
    }

    /** Starts accepting connections. */
    public synchronized void start() {
        thread.start();
    }

    /** The address listened on (with the chosen port when opened with port 0). */
    public InetSocketAddress address() {
        try {
            return (InetSocketAddress) listener.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("the server is closed", e);
        }
    }

    /**
     * Whether the client of an exchange this server dispatched has hung up (or the server is closing). Handlers
     * pass it on as a cancellation check; for other exchanges it is always false.
     */
    public static BooleanSupplier clientGone(HttpExchange exchange) {
        return exchange instanceof FrontExchange e ? e.connection()::isGone : () -> false;
    }

    /** Stops accepting and closes every connection; handlers still running see their writes fail. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        selector.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    HttpLimits limits() {
        return limits;
    }

    /** Runs {@code task} on the selector thread. */
    void post(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    boolean reserveBody(long bytes) {
        while (true) {
            long now = bodyBytesInFlight.get();
            if (now + bytes > limits.maxBodyBytesInFlight()) {
                return false;
            }
            if (bodyBytesInFlight.compareAndSet(now, now + bytes)) {
                return true;
            }
        }
    }

    void releaseBody(long bytes) {
        bodyBytesInFlight.addAndGet(-bytes);
    }

    /** Hands a request that has fully arrived to its route's handler; false when there is none or no thread. */
    void dispatch(FrontExchange exchange) {
        String path = exchange.getRequestURI().getPath();
        Route route = null;
        for (Route r : routes) {
            if (path != null && path.startsWith(r.prefix())) {
                route = r;
                break;
            }
        }
        if (route == null) {
            exchange.connection().refuse(404, "No route for this path.");
            return;
        }
        HttpHandler handler = route.handler();
        exchange.context(new FrontContext(route.prefix(), handler));
        try {
            route.executor().execute(() -> {
                try {
                    handler.handle(exchange);
                } catch (IOException e) {
                    exchange.connection().close();
                } catch (RuntimeException | Error e) {
                    LOG.log(System.Logger.Level.ERROR, "handler for " + path + " failed", e);
                    exchange.connection().close();
                } finally {
                    exchange.close();
                }
            });
        } catch (RejectedExecutionException e) {
            exchange.connection().refuse(503, "The server is shutting down.");
        }
    }

    void closed(FrontConnection c) {
        if (!connections.remove(c)) {
            return;
        }
        if (c.reserve()) {
            reserved--;
        } else {
            perClient.computeIfPresent(c.client(), (k, n) -> n > 1 ? n - 1 : null);
        }
    }

    private void run() {
        try {
            while (!closed) {
                selector.select(TICK_MILLIS);
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                for (SelectionKey key : selector.selectedKeys()) {
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        accept();
                    } else if (key.isReadable()) {
                        ((FrontConnection) key.attachment()).readable();
                    }
                }
                selector.selectedKeys().clear();
                long now = System.nanoTime();
                for (FrontConnection c : List.copyOf(connections)) {
                    c.tick(now);
                }
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "the HTTP server's selector failed", e);
        } finally {
            for (FrontConnection c : List.copyOf(connections)) {
                c.close();
            }
            try {
                selector.close();
                listener.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    private void accept() throws IOException {
        SocketChannel ch;
        while ((ch = listener.accept()) != null) {
            InetAddress client = ((InetSocketAddress) ch.getRemoteAddress()).getAddress();
            int fromClient = perClient.getOrDefault(client, 0);
            int ordinary = connections.size() - reserved;
            boolean reserve;
            if (fromClient < limits.maxConnectionsPerClient() && ordinary < limits.maxConnections()) {
                reserve = false;
                perClient.put(client, fromClient + 1);
            } else if (reserved < limits.reservedConnections()) {
                reserve = true;
                reserved++;
            } else {
                FrontConnection.refuseAtAccept(ch, fromClient >= limits.maxConnectionsPerClient()
                        ? "This client has " + fromClient + " connections open, the most allowed; reuse them."
                        : "The server has the most connections it accepts open; retry shortly.");
                continue;
            }
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            FrontConnection c = new FrontConnection(this, ch, client, reserve);
            connections.add(c);
            c.register(selector);
        }
    }
}
