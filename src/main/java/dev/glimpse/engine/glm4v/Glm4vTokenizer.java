package dev.glimpse.engine.glm4v;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * GLM-4V's tokenizer: the model directory's tokenizer.json run by DJL's binding of Hugging Face tokenizers, offline.
 * Encoding adds no special tokens, never truncates and never pads: the chat format writes every special token
 * itself, and prompts with images run to thousands of tokens.
 */
public final class Glm4vTokenizer implements AutoCloseable {

    private final HuggingFaceTokenizer tokenizer;
    private final Path file;

    private Glm4vTokenizer(HuggingFaceTokenizer tokenizer, Path file) {
        this.tokenizer = tokenizer;
        this.file = file;
    }

    /** Loads a tokenizer.json file (or the tokenizer.json of a directory). */
    public static Glm4vTokenizer load(Path tokenizerJson) {
        Path file = Files.isDirectory(tokenizerJson) ? tokenizerJson.resolve("tokenizer.json") : tokenizerJson;
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("No tokenizer.json at " + file + ". Download it with the model's other "
                    + "files (" + ModelDirectory.DOWNLOAD_HINT + ").");
        }
        preferBundledNativeLibrary();
        try {
            HuggingFaceTokenizer t = HuggingFaceTokenizer.builder()
                    .optTokenizerPath(file)
                    .optAddSpecialTokens(false)
                    .optTruncation(false)
                    .optPadding(false)
                    .build();
            return new Glm4vTokenizer(t, file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + " is not a tokenizer.json the Hugging Face tokenizers library "
                    + "can load (" + e.getMessage() + "). Download it again from the model repository.", e);
        }
    }

    // The tokenizers jar bundles CPU builds only. On a machine with a recent CUDA, DJL would pick a CUDA flavour and
    // try to download it; the CPU build does the same work, so ask for it unless the user chose otherwise.
    private static void preferBundledNativeLibrary() {
        if (System.getenv("RUST_FLAVOR") == null && System.getProperty("RUST_FLAVOR") == null) {
            System.setProperty("RUST_FLAVOR", "cpu");
        }
    }

    /** The file this tokenizer was loaded from. */
    public Path file() {
        return file;
    }

    /** Token ids of a text, special-token strings included as their single ids. */
    public int[] encode(String text) {
        return toInts(tokenizer.encode(text, false, false).getIds());
    }

    /** Token strings of a text (byte-level, e.g. {@code Ġw} for " w"), for display and debugging. */
    public List<String> tokens(String text) {
        return List.of(tokenizer.encode(text, false, false).getTokens());
    }

    /** Text of a sequence of ids; special tokens are written out unless {@code skipSpecialTokens}. */
    public String decode(int[] ids, boolean skipSpecialTokens) {
        long[] longs = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            longs[i] = ids[i];
        }
        return tokenizer.decode(longs, skipSpecialTokens);
    }

    /** Text of a sequence of ids, special tokens written out. */
    public String decode(int[] ids) {
        return decode(ids, false);
    }

    /**
     * The id of a token given by its string, e.g. {@code <|image|>}; throws if the vocabulary has no single token
     * with exactly that text.
     */
    public int tokenId(String token) {
        Encoding e = tokenizer.encode(token, false, false);
        long[] ids = e.getIds();
        if (ids.length != 1 || !e.getTokens()[0].equals(token)) {
            throw new IllegalArgumentException(file + " has no token '" + token + "' (it encodes as " + ids.length
                    + " tokens " + List.of(e.getTokens()) + "). This is not a GLM-4V tokenizer.json; use the one "
                    + "from the model's directory.");
        }
        return (int) ids[0];
    }

    /** A decoder that turns ids generated one at a time into text increments. */
    public StreamingDecoder streamingDecoder(boolean skipSpecialTokens) {
        return new StreamingDecoder(this, skipSpecialTokens);
    }

    @Override
    public void close() {
        tokenizer.close();
    }

    private static int[] toInts(long[] ids) {
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }
}
