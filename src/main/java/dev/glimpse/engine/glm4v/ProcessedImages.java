package dev.glimpse.engine.glm4v;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * The images of one prompt, processed: transformers' {@code pixel_values} (all images' rows concatenated in prompt
 * order) and {@code image_grid_thw}.
 *
 * @param images    each image, in prompt order
 * @param patchDim  values per row (1176)
 */
public record ProcessedImages(List<ProcessedImage> images, int patchDim) {

    public ProcessedImages {
        images = List.copyOf(images);
    }

    /** Rows of {@code pixel_values} over all images. */
    public int rows() {
        return images.stream().mapToInt(i -> i.grid().patches()).sum();
    }

    /** Each image's patch grid, in order ({@code image_grid_thw}). */
    public List<ImageGrid> grids() {
        return images.stream().map(ProcessedImage::grid).toList();
    }

    /** All rows as one row-major {@code [rows, patchDim]} array. */
    public float[] pixelValues() {
        float[] out = new float[Math.multiplyExact(rows(), patchDim)];
        int offset = 0;
        for (ProcessedImage image : images) {
            System.arraycopy(image.pixelValues(), 0, out, offset, image.pixelValues().length);
            offset += image.pixelValues().length;
        }
        return out;
    }

    /** {@code pixel_values} as a float32 array {@code [rows, patchDim]} on the manager's device. */
    public NDArray pixelValues(NDManager manager) {
        return manager.create(pixelValues(), new Shape(rows(), patchDim));
    }

    /** {@code image_grid_thw} as an int64 array {@code [images, 3]}. */
    public NDArray gridThw(NDManager manager) {
        long[] thw = new long[images.size() * 3];
        for (int i = 0; i < images.size(); i++) {
            ImageGrid g = images.get(i).grid();
            thw[3 * i] = g.t();
            thw[3 * i + 1] = g.h();
            thw[3 * i + 2] = g.w();
        }
        return manager.create(thw, new Shape(images.size(), 3));
    }
}
