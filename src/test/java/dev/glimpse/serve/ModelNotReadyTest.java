package dev.glimpse.serve;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glimpse.engine.Answer;
import dev.glimpse.engine.CancellationToken;
import dev.glimpse.engine.GenerationOptions;
import dev.glimpse.engine.ModelInfo;
import dev.glimpse.engine.ModelNotReadyException;
import dev.glimpse.engine.Prompt;
import dev.glimpse.engine.TokenListener;
import dev.glimpse.engine.VisionLanguageModel;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A model that is not there to answer (a notebook's slot while it has no model: the web page's case) is "try again
 * later", 503 with its own message, not a server failure with an exception's name.
 */
class ModelNotReadyTest {

    private static final String WHY = "No model is loaded (it was unloaded). Load one with %model DIR.";

    /** The state of a notebook's model slot with nothing in it: every call is refused with the slot's message. */
    private static final class EmptySlot implements VisionLanguageModel {
        @Override
        public ModelInfo info() {
            throw new ModelNotReadyException(WHY);
        }

        @Override
        public Answer generate(Prompt prompt, GenerationOptions options, TokenListener listener,
                               CancellationToken cancel) {
            throw new ModelNotReadyException(WHY);
        }

        @Override
        public void close() {
        }
    }

    @Test
    void aModelThatIsNotReadyIsAnsweredWith503AndItsMessage() {
        try (ServedModel served = ServedModel.serving(new EmptySlot(), UnaryOperator.identity()).start()) {
            URI chat = served.chat();
            String question = "{\"model\": \"tiny-a\", \"messages\": [{\"role\": \"user\", \"content\": \"Hi\"}]";
            JsonNode error = ServeFixtures.assertOpenAiError(ServeFixtures.post(chat, question + "}"), 503);
            assertEquals(WHY, error.get("message").asText());
            assertEquals("model_not_ready", error.get("code").asText());

            HttpResponse<String> stream = ServeFixtures.post(chat, question + ", \"stream\": true}");
            assertEquals(200, stream.statusCode());
            assertTrue(stream.body().contains("\"message\":\"" + WHY + "\""), stream.body());
            assertFalse(stream.body().contains("Exception"), stream.body());
            assertTrue(stream.body().strip().endsWith("data: [DONE]"), stream.body());
        }
    }
}
