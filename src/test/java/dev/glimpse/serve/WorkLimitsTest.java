package dev.glimpse.serve;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17, items 2, 5, 6 and 9: what one request may ask of the server, and the plain answers to requests
 * beyond it. Each refusal names the limit and the fix; none shows the server's internals.
 */
class WorkLimitsTest {

    @RegisterExtension
    static final ServedModel SERVED = ServedModel.tinyA(options -> options.withLimits(RequestLimits.DEFAULT
            .withMaxImages(4).withMaxPixels(10_000_000).withMaxPromptTokens(1_000)
            .withMaxPixelsInFlight(10_000_000)));

    private static JsonNode refused(String body, int status) {
        HttpResponse<String> r = SERVED.postChat(body);
        JsonNode error = ServeFixtures.assertOpenAiError(r, status);
        String message = error.get("message").asText();
        assertFalse(message.matches("(?s).*(Exception|java\\.|jackson|\\bat [a-z]+\\.).*"), message);
        return error;
    }

    private static String text(String prompt, String extra) {
        return ServeFixtures.chatBody(prompt, List.of(), extra);
    }

    @Test
    void tooManyImagesAreRefusedNamingTheLimit() {
        String png = ServeFixtures.pngDataUrl("tiny_rgb.png");
        JsonNode e = refused(ServeFixtures.chatBody("Hi", Collections.nCopies(5, png), ""), 400);
        assertTrue(e.get("message").asText().contains("5 images; this server accepts at most 4"), e.toString());
        assertTrue(e.get("message").asText().contains("--max-images"), e.toString());
    }

    @Test
    void imagesThatCannotFitAre413BeforeDecoding() {
        // four 7000 × 7000 images: 196 megapixels, ~800 MB decoded; the headers alone decide
        String big = ServeFixtures.dataUrl(ServeFixtures.greyPng(7000, 7000));
        long start = System.nanoTime();
        JsonNode e = refused(ServeFixtures.chatBody("Describe these.", Collections.nCopies(4, big), ""), 413);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertTrue(e.get("message").asText().contains("196000000 pixels in all"), e.toString());
        assertTrue(e.get("message").asText().contains("at most 10000000 per request (glimpse serve --max-pixels)"),
                e.toString());
        assertTrue(seconds < 30, "answered without decoding, in " + seconds + " s");
    }

    @Test
    void overLongPromptsAreRefusedCountedInTokensWithImages() {
        JsonNode e = refused(text("word ".repeat(5_000), "\"max_tokens\": 1"), 400);
        assertTrue(e.get("message").asText().matches("The prompt takes \\d+ tokens \\(text and images\\); this "
                + "server accepts at most 1000 \\(glimpse serve --max-prompt-tokens\\).*"), e.toString());
        assertEquals("context_length_exceeded", e.get("code").asText());
        // images count: a text under the limit is over it with the images added
        String image = ServeFixtures.dataUrl(ServeFixtures.greyPng(1500, 1500));
        int withOne = promptTokens(ServeFixtures.chatBody("word", List.of(image), "\"max_tokens\": 1"));
        int alone = promptTokens(text("word", "\"max_tokens\": 1"));
        int perImage = withOne - alone;
        assertTrue(perImage > 10, perImage + " tokens an image");
        String words = "word ".repeat(1_000 - alone - 2 * perImage);
        assertTrue(promptTokens(text(words, "\"max_tokens\": 1")) <= 1_000);
        JsonNode withImages = refused(ServeFixtures.chatBody(words, List.of(image, image, image, image),
                "\"max_tokens\": 1"), 400);
        assertTrue(withImages.get("message").asText().contains("at most 1000"), withImages.toString());
    }

    private static int promptTokens(String body) {
        HttpResponse<String> r = SERVED.postChat(body);
        assertEquals(200, r.statusCode(), r.body());
        return ServeFixtures.json(r.body()).get("usage").get("prompt_tokens").asInt();
    }

    @Test
    void malformedJsonGetsAPlainMessage() {
        JsonNode deep = refused("{\"messages\": " + "[".repeat(5_000) + "]".repeat(5_000) + "}", 400);
        assertTrue(deep.get("message").asText().contains("nests JSON deeper than 64 levels"), deep.toString());
        JsonNode digits = refused(text("Hi", "\"max_tokens\": 1" + "0".repeat(100_000)), 400);
        assertTrue(digits.get("message").asText().contains("more than 100 digits"), digits.toString());
        JsonNode broken = refused("{\"messages\": [", 400);
        assertTrue(broken.get("message").asText().startsWith("The request body is not valid JSON"), broken.toString());
    }

    @Test
    void theImagePlaceholderInTextIsTheClientsMistake() {
        JsonNode e = refused(text("look: <|image|>", "\"max_tokens\": 1"), 400);
        assertTrue(e.get("message").asText().contains("<|image|>"), e.toString());
    }

    @Test
    void samplingParametersAreCheckedAsOpenAiDoes() {
        assertTrue(refused(text("Hi", "\"temperature\": 2.5"), 400).get("message").asText()
                .contains("temperature must be from 0 (greedy) to 2, was 2.5"));
        assertTrue(refused(text("Hi", "\"temperature\": 1e9"), 400).get("message").asText()
                .contains("temperature must be from 0 (greedy) to 2"));
        assertTrue(refused(text("Hi", "\"top_p\": 0"), 400).get("message").asText()
                .contains("top_p must be above 0 and at most 1"));
        assertTrue(refused(text("Hi", "\"top_p\": 1.5"), 400).get("message").asText()
                .contains("top_p must be above 0 and at most 1"));
        JsonNode huge = refused(text("Hi", "\"max_tokens\": 1000000000"), 400);
        assertTrue(huge.get("message").asText().contains("max_tokens must be a whole number from 1 to 131072 "
                + "(the model's context length)"), huge.toString());
        JsonNode beyond = refused(text("Hi", "\"max_tokens\": 131072"), 400);
        assertTrue(beyond.get("message").asText().matches("The prompt takes \\d+ tokens and max_tokens asks for "
                + "131072 more, beyond the model's context of 131072 tokens; set max_tokens to at most \\d+\\."),
                beyond.toString());
    }

    @Test
    void aTemperatureTooSmallToDivideByIsGreedy() {
        String greedy = answer(text("Hello!", "\"max_tokens\": 8, \"temperature\": 0"));
        assertEquals(greedy, answer(text("Hello!", "\"max_tokens\": 8, \"temperature\": 1e-300")));
        assertEquals(greedy, answer(text("Hello!", "\"max_tokens\": 8, \"temperature\": 1e-30, \"seed\": 3")));
    }

    private static String answer(String body) {
        HttpResponse<String> r = SERVED.postChat(body);
        assertEquals(200, r.statusCode(), r.body());
        JsonNode message = ServeFixtures.json(r.body()).get("choices").get(0).get("message");
        return message.get("reasoning_content") + "|" + message.get("content").asText();
    }

    @Test
    void aLargeImageOfLegitimateSizeIsAnswered() {
        // ~17 MB of incompressible PNG, 22 M base64 characters in one JSON string
        byte[] png = ServeFixtures.noisePng(2400, 2400);
        assertTrue(png.length > 16_000_000, "PNG of " + png.length + " bytes");
        HttpResponse<String> r = SERVED.postChat(ServeFixtures.chatBody("What is this?",
                List.of(ServeFixtures.dataUrl(png)), "\"max_tokens\": 1"));
        assertEquals(200, r.statusCode(), r.body());
    }

    @Test
    void concurrentRequestsOverThePixelBudgetAreEachAnswered() throws Exception {
        // each request takes 5.8 of the 10 megapixels in flight: they are decoded one at a time, and all answered
        String image = ServeFixtures.dataUrl(ServeFixtures.greyPng(2400, 2400));
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                answers.add(clients.submit(() -> SERVED.postChat(ServeFixtures.chatBody("What is this?",
                        List.of(image), "\"max_tokens\": 1"))));
            }
            for (Future<HttpResponse<String>> a : answers) {
                assertEquals(200, a.get().statusCode(), a.get().body());
            }
        } finally {
            clients.shutdownNow();
        }
    }
}
