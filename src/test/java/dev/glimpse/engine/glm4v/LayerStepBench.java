package dev.glimpse.engine.glm4v;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.glimpse.bench.CallTiming;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Bench (not a test): decoding steps of the engine's text decoder with one layer of random weights, after a
 * prefill of {@code context} tokens: the DJL leg of the "one decoder layer step" comparison in bench/engine/README.md
 * (bench/engine/layer_bench.py runs transformers' layer, bench/engine/javacpp LayerBench a hand-written one on
 * libtorch 2.10).
 *
 * <pre>
 * LayerStepBench THREADS HIDDEN,INTERMEDIATE,HEADS,KV_HEADS[;…] CONTEXT STEPS   one JSON line per size and dtype
 * </pre>
 */
public final class LayerStepBench {

    private LayerStepBench() {
    }

    public static void main(String[] args) {
        int threads = Integer.parseInt(args[0]);
        System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        Engine.getEngine("PyTorch");
        int context = Integer.parseInt(args[2]);
        int steps = Integer.parseInt(args[3]);
        for (String size : args[1].split(";")) {
            String[] p = size.split(",");
            int hidden = Integer.parseInt(p[0]);
            int intermediate = Integer.parseInt(p[1]);
            int heads = Integer.parseInt(p[2]);
            int kvHeads = Integer.parseInt(p[3]);
            for (DataType type : List.of(DataType.FLOAT32, DataType.BFLOAT16)) {
                double[] ms = run(hidden, intermediate, heads, kvHeads, type, context, steps);
                System.out.printf("{\"backend\": \"djl\", \"threads\": %d, \"size\": \"%s\", \"dtype\": \"%s\","
                                + " \"context\": %d, \"step_ms\": %.3f, \"step_cpu_ms\": %.3f}%n", threads, size,
                        type == DataType.BFLOAT16 ? "bfloat16" : "float32", context, ms[0], ms[1]);
            }
        }
    }

    /** Median wall ms and mean process CPU ms of one decoding step. */
    static double[] run(int hidden, int intermediate, int heads, int kvHeads, DataType type, int context, int steps) {
        int headDim = 128;
        Glm4vTextConfig config = new Glm4vTextConfig(16, hidden, intermediate, 1, heads, kvHeads, headDim, "silu",
                32768, 1e-5, "default", 10_000.0, 0.5, List.of(8, 12, 12), null, List.of());
        Map<String, long[]> shapes = new HashMap<>();
        String l = "layers.0.";
        shapes.put("embed_tokens.weight", new long[] {16, hidden});
        shapes.put("norm.weight", new long[] {hidden});
        shapes.put(l + "self_attn.q_proj.weight", new long[] {(long) heads * headDim, hidden});
        shapes.put(l + "self_attn.q_proj.bias", new long[] {(long) heads * headDim});
        shapes.put(l + "self_attn.k_proj.weight", new long[] {(long) kvHeads * headDim, hidden});
        shapes.put(l + "self_attn.k_proj.bias", new long[] {(long) kvHeads * headDim});
        shapes.put(l + "self_attn.v_proj.weight", new long[] {(long) kvHeads * headDim, hidden});
        shapes.put(l + "self_attn.v_proj.bias", new long[] {(long) kvHeads * headDim});
        shapes.put(l + "self_attn.o_proj.weight", new long[] {hidden, (long) heads * headDim});
        shapes.put(l + "mlp.gate_up_proj.weight", new long[] {2L * intermediate, hidden});
        shapes.put(l + "mlp.down_proj.weight", new long[] {hidden, intermediate});
        for (String norm : List.of("input_layernorm", "post_self_attn_layernorm", "post_attention_layernorm",
                "post_mlp_layernorm")) {
            shapes.put(l + norm + ".weight", new long[] {hidden});
        }
        try (NDManager m = NDManager.newBaseManager()) {
            Glm4vTextModel text = Glm4vTextModel.load(config, name -> {
                long[] shape = shapes.get(name);
                NDArray w32 = name.endsWith("norm.weight") ? m.ones(new Shape(shape))
                        : m.randomNormal(0, 0.02f, new Shape(shape), DataType.FLOAT32);
                NDArray w = BFloat16.cast(w32, type);
                if (w != w32) {
                    w32.close();
                }
                return w;
            }, "", new ScaledDotProductAttention(ScaledDotProductAttention.DEFAULT_SCORE_BUDGET_BYTES),
                    JavaBf16RowProduct.takesModel(2 * config.decodeStepParameters()));
            int total = context + steps + 3;
            int[][] positions = new int[3][total];
            for (int axis = 0; axis < 3; axis++) {
                for (int i = 0; i < total; i++) {
                    positions[axis][i] = i;
                }
            }
            try (NDManager run = m.newSubManager(); KvCache cache = text.newCache(run, total)) {
                NDArray prompt = BFloat16.cast(run.randomNormal(new Shape(context, hidden)), type);
                text.forward(prompt, positions, 0, cache).close();
                return CallTiming.steps(steps, () -> {
                    try (NDManager step = run.newSubManager()) {
                        NDArray x = BFloat16.cast(step.randomNormal(new Shape(1, hidden)), type);
                        long t = System.nanoTime();
                        text.forward(x, positions, cache.length(), cache);
                        return System.nanoTime() - t;
                    }
                });
            }
        }
    }
}
