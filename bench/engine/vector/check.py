#!/usr/bin/env python3
"""Fidelity of the Java Vector API GEMV against torch (the models venv): for each DIR/NAME written by
`run.sh check MODEL DIR`, y_java (fp32) against torch's F.linear(x, W) in bf16 on the same checkpoint bytes and x, and
both against a float64 product.

    check.py MODEL DIR      one JSON line per tensor
"""
import json
import sys
from pathlib import Path

import numpy as np
import torch
from safetensors import safe_open


def to_bf16(y32):
    return torch.from_numpy(y32).to(torch.bfloat16)


def main():
    model, root = Path(sys.argv[1]), Path(sys.argv[2])
    index = json.loads((model / "model.safetensors.index.json").read_text())["weight_map"]
    torch.set_num_threads(1)
    for d in sorted(p for p in root.rglob("y.bin")):
        d = d.parent
        name = str(d.relative_to(root))
        with safe_open(model / index[name], framework="pt") as f:
            w = f.get_tensor(name)
        x = torch.from_numpy(np.fromfile(d / "x.bin", dtype=np.int16)).view(torch.bfloat16)
        y_java = np.fromfile(d / "y.bin", dtype=np.float32)
        with torch.inference_mode():
            y_torch = torch.nn.functional.linear(x[None], w)[0]
            y_exact = (w.double() @ x.double()).numpy()
        yj = torch.from_numpy(y_java).double()
        yt = y_torch.double()
        ye = torch.from_numpy(y_exact)
        java_bf16 = to_bf16(y_java)
        diff = (yj - yt).abs()
        scale = ye.abs().max().item()
        bdiff = (java_bf16.double() - yt).abs()
        print(json.dumps({
            "tensor": name, "shape": f"{w.shape[0]}x{w.shape[1]}", "torch": torch.__version__,
            "max_abs_java_vs_torch": round(diff.max().item(), 6),
            "max_rel_java_vs_torch": round((diff / yt.abs().clamp_min(1e-30)).max().item(), 6),
            "max_abs_java_bf16_vs_torch": round(bdiff.max().item(), 6),
            "max_rel_java_bf16_vs_torch": round((bdiff / yt.abs().clamp_min(1e-30)).max().item(), 6),
            "differ_after_bf16_rounding": int((java_bf16 != y_torch).sum()), "of": int(w.shape[0]),
            "max_abs_y": round(scale, 4),
            "max_abs_java_fp32_vs_fp64": float((yj - ye).abs().max()),
            "max_abs_java_bf16_vs_fp64": round((java_bf16.double() - ye).abs().max().item(), 6),
            "max_abs_torch_bf16_vs_fp64": round((yt - ye).abs().max().item(), 6),
            "differ_java_bf16_vs_fp64_rounded": int((java_bf16 != ye.to(torch.bfloat16)).sum()),
            "differ_torch_bf16_vs_fp64_rounded": int((y_torch != ye.to(torch.bfloat16)).sum()),
        }), flush=True)


if __name__ == "__main__":
    main()
