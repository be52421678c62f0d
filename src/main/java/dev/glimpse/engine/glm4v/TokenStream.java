package dev.glimpse.engine.glm4v;

import dev.glimpse.engine.TokenListener;

import java.util.Set;

/**
 * Turns generated ids into {@link TokenListener.Token}s: each token's text (decoded incrementally, so characters
 * split across tokens come out whole) and whether it belongs to the reasoning.
 *
 * <p>{@code <think>} and {@code </think>} switch the reasoning flag and add no text; stop tokens add none either.
 * Box markers stay in the text, as they do in the answer.
 */
final class TokenStream {

    private final StreamingDecoder decoder;
    private final SpecialTokens special;
    private final Set<Integer> stopIds;
    private final TokenListener listener;
    private boolean reasoning;

    TokenStream(Glm4vTokenizer tokenizer, SpecialTokens special, Set<Integer> stopIds, TokenListener listener) {
        this.decoder = tokenizer.streamingDecoder(false);
        this.special = special;
        this.stopIds = stopIds;
        this.listener = listener;
    }

    void accept(int id) {
        String text = decoder.push(id);
        if (id == special.think()) {
            reasoning = true;
            text = "";
        } else if (id == special.endThink()) {
            reasoning = false;
            text = "";
        } else if (stopIds.contains(id)) {
            text = "";
        }
        listener.onToken(new TokenListener.Token(id, text, reasoning));
    }
}
