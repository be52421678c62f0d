package dev.glimpse.serve;

import dev.glimpse.engine.FinishReason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17, item 3: a client that gives up — streaming or not, before any token has reached it — cancels its
 * generation; the server logs it cancelled and is free for the next request at once.
 */
class DisconnectTest {

    private static final int MAX_TOKENS = 2000;

    @RegisterExtension
    static final ServedModel SERVED = ServedModel.tinyA();

    @Test
    void aNonStreamingClientThatHangsUpCancelsItsGeneration() throws Exception {
        assertCancelledOnHangUp(false);
    }

    @Test
    void aStreamingClientThatHangsUpCancelsItsGeneration() throws Exception {
        assertCancelledOnHangUp(true);
    }

    private static void assertCancelledOnHangUp(boolean stream) throws Exception {
        SERVED.log().clear();
        // greedy, "Hello!" with this image runs long on tiny-a: to the 2000-token limit, or in some runs to an end of
        // text after 258 tokens (a near-tie that float32 summation order decides), which takes 220–300 ms here; the
        // client hangs up well before either
        String body = ServeFixtures.chatBody("Hello!", List.of(ServeFixtures.pngDataUrl("shapes_rgb.png")),
                "\"max_tokens\": " + MAX_TOKENS + ", \"temperature\": 0, \"stream\": " + stream);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (Socket s = SERVED.open(ServedModel.postHead("/v1/chat/completions", bytes.length))) {
            s.getOutputStream().write(bytes);
            s.getOutputStream().flush();
            if (stream) {
                readSome(s.getInputStream()); // the head and the role chunk: the generation has started
            }
            Thread.sleep(100);
        }
        RequestRecord r = SERVED.log().poll(30, TimeUnit.SECONDS);
        assertNotNull(r, "the server logs the request once its generation has stopped");
        assertEquals(FinishReason.CANCELLED, r.finishReason(), r.toString());
        assertTrue(r.usage().completionTokens() < MAX_TOKENS, r.toString());
        assertEquals(stream ? 200 : RequestRecord.CLIENT_CLOSED, r.status(), r.toString());
    }

    private static void readSome(InputStream in) throws IOException {
        byte[] buffer = new byte[4096];
        int n = in.read(buffer);
        assertTrue(n > 0 && new String(buffer, 0, n, StandardCharsets.ISO_8859_1).startsWith("HTTP/1.1 200 "));
    }
}
