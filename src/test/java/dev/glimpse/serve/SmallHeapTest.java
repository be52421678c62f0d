package dev.glimpse.serve;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
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
 * and sixteen or twenty clients send at once. Every one gets an answer the server chose — 200, 413 naming the pixel limit, or
 * 503 "busy" from the pixel budget — and none an answer to running out of memory (the server's last resort, which
 * admission is there to keep it from) or none at all; the server answers {@code /health} and a question afterwards.
 *
 * <p>With the default limits, which the heap decides ({@link RequestLimits#forHeap}: 3.6 megapixels per request and
 * in flight at 384 MB), the load (7.6 MB bodies) and more: what the heap cannot decode is refused and what
 * it can is answered, one at a time. Before
 * the limits followed the heap (64 megapixels per request whatever the heap), a 5000 × 5000 image got 503 "ran out
 * of memory" in one run of two. With admission off (no pixel limit, no budget) the same load runs the heap out:
 * tried, 3 of 16 answers were 503 "ran out of memory" and 13 were 400 "truncated or corrupt" — an OutOfMemoryError
 * inside ImageIO, which it reports as a read error ({@link DecodeOutOfMemoryTest}).
 */
class SmallHeapTest {

    private static final String HEAP = "384m";
    private static final int CLIENTS = 8;

    /** A request and the statuses it may get. */
    private record Client(String name, String body, Set<Integer> statuses) {
    }

    @Test
    void withTheDefaultLimitsWhatTheHeapCannotDecodeIsRefusedAndTheRestAnswered() throws Exception {
        // grey PNGs are ~100 KB however large: the sizes are in the headers, the memory in decoding them
        // the issue's: four 7000 × 7000 PNGs in a 7.6 MB body, eight clients at once
        String huge = ServeFixtures.dataUrl(ServeFixtures.greyPng(7000, 7000, 1_400_000));
        String large = ServeFixtures.dataUrl(ServeFixtures.greyPng(5000, 5000));
        String fits = ServeFixtures.dataUrl(ServeFixtures.greyPng(1800, 1800)); // 3.2 megapixels: one at a time
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            clients.add(new Client("4 × 7000 × 7000", ServeFixtures.chatBody("Describe these.",
                    Collections.nCopies(4, huge), "\"max_tokens\": 1"), Set.of(413)));
            clients.add(new Client("1800 × 1800", ServeFixtures.chatBody("What is this?", List.of(fits),
                    "\"max_tokens\": 1"), Set.of(200)));
        }
        for (int i = 0; i < CLIENTS / 2; i++) {
            clients.add(new Client("5000 × 5000", ServeFixtures.chatBody("What is this?", List.of(large),
                    "\"max_tokens\": 1"), Set.of(413)));
        }
        assertTrue(clients.get(0).body().length() > 7_400_000, "7.6 MB: " + clients.get(0).body().length());
        try (ForkedServer server = ForkedServer.start(HEAP)) {
            assertTrue(server.output().contains("limits: 16 images, 3,"), "3.x megapixels at 384 MB: "
                    + server.output());
            sendAtOnce(server, clients);
        }
    }

    @Test
    void withPixelLimitsThatFitTheHeapConcurrentLargeImagesAreEachAnswered() throws Exception {
        // 20 megapixels per request and in flight: any one 4000 × 4000 image fits, two at once do not
        String huge = ServeFixtures.dataUrl(ServeFixtures.greyPng(7000, 7000));
        String large = ServeFixtures.dataUrl(ServeFixtures.greyPng(4000, 4000));
        List<Client> clients = new ArrayList<>();
        for (int i = 0; i < CLIENTS; i++) {
            clients.add(new Client("4 × 7000 × 7000", ServeFixtures.chatBody("Describe these.",
                    Collections.nCopies(4, huge), "\"max_tokens\": 1"), Set.of(200, 413, 503)));
            clients.add(new Client("4000 × 4000", ServeFixtures.chatBody("What is this?", List.of(large),
                    "\"max_tokens\": 1"), Set.of(200, 413, 503)));
        }
        try (ForkedServer server = ForkedServer.start(HEAP, 20_000_000)) {
            sendAtOnce(server, clients);
        }
    }

    // all clients at once; then each answer checked, and the server still up and answering
    private static void sendAtOnce(ForkedServer server, List<Client> clients) throws InterruptedException {
        List<String> wrong = new ArrayList<>();
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService threads = Executors.newFixedThreadPool(clients.size());
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (Client c : clients) {
                HttpRequest request = HttpRequest.newBuilder(server.url("/v1/chat/completions"))
                        .timeout(Duration.ofSeconds(90)).header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(c.body())).build();
                answers.add(threads.submit(() -> {
                    go.await();
                    return ServeFixtures.send(request, HttpResponse.BodyHandlers.ofString());
                }));
            }
            go.countDown();
            for (int i = 0; i < answers.size(); i++) {
                Client c = clients.get(i);
                String name = "client " + i + " (" + c.name() + ")";
                try {
                    String problem = problem(answers.get(i).get(), c.statuses());
                    if (problem != null) {
                        wrong.add(name + ": " + problem);
                    }
                } catch (ExecutionException e) {
                    wrong.add(name + ": no answer: " + e.getCause());
                }
            }
        } finally {
            threads.shutdownNow();
        }
        assertEquals(List.of(), wrong, server.output());

        assertTrue(server.alive(), server.output());
        assertEquals(200, send(HttpRequest.newBuilder(server.url("/health")).GET()).statusCode());
        HttpResponse<String> after = send(HttpRequest.newBuilder(server.url("/v1/chat/completions"))
                .POST(HttpRequest.BodyPublishers.ofString(ServeFixtures.chatBody("Hi", List.of(),
                        "\"max_tokens\": 2"))));
        assertEquals(200, after.statusCode(), after.body());
    }

    /**
     * What is wrong with an answer, or null: one of {@code statuses}, and a refusal one the server chose, in OpenAI's
     * shape.
     */
    private static String problem(HttpResponse<String> r, Set<Integer> statuses) {
        int status = r.statusCode();
        if (!statuses.contains(status)) {
            return status + " " + r.body();
        }
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
