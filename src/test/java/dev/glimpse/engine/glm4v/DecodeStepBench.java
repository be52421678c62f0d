package dev.glimpse.engine.glm4v;

import dev.glimpse.bench.CallTiming;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A decoding step's matrix products through the engine's Java bf16 route ({@link VectorBf16Matrix} split by
 * {@link RowSplit}, as {@link JavaBf16RowProduct} runs them), on a real checkpoint: every decoder Linear of layers
 * 0…LAYERS−1 plus {@code lm_head}, each a distinct memory-mapped tensor, so the weights stream from the page cache as
 * in a real step. {@code bench/engine/step_bench.py} times torch's {@code F.linear} on the same tensors;
 * {@code bench/engine/step.sh} alternates the two (bench/engine/README.md, "The bf16 decode route").
 *
 * <p>Usage: {@code java --add-modules jdk.incubator.vector -cp … dev.glimpse.engine.glm4v.DecodeStepBench MODEL
 * THREADS LAYERS [STEPS]}; prints one JSON line: median wall ms per step, mean process CPU ms per step.
 */
public final class DecodeStepBench {

    private static final String[] LAYER_WEIGHTS = {"self_attn.q_proj.weight", "self_attn.k_proj.weight",
            "self_attn.v_proj.weight", "self_attn.o_proj.weight", "mlp.gate_up_proj.weight", "mlp.down_proj.weight"};

    private DecodeStepBench() {
    }

    public static void main(String[] args) {
        Path model = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        int layers = Integer.parseInt(args[2]);
        int steps = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        List<String> names = new ArrayList<>();
        for (int l = 0; l < layers; l++) {
            for (String w : LAYER_WEIGHTS) {
                names.add("model.language_model.layers." + l + "." + w);
            }
        }
        names.add("lm_head.weight");
        try (SafetensorsIndex index = SafetensorsIndex.open(model)) {
            List<VectorBf16Matrix> matrices = new ArrayList<>();
            List<int[]> rows = new ArrayList<>();
            List<float[]> outs = new ArrayList<>();
            long bytes = 0;
            Random rnd = new Random(0);
            for (String name : names) {
                TensorInfo info = index.info(name);
                ByteBuffer mapped = index.shardOf(name).map(info);
                int out = Math.toIntExact(info.shape().get(0));
                int in = Math.toIntExact(info.shape().get(1));
                matrices.add(new VectorBf16Matrix(mapped, out, in));
                int[] x = new int[(in + 1) / 2]; // bf16 pairs, as the engine passes its bf16 activations
                for (int k = 0; k < x.length; k++) {
                    x[k] = bf16(rnd.nextGaussian()) | bf16(rnd.nextGaussian()) << 16;
                }
                rows.add(x);
                outs.add(new float[out]);
                bytes += info.bytes();
            }
            RowSplit split = new RowSplit("bench-gemv");
            double[] r = CallTiming.steps(steps, () -> {
                long t0 = System.nanoTime();
                for (int i = 0; i < matrices.size(); i++) {
                    VectorBf16Matrix w = matrices.get(i);
                    int[] x = rows.get(i);
                    float[] y = outs.get(i);
                    // the same chunking as the engine
                    split.run(w.rows(), JavaBf16RowProduct.chunkRows(w.rows(), w.cols(), threads), threads,
                            (from, to) -> w.multiply(x, y, from, to));
                }
                return System.nanoTime() - t0;
            });
            System.out.printf("{\"backend\": \"glimpse java bf16 rows\", \"java\": \"%s\", \"vector_bits\": %d,"
                            + " \"threads\": %d, \"layers\": %d, \"GB\": %.2f, \"ms\": %.1f, \"cpu_ms\": %.1f,"
                            + " \"steps\": %d, \"GB/s\": %.1f}%n",
                    Runtime.version(), VectorBf16Matrix.vectorBits(), threads, layers, bytes / 1e9, r[0], r[1],
                    (int) r[2], bytes / r[0] / 1e6);
        }
    }

    private static int bf16(double v) {
        return Float.floatToIntBits((float) v) >>> 16;
    }
}
