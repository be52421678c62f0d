package dev.glimpse.serve;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17, item 6: eight clients at once, each sending four 7000 × 7000 PNGs, used to run the server out of
 * memory and leave seven of them without an answer. Here the server runs in a JVM of its own with a 384 MB heap
 * and pixel limits that fit it (20 megapixels per request and in flight: decoding takes ~7 bytes a pixel at its
 * peak, so ~140 MB), and sixteen clients send at once: eight the four 7000 × 7000 images (196 megapixels),
 * eight one 4000 × 4000 image each (16 megapixels: any one fits, two at once do not). Every one gets an answer the
 * server chose — 200, 413 naming the pixel limit, or 503 "busy" from the pixel budget — and none an answer to
 * running out of memory (the server's last resort, which admission is there to keep it from) or none at all; the
 * server answers {@code /health} and a question afterwards. With admission off (no pixel limit, no budget) the
 * same load runs the heap out: tried, 3 of 16 answers were 503 "ran out of memory" and 13 were 400 "truncated or
 * corrupt" — an OutOfMemoryError inside ImageIO, which it reports as a read error.
 */
class SmallHeapTest {

    private static final String HEAP = "384m";
    private static final long MAX_PIXELS = 20_000_000;
    private static final int CLIENTS = 8;

    @Test
    void concurrentLargeImagesAreEachAnsweredAndTheServerStaysUp() throws Exception {
        // grey PNGs are ~100 KB however large: the sizes are in the headers, the memory in decoding them
        String huge = ServeFixtures.dataUrl(ServeFixtures.greyPng(7000, 7000));
        String large = ServeFixtures.dataUrl(ServeFixtures.greyPng(4000, 4000));
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            bodies.add(ServeFixtures.chatBody("Describe these.", Collections.nCopies(4, huge), "\"max_tokens\": 1"));
            bodies.add(ServeFixtures.chatBody("What is this?", List.of(large), "\"max_tokens\": 1"));
        }
        try (ForkedServer server = ForkedServer.start(HEAP, MAX_PIXELS)) {
            List<String> wrong = new ArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService clients = Executors.newFixedThreadPool(bodies.size());
            try {
                List<Future<HttpResponse<String>>> answers = new ArrayList<>();
                for (String body : bodies) {
                    HttpRequest request = HttpRequest.newBuilder(server.url("/v1/chat/completions"))
                            .timeout(Duration.ofSeconds(90)).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body)).build();
                    answers.add(clients.submit(() -> {
                        go.await();
                        return ServeFixtures.send(request, HttpResponse.BodyHandlers.ofString());
                    }));
                }
                go.countDown();
                for (int i = 0; i < answers.size(); i++) {
                    String client = "client " + i + (i % 2 == 0 ? " (4 × 7000 × 7000)" : " (4000 × 4000)");
                    try {
                        String problem = problem(answers.get(i).get());
                        if (problem != null) {
                            wrong.add(client + ": " + problem);
                        }
                    } catch (ExecutionException e) {
                        wrong.add(client + ": no answer: " + e.getCause());
                    }
                }
            } finally {
                clients.shutdownNow();
            }
            assertEquals(List.of(), wrong, server.output());

            assertTrue(server.alive(), server.output());
            assertEquals(200, send(HttpRequest.newBuilder(server.url("/health")).GET()).statusCode());
            HttpResponse<String> after = send(HttpRequest.newBuilder(server.url("/v1/chat/completions"))
                    .POST(HttpRequest.BodyPublishers.ofString(ServeFixtures.chatBody("Hi", List.of(),
                            "\"max_tokens\": 2"))));
            assertEquals(200, after.statusCode(), after.body());
        }
    }

    /** What is wrong with an answer, or null: 200, or a refusal the server chose, in OpenAI's shape. */
    private static String problem(HttpResponse<String> r) {
        int status = r.statusCode();
        if (status == 200) {
            return null;
        }
        JsonNode error;
        try {
            error = ServeFixtures.assertOpenAiError(r, status);
        } catch (AssertionError | RuntimeException e) {
            return status + " not in OpenAI's error shape: " + r.body();
        }
        String message = error.get("message").asText();
        boolean chosen = status == 413 && message.contains("(glimpse serve --max-pixels)")
                || status == 503 && message.startsWith("The server is busy decoding other requests' images");
        return chosen ? null : status + " " + message;
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) {
        return ServeFixtures.send(request.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
