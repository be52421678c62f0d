package dev.glimpse.engine.glm4v;

import java.util.Arrays;

/**
 * Incremental detokenisation: feed ids one at a time, get the text each adds.
 *
 * <p>Decoding each id alone is wrong for byte-level BPE: a character's UTF-8 bytes may be split across tokens
 * (each half decodes to U+FFFD), and decoders may treat a token differently depending on its neighbours. So this
 * decodes a short window of recent ids and emits the growth of that text, holding back output while it ends in an
 * incomplete character. The concatenation of everything emitted (plus {@link #flush()}) equals decoding all ids
 * at once.
 */
public final class StreamingDecoder {

    private static final char REPLACEMENT = '\uFFFD';

    private final Glm4vTokenizer tokenizer;
    private final boolean skipSpecialTokens;
    private int[] ids = new int[64];
    private int size;
    // ids[prefix, read) have been emitted; ids[prefix, size) are decoded together to see what the new ones add
    private int prefix;
    private int read;

    StreamingDecoder(Glm4vTokenizer tokenizer, boolean skipSpecialTokens) {
        this.tokenizer = tokenizer;
        this.skipSpecialTokens = skipSpecialTokens;
    }

    /** Adds one generated id; returns the text it completes (often empty while a character is split). */
    public String push(int id) {
        if (size == ids.length) {
            ids = Arrays.copyOf(ids, size * 2);
        }
        ids[size++] = id;
        String before = decode(prefix, read);
        String now = decode(prefix, size);
        if (now.length() > before.length() && now.charAt(now.length() - 1) != REPLACEMENT) {
            prefix = read;
            read = size;
            return now.substring(before.length());
        }
        return "";
    }

    /** Text still held back (an incomplete character at the end, decoded as U+FFFD). */
    public String flush() {
        String before = decode(prefix, read);
        String now = decode(prefix, size);
        prefix = read = size;
        return now.length() > before.length() ? now.substring(before.length()) : "";
    }

    /** All ids pushed so far. */
    public int[] ids() {
        return Arrays.copyOf(ids, size);
    }

    private String decode(int from, int to) {
        return from == to ? "" : tokenizer.decode(Arrays.copyOfRange(ids, from, to), skipSpecialTokens);
    }
}
