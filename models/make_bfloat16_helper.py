#!/usr/bin/env python3
"""Writes src/main/resources/dev/glimpse/engine/glm4v/bfloat16.pt, the TorchScript helper that gives the Java engine
bfloat16 tensors.

DJL 0.36's PyTorch engine aborts the JVM when Java names BFLOAT16 (reference/djl.md §5), but libtorch itself handles
bf16 tensors in every op DJL calls, and DJL passes them around as dtype UNKNOWN without asking Java for a dtype.
What DJL cannot do is create one. This module does, inside libtorch:

- forward(x)                    x.to(torch.bfloat16) (round to nearest even), on x's device
- map_bf16(path, elements)      the first `elements` bf16 values of a file, memory-mapped by libtorch (MAP_PRIVATE,
                                read-only use: the pages stay the kernel's page cache, shared, never copied); the
                                engine takes each weight as a view into its shard

Run with the fixtures venv (models/requirements-fixtures.txt); the file is committed, so nothing at build or test time
needs torch. TorchScript written by torch 2.15 loads in DJL's libtorch 2.7.1 (checked by BFloat16Test).
"""
import sys
from pathlib import Path

import torch

OUT = Path(__file__).resolve().parent.parent / "src/main/resources/dev/glimpse/engine/glm4v/bfloat16.pt"


class BFloat16(torch.nn.Module):
    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return x.to(torch.bfloat16)

    @torch.jit.export
    def map_bf16(self, path: str, elements: int) -> torch.Tensor:
        return torch.from_file(path, False, elements, dtype=torch.bfloat16)


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    torch.jit.script(BFloat16()).save(str(out))
    loaded = torch.jit.load(str(out))
    x = torch.tensor([1.0, -2.5, 3.14159, 1e-3])
    assert torch.equal(loaded(x), x.to(torch.bfloat16))
    print(f"wrote {out} ({out.stat().st_size} bytes)")


if __name__ == "__main__":
    main()
