package dev.glimpse.engine.glm4v;

import dev.glimpse.engine.AnswerParser;
import dev.glimpse.engine.TokenListener;

import java.util.Set;

/**
 * Turns generated ids into {@link TokenListener.Token}s and the answer's text: each token's text (decoded
 * incrementally, so characters split across tokens come out whole) and whether it belongs to the reasoning.
 *
 * <p>Special tokens are dropped (stop tokens, and the stray control tokens a model may emit), except those the
 * answer is made of: {@code <think>} / {@code </think>} switch the reasoning flag and, like box markers, are
 * written into {@link #text()} for {@link AnswerParser}; box markers are streamed too, as the answer keeps them.
 * The streamed pieces therefore add up to the answer and reasoning the caller finally gets — also when the last
 * token leaves a character incomplete (a length limit in the middle of a multi-byte character): the token that ends
 * generation, a stop token or the last one the limit allows, carries the held-back rest (U+FFFD, as a whole decode
 * gives). Only a cancelled answer may end with text the stream did not carry.
 */
final class TokenStream {

    private final StreamingDecoder decoder;
    private final SpecialTokens special;
    private final TokenListener listener;
    private final Set<Integer> stopIds;
    private final int maxTokens;
    private final StringBuilder text = new StringBuilder();
    private boolean reasoning;
    private int count;

    /**
     * @param stopIds   ids that end generation
     * @param maxTokens the most tokens generation produces
     */
    TokenStream(Glm4vTokenizer tokenizer, SpecialTokens special, TokenListener listener, Set<Integer> stopIds,
                int maxTokens) {
        this.decoder = tokenizer.streamingDecoder(true);
        this.special = special;
        this.listener = listener;
        this.stopIds = stopIds;
        this.maxTokens = maxTokens;
    }

    void accept(int id) {
        String piece = decoder.push(id);
        boolean last = ++count >= maxTokens || stopIds.contains(id);
        // the bytes of an unfinished character come out before whatever this token adds
        String rest = last ? decoder.flush() : "";
        if (id == special.think() || id == special.endThink()) {
            text.append(rest);
            reasoning = id == special.think();
            text.append(id == special.think() ? SpecialTokens.THINK : SpecialTokens.END_THINK);
            piece = rest;
        } else if (id == special.beginOfBox() || id == special.endOfBox()) {
            piece = rest + (id == special.beginOfBox() ? SpecialTokens.BEGIN_OF_BOX : SpecialTokens.END_OF_BOX);
            text.append(piece);
        } else {
            piece = piece + rest;
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
