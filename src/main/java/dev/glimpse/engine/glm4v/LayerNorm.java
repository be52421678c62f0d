package dev.glimpse.engine.glm4v;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * {@code torch.nn.LayerNorm} over the last axis, with weight and bias.
 *
 * @param weight {@code [hidden]}
 * @param bias   {@code [hidden]}
 * @param eps    added to the variance (torch's default is 1e-5)
 */
record LayerNorm(NDArray weight, NDArray bias, double eps) {

    NDArray forward(NDArray x) {
        Shape normalized = new Shape(x.getShape().get(x.getShape().dimension() - 1));
        return x.getNDArrayInternal().layerNorm(x, normalized, weight, bias, (float) eps).singletonOrThrow();
    }
}
