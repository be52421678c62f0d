"""torch's side of the decode-step bench (bench/engine/step.sh): F.linear of one bf16 row through every decoder
Linear of layers 0..LAYERS-1 plus lm_head of a real checkpoint, each tensor memory-mapped from its shard (no copy),
as DecodeStepBench does in Java. Usage: step_bench.py MODEL THREADS LAYERS [STEPS]; prints one JSON line."""
import json
import struct
import sys
import time
import warnings

import numpy as np
import torch

LAYER_WEIGHTS = ("self_attn.q_proj.weight", "self_attn.k_proj.weight", "self_attn.v_proj.weight",
                 "self_attn.o_proj.weight", "mlp.gate_up_proj.weight", "mlp.down_proj.weight")


def mapped(model, weight_map, headers, name):
    shard = weight_map[name]
    if shard not in headers:
        with open(f"{model}/{shard}", "rb") as f:
            n = struct.unpack("<Q", f.read(8))[0]
            header = json.loads(f.read(n))
        headers[shard] = (header, 8 + n, np.memmap(f"{model}/{shard}", dtype=np.int16, mode="r"))
    header, base, data = headers[shard]
    start, end = header[name]["data_offsets"]
    assert header[name]["dtype"] == "BF16" and (base + start) % 2 == 0, name
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # a read-only mapping: torch warns it is not writable
        return torch.from_numpy(data[(base + start) // 2:(base + end) // 2]).view(torch.bfloat16).view(*header[name]["shape"])


def main():
    model, threads, layers = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    steps = int(sys.argv[4]) if len(sys.argv) > 4 else 10
    torch.set_num_threads(threads)
    weight_map = json.load(open(f"{model}/model.safetensors.index.json"))["weight_map"]
    names = [f"model.language_model.layers.{l}.{w}" for l in range(layers) for w in LAYER_WEIGHTS] + ["lm_head.weight"]
    headers = {}
    weights = [mapped(model, weight_map, headers, n) for n in names]
    rows = [torch.randn(1, w.shape[1]).bfloat16() for w in weights]
    gb = sum(w.numel() * 2 for w in weights) / 1e9

    def step():
        for w, x in zip(weights, rows):
            torch.nn.functional.linear(x, w)

    step()
    step()
    wall = []
    cpu0 = time.process_time()
    for _ in range(steps):
        t0 = time.perf_counter()
        step()
        wall.append((time.perf_counter() - t0) * 1e3)
    cpu = (time.process_time() - cpu0) * 1e3 / steps
    wall.sort()
    ms = wall[len(wall) // 2]
    print(json.dumps({"backend": f"torch {torch.__version__} F.linear", "threads": threads, "layers": layers,
                      "GB": round(gb, 2), "ms": round(ms, 1), "cpu_ms": round(cpu, 1), "steps": steps,
                      "GB/s": round(gb / ms * 1e3, 1)}))


if __name__ == "__main__":
    main()
