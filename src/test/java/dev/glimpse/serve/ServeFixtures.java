package dev.glimpse.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glimpse.engine.ImageInput;
import dev.glimpse.engine.ImageLoader;
import dev.glimpse.engine.glm4v.Glm4vModel;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

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

    /**
     * A grey PNG of any size, written row by row: a 7000 × 7000 one takes ~100 KB and no decoded image in memory,
     * so tests can send what would take gigabytes to decode.
     */
    static byte[] greyPng(int width, int height) {
        return greyPng(width, height, 0);
    }

    /**
     * {@link #greyPng} but for {@code noisyBytes} of seeded random pixels at the top, which do not compress: a PNG
     * of any size that takes about that many bytes, as a photo would.
     */
    static byte[] greyPng(int width, int height, int noisyBytes) {
        try {
            ByteArrayOutputStream idat = new ByteArrayOutputStream();
            byte[] row = new byte[1 + width * 3];
            byte[] noisy = new byte[row.length];
            Random random = new Random(17);
            int noisyRows = (noisyBytes + width * 3 - 1) / (width * 3);
            Arrays.fill(row, (byte) 128);
            row[0] = 0; // filter: none
            try (DeflaterOutputStream z = new DeflaterOutputStream(idat, new Deflater(9), 1 << 16)) {
                for (int y = 0; y < height; y++) {
                    if (y < noisyRows) {
                        random.nextBytes(noisy);
                        noisy[0] = 0;
                        z.write(noisy);
                    } else {
                        z.write(row);
                    }
                }
            }
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
            ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
                    .put((byte) 0).put((byte) 0).put((byte) 0);
            chunk(png, "IHDR", ihdr.array());
            chunk(png, "IDAT", idat.toByteArray());
            chunk(png, "IEND", new byte[0]);
            return png.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void chunk(ByteArrayOutputStream png, String type, byte[] data) throws IOException {
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        png.write(ByteBuffer.allocate(4).putInt(data.length).array());
        png.write(t);
        png.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        png.write(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    /** A PNG of random pixels (seeded), which does not compress: its size is about width × height × 3 bytes. */
    static byte[] noisePng(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Random random = new Random(17);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, random.nextInt(1 << 24));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static String dataUrl(byte[] png) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(png);
    }

    /** A chat request body with one user message of images, then text (as {@code Prompt.of} orders them). */
    static String chatBody(String text, List<String> imageUrls, String extraFields) {
        ObjectNode root = JSON.createObjectNode();
        ArrayNode content = root.putArray("messages").addObject().put("role", "user").putArray("content");
        for (String url : imageUrls) {
            content.addObject().put("type", "image_url").putObject("image_url").put("url", url);
        }
        content.addObject().put("type", "text").put("text", text);
        String json = root.toString();
        return extraFields.isEmpty() ? json : json.substring(0, json.length() - 1) + ", " + extraFields + "}";
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
        return send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(URI url, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(url).GET();
        if (headers.length > 0) {
            b.headers(headers);
        }
        return send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sends {@code request} over HTTP/1.1 (as the OpenAI clients do) with a client of its own. */
    static <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) {
        try {
            return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build().send(request, body);
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
