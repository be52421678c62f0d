package dev.glimpse.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glimpse.engine.Answer;
import dev.glimpse.engine.CancellationToken;
import dev.glimpse.engine.GenerationOptions;
import dev.glimpse.engine.ModelInfo;
import dev.glimpse.engine.Prompt;
import dev.glimpse.engine.TokenListener;
import dev.glimpse.engine.VisionLanguageModel;
import dev.glimpse.engine.glm4v.Glm4vModel;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.function.UnaryOperator;

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

    /**
     * The tiny model, whose generation fails the way libtorch reports a tensor it cannot use: DJL throws an
     * {@link IllegalArgumentException} whose text is the engine's. A stand-in for a real engine fault, which no
     * request to a sound checkpoint can provoke; everything else is the real model.
     */
    private record ShapeFault(Glm4vModel model) implements VisionLanguageModel {
        static final String ENGINE_TEXT = "Shape mismatch, expected (1, 64) but got (1, 32)";

        @Override
        public ModelInfo info() {
            return model.info();
        }

        @Override
        public int contextLength() {
            return model.contextLength();
        }

        @Override
        public int promptTokens(Prompt prompt, boolean thinking) {
            return model.promptTokens(prompt, thinking);
        }

        @Override
        public Answer generate(Prompt prompt, GenerationOptions options, TokenListener listener,
                               CancellationToken cancel) {
            throw new IllegalArgumentException(ENGINE_TEXT);
        }

        @Override
        public void close() {
            model.close();
        }
    }

    @Test
    void anIllegalArgumentFromTheEngineIsTheServersFaultNotTheClients() {
        try (ShapeFault model = new ShapeFault(ServeFixtures.loadModel());
             ServedModel served = ServedModel.serving(model, UnaryOperator.identity()).start()) {
            for (boolean stream : new boolean[] {false, true}) {
                HttpResponse<String> r = served.postChat(ServeFixtures.chatBody("Hi", List.of(),
                        "\"max_tokens\": 2, \"stream\": " + stream));
                String message;
                if (stream) {
                    assertEquals(200, r.statusCode(), r.body());
                    assertFalse(r.body().contains("Shape") || r.body().contains("Exception"), r.body());
                    assertTrue(r.body().contains("\"type\":\"server_error\""), r.body());
                    message = r.body();
                } else {
                    JsonNode error = ServeFixtures.assertOpenAiError(r, 500);
                    message = error.get("message").asText();
                    assertTrue(message.matches("The server failed on request [a-z]+-[0-9a-f]{32}; its log has the "
                            + "details\\."), message);
                    assertEquals("server_error", error.get("type").asText());
                }
                assertFalse(message.contains(ShapeFault.ENGINE_TEXT), message);
            }
        }
    }
}
