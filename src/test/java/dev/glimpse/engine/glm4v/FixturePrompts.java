package dev.glimpse.engine.glm4v;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glimpse.engine.ImageInput;
import dev.glimpse.engine.Message;
import dev.glimpse.engine.Part;
import dev.glimpse.engine.Prompt;
import dev.glimpse.engine.Role;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** Turns the fixtures' chat messages (transformers' JSON form) into {@link Prompt}s. */
final class FixturePrompts {

    private FixturePrompts() {
    }

    /** Whether every message can be expressed as a {@link Prompt} (no video parts, no tool turns). */
    static boolean representable(JsonNode messages) {
        for (JsonNode m : messages) {
            if (!List.of("system", "user", "assistant").contains(m.get("role").asText())) {
                return false;
            }
            if (m.get("content").isArray()) {
                for (JsonNode part : m.get("content")) {
                    if (part.path("type").asText().equals("video")) {
                        return false;
                    }
                }
            }
        }
        return true;
    }

    /**
     * The messages as a prompt. An assistant's {@code reasoning_content} becomes a leading {@code <think>} block,
     * which the template reads back the same way.
     */
    static Prompt prompt(JsonNode messages, Function<String, ImageInput> images) {
        List<Message> out = new ArrayList<>();
        for (JsonNode m : messages) {
            Role role = Role.valueOf(m.get("role").asText().toUpperCase(Locale.ROOT));
            List<Part> parts = new ArrayList<>();
            if (m.has("reasoning_content")) {
                parts.add(new Part.Text("<think>" + m.get("reasoning_content").asText() + "</think>"));
            }
            JsonNode content = m.get("content");
            if (content.isTextual()) {
                parts.add(new Part.Text(content.asText()));
            } else {
                for (JsonNode part : content) {
                    String type = part.get("type").asText();
                    if (type.equals("text")) {
                        parts.add(new Part.Text(part.get("text").asText()));
                    } else if (type.equals("image")) {
                        parts.add(new Part.Image(images.apply(part.path("image").asText("unnamed"))));
                    } else {
                        throw new IllegalArgumentException("part type " + type);
                    }
                }
            }
            out.add(new Message(role, parts));
        }
        return new Prompt(out);
    }
}
