package dev.glimpse.engine;

/**
 * A grounding box from {@code <|begin_of_box|>[x1,y1,x2,y2]<|end_of_box|>}, in GLM-4V's 0–1000 coordinates.
 */
public record Box(double x1, double y1, double x2, double y2) {

    /** This box in pixels of an image of the given size. */
    public Box toPixels(int width, int height) {
        return new Box(x1 * width / 1000.0, y1 * height / 1000.0, x2 * width / 1000.0, y2 * height / 1000.0);
    }
}
