package dev.glimpse.bench.javacpp;

import dev.glimpse.bench.CallTiming;
import org.bytedeco.javacpp.PointerScope;
import org.bytedeco.pytorch.InferenceMode;
import org.bytedeco.pytorch.Scalar;
import org.bytedeco.pytorch.ScalarTypeOptional;
import org.bytedeco.pytorch.Tensor;
import org.bytedeco.pytorch.TensorVector;
import org.bytedeco.pytorch.global.torch;
import org.bytedeco.pytorch.global.torch.ScalarType;

import java.util.List;

/**
 * Decoding steps of one GLM-4V text decoder layer (random weights) on libtorch 2.10 through JavaCPP, written op for
 * op as the engine computes it (RMSNorm and softmax in float32, interleaved partial rotary by flip and a signed sine,
 * grouped-query attention against a preallocated KV cache, fused gate_up and SwiGLU): the JavaCPP leg of the
 * "one decoder layer step" comparison in bench/engine/README.md. Protocol of layer_bench.py / LayerStepBench.
 *
 * <pre>
 * LayerBench THREADS "HIDDEN,INTERMEDIATE,HEADS,KV_HEADS[;…]" CONTEXT STEPS
 * </pre>
 */
public final class LayerBench {

    private static final int HEAD_DIM = 128;

    private final ScalarType type;
    private final int heads;
    private final int kvHeads;
    private final Tensor wq, bq, wk, bk, wv, bv, wo, wgu, wd;
    private final Tensor n1, n2, n3, n4;
    private final Tensor cacheK, cacheV;
    private int length;

    private LayerBench(int hidden, int intermediate, int heads, int kvHeads, ScalarType type, int capacity) {
        this.type = type;
        this.heads = heads;
        this.kvHeads = kvHeads;
        wq = weight(heads * HEAD_DIM, hidden);
        bq = weight(heads * HEAD_DIM);
        wk = weight(kvHeads * HEAD_DIM, hidden);
        bk = weight(kvHeads * HEAD_DIM);
        wv = weight(kvHeads * HEAD_DIM, hidden);
        bv = weight(kvHeads * HEAD_DIM);
        wo = weight(hidden, heads * HEAD_DIM);
        wgu = weight(2L * intermediate, hidden);
        wd = weight(hidden, intermediate);
        n1 = torch.ones(hidden).to(type);
        n2 = torch.ones(hidden).to(type);
        n3 = torch.ones(hidden).to(type);
        n4 = torch.ones(hidden).to(type);
        cacheK = torch.zeros(kvHeads, capacity, HEAD_DIM).to(type);
        cacheV = torch.zeros(kvHeads, capacity, HEAD_DIM).to(type);
    }

    private Tensor weight(long... shape) {
        return torch.randn(shape).mul(new Scalar(0.02)).to(type);
    }

    private Tensor rms(Tensor x, Tensor w) {
        Tensor x32 = x.to(ScalarType.Float);
        Tensor inv = torch.rsqrt(x32.mul(x32).mean(new long[] {-1}, true, new ScalarTypeOptional())
                .add(new Scalar(1e-5)));
        return w.mul(x32.mul(inv).to(type));
    }

    private static Tensor rotate(Tensor x, Tensor cos, Tensor signedSin) {
        long t = x.size(0), h = x.size(1);
        Tensor swapped = torch.flip(x.reshape(t, h, HEAD_DIM / 2, 2), 3).reshape(t, h, HEAD_DIM);
        return x.mul(cos).add(swapped.mul(signedSin));
    }

    /** cos and sign-folded sin {@code [tokens, 1, HEAD_DIM]} for the first half of each head (angle 0 elsewhere). */
    private Tensor[] cosSin(int from, int tokens) {
        float[] angles = new float[tokens * HEAD_DIM / 2];
        int slots = HEAD_DIM / 4; // partial_rotary_factor 0.5: 32 frequencies
        for (int s = 0; s < tokens; s++) {
            for (int i = 0; i < slots; i++) {
                angles[s * HEAD_DIM / 2 + i] = (float) ((from + s) / Math.pow(10_000.0, 2.0 * i / (HEAD_DIM / 2.0)));
            }
        }
        Tensor a = torch.tensor(angles).reshape(tokens, HEAD_DIM / 2, 1);
        Tensor cos = torch.cos(a);
        Tensor sin = torch.sin(a);
        Tensor cosPairs = torch.cat(new TensorVector(cos, cos), 2).reshape(tokens, 1, HEAD_DIM).to(type);
        Tensor signedSin = torch.cat(new TensorVector(sin.neg(), sin), 2).reshape(tokens, 1, HEAD_DIM).to(type);
        return new Tensor[] {cosPairs, signedSin};
    }

    Tensor step(Tensor x) {
        int tokens = (int) x.size(0);
        Tensor[] cs = cosSin(length, tokens);
        Tensor h = rms(x, n1);
        Tensor q = rotate(torch.linear(h, wq, bq).reshape(tokens, heads, HEAD_DIM), cs[0], cs[1]);
        Tensor k = rotate(torch.linear(h, wk, bk).reshape(tokens, kvHeads, HEAD_DIM), cs[0], cs[1]);
        Tensor v = torch.linear(h, wv, bv).reshape(tokens, kvHeads, HEAD_DIM);
        cacheK.narrow(1, length, tokens).copy_(k.transpose(0, 1));
        cacheV.narrow(1, length, tokens).copy_(v.transpose(0, 1));
        length += tokens;
        Tensor keys = cacheK.narrow(1, 0, length);
        Tensor values = cacheV.narrow(1, 0, length);
        int groups = heads / kvHeads;
        Tensor grouped = q.transpose(0, 1).mul(new Scalar(1.0 / Math.sqrt(HEAD_DIM)))
                .reshape(kvHeads, (long) groups * tokens, HEAD_DIM);
        Tensor scores = torch.matmul(grouped, keys.transpose(1, 2));
        if (tokens > 1) {
            Tensor mask = torch.triu(torch.ones(tokens, length), length - tokens + 1).mul(new Scalar(-1e30));
            scores = scores.reshape(kvHeads, groups, tokens, length).add(mask.to(type))
                    .reshape(kvHeads, (long) groups * tokens, length);
        }
        Tensor probs = torch.softmax(scores, -1, new ScalarTypeOptional(ScalarType.Float)).to(type);
        Tensor context = torch.matmul(probs, values).reshape(kvHeads, groups, tokens, HEAD_DIM)
                .permute(2, 0, 1, 3).reshape(tokens, (long) heads * HEAD_DIM);
        Tensor y = x.add(rms(torch.linear(context, wo), n2));
        Tensor gateUp = torch.linear(rms(y, n3), wgu);
        TensorVector parts = gateUp.chunk(2, -1);
        Tensor mixed = torch.linear(torch.silu(parts.get(0)).mul(parts.get(1)), wd);
        return y.add(rms(mixed, n4));
    }

    public static void main(String[] args) {
        int threads = Integer.parseInt(args[0]);
        torch.set_num_threads(threads);
        torch.set_num_interop_threads(1);
        torch.manual_seed(0);
        int context = Integer.parseInt(args[2]);
        int steps = Integer.parseInt(args[3]);
        try (InferenceMode guard = new InferenceMode()) {
            for (String size : args[1].split(";")) {
                String[] p = size.split(",");
                for (ScalarType type : List.of(ScalarType.Float, ScalarType.BFloat16)) {
                    double[] ms;
                    try (PointerScope all = new PointerScope()) {
                        LayerBench layer = new LayerBench(Integer.parseInt(p[0]), Integer.parseInt(p[1]),
                                Integer.parseInt(p[2]), Integer.parseInt(p[3]), type, context + steps + 3);
                        ms = layer.time(Integer.parseInt(p[0]), context, steps);
                    }
                    System.out.printf("{\"backend\": \"javacpp\", \"torch\": \"2.10.0\", \"threads\": %d, \"size\":"
                                    + " \"%s\", \"dtype\": \"%s\", \"context\": %d, \"step_ms\": %.3f, \"step_cpu_ms\":"
                                    + " %.3f}%n", threads, size, type == ScalarType.BFloat16 ? "bfloat16" : "float32",
                            context, ms[0], ms[1]);
                }
            }
        }
    }

    private double[] time(int hidden, int context, int steps) {
        try (PointerScope prefill = new PointerScope()) {
            step(torch.randn(context, hidden).to(type));
        }
        return CallTiming.steps(steps, () -> {
            try (PointerScope scope = new PointerScope()) {
                Tensor x = torch.randn(1, hidden).to(type);
                long t = System.nanoTime();
                step(x);
                return System.nanoTime() - t;
            }
        });
    }
}
