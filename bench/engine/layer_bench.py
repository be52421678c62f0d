#!/usr/bin/env python3
"""Decoding steps of transformers' GLM-4V text decoder with one layer of random weights (eager attention), after a
prefill of CONTEXT tokens: the transformers leg of the "one decoder layer step" comparison in README.md (the engine's
own layer: LayerStepBench; libtorch 2.10 through JavaCPP: javacpp LayerBench). Same protocol: 2 warm-up steps, then
STEPS steps, median wall ms and mean process CPU ms per step.

    layer_bench.py THREADS "HIDDEN,INTERMEDIATE,HEADS,KV_HEADS[;...]" CONTEXT STEPS
"""
import json
import statistics
import sys
import time

import torch
from transformers import Glm4vTextConfig
from transformers.models.glm4v.modeling_glm4v import Glm4vTextModel


def main():
    threads, sizes, context, steps = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    torch.set_num_threads(threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(0)
    for size in sizes.split(";"):
        hidden, intermediate, heads, kv_heads = (int(v) for v in size.split(","))
        for dtype in (torch.float32, torch.bfloat16):
            cfg = Glm4vTextConfig(vocab_size=16, hidden_size=hidden, intermediate_size=intermediate,
                                  num_hidden_layers=1, num_attention_heads=heads, num_key_value_heads=kv_heads,
                                  head_dim=128, attention_bias=True, rms_norm_eps=1e-5,
                                  rope_parameters={"rope_type": "default", "rope_theta": 10000.0,
                                                   "partial_rotary_factor": 0.5, "mrope_section": [8, 12, 12]})
            cfg._attn_implementation = "eager"
            model = Glm4vTextModel(cfg).to(dtype).eval()
            with torch.inference_mode():
                out = model(inputs_embeds=torch.randn(1, context, hidden, dtype=dtype), use_cache=True)
                cache = out.cache if hasattr(out, "cache") else out.past_key_values
                wall = []
                cpu0 = 0.0
                for s in range(steps + 2):
                    if s == 2:
                        cpu0 = time.process_time()
                    x = torch.randn(1, 1, hidden, dtype=dtype)
                    pos = torch.full((3, 1, 1), context + s, dtype=torch.long)
                    t = time.perf_counter()
                    model(inputs_embeds=x, position_ids=pos, cache=cache, use_cache=True)
                    if s >= 2:
                        wall.append((time.perf_counter() - t) * 1e3)
                cpu = (time.process_time() - cpu0) * 1e3 / steps
            print(json.dumps({"backend": "transformers", "torch": torch.__version__, "threads": threads,
                              "size": size, "dtype": str(dtype).removeprefix("torch."), "context": context,
                              "step_ms": round(statistics.median(wall), 3), "step_cpu_ms": round(cpu, 3)}),
                  flush=True)
            del model, cache


if __name__ == "__main__":
    main()
