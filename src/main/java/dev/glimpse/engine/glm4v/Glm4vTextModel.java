package dev.glimpse.engine.glm4v;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.SparseFormat;
import dev.glimpse.engine.CancellationToken;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The GLM-4V text decoder ({@code model.language_model}, transformers' {@code Glm4vTextModel}).
 *
 * <pre>
 * embeddings [S, hidden]
 *   → layers × N, each a "sandwich" with four RMSNorms:
 *       x += post_self_attn_layernorm(self_attn(input_layernorm(x)))     (GQA, partial M-RoPE, KV cache)
 *       x += post_mlp_layernorm(mlp(post_attention_layernorm(x)))        (fused gate_up, SwiGLU)
 *   → norm
 * </pre>
 *
 * Every forward pass appends its keys and values (after rotary) to a {@link KvCache}, so decoding one token only
 * processes that token. Each transformers module is a nested class here, named after it in its Javadoc.
 */
final class Glm4vTextModel {

    private final Glm4vTextConfig config;
    private final NDArray embedTokens;
    private final List<DecoderLayer> layers;
    private final Glm4vRMSNorm norm;
    private final RotaryEmbedding.Text rotaryEmb;

    Glm4vTextModel(Glm4vTextConfig config, NDArray embedTokens, List<DecoderLayer> layers, Glm4vRMSNorm norm) {
        this.config = config;
        this.embedTokens = embedTokens;
        this.layers = List.copyOf(layers);
        this.norm = norm;
        int[] section = config.mropeSection().stream().mapToInt(Integer::intValue).toArray();
        this.rotaryEmb = new RotaryEmbedding.Text(config.headDim(), config.partialRotaryFactor(),
                config.ropeTheta(), section);
    }

    /**
     * Whether every decoder projection takes the Java bf16 route for one row (k and v stacked with q,
     * {@link Attention#qkvRows}), i.e. nearly all of a decoding step's weight bytes; then libtorch's own ops in a step
     * are small enough to run on one thread ({@link JavaBf16RowProduct#decoding()}).
     */
    boolean decodesRowsInJava() {
        for (DecoderLayer layer : layers) {
            if (layer.selfAttn().qkvRows() == null || !layer.selfAttn().oProj().rowsInJava()
                    || !layer.mlp().gateUpProj().rowsInJava() || !layer.mlp().downProj().rowsInJava()) {
                return false;
            }
        }
        return !layers.isEmpty();
    }

    /**
     * Builds the decoder from checkpoint tensors named as in transformers ({@code prefix} is usually
     * {@code model.language_model.}).
     *
     * @param javaRows whether the projections' single bf16 rows may take the Java route
     *                 ({@link JavaBf16RowProduct#takesModel})
     */
    static Glm4vTextModel load(Glm4vTextConfig config, Function<String, NDArray> weights, String prefix,
                               ScaledDotProductAttention attention, boolean javaRows) {
        double eps = config.rmsNormEps();
        List<DecoderLayer> layers = new ArrayList<>(config.numHiddenLayers());
        for (int i = 0; i < config.numHiddenLayers(); i++) {
            String p = prefix + "layers." + i + ".";
            Attention selfAttn = Attention.of(
                    new Linear(weights.apply(p + "self_attn.q_proj.weight"), weights.apply(p + "self_attn.q_proj.bias")),
                    new Linear(weights.apply(p + "self_attn.k_proj.weight"), weights.apply(p + "self_attn.k_proj.bias")),
                    new Linear(weights.apply(p + "self_attn.v_proj.weight"), weights.apply(p + "self_attn.v_proj.bias")),
                    new Linear(weights.apply(p + "self_attn.o_proj.weight"), null, javaRows),
                    config.numAttentionHeads(), config.numKeyValueHeads(), config.headDim(), i, attention, javaRows);
            Mlp mlp = new Mlp(new Linear(weights.apply(p + "mlp.gate_up_proj.weight"), null, javaRows),
                    new Linear(weights.apply(p + "mlp.down_proj.weight"), null, javaRows));
            layers.add(new DecoderLayer(selfAttn, mlp,
                    new Glm4vRMSNorm(weights.apply(p + "input_layernorm.weight"), eps),
                    new Glm4vRMSNorm(weights.apply(p + "post_self_attn_layernorm.weight"), eps),
                    new Glm4vRMSNorm(weights.apply(p + "post_attention_layernorm.weight"), eps),
                    new Glm4vRMSNorm(weights.apply(p + "post_mlp_layernorm.weight"), eps)));
        }
        return new Glm4vTextModel(config, weights.apply(prefix + "embed_tokens.weight"), layers,
                new Glm4vRMSNorm(weights.apply(prefix + "norm.weight"), eps));
    }

    Glm4vTextConfig config() {
        return config;
    }

    int numLayers() {
        return layers.size();
    }

    /** A cache sized for {@code capacity} tokens, in the model's dtype. */
    KvCache newCache(NDManager manager, int capacity) {
        return new KvCache(manager, layers.size(), config.numKeyValueHeads(), config.headDim(), capacity,
                dtype());
    }

    /** {@code embed_tokens}: {@code ids [S]} (int64) → {@code [S, hidden]}, in the ids' manager. */
    NDArray embed(NDArray ids) {
        return ids.getNDArrayInternal().embedding(ids, embedTokens, SparseFormat.DENSE).singletonOrThrow();
    }

    /**
     * Runs the decoder over the next tokens and stores their keys and values.
     *
     * @param inputsEmbeds {@code [S, hidden]}, the embeddings of the tokens after those already in {@code cache}
     * @param positions    {@code positions[axis][i]}: the (t, h, w) M-RoPE positions, of which tokens
     *                     {@code [from, from + S)} are used
     * @param from         index into {@code positions} of the first new token
     * @param cache        the cache to read the prefix from and append to
     * @return the normed hidden states {@code [S, hidden]}, in {@code inputsEmbeds}' manager
     */
    NDArray forward(NDArray inputsEmbeds, int[][] positions, int from, KvCache cache) {
        return forward(inputsEmbeds, positions, from, cache, CancellationToken.NEVER);
    }

    /**
     * {@link #forward(NDArray, int[][], int, KvCache)} that checks {@code cancel} before every layer (prefill over
     * thousands of image tokens takes seconds).
     *
     * @throws GenerationCancelled when cancelled; the cache is then partly written and must be discarded
     */
    NDArray forward(NDArray inputsEmbeds, int[][] positions, int from, KvCache cache, CancellationToken cancel) {
        int tokens = Math.toIntExact(inputsEmbeds.getShape().get(0));
        cache.reserve(tokens);
        RotaryEmbedding.CosSin cosSin = rotaryEmb.cosSin(inputsEmbeds.getManager(), positions, from, tokens,
                BFloat16.typeOf(inputsEmbeds));
        NDArray x = inputsEmbeds.duplicate();
        for (DecoderLayer layer : layers) {
            GenerationCancelled.checkpoint(cancel);
            x = NativeScope.run(x, in -> layer.forward(in, cosSin, rotaryEmb, cache, cancel));
        }
        cache.advance(tokens);
        cosSin.cos().close();
        cosSin.signedSin().close();
        NDArray out = norm.forward(x);
        x.close();
        return out;
    }

    /**
     * transformers' {@code Glm4vTextAttention}: q/k/v projections with bias, o without; partial M-RoPE on q and k;
     * keys and values cached after rotary; causal grouped-query attention with float32 softmax.
     *
     * @param qkvRows q, k and v as one Java bf16 product for a decoding row ({@link JavaBf16RowProduct#stacked}),
     *                or null where that route is not taken
     */
    record Attention(Linear qProj, Linear kProj, Linear vProj, Linear oProj, int numHeads, int numKeyValueHeads,
                     int headDim, int layerIndex, ScaledDotProductAttention kernel, JavaBf16RowProduct qkvRows) {

        /**
         * @param javaRows whether decoding rows may take the Java route: then q, k and v go as one stacked product
         *                 (GLM-4V's have biases; without them the three stay with libtorch)
         */
        static Attention of(Linear qProj, Linear kProj, Linear vProj, Linear oProj, int numHeads,
                            int numKeyValueHeads, int headDim, int layerIndex, ScaledDotProductAttention kernel,
                            boolean javaRows) {
            JavaBf16RowProduct qkvRows = null;
            if (javaRows && qProj.bias() != null && kProj.bias() != null && vProj.bias() != null) {
                qkvRows = JavaBf16RowProduct.stacked(List.of(qProj.weight(), kProj.weight(), vProj.weight()),
                        List.of(qProj.bias(), kProj.bias(), vProj.bias()));
            }
            return new Attention(qProj, kProj, vProj, oProj, numHeads, numKeyValueHeads, headDim, layerIndex,
                    kernel, qkvRows);
        }

        NDArray forward(NDArray x, RotaryEmbedding.CosSin cosSin, RotaryEmbedding.Text rotary, KvCache cache) {
            long tokens = x.getShape().get(0);
            NDArray q;
            NDArray k;
            NDArray v;
            if (tokens == 1 && qkvRows != null && BFloat16.is(x)) {
                long qWidth = (long) numHeads * headDim;
                long kvWidth = (long) numKeyValueHeads * headDim;
                NDList qkv = qkvRows.forward(x).split(new long[] {qWidth, qWidth + kvWidth}, 1);
                q = qkv.get(0);
                k = qkv.get(1);
                v = qkv.get(2);
            } else {
                q = qProj.forward(x);
                k = kProj.forward(x);
                v = vProj.forward(x);
            }
            q = rotary.apply(q.reshape(tokens, numHeads, headDim), cosSin);
            k = rotary.apply(k.reshape(tokens, numKeyValueHeads, headDim), cosSin);
            v = v.reshape(tokens, numKeyValueHeads, headDim);
            NDArray[] stored = cache.append(layerIndex, k.transpose(1, 0, 2), v.transpose(1, 0, 2));
            NDArray context = kernel.forward(q.transpose(1, 0, 2), stored[0], stored[1], 1.0 / Math.sqrt(headDim),
                    cache.length());
            return oProj.forward(context);
        }
    }

    /** transformers' {@code Glm4vTextMLP}: fused {@code gate_up_proj} chunked [gate, up], {@code down(up · silu(gate))}. */
    record Mlp(Linear gateUpProj, Linear downProj) {

        NDArray forward(NDArray x) {
            NDList gateUp = gateUpProj.forward(x).split(2, 1);
            NDArray product = Activation.siluInPlace(gateUp.get(0)).muli(gateUp.get(1));
            return downProj.forward(product);
        }
    }

    /** transformers' {@code Glm4vTextDecoderLayer}: the sandwich of four RMSNorms around attention and MLP. */
    record DecoderLayer(Attention selfAttn, Mlp mlp, Glm4vRMSNorm inputLayernorm,
                        Glm4vRMSNorm postSelfAttnLayernorm, Glm4vRMSNorm postAttentionLayernorm,
                        Glm4vRMSNorm postMlpLayernorm) {

        NDArray forward(NDArray x, RotaryEmbedding.CosSin cosSin, RotaryEmbedding.Text rotary, KvCache cache,
                        CancellationToken cancel) {
            NDArray attended = selfAttn.forward(inputLayernorm.forward(x), cosSin, rotary, cache);
            x.addi(postSelfAttnLayernorm.forward(attended));
            GenerationCancelled.checkpoint(cancel);
            NDArray mixed = mlp.forward(postAttentionLayernorm.forward(x));
            x.addi(postMlpLayernorm.forward(mixed));
            return x;
        }
    }

    /** The embedding table's dtype, which is the model's. */
    DataType dtype() {
        return BFloat16.typeOf(embedTokens);
    }
}
