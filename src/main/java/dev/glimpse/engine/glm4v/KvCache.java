package dev.glimpse.engine.glm4v;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Keys and values of every decoder layer for the tokens seen so far, stored after rotary so the prefix is never
 * recomputed.
 *
 * <p>Each layer owns one preallocated {@code [kvHeads, capacity, headDim]} buffer for keys and one for values;
 * new tokens are written in place and attention reads a view of the filled prefix. When a step would overflow,
 * the buffers grow by at least {@link #GROWTH_TOKENS} (one copy, amortised over many steps) rather than being
 * concatenated every step.
 */
final class KvCache implements AutoCloseable {

    /** Minimum number of token slots added when the cache grows. */
    static final int GROWTH_TOKENS = 256;

    private final NDManager manager;
    private final int kvHeads;
    private final int headDim;
    private final DataType type;
    private final NDArray[] keys;
    private final NDArray[] values;
    private int capacity;
    private int length;

    /**
     * @param parent   the manager the buffers are created under (they are freed by {@link #close()})
     * @param layers   number of decoder layers
     * @param capacity initial number of token slots
     */
    KvCache(NDManager parent, int layers, int kvHeads, int headDim, int capacity, DataType type) {
        if (capacity < 1) {
            throw new IllegalArgumentException("KV cache capacity must be positive, was " + capacity);
        }
        this.manager = parent.newSubManager();
        this.kvHeads = kvHeads;
        this.headDim = headDim;
        this.type = type;
        this.keys = new NDArray[layers];
        this.values = new NDArray[layers];
        this.capacity = capacity;
        for (int layer = 0; layer < layers; layer++) {
            keys[layer] = allocate(capacity);
            values[layer] = allocate(capacity);
        }
    }

    /** Tokens stored (in every layer once a forward pass has completed). */
    int length() {
        return length;
    }

    int capacity() {
        return capacity;
    }

    /** Bytes held by the buffers. */
    long bytes() {
        return 2L * keys.length * kvHeads * capacity * headDim * type.getNumOfBytes();
    }

    /** Makes room for {@code tokens} more tokens, growing the buffers if needed. Call once before each forward. */
    void reserve(int tokens) {
        int needed = length + tokens;
        if (needed <= capacity) {
            return;
        }
        int grown = Math.max(needed, capacity + Math.max(GROWTH_TOKENS, capacity / 2));
        for (int layer = 0; layer < keys.length; layer++) {
            keys[layer] = copyInto(keys[layer], grown);
            values[layer] = copyInto(values[layer], grown);
        }
        capacity = grown;
    }

    /**
     * Stores one layer's keys and values for the next {@code tokens} positions and returns views of everything
     * stored in that layer, including them.
     *
     * @param k {@code [kvHeads, tokens, headDim]}, after rotary
     * @param v {@code [kvHeads, tokens, headDim]}
     * @return keys and values {@code [kvHeads, length + tokens, headDim]}: views into the cache, attached to
     *         {@code k}'s manager so they are released with the step
     */
    NDArray[] append(int layer, NDArray k, NDArray v) {
        int tokens = Math.toIntExact(k.getShape().get(1));
        int end = length + tokens;
        if (end > capacity) {
            throw new IllegalStateException("KV cache full: reserve(" + tokens + ") before the forward pass");
        }
        write(keys[layer], k, length, end);
        write(values[layer], v, length, end);
        return new NDArray[] {filled(keys[layer], end, k), filled(values[layer], end, k)};
    }

    /** Marks {@code tokens} more positions as stored, after every layer has appended them. */
    void advance(int tokens) {
        length += tokens;
    }

    // One native call each: DJL's NDIndex path would add a slice op per axis, and this runs for every layer of
    // every decoding step.
    private static void write(NDArray buffer, NDArray tokens, int from, int to) {
        JniUtils.indexSet((PtNDArray) buffer, (PtNDArray) tokens, new long[] {0, from}, new long[] {Long.MAX_VALUE, to},
                new long[] {1, 1});
    }

    /** {@code buffer[:, :end]} as a view, attached to {@code like}'s manager so it is released with the step. */
    private static NDArray filled(NDArray buffer, int end, NDArray like) {
        NDArray view = JniUtils.slice((PtNDArray) buffer, 1, 0, end, 1);
        view.attach(like.getManager());
        return view;
    }

    private NDArray allocate(int slots) {
        if (type == DataType.BFLOAT16) {
            return BFloat16.zeros(manager, new Shape(kvHeads, slots, headDim), type);
        }
        return manager.create(new Shape(kvHeads, slots, headDim), type);
    }

    private NDArray copyInto(NDArray old, int slots) {
        NDArray grown = allocate(slots);
        if (length > 0) {
            NDIndex prefix = new NDIndex(":, :{}", length);
            try (NDArray filled = old.get(prefix)) {
                grown.set(prefix, filled);
            }
        }
        old.close();
        return grown;
    }

    @Override
    public void close() {
        manager.close();
    }
}
