package dev.glimpse.engine.glm4v;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import dev.glimpse.engine.CancellationToken;

import java.util.List;
import java.util.function.Function;

/**
 * The whole GLM-4V network: vision tower, text decoder and {@code lm_head}. Covers transformers'
 * {@code Glm4vModel} (image features spliced into the token embeddings, {@code get_rope_index} via
 * {@link RopeIndex}) and {@code Glm4vForConditionalGeneration} (the output head).
 */
final class Glm4vForConditionalGeneration {

    private final Glm4vConfig config;
    private final Glm4vVisionModel visual;
    private final Glm4vTextModel languageModel;
    private final Linear lmHead;

    Glm4vForConditionalGeneration(Glm4vConfig config, Glm4vVisionModel visual, Glm4vTextModel languageModel,
                                  Linear lmHead) {
        this.config = config;
        this.visual = visual;
        this.languageModel = languageModel;
        this.lmHead = lmHead;
    }

    /**
     * Builds the network from checkpoint tensors named as in transformers 5 ({@code model.visual.*},
     * {@code model.language_model.*}, {@code lm_head.weight}).
     *
     * @param weights   returns the tensor of a checkpoint name, in the model's dtype, on its device
     * @param attention the attention kernel shared by every layer
     */
    static Glm4vForConditionalGeneration load(Glm4vConfig config, Function<String, NDArray> weights,
                                              ScaledDotProductAttention attention) {
        Glm4vVisionModel visual = Glm4vVisionModel.load(config.vision(), weights, "model.visual.", attention);
        // one route for a whole decoding step: Java where the step streams its bf16 weights from memory
        boolean javaRows = JavaBf16RowProduct.takesModel(2 * config.text().decodeStepParameters());
        Glm4vTextModel text = Glm4vTextModel.load(config.text(), weights, "model.language_model.", attention,
                javaRows);
        NDArray head = config.tieWordEmbeddings()
                ? weights.apply("model.language_model.embed_tokens.weight")
                : weights.apply("lm_head.weight");
        return new Glm4vForConditionalGeneration(config, visual, text, new Linear(head, null, javaRows));
    }

    Glm4vConfig config() {
        return config;
    }

    Glm4vVisionModel visual() {
        return visual;
    }

    Glm4vTextModel languageModel() {
        return languageModel;
    }

    /** transformers' {@code get_image_features}: merged image embeddings {@code [tokens, hidden]}. */
    NDArray imageFeatures(NDArray pixelValues, List<ImageGrid> grids) {
        return visual.forward(pixelValues, grids);
    }

    /** {@link #imageFeatures(NDArray, List)} that throws {@link GenerationCancelled} when {@code cancel} says so. */
    NDArray imageFeatures(NDArray pixelValues, List<ImageGrid> grids, CancellationToken cancel) {
        return visual.forward(pixelValues, grids, cancel);
    }

    /** The M-RoPE positions of a prompt. */
    RopeIndex ropeIndex(int[] inputIds, List<ImageGrid> grids) {
        return RopeIndex.of(inputIds, config.imageTokenId(), grids, config.vision().spatialMergeSize());
    }

    /**
     * Token embeddings with each {@code <|image|>} row replaced, in order, by a row of {@code imageEmbeds}
     * (transformers' {@code masked_scatter}).
     *
     * @param imageEmbeds {@code [imageTokens, hidden]}, or {@code null} for a text-only prompt
     */
    NDArray inputsEmbeds(NDManager manager, int[] inputIds, NDArray imageEmbeds) {
        long[] ids = new long[inputIds.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = inputIds[i];
        }
        NDArray embeds = languageModel.embed(manager.create(ids, new Shape(ids.length)));
        int imageTokenId = config.imageTokenId();
        int available = imageEmbeds == null ? 0 : Math.toIntExact(imageEmbeds.getShape().get(0));
        int used = 0;
        int i = 0;
        while (i < inputIds.length) {
            if (inputIds[i] != imageTokenId) {
                i++;
                continue;
            }
            int end = i;
            while (end < inputIds.length && inputIds[end] == imageTokenId) {
                end++;
            }
            if (used + (end - i) > available) {
                throw new IllegalArgumentException(mismatch(inputIds, imageTokenId, available));
            }
            try (NDArray rows = imageEmbeds.get("{}:{}", used, used + end - i)) {
                embeds.set(new NDIndex("{}:{}", i, end), rows);
            }
            used += end - i;
            i = end;
        }
        if (used != available) {
            throw new IllegalArgumentException(mismatch(inputIds, imageTokenId, available));
        }
        return embeds;
    }

    private static String mismatch(int[] inputIds, int imageTokenId, int features) {
        long tokens = java.util.Arrays.stream(inputIds).filter(id -> id == imageTokenId).count();
        return "Image features and image tokens do not match: the prompt has " + tokens + " <|image|> tokens but the "
                + "vision tower produced " + features + " rows";
    }

    /** {@code lm_head} over hidden states {@code [S, hidden]} → logits {@code [S, vocab]}. */
    NDArray logits(NDArray hidden) {
        return lmHead.forward(hidden);
    }

    /** Whether a decoding step's weights are read in Java ({@link JavaBf16RowProduct}) rather than by libtorch. */
    boolean decodesRowsInJava() {
        return lmHead.rowsInJava() && languageModel.decodesRowsInJava();
    }
}
