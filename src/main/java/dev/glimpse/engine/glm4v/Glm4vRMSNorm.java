package dev.glimpse.engine.glm4v;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * {@code Glm4vRMSNorm}: {@code weight · x / sqrt(mean(x²) + eps)}.
 *
 * <p>The statistics are computed in float32 even when the activations are float16, as transformers does, because
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
        DataType inputType = x.getDataType();
        NDArray x32 = x.toType(DataType.FLOAT32, false);
        NDArray meanSquare = x32.square().mean(new int[] {-1}, true);
        NDArray normed = x32.div(meanSquare.addi(eps).sqrt());
        // weight · x in the input dtype; x first so the result stays in the activation's manager
        return normed.toType(inputType, false).muli(weight);
    }
}
