package dev.glimpse.engine;

/** Receives tokens as they are generated, for streaming. Called on the generating thread. */
@FunctionalInterface
public interface TokenListener {

    /** A listener that ignores every token. */
    TokenListener NONE = token -> { };

    /** Called once per generated token, in order. */
    void onToken(Token token);

    /**
     * One generated token.
     *
     * @param id        the token id
     * @param text      the text it adds (may be empty for special tokens or partial UTF-8 sequences)
     * @param reasoning whether it belongs to the reasoning ({@code <think>…</think>}) rather than the answer
     */
    record Token(int id, String text, boolean reasoning) {
    }
}
