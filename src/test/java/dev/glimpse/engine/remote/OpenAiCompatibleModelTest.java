package dev.glimpse.engine.remote;

import dev.glimpse.engine.GenerationOptions;
import dev.glimpse.engine.Prompt;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** URLs, and the errors of endpoints that are down, silent, stalled or broken, on real sockets. */
class OpenAiCompatibleModelTest {

    private static final GenerationOptions SHORT = GenerationOptions.DEFAULT.withMaxNewTokens(4);
    private static final OpenAiCompatibleModel.Options QUICK = OpenAiCompatibleModel.Options.DEFAULT
            .withTimeout(Duration.ofSeconds(1)).withConnectTimeout(Duration.ofSeconds(5));

    @Test
    void urlsAreNormalisedToTheApiRoot() {
        String[][] cases = {
            {"http://localhost:8000/v1", "http://localhost:8000/v1"},
            {"http://localhost:8000/v1/", "http://localhost:8000/v1"},
            {"http://localhost:8000", "http://localhost:8000/v1"},
            {"http://localhost:8000/", "http://localhost:8000/v1"},
            {" HTTP://127.0.0.1:8000/v1/chat/completions ", "http://127.0.0.1:8000/v1"},
            {"https://open.bigmodel.cn/api/paas/v4/", "https://open.bigmodel.cn/api/paas/v4"},
            {"https://api.z.ai/api/paas/v4", "https://api.z.ai/api/paas/v4"},
            {"http://[::1]:8000/v1", "http://[::1]:8000/v1"},
        };
        for (String[] c : cases) {
            assertEquals(c[1], OpenAiCompatibleModel.apiRoot(c[0]).toString(), c[0]);
        }
    }

    @Test
    void notAnEndpointUrlSaysWhatOneLooksLike() {
        for (String bad : new String[] {"localhost:8000", "models/glimpse-tiny", "ftp://host/v1", "http:///v1",
            "http://bad host/v1"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> OpenAiCompatibleModel.apiRoot(bad), bad);
            assertTrue(e.getMessage().contains("'" + bad + "'"), e.getMessage());
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void aServerThatIsDownIsNamed() throws IOException {
        String url = "http://127.0.0.1:" + closedPort() + "/v1";
        String expected = "cannot reach " + url + ": is the server running? (connection refused)";
        RemoteModelException listing = assertThrows(RemoteModelException.class,
                () -> OpenAiCompatibleModel.connect(url, null, "key"));
        assertEquals(expected, listing.getMessage());
        assertEquals(0, listing.statusCode());
        try (OpenAiCompatibleModel model = OpenAiCompatibleModel.connect(url, "glm-4.6v-flash", "key")) {
            RemoteModelException e = assertThrows(RemoteModelException.class,
                    () -> model.generate(Prompt.of("Hi"), SHORT));
            assertEquals(expected, e.getMessage());
        }
    }

    @Test
    void aServerThatNeverAnswersTimesOut() throws IOException {
        try (OneShotHttpServer silent = new OneShotHttpServer("");
             OpenAiCompatibleModel model = OpenAiCompatibleModel.connect(silent.url(), "m", "key", QUICK)) {
            RemoteModelException e = assertThrows(RemoteModelException.class,
                    () -> model.generate(Prompt.of("Hi"), SHORT));
            assertEquals(silent.url() + "/chat/completions did not answer within 1 s; the server may be busy or "
                    + "stuck. Raise the timeout (OpenAiCompatibleModel.Options) if answers take longer",
                    e.getMessage());
        }
    }

    @Test
    void aStreamThatStallsTimesOut() throws IOException {
        String head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";
        String chunk = "data: {\"choices\": [{\"index\": 0, \"delta\": {\"content\": \"Hel\"}}]}\n\n";
        String first = Integer.toHexString(chunk.length()) + "\r\n" + chunk + "\r\n";
        try (OneShotHttpServer stalling = new OneShotHttpServer(head + first);
             OpenAiCompatibleModel model = OpenAiCompatibleModel.connect(stalling.url(), "m", "key", QUICK)) {
            StringBuilder streamed = new StringBuilder();
            RemoteModelException e = assertThrows(RemoteModelException.class,
                    () -> model.generate(Prompt.of("Hi"), SHORT, t -> streamed.append(t.text()),
                            dev.glimpse.engine.CancellationToken.NEVER));
            assertEquals("Hel", streamed.toString());
            assertTrue(e.getMessage().startsWith(stalling.url() + "/chat/completions stopped streaming: nothing "
                    + "arrived for 1 s"), e.getMessage());
        }
    }

    @Test
    void aProxyErrorPageIsShownShortened() throws IOException {
        String page = "<html><body><h1>502 Bad Gateway</h1>\n<p>upstream is down</p></body></html>";
        String response = "HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\nContent-Length: " + page.length()
                + "\r\n\r\n" + page;
        try (OneShotHttpServer proxy = new OneShotHttpServer(response);
             OpenAiCompatibleModel model = OpenAiCompatibleModel.connect(proxy.url(), "m", "key", QUICK)) {
            RemoteModelException e = assertThrows(RemoteModelException.class,
                    () -> model.generate(Prompt.of("Hi"), SHORT));
            assertEquals(502, e.statusCode());
            assertEquals("the endpoint failed (HTTP 502: " + page.replace("\n", " ") + ") at " + proxy.url()
                    + "/chat/completions; check the server's log", e.getMessage());
        }
    }

    @Test
    void anErrorInTheMiddleOfAStreamIsReported() throws IOException {
        String head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n";
        String events = "data: {\"choices\": [{\"index\": 0, \"delta\": {\"content\": \"Hi\"}}]}\n\n"
                + "data: {\"error\": {\"message\": \"CUDA out of memory\", \"type\": \"server_error\"}}\n\n";
        try (OneShotHttpServer failing = new OneShotHttpServer(head + events);
             OpenAiCompatibleModel model = OpenAiCompatibleModel.connect(failing.url(), "m", "key", QUICK)) {
            RemoteModelException e = assertThrows(RemoteModelException.class,
                    () -> model.generate(Prompt.of("Hi"), SHORT));
            assertEquals("the endpoint failed while answering (" + failing.url() + "/chat/completions): CUDA out of "
                    + "memory", e.getMessage());
        }
    }

    @Test
    void optionsMustBePositive() {
        assertThrows(IllegalArgumentException.class,
                () -> OpenAiCompatibleModel.Options.DEFAULT.withTimeout(Duration.ZERO));
    }

    @Test
    void connectWithKeySendsExactlyTheKeyGivenAndNoneForNull() throws IOException {
        java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/models", exchange -> {
            seen.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            byte[] body = "{\"data\":[{\"id\":\"m\"}]}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
            OpenAiCompatibleModel.connectWithKey(url, null, null, OpenAiCompatibleModel.Options.DEFAULT).close();
            OpenAiCompatibleModel.connectWithKey(url, null, " ", OpenAiCompatibleModel.Options.DEFAULT).close();
            OpenAiCompatibleModel.connectWithKey(url, null, "k", OpenAiCompatibleModel.Options.DEFAULT).close();
            assertEquals(java.util.List.of("null", "null", "Bearer k"), seen);
        } finally {
            server.stop(0);
        }
    }
}
