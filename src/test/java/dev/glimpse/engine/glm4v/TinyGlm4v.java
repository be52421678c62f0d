package dev.glimpse.engine.glm4v;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A randomly initialised GLM-4V small enough for unit tests, with every tensor named and shaped as in a real
 * checkpoint. Norm weights sit near 1 and projections are scaled by 1/√fan-in so activations stay in range.
 */
final class TinyGlm4v {

    /** 2 vision blocks of width 32 (4 heads), 2 decoder layers of width 64 (4 heads, 2 kv heads), vocab 300. */
    static final String CONFIG = """
            {"model_type": "glm4v", "image_token_id": 290, "video_token_id": 291,
             "image_start_token_id": 288, "image_end_token_id": 289,
             "text_config": {"vocab_size": 300, "hidden_size": 64, "intermediate_size": 96,
                             "num_hidden_layers": 2, "num_attention_heads": 4, "num_key_value_heads": 2,
                             "rms_norm_eps": 1e-5, "eos_token_id": [299],
                             "rope_parameters": {"rope_type": "default", "rope_theta": 500000,
                                                 "partial_rotary_factor": 0.5, "mrope_section": [2, 1, 1]}},
             "vision_config": {"depth": 2, "hidden_size": 32, "num_heads": 4, "intermediate_size": 80,
                               "out_hidden_size": 64, "image_size": 56, "patch_size": 14,
                               "temporal_patch_size": 2, "spatial_merge_size": 2}}
            """;

    private TinyGlm4v() {
    }

    static Glm4vConfig config() {
        return Glm4vConfig.parse(CONFIG, "tiny config.json");
    }

    /** Every checkpoint tensor's shape, by transformers name. */
    static Map<String, long[]> shapes(Glm4vConfig config) {
        Map<String, long[]> s = new LinkedHashMap<>();
        Glm4vVisionConfig v = config.vision();
        int vh = v.hiddenSize();
        String p = "model.visual.";
        s.put(p + "patch_embed.proj.weight", new long[] {vh, v.inChannels(), v.temporalPatchSize(), v.patchSize(),
                v.patchSize()});
        s.put(p + "patch_embed.proj.bias", new long[] {vh});
        s.put(p + "post_conv_layernorm.weight", new long[] {vh});
        s.put(p + "embeddings.position_embedding.weight", new long[] {(long) v.positionGridSize() * v.positionGridSize(), vh});
        for (int i = 0; i < v.depth(); i++) {
            String b = p + "blocks." + i + ".";
            s.put(b + "norm1.weight", new long[] {vh});
            s.put(b + "norm2.weight", new long[] {vh});
            s.put(b + "attn.qkv.weight", new long[] {3L * vh, vh});
            s.put(b + "attn.proj.weight", new long[] {vh, vh});
            s.put(b + "mlp.gate_proj.weight", new long[] {v.outHiddenSize(), vh});
            s.put(b + "mlp.up_proj.weight", new long[] {v.outHiddenSize(), vh});
            s.put(b + "mlp.down_proj.weight", new long[] {vh, v.outHiddenSize()});
        }
        s.put(p + "post_layernorm.weight", new long[] {vh});
        int merge = v.spatialMergeSize();
        s.put(p + "downsample.weight", new long[] {v.outHiddenSize(), vh, merge, merge});
        s.put(p + "downsample.bias", new long[] {v.outHiddenSize()});
        int out = v.outHiddenSize();
        s.put(p + "merger.proj.weight", new long[] {out, out});
        s.put(p + "merger.post_projection_norm.weight", new long[] {out});
        s.put(p + "merger.post_projection_norm.bias", new long[] {out});
        s.put(p + "merger.gate_proj.weight", new long[] {v.intermediateSize(), out});
        s.put(p + "merger.up_proj.weight", new long[] {v.intermediateSize(), out});
        s.put(p + "merger.down_proj.weight", new long[] {out, v.intermediateSize()});

        Glm4vTextConfig t = config.text();
        int h = t.hiddenSize();
        int q = t.numAttentionHeads() * t.headDim();
        int kv = t.numKeyValueHeads() * t.headDim();
        String l = "model.language_model.";
        s.put(l + "embed_tokens.weight", new long[] {t.vocabSize(), h});
        for (int i = 0; i < t.numHiddenLayers(); i++) {
            String b = l + "layers." + i + ".";
            for (String norm : new String[] {"input_layernorm", "post_self_attn_layernorm", "post_attention_layernorm",
                    "post_mlp_layernorm"}) {
                s.put(b + norm + ".weight", new long[] {h});
            }
            s.put(b + "self_attn.q_proj.weight", new long[] {q, h});
            s.put(b + "self_attn.q_proj.bias", new long[] {q});
            s.put(b + "self_attn.k_proj.weight", new long[] {kv, h});
            s.put(b + "self_attn.k_proj.bias", new long[] {kv});
            s.put(b + "self_attn.v_proj.weight", new long[] {kv, h});
            s.put(b + "self_attn.v_proj.bias", new long[] {kv});
            s.put(b + "self_attn.o_proj.weight", new long[] {h, q});
            s.put(b + "mlp.gate_up_proj.weight", new long[] {2L * t.intermediateSize(), h});
            s.put(b + "mlp.down_proj.weight", new long[] {h, t.intermediateSize()});
        }
        s.put(l + "norm.weight", new long[] {h});
        s.put("lm_head.weight", new long[] {t.vocabSize(), h});
        return s;
    }

    /** A random network; all its weights are attached to {@code manager}. */
    static Glm4vForConditionalGeneration network(NDManager manager, long seed, long attentionBudget) {
        return network(manager, config(), seed, attentionBudget);
    }

    /** A random network of any GLM-4V shape. */
    static Glm4vForConditionalGeneration network(NDManager manager, Glm4vConfig config, long seed,
                                                 long attentionBudget) {
        return network(manager, config, seed, attentionBudget, ai.djl.ndarray.types.DataType.FLOAT32);
    }

    /** A random network whose weights are stored in {@code dtype}. */
    static Glm4vForConditionalGeneration network(NDManager manager, Glm4vConfig config, long seed,
                                                 long attentionBudget, ai.djl.ndarray.types.DataType dtype) {
        Map<String, long[]> shapes = shapes(config);
        int[] counter = {0};
        return Glm4vForConditionalGeneration.load(config, name -> {
            long[] dims = shapes.get(name);
            if (dims == null) {
                throw new IllegalArgumentException("no tensor " + name);
            }
            Shape shape = new Shape(dims);
            long seedOf = seed * 1000 + counter[0]++;
            if (name.endsWith("norm.weight") || name.contains("layernorm") || name.matches(".*norm[12]\\.weight")) {
                NDArray noise = TestTensors.random(manager, seedOf, 0.1, dims);
                return as(noise.addi(1f), dtype);
            }
            double fanIn = dims.length == 1 ? 1 : shape.size() / dims[0];
            double scale = name.endsWith(".bias") ? 0.1 : name.contains("embed") ? 1.0 : 1 / Math.sqrt(fanIn);
            return as(TestTensors.random(manager, seedOf, scale, dims), dtype);
        }, new ScaledDotProductAttention(attentionBudget));
    }

    private static NDArray as(NDArray array, ai.djl.ndarray.types.DataType dtype) {
        if (array.getDataType() == dtype) {
            return array;
        }
        NDArray converted = array.toType(dtype, false);
        array.close();
        return converted;
    }
}
