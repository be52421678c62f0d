package dev.glimpse.serve;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The web page's files as the server sends them: from the jar, with a Content-Security-Policy, gzipped when asked,
 * revalidated by ETag, and nothing else of the class path reachable. (The page itself runs in a browser in
 * {@code src/test/python/test_web_page.py}.)
 */
class WebPageTest {

    // a key does not keep the page itself from loading: the page asks for the key
    @RegisterExtension
    static final ServedModel SERVED = ServedModel.tinyA(options -> options.withApiKey("sk-page-test"));

    private static URI at(String path) {
        return SERVED.server().pageUrl().resolve(path);
    }

    private static HttpResponse<byte[]> raw(String method, String path, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(at(path)).method(method, HttpRequest.BodyPublishers.noBody());
        if (headers.length > 0) {
            b.headers(headers);
        }
        return ServeFixtures.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void thePageIsAtTheRootWithItsSecurityHeaders() {
        HttpResponse<String> page = ServeFixtures.get(SERVED.server().pageUrl());
        assertEquals(200, page.statusCode());
        assertEquals("text/html; charset=utf-8", page.headers().firstValue("content-type").orElseThrow());
        assertEquals(WebPage.CONTENT_SECURITY_POLICY, page.headers().firstValue("content-security-policy")
                .orElseThrow());
        assertEquals("nosniff", page.headers().firstValue("x-content-type-options").orElseThrow());
        assertTrue(page.body().contains("<script type=\"module\" src=\"web/app.js\"></script>"));
        assertFalse(page.body().contains("http://") || page.body().contains("https://"), "nothing from elsewhere");
        assertEquals(page.body(), ServeFixtures.get(at("/index.html")).body());
    }

    @Test
    void textIsGzippedWhenAskedAndRevalidatedByEtag() throws IOException {
        HttpResponse<byte[]> plain = raw("GET", "/web/app.js");
        assertEquals(200, plain.statusCode());
        assertEquals("text/javascript; charset=utf-8", plain.headers().firstValue("content-type").orElseThrow());
        HttpResponse<byte[]> gzipped = raw("GET", "/web/app.js", "Accept-Encoding", "gzip");
        assertEquals("gzip", gzipped.headers().firstValue("content-encoding").orElseThrow());
        assertTrue(gzipped.body().length < plain.body().length / 2);
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped.body()))) {
            assertEquals(new String(plain.body()), new String(in.readAllBytes()));
        }
        String etag = plain.headers().firstValue("etag").orElseThrow();
        assertEquals("no-cache", plain.headers().firstValue("cache-control").orElseThrow());
        assertEquals(304, raw("GET", "/web/app.js", "If-None-Match", etag).statusCode());
        HttpResponse<byte[]> head = raw("HEAD", "/web/app.js");
        assertEquals(200, head.statusCode());
        assertEquals(0, head.body().length);
        // images go as they are
        HttpResponse<byte[]> png = raw("GET", "/web/examples/shapes.png", "Accept-Encoding", "gzip");
        assertEquals("image/png", png.headers().firstValue("content-type").orElseThrow());
        assertTrue(png.headers().firstValue("content-encoding").isEmpty());
    }

    @Test
    void nothingElseOfTheClassPathCanBeAskedFor() {
        for (String path : new String[] {"/web/../ChatServer.class", "/web/%2e%2e/WebPage.class", "/web/missing.js",
            "/web/App.js", "/web/", "/web/examples", "/dev/glimpse/serve/web/app.js", "/favicon.ico",
            "/web/examples/README.md.class", "/web/.hidden.js"}) {
            JsonNode error = ServeFixtures.assertOpenAiError(ServeFixtures.get(at(path)), 404);
            assertEquals("not_found", error.get("code").asText(), path);
        }
        JsonNode error = ServeFixtures.assertOpenAiError(ServeFixtures.post(SERVED.server().pageUrl(), "{}"), 405);
        assertTrue(error.get("message").asText().contains("POST is not allowed on /; use GET"), error.toString());
    }

    @Test
    void everyExampleOfTheGalleryIsThereWithItsAltText() {
        JsonNode examples = ServeFixtures.json(ServeFixtures.get(at("/web/examples/examples.json")).body());
        assertEquals(5, examples.size());
        for (JsonNode example : examples) {
            String image = example.get("image").asText();
            assertEquals(200, raw("GET", "/web/examples/" + image).statusCode(), image);
            assertFalse(example.get("alt").asText().isBlank(), image);
            assertTrue(example.get("questions").size() > 0, image);
            assertNotNull(example.get("width"), image);
        }
    }
}
