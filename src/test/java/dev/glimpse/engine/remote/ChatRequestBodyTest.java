package dev.glimpse.engine.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glimpse.engine.GenerationOptions;
import dev.glimpse.engine.ImageInput;
import dev.glimpse.engine.ImageLoader;
import dev.glimpse.engine.Message;
import dev.glimpse.engine.Prompt;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChatRequestBodyTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ImageInput image() throws URISyntaxException {
        return new ImageLoader().load(Path.of(ChatRequestBodyTest.class.getResource("/glm4v/images/badge_rgba.png")
                .toURI()));
    }

    @Test
    void messagesWithImagesAsPngDataUrls() throws URISyntaxException {
        ImageInput image = image();
        Prompt prompt = new Prompt(List.of(Message.system("Be brief."), Message.user("What is it?", image),
                Message.assistant("A badge."), Message.user("Colour?")));
        JsonNode body = ChatRequestBody.of(JSON, "glm-4.6v-flash", prompt, GenerationOptions.DEFAULT, true);
        assertEquals("glm-4.6v-flash", body.get("model").asText());
        JsonNode messages = body.get("messages");
        assertEquals("system", messages.get(0).get("role").asText());
        assertEquals("Be brief.", messages.get(0).get("content").asText());
        JsonNode parts = messages.get(1).get("content");
        assertEquals("image_url", parts.get(0).get("type").asText());
        assertEquals("text", parts.get(1).get("type").asText());
        assertEquals("What is it?", parts.get(1).get("text").asText());
        assertEquals("assistant", messages.get(2).get("role").asText());
        assertEquals("Colour?", messages.get(3).get("content").asText());
        // the PNG carries the pixels exactly
        String url = parts.get(0).get("image_url").get("url").asText();
        assertTrue(url.startsWith("data:image/png;base64,"));
        BufferedImage sent = new ImageLoader().load(Base64.getDecoder().decode(url.substring(22)), "sent").image();
        for (int y = 0; y < image.height(); y++) {
            for (int x = 0; x < image.width(); x++) {
                assertEquals(image.image().getRGB(x, y), sent.getRGB(x, y));
            }
        }
        assertTrue(body.get("stream").asBoolean());
        assertTrue(body.get("stream_options").get("include_usage").asBoolean());
    }

    @Test
    void offValuesAreLeftOutAndThinkingOffIsSentBothWays() {
        JsonNode plain = ChatRequestBody.of(JSON, "m", Prompt.of("Hi"), GenerationOptions.DEFAULT.withMaxNewTokens(9),
                false);
        assertEquals(9, plain.get("max_tokens").asInt());
        assertEquals(0.0, plain.get("temperature").asDouble());
        assertFalse(plain.get("do_sample").asBoolean(), "greedy for Zhipu");
        for (String absent : new String[] {"top_p", "top_k", "repetition_penalty", "seed", "chat_template_kwargs",
            "thinking", "stream_options"}) {
            assertFalse(plain.has(absent), absent);
        }
        assertFalse(plain.get("stream").asBoolean());

        JsonNode all = ChatRequestBody.of(JSON, "m", Prompt.of("Hi"), GenerationOptions.DEFAULT.withTemperature(0.7)
                .withTopP(0.9).withTopK(40).withRepetitionPenalty(1.1).withSeed(5L).withThinking(false), true);
        assertFalse(all.has("do_sample"));
        assertEquals(0.9, all.get("top_p").asDouble());
        assertEquals(40, all.get("top_k").asInt());
        assertEquals(1.1, all.get("repetition_penalty").asDouble());
        assertEquals(5, all.get("seed").asLong());
        assertFalse(all.get("chat_template_kwargs").get("enable_thinking").asBoolean());
        assertEquals("disabled", all.get("thinking").get("type").asText());
    }
}
