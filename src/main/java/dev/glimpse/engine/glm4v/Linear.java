package dev.glimpse.engine.glm4v;

import ai.djl.ndarray.NDArray;

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
        return x.getNDArrayInternal().linear(x, weight, bias).singletonOrThrow();
    }
}
