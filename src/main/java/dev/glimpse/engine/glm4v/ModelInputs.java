package dev.glimpse.engine.glm4v;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.List;

/**
 * What the model consumes for one prompt: transformers' {@code input_ids}, {@code pixel_values} and
 * {@code image_grid_thw}.
 *
 * @param inputIds the prompt's token ids, each image's {@code <|image|>} repeated once per merged patch
 * @param images   the processed images, in prompt order (empty for a text-only prompt)
 */
public record ModelInputs(int[] inputIds, ProcessedImages images) {

    /** Number of prompt tokens. */
    public int length() {
        return inputIds.length;
    }

    /** Each image's patch grid, in order. */
    public List<ImageGrid> grids() {
        return images.grids();
    }

    /** {@code input_ids} as an int64 array {@code [1, length]} on the manager's device. */
    public NDArray inputIds(NDManager manager) {
        long[] ids = new long[inputIds.length];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = inputIds[i];
        }
        return manager.create(ids, new Shape(1, ids.length));
    }
}
