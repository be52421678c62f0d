package dev.glimpse.engine.glm4v;

/**
 * An image's patch grid, transformers' {@code image_grid_thw} row: temporal × height × width patches
 * (before the spatial merge). A still image has {@code t = 1}.
 */
public record ImageGrid(int t, int h, int w) {

    public ImageGrid {
        if (t < 1 || h < 1 || w < 1) {
            throw new IllegalArgumentException("Grid sides must be positive: " + t + "×" + h + "×" + w);
        }
    }

    /** Rows of {@code pixel_values}: t·h·w. */
    public int patches() {
        return t * h * w;
    }

    /** {@code <|image|>} tokens the image takes in the prompt: t·h·w / merge². */
    public int tokens(int mergeSize) {
        return patches() / (mergeSize * mergeSize);
    }
}
