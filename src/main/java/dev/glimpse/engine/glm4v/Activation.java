package dev.glimpse.engine.glm4v;

import ai.djl.ndarray.NDArray;

/** The activation functions GLM-4V uses ({@code ACT2FN["silu"]} and {@code nn.GELU()}); DJL has no silu primitive. */
final class Activation {

    private Activation() {
    }

    /** {@code x · sigmoid(x)}, in place on {@code x}. */
    static NDArray siluInPlace(NDArray x) {
        NDArray sigmoid = x.getNDArrayInternal().sigmoid();
        x.muli(sigmoid);
        sigmoid.close();
        return x;
    }

    /** The exact (erf) GELU, as {@code torch.nn.GELU()} with its default {@code approximate='none'}. */
    static NDArray gelu(NDArray x) {
        return x.getNDArrayInternal().gelu();
    }
}
