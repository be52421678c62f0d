package dev.glimpse.engine.glm4v;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.glimpse.engine.CancellationToken;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The GLM-4V vision tower ({@code model.visual}, transformers' {@code Glm4vVisionModel}): patch rows in, one
 * embedding per 2×2 patch block out, ready to replace the {@code <|image|>} tokens of the prompt.
 *
 * <pre>
 * pixel_values [N, 1176]
 *   → patch_embed (Conv3d, kernel = stride: a Linear over each row)  → post_conv_layernorm (RMSNorm)
 *   → + embeddings (learned position table, bicubic-resampled to each image's patch grid)
 *   → blocks × depth: x += attn(norm1(x)) (2-D rotary, bidirectional within each image); x += mlp(norm2(x))
 *   → post_layernorm → downsample (Conv2d over 2×2 blocks: a Linear over 4 consecutive rows)
 *   → merger (proj → LayerNorm → GELU → SwiGLU)                     → [N/4, out_hidden_size]
 * </pre>
 *
 * Rows arrive in the image processor's order: merge blocks in raster order, the four patches of a block in raster
 * order inside it. Each transformers module is a nested class here, named after it in its Javadoc.
 */
final class Glm4vVisionModel {

    private final Glm4vVisionConfig config;
    private final PatchEmbed patchEmbed;
    private final Glm4vRMSNorm postConvLayernorm;
    private final Embeddings embeddings;
    private final RotaryEmbedding.Vision rotaryPosEmb;
    private final List<Block> blocks;
    private final Glm4vRMSNorm postLayernorm;
    private final Linear downsample;
    private final PatchMerger merger;

    Glm4vVisionModel(Glm4vVisionConfig config, PatchEmbed patchEmbed, Glm4vRMSNorm postConvLayernorm,
                     Embeddings embeddings, List<Block> blocks, Glm4vRMSNorm postLayernorm, Linear downsample,
                     PatchMerger merger) {
        this.config = config;
        this.patchEmbed = patchEmbed;
        this.postConvLayernorm = postConvLayernorm;
        this.embeddings = embeddings;
        this.rotaryPosEmb = new RotaryEmbedding.Vision(config.headDim(), config.ropeTheta());
        this.blocks = List.copyOf(blocks);
        this.postLayernorm = postLayernorm;
        this.downsample = downsample;
        this.merger = merger;
    }

    /**
     * Builds the tower from checkpoint tensors named as in transformers ({@code prefix} is usually
     * {@code model.visual.}). Convolution kernels are reshaped into the equivalent linear weights once, here.
     *
     * @param weights   returns the tensor of a checkpoint name, in the model's dtype and device
     * @param attention the attention kernel (and its memory budget) the blocks use
     */
    static Glm4vVisionModel load(Glm4vVisionConfig config, Function<String, NDArray> weights, String prefix,
                                 ScaledDotProductAttention attention) {
        double eps = config.rmsNormEps();
        List<Block> blocks = new ArrayList<>(config.depth());
        for (int i = 0; i < config.depth(); i++) {
            String p = prefix + "blocks." + i + ".";
            Attention attn = new Attention(
                    new Linear(weights.apply(p + "attn.qkv.weight"),
                            config.attentionBias() ? weights.apply(p + "attn.qkv.bias") : null),
                    Linear.withoutBias(weights.apply(p + "attn.proj.weight")), config.numHeads(), attention);
            Mlp mlp = new Mlp(Linear.withoutBias(weights.apply(p + "mlp.gate_proj.weight")),
                    Linear.withoutBias(weights.apply(p + "mlp.up_proj.weight")),
                    Linear.withoutBias(weights.apply(p + "mlp.down_proj.weight")));
            blocks.add(new Block(new Glm4vRMSNorm(weights.apply(p + "norm1.weight"), eps),
                    new Glm4vRMSNorm(weights.apply(p + "norm2.weight"), eps), attn, mlp));
        }
        String m = prefix + "merger.";
        PatchMerger merger = new PatchMerger(Linear.withoutBias(weights.apply(m + "proj.weight")),
                new LayerNorm(weights.apply(m + "post_projection_norm.weight"),
                        weights.apply(m + "post_projection_norm.bias"), 1e-5),
                new Mlp(Linear.withoutBias(weights.apply(m + "gate_proj.weight")),
                        Linear.withoutBias(weights.apply(m + "up_proj.weight")),
                        Linear.withoutBias(weights.apply(m + "down_proj.weight"))));
        return new Glm4vVisionModel(config,
                PatchEmbed.fromConv3d(weights.apply(prefix + "patch_embed.proj.weight"),
                        weights.apply(prefix + "patch_embed.proj.bias")),
                new Glm4vRMSNorm(weights.apply(prefix + "post_conv_layernorm.weight"), eps),
                new Embeddings(weights.apply(prefix + "embeddings.position_embedding.weight")),
                blocks,
                new Glm4vRMSNorm(weights.apply(prefix + "post_layernorm.weight"), eps),
                downsampleFromConv2d(weights.apply(prefix + "downsample.weight"),
                        weights.apply(prefix + "downsample.bias")),
                merger);
    }

    Glm4vVisionConfig config() {
        return config;
    }

    /** What the tower computes: transformers' {@code last_hidden_state} (downsampled) and {@code pooler_output}. */
    record Output(NDArray downsampled, NDArray merged) {
    }

    /**
     * Embeds the patches of one or more images.
     *
     * @param pixelValues {@code [patches, 1176]}, all images' rows concatenated
     * @param grids       each image's patch grid, in order
     * @return the merged embeddings {@code [patches / 4, out_hidden_size]} in {@code pixelValues}' manager
     */
    NDArray forward(NDArray pixelValues, List<ImageGrid> grids) {
        return forward(pixelValues, grids, CancellationToken.NEVER);
    }

    /**
     * {@link #forward(NDArray, List)} that checks {@code cancel} before every block and every image's attention.
     *
     * @throws GenerationCancelled when cancelled (what the tower allocated stays in {@code pixelValues}' manager)
     */
    NDArray forward(NDArray pixelValues, List<ImageGrid> grids, CancellationToken cancel) {
        return forwardWithOutputs(pixelValues, grids, cancel).merged();
    }

    /** {@link #forward} that also returns the downsampled states before the merger. */
    Output forwardWithOutputs(NDArray pixelValues, List<ImageGrid> grids) {
        return forwardWithOutputs(pixelValues, grids, CancellationToken.NEVER);
    }

    private Output forwardWithOutputs(NDArray pixelValues, List<ImageGrid> grids, CancellationToken cancel) {
        int rows = Math.toIntExact(pixelValues.getShape().get(0));
        int total = grids.stream().mapToInt(ImageGrid::patches).sum();
        if (rows != total) {
            throw new IllegalArgumentException("pixel_values has " + rows + " rows but the grids "
                    + grids + " need " + total);
        }
        int merge = config.spatialMergeSize();
        PatchPositions positions = PatchPositions.of(grids, merge);
        NDManager manager = pixelValues.getManager();
        DataType type = BFloat16.typeOf(patchEmbed.proj().weight());

        NDArray x = NativeScope.run(pixelValues, pv -> {
            NDArray h = postConvLayernorm.forward(patchEmbed.forward(BFloat16.cast(pv, type)));
            GenerationCancelled.checkpoint(cancel);
            return embeddings.forward(h, positions, grids, config.positionGridSize());
        });
        RotaryEmbedding.CosSin cosSin = rotaryPosEmb.cosSin(manager, positions.heights(), positions.widths());
        int[] cuSeqlens = cuSeqlens(grids);
        for (Block block : blocks) {
            GenerationCancelled.checkpoint(cancel);
            x = NativeScope.run(x, in -> block.forward(in, cuSeqlens, cosSin, rotaryPosEmb, cancel));
        }
        cosSin.cos().close();
        cosSin.signedSin().close();
        GenerationCancelled.checkpoint(cancel);
        NDArray downsampled = NativeScope.run(x, in -> {
            NDArray normed = postLayernorm.forward(in);
            long hidden = normed.getShape().get(1);
            return downsample.forward(normed.reshape(-1, (long) merge * merge * hidden));
        });
        x.close();
        GenerationCancelled.checkpoint(cancel);
        NDArray merged = NativeScope.run(downsampled, merger::forward);
        return new Output(downsampled, merged);
    }

    /** Start row of each attention span (one per frame of each image) and the total, like {@code cu_seqlens}. */
    static int[] cuSeqlens(List<ImageGrid> grids) {
        int spans = grids.stream().mapToInt(ImageGrid::t).sum();
        int[] cu = new int[spans + 1];
        int i = 0;
        for (ImageGrid g : grids) {
            for (int f = 0; f < g.t(); f++) {
                cu[i + 1] = cu[i] + g.h() * g.w();
                i++;
            }
        }
        return cu;
    }

    /**
     * Conv2d(hidden → out, kernel = stride = merge) over a merge×merge block of rows is a Linear over the block's
     * rows laid end to end. The kernel is {@code [out, hidden, kh, kw]}; the rows arrive as
     * {@code [kh, kw, hidden]}, so the kernel is permuted to that order once instead of permuting activations.
     */
    static Linear downsampleFromConv2d(NDArray kernel, NDArray bias) {
        Shape s = kernel.getShape();
        // reshaping the permuted view copies it, after which the original kernel can go
        NDArray weight = kernel.transpose(0, 2, 3, 1).reshape(s.get(0), s.get(1) * s.get(2) * s.get(3));
        kernel.close();
        return new Linear(weight, bias);
    }

    /**
     * The (h, w) grid coordinate of every patch row, in the processor's 2×2-block order, for all images
     * (transformers' {@code get_vision_position_ids}).
     */
    record PatchPositions(int[] heights, int[] widths) {

        static PatchPositions of(List<ImageGrid> grids, int merge) {
            int total = grids.stream().mapToInt(ImageGrid::patches).sum();
            int[] hs = new int[total];
            int[] ws = new int[total];
            int row = 0;
            for (ImageGrid g : grids) {
                if (g.h() % merge != 0 || g.w() % merge != 0) {
                    throw new IllegalArgumentException("A patch grid of " + g.h() + "×" + g.w()
                            + " cannot be merged in " + merge + "×" + merge + " blocks");
                }
                for (int f = 0; f < g.t(); f++) {
                    for (int bh = 0; bh < g.h() / merge; bh++) {
                        for (int bw = 0; bw < g.w() / merge; bw++) {
                            for (int dh = 0; dh < merge; dh++) {
                                for (int dw = 0; dw < merge; dw++) {
                                    hs[row] = bh * merge + dh;
                                    ws[row] = bw * merge + dw;
                                    row++;
                                }
                            }
                        }
                    }
                }
            }
            return new PatchPositions(hs, ws);
        }
    }

    /**
     * transformers' {@code Glm4vVisionPatchEmbed}: a Conv3d whose kernel equals its stride and covers a whole
     * patch row ({@code [C, t, ph, pw]} = 1176 values), which is exactly a Linear over the row.
     */
    record PatchEmbed(Linear proj) {

        static PatchEmbed fromConv3d(NDArray kernel, NDArray bias) {
            long out = kernel.getShape().get(0);
            return new PatchEmbed(new Linear(kernel.reshape(out, kernel.getShape().size() / out), bias));
        }

        NDArray forward(NDArray pixelValues) {
            return proj.forward(pixelValues);
        }
    }

    /**
     * transformers' {@code Glm4vVisionEmbeddings}: the learned {@code side × side} position table, resampled to
     * each image's patch grid with bicubic {@code grid_sample} in float32 (see {@link BicubicGridSample}) and
     * added to the patch embeddings.
     */
    record Embeddings(NDArray positionEmbedding) {

        NDArray forward(NDArray embeddings, PatchPositions positions, List<ImageGrid> grids, int side) {
            NDManager manager = embeddings.getManager();
            int cells = side * side;
            if (positionEmbedding.getShape().get(0) != cells) {
                throw new IllegalStateException("position table has " + positionEmbedding.getShape().get(0)
                        + " rows, expected " + side + "² = " + cells);
            }
            int rows = positions.heights().length;
            float[] weights = new float[Math.multiplyExact(rows, cells)];
            int start = 0;
            for (ImageGrid g : grids) {
                int n = g.patches();
                int[] hs = java.util.Arrays.copyOfRange(positions.heights(), start, start + n);
                int[] ws = java.util.Arrays.copyOfRange(positions.widths(), start, start + n);
                float[] part = BicubicGridSample.weights(side, hs, ws, g.h(), g.w());
                System.arraycopy(part, 0, weights, start * cells, part.length);
                start += n;
            }
            NDArray sampling = manager.create(weights, new Shape(rows, cells));
            NDArray table = positionEmbedding.toType(DataType.FLOAT32, false);
            if (table != positionEmbedding) {
                table.attach(manager); // a float16 table's float32 copy belongs to this call, not to the weights
            }
            NDArray resampled = BFloat16.cast(sampling.matMul(table), BFloat16.typeOf(embeddings));
            return embeddings.add(resampled);
        }
    }

    /**
     * transformers' {@code Glm4vVisionAttention}: fused qkv projection split [q, k, v], 2-D rotary on q and k,
     * bidirectional attention within each image (the {@code cu_seqlens} spans), output projection.
     */
    record Attention(Linear qkv, Linear proj, int numHeads, ScaledDotProductAttention kernel) {

        NDArray forward(NDArray x, int[] cuSeqlens, RotaryEmbedding.CosSin cosSin, RotaryEmbedding.Vision rotary,
                        CancellationToken cancel) {
            long n = x.getShape().get(0);
            long hidden = x.getShape().get(1);
            int headDim = Math.toIntExact(hidden / numHeads);
            NDArray packed = qkv.forward(x).reshape(n, 3, numHeads, headDim);
            NDArray q = rotary.apply(packed.get(":, 0"), cosSin);
            NDArray k = rotary.apply(packed.get(":, 1"), cosSin);
            NDArray v = packed.get(":, 2");
            double scale = 1.0 / Math.sqrt(headDim);
            NDList spans = new NDList();
            for (int i = 0; i + 1 < cuSeqlens.length; i++) {
                GenerationCancelled.checkpoint(cancel);
                int a = cuSeqlens[i];
                int b = cuSeqlens[i + 1];
                NDArray qs = q.get("{}:{}", a, b).transpose(1, 0, 2);
                NDArray ks = k.get("{}:{}", a, b).transpose(1, 0, 2);
                NDArray vs = v.get("{}:{}", a, b).transpose(1, 0, 2);
                spans.add(kernel.forward(qs, ks, vs, scale, -1));
            }
            NDArray context = spans.size() == 1 ? spans.get(0) : NDArrays.concat(spans, 0);
            return proj.forward(context);
        }
    }

    /** transformers' {@code Glm4VisionMlp} (sic): {@code down(silu(gate(x)) · up(x))}, no bias. */
    record Mlp(Linear gateProj, Linear upProj, Linear downProj) {

        NDArray forward(NDArray x) {
            NDArray gate = Activation.siluInPlace(gateProj.forward(x));
            NDArray up = upProj.forward(x);
            NDArray product = gate.muli(up);
            up.close();
            return downProj.forward(product);
        }
    }

    /** transformers' {@code Glm4vVisionBlock}: pre-norm attention and MLP, residuals added in place. */
    record Block(Glm4vRMSNorm norm1, Glm4vRMSNorm norm2, Attention attn, Mlp mlp) {

        NDArray forward(NDArray x, int[] cuSeqlens, RotaryEmbedding.CosSin cosSin, RotaryEmbedding.Vision rotary,
                        CancellationToken cancel) {
            x.addi(attn.forward(norm1.forward(x), cuSeqlens, cosSin, rotary, cancel));
            GenerationCancelled.checkpoint(cancel);
            x.addi(mlp.forward(norm2.forward(x)));
            return x;
        }
    }

    /**
     * transformers' {@code Glm4vVisionPatchMerger}: {@code proj} → {@code post_projection_norm} (LayerNorm with
     * bias) → exact GELU → {@code down(silu(gate(x)) · up(x))}.
     */
    record PatchMerger(Linear proj, LayerNorm postProjectionNorm, Mlp mlp) {

        NDArray forward(NDArray x) {
            NDArray h = Activation.gelu(postProjectionNorm.forward(proj.forward(x)));
            return mlp.forward(h);
        }
    }
}
