package dev.glimpse.engine.glm4v;

import java.util.List;

/**
 * The text decoder's settings ({@code text_config} of config.json, transformers' {@code Glm4vTextConfig}).
 *
 * <p>Rotary settings are read from either layout transformers writes: version 5 puts {@code rope_theta},
 * {@code partial_rotary_factor} and {@code mrope_section} in {@code rope_parameters}; versions 4.5x put
 * {@code mrope_section} in {@code rope_scaling} and {@code rope_theta} / {@code partial_rotary_factor} directly in
 * {@code text_config}.
 *
 * @param vocabSize             rows of {@code embed_tokens} and {@code lm_head}
 * @param hiddenSize            model width
 * @param intermediateSize      MLP width (half of {@code gate_up_proj}'s output)
 * @param numHiddenLayers       number of decoder layers
 * @param numAttentionHeads     query heads
 * @param numKeyValueHeads      key/value heads (grouped-query attention)
 * @param headDim               width of one head ({@code head_dim}, else hidden size / heads)
 * @param hiddenAct             MLP activation, {@code silu}
 * @param maxPositionEmbeddings longest context the model was trained for
 * @param rmsNormEps            epsilon of every RMSNorm
 * @param ropeType              {@code rope_type} (only {@code default} is used by GLM-4V)
 * @param ropeTheta             rotary base
 * @param partialRotaryFactor   fraction of each head that rotates (GLM-4V: 0.5)
 * @param mropeSection          frequency slots per axis (t, h, w) of multimodal rotary; sums to rotaryDim / 2
 * @param padTokenId            padding id, or {@code null}
 * @param eosTokenIds           ids that end generation (may be empty; see also {@link GenerationConfig})
 */
public record Glm4vTextConfig(int vocabSize, int hiddenSize, int intermediateSize, int numHiddenLayers,
                              int numAttentionHeads, int numKeyValueHeads, int headDim, String hiddenAct,
                              int maxPositionEmbeddings, double rmsNormEps, String ropeType, double ropeTheta,
                              double partialRotaryFactor, List<Integer> mropeSection, Integer padTokenId,
                              List<Integer> eosTokenIds) {

    public Glm4vTextConfig {
        mropeSection = List.copyOf(mropeSection);
        eosTokenIds = List.copyOf(eosTokenIds);
    }

    /** Number of leading dimensions of each head that rotate: {@code int(headDim * partialRotaryFactor)}. */
    public int rotaryDim() {
        return (int) (headDim * partialRotaryFactor);
    }

    /** Query heads per key/value head. */
    public int numKeyValueGroups() {
        return numAttentionHeads / numKeyValueHeads;
    }

    /**
     * The weights a decoding step multiplies one row by: every layer's q, k, v, o, gate_up and down projections and
     * {@code lm_head} (GLM-4.6V-Flash: 8.8 G, 17.6 GB in bf16). The embedding table, norms and biases are left out:
     * a step reads one row of the table and the rest is small.
     */
    long decodeStepParameters() {
        long q = (long) numAttentionHeads * headDim;
        long kv = (long) numKeyValueHeads * headDim;
        long layer = (long) hiddenSize * (q + 2 * kv) + q * hiddenSize + 3L * hiddenSize * intermediateSize;
        return numHiddenLayers * layer + (long) vocabSize * hiddenSize;
    }

    /**
     * Reads {@code text_config}; {@code root} supplies ids that older files keep at the top level.
     * Absent keys take transformers' defaults.
     */
    static Glm4vTextConfig from(ConfigJson text, ConfigJson root) {
        ConfigJson rope = text.has("rope_parameters") ? text.child("rope_parameters") : text.child("rope_scaling");
        int hidden = text.integer("hidden_size", 4096);
        int heads = text.integer("num_attention_heads", 32);
        Integer kv = text.integerOrNull("num_key_value_heads");
        // transformers: absent → 2, explicit null → one KV head per query head
        int kvHeads = kv != null ? kv : text.contains("num_key_value_heads") ? heads : 2;
        Integer headDim = text.integerOrNull("head_dim");
        String ropeType = rope.string("rope_type", rope.string("type", "default"));
        double theta = rope.has("rope_theta") ? rope.number("rope_theta", 0) : text.number("rope_theta", 10_000.0);
        double partial = rope.has("partial_rotary_factor")
                ? rope.number("partial_rotary_factor", 1.0)
                : text.number("partial_rotary_factor", 1.0);
        List<Integer> mrope = rope.integers("mrope_section", List.of(8, 12, 12));
        Integer pad = text.has("pad_token_id") ? text.integerOrNull("pad_token_id")
                : root.integerOrNull("pad_token_id");
        List<Integer> eos = text.has("eos_token_id") ? text.integers("eos_token_id", List.of())
                : root.integers("eos_token_id", List.of());

        Glm4vTextConfig c = new Glm4vTextConfig(
                text.integer("vocab_size", 151552), hidden, text.integer("intermediate_size", 13696),
                text.integer("num_hidden_layers", 40), heads, kvHeads,
                headDim == null ? hidden / heads : headDim, text.string("hidden_act", "silu"),
                text.integer("max_position_embeddings", 32768), text.number("rms_norm_eps", 1e-5),
                ropeType, theta, partial, mrope, pad, eos);
        c.validate(text);
        return c;
    }

    private void validate(ConfigJson text) {
        if (vocabSize <= 0 || hiddenSize <= 0 || intermediateSize <= 0 || numHiddenLayers <= 0 || headDim <= 0) {
            throw text.invalid("", "has a non-positive size: " + this);
        }
        if (numAttentionHeads <= 0 || numKeyValueHeads <= 0 || numAttentionHeads % numKeyValueHeads != 0) {
            throw text.invalid("num_key_value_heads", "must divide num_attention_heads (" + numAttentionHeads
                    + "), but is " + numKeyValueHeads);
        }
        if (!(partialRotaryFactor > 0 && partialRotaryFactor <= 1)) {
            throw text.invalid("partial_rotary_factor", "must be in (0, 1], but is " + partialRotaryFactor);
        }
        int slots = mropeSection.stream().mapToInt(Integer::intValue).sum();
        if (mropeSection.size() != 3 || slots * 2 != rotaryDim()) {
            throw text.invalid("mrope_section", "must hold 3 numbers summing to head_dim * partial_rotary_factor / 2 = "
                    + rotaryDim() / 2 + ", but is " + mropeSection);
        }
    }
}
