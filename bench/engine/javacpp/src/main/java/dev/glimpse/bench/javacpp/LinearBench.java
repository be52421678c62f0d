package dev.glimpse.bench.javacpp;

import dev.glimpse.bench.CallTiming;
import dev.glimpse.bench.LinearFixtureCase;
import org.bytedeco.pytorch.BoolOptional;
import org.bytedeco.pytorch.InferenceMode;
import org.bytedeco.pytorch.LongOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorOptions;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * One decoding row through a weight matrix in libtorch 2.10 through JavaCPP's PyTorch presets: the protocol of
 * bench/engine/linear_bench.py and LinearRouteBench (DJL), in a JVM of its own (a second libtorch next to DJL's
 * aborts the process).
 *
 * <pre>
 * LinearBench time THREADS OUTxIN,…   one JSON line per case
 * LinearBench check DIR               compares with torch's bf16 F.linear on the bytes linear_bench.py fixture wrote
 * </pre>
 */
public final class LinearBench {

    private static final List<String> ROUTES = List.of("linear", "linear2", "mv", "mmcol");

    private LinearBench() {
    }

    public static void main(String[] args) throws IOException {
        try (InferenceMode guard = new InferenceMode()) {
            if (args[0].equals("check")) {
                check(Path.of(args[1]));
            } else {
                time(Integer.parseInt(args[1]), args[2]);
            }
        }
    }

    static Tensor route(String route, Tensor w, Tensor x) {
        return switch (route) {
            case "linear" -> torch.linear(x.reshape(1, x.size(0)), w);
            case "linear2" -> {
                Tensor row = x.reshape(1, x.size(0));
                yield torch.linear(torch.cat(new TensorVector(row, row)), w).get(0);
            }
            case "mv" -> torch.mv(w, x);
            case "mmcol" -> torch.matmul(w, x.reshape(x.size(0), 1));
            default -> throw new IllegalArgumentException(route);
        };
    }

    static void time(int threads, String shapes) {
        torch.set_num_threads(threads);
        torch.set_num_interop_threads(1);
        torch.manual_seed(0);
        for (String spec : shapes.split(",")) {
            String[] nk = spec.split("x");
            long out = Long.parseLong(nk[0]);
            long in = Long.parseLong(nk[1]);
            for (ScalarType type : List.of(ScalarType.Float, ScalarType.BFloat16)) {
                Tensor w = torch.randn(out, in).mul(new org.bytedeco.pytorch.Scalar(0.02)).to(type);
                Tensor x = torch.randn(in).to(type);
                for (String route : ROUTES) {
                    double[] t = CallTiming.calls(() -> route(route, w, x).close());
                    System.out.printf("{\"backend\": \"javacpp\", \"torch\": \"2.10.0\", \"threads\": %d, \"shape\": \"%dx%d\","
                                    + " \"dtype\": \"%s\", \"route\": \"%s\", \"ms\": %.3f, \"cpu_ms\": %.3f, \"calls\": %d}%n",
                            threads, out, in, type == ScalarType.BFloat16 ? "bfloat16" : "float32", route, t[0], t[1],
                            (int) t[2]);
                }
                w.close();
                x.close();
            }
        }
    }

    static Tensor map(Path file, long elements) {
        return torch.from_file(file.toString(), new BoolOptional(false), new LongOptional(elements),
                new TensorOptions(ScalarType.BFloat16));
    }

    static void check(Path dir) throws IOException {
        for (LinearFixtureCase c : LinearFixtureCase.read(dir)) {
            long out = c.out();
            long in = c.in();
            Tensor w = map(c.weight(), out * in).reshape(out, in);
            Tensor x = map(c.row(), in);
            Tensor expected = map(c.expected(), out).to(ScalarType.Float);
            for (String route : ROUTES) {
                Tensor y = route(route, w, x).reshape(out).to(ScalarType.Float);
                long differ = torch.count_nonzero(torch.ne(y, expected)).item_long();
                float maxAbs = torch.max(y.sub(expected).abs()).item_float();
                System.out.printf("{\"backend\": \"javacpp\", \"shape\": \"%s\", \"route\": \"%s\", \"differ\": %d,"
                        + " \"of\": %d, \"max_abs\": %.3g, \"ref_max_abs\": %.3g}%n", c.shape(), route, differ, out,
                        maxAbs, torch.max(expected.abs()).item_float());
            }
        }
    }
}
