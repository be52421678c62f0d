package dev.glimpse.engine.glm4v;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.glimpse.bench.CallTiming;
import dev.glimpse.bench.LinearFixtureCase;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Bench (not a test): one decoding row through a weight matrix, by every route libtorch 2.7.1 offers through DJL,
 * in float32 and bf16. The same protocol as bench/engine/linear_bench.py (torch from the venv) and
 * bench/engine/javacpp (libtorch 2.10 through JavaCPP), so the three backends can be put side by side.
 *
 * <pre>
 * LinearRouteBench time THREADS SHAPES       SHAPES = OUTxIN,OUTxIN,…; prints one JSON line per case
 * LinearRouteBench check DIR                 DIR written by linear_bench.py fixture: compares with torch's bf16 result
 * </pre>
 *
 * Routes: {@code linear} ({@code F.linear} of a [1, in] row), {@code linear2} (the row twice, one result kept: what
 * {@link Linear} did before), {@code mv} ({@code torch.mv(W, x)}), {@code mmcol} ({@code W @ x} with x as an
 * [in, 1] column: the weight becomes the GEMM's left operand).
 */
public final class LinearRouteBench {

    static final List<String> ROUTES = List.of("linear", "linear2", "mv", "mmcol");

    private LinearRouteBench() {
    }

    public static void main(String[] args) throws IOException {
        if (args[0].equals("check")) {
            Engine.getEngine("PyTorch");
            check(Path.of(args[1]));
            return;
        }
        if (args[0].equals("stack")) {
            stack(Integer.parseInt(args[1]), args[2], Integer.parseInt(args[3]));
            return;
        }
        int threads = Integer.parseInt(args[1]);
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        Engine.getEngine("PyTorch");
        for (String spec : args[2].split(",")) {
            String[] nk = spec.split("x");
            long out = Long.parseLong(nk[0]);
            long in = Long.parseLong(nk[1]);
            for (DataType type : List.of(DataType.FLOAT32, DataType.BFLOAT16)) {
                try (NDManager m = NDManager.newBaseManager()) {
                    NDArray w32 = m.randomNormal(0, 0.02f, new Shape(out, in), DataType.FLOAT32);
                    NDArray x32 = m.randomNormal(new Shape(in));
                    NDArray w = BFloat16.cast(w32, type);
                    NDArray x = BFloat16.cast(x32, type);
                    if (w != w32) {
                        w32.close();
                    }
                    for (String route : ROUTES) {
                        double[] t = CallTiming.calls(() -> route(route, w, x).close());
                        System.out.printf("{\"backend\": \"djl\", \"torch\": \"%s\", \"threads\": %d, \"shape\": \"%dx%d\","
                                        + " \"dtype\": \"%s\", \"route\": \"%s\", \"ms\": %.3f, \"cpu_ms\": %.3f, \"calls\": %d}%n",
                                Engine.getEngine("PyTorch").getVersion(), threads, out, in,
                                type == DataType.BFLOAT16 ? "bfloat16" : "float32", route, t[0], t[1], (int) t[2]);
                    }
                }
            }
        }
    }

    /**
     * A decoding step's products alone: {@code layers} copies of the given matrices, then {@code lm_head}-like last
     * one once, each weight distinct (so that, as in a real step, they stream from memory rather than sit in cache).
     * SHAPES lists one layer's matrices and the head last.
     */
    static void stack(int threads, String shapes, int layers) {
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        Engine.getEngine("PyTorch");
        String[] specs = shapes.split(",");
        for (DataType type : List.of(DataType.FLOAT32, DataType.BFLOAT16)) {
            try (NDManager m = NDManager.newBaseManager()) {
                List<NDArray> weights = new ArrayList<>();
                long bytes = 0;
                for (int l = 0; l < layers; l++) {
                    for (int i = 0; i < specs.length; i++) {
                        if (i == specs.length - 1 && l < layers - 1) {
                            continue; // the head once
                        }
                        String[] nk = specs[i].split("x");
                        NDArray w32 = m.randomNormal(0, 0.02f, new Shape(Long.parseLong(nk[0]), Long.parseLong(nk[1])),
                                DataType.FLOAT32);
                        NDArray w = BFloat16.cast(w32, type);
                        weights.add(w);
                        bytes += w.size() * (type == DataType.BFLOAT16 ? 2 : 4);
                    }
                }
                java.util.Map<Long, NDArray> inputs = new java.util.HashMap<>();
                for (NDArray w : weights) {
                    long in = w.getShape().get(1);
                    inputs.computeIfAbsent(in, k -> BFloat16.cast(m.randomNormal(new Shape(k)), type));
                }
                for (String route : type == DataType.FLOAT32 ? List.of("linear") : ROUTES) {
                    double[] t = CallTiming.calls(() -> {
                        for (NDArray w : weights) {
                            route(route, w, inputs.get(w.getShape().get(1))).close();
                        }
                    });
                    System.out.printf("{\"backend\": \"djl\", \"threads\": %d, \"stack\": \"%d x %s\", \"dtype\": \"%s\","
                                    + " \"route\": \"%s\", \"ms\": %.3f, \"cpu_ms\": %.3f, \"GB/s\": %.1f}%n", threads, layers,
                            shapes, type == DataType.BFLOAT16 ? "bfloat16" : "float32", route, t[0], t[1],
                            bytes / t[0] / 1e6);
                }
            }
        }
    }

    /** One row through {@code w} by the named route: {@code [out]} or {@code [1, out]}. */
    static NDArray route(String route, NDArray w, NDArray x) {
        long in = x.getShape().get(0);
        return switch (route) {
            case "linear" -> {
                try (NDArray row = x.reshape(1, in)) {
                    yield row.getNDArrayInternal().linear(row, w, null).singletonOrThrow();
                }
            }
            case "linear2" -> {
                try (NDArray row = x.reshape(1, in); NDArray twice = row.concat(row, 0);
                     NDArray both = twice.getNDArrayInternal().linear(twice, w, null).singletonOrThrow()) {
                    yield both.get(0);
                }
            }
            case "mv" -> w.matMul(x);
            case "mmcol" -> {
                try (NDArray column = x.reshape(in, 1)) {
                    yield w.matMul(column);
                }
            }
            default -> throw new IllegalArgumentException(route);
        };
    }

    /**
     * Compares every route's bf16 result with torch's F.linear in bf16 on the same bytes (written by
     * linear_bench.py fixture DIR: for each case OUTxIN, w.bin, x.bin and y.bin raw little-endian bf16).
     */
    static void check(Path dir) throws IOException {
        for (LinearFixtureCase c : LinearFixtureCase.read(dir)) {
            long out = c.out();
            long in = c.in();
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray w = BFloat16.map(m, c.weight(), out * in).reshape(out, in);
                NDArray x = BFloat16.map(m, c.row(), in);
                float[] expected = bf16(Files.readAllBytes(c.expected()));
                for (String route : ROUTES) {
                    try (NDArray y = route(route, w, x); NDArray y32 = y.toType(DataType.FLOAT32, false)) {
                        float[] got = y32.toFloatArray();
                        int differ = 0;
                        double maxAbs = 0;
                        for (int i = 0; i < got.length; i++) {
                            if (got[i] != expected[i]) {
                                differ++;
                                maxAbs = Math.max(maxAbs, Math.abs(got[i] - expected[i]));
                            }
                        }
                        System.out.printf("{\"backend\": \"djl\", \"shape\": \"%s\", \"route\": \"%s\", \"differ\": %d,"
                                + " \"of\": %d, \"max_abs\": %.3g, \"ref_max_abs\": %.3g}%n", c.shape(), route, differ,
                                got.length, maxAbs, maxAbs(expected));
                    }
                }
            }
        }
    }

    private static float[] bf16(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[bytes.length / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = Float.intBitsToFloat((b.getShort() & 0xFFFF) << 16);
        }
        return out;
    }

    private static double maxAbs(float[] a) {
        double max = 0;
        for (float v : a) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }
}
