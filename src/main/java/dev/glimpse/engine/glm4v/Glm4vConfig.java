package dev.glimpse.engine.glm4v;

import java.nio.file.Path;
import java.util.Set;

/**
 * A GLM-4V model's config.json ({@code Glm4vForConditionalGeneration}, transformers' {@code Glm4vConfig}).
 * Keys that are absent take the defaults of transformers' config classes.
 *
 * <p>The special-token ids here are what the model was configured with; the chat format looks its tokens up in the
 * tokenizer by string.
 *
 * @param modelType         {@code glm4v} or {@code glm46v}
 * @param text              the text decoder
 * @param vision            the vision tower
 * @param imageTokenId      the {@code <|image|>} placeholder that merger rows replace
 * @param videoTokenId      the {@code <|video|>} placeholder
 * @param imageStartTokenId {@code <|begin_of_image|>}
 * @param imageEndTokenId   {@code <|end_of_image|>}
 * @param videoStartTokenId {@code <|begin_of_video|>}
 * @param videoEndTokenId   {@code <|end_of_video|>}
 * @param tieWordEmbeddings whether {@code lm_head} shares {@code embed_tokens}' weights (GLM-4V: no)
 * @param dtype             the checkpoint's dtype as written ({@code bfloat16}), or {@code null}
 */
public record Glm4vConfig(String modelType, Glm4vTextConfig text, Glm4vVisionConfig vision, int imageTokenId,
                          int videoTokenId, int imageStartTokenId, int imageEndTokenId, int videoStartTokenId,
                          int videoEndTokenId, boolean tieWordEmbeddings, String dtype) {

    /** The {@code model_type} values this engine runs; both name the same network. */
    public static final Set<String> SUPPORTED_MODEL_TYPES = Set.of("glm4v", "glm46v");

    /** Reads a config.json file. */
    public static Glm4vConfig read(Path configJson) {
        return from(ConfigJson.read(configJson));
    }

    /** Parses config.json text; {@code source} names it in error messages. */
    public static Glm4vConfig parse(String json, String source) {
        return from(ConfigJson.parse(json, source));
    }

    static Glm4vConfig from(ConfigJson root) {
        String modelType = root.string("model_type", null);
        if (modelType == null || !SUPPORTED_MODEL_TYPES.contains(modelType)) {
            throw new IllegalArgumentException(root.file() + " has model_type " + (modelType == null ? "(none)"
                    : "'" + modelType + "'") + ", but this engine runs GLM-4V models (model_type 'glm4v' or "
                    + "'glm46v', e.g. zai-org/GLM-4.6V-Flash or zai-org/GLM-4.1V-9B-Thinking). "
                    + "Point it at such a model's directory.");
        }
        ConfigJson textJson = root.child("text_config");
        boolean glm46v = modelType.equals("glm46v");
        return new Glm4vConfig(modelType,
                Glm4vTextConfig.from(textJson, root),
                Glm4vVisionConfig.from(root.child("vision_config")),
                tokenId(root, textJson, "image_token_id", 151343),
                tokenId(root, textJson, "video_token_id", 151344),
                tokenId(root, textJson, "image_start_token_id", 151339),
                tokenId(root, textJson, "image_end_token_id", 151340),
                tokenId(root, textJson, "video_start_token_id", glm46v ? 151361 : 151341),
                tokenId(root, textJson, "video_end_token_id", glm46v ? 151362 : 151342),
                root.has("tie_word_embeddings") ? root.bool("tie_word_embeddings", false)
                        : textJson.bool("tie_word_embeddings", false),
                root.string("dtype", root.string("torch_dtype", textJson.string("dtype",
                        textJson.string("torch_dtype", null)))));
    }

    // transformers 4.5x wrote these ids into text_config as well; the top level wins when both are present.
    private static int tokenId(ConfigJson root, ConfigJson text, String key, int fallback) {
        return root.integer(key, text.integer(key, fallback));
    }
}
