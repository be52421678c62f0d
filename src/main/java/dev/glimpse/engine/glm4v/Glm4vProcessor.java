package dev.glimpse.engine.glm4v;

import dev.glimpse.engine.CancellationToken;
import dev.glimpse.engine.ImageInput;
import dev.glimpse.engine.Prompt;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a {@link Prompt} into {@link ModelInputs}: the images through the {@link Glm4vImageProcessor}, the
 * conversation through the {@link ChatFormat} and tokenizer, each image's placeholder expanded to its token count
 * (transformers' {@code Glm46VProcessor}).
 */
public final class Glm4vProcessor implements AutoCloseable {

    private final Glm4vTokenizer tokenizer;
    private final ChatFormat chatFormat;
    private final Glm4vImageProcessor imageProcessor;

    public Glm4vProcessor(Glm4vTokenizer tokenizer, PreprocessorConfig preprocessorConfig) {
        this.tokenizer = tokenizer;
        this.chatFormat = new ChatFormat(tokenizer);
        this.imageProcessor = new Glm4vImageProcessor(preprocessorConfig);
    }

    /** Loads the tokenizer and image settings of a model directory. */
    public static Glm4vProcessor open(ModelDirectory dir) {
        return new Glm4vProcessor(Glm4vTokenizer.load(dir.tokenizerFile()), dir.preprocessorConfig());
    }

    public Glm4vTokenizer tokenizer() {
        return tokenizer;
    }

    public ChatFormat chatFormat() {
        return chatFormat;
    }

    public Glm4vImageProcessor imageProcessor() {
        return imageProcessor;
    }

    /** The model's special-token ids. */
    public SpecialTokens specialTokens() {
        return chatFormat.specialTokens();
    }

    /**
     * Processes a prompt.
     *
     * @param thinking whether the model should reason before answering (GLM-4.6V's default: yes)
     */
    public ModelInputs encode(Prompt prompt, boolean thinking) {
        return encode(prompt, thinking, CancellationToken.NEVER);
    }

    /**
     * {@link #encode(Prompt, boolean)} that stops when {@code cancel} reports cancellation.
     *
     * @throws GenerationCancelled when cancelled
     */
    ModelInputs encode(Prompt prompt, boolean thinking, CancellationToken cancel) {
        ProcessedImages images = imageProcessor.process(prompt.images(), cancel);
        int[] ids = chatFormat.inputIds(prompt, thinking, images.grids(), imageProcessor.config().mergeSize());
        return new ModelInputs(ids, images);
    }

    /**
     * The length of {@link #encode}'s input ids, from the images' sizes alone: nothing is resized or decoded.
     *
     * @throws IllegalArgumentException as {@link #encode} does
     */
    public int promptTokens(Prompt prompt, boolean thinking) {
        List<ImageGrid> grids = new ArrayList<>();
        for (ImageInput image : prompt.images()) {
            grids.add(imageProcessor.grid(image.width(), image.height()));
        }
        return chatFormat.inputIds(prompt, thinking, grids, imageProcessor.config().mergeSize()).length;
    }

    @Override
    public void close() {
        tokenizer.close();
    }
}
