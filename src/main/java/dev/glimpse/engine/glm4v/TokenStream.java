package dev.glimpse.engine.glm4v;

import dev.glimpse.engine.AnswerParser;
import dev.glimpse.engine.TokenListener;

/**
 * Turns generated ids into {@link TokenListener.Token}s and the answer's text: each token's text (decoded
 * incrementally, so characters split across tokens come out whole) and whether it belongs to the reasoning.
 *
 * <p>Special tokens are dropped (stop tokens, and the stray control tokens a model may emit), except those the
 * answer is made of: {@code <think>} / {@code </think>} switch the reasoning flag and, like box markers, are
 * written into {@link #text()} for {@link AnswerParser}; box markers are streamed too, as the answer keeps them.
 * The streamed pieces therefore add up to the answer and reasoning the caller finally gets.
 */
final class TokenStream {

    private final StreamingDecoder decoder;
    private final SpecialTokens special;
    private final TokenListener listener;
    private final StringBuilder text = new StringBuilder();
    private boolean reasoning;

    TokenStream(Glm4vTokenizer tokenizer, SpecialTokens special, TokenListener listener) {
        this.decoder = tokenizer.streamingDecoder(true);
        this.special = special;
        this.listener = listener;
    }

    void accept(int id) {
        String piece = decoder.push(id);
        if (id == special.think() || id == special.endThink()) {
            reasoning = id == special.think();
            text.append(id == special.think() ? SpecialTokens.THINK : SpecialTokens.END_THINK);
            piece = "";
        } else if (id == special.beginOfBox()) {
            piece = SpecialTokens.BEGIN_OF_BOX;
            text.append(piece);
        } else if (id == special.endOfBox()) {
            piece = SpecialTokens.END_OF_BOX;
            text.append(piece);
        } else {
            text.append(piece);
        }
        listener.onToken(new TokenListener.Token(id, piece, reasoning));
    }

    /** Everything generated, as text with the think and box markers, including text still held back. */
    String text() {
        text.append(decoder.flush());
        return text.toString();
    }
}
