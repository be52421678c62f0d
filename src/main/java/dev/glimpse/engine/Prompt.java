package dev.glimpse.engine;

import java.util.List;

/**
 * A conversation to answer: system, user and assistant turns, the last one from the user.
 *
 * @param messages the turns in order
 */
public record Prompt(List<Message> messages) {
    public Prompt {
        messages = List.copyOf(messages);
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("A prompt needs at least one message");
        }
    }

    /** A single user turn with the given images and text. */
    public static Prompt of(String text, ImageInput... images) {
        return new Prompt(List.of(Message.user(text, images)));
    }

    /** All images of the conversation, in order. */
    public List<ImageInput> images() {
        return messages.stream().flatMap(m -> m.images().stream()).toList();
    }
}
