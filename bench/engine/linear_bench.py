#!/usr/bin/env python3
"""One decoding row through a weight matrix in torch (the models venv): the Python leg of the backend comparison.

The same protocol as LinearRouteBench (libtorch 2.7.1 through DJL, src/test/java/dev/glimpse/engine/glm4v) and
bench/engine/javacpp (libtorch 2.10 through JavaCPP). Routes: linear (F.linear of a [1, in] row), linear2 (the row
twice, one result kept), mv (torch.mv(W, x)), mmcol (W @ x as an [in, 1] column); float32 and bfloat16; a random N(0, 0.02) weight. Each case: 2 warm-up
calls, then calls until 1 s or 200 calls (at least 5); median wall ms and mean process CPU ms per call.

    linear_bench.py time THREADS OUTxIN,OUTxIN,...   one JSON line per case
    linear_bench.py fixture DIR OUTxIN,...          bf16 w.bin, x.bin and y.bin = F.linear(x, w) in bf16 (raw
                                                    little-endian), for the other backends' `check`
"""
import json
import statistics
import sys
import time
from pathlib import Path

import torch

ROUTES = ("linear", "linear2", "mv", "mmcol")


def route(name, w, x):
    if name == "linear":
        return torch.nn.functional.linear(x[None], w)
    if name == "linear2":
        row = x[None]
        return torch.nn.functional.linear(torch.cat([row, row]), w)[0]
    if name == "mmcol":
        return w @ x[:, None]
    return torch.mv(w, x)


def timed(call):
    for _ in range(2):
        call()
    wall = []
    cpu0 = time.process_time()
    start = time.perf_counter()
    while len(wall) < 5 or (time.perf_counter() - start < 1.0 and len(wall) < 200):
        t = time.perf_counter()
        call()
        wall.append((time.perf_counter() - t) * 1e3)
    return statistics.median(wall), (time.process_time() - cpu0) * 1e3 / len(wall), len(wall)


def shapes(spec):
    return [tuple(int(v) for v in s.split("x")) for s in spec.split(",")]


def main():
    mode = sys.argv[1]
    torch.manual_seed(0)
    if mode == "time":
        threads = int(sys.argv[2])
        torch.set_num_threads(threads)
        torch.set_num_interop_threads(1)
        with torch.inference_mode():
            for out, inp in shapes(sys.argv[3]):
                for dtype in (torch.float32, torch.bfloat16):
                    w = (torch.randn(out, inp) * 0.02).to(dtype)
                    x = torch.randn(inp).to(dtype)
                    for name in ROUTES:
                        ms, cpu, calls = timed(lambda: route(name, w, x))
                        print(json.dumps({"backend": "python", "torch": torch.__version__, "threads": threads,
                                          "shape": f"{out}x{inp}", "dtype": str(dtype).removeprefix("torch."),
                                          "route": name, "ms": round(ms, 3), "cpu_ms": round(cpu, 3),
                                          "calls": calls}), flush=True)
                    del w, x
    elif mode == "fixture":
        root = Path(sys.argv[2])
        root.mkdir(parents=True, exist_ok=True)
        cases = []
        for out, inp in shapes(sys.argv[3]):
            d = root / f"{out}x{inp}"
            d.mkdir(exist_ok=True)
            w = (torch.randn(out, inp) * 0.02).to(torch.bfloat16)
            x = torch.randn(inp).to(torch.bfloat16)
            y = torch.nn.functional.linear(x[None], w)[0]
            for name, t in (("w", w), ("x", x), ("y", y)):
                t.contiguous().view(torch.int16).numpy().tofile(d / f"{name}.bin")
            # how the other routes of this torch agree with its own F.linear
            for name in ROUTES:
                diff = (route(name, w, x).reshape(-1).float() - y.float()).abs()
                print(json.dumps({"backend": "python", "torch": torch.__version__, "shape": f"{out}x{inp}",
                                  "route": name, "differ": int((diff > 0).sum()), "of": out,
                                  "max_abs": float(diff.max()), "ref_max_abs": float(y.float().abs().max())}))
            cases.append(f"{out}x{inp}")
        (root / "cases.txt").write_text("\n".join(cases) + "\n")
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
