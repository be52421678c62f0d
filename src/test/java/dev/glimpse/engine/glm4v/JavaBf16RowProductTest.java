package dev.glimpse.engine.glm4v;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * bf16 decoding rows in Java ({@link JavaBf16RowProduct}) against the exact product of the same bf16 values and
 * against libtorch's own bf16 linear. The Java route accumulates in float32 and rounds once to bf16, so each output
 * is the exact value rounded to bf16, or one bf16 step from it where the float32 sum lands across a rounding
 * boundary, plus the float32 sum's own error: n additions each off by ≤ 2^-24 of a partial sum whose size is about
 * √Σ(w·x)², i.e. ≲ 4·√n·2^-24·√Σ(w·x)², which matters only for outputs near zero (a cancelling sum; torch's routes
 * differ there the same way, bench/engine/README.md).
 */
class JavaBf16RowProductTest {

    @Test
    void theBuildTakesTheJavaRoute() {
        // the pom adds --add-modules jdk.incubator.vector to the tests' JVM, as the launcher does
        assertTrue(JavaBf16RowProduct.enabled(), JavaBf16RowProduct.ROUTE);
        assertTrue(JavaBf16RowProduct.ROUTE.startsWith("java (Vector API, "), JavaBf16RowProduct.ROUTE);
    }

    @Test
    void decodingHoldsLibtorchAtOneThreadAndRestoresIt() {
        try (NDManager m = NDManager.newBaseManager()) {
            int before = JniUtils.getNumThreads();
            JniUtils.setNumThreads(2);
            try {
                NDArray w = bf16(m, random(512, 256, 5), new Shape(512, 256));
                NDArray x = bf16(m, random(1, 256, 6), new Shape(1, 256));
                JavaBf16RowProduct route = JavaBf16RowProduct.of(w, null);
                assertNotNull(route);
                float[] outside = floats(route.forward(x));
                Runnable restore = JavaBf16RowProduct.decoding();
                assertEquals(1, JniUtils.getNumThreads(), "libtorch during decoding steps");
                assertArrayEquals(outside, floats(route.forward(x)), "the rows meanwhile");
                restore.run();
                assertEquals(2, JniUtils.getNumThreads(), "libtorch after them");
            } finally {
                JniUtils.setNumThreads(before);
            }
        }
    }

    @Test
    void aModelTakesTheRouteByTheBytesItsDecodingStepReads() {
        // GLM-4.6V-Flash's published sizes: 40 layers of q/k/v/o/gate_up/down and lm_head, 8.8 G values a step
        Glm4vTextConfig flash = new Glm4vTextConfig(151552, 4096, 13696, 40, 32, 2, 128, "silu", 65536, 1e-5,
                "default", 500000, 0.5, List.of(8, 12, 12), null, List.of());
        long perLayer = 4096L * (4096 + 2 * 256) + 4096L * 4096 + 3L * 4096 * 13696;
        assertEquals(40 * perLayer + 151552L * 4096, flash.decodeStepParameters());
        // the tests' JVM takes every model (-Dglimpse.bf16.gemv.minStepBytes=0 in the pom), so that the fidelity
        // tests on the tiny models run this route; the default keeps cache-sized models with libtorch
        assertEquals(0, JavaBf16RowProduct.MIN_STEP_BYTES);
        long defaultMin = 64L << 20;
        assertTrue(JavaBf16RowProduct.takesModel(2 * flash.decodeStepParameters(), defaultMin));
        // glimpse-tiny: 4 layers, hidden 320, intermediate 896, 5 heads of 64, vocab 576; 10 MB a step, cache-sized
        Glm4vTextConfig tiny = new Glm4vTextConfig(576, 320, 896, 4, 5, 5, 64, "silu", 4096, 1e-5, "default",
                10000, 0.5, List.of(8, 12, 12), null, List.of());
        assertFalse(JavaBf16RowProduct.takesModel(2 * tiny.decodeStepParameters(), defaultMin));
    }

    @Test
    void rowsMatchTheExactProductToOneBf16Step() {
        List<String> mismatches = new ArrayList<>();
        // shapes: a vector-width multiple, an odd width (scalar tail), fewer rows than a chunk, GLM's k/v and MLP sizes
        int[][] shapes = {{64, 128}, {37, 33}, {300, 770}, {256, 4096}, {4096, 1}, {1000, 13696}};
        for (int[] s : shapes) {
            for (boolean withBias : new boolean[] {false, true}) {
                check(s[0], s[1], withBias, mismatches);
            }
        }
        assertTrue(mismatches.isEmpty(), String.join("\n", mismatches));
    }

    @Test
    void stackedWeightsGiveEachWeightsRowsInOrder() {
        try (NDManager m = NDManager.newBaseManager()) {
            int in = 130; // not a multiple of the vectors: the scalar tail too
            int[] outs = {96, 8, 40}; // q, k, v of a tiny GQA layer; chunks straddle the parts
            List<NDArray> weights = new ArrayList<>();
            List<NDArray> biases = new ArrayList<>();
            for (int i = 0; i < outs.length; i++) {
                weights.add(bf16(m, random(outs[i], in, 40 + i), new Shape(outs[i], in)));
                biases.add(bf16(m, random(1, outs[i], 50 + i), new Shape(outs[i])));
            }
            NDArray x = bf16(m, random(1, in, 60), new Shape(1, in));
            JavaBf16RowProduct stacked = JavaBf16RowProduct.stacked(weights, biases);
            assertNotNull(stacked);
            assertEquals(144, stacked.outFeatures());
            float[] together = floats(stacked.forward(x));
            float[] apart = new float[together.length];
            int at = 0;
            for (int i = 0; i < outs.length; i++) {
                float[] part = floats(JavaBf16RowProduct.of(weights.get(i), biases.get(i)).forward(x));
                System.arraycopy(part, 0, apart, at, part.length);
                at += part.length;
            }
            assertArrayEquals(apart, together);
            NDArray narrower = bf16(m, random(8, in - 2, 70), new Shape(8, in - 2));
            assertNull(JavaBf16RowProduct.stacked(List.of(weights.get(0), narrower), null),
                    "weights of different input widths cannot share a row");
            List<NDArray> shortBias = List.of(biases.get(0), biases.get(2), biases.get(2)); // 40 values for k's 8 rows
            assertNull(JavaBf16RowProduct.stacked(weights, shortBias), "a bias that is not one value per row");
        }
    }

    @Test
    void theResultKeepsTheLeadingAxesOfTheRow() {
        try (NDManager m = NDManager.newBaseManager()) {
            Linear linear = new Linear(bf16(m, random(24, 40, 1), new Shape(24, 40)), null, true);
            NDArray x = bf16(m, random(1, 40, 2), new Shape(1, 1, 40));
            NDArray y = linear.forward(x);
            assertEquals(new Shape(1, 1, 24), y.getShape());
            assertTrue(BFloat16.is(y));
        }
    }

    @Test
    void concurrentCallersGetTheirOwnRows() throws Exception {
        try (NDManager m = NDManager.newBaseManager()) {
            int out = 2048;
            int in = 512;
            NDArray w = bf16(m, random(out, in, 3), new Shape(out, in));
            JavaBf16RowProduct route = JavaBf16RowProduct.of(w, null);
            assertNotNull(route);
            int callers = 4;
            NDArray[] xs = new NDArray[callers];
            float[][] expected = new float[callers][];
            for (int c = 0; c < callers; c++) {
                xs[c] = bf16(m, random(1, in, 10 + c), new Shape(1, in));
                expected[c] = floats(route.forward(xs[c]));
            }
            ExecutorService pool = Executors.newFixedThreadPool(callers);
            try {
                List<Future<float[][]>> results = new ArrayList<>();
                for (int c = 0; c < callers; c++) {
                    int caller = c;
                    Callable<float[][]> repeat = () -> {
                        float[][] r = new float[50][];
                        for (int i = 0; i < r.length; i++) {
                            r[i] = floats(route.forward(xs[caller]));
                        }
                        return r;
                    };
                    results.add(pool.submit(repeat));
                }
                for (int c = 0; c < callers; c++) {
                    for (float[] r : results.get(c).get()) {
                        assertArrayEquals(expected[c], r, "caller " + c);
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @Test
    void eachProductLearnsWhichOneFollowsIt() {
        try (NDManager m = NDManager.newBaseManager()) {
            List<JavaBf16RowProduct> step = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                step.add(JavaBf16RowProduct.of(bf16(m, random(256, 64, 80 + i), new Shape(256, 64)), null));
            }
            NDArray x = bf16(m, random(1, 64, 90), new Shape(1, 64));
            List<float[]> first = new ArrayList<>();
            for (JavaBf16RowProduct p : step) {
                first.add(floats(p.forward(x)));
            }
            for (int i = 0; i < step.size(); i++) {
                // the second step runs with the next weight pre-read after each product: same results
                assertArrayEquals(first.get(i), floats(step.get(i).forward(x)), "product " + i);
            }
            assertEquals(step.get(1), step.get(0).following());
            assertEquals(step.get(2), step.get(1).following());
            assertEquals(step.get(0), step.get(2).following(), "the last is followed by the next step's first");
        }
    }

    @Test
    void touchReadsTheLinesItIsGivenAndStopsWhenAsked() {
        // 5 × 13 bf16: 130 bytes, not a whole number of cache lines
        VectorBf16Matrix w = new VectorBf16Matrix(java.nio.ByteBuffer.allocateDirect(130), 5, 13);
        assertEquals(130, w.touch(0, 1000, () -> false), "to the end, not past it");
        assertEquals(64, w.touch(64, 100, () -> true), "asked to stop before the first line");
        assertEquals(100, w.touch(0, 100, () -> false));
    }

    private static void check(int out, int in, boolean withBias, List<String> mismatches) {
        String name = out + "×" + in + (withBias ? " with bias" : "");
        try (NDManager m = NDManager.newBaseManager()) {
            float[] w = roundedToBf16(random(out, in, out * 31L + in));
            float[] x = roundedToBf16(random(1, in, in * 7L + 1));
            float[] b = withBias ? roundedToBf16(random(1, out, out + 5L)) : null;
            NDArray weight = bf16(m, w, new Shape(out, in));
            NDArray bias = withBias ? bf16(m, b, new Shape(out)) : null;
            JavaBf16RowProduct route = JavaBf16RowProduct.of(weight, bias);
            if (route == null) {
                mismatches.add(name + ": the Java route was not taken (" + JavaBf16RowProduct.ROUTE + ")");
                return;
            }
            NDArray row = bf16(m, x, new Shape(1, in));
            float[] java = floats(route.forward(row));
            NDArray twice = row.concat(row, 0);
            float[] torch = floats(twice.getNDArrayInternal().linear(twice, weight, bias).singletonOrThrow().get(0));
            int offByOne = 0;
            for (int r = 0; r < out; r++) {
                double exact = withBias ? b[r] : 0;
                double squares = 0;
                for (int k = 0; k < in; k++) {
                    double term = (double) w[r * in + k] * x[k];
                    exact += term;
                    squares += term * term;
                }
                double sumError = 4 * Math.sqrt(in) * 0x1p-24 * Math.sqrt(squares);
                float nearest = Float16.bf16ToFloat(Float16.floatToBf16((float) exact));
                if (java[r] != nearest) {
                    offByOne++;
                    if (Math.abs(java[r] - exact) > bf16Step(nearest) + sumError) {
                        mismatches.add(name + " row " + r + ": Java " + java[r] + ", exact " + exact);
                    }
                }
                if (Math.abs(java[r] - torch[r])
                        > bf16Step(Math.max(Math.abs(java[r]), Math.abs(torch[r]))) + 2 * sumError) {
                    mismatches.add(name + " row " + r + ": Java " + java[r] + ", libtorch " + torch[r]);
                }
            }
            // one step off only where the exact value sits at a rounding boundary: rare
            if (offByOne > Math.max(1, out / 100)) {
                mismatches.add(name + ": " + offByOne + " of " + out + " rows one bf16 step from the exact product");
            }
        }
    }

    private static float bf16Step(float v) {
        return Math.max(Math.ulp(Math.abs(v)) * 65536f, Float.MIN_NORMAL);
    }

    private static NDArray bf16(NDManager m, float[] values, Shape shape) {
        return BFloat16.cast(m.create(values, shape), DataType.BFLOAT16);
    }

    private static float[] floats(NDArray bf16) {
        return bf16.toType(DataType.FLOAT32, false).toFloatArray();
    }

    private static float[] random(int rows, int cols, long seed) {
        Random rnd = new Random(seed);
        float[] v = new float[rows * cols];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rnd.nextGaussian() * (rows == 1 ? 1f : 0.02f);
        }
        return v;
    }

    private static float[] roundedToBf16(float[] v) {
        float[] r = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = Float16.bf16ToFloat(Float16.floatToBf16(v[i]));
        }
        return r;
    }
}
