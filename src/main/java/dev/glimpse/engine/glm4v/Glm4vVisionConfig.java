package dev.glimpse.engine.glm4v;

/**
 * The vision tower's settings ({@code vision_config} of config.json, transformers' {@code Glm4vVisionConfig}).
 *
 * @param depth             number of transformer blocks
 * @param hiddenSize        width of the tower
 * @param hiddenAct         MLP activation, {@code silu}
 * @param attentionBias     whether {@code attn.qkv} has a bias
 * @param numHeads          attention heads
 * @param inChannels        image channels (3)
 * @param imageSize         side of the pretraining image; the position table is (imageSize / patchSize)²
 * @param patchSize         side of a square patch in pixels
 * @param rmsNormEps        epsilon of the RMSNorms
 * @param spatialMergeSize  side of the patch block merged into one LLM token
 * @param temporalPatchSize frames per patch (a still image is repeated to fill them)
 * @param outHiddenSize     width handed to the text decoder (and of the tower's MLP)
 * @param intermediateSize  width of the merger's MLP
 * @param ropeTheta         base of the 2D rotary embedding
 */
public record Glm4vVisionConfig(int depth, int hiddenSize, String hiddenAct, boolean attentionBias, int numHeads,
                                int inChannels, int imageSize, int patchSize, double rmsNormEps,
                                int spatialMergeSize, int temporalPatchSize, int outHiddenSize,
                                int intermediateSize, double ropeTheta) {

    /** Width of one attention head. */
    public int headDim() {
        return hiddenSize / numHeads;
    }

    /** Side of the learned position table: {@code imageSize / patchSize} (24 for GLM-4V). */
    public int positionGridSize() {
        return imageSize / patchSize;
    }

    /** Values per patch row of {@code pixel_values}: channels × temporal × patch² (1176). */
    public int patchDim() {
        return inChannels * temporalPatchSize * patchSize * patchSize;
    }

    static Glm4vVisionConfig from(ConfigJson v) {
        ConfigJson rope = v.child("rope_parameters");
        Glm4vVisionConfig c = new Glm4vVisionConfig(
                v.integer("depth", v.integer("num_hidden_layers", 24)), v.integer("hidden_size", 1536),
                v.string("hidden_act", "silu"), v.bool("attention_bias", false),
                v.integer("num_heads", v.integer("num_attention_heads", 12)), v.integer("in_channels", 3),
                v.integerOrFirst("image_size", 336), v.integerOrFirst("patch_size", 14),
                v.number("rms_norm_eps", 1e-5), v.integer("spatial_merge_size", 2),
                v.integerOrFirst("temporal_patch_size", 2), v.integer("out_hidden_size", 4096),
                v.integer("intermediate_size", 13696), rope.number("rope_theta", v.number("rope_theta", 10_000.0)));
        if (c.numHeads <= 0 || c.hiddenSize % c.numHeads != 0) {
            throw v.invalid("num_heads", "must divide hidden_size (" + c.hiddenSize + "), but is " + c.numHeads);
        }
        if (c.depth <= 0 || c.patchSize <= 0 || c.spatialMergeSize <= 0 || c.temporalPatchSize <= 0
                || c.imageSize < c.patchSize) {
            throw v.invalid("", "has an impossible size: " + c);
        }
        return c;
    }
}
