package dev.glimpse.serve;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17, item 5: a fault of the server — here a model closed under it, a real failure of the real code — is a
 * 500 that gives the client a request id to quote and nothing of the exception; the details go to the log.
 */
class ServerFaultTest {

    @Test
    void aServerFaultIs500WithARequestIdAndNoInternals() {
        try (ServedModel served = ServedModel.tinyA().start()) {
            served.model().close();
            for (boolean stream : new boolean[] {false, true}) {
                HttpResponse<String> r = served.postChat(ServeFixtures.chatBody("Hi", List.of(),
                        "\"max_tokens\": 2, \"stream\": " + stream));
                JsonNode error = ServeFixtures.assertOpenAiError(r, 500);
                String message = error.get("message").asText();
                assertTrue(message.matches("The server failed on request req-[0-9a-f]{32}; its log has the "
                        + "details\\."), message);
                assertFalse(message.contains("Exception") || message.contains("closed"), message);
                assertEquals("server_error", error.get("type").asText());
            }
        }
    }
}
