package dev.glimpse.engine.glm4v;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * {@code softmax(q·kᵀ·scale + mask)·v} for grouped-query attention, in chunks small enough for a memory budget.
 *
 * <p>DJL's PyTorch engine exposes no fused attention, so the score matrix is materialised. For a 1920×1080 image
 * the vision tower attends over ~10.8k patches with 12 heads: all score matrices at once would take ≈5.6 GB in
 * float32. This class works through kv heads, query heads and query blocks so that the scores and probabilities
 * of one chunk fit in {@link #scoreBudgetBytes()} (see {@link #plan}).
 *
 * <p>Query heads are grouped by the kv head they share ({@code repeat_kv} order: head h uses kv head
 * {@code h / groups}), and each group is multiplied against its kv head in one batched matmul, so keys and values
 * are never repeated in memory. Softmax runs in float32 and is cast back, as transformers' eager attention does.
 */
final class ScaledDotProductAttention {

    /** The default budget for one chunk's scores and probabilities. */
    static final long DEFAULT_SCORE_BUDGET_BYTES = 512L << 20;

    private final long scoreBudgetBytes;

    ScaledDotProductAttention(long scoreBudgetBytes) {
        if (scoreBudgetBytes <= 0) {
            throw new IllegalArgumentException("The attention memory budget must be positive, was " + scoreBudgetBytes);
        }
        this.scoreBudgetBytes = scoreBudgetBytes;
    }

    long scoreBudgetBytes() {
        return scoreBudgetBytes;
    }

    /**
     * How one attention call is cut up.
     *
     * @param kvHeadsPerChunk      kv heads per chunk
     * @param headsPerChunk        query heads per chunk within one kv head's group (all of them when several kv
     *                             heads share a chunk)
     * @param queriesPerChunk      queries per chunk
     * @param bytesPerChunk        the scores and probabilities of one full chunk
     * @param chunks               number of chunks
     */
    record Plan(int kvHeadsPerChunk, int headsPerChunk, int queriesPerChunk, long bytesPerChunk, int chunks) {
    }

    /**
     * Chooses the largest chunks whose score memory fits the budget: everything at once, else whole kv heads,
     * else some query heads of one kv head, else blocks of queries of one head.
     */
    Plan plan(int heads, int kvHeads, int queries, int keys, DataType type) {
        int groups = heads / kvHeads;
        long bytesPerScore = bytesPerScore(type);
        long maxRows = Math.max(1, scoreBudgetBytes / ((long) keys * bytesPerScore));
        int kvPerChunk;
        int headsPerChunk;
        int queriesPerChunk;
        if ((long) heads * queries <= maxRows) {
            kvPerChunk = kvHeads;
            headsPerChunk = groups;
            queriesPerChunk = queries;
        } else if ((long) groups * queries <= maxRows) {
            kvPerChunk = (int) (maxRows / ((long) groups * queries));
            headsPerChunk = groups;
            queriesPerChunk = queries;
        } else if (queries <= maxRows) {
            kvPerChunk = 1;
            headsPerChunk = (int) (maxRows / queries);
            queriesPerChunk = queries;
        } else {
            kvPerChunk = 1;
            headsPerChunk = 1;
            queriesPerChunk = (int) maxRows;
        }
        int chunks = ceilDiv(kvHeads, kvPerChunk) * ceilDiv(groups, headsPerChunk) * ceilDiv(queries, queriesPerChunk);
        long bytes = (long) kvPerChunk * headsPerChunk * queriesPerChunk * keys * bytesPerScore;
        return new Plan(kvPerChunk, headsPerChunk, queriesPerChunk, bytes, chunks);
    }

    /**
     * Attends.
     *
     * @param q                   {@code [heads, queries, headDim]}
     * @param k                   {@code [kvHeads, keys, headDim]}
     * @param v                   {@code [kvHeads, keys, headDim]}
     * @param scale               multiplies the scores (1/√headDim)
     * @param firstQueryPosition  for causal attention, the key index of query 0 (query i sees keys
     *                            {@code ≤ firstQueryPosition + i}); negative for bidirectional attention
     * @return {@code [queries, heads · headDim]}, in {@code q}'s manager
     */
    NDArray forward(NDArray q, NDArray k, NDArray v, double scale, int firstQueryPosition) {
        Shape qShape = q.getShape();
        int heads = Math.toIntExact(qShape.get(0));
        int queries = Math.toIntExact(qShape.get(1));
        int headDim = Math.toIntExact(qShape.get(2));
        int kvHeads = Math.toIntExact(k.getShape().get(0));
        int keys = Math.toIntExact(k.getShape().get(1));
        if (heads % kvHeads != 0) {
            throw new IllegalArgumentException(heads + " query heads cannot share " + kvHeads + " kv heads");
        }
        int groups = heads / kvHeads;
        DataType type = BFloat16.typeOf(q);
        Plan plan = plan(heads, kvHeads, queries, keys, type);
        if (plan.chunks() == 1) {
            return attendWhole(q, k, v, scale, firstQueryPosition, kvHeads, groups);
        }
        NDManager owner = q.getManager();
        NDArray out = type == DataType.BFLOAT16
                ? BFloat16.zeros(owner, new Shape(queries, kvHeads, groups, headDim), type)
                : owner.create(new Shape(queries, kvHeads, groups, headDim), type);
        try (NDManager call = owner.newSubManager()) {
            call.tempAttachAll(q, k, v);
            // scaling q (small) rather than the scores (large) saves a pass over the biggest tensor
            NDArray grouped = q.mul(scale).reshape(kvHeads, groups, queries, headDim);
            for (int j0 = 0; j0 < kvHeads; j0 += plan.kvHeadsPerChunk()) {
                int j1 = Math.min(kvHeads, j0 + plan.kvHeadsPerChunk());
                for (int h0 = 0; h0 < groups; h0 += plan.headsPerChunk()) {
                    int h1 = Math.min(groups, h0 + plan.headsPerChunk());
                    for (int s0 = 0; s0 < queries; s0 += plan.queriesPerChunk()) {
                        int s1 = Math.min(queries, s0 + plan.queriesPerChunk());
                        // everything a chunk allocates lives in its own manager and dies with it
                        try (NDManager chunk = call.newSubManager()) {
                            chunk.tempAttachAll(grouped, k, v);
                            NDArray context = attendChunk(grouped, k, v, j0, j1, h0, h1, s0, s1, firstQueryPosition);
                            out.set(new NDIndex("{}:{}, {}:{}, {}:{}", s0, s1, j0, j1, h0, h1), context);
                        }
                    }
                }
            }
        }
        NDArray flat = out.reshape(queries, (long) heads * headDim);
        out.close(); // the reshaped view keeps the storage alive
        return flat;
    }

    /** Everything in one go, without an output buffer: the common case, and every decoding step. */
    private static NDArray attendWhole(NDArray q, NDArray k, NDArray v, double scale, int firstQueryPosition,
                                       int kvHeads, int groups) {
        long queries = q.getShape().get(1);
        long headDim = q.getShape().get(2);
        int keys = Math.toIntExact(k.getShape().get(1));
        NDArray scores = q.mul(scale).reshape(kvHeads, groups * queries, headDim).matMul(k.transpose(0, 2, 1));
        if (firstQueryPosition >= 0 && firstQueryPosition + 1 < keys) {
            NDArray mask = causalMask(scores.getManager(), firstQueryPosition, (int) queries, keys,
                    BFloat16.typeOf(scores));
            scores.reshape(kvHeads, groups, queries, keys).addi(mask);
        }
        NDArray probs = softmaxFloat32(scores);
        // bf16: the probabilities overwrite the scores they came from instead of taking a new array
        NDArray context = (BFloat16.is(q) ? BFloat16.roundInto(scores, probs) : probs.toType(q.getDataType(), false))
                .matMul(v);
        return context.reshape(kvHeads, groups, queries, headDim).transpose(2, 0, 1, 3)
                .reshape(queries, kvHeads * groups * headDim);
    }

    /** One chunk's output, laid out {@code [queries, kvHeads, heads, headDim]} to match the output buffer. */
    private static NDArray attendChunk(NDArray grouped, NDArray k, NDArray v, int j0, int j1, int h0, int h1,
                                       int s0, int s1, int firstQueryPosition) {
        int kvCount = j1 - j0;
        int headCount = h1 - h0;
        int queryCount = s1 - s0;
        long headDim = grouped.getShape().get(3);
        int keys = Math.toIntExact(k.getShape().get(1));
        NDArray qc = grouped.get("{}:{}, {}:{}, {}:{}", j0, j1, h0, h1, s0, s1)
                .reshape(kvCount, (long) headCount * queryCount, headDim);
        NDArray kT = k.get("{}:{}", j0, j1).transpose(0, 2, 1);
        NDArray scores = qc.matMul(kT);
        if (firstQueryPosition >= 0 && firstQueryPosition + s0 + 1 < keys) {
            NDArray mask = causalMask(scores.getManager(), firstQueryPosition + s0, queryCount, keys,
                    BFloat16.typeOf(scores));
            scores.reshape(kvCount, headCount, queryCount, keys).addi(mask);
        }
        NDArray probs = softmaxFloat32(scores);
        NDArray weights;
        if (BFloat16.is(grouped)) {
            weights = BFloat16.roundInto(scores, probs);
        } else {
            scores.close();
            weights = probs.toType(grouped.getDataType(), false);
        }
        NDArray context = weights.matMul(v.get("{}:{}", j0, j1));
        return context.reshape(kvCount, headCount, queryCount, headDim).transpose(2, 0, 1, 3);
    }

    /**
     * The additive causal mask {@code [queries, keys]}: 0 where query i (at {@code firstPosition + i}) may look,
     * the dtype's lowest finite value where it may not (transformers' convention; finite so that 0 · mask is 0).
     */
    static NDArray causalMask(NDManager manager, int firstPosition, int queries, int keys, DataType type) {
        NDArray keyIndex = manager.arange(0, keys, 1, DataType.INT32).reshape(1, keys);
        NDArray queryIndex = manager.arange(firstPosition, firstPosition + queries, 1, DataType.INT32)
                .reshape(queries, 1);
        NDArray future = keyIndex.gt(queryIndex);
        float lowest = type == DataType.FLOAT16 ? -65504f : type == DataType.BFLOAT16 ? BFLOAT16_LOWEST : -Float.MAX_VALUE;
        // a bf16 mask stays float32 (Java cannot create bf16): added in place, the scores keep their bf16 dtype
        NDArray mask = future.toType(type == DataType.BFLOAT16 ? DataType.FLOAT32 : type, false).muli(lowest);
        keyIndex.close();
        queryIndex.close();
        future.close();
        return mask;
    }

    /** {@code torch.finfo(torch.bfloat16).min}, exactly representable in float32. */
    static final float BFLOAT16_LOWEST = -3.3895314e38f;

    private static NDArray softmaxFloat32(NDArray scores) {
        return JniUtils.softmax((PtNDArray) scores, scores.getShape().dimension() - 1, DataType.FLOAT32);
    }

    /** Scores in their dtype, float32 probabilities, and the probabilities cast back when they differ. */
    private static long bytesPerScore(DataType type) {
        long size = type.getNumOfBytes();
        return size + 4 + (type == DataType.FLOAT32 ? 0 : size);
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
