package dev.glimpse.serve;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 17, item 8: on the wire, the streamed deltas of an answer add up to exactly the content and reasoning of
 * the same answer not streamed — the OpenAI clients concatenate them, and a leading newline (the one after
 * {@code </think>}) showed up streamed only.
 */
class StreamedDeltasTest {

    @RegisterExtension
    static final ServedModel SERVED = ServedModel.tinyA();

    @Test
    void streamedDeltasAddUpToTheNonStreamedAnswer() {
        URI chat = SERVED.chat();
        List<String> mismatches = new ArrayList<>();
        String[][] cases = {
            // answer text, then <think> and reasoning until the length limit
            {"seven", "shapes_rgb.png", "30", "true"},
            // the answer's first token starts with a space
            {"Hello!", "shapes_rgb.png", "30", "true"},
            // the last token is a newline
            {"1", "shapes_rgb.png", "30", "true"},
            {"Hello!", null, "12", "false"},
        };
        int withReasoning = 0;
        for (String[] c : cases) {
            List<String> images = c[1] == null ? List.of() : List.of(ServeFixtures.pngDataUrl(c[1]));
            String fields = "\"max_tokens\": " + c[2] + ", \"temperature\": 0, \"chat_template_kwargs\": "
                    + "{\"enable_thinking\": " + c[3] + "}";
            HttpResponse<String> whole = ServeFixtures.post(chat, ServeFixtures.chatBody(c[0], images, fields));
            assertEquals(200, whole.statusCode(), whole.body());
            JsonNode message = ServeFixtures.json(whole.body()).get("choices").get(0).get("message");
            String content = message.get("content").asText();
            String reasoning = message.get("reasoning_content").isNull() ? ""
                    : message.get("reasoning_content").asText();
            withReasoning += reasoning.isEmpty() ? 0 : 1;

            HttpResponse<String> streamed = ServeFixtures.post(chat, ServeFixtures.chatBody(c[0], images,
                    fields + ", \"stream\": true"));
            assertEquals(200, streamed.statusCode(), streamed.body());
            StringBuilder streamedContent = new StringBuilder();
            StringBuilder streamedReasoning = new StringBuilder();
            for (String line : streamed.body().split("\n")) {
                if (!line.startsWith("data: {")) {
                    continue;
                }
                JsonNode choices = ServeFixtures.json(line.substring(6)).get("choices");
                if (choices.isEmpty()) {
                    continue;
                }
                JsonNode delta = choices.get(0).get("delta");
                streamedContent.append(delta.path("content").asText(""));
                streamedReasoning.append(delta.path("reasoning_content").asText(""));
            }
            if (!streamedContent.toString().equals(content)) {
                mismatches.add(c[0] + " content: streamed " + quoted(streamedContent) + ", whole " + quoted(content));
            }
            if (!streamedReasoning.toString().equals(reasoning)) {
                mismatches.add(c[0] + " reasoning: streamed " + quoted(streamedReasoning) + ", whole "
                        + quoted(reasoning));
            }
        }
        assertTrue(withReasoning > 0, "some case has reasoning");
        assertEquals(List.of(), mismatches);
    }

    private static String quoted(CharSequence s) {
        return "'" + s.toString().replace("\n", "\\n") + "'";
    }
}
