package dev.glimpse.serve;

import dev.glimpse.engine.Answer;
import dev.glimpse.engine.FinishReason;
import dev.glimpse.engine.GenerationOptions;
import dev.glimpse.engine.Prompt;
import dev.glimpse.engine.remote.OpenAiCompatibleModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A client that cancels mid-stream closes its connection; the server notices and stops generating. */
class CancellationTest {

    private static final int MAX_TOKENS = 200;

    @RegisterExtension
    static final ServedModel SERVED = ServedModel.tinyA();

    @Test
    void cancellingMidStreamStopsTheGenerationOnTheServer() throws InterruptedException {
        // greedy, this question runs past 200 tokens on tiny-a
        Prompt prompt = Prompt.of("Hello!", ServeFixtures.image("shapes_rgb.png"));
        GenerationOptions options = GenerationOptions.DEFAULT.withMaxNewTokens(MAX_TOKENS);
        AtomicInteger pieces = new AtomicInteger();
        try (OpenAiCompatibleModel client = SERVED.client(OpenAiCompatibleModel.Options.DEFAULT)) {
            Answer partial = client.generate(prompt, options, token -> pieces.incrementAndGet(),
                    () -> pieces.get() >= 3);
            assertEquals(FinishReason.CANCELLED, partial.finishReason());
            assertEquals(3, pieces.get());

            // the server's record of that request: cancelled well before the limit
            RequestRecord cancelled = SERVED.log().poll(2, TimeUnit.MINUTES);
            assertNotNull(cancelled, "the server logs the request once its generation has stopped");
            assertEquals(FinishReason.CANCELLED, cancelled.finishReason(), cancelled.toString());
            assertTrue(cancelled.usage().completionTokens() < MAX_TOKENS, cancelled.toString());

            // and it goes on serving
            Answer next = client.generate(Prompt.of("Hi"), options.withMaxNewTokens(3));
            assertEquals(FinishReason.LENGTH, next.finishReason());
        }
    }
}
