package dev.glimpse.serve;

import dev.glimpse.engine.Answer;
import dev.glimpse.engine.CancellationToken;
import dev.glimpse.engine.GenerationOptions;
import dev.glimpse.engine.Prompt;
import dev.glimpse.engine.TokenListener;
import dev.glimpse.engine.remote.OpenAiCompatibleModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Eight clients at once, half streaming: every one gets its own answer — the one the model gives it alone — with
 * no errors, while the model answers one at a time.
 */
class ConcurrencyTest {

    private static final int CLIENTS = 8;

    @RegisterExtension
    static final ServedModel SERVED = ServedModel.tinyA();

    @Test
    void eightClientsAtOnceEachGetTheirOwnAnswer() throws Exception {
        GenerationOptions options = GenerationOptions.DEFAULT.withMaxNewTokens(8);
        String[] images = {"shapes_rgb.png", "wide_rgb.png", "small_p.png", "tiny_rgb.png"};
        List<Prompt> prompts = new ArrayList<>();
        List<Answer> expected = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            Prompt p = i % 2 == 0 ? Prompt.of("Question " + i + ": what is this?", ServeFixtures.image(images[i / 2]))
                    : Prompt.of("Question " + i);
            prompts.add(p);
            expected.add(SERVED.model().generate(p, options));
        }
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            List<Future<Answer>> answers = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                Prompt p = prompts.get(i);
                boolean streaming = i % 4 < 2;
                answers.add(clients.submit(() -> {
                    try (OpenAiCompatibleModel client = SERVED.client(
                            OpenAiCompatibleModel.Options.DEFAULT.withStreaming(streaming))) {
                        go.await();
                        return client.generate(p, options, TokenListener.NONE, CancellationToken.NEVER);
                    }
                }));
            }
            go.countDown();
            for (int i = 0; i < CLIENTS; i++) {
                Answer a = answers.get(i).get();
                assertEquals(expected.get(i).text(), a.text(), "client " + i);
                assertEquals(expected.get(i).reasoning(), a.reasoning(), "client " + i);
                assertEquals(expected.get(i).usage(), a.usage(), "client " + i);
            }
        } finally {
            clients.shutdownNow();
        }
        // The server logs a request once it is done with it, which can be just after the client has its answer.
        List<RequestRecord> records = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            RequestRecord r = SERVED.log().poll(30, TimeUnit.SECONDS);
            assertNotNull(r, "request log record " + (i + 1) + " of " + CLIENTS + " never came");
            records.add(r);
        }
        assertNull(SERVED.log().poll(200, TimeUnit.MILLISECONDS), "more request records than requests");
        for (RequestRecord r : records) {
            assertEquals(200, r.status(), r.toString());
            assertEquals(null, r.error());
        }
    }
}
