package dev.glimpse.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glimpse.engine.ImageInput;
import dev.glimpse.engine.ImageLoader;
import dev.glimpse.engine.glm4v.Glm4vModel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The tiny-a fixture checkpoint and images, and raw HTTP calls for the server tests. */
final class ServeFixtures {

    static final String MODEL_NAME = "tiny-a";
    static final ObjectMapper JSON = new ObjectMapper();

    private ServeFixtures() {
    }

    static Path fixture(String path) {
        try {
            return Path.of(ServeFixtures.class.getResource("/glm4v/" + path).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Glm4vModel loadModel() {
        return Glm4vModel.load(fixture("tiny-a/model"));
    }

    static ImageInput image(String name) {
        return new ImageLoader().load(fixture("images/" + name));
    }

    static String pngDataUrl(String name) {
        try {
            return "data:image/png;base64," + Base64.getEncoder().encodeToString(
                    Files.readAllBytes(fixture("images/" + name)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A server on a free port of 127.0.0.1. */
    static ChatServer serve(Glm4vModel model, ServeOptions options) {
        return ChatServer.start(model, options.withPort(0));
    }

    static ServeOptions options() {
        return ServeOptions.of(MODEL_NAME);
    }

    static HttpResponse<String> post(URI url, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(url).POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b.build());
    }

    static HttpResponse<String> get(URI url, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(url).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b.build());
    }

    private static HttpResponse<String> send(HttpRequest request) {
        try {
            return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()
                    .send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Checks OpenAI's error shape and returns the error object. */
    static JsonNode assertOpenAiError(HttpResponse<String> response, int status) {
        assertEquals(status, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("content-type").orElse("").startsWith("application/json"));
        JsonNode root = json(response.body());
        assertEquals(1, root.size(), "only 'error' at the top: " + root);
        JsonNode error = root.get("error");
        for (String field : new String[] {"message", "type", "param", "code"}) {
            assertTrue(error.has(field), field + " in " + error);
        }
        assertTrue(error.get("message").isTextual() && !error.get("message").asText().isBlank());
        assertTrue(error.get("type").isTextual());
        return error;
    }
}
