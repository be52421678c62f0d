package dev.glimpse.bench.vector;

import dev.glimpse.bench.CallTiming;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Bench (not part of Glimpse): one decoding row through a real bf16 weight of a safetensors checkpoint, memory-mapped,
 * multiplied by a Java Vector API kernel ({@link Bf16Matrix}) with fp32 accumulation, rows split across threads.
 * The counterpart of LinearRouteBench (DJL) and linear_bench.py (torch) in bench/engine/README.md.
 *
 * <pre>
 * VectorGemvBench time MODEL THREADS NAME,…      one JSON line per tensor: median wall ms, mean process CPU ms
 * VectorGemvBench step MODEL THREADS LAYERS      the decoder's Linear weights of layers 0..LAYERS-1 + lm_head, in order
 * VectorGemvBench check MODEL DIR NAME,…         writes DIR/NAME/x.bin (bf16) and y.bin (fp32) for check.py
 * </pre>
 */
public final class VectorGemvBench {

    static final String LAYER = "model.language_model.layers.%d.";
    static final List<String> LAYER_WEIGHTS = List.of("self_attn.q_proj.weight", "self_attn.k_proj.weight",
            "self_attn.v_proj.weight", "self_attn.o_proj.weight", "mlp.gate_up_proj.weight", "mlp.down_proj.weight");
    static final String LM_HEAD = "lm_head.weight";

    private VectorGemvBench() {
    }

    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[1]);
        switch (args[0]) {
            case "time" -> time(model, Integer.parseInt(args[2]), args[3].split(","));
            case "step" -> step(model, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            case "check" -> check(model, Path.of(args[2]), args[3].split(","));
            default -> throw new IllegalArgumentException("mode time, step or check, not " + args[0]);
        }
        System.exit(0);
    }

    static void time(Path model, int threads, String[] names) throws IOException {
        RowSplit split = new RowSplit(threads);
        for (String name : names) {
            SafetensorsTensor t = SafetensorsTensor.find(model, name);
            Bf16Matrix w = new Bf16Matrix(t);
            Row x = Row.random(t.cols(), 0);
            float[] y = new float[t.rows()];
            double[] r = timed(() -> split.run(w, x, y));
            System.out.printf("{\"backend\": \"java-vector\", \"java\": \"%s\", \"api\": \"%s\", \"threads\": %d,"
                            + " \"tensor\": \"%s\", \"shape\": \"%s\", \"dtype\": \"bfloat16\", \"ms\": %.3f,"
                            + " \"cpu_ms\": %.3f, \"calls\": %d, \"GB/s\": %.1f}%n",
                    Runtime.version(), Bf16Matrix.api(), threads, name, t.shape(), r[0], r[1], (int) r[2],
                    t.bytes() / r[0] / 1e6);
        }
    }

    static void step(Path model, int threads, int layers) throws IOException {
        RowSplit split = new RowSplit(threads);
        List<Bf16Matrix> weights = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        List<float[]> outs = new ArrayList<>();
        long bytes = 0;
        for (int l = 0; l < layers; l++) {
            for (String suffix : LAYER_WEIGHTS) {
                bytes += add(SafetensorsTensor.find(model, String.format(LAYER, l) + suffix), weights, rows, outs);
            }
        }
        bytes += add(SafetensorsTensor.find(model, LM_HEAD), weights, rows, outs);
        double[] r = timed(() -> {
            for (int i = 0; i < weights.size(); i++) {
                split.run(weights.get(i), rows.get(i), outs.get(i));
            }
        });
        System.out.printf("{\"backend\": \"java-vector\", \"java\": \"%s\", \"api\": \"%s\", \"threads\": %d,"
                        + " \"step\": \"%d layers x (q, k, v, o, gate_up, down) + lm_head\", \"GB\": %.2f, \"ms\": %.1f,"
                        + " \"cpu_ms\": %.1f, \"calls\": %d, \"GB/s\": %.1f}%n",
                Runtime.version(), Bf16Matrix.api(), threads, layers, bytes / 1e9, r[0], r[1], (int) r[2],
                bytes / r[0] / 1e6);
    }

    private static long add(SafetensorsTensor t, List<Bf16Matrix> weights, List<Row> rows, List<float[]> outs)
            throws IOException {
        weights.add(new Bf16Matrix(t));
        rows.add(Row.random(t.cols(), weights.size()));
        outs.add(new float[t.rows()]);
        return t.bytes();
    }

    static void check(Path model, Path dir, String[] names) throws IOException {
        RowSplit split = new RowSplit(1);
        for (String name : names) {
            SafetensorsTensor t = SafetensorsTensor.find(model, name);
            Bf16Matrix w = new Bf16Matrix(t);
            Row x = Row.random(t.cols(), 0);
            float[] y = new float[t.rows()];
            split.run(w, x, y);
            Path out = Files.createDirectories(dir.resolve(name));
            ByteBuffer xb = ByteBuffer.allocate(2 * t.cols()).order(ByteOrder.LITTLE_ENDIAN);
            for (int k = 0; k < t.cols(); k++) {
                xb.putShort((short) (Float.floatToRawIntBits(x.at(k)) >>> 16));
            }
            Files.write(out.resolve("x.bin"), xb.array());
            ByteBuffer yb = ByteBuffer.allocate(4 * t.rows()).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : y) {
                yb.putFloat(v);
            }
            Files.write(out.resolve("y.bin"), yb.array());
            System.out.printf("{\"check\": \"%s\", \"shape\": \"%s\", \"dir\": \"%s\"}%n", name, t.shape(), out);
        }
    }

    /**
     * At least 20 calls after warm-up (5 calls or 2 s, whichever comes first); more until 1 s has passed or 200
     * calls were made. Returns {median wall ms, mean process CPU ms (all threads), count}.
     */
    static double[] timed(Runnable call) {
        long warm = System.nanoTime();
        for (int i = 0; i < 5 && (i == 0 || System.nanoTime() - warm < 2_000_000_000L); i++) {
            call.run();
        }
        List<Double> wall = new ArrayList<>();
        long cpu0 = CallTiming.processCpuNanos();
        long start = System.nanoTime();
        while (wall.size() < 20 || (System.nanoTime() - start < 1_000_000_000L && wall.size() < 200)) {
            long t = System.nanoTime();
            call.run();
            wall.add((System.nanoTime() - t) / 1e6);
        }
        long cpu = CallTiming.processCpuNanos() - cpu0;
        double[] sorted = wall.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return new double[] {sorted[sorted.length / 2], cpu / 1e6 / sorted.length, sorted.length};
    }

    /** A decoding row: N(0, 1) values rounded to bf16, kept de-interleaved as the kernel reads them. */
    record Row(float[] even, float[] odd) {
        static Row random(int cols, long seed) {
            Random rnd = new Random(seed);
            float[] even = new float[cols / 2 + cols % 2];
            float[] odd = new float[cols / 2 + cols % 2];
            for (int k = 0; k < cols; k++) {
                float v = bf16((float) rnd.nextGaussian());
                (k % 2 == 0 ? even : odd)[k / 2] = v;
            }
            return new Row(even, odd);
        }

        float at(int k) {
            return (k % 2 == 0 ? even : odd)[k / 2];
        }

        /** Round to nearest even at bf16's 8-bit mantissa. */
        static float bf16(float v) {
            int bits = Float.floatToRawIntBits(v);
            return Float.intBitsToFloat((bits + 0x7FFF + ((bits >>> 16) & 1)) & 0xFFFF0000);
        }
    }

    /** Rows split into one contiguous block per thread; the calling thread takes the first block. */
    static final class RowSplit {
        private final int threads;
        private final ExecutorService pool;

        RowSplit(int threads) {
            this.threads = threads;
            this.pool = threads > 1 ? Executors.newFixedThreadPool(threads - 1, r -> {
                Thread t = new Thread(r, "gemv");
                t.setDaemon(true);
                return t;
            }) : null;
        }

        void run(Bf16Matrix w, Row x, float[] y) {
            int n = w.rows();
            if (threads == 1) {
                w.rows(x.even(), x.odd(), y, 0, n);
                return;
            }
            Future<?>[] parts = new Future<?>[threads - 1];
            for (int i = 1; i < threads; i++) {
                int from = (int) ((long) n * i / threads);
                int to = (int) ((long) n * (i + 1) / threads);
                parts[i - 1] = pool.submit(() -> w.rows(x.even(), x.odd(), y, from, to));
            }
            w.rows(x.even(), x.odd(), y, 0, n / threads);
            try {
                for (Future<?> f : parts) {
                    f.get();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
