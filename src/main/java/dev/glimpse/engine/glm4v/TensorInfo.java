package dev.glimpse.engine.glm4v;

import java.util.List;

/**
 * Where one tensor lives in a safetensors file.
 *
 * @param name   the tensor's name, as in transformers' state dict
 * @param dtype  element type on disk
 * @param shape  dimensions, outermost first (empty for a scalar)
 * @param offset absolute byte offset of the first element in the file
 * @param bytes  length of the tensor's data in bytes
 */
public record TensorInfo(String name, SafetensorsDtype dtype, List<Long> shape, long offset, long bytes) {

    public TensorInfo {
        shape = List.copyOf(shape);
    }

    /** Number of elements. */
    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** The shape as an array, for DJL's {@code Shape}. */
    public long[] dims() {
        return shape.stream().mapToLong(Long::longValue).toArray();
    }
}
