package dev.glimpse.engine.glm4v;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.Random;

/** Small deterministic tensors and comparisons for the block tests. */
final class TestTensors {

    private TestTensors() {
    }

    static float[] random(long seed, int n, double scale) {
        Random r = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextGaussian() * scale);
        }
        return a;
    }

    static NDArray random(NDManager m, long seed, double scale, long... shape) {
        Shape s = new Shape(shape);
        return m.create(random(seed, Math.toIntExact(s.size()), scale), s);
    }

    static double maxAbsDiff(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new AssertionError("lengths differ: " + a.length + " vs " + b.length);
        }
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((double) a[i] - b[i]));
        }
        return max;
    }

    static double maxAbsDiff(NDArray a, NDArray b) {
        return maxAbsDiff(a.toFloatArray(), b.toFloatArray());
    }
}
