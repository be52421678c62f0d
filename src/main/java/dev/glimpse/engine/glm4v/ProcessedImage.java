package dev.glimpse.engine.glm4v;

/**
 * One image made ready for the vision tower.
 *
 * @param source        where the image came from (for messages)
 * @param width         original width in pixels
 * @param height        original height in pixels
 * @param resizedWidth  processing width, a multiple of 28
 * @param resizedHeight processing height, a multiple of 28
 * @param grid          patch grid {@code [1, resizedHeight/14, resizedWidth/14]}
 * @param pixelValues   {@code grid.patches()} rows of {@code patchDim} floats, row-major: rows ordered by 2×2 merge
 *                      block, each laid out {@code [channel, frame, y, x]} within its patch
 * @param patchDim      values per row: channels × temporal patch × patch² (1176)
 */
public record ProcessedImage(String source, int width, int height, int resizedWidth, int resizedHeight,
                             ImageGrid grid, float[] pixelValues, int patchDim) {

    /** {@code <|image|>} tokens this image takes in the prompt. */
    public int tokens(int mergeSize) {
        return grid.tokens(mergeSize);
    }
}
