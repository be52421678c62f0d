package dev.glimpse.engine.glm4v;

/**
 * One image's patch grid, as {@code image_grid_thw}: frames × patch rows × patch columns (before the 2×2 merge).
 *
 * @param t temporal patches (1 for a still image)
 * @param h patch rows
 * @param w patch columns
 */
public record GridThw(int t, int h, int w) {

    public GridThw {
        if (t < 1 || h < 1 || w < 1) {
            throw new IllegalArgumentException("A patch grid needs positive sizes, was " + t + "×" + h + "×" + w);
        }
    }

    /** Rows of {@code pixel_values} for this image: t·h·w. */
    public int patches() {
        return t * h * w;
    }

    /** LLM tokens (merger rows) for this image: t·h·w / merge². */
    public int tokens(int mergeSize) {
        return patches() / (mergeSize * mergeSize);
    }
}
