package dev.glimpse.engine.glm4v;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class Glm4vConfigTest {

    // the shape of GLM-4.6V-Flash's config.json as transformers 5 writes it
    static final String TRANSFORMERS_5 = """
            {
              "architectures": ["Glm4vForConditionalGeneration"],
              "model_type": "glm4v",
              "image_start_token_id": 151339, "image_end_token_id": 151340,
              "video_start_token_id": 151341, "video_end_token_id": 151342,
              "image_token_id": 151363, "video_token_id": 151364,
              "tie_word_embeddings": false,
              "transformers_version": "5.0.0rc1",
              "text_config": {
                "model_type": "glm4v_text", "vocab_size": 151552, "hidden_size": 4096,
                "intermediate_size": 13696, "num_hidden_layers": 40, "num_attention_heads": 32,
                "num_key_value_heads": 2, "hidden_act": "silu", "max_position_embeddings": 131072,
                "rms_norm_eps": 1e-05, "attention_bias": true, "dtype": "bfloat16",
                "eos_token_id": [151329, 151336, 151338], "pad_token_id": 151329,
                "rope_parameters": {"rope_type": "default", "rope_theta": 500000,
                                    "partial_rotary_factor": 0.5, "mrope_section": [8, 12, 12]}
              },
              "vision_config": {
                "model_type": "glm4v_vision", "depth": 24, "hidden_size": 1536, "num_heads": 12,
                "intermediate_size": 13696, "out_hidden_size": 4096, "patch_size": 14, "temporal_patch_size": 2,
                "spatial_merge_size": 2, "image_size": 336, "in_channels": 3, "hidden_act": "silu",
                "attention_bias": false, "rms_norm_eps": 1e-05
              }
            }
            """;

    // GLM-4.1V-9B-Thinking as transformers 4.5x wrote it: rope_scaling, theta and partial factor in text_config
    static final String TRANSFORMERS_45 = """
            {
              "architectures": ["Glm4vForConditionalGeneration"],
              "model_type": "glm4v",
              "torch_dtype": "bfloat16",
              "image_token_id": 151343, "video_token_id": 151344,
              "text_config": {
                "model_type": "glm4v_text", "hidden_size": 4096, "num_attention_heads": 32,
                "num_key_value_heads": 2, "head_dim": 128, "max_position_embeddings": 65536,
                "partial_rotary_factor": 0.5, "rope_theta": 10000.0,
                "rope_scaling": {"type": "default", "mrope_section": [8, 12, 12]},
                "eos_token_id": 151329, "pad_token_id": 151329, "image_token_id": 151343,
                "video_start_token_id": 151341, "video_end_token_id": 151342,
                "tie_word_embeddings": false
              },
              "vision_config": {"depth": 24, "hidden_size": 1536, "image_size": [336, 336]}
            }
            """;

    @Test
    void readsTransformers5Layout() {
        Glm4vConfig c = Glm4vConfig.parse(TRANSFORMERS_5, "config.json");
        Glm4vTextConfig t = c.text();
        assertEquals("glm4v", c.modelType());
        assertEquals(151363, c.imageTokenId());
        assertEquals(151364, c.videoTokenId());
        assertEquals(500000.0, t.ropeTheta());
        assertEquals(0.5, t.partialRotaryFactor());
        assertEquals(64, t.rotaryDim());
        assertEquals(List.of(8, 12, 12), t.mropeSection());
        assertEquals("default", t.ropeType());
        assertEquals(128, t.headDim(), "hidden / heads when head_dim is absent");
        assertEquals(16, t.numKeyValueGroups());
        assertEquals(131072, t.maxPositionEmbeddings());
        assertEquals(List.of(151329, 151336, 151338), t.eosTokenIds());
        assertEquals(151329, t.padTokenId());
        assertEquals("bfloat16", c.dtype());
        assertFalse(c.tieWordEmbeddings());
        Glm4vVisionConfig v = c.vision();
        assertEquals(128, v.headDim());
        assertEquals(24, v.positionGridSize());
        assertEquals(1176, v.patchDim());
        assertEquals(10000.0, v.ropeTheta());
    }

    @Test
    void readsTransformers45Layout() {
        Glm4vConfig c = Glm4vConfig.parse(TRANSFORMERS_45, "config.json");
        Glm4vTextConfig t = c.text();
        assertEquals(10000.0, t.ropeTheta());
        assertEquals(0.5, t.partialRotaryFactor());
        assertEquals(List.of(8, 12, 12), t.mropeSection());
        assertEquals("default", t.ropeType(), "rope_scaling.type is the old spelling of rope_type");
        assertEquals(List.of(151329), t.eosTokenIds(), "a single id becomes a list");
        assertEquals(65536, t.maxPositionEmbeddings());
        assertEquals(151343, c.imageTokenId());
        assertEquals(151341, c.videoStartTokenId(), "read from text_config when the top level lacks it");
        assertEquals("bfloat16", c.dtype(), "torch_dtype is the old spelling of dtype");
        assertEquals(336, c.vision().imageSize(), "a [h, w] list counts as its first side");
    }

    @Test
    void absentKeysTakeTransformersDefaults() {
        // only the rotary fraction is given: with transformers' default of 1.0, mrope_section [8, 12, 12] cannot fit
        Glm4vConfig c = Glm4vConfig.parse(
                "{\"model_type\": \"glm4v\", \"text_config\": {\"partial_rotary_factor\": 0.5}}", "config.json");
        Glm4vTextConfig t = c.text();
        assertEquals(151552, t.vocabSize());
        assertEquals(4096, t.hiddenSize());
        assertEquals(13696, t.intermediateSize());
        assertEquals(40, t.numHiddenLayers());
        assertEquals(32, t.numAttentionHeads());
        assertEquals(2, t.numKeyValueHeads());
        assertEquals(32768, t.maxPositionEmbeddings());
        assertEquals(1e-5, t.rmsNormEps());
        assertEquals(10000.0, t.ropeTheta());
        assertNull(t.padTokenId());
        assertEquals(List.of(), t.eosTokenIds());
        assertEquals(151343, c.imageTokenId());
        assertEquals(151341, c.videoStartTokenId());
        Glm4vVisionConfig v = c.vision();
        assertEquals(new Glm4vVisionConfig(24, 1536, "silu", false, 12, 3, 336, 14, 1e-5, 2, 2, 4096, 13696, 10000.0),
                v);
    }

    @Test
    void mropeSectionMustFitTheRotaryDims() {
        // without partial_rotary_factor the whole 128-dim head rotates, and [8, 12, 12] covers only 64 dims
        String json = "{\"model_type\": \"glm4v\", \"text_config\": {\"rope_parameters\": {\"rope_theta\": 1e4}}}";
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Glm4vConfig.parse(json, "c"));
        assertEquals("c: text_config.mrope_section must hold 3 numbers summing to head_dim * partial_rotary_factor / 2"
                + " = 64, but is [8, 12, 12]", e.getMessage());
    }

    @Test
    void glm46vModelTypeUsesItsOwnVideoDefaults() {
        Glm4vConfig c = Glm4vConfig.parse("{\"model_type\": \"glm46v\", \"text_config\": {\"rope_parameters\":"
                + "{\"partial_rotary_factor\": 0.5}}}", "config.json");
        assertEquals(151361, c.videoStartTokenId());
        assertEquals(151362, c.videoEndTokenId());
    }

    @Test
    void explicitNullKeyValueHeadsMeansOnePerQueryHead() {
        Glm4vConfig c = Glm4vConfig.parse("{\"model_type\": \"glm4v\", \"text_config\": {\"num_key_value_heads\": null,"
                + "\"partial_rotary_factor\": 0.5}}", "config.json");
        assertEquals(32, c.text().numKeyValueHeads());
    }

    @Test
    void otherModelTypesAreRefusedWithTheFix() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Glm4vConfig.parse("{\"model_type\": \"qwen2_5_vl\"}", "/models/x/config.json"));
        assertEquals("/models/x/config.json has model_type 'qwen2_5_vl', but this engine runs GLM-4V models "
                + "(model_type 'glm4v' or 'glm46v', e.g. zai-org/GLM-4.6V-Flash or zai-org/GLM-4.1V-9B-Thinking). "
                + "Point it at such a model's directory.", e.getMessage());
    }

    @Test
    void wrongTypesNameTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Glm4vConfig.parse("{\"model_type\": \"glm4v\", \"text_config\": {\"hidden_size\": \"big\"}}",
                        "config.json"));
        assertEquals("config.json: text_config.hidden_size must be an integer, but is \"big\". Restore the file from "
                + "the model repository.", e.getMessage());
    }

    @Test
    void invalidJsonNamesTheFile() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Glm4vConfig.parse("{\"model_type\": ", "/m/config.json"));
        assertTrue(e.getMessage().startsWith("/m/config.json is not valid JSON"), e.getMessage());
    }
}
