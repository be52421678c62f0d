package dev.glimpse.serve;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17, item 6: running out of memory while decoding an image is the server's trouble, not the client's. The
 * server runs in a JVM of its own with a heap (96 MB) far smaller than one admitted image decodes to (a 7000 ×
 * 7000 RGB PNG: a 147 MB raster, admitted by pixel limits set above what the heap holds), so decoding runs out of
 * memory every time. ImageIO's PNG reader reports that as a read error ({@code IIOException: Caught exception during
 * read}), which the server used to answer 400 "image is truncated or corrupt". Now: 503 saying memory ran out,
 * with the request id and no exception text, streamed or not; the details in the log under that id; and the
 * server answers afterwards.
 */
class DecodeOutOfMemoryTest {

    @Test
    void anImageTheHeapCannotDecodeIs503OutOfMemoryNot400Corrupt() throws Exception {
        String image = ServeFixtures.dataUrl(ServeFixtures.greyPng(7000, 7000));
        try (ForkedServer server = ForkedServer.start("96m", 49_000_000)) {
            for (String stream : List.of("false", "true")) {
                HttpResponse<String> r = send(server, ServeFixtures.chatBody("What is this?", List.of(image),
                        "\"max_tokens\": 1, \"stream\": " + stream));
                String what = "stream " + stream + ": " + r.body() + "\n" + server.output();
                JsonNode error = ServeFixtures.assertOpenAiError(r, 503);
                String message = error.get("message").asText();
                String id = r.headers().firstValue("X-Request-Id").orElseThrow();
                assertEquals("The server ran out of memory for request " + id + "; retry later, or send fewer or "
                        + "smaller images.", message, what);
                assertEquals("server_error", error.get("type").asText(), what);
                assertFalse(r.body().matches("(?s).*(Exception|Error|java\\.).*"), what);
                assertTrue(server.output().contains("request " + id + ": out of memory"), what);
            }
            assertTrue(server.alive(), server.output());
            HttpResponse<String> after = send(server, ServeFixtures.chatBody("Hi", List.of(), "\"max_tokens\": 2"));
            assertEquals(200, after.statusCode(), after.body());
        }
    }

    private static HttpResponse<String> send(ForkedServer server, String body) {
        return ServeFixtures.send(HttpRequest.newBuilder(server.url("/v1/chat/completions"))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
