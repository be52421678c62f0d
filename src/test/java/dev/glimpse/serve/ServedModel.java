package dev.glimpse.serve;

import dev.glimpse.engine.VisionLanguageModel;
import dev.glimpse.engine.remote.OpenAiCompatibleModel;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The server tests' harness: a model served on a free port of 127.0.0.1, with the calls the tests make to it —
 * HTTP through the JDK client, the remote client, and raw sockets for what no client library sends (a request a
 * byte at a time, a hang-up mid-answer, a kept-alive connection). Every request the server finishes goes to
 * {@link #log()}.
 *
 * <p>A test class registers one as a static field; it starts before the class's tests and stops (server first,
 * then the model) after them:
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ServedModel SERVED = ServedModel.tinyA(options -> options.withApiKey(KEY));
 * }</pre>
 *
 * <p>Or, for one test, {@code try (ServedModel s = ServedModel.tinyA(o -> o).start()) {...}}. {@link ForkedServer}
 * runs one in a JVM of its own.
 */
final class ServedModel implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

    private final Supplier<? extends VisionLanguageModel> load;
    private final boolean ownsModel;
    private final UnaryOperator<ServeOptions> configure;
    private final BlockingQueue<RequestRecord> log = new LinkedBlockingQueue<>();
    private VisionLanguageModel model;
    private ChatServer server;

    private ServedModel(Supplier<? extends VisionLanguageModel> load, boolean ownsModel,
                        UnaryOperator<ServeOptions> configure) {
        this.load = load;
        this.ownsModel = ownsModel;
        this.configure = configure;
    }

    /** The tiny-a fixture checkpoint, served with {@link ServeFixtures#options()} as {@code configure} changes them. */
    static ServedModel tinyA(UnaryOperator<ServeOptions> configure) {
        return new ServedModel(ServeFixtures::loadModel, true, configure);
    }

    /** The tiny-a fixture checkpoint with the default options. */
    static ServedModel tinyA() {
        return tinyA(UnaryOperator.identity());
    }

    /** Serves {@code model}, which the caller keeps: closing the harness leaves it open. */
    static ServedModel serving(VisionLanguageModel model, UnaryOperator<ServeOptions> configure) {
        return new ServedModel(() -> model, false, configure);
    }

    /** Another server on this one's model, started; closing it leaves the model to this one. */
    ServedModel alongside(UnaryOperator<ServeOptions> configure) {
        return serving(model, configure).start();
    }

    /** Loads the model and starts serving it; returns this. */
    ServedModel start() {
        model = load.get();
        try {
            server = ChatServer.start(model, configure.apply(ServeFixtures.options().withRequestLog(log::add))
                    .withPort(0));
        } catch (RuntimeException e) {
            closeModel();
            throw e;
        }
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
        closeModel();
    }

    private void closeModel() {
        if (ownsModel && model != null) {
            model.close();
        }
    }

    /** The model the server answers with, for answers to compare with the server's. */
    VisionLanguageModel model() {
        return model;
    }

    ChatServer server() {
        return server;
    }

    int port() {
        return server.port();
    }

    /** Each chat completion request the server is done with, in the order it finished them. */
    BlockingQueue<RequestRecord> log() {
        return log;
    }

    /** {@code /v1/chat/completions}. */
    URI chat() {
        return URI.create(server.baseUrl() + "/chat/completions");
    }

    /** A path of the API, e.g. {@code /models}: {@code http://127.0.0.1:P/v1/models}. */
    URI api(String path) {
        return URI.create(server.baseUrl() + path);
    }

    /** Posts a chat completion request; {@code headers} as name, value, …. */
    HttpResponse<String> postChat(String body, String... headers) {
        return ServeFixtures.post(chat(), body, headers);
    }

    /** The remote client on this server, for the served model. */
    OpenAiCompatibleModel client(OpenAiCompatibleModel.Options options) {
        return OpenAiCompatibleModel.connect(server.baseUrl().toString(), ServeFixtures.MODEL_NAME, null, options);
    }

    /** A connection to the server from 127.0.0.1 that has sent {@code start} (ISO-8859-1). */
    Socket open(String start) {
        return open(port(), "127.0.0.1", start);
    }

    /**
     * A connection to the server on {@code port} of 127.0.0.1, from {@code from} (any 127/8 address reaches it on
     * Linux: the server's bound per client address sees another client), that has sent {@code start}.
     */
    static Socket open(int port, String from, String start) {
        Socket s = new Socket();
        try {
            s.bind(new InetSocketAddress(from, 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            s.getOutputStream().write(start.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            return s;
        } catch (IOException e) {
            try {
                s.close();
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw new UncheckedIOException(e);
        }
    }

    /** The head of a POST to {@code path} with a JSON body of {@code length} bytes, ready for the body. */
    static String postHead(String path, long length) {
        return "POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: " + length
                + "\r\n\r\n";
    }

    /**
     * What the server sent on {@code s} until it closed the connection (a reset counts as closing: the server may
     * close with bytes of ours unread).
     *
     * @throws AssertionError when the connection is still open after {@code limit}
     */
    static String readToEnd(Socket s, Duration limit) throws IOException {
        s.setSoTimeout((int) limit.toMillis());
        StringBuilder text = new StringBuilder();
        byte[] buffer = new byte[4096];
        InputStream in = s.getInputStream();
        try {
            int n;
            while ((n = in.read(buffer)) > 0) {
                text.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept the connection open past " + limit + "; it sent: " + text, e);
        } catch (IOException reset) {
            // closed by the server with our bytes unread: a reset is as good as an end
        }
        return text.toString();
    }
}
