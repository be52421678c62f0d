package dev.glimpse.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.glimpse.serve.http.HttpLimits;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests the server refuses: each gets its status and OpenAI's error shape, with the field at fault in
 * {@code param} and a message that says what to send instead. And local image files, allowed only inside the
 * directory the server was given.
 */
class BadRequestTest {

    @RegisterExtension
    static final ServedModel SERVED = ServedModel.tinyA();
    private static ServedModel withMedia;

    @TempDir
    static Path tmp;
    private static Path media;

    @BeforeAll
    static void start() throws IOException {
        media = Files.createDirectories(tmp.resolve("media"));
        Files.copy(ServeFixtures.fixture("images/shapes_rgb.png"), media.resolve("shapes.png"));
        Files.copy(ServeFixtures.fixture("images/small_p.png"), tmp.resolve("secret.png"));
        Files.createSymbolicLink(media.resolve("link.png"), tmp.resolve("secret.png"));
        withMedia = SERVED.alongside(options -> options.withAllowedLocalMediaPath(media));
    }

    @AfterAll
    static void stop() {
        withMedia.close();
    }

    /** A one-message request with a text part and an image part with {@code url}. */
    private static String withImage(String url) {
        ObjectNode body = ServeFixtures.JSON.createObjectNode();
        body.put("max_tokens", 2);
        ObjectNode message = body.putArray("messages").addObject();
        message.put("role", "user");
        message.putArray("content").add(ServeFixtures.JSON.createObjectNode().put("type", "text").put("text", "Hi"))
                .addObject().put("type", "image_url").putObject("image_url").put("url", url);
        return body.toString();
    }

    private static final String HELLO = "[{\"role\": \"user\", \"content\": \"Hello\"}]";

    record Refusal(String name, String body, int status, String param, String code, String message) {
    }

    /** A BMP cut in half: its header reads, its pixels end early, and the decoder's error has no text of ours. */
    private static byte[] cutOffBmp() {
        var image = new BufferedImage(64, 64, BufferedImage.TYPE_INT_RGB);
        var out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "bmp", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        byte[] whole = out.toByteArray();
        return Arrays.copyOf(whole, whole.length / 2);
    }

    static Stream<Refusal> refusals() {
        String notAnImage = "data:image/png;base64," + Base64.getEncoder().encodeToString(
                "hello, not a picture".getBytes(StandardCharsets.UTF_8));
        String fixture = ServeFixtures.fixture("images/shapes_rgb.png").toString();
        return Stream.of(
                new Refusal("bad JSON", "{\"messages\": [", 400, null, "invalid_json",
                        "The request body is not valid JSON"),
                new Refusal("not an object", "[1, 2]", 400, null, "invalid_json", "must be a JSON object"),
                new Refusal("no messages", "{\"model\": \"tiny-a\"}", 400, "messages", null,
                        "'messages' is required"),
                new Refusal("empty messages", "{\"messages\": []}", 400, "messages", null, "non-empty array"),
                new Refusal("no content", "{\"messages\": [{\"role\": \"user\"}]}", 400, "messages[0].content",
                        null, "is missing"),
                new Refusal("tool role", "{\"messages\": [{\"role\": \"tool\", \"content\": \"x\"}]}", 400,
                        "messages[0].role", null, "'tool' is not supported"),
                new Refusal("audio part", "{\"messages\": [{\"role\": \"user\", \"content\": [{\"type\": "
                        + "\"input_audio\"}]}]}", 400, "messages[0].content[0].type", null,
                        "'input_audio' is not supported"),
                new Refusal("data URL not base64", withImage("data:image/png;base64,@@@ not base64 @@@"), 400,
                        "messages[0].content[1].image_url", "invalid_image_url", "is not valid base64"),
                new Refusal("data URL without base64", withImage("data:image/png,rawbytes"), 400,
                        "messages[0].content[1].image_url", "invalid_image_url", "is not base64-encoded"),
                new Refusal("data URL of text", withImage("data:text/plain;base64,aGVsbG8="), 400,
                        "messages[0].content[1].image_url", "invalid_image_url", "holds text/plain, not an image"),
                new Refusal("data URL of no image", withImage(notAnImage), 400,
                        "messages[0].content[1].image_url", "invalid_image", "is not in a format Java can decode"),
                new Refusal("data URL of a cut-off BMP", withImage("data:image/bmp;base64,"
                        + Base64.getEncoder().encodeToString(cutOffBmp())), 400, "messages[0].content[1].image_url",
                        "invalid_image", "cannot be decoded: its data is cut short or damaged"),
                new Refusal("local path not allowed", withImage(fixture), 400, "messages[0].content[1].image_url",
                        "local_media_not_allowed", "reads no local files unless started with "
                        + "--allowed-local-media-path DIR"),
                new Refusal("file URL not allowed", withImage("file://" + fixture), 400,
                        "messages[0].content[1].image_url", "local_media_not_allowed", "is a local file"),
                new Refusal("web URL", withImage("https://example.com/cat.png"), 400,
                        "messages[0].content[1].image_url", "invalid_image_url", "does not fetch URLs"),
                new Refusal("negative temperature", "{\"messages\": " + HELLO + ", \"temperature\": -1}", 400,
                        "temperature", null, "temperature must be from 0 (greedy) to 2"),
                new Refusal("zero max_tokens", "{\"messages\": " + HELLO + ", \"max_tokens\": 0}", 400,
                        "max_tokens", null, "max_tokens must be a whole number from 1 to "),
                new Refusal("text max_tokens", "{\"messages\": " + HELLO + ", \"max_completion_tokens\": \"ten\"}",
                        400, "max_completion_tokens", null, "must be a whole number"),
                new Refusal("top_p above 1", "{\"messages\": " + HELLO + ", \"top_p\": 1.5}", 400, "top_p", null,
                        "top_p must be above 0 and at most 1"),
                new Refusal("two choices", "{\"messages\": " + HELLO + ", \"n\": 2}", 400, "n", null,
                        "Only n = 1 is supported"),
                new Refusal("stop sequences", "{\"messages\": " + HELLO + ", \"stop\": [\"\\n\"]}", 400, "stop",
                        null, "Stop sequences are not supported"),
                new Refusal("tools", "{\"messages\": " + HELLO + ", \"tools\": [{\"type\": \"function\"}]}", 400,
                        "tools", null, "Tools are not supported"),
                new Refusal("stream not boolean", "{\"messages\": " + HELLO + ", \"stream\": \"yes\"}", 400,
                        "stream", null, "stream must be true or false"),
                new Refusal("unknown model", "{\"model\": \"gpt-4o\", \"messages\": " + HELLO + "}", 404, "model",
                        "model_not_found", "The model 'gpt-4o' does not exist; this server serves 'tiny-a'"));
    }

    @TestFactory
    Stream<DynamicTest> badRequestsGetOpenAiErrors() {
        return refusals().map(r -> DynamicTest.dynamicTest(r.name(), () -> {
            JsonNode error = ServeFixtures.assertOpenAiError(ServeFixtures.post(SERVED.chat(), r.body()), r.status());
            assertTrue(error.get("message").asText().contains(r.message()), error.toString());
            assertEquals(r.param(), error.get("param").isNull() ? null : error.get("param").asText(),
                    error.toString());
            assertEquals(r.code(), error.get("code").isNull() ? null : error.get("code").asText(),
                    error.toString());
        }));
    }

    @Test
    void wrongMethodsAndPathsAreRefusedInOpenAiShape() {
        JsonNode get = ServeFixtures.assertOpenAiError(ServeFixtures.get(SERVED.chat()), 405);
        assertTrue(get.get("message").asText().contains("use POST"), get.toString());
        JsonNode nowhere = ServeFixtures.assertOpenAiError(ServeFixtures.get(URI.create("http://127.0.0.1:"
                + SERVED.port() + "/v2/chat")), 404);
        assertTrue(nowhere.get("message").asText().contains("POST /v1/chat/completions"), nowhere.toString());
        ServeFixtures.assertOpenAiError(ServeFixtures.get(SERVED.api("/models/gpt-4o")), 404);
    }

    @Test
    void localFilesAreReadOnlyInsideTheAllowedDirectory() {
        // inside: by file:// URL, absolute path and relative path
        for (String url : new String[] {media.resolve("shapes.png").toUri().toString(),
            media.resolve("shapes.png").toString(), "shapes.png"}) {
            HttpResponse<String> ok = ServeFixtures.post(withMedia.chat(), withImage(url));
            assertEquals(200, ok.statusCode(), url + ": " + ok.body());
        }
        // outside, through .. or a symbolic link: one message, whether the file exists or not (issue 17, item 4)
        String outside = "is not inside the allowed local media directory";
        String[][] refused = {
            {tmp.resolve("secret.png").toString(), outside},
            {tmp.resolve("nonexistent_zz.png").toString(), outside},
            {media.resolve("../secret.png").toString(), outside},
            {media.resolve("../nonexistent_zz.png").toString(), outside},
            {"/etc/shadow", outside},
            {"/etc/nonexistent_zz", outside},
            {"../../../../etc/shadow", outside},
            {"link.png", outside},
            {"missing.png", "does not exist in the allowed local media directory"},
        };
        for (String[] r : refused) {
            JsonNode error = ServeFixtures.assertOpenAiError(ServeFixtures.post(withMedia.chat(), withImage(r[0])),
                    400);
            assertTrue(error.get("message").asText().contains(r[1]), r[0] + ": " + error);
        }
    }

    @Test
    void aLocalFileLargerThanARequestBodyIs413BeforeItIsRead() throws IOException {
        // sparse: no disk space, but the size a reader would have to hold
        Path huge = media.resolve("huge.png");
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(HttpLimits.DEFAULT.maxBodyBytes() + 1);
        }
        try {
            JsonNode error = ServeFixtures.assertOpenAiError(ServeFixtures.post(withMedia.chat(),
                    withImage("huge.png")), 413);
            assertEquals("The image file huge.png at messages[0].content[1].image_url is larger than 64 MiB, the "
                    + "most this server reads; send a smaller image.", error.get("message").asText());
            assertEquals("image_too_large", error.get("code").asText());
        } finally {
            Files.delete(huge);
        }
    }
}
