package dev.glimpse.engine.glm4v;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

import java.util.Objects;

/**
 * {@code torch.nn.Linear}: {@code y = x·Wᵀ + b} over the last axis, in one native call.
 *
 * @param weight {@code [out, in]}
 * @param bias   {@code [out]}, or {@code null} for a projection without bias
 */
record Linear(NDArray weight, NDArray bias) {

    Linear {
        Objects.requireNonNull(weight, "weight");
        if (weight.getShape().dimension() != 2) {
            throw new IllegalArgumentException("A linear weight must be [out, in], was " + weight.getShape());
        }
    }

    /** A projection without bias. */
    static Linear withoutBias(NDArray weight) {
        return new Linear(weight, null);
    }

    int inFeatures() {
        return Math.toIntExact(weight.getShape().get(1));
    }

    int outFeatures() {
        return Math.toIntExact(weight.getShape().get(0));
    }

    /** Applies the projection; the result belongs to {@code x}'s manager. */
    NDArray forward(NDArray x) {
        if (x.getShape().size() == weight.getShape().get(1) && BFloat16.is(weight)) {
            return singleRowBFloat16(x);
        }
        return x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
    }

    /**
     * One row in bf16 (every decoding step): libtorch 2.7.1 sends a bf16 matrix-vector product down a slow
     * generic path but two rows to oneDNN's bf16 GEMM, which reads the weight once for both; measured on a
     * 27392×4096 weight, one thread, CPU time: 31 ms for one row, 20 ms for two (float32: 29 ms). So the row is
     * doubled and one copy of the result kept.
     */
    private NDArray singleRowBFloat16(NDArray x) {
        Shape shape = x.getShape();
        try (NDArray row = x.reshape(1, shape.get(shape.dimension() - 1)); NDArray twice = row.concat(row, 0);
             NDArray both = twice.getNDArrayInternal().linear(twice, weight, bias).singletonOrThrow();
             NDArray first = both.get(0)) {
            long[] out = shape.getShape().clone();
            out[out.length - 1] = weight.getShape().get(0);
            return first.reshape(new Shape(out));
        }
    }
}
