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
 * arrived. Connections are bounded in all and per client address; at a bound, the connection that has waited
 * longest for its request to arrive makes way for the new one, so trickling clients cannot lock out a health check
 * even from their own address (and a route may run on threads of its own, so a busy pool does not hold it up
 * either). While a handler works, the selector keeps watching its connection, so a client that hangs up is
 * noticed at once ({@link #clientGone(HttpExchange)}), not at the next write.
 *
 * <p>Handlers are routed by path prefix, longest first, as {@code HttpServer} contexts are. Each route runs on
 * the executor it names; the caller owns the executors.
 */
public final class HttpFront implements AutoCloseable {

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
        perClient.computeIfPresent(c.client(), (k, n) -> n > 1 ? n - 1 : null);
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

    // closes the connection (of `client`, or any) that has waited longest for a request; false when none waits
    private boolean makeWay(InetAddress client, String reason) {
        FrontConnection oldest = null;
        for (FrontConnection c : connections) {
            if (c.waiting() && (client == null || c.client().equals(client))
                    && (oldest == null || c.waitingSince() - oldest.waitingSince() < 0)) {
                oldest = c;
            }
        }
        if (oldest == null) {
            return false;
        }
        oldest.refuse(503, reason);
        return true;
    }

    boolean onSelectorThread() {
        return Thread.currentThread() == thread;
    }

    private void accept() throws IOException {
        SocketChannel ch;
        while ((ch = listener.accept()) != null) {
            InetAddress client = ((InetSocketAddress) ch.getRemoteAddress()).getAddress();
            if (perClient.getOrDefault(client, 0) >= limits.maxConnectionsPerClient()
                    && !makeWay(client, "This client address has " + limits.maxConnectionsPerClient()
                    + " connections open, the most allowed, and this one waited longest for its request.")) {
                FrontConnection.refuseAtAccept(ch, "This client address has " + limits.maxConnectionsPerClient()
                        + " connections open, the most allowed, all being answered; reuse them.");
                continue;
            }
            if (connections.size() >= limits.maxConnections() && !makeWay(null, "The server has the most "
                    + "connections it accepts open, and this one waited longest for its request.")) {
                FrontConnection.refuseAtAccept(ch, "The server has the most connections it accepts open, all being "
                        + "answered; retry shortly.");
                continue;
            }
            perClient.merge(client, 1, Integer::sum);
            ch.configureBlocking(false);
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            FrontConnection c = new FrontConnection(this, ch, client);
            connections.add(c);
            c.register(selector);
        }
    }
}
