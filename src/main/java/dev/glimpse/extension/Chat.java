package dev.glimpse.extension;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A conversation with the model that remembers what was said: each {@code ask} sends the earlier questions (with
 * their images) and answers along. Made by {@code chat()}; in a notebook it shows the conversation so far.
 *
 * <pre>{@code
 * var c = chat();
 * c.ask(image("kitchen.jpg"), "What is on the table?");
 * c.ask("Which of those is red?");       // knows about the table and the image
 * c.history();                            // both answers
 * c.reset();                              // forget them
 * }</pre>
 *
 * <p>Interrupted answers are not kept in the history: ask again.
 */
public final class Chat {

    private final Session session;
    private final AskOptions options;
    private final List<Answer> history = new ArrayList<>();

    Chat(Session session, AskOptions options) {
        this.session = session;
        this.options = options;
    }

    /** Asks a follow-up question in text. */
    public Answer ask(String prompt) {
        return ask(List.of(), prompt, AskOptions.defaults());
    }

    /** Asks a question in text with options for this turn. */
    public Answer ask(String prompt, AskOptions turnOptions) {
        return ask(List.of(), prompt, turnOptions);
    }

    /** Asks about an image. */
    public Answer ask(Image image, String prompt) {
        return ask(List.of(image), prompt, AskOptions.defaults());
    }

    /** Asks about an image with options for this turn. */
    public Answer ask(Image image, String prompt, AskOptions turnOptions) {
        return ask(List.of(image), prompt, turnOptions);
    }

    /** Asks about several images. */
    public Answer ask(List<Image> images, String prompt) {
        return ask(images, prompt, AskOptions.defaults());
    }

    /** Asks about several images with options for this turn. */
    public Answer ask(List<Image> images, String prompt, AskOptions turnOptions) {
        List<Answer> earlier;
        synchronized (history) {
            earlier = List.copyOf(history);
        }
        Answer answer = session.ask(Session.turns(earlier), images, prompt, options.with(turnOptions));
        if (!answer.interrupted()) {
            synchronized (history) {
                history.add(answer);
            }
        }
        return answer;
    }

    /** The answers so far, oldest first; each knows its prompt and images. */
    public List<Answer> history() {
        synchronized (history) {
            return Collections.unmodifiableList(new ArrayList<>(history));
        }
    }

    /** How many questions were answered. */
    public int turns() {
        return history().size();
    }

    /** Forgets the conversation; the next question starts afresh. Returns this chat. */
    public Chat reset() {
        synchronized (history) {
            history.clear();
        }
        return this;
    }

    /** The options every turn uses (a turn's own options win). */
    public AskOptions options() {
        return options;
    }

    /** {@code Chat (3 turns)}. */
    @Override
    public String toString() {
        int n = turns();
        return "Chat (" + n + " turn" + (n == 1 ? "" : "s") + ")";
    }
}
