package dev.glimpse.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glimpse.engine.FinishReason;
import dev.glimpse.engine.GenerationOptions;
import dev.glimpse.engine.Prompt;
import dev.glimpse.engine.remote.OpenAiCompatibleModel;
import dev.glimpse.engine.remote.RemoteModelException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpResponse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A server started with an API key: no key and a wrong key get 401 in OpenAI's shape, the right key answers. */
class ApiKeyTest {

    private static final String KEY = "sk-glimpse-test-4b2f";
    private static final GenerationOptions SHORT = GenerationOptions.DEFAULT.withMaxNewTokens(2);

    @RegisterExtension
    static final ServedModel SERVED = ServedModel.tinyA(options -> options.withApiKey(KEY));

    private static OpenAiCompatibleModel client(String key) {
        return OpenAiCompatibleModel.connect(SERVED.server().baseUrl().toString(), ServeFixtures.MODEL_NAME, key);
    }

    @Test
    void theRightKeyIsAnswered() {
        try (OpenAiCompatibleModel client = client(KEY)) {
            assertEquals(FinishReason.LENGTH, client.generate(Prompt.of("Hi"), SHORT).finishReason());
            assertEquals(java.util.List.of(ServeFixtures.MODEL_NAME), client.models());
        }
    }

    @Test
    void aWrongKeyIsRejectedWithTheFix() {
        try (OpenAiCompatibleModel client = client("sk-wrong")) {
            RemoteModelException e = assertThrows(RemoteModelException.class,
                    () -> client.generate(Prompt.of("Hi"), SHORT));
            assertEquals(401, e.statusCode());
            assertTrue(e.getMessage().startsWith("the endpoint rejected the API key (HTTP 401: Incorrect API key"),
                    e.getMessage());
            assertTrue(e.getMessage().endsWith("; set GLIMPSE_API_KEY or --api-key"), e.getMessage());
        }
        // listing models needs the key too
        RemoteModelException e = assertThrows(RemoteModelException.class,
                () -> OpenAiCompatibleModel.connect(SERVED.server().baseUrl().toString(), null, "sk-wrong"));
        assertEquals(401, e.statusCode());
    }

    @Test
    void noKeyIsRejectedWithTheFix() {
        assumeTrue(System.getenv(OpenAiCompatibleModel.API_KEY_VARIABLE) == null,
                "the client would send $GLIMPSE_API_KEY");
        try (OpenAiCompatibleModel client = client(null)) {
            RemoteModelException e = assertThrows(RemoteModelException.class,
                    () -> client.generate(Prompt.of("Hi"), SHORT));
            assertEquals(401, e.statusCode());
            assertTrue(e.getMessage().startsWith("the endpoint requires an API key (HTTP 401: This server needs an "
                    + "API key"), e.getMessage());
        }
    }

    @Test
    void rawRequestsWithoutTheRightKeyGet401InOpenAiShape() {
        URI chat = SERVED.chat();
        String body = "{\"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}], \"max_tokens\": 1}";
        JsonNode missing = ServeFixtures.assertOpenAiError(ServeFixtures.post(chat, body), 401);
        assertEquals("invalid_api_key", missing.get("code").asText());
        JsonNode wrong = ServeFixtures.assertOpenAiError(ServeFixtures.post(chat, body, "Authorization",
                "Bearer nope"), 401);
        assertEquals("invalid_api_key", wrong.get("code").asText());
        ServeFixtures.assertOpenAiError(ServeFixtures.get(SERVED.api("/models")), 401);

        HttpResponse<String> right = ServeFixtures.post(chat, body, "Authorization", "Bearer " + KEY);
        assertEquals(200, right.statusCode(), right.body());
        // the health check needs no key
        assertEquals(200, ServeFixtures.get(URI.create("http://127.0.0.1:" + SERVED.port() + "/health"))
                .statusCode());
    }
}
