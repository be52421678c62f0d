#!/usr/bin/env python3
"""Writes a random checkpoint with GLM-4.6V-Flash's published shape, for running the engine at full size.

    python models/make_fullsize_checkpoint.py /work/fullsize        # ~20.6 GB, a few minutes

What it is: `Glm4vForConditionalGeneration` with the config of `zai-org/GLM-4.6V-Flash` (reference/glm4v.md §2:
40 decoder layers, hidden 4096, 32 heads, 2 KV heads, intermediate 13696, vocab 151552; vision 24 layers x 1536),
10.29 B parameters in bfloat16, in 4 shards of at most 5.33 GB with `model.safetensors.index.json`, as published.
The tensor names are transformers 5.x's (the same names `save_pretrained` wrote into models/glimpse-tiny, which this
script checks). The values are random: weight matrices normal(0, 0.02), norms 1, biases normal(0, 0.02); the answers
are nonsense words, but every matmul, every byte of memory and every file has the real model's size.

The tokenizer is derived from glimpse-tiny's byte-level BPE: its 512 tokens keep their ids, ids 512..151328 are filler
words (" w512", ...) so that every id the random model picks decodes to something, and the 36 added tokens sit at the
real model's ids 151329..151364 (<|endoftext|> ... <|image|>=151363, <|video|>=151364). lm_head rows past the tokenizer
(151365..151551, padding in the real model too) are zero, so greedy decoding never picks them.

Needs numpy only (no torch); random numbers come from numpy's PCG64 in float32 and are rounded to bfloat16.
"""
import argparse
import json
import re
import shutil
import struct
import sys
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
TINY = HERE / "glimpse-tiny"

TEXT = dict(hidden=4096, layers=40, heads=32, kv_heads=2, intermediate=13696, vocab=151552)
VISION = dict(hidden=1536, depth=24, heads=12, mlp=4096, out=4096, merger=13696, patch=14, temporal=2, image_size=336)
FIRST_SPECIAL = 151329
SHARD_LIMIT = 5_330_000_000  # bytes: gives 4 shards of 5.3/5.3/5.3/4.7 GB like the published checkpoint


def tensor_shapes() -> dict[str, tuple[int, ...]]:
    t, v = TEXT, VISION
    head_dim = t["hidden"] // t["heads"]
    kv = t["kv_heads"] * head_dim
    shapes = {
        "lm_head.weight": (t["vocab"], t["hidden"]),
        "model.language_model.embed_tokens.weight": (t["vocab"], t["hidden"]),
        "model.language_model.norm.weight": (t["hidden"],),
    }
    for i in range(t["layers"]):
        p = f"model.language_model.layers.{i}."
        shapes.update({
            p + "input_layernorm.weight": (t["hidden"],),
            p + "self_attn.q_proj.weight": (t["hidden"], t["hidden"]),
            p + "self_attn.q_proj.bias": (t["hidden"],),
            p + "self_attn.k_proj.weight": (kv, t["hidden"]),
            p + "self_attn.k_proj.bias": (kv,),
            p + "self_attn.v_proj.weight": (kv, t["hidden"]),
            p + "self_attn.v_proj.bias": (kv,),
            p + "self_attn.o_proj.weight": (t["hidden"], t["hidden"]),
            p + "post_self_attn_layernorm.weight": (t["hidden"],),
            p + "post_attention_layernorm.weight": (t["hidden"],),
            p + "mlp.gate_up_proj.weight": (2 * t["intermediate"], t["hidden"]),
            p + "mlp.down_proj.weight": (t["hidden"], t["intermediate"]),
            p + "post_mlp_layernorm.weight": (t["hidden"],),
        })
    h = v["hidden"]
    shapes.update({
        "model.visual.patch_embed.proj.weight": (h, 3, v["temporal"], v["patch"], v["patch"]),
        "model.visual.patch_embed.proj.bias": (h,),
        "model.visual.post_conv_layernorm.weight": (h,),
        "model.visual.embeddings.position_embedding.weight": ((v["image_size"] // v["patch"]) ** 2, h),
        "model.visual.post_layernorm.weight": (h,),
        "model.visual.downsample.weight": (v["out"], h, 2, 2),
        "model.visual.downsample.bias": (v["out"],),
        "model.visual.merger.proj.weight": (v["out"], v["out"]),
        "model.visual.merger.post_projection_norm.weight": (v["out"],),
        "model.visual.merger.post_projection_norm.bias": (v["out"],),
        "model.visual.merger.gate_proj.weight": (v["merger"], v["out"]),
        "model.visual.merger.up_proj.weight": (v["merger"], v["out"]),
        "model.visual.merger.down_proj.weight": (v["out"], v["merger"]),
    })
    for i in range(v["depth"]):
        p = f"model.visual.blocks.{i}."
        shapes.update({
            p + "norm1.weight": (h,),
            p + "norm2.weight": (h,),
            p + "attn.qkv.weight": (3 * h, h),
            p + "attn.proj.weight": (h, h),
            p + "mlp.gate_proj.weight": (v["mlp"], h),
            p + "mlp.up_proj.weight": (v["mlp"], h),
            p + "mlp.down_proj.weight": (h, v["mlp"]),
        })
    return shapes


def read_header(path: Path) -> dict:
    with open(path, "rb") as f:
        n = struct.unpack("<Q", f.read(8))[0]
        return json.loads(f.read(n))


def check_names_against_tiny(shapes: dict) -> None:
    """The names must be exactly those transformers wrote for glimpse-tiny, layer indices aside."""
    def pattern(name):
        return re.sub(r"\.\d+\.", ".N.", name)
    ours = {pattern(n) for n in shapes}
    theirs = {pattern(n) for n in read_header(TINY / "model.safetensors") if n != "__metadata__"}
    if ours != theirs:
        sys.exit(f"tensor names differ from glimpse-tiny's: only here {sorted(ours - theirs)}, "
                 f"only there {sorted(theirs - ours)}")


def to_bf16(x: np.ndarray) -> np.ndarray:
    """float32 -> bfloat16 bits, rounding to nearest even (what torch's .to(torch.bfloat16) does)."""
    bits = x.astype(np.float32).view(np.uint32)
    rounding = ((bits >> 16) & 1) + 0x7FFF
    return ((bits + rounding) >> 16).astype(np.uint16)


def values(name: str, shape: tuple[int, ...], rng: np.random.Generator, tokenizer_size: int):
    """Yields the tensor's bf16 values in chunks of rows (a whole 1.24 GB embedding never sits in memory)."""
    if name.endswith("norm.weight") or name.endswith("layernorm.weight") or re.search(r"norm\d\.weight$", name):
        yield to_bf16(np.ones(shape, np.float32))
        return
    rows = shape[0]
    per_row = int(np.prod(shape[1:])) if len(shape) > 1 else 1
    step = max(1, (1 << 24) // per_row)
    for start in range(0, rows, step):
        n = min(step, rows - start)
        chunk = rng.standard_normal((n, per_row), dtype=np.float32) * np.float32(0.02)
        if name == "lm_head.weight":
            chunk[max(0, tokenizer_size - start):] = 0  # padding rows: never the argmax
        yield to_bf16(chunk)


def plan_shards(shapes: dict) -> list[list[str]]:
    shards, current, size = [], [], 0
    for name, shape in shapes.items():
        nbytes = int(np.prod(shape)) * 2
        if current and size + nbytes > SHARD_LIMIT:
            shards.append(current)
            current, size = [], 0
        current.append(name)
        size += nbytes
    shards.append(current)
    return shards


def write_shard(path: Path, names: list[str], shapes: dict, rng, tokenizer_size: int) -> int:
    header, offset = {"__metadata__": {"format": "pt"}}, 0
    for name in names:
        nbytes = int(np.prod(shapes[name])) * 2
        header[name] = {"dtype": "BF16", "shape": list(shapes[name]), "data_offsets": [offset, offset + nbytes]}
        offset += nbytes
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)  # data starts 8-byte aligned, as safetensors writes it
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for name in names:
            for chunk in values(name, shapes[name], rng, tokenizer_size):
                f.write(chunk.tobytes())
    return offset


def write_tokenizer(out: Path) -> int:
    tok = json.loads((TINY / "tokenizer.json").read_text())
    vocab = tok["model"]["vocab"]
    base = len(vocab)
    specials = tok["added_tokens"]
    if min(a["id"] for a in specials) != base or len(specials) != 36:
        sys.exit("glimpse-tiny's tokenizer no longer has 36 added tokens right after its BPE vocabulary")
    for i in range(base, FIRST_SPECIAL):
        vocab[f"\u0120w{i}"] = i  # byte-level "Ġ" is a space: decodes to " w<i>"
    for a in specials:
        a["id"] += FIRST_SPECIAL - base
    (out / "tokenizer.json").write_text(json.dumps(tok, ensure_ascii=False))
    return FIRST_SPECIAL + len(specials)


def config(tokens: dict[str, int]) -> dict:
    t, v = TEXT, VISION
    eos = [tokens["<|endoftext|>"], tokens["<|user|>"], tokens["<|observation|>"]]
    return {
        "architectures": ["Glm4vForConditionalGeneration"],
        "dtype": "bfloat16",
        "image_end_token_id": tokens["<|end_of_image|>"],
        "image_start_token_id": tokens["<|begin_of_image|>"],
        "image_token_id": tokens["<|image|>"],
        "model_type": "glm4v",
        "text_config": {
            "attention_bias": True, "attention_dropout": 0.0, "dtype": "bfloat16", "eos_token_id": eos,
            "hidden_act": "silu", "hidden_size": t["hidden"], "initializer_range": 0.02,
            "intermediate_size": t["intermediate"], "max_position_embeddings": 131072, "model_type": "glm4v_text",
            "num_attention_heads": t["heads"], "num_hidden_layers": t["layers"], "num_key_value_heads": t["kv_heads"],
            "pad_token_id": eos[0], "rms_norm_eps": 1e-05,
            "rope_parameters": {"mrope_section": [8, 12, 12], "partial_rotary_factor": 0.5, "rope_theta": 500000.0,
                                "rope_type": "default"},
            "use_cache": True, "vocab_size": t["vocab"],
        },
        "tie_word_embeddings": False,
        "transformers_version": "5.24.0",
        "video_end_token_id": tokens["<|end_of_video|>"],
        "video_start_token_id": tokens["<|begin_of_video|>"],
        "video_token_id": tokens["<|video|>"],
        "vision_config": {
            "attention_bias": False, "attention_dropout": 0.0, "depth": v["depth"], "dtype": "bfloat16",
            "hidden_act": "silu", "hidden_size": v["hidden"], "image_size": v["image_size"], "in_channels": 3,
            "initializer_range": 0.02, "intermediate_size": v["merger"], "model_type": "glm4v_vision",
            "num_heads": v["heads"], "out_hidden_size": v["out"], "patch_size": v["patch"],
            "rms_norm_eps": 1e-05, "rope_parameters": {"rope_theta": 10000.0, "rope_type": "axial"},
            "spatial_merge_size": 2, "temporal_patch_size": v["temporal"],
        },
    }


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path, help="directory to write (created; existing files are overwritten)")
    ap.add_argument("--seed", type=int, default=46)
    args = ap.parse_args(argv)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)

    shapes = tensor_shapes()
    check_names_against_tiny(shapes)
    params = sum(int(np.prod(s)) for s in shapes.values())
    print(f"{params / 1e9:.2f} B parameters, {params * 2 / 1e9:.1f} GB in bf16 -> {out}", flush=True)

    tokenizer_size = write_tokenizer(out)
    tiny_tokens = json.loads((TINY / "tokenizer.json").read_text())["added_tokens"]
    tokens = {a["content"]: a["id"] - tiny_tokens[0]["id"] + FIRST_SPECIAL for a in tiny_tokens}
    cfg = config(tokens)
    (out / "config.json").write_text(json.dumps(cfg, indent=2) + "\n")
    eos = cfg["text_config"]["eos_token_id"]
    (out / "generation_config.json").write_text(json.dumps(
        {"do_sample": False, "eos_token_id": eos, "pad_token_id": eos[0], "transformers_version": "5.24.0"},
        indent=2) + "\n")
    for name in ("tokenizer_config.json", "chat_template.jinja"):
        shutil.copyfile(TINY / name, out / name)
    pre = json.loads((TINY / "preprocessor_config.json").read_text())
    pre["size"] = {"shortest_edge": 12544, "longest_edge": 9633792}  # the published pixel-count bounds
    (out / "preprocessor_config.json").write_text(json.dumps(pre, indent=2) + "\n")

    rng = np.random.Generator(np.random.PCG64(args.seed))
    shards = plan_shards(shapes)
    weight_map, total = {}, 0
    for i, names in enumerate(shards, 1):
        file = f"model-{i:05d}-of-{len(shards):05d}.safetensors"
        total += write_shard(out / file, names, shapes, rng, tokenizer_size)
        weight_map.update({n: file for n in names})
        print(f"  {file}: {(out / file).stat().st_size / 1e9:.2f} GB", flush=True)
    index = {"metadata": {"total_parameters": params, "total_size": total}, "weight_map": dict(sorted(weight_map.items()))}
    (out / "model.safetensors.index.json").write_text(json.dumps(index, indent=2) + "\n")


if __name__ == "__main__":
    main()
