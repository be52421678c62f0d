package dev.glimpse.engine.glm4v;

/**
 * The weights of {@code F.grid_sample(table, grid, mode='bicubic', align_corners=False, padding_mode='border')}
 * as a dense matrix, so that resampling becomes one matmul: {@code resampled = W · table}.
 *
 * <p>DJL has no grid_sample, and its interpolate cannot take sample points. The vision tower samples its learned
 * square position table at the centre of every patch of the image's grid: patch (h, w) of an H×W grid sits at
 * normalised {@code ((w + 0.5)/W·2 − 1, (h + 0.5)/H·2 − 1)}. Each sample mixes a 4×4 neighbourhood with Keys'
 * cubic convolution (A = −0.75, PyTorch's constant); taps outside the table are clamped to its border, so
 * several taps may land on the same cell and their weights add up. Arithmetic is float32, as PyTorch's.
 */
final class BicubicGridSample {

    /** PyTorch's cubic convolution constant. */
    static final float A = -0.75f;

    private BicubicGridSample() {
    }

    /**
     * Sampling weights for points of a {@code gridH × gridW} grid.
     *
     * @param tableSize side of the square table (24 for GLM-4V)
     * @param heights   the h coordinate of each sample, in output row order
     * @param widths    the w coordinate of each sample
     * @param gridH     rows of the grid the coordinates live on
     * @param gridW     columns of that grid
     * @return row-major {@code [samples, tableSize²]}; column {@code y·tableSize + x} is table cell (y, x)
     */
    static float[] weights(int tableSize, int[] heights, int[] widths, int gridH, int gridW) {
        int cells = tableSize * tableSize;
        float[] matrix = new float[Math.multiplyExact(heights.length, cells)];
        float[] cx = new float[4];
        float[] cy = new float[4];
        for (int row = 0; row < heights.length; row++) {
            float x = sourceIndex(normalised(widths[row], gridW), tableSize);
            float y = sourceIndex(normalised(heights[row], gridH), tableSize);
            float x0 = (float) Math.floor(x);
            float y0 = (float) Math.floor(y);
            coefficients(x - x0, cx);
            coefficients(y - y0, cy);
            int base = row * cells;
            for (int j = 0; j < 4; j++) {
                int ty = clamp((int) y0 - 1 + j, tableSize);
                for (int i = 0; i < 4; i++) {
                    int tx = clamp((int) x0 - 1 + i, tableSize);
                    matrix[base + ty * tableSize + tx] += cy[j] * cx[i];
                }
            }
        }
        return matrix;
    }

    /** The grid coordinate of patch centre {@code index} of {@code size}, in [-1, 1]. */
    static float normalised(int index, int size) {
        return ((index + 0.5f) / size) * 2 - 1;
    }

    /** grid_sample's unnormalisation with align_corners=False: [-1, 1] → [-0.5, size − 0.5]. */
    static float sourceIndex(float coordinate, int size) {
        return ((coordinate + 1) * size - 1) / 2;
    }

    /** The four tap weights for fractional offset {@code t} in [0, 1). */
    static void coefficients(float t, float[] out) {
        out[0] = convolutionFar(t + 1);
        out[1] = convolutionNear(t);
        float s = 1 - t;
        out[2] = convolutionNear(s);
        out[3] = convolutionFar(s + 1);
    }

    /** Keys' kernel for |x| ≤ 1. */
    private static float convolutionNear(float x) {
        return ((A + 2) * x - (A + 3)) * x * x + 1;
    }

    /** Keys' kernel for 1 < |x| < 2. */
    private static float convolutionFar(float x) {
        return ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;
    }

    private static int clamp(int index, int size) {
        return Math.max(0, Math.min(size - 1, index));
    }
}
