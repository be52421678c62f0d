package dev.glimpse.serve;

import dev.glimpse.engine.Answer;
import dev.glimpse.engine.FinishReason;
import dev.glimpse.engine.GenerationOptions;
import dev.glimpse.engine.Prompt;
import dev.glimpse.engine.glm4v.Glm4vModel;
import dev.glimpse.engine.remote.OpenAiCompatibleModel;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A client that cancels mid-stream closes its connection; the server notices and stops generating. */
class CancellationTest {

    private static final int MAX_TOKENS = 200;

    private static Glm4vModel model;
    private static ChatServer server;
    private static final BlockingQueue<RequestRecord> LOG = new LinkedBlockingQueue<>();

    @BeforeAll
    static void start() {
        model = ServeFixtures.loadModel();
        server = ServeFixtures.serve(model, ServeFixtures.options().withRequestLog(LOG::add));
    }

    @AfterAll
    static void stop() {
        server.close();
        model.close();
    }

    @Test
    void cancellingMidStreamStopsTheGenerationOnTheServer() throws InterruptedException {
        // greedy, this question runs past 200 tokens on tiny-a
        Prompt prompt = Prompt.of("Hello!", ServeFixtures.image("shapes_rgb.png"));
        GenerationOptions options = GenerationOptions.DEFAULT.withMaxNewTokens(MAX_TOKENS);
        AtomicInteger pieces = new AtomicInteger();
        try (OpenAiCompatibleModel client = OpenAiCompatibleModel.connect(server.baseUrl().toString(),
                ServeFixtures.MODEL_NAME, null)) {
            Answer partial = client.generate(prompt, options, token -> pieces.incrementAndGet(),
                    () -> pieces.get() >= 3);
            assertEquals(FinishReason.CANCELLED, partial.finishReason());
            assertEquals(3, pieces.get());

            // the server's record of that request: cancelled well before the limit
            RequestRecord cancelled = LOG.poll(2, TimeUnit.MINUTES);
            assertNotNull(cancelled, "the server logs the request once its generation has stopped");
            assertEquals(FinishReason.CANCELLED, cancelled.finishReason(), cancelled.toString());
            assertTrue(cancelled.usage().completionTokens() < MAX_TOKENS, cancelled.toString());

            // and it goes on serving
            Answer next = client.generate(Prompt.of("Hi"), options.withMaxNewTokens(3));
            assertEquals(FinishReason.LENGTH, next.finishReason());
        }
    }
}
