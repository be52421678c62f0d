package dev.glimpse.engine.remote;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link OpenAiCompatibleModel#awaitStarted}: which answers mean "still starting" (refused, 503 model_not_ready),
 * which end the wait at once (any other answer, a wrong key included), the bound, and cancelling. A server that
 * starts late is in the extension's {@code ServerStartWaitTest}, on the real server.
 */
class StartupWaitTest {

    private static final OpenAiCompatibleModel.Options ONE_SECOND = OpenAiCompatibleModel.Options.DEFAULT
            .withStartupWait(Duration.ofSeconds(1));

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String response(int status, String body) {
        return "HTTP/1.1 " + status + " X\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                + "\r\nConnection: close\r\n\r\n" + body;
    }

    @Test
    void aServerThatStaysDownFailsAfterTheBoundNamingTheUrl() throws IOException {
        String url = "http://127.0.0.1:" + closedPort() + "/v1";
        try (OpenAiCompatibleModel model = OpenAiCompatibleModel.connect(url, "m", "key", ONE_SECOND)) {
            RemoteModelException refused = assertThrows(RemoteModelException.class,
                    () -> model.generate(dev.glimpse.engine.Prompt.of("Hi"),
                            dev.glimpse.engine.GenerationOptions.DEFAULT.withMaxNewTokens(1)));
            assertTrue(refused.serverStarting(), "a refused connection may be a server still loading");
            AtomicInteger calls = new AtomicInteger();
            long t0 = System.nanoTime();
            RemoteModelException e = assertThrows(RemoteModelException.class,
                    () -> model.awaitStarted((root, waited, bound) -> calls.incrementAndGet(), () -> false));
            long millis = (System.nanoTime() - t0) / 1_000_000;
            assertEquals("cannot reach " + url + ": is the server running? (connection refused) (waited 1 s for it "
                    + "to start; start it, or check the URL)", e.getMessage());
            assertFalse(e.serverStarting(), "after the wait it is an ordinary failure");
            assertTrue(millis >= 1000 && millis < 10_000, "waited about the bound: " + millis + " ms");
            assertTrue(calls.get() >= 2, "told while waiting: " + calls.get());
        }
    }

    @Test
    void aServerLoadingItsModelIsWaitedForThenNamed() throws IOException {
        String body = "{\"error\":{\"message\":\"The model is still loading.\",\"type\":\"server_error\","
                + "\"code\":\"model_not_ready\"}}";
        try (OneShotHttpServer loading = new OneShotHttpServer(response(503, body));
             OpenAiCompatibleModel model = OpenAiCompatibleModel.connect(loading.url(), "m", null, ONE_SECOND)) {
            AtomicInteger calls = new AtomicInteger();
            RemoteModelException e = assertThrows(RemoteModelException.class,
                    () -> model.awaitStarted((root, waited, bound) -> calls.incrementAndGet(), () -> false));
            assertTrue(calls.get() >= 2, "waited: " + calls.get());
            assertEquals(503, e.statusCode());
            assertTrue(e.getMessage().contains("The model is still loading.")
                    && e.getMessage().endsWith("(waited 1 s for it to start; start it, or check the URL)"),
                    e.getMessage());
        }
    }

    @Test
    void ordinaryErrorsDoNotWait() throws IOException {
        String[] answers = {
            response(401, "{\"error\":{\"message\":\"Invalid API key.\",\"code\":\"invalid_api_key\"}}"),
            response(400, "{\"error\":{\"message\":\"Bad request.\"}}"),
            response(503, "{\"error\":{\"message\":\"Out of memory.\",\"code\":null}}"),
        };
        for (String answer : answers) {
            try (OneShotHttpServer server = new OneShotHttpServer(answer);
                 OpenAiCompatibleModel model = OpenAiCompatibleModel.connect(server.url(), "m", "wrong",
                         ONE_SECOND.withStartupWait(Duration.ofMinutes(1)))) {
                AtomicInteger calls = new AtomicInteger();
                assertTrue(model.awaitStarted((root, waited, bound) -> calls.incrementAndGet(), () -> false));
                assertEquals(0, calls.get(), "no wait for " + answer.lines().findFirst().orElseThrow());
            }
        }
    }

    @Test
    void cancellingStopsTheWait() throws IOException {
        String url = "http://127.0.0.1:" + closedPort() + "/v1";
        try (OpenAiCompatibleModel model = OpenAiCompatibleModel.connect(url, "m", null,
                OpenAiCompatibleModel.Options.DEFAULT.withStartupWait(Duration.ofMinutes(1)))) {
            AtomicInteger calls = new AtomicInteger();
            long t0 = System.nanoTime();
            assertFalse(model.awaitStarted((root, waited, bound) -> calls.incrementAndGet(), () -> calls.get() >= 2));
            assertTrue((System.nanoTime() - t0) / 1_000_000 < 10_000, "stopped long before the minute");
        }
    }

    @Test
    void theStartupWaitMustNotBeNegative() {
        assertThrows(IllegalArgumentException.class,
                () -> OpenAiCompatibleModel.Options.DEFAULT.withStartupWait(Duration.ofSeconds(-1)));
    }

    @Test
    void onlyAnEndpointOnThisMachineIsWaitedFor() {
        for (String host : java.util.List.of("localhost", "127.0.0.1", "127.1.2.3", "[::1]", "LOCALHOST")) {
            assertTrue(OpenAiCompatibleModel.isLoopback(java.net.URI.create("http://" + host + ":8000/v1")), host);
        }
        for (String host : java.util.List.of("example.test", "10.0.0.1", "128.0.0.1", "[::2]", "localhost.example")) {
            assertFalse(OpenAiCompatibleModel.isLoopback(java.net.URI.create("http://" + host + ":8000/v1")), host);
        }
        try (OpenAiCompatibleModel none = OpenAiCompatibleModel.connect("http://127.0.0.1:9/v1", "m", null,
                ONE_SECOND.withStartupWait(Duration.ZERO))) {
            assertFalse(none.waitsForStartup(), "a zero bound means no wait");
        }
    }

    @Test
    void aServerElsewhereThatRefusesFailsAtOnce() throws IOException {
        // this machine's own non-loopback address, on a port nothing listens on: refused, like a stopped remote server
        InetAddress own = java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces()).stream()
                .flatMap(i -> java.util.Collections.list(i.getInetAddresses()).stream())
                .filter(a -> a instanceof java.net.Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress())
                .findFirst().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(own != null, "no non-loopback IPv4 address here");
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, own)) {
            port = s.getLocalPort();
        }
        String url = "http://" + own.getHostAddress() + ":" + port + "/v1";
        try (OpenAiCompatibleModel model = OpenAiCompatibleModel.connect(url, "m", null, ONE_SECOND
                .withStartupWait(Duration.ofSeconds(30)))) {
            assertFalse(model.waitsForStartup());
            AtomicInteger calls = new AtomicInteger();
            RemoteModelException e = assertThrows(RemoteModelException.class,
                    () -> model.awaitStarted((root, waited, bound) -> calls.incrementAndGet(), () -> false));
            assertEquals(0, calls.get(), "no wait for a server elsewhere: " + e.getMessage());
            assertTrue(e.getMessage().contains("connection refused"), e.getMessage());
        }
    }

    @Test
    void aProbeThatGetsNoAnswerEndsWithinTheBound() throws IOException {
        // accepts, never answers: before, one probe kept the normal 5-minute request timeout
        try (OneShotHttpServer stuck = new OneShotHttpServer("");
             OpenAiCompatibleModel model = OpenAiCompatibleModel.connect(stuck.url(), "m", null, ONE_SECOND)) {
            assertTrue(model.waitsForStartup());
            boolean answered = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(60),
                    () -> model.awaitStarted((root, waited, bound) -> { }, () -> false));
            assertTrue(answered, "a server that answers nothing is not 'still starting'; the request then says so");
        }
    }
}
