package dev.glimpse.serve;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bytes on the wire, read with the JDK's HTTP client and no Glimpse code: the object names, fields and event
 * framing the OpenAI SDKs parse.
 */
class WireFormatTest {

    @RegisterExtension
    static final ServedModel SERVED = ServedModel.tinyA();

    private static String request(boolean stream) {
        return """
                {"model": "tiny-a", "max_tokens": 6, "temperature": 0, "stream": %s,
                 "stream_options": {"include_usage": true},
                 "messages": [{"role": "system", "content": "You are terse."},
                              {"role": "user", "content": [
                                  {"type": "image_url", "image_url": {"url": "%s"}},
                                  {"type": "text", "text": "What is in this image?"}]}]}
                """.formatted(stream, ServeFixtures.pngDataUrl("shapes_rgb.png"));
    }

    @Test
    void aCompletion() {
        long before = System.currentTimeMillis() / 1000;
        HttpResponse<String> response = ServeFixtures.post(SERVED.chat(),
                request(false));
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("content-type").orElseThrow().startsWith("application/json"));
        JsonNode c = ServeFixtures.json(response.body());
        assertTrue(c.get("id").asText().startsWith("chatcmpl-"));
        assertEquals("chat.completion", c.get("object").asText());
        assertTrue(c.get("created").isIntegralNumber() && c.get("created").asLong() >= before);
        assertEquals("tiny-a", c.get("model").asText());
        assertEquals(1, c.get("choices").size());
        JsonNode choice = c.get("choices").get(0);
        assertEquals(0, choice.get("index").asInt());
        assertEquals("assistant", choice.get("message").get("role").asText());
        assertTrue(choice.get("message").get("content").isTextual());
        assertTrue(choice.get("message").has("reasoning_content") && choice.get("message").has("reasoning"));
        assertEquals("length", choice.get("finish_reason").asText());
        JsonNode usage = c.get("usage");
        assertEquals(6, usage.get("completion_tokens").asInt());
        assertTrue(usage.get("prompt_tokens").asInt() > 10, "text and image tokens");
        assertEquals(usage.get("prompt_tokens").asInt() + 6, usage.get("total_tokens").asInt());
    }

    @Test
    void aStream() {
        HttpResponse<String> response = ServeFixtures.post(SERVED.chat(),
                request(true));
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.headers().firstValue("content-type").orElseThrow().startsWith("text/event-stream"));
        String body = response.body();
        assertTrue(body.endsWith("data: [DONE]\n\n"), body);
        // every event is one "data: " line and a blank line
        String[] events = body.split("\n\n");
        List<JsonNode> chunks = new ArrayList<>();
        for (int i = 0; i < events.length - 1; i++) {
            assertTrue(events[i].startsWith("data: ") && !events[i].contains("\n"), events[i]);
            chunks.add(ServeFixtures.json(events[i].substring("data: ".length())));
        }
        assertEquals("data: [DONE]", events[events.length - 1]);

        String id = chunks.get(0).get("id").asText();
        assertTrue(id.startsWith("chatcmpl-"));
        for (JsonNode chunk : chunks) {
            assertEquals(id, chunk.get("id").asText(), "one id for the whole stream");
            assertEquals("chat.completion.chunk", chunk.get("object").asText());
            assertEquals(chunks.get(0).get("created").asLong(), chunk.get("created").asLong());
            assertEquals("tiny-a", chunk.get("model").asText());
        }
        JsonNode first = chunks.get(0).get("choices").get(0);
        assertEquals(0, first.get("index").asInt());
        assertEquals("assistant", first.get("delta").get("role").asText());
        assertTrue(first.get("finish_reason").isNull());

        // token chunks, then the chunk with the finish reason, then usage with no choices
        JsonNode usageChunk = chunks.get(chunks.size() - 1);
        assertEquals(0, usageChunk.get("choices").size());
        assertEquals(6, usageChunk.get("usage").get("completion_tokens").asInt());
        JsonNode finish = chunks.get(chunks.size() - 2).get("choices").get(0);
        assertEquals("length", finish.get("finish_reason").asText());
        assertEquals(0, finish.get("delta").size());
        List<JsonNode> tokens = chunks.subList(1, chunks.size() - 2);
        assertFalse(tokens.isEmpty());
        for (JsonNode chunk : tokens) {
            JsonNode choice = chunk.get("choices").get(0);
            assertEquals(0, choice.get("index").asInt());
            assertTrue(choice.get("finish_reason").isNull());
            assertTrue(chunk.get("usage").isNull(), "usage is null until the last chunk");
            JsonNode delta = choice.get("delta");
            assertTrue(delta.has("content") || delta.has("reasoning_content") && delta.has("reasoning"), delta
                    .toString());
        }

        // the streamed text is the completion's text
        String streamed = String.join("", tokens.stream().map(c -> c.get("choices").get(0).get("delta")
                .path("content").asText("")).toList());
        JsonNode completion = ServeFixtures.json(ServeFixtures.post(SERVED.chat(),
                request(false)).body());
        assertEquals(completion.get("choices").get(0).get("message").get("content").asText(), streamed.strip());
    }

    @Test
    void theModelList() {
        HttpResponse<String> response = ServeFixtures.get(SERVED.api("/models"));
        assertEquals(200, response.statusCode());
        JsonNode list = ServeFixtures.json(response.body());
        assertEquals("list", list.get("object").asText());
        JsonNode m = list.get("data").get(0);
        assertEquals("tiny-a", m.get("id").asText());
        assertEquals("model", m.get("object").asText());
        assertTrue(m.get("created").isIntegralNumber());
        assertEquals("glimpse", m.get("owned_by").asText());
        assertEquals(1, m.path("glimpse").path("max_concurrent_generations").asInt(), "says it runs one at a time");
        assertEquals(m, ServeFixtures.json(ServeFixtures.get(SERVED.api("/models/tiny-a"))
                .body()));
    }
}
