package dev.glimpse.engine.glm4v;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

import java.util.Objects;

/**
 * {@code torch.nn.Linear}: {@code y = x·Wᵀ + b} over the last axis, in one native call; one bf16 row (every
 * decoding step) in Java where the JVM allows it ({@link JavaBf16RowProduct}).
 */
final class Linear {

    private final NDArray weight;
    private final NDArray bias;
    /** Whether the weight is bf16: asked once here, not of libtorch on every decoding row. */
    private final boolean bf16;
    private final long inFeatures;
    /** The Java route for single bf16 rows, or null when they stay with libtorch. */
    private final JavaBf16RowProduct rowProduct;

    /**
     * A projection whose single rows stay with libtorch (the vision tower's, and any other that never decodes).
     *
     * @param weight {@code [out, in]}
     * @param bias   {@code [out]}, or {@code null} for a projection without bias
     */
    Linear(NDArray weight, NDArray bias) {
        this(weight, bias, false);
    }

    /**
     * @param javaRows whether single bf16 rows may take the Java route: a decoder projection of a model for which
     *                 {@link JavaBf16RowProduct#takesModel} says so
     */
    Linear(NDArray weight, NDArray bias, boolean javaRows) {
        this.weight = Objects.requireNonNull(weight, "weight");
        this.bias = bias;
        if (weight.getShape().dimension() != 2) {
            throw new IllegalArgumentException("A linear weight must be [out, in], was " + weight.getShape());
        }
        this.bf16 = BFloat16.is(weight);
        this.inFeatures = weight.getShape().get(1);
        this.rowProduct = bf16 && javaRows ? JavaBf16RowProduct.of(weight, bias) : null;
    }

    /** Whether one bf16 row (a decoding step) goes through Java rather than libtorch. */
    boolean rowsInJava() {
        return rowProduct != null;
    }

    NDArray weight() {
        return weight;
    }

    NDArray bias() {
        return bias;
    }

    /** A projection without bias. */
    static Linear withoutBias(NDArray weight) {
        return new Linear(weight, null);
    }

    int inFeatures() {
        return Math.toIntExact(inFeatures);
    }

    int outFeatures() {
        return Math.toIntExact(weight.getShape().get(0));
    }

    /** Applies the projection; the result belongs to {@code x}'s manager. */
    NDArray forward(NDArray x) {
        if (bf16 && x.getShape().size() == inFeatures) {
            return rowProduct != null && BFloat16.is(x) ? rowProduct.forward(x) : singleRowBFloat16(x);
        }
        return x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
    }

    /**
     * One row in bf16 in libtorch (every decoding step, when the Java route is not taken), doubled: libtorch 2.7.1 has no fast bf16 matrix-vector kernel (its
     * {@code mv} takes a generic path, and {@code linear} of one row oneDNN's slowest shape), while two rows take
     * oneDNN's bf16 GEMM, which reads the weight once for both. Measured, one thread, weights streamed from memory
     * as in a decoding step (bench/engine/README.md): the bench model's 49 matrices take 14.7 ms with two rows,
     * 17.5 ms with one, 25.2 ms through {@code mv} (float32, one row: 20.4 ms). Three native calls (cat, linear, a
     * slice view of the first row), as few as the doubling allows: at hidden 768 a call costs about as much as a
     * small product.
     */
    private NDArray singleRowBFloat16(NDArray x) {
        Shape shape = x.getShape();
        NDArray row = shape.dimension() == 2 ? x : x.reshape(1, shape.get(shape.dimension() - 1));
        NDArray first;
        try (NDArray twice = row.concat(row, 0);
             NDArray both = twice.getNDArrayInternal().linear(twice, weight, bias).singletonOrThrow()) {
            first = JniUtils.slice((PtNDArray) both, 0, 0, 1, 1); // a view: [1, out], in x's manager
        } finally {
            if (row != x) {
                row.close(); // also when a native call above throws: the reshaped row is ours alone
            }
        }
        if (row == x) {
            return first;
        }
        long[] out = shape.getShape().clone();
        out[out.length - 1] = weight.getShape().get(0);
        try (first) {
            return first.reshape(new Shape(out));
        }
    }
}
