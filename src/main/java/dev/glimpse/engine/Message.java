package dev.glimpse.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One turn of a conversation.
 *
 * @param role  who speaks
 * @param parts text and images in order
 */
public record Message(Role role, List<Part> parts) {
    public Message {
        Objects.requireNonNull(role, "role");
        parts = List.copyOf(parts);
    }

    /** A user turn with the images first, then the text, as GLM-4V's examples place them. */
    public static Message user(String text, ImageInput... images) {
        List<Part> parts = new ArrayList<>();
        for (ImageInput image : images) {
            parts.add(new Part.Image(image));
        }
        parts.add(new Part.Text(text));
        return new Message(Role.USER, parts);
    }

    /** An assistant turn (the answer text only, without reasoning). */
    public static Message assistant(String text) {
        return new Message(Role.ASSISTANT, List.of(new Part.Text(text)));
    }

    /** A system turn. */
    public static Message system(String text) {
        return new Message(Role.SYSTEM, List.of(new Part.Text(text)));
    }

    /** The images of this message, in order. */
    public List<ImageInput> images() {
        return parts.stream().filter(p -> p instanceof Part.Image).map(p -> ((Part.Image) p).image()).toList();
    }
}
