package dev.glimpse.engine.glm4v;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.glimpse.engine.CancellationToken;
import dev.glimpse.engine.FinishReason;
import dev.glimpse.engine.GenerationOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.IntConsumer;

/**
 * Prefill, then one token at a time with the KV cache: the part of generation that works on token ids.
 *
 * <p>The vision tower runs once; the prompt runs once through the decoder, filling the cache; each later step feeds
 * only the token just chosen. Every step's native memory lives in its own sub-manager, closed when the step ends.
 * Generation stops on a stop id (which is kept as the last token), at {@code maxNewTokens}, or when the
 * cancellation token says so between two steps (the tokens so far are kept). Before the first token, the vision
 * tower and prefill check the token between blocks and layers, and a cancelled run ends there with no tokens.
 */
final class GenerationLoop {

    /** Cache slots reserved beyond the prompt up front; the cache grows past this if generation runs longer. */
    static final int INITIAL_HEADROOM = 512;

    /**
     * Prompt tokens per decoder pass during prefill. A pass over one chunk is what runs between two cancellation
     * checks (one layer of it), so this bounds how long an interrupt waits; longer prompts take several passes.
     */
    static final int PREFILL_CHUNK = 512;

    private final Glm4vForConditionalGeneration network;
    private final Set<Integer> stopIds;

    GenerationLoop(Glm4vForConditionalGeneration network, Set<Integer> stopIds) {
        this.network = network;
        this.stopIds = Set.copyOf(stopIds);
    }

    /**
     * What one run produced.
     *
     * @param tokens        generated ids, the stop id included when there was one
     * @param finishReason  why it ended
     * @param visionMillis  the vision tower (0 without images)
     * @param prefillMillis embedding, the decoder over the prompt and the first token's choice
     * @param decodeMillis  each later step
     * @param firstTop      the five highest logits of the first step, best first
     */
    record Result(List<Integer> tokens, FinishReason finishReason, double visionMillis, double prefillMillis,
                  List<Double> decodeMillis, List<TokenLogit> firstTop) {

        /** Cancelled in the vision tower or during prefill: no tokens. */
        static Result cancelledBeforeTheFirstToken(double visionMillis, double prefillMillis) {
            return new Result(List.of(), FinishReason.CANCELLED, visionMillis, prefillMillis, List.of(), List.of());
        }
    }

    /**
     * Generates.
     *
     * @param parent      the manager the run's native memory is created under (all of it is freed on return)
     * @param inputIds    the prompt, image tokens already expanded
     * @param pixelValues {@code [patches, 1176]} for all images, or {@code null} without images
     * @param grids       each image's patch grid, in prompt order
     * @param onToken     called with every generated id, in order, as soon as it is chosen
     */
    Result run(NDManager parent, int[] inputIds, NDArray pixelValues, List<ImageGrid> grids,
               GenerationOptions options, IntConsumer onToken, CancellationToken cancel) {
        if (inputIds.length == 0) {
            throw new IllegalArgumentException("The prompt has no tokens");
        }
        Glm4vTextModel text = network.languageModel();
        Sampler sampler = new Sampler(options, inputIds);
        List<Integer> tokens = new ArrayList<>();
        List<Double> decodeMillis = new ArrayList<>();
        try (NDManager run = parent.newSubManager();
             KvCache cache = text.newCache(run, inputIds.length + Math.min(options.maxNewTokens(), INITIAL_HEADROOM))) {
            double visionMillis = 0;
            NDArray imageEmbeds = null;
            if (!grids.isEmpty()) {
                long t0 = System.nanoTime();
                try (NDManager vision = run.newSubManager()) {
                    vision.tempAttachAll(pixelValues);
                    imageEmbeds = network.imageFeatures(pixelValues, grids, cancel);
                    imageEmbeds.attach(run);
                } catch (GenerationCancelled e) {
                    return Result.cancelledBeforeTheFirstToken(millisSince(t0), 0);
                }
                imageEmbeds.get(0, 0).toType(DataType.FLOAT32, false).getFloat(); // waits for an asynchronous device
                visionMillis = millisSince(t0);
            }
            RopeIndex rope = network.ropeIndex(inputIds, grids);

            long t0 = System.nanoTime();
            int next;
            List<TokenLogit> firstTop;
            try (NDManager step = run.newSubManager()) {
                NDArray embeds = network.inputsEmbeds(step, inputIds, imageEmbeds);
                NDArray hidden = prefill(text, embeds, rope, cache, cancel);
                NDArray logits = finiteFloat32(network.logits(hidden.get("-1:")).reshape(-1), text.dtype());
                firstTop = top(logits, 5);
                next = sampler.next(logits);
            } catch (GenerationCancelled e) {
                return Result.cancelledBeforeTheFirstToken(visionMillis, millisSince(t0));
            } finally {
                if (imageEmbeds != null) {
                    imageEmbeds.close();
                }
            }
            double prefillMillis = millisSince(t0);

            FinishReason reason = null;
            Runnable restoreThreads = network.decodesRowsInJava() ? JavaBf16RowProduct.decoding() : () -> { };
            try {
            while (true) {
                tokens.add(next);
                sampler.accept(next);
                onToken.accept(next);
                if (stopIds.contains(next)) {
                    reason = FinishReason.STOP;
                    break;
                }
                if (tokens.size() >= options.maxNewTokens()) {
                    reason = FinishReason.LENGTH;
                    break;
                }
                if (cancel.isCancelled()) {
                    reason = FinishReason.CANCELLED;
                    break;
                }
                long s0 = System.nanoTime();
                try (NDManager step = run.newSubManager()) {
                    int position = inputIds.length + tokens.size() - 1;
                    NDArray id = step.create(new long[] {next}, new Shape(1));
                    NDArray hidden = text.forward(text.embed(id), rope.decodePositions(position, 1), 0, cache);
                    next = sampler.next(finiteFloat32(network.logits(hidden).reshape(-1), text.dtype()));
                }
                decodeMillis.add(millisSince(s0));
            }
            } finally {
                restoreThreads.run();
            }
            return new Result(tokens, reason, visionMillis, prefillMillis, decodeMillis, firstTop);
        }
    }

    /**
     * The logits in float32, checked for NaN and infinity: a dtype whose range the activations exceeded (float16 is
     * reported to overflow on GLM-4 models) would otherwise stream garbage. One sum and one read per step.
     */
    static NDArray finiteFloat32(NDArray logits, DataType dtype) {
        NDArray scores = logits.toType(DataType.FLOAT32, false);
        try (NDArray sum = scores.sum()) {
            if (!Float.isFinite(sum.getFloat())) {
                throw new NonFiniteLogitsException(dtype);
            }
        }
        return scores;
    }

    /**
     * Runs the decoder over the prompt, {@link #PREFILL_CHUNK} tokens at a time when it is longer, so that no step
     * between two cancellation checks grows with the prompt (thirty images make thousands of tokens). Returns the
     * hidden states of the last chunk.
     */
    static NDArray prefill(Glm4vTextModel text, NDArray embeds, RopeIndex rope, KvCache cache,
                                   CancellationToken cancel) {
        int length = Math.toIntExact(embeds.getShape().get(0));
        if (length <= PREFILL_CHUNK) {
            return text.forward(embeds, rope.positions(), 0, cache, cancel);
        }
        NDArray hidden = null;
        for (int from = 0; from < length; from += PREFILL_CHUNK) {
            if (hidden != null) {
                hidden.close();
            }
            try (NDArray chunk = embeds.get("{}:{}", from, Math.min(length, from + PREFILL_CHUNK))) {
                hidden = text.forward(chunk, rope.positions(), from, cache, cancel);
            }
        }
        return hidden;
    }

    /** The {@code k} highest logits, best first. */
    static List<TokenLogit> top(NDArray logits, int k) {
        int n = (int) Math.min(k, logits.getShape().get(0));
        try (NDList top = logits.toType(DataType.FLOAT32, false).topK(n, 0, true, true)) {
            float[] values = top.get(0).toFloatArray();
            long[] ids = top.get(1).toLongArray();
            List<TokenLogit> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(new TokenLogit((int) ids[i], values[i]));
            }
            return out;
        }
    }

    private static double millisSince(long t0) {
        return (System.nanoTime() - t0) / 1e6;
    }
}
