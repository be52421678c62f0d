package dev.glimpse.serve;

import dev.glimpse.serve.http.HttpLimits;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17, item 1: clients that send their request a byte a second — 40 trickling headers and 32 trickling a
 * 100,000-byte body, all from one address — must not keep the server from answering a health check (from that
 * same address) or a chat request (from another), and are themselves cut off once the request deadline passes.
 */
class SlowClientTest {

    private static final Duration DEADLINE = Duration.ofSeconds(3);
    /** The slow clients' address; the server listens on 127.0.0.1, which every 127/8 address reaches on Linux. */
    private static final String SLOW = "127.0.0.2";

    @RegisterExtension
    static final ServedModel SERVED = ServedModel.tinyA(options -> options.withHttp(HttpLimits.DEFAULT
            .withRequestTimeout(DEADLINE).withMaxConnectionsPerClient(16)));

    @Test
    void tricklingClientsNeitherBlockOthersNorStay() throws Exception {
        List<Socket> slow = new ArrayList<>();
        ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();
        try {
            int port = SERVED.port();
            assertEquals(200, chat().statusCode(), "warm-up");
            for (int i = 0; i < 40; i++) {
                slow.add(ServedModel.open(port, SLOW, "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\n"));
            }
            for (int i = 0; i < 32; i++) {
                slow.add(ServedModel.open(port, SLOW, ServedModel.postHead("/v1/chat/completions", 100_000) + "{"));
            }
            trickle.scheduleAtFixedRate(() -> {
                for (Socket s : slow) {
                    try {
                        s.getOutputStream().write(' ');
                        s.getOutputStream().flush();
                    } catch (IOException closedByTheServer) {
                        // expected once the deadline passes
                    }
                }
            }, 0, 200, TimeUnit.MILLISECONDS);
            Thread.sleep(300);

            String health;
            try (Socket h = ServedModel.open(port, SLOW,
                    "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")) {
                health = ServedModel.readToEnd(h, Duration.ofSeconds(1));
            }
            assertTrue(health.startsWith("HTTP/1.1 200 "), "a health check gets the reserved slot: " + health);

            HttpResponse<String> chat = chat();
            assertEquals(200, chat.statusCode(), chat.body());

            // by the deadline every slow client has been answered 408, or 503 when it made way for a newer
            // connection of its address, and disconnected
            int timedOut = 0;
            for (Socket s : slow) {
                String answer = ServedModel.readToEnd(s, DEADLINE.multipliedBy(2));
                assertTrue(answer.startsWith("HTTP/1.1 408 ") || answer.startsWith("HTTP/1.1 503 "), answer);
                timedOut += answer.startsWith("HTTP/1.1 408 ") ? 1 : 0;
            }
            assertEquals(15, timedOut, "16 kept their connection, one made way for the health check; the rest ran "
                    + "into the deadline");
        } finally {
            trickle.shutdownNow();
            for (Socket s : slow) {
                s.close();
            }
        }
    }

    // from 127.0.0.1, answered before the slow clients' deadline
    private static HttpResponse<String> chat() {
        return ServeFixtures.send(HttpRequest.newBuilder(SERVED.chat())
                        .timeout(DEADLINE.minusSeconds(1))
                        .POST(HttpRequest.BodyPublishers.ofString("{\"messages\": [{\"role\": \"user\", "
                                + "\"content\": \"Hi\"}], \"max_tokens\": 2}")).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
