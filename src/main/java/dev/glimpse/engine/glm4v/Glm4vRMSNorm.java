package dev.glimpse.engine.glm4v;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * {@code Glm4vRMSNorm}: {@code weight · x / sqrt(mean(x²) + eps)}.
 *
 * <p>The statistics are computed in float32 even when the activations are float16 or bfloat16, as transformers does, because
 * the mean of squares of a 4096-wide fp16 row overflows easily.
 */
final class Glm4vRMSNorm {

    private final NDArray weight;
    private final NDArray eps;

    /**
     * @param weight {@code [hidden]}
     * @param eps    added to the mean square ({@code rms_norm_eps})
     */
    Glm4vRMSNorm(NDArray weight, double eps) {
        this.weight = weight;
        // one float32 scalar next to the weight, instead of a new one on every call
        this.eps = weight.getManager().create((float) eps);
    }

    NDArray forward(NDArray x) {
        NDArray x32 = x.toType(DataType.FLOAT32, false);
        NDArray rms = x32.square().mean(new int[] {-1}, true).addi(eps).sqrt();
        if (BFloat16.is(x)) {
            // an in-place op on a bf16 copy of x computes x / rms in float32 (x is exact in float32) and rounds the
            // result to bf16 once: transformers' (x·rsqrt).to(bf16), without a separate cast
            return x.duplicate().divi(rms).muli(weight);
        }
        NDArray normed = x32.div(rms);
        // weight · x in the input dtype; x first so the result stays in the activation's manager
        return normed.toType(x.getDataType(), false).muli(weight);
    }
}
