package dev.glimpse.engine.glm4v;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * The two rotary position embeddings of GLM-4V, side by side because they differ in every detail.
 *
 * <table>
 *   <caption>Vision tower vs text decoder</caption>
 *   <tr><th></th><th>{@link Vision}</th><th>{@link Text}</th></tr>
 *   <tr><td>rotated dims</td><td>all of the head</td><td>the first {@code partial_rotary_factor} (0.5) of it</td></tr>
 *   <tr><td>positions</td><td>2-D (h, w) per patch</td><td>3-D (t, h, w) per token (M-RoPE)</td></tr>
 *   <tr><td>pairing</td><td>half-split: (i, i + d/2) ({@code rotate_half})</td>
 *       <td>interleaved: (2i, 2i+1) ({@code rotate_half_llm})</td></tr>
 * </table>
 *
 * <p>Both rotate with {@code x·cos + rotate(x)·sin}. {@code rotate} is a swap of the paired elements with one of
 * them negated, so this code swaps with a {@code flip} and folds the sign into a precomputed {@code sin}: the result
 * is bitwise what transformers computes, with fewer native calls.
 */
final class RotaryEmbedding {

    private RotaryEmbedding() {
    }

    /**
     * The cosines and sign-folded sines for a run of positions.
     *
     * @param cos        {@code [positions, 1, rotaryDim]}, broadcast over heads
     * @param signedSin  {@code [positions, 1, rotaryDim]}, negated where {@code rotate} negates
     */
    record CosSin(NDArray cos, NDArray signedSin) {
        int rotaryDim() {
            return Math.toIntExact(cos.getShape().get(2));
        }
    }

    /** {@code 1 / θ^(2i/dim)} for i in [0, dim/2), computed in float32 as torch does. */
    static float[] inverseFrequencies(double theta, int dim) {
        float[] inv = new float[dim / 2];
        for (int i = 0; i < inv.length; i++) {
            float exponent = (float) (2 * i) / (float) dim;
            inv[i] = 1.0f / (float) Math.pow(theta, exponent);
        }
        return inv;
    }

    /**
     * {@code Glm4vVisionRotaryEmbedding} + {@code apply_rotary_pos_emb_vision}: axial 2-D rope over the whole
     * head. A patch at (h, w) gets angles {@code [h·f, w·f]} for the {@code head_dim/4} frequencies f, repeated
     * twice to span the head, applied with half-split pairing in float32.
     */
    static final class Vision {
        private final float[] inverseFrequencies;
        private final int headDim;

        Vision(int headDim, double theta) {
            if (headDim % 4 != 0) {
                throw new IllegalArgumentException("vision head_dim must be a multiple of 4, was " + headDim);
            }
            this.headDim = headDim;
            this.inverseFrequencies = inverseFrequencies(theta, headDim / 2);
        }

        /**
         * Cos/sin for patches at the given (h, w) grid coordinates, in float32.
         *
         * @param heights the h coordinate of each patch, in the vision tower's row order
         * @param widths  the w coordinate of each patch
         */
        CosSin cosSin(NDManager manager, int[] heights, int[] widths) {
            int n = heights.length;
            int quarter = inverseFrequencies.length;
            // [n, 2] positions × [quarter] frequencies → [n, 2, quarter]: row 0 = h·f, row 1 = w·f
            float[] positions = new float[n * 2];
            for (int i = 0; i < n; i++) {
                positions[2 * i] = heights[i];
                positions[2 * i + 1] = widths[i];
            }
            NDArray pos = manager.create(positions, new Shape(n, 2, 1));
            NDArray inv = manager.create(inverseFrequencies, new Shape(1, 1, quarter));
            NDArray angles = pos.mul(inv).reshape(n, 2 * quarter); // cat(h·f, w·f)
            NDArray cosHalf = angles.cos();
            NDArray sinHalf = angles.sin();
            NDArray cos = cosHalf.concat(cosHalf, 1).reshape(n, 1, headDim);
            // rotate_half(x) = cat(-x2, x1): the first half of the swapped vector is negated
            NDArray signedSin = sinHalf.neg().concat(sinHalf, 1).reshape(n, 1, headDim);
            return new CosSin(cos, signedSin);
        }

        /** Rotates {@code x [n, heads, headDim]} in float32 and casts back to its dtype. */
        NDArray apply(NDArray x, CosSin cosSin) {
            DataType type = BFloat16.typeOf(x);
            NDArray x32 = x.toType(DataType.FLOAT32, false);
            Shape shape = x32.getShape();
            NDArray swapped = x32.reshape(shape.get(0), shape.get(1), 2, headDim / 2).flip(2).reshape(shape);
            NDArray out = x32.mul(cosSin.cos()).addi(swapped.muli(cosSin.signedSin()));
            return type == DataType.BFLOAT16 ? BFloat16.roundInto(x.duplicate(), out) : out.toType(type, false);
        }
    }

    /**
     * {@code Glm4vTextRotaryEmbedding} + {@code apply_rotary_pos_emb}: multimodal rope (M-RoPE) over the first
     * {@code partial_rotary_factor · head_dim} dims of each head. Frequency slot i takes its position from the t, h
     * or w axis according to {@code mrope_section} (e.g. [8, 12, 12]: slots 0–7 from t, 8–19 from h, 20–31 from w);
     * each slot's angle is repeated for the adjacent pair (2i, 2i+1) it rotates.
     */
    static final class Text {
        private final float[] inverseFrequencies;
        private final int[] axisOfSlot;
        private final int rotaryDim;
        private final int headDim;

        /**
         * @param headDim             the attention head size
         * @param partialRotaryFactor the fraction of the head that rotates
         * @param theta               {@code rope_theta}
         * @param mropeSection        slots per axis (t, h, w); must sum to the number of frequencies
         */
        Text(int headDim, double partialRotaryFactor, double theta, int[] mropeSection) {
            this.headDim = headDim;
            this.rotaryDim = (int) (headDim * partialRotaryFactor);
            this.inverseFrequencies = inverseFrequencies(theta, rotaryDim);
            this.axisOfSlot = new int[inverseFrequencies.length];
            int slot = 0;
            for (int section = 0; section < mropeSection.length; section++) {
                for (int j = 0; j < mropeSection[section]; j++) {
                    if (slot >= axisOfSlot.length) {
                        throw new IllegalArgumentException("mrope_section " + java.util.Arrays.toString(mropeSection)
                                + " covers more than the " + axisOfSlot.length + " rotary frequencies");
                    }
                    axisOfSlot[slot++] = section % 3;
                }
            }
            if (slot != axisOfSlot.length) {
                throw new IllegalArgumentException("mrope_section " + java.util.Arrays.toString(mropeSection)
                        + " must sum to " + axisOfSlot.length + " (rotary dims / 2)");
            }
        }

        int rotaryDim() {
            return rotaryDim;
        }

        /**
         * Cos/sin for a run of tokens over the whole head, cast to {@code type} (transformers rotates in the
         * activation dtype). The dims past {@link #rotaryDim()} get angle 0, so cos 1 and sin 0 exactly: rotating the whole head then
         * passes them through unchanged, which costs less than splitting every head and concatenating it back.
         *
         * @param positions {@code positions[axis][token]} for the axes t, h, w
         * @param from      first token
         * @param count     number of tokens
         */
        CosSin cosSin(NDManager manager, int[][] positions, int from, int count, DataType type) {
            int slots = inverseFrequencies.length;
            int pairs = headDim / 2;
            float[] angles = new float[count * pairs];
            for (int s = 0; s < count; s++) {
                for (int i = 0; i < slots; i++) {
                    // float32 product, as torch computes position_ids.float() * inv_freq
                    angles[s * pairs + i] = (float) positions[axisOfSlot[i]][from + s] * inverseFrequencies[i];
                }
            }
            NDArray a = manager.create(angles, new Shape(count, pairs, 1));
            NDArray cos = a.cos();
            NDArray sin = a.sin();
            // repeat_interleave(2): slot i covers dims 2i and 2i+1; rotate_half_llm negates the even one
            NDArray cosPairs = cos.concat(cos, 2).reshape(count, 1, headDim);
            NDArray signedSin = sin.neg().concat(sin, 2).reshape(count, 1, headDim);
            return new CosSin(BFloat16.cast(cosPairs, type), BFloat16.cast(signedSin, type));
        }

        /** Rotates the first {@link #rotaryDim()} dims of {@code x [tokens, heads, headDim]}; the rest pass through. */
        NDArray apply(NDArray x, CosSin cosSin) {
            Shape shape = x.getShape();
            NDArray swapped = x.reshape(shape.get(0), shape.get(1), headDim / 2, 2).flip(3).reshape(shape);
            return x.mul(cosSin.cos()).addi(swapped.muli(cosSin.signedSin()));
        }
    }
}
