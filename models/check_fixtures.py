"""Prove that the committed GLM-4V fixtures agree with themselves and with transformers.

Reloads every model directory under src/test/resources/glm4v, re-runs the processor on the committed PNGs,
re-renders every prompt, recomputes prefill logits, vision activations and greedy tokens, and compares them with
the committed references. It also runs its own greedy loop over the KV cache with the decode positions the README
documents (cache position + rope_deltas on all three M-RoPE axes), so that rule is checked too.

    /work/main/.venv-models/bin/python models/check_fixtures.py

Needs torch + transformers (models/requirements-fixtures.txt); never run in CI. Exits non-zero on any mismatch.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np
import torch
from PIL import Image
from safetensors import safe_open
from safetensors.numpy import load_file
from tokenizers import Tokenizer
from transformers import AutoConfig, AutoTokenizer, DynamicCache

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_fixtures as mf  # noqa: E402

ATOL = 1e-4   # same machine reproduces the files bit for bit; the tolerance only absorbs other CPUs' kernels
RTOL = 1e-4


class Checker:
    def __init__(self):
        self.failures: list[str] = []
        self.checks = 0

    def equal(self, what: str, got, want) -> None:
        self.checks += 1
        if got != want:
            self.failures.append(f"{what}: got {got!r}, want {want!r}")

    def close(self, what: str, got, want) -> float:
        self.checks += 1
        got = np.asarray(got, dtype=np.float32)
        want = np.asarray(want, dtype=np.float32)
        if got.shape != want.shape:
            self.failures.append(f"{what}: shape {got.shape} != {want.shape}")
            return float("inf")
        diff = float(np.max(np.abs(got - want))) if got.size else 0.0
        if not np.allclose(got, want, atol=ATOL, rtol=RTOL):
            self.failures.append(f"{what}: max |diff| {diff:.3g}")
        return diff


# Independent re-derivations of Pillow's integer arithmetic, in the form the README documents, so the README's
# description of the image pipeline is itself checked against the committed images.

def _cubic(x: float, a: float = -0.5) -> float:
    x = abs(x)
    if x < 1:
        return ((a + 2) * x - (a + 3)) * x * x + 1
    if x < 2:
        return (((x - 5) * x + 8) * x - 4) * a
    return 0.0


def _resample_axis(img: np.ndarray, out: int, axis: int) -> np.ndarray:
    """Pillow's 8-bit bicubic along one axis: double weights -> 22-bit fixed point -> clip8."""
    img = np.moveaxis(img, axis, 0)
    size = img.shape[0]
    scale = size / out
    filterscale = max(scale, 1.0)
    support = 2.0 * filterscale
    res = np.zeros((out,) + img.shape[1:], dtype=np.int64)
    for i in range(out):
        center = (i + 0.5) * scale
        lo = max(int(center - support + 0.5), 0)
        hi = min(int(center + support + 0.5), size)
        w = [_cubic((j - center + 0.5) / filterscale) for j in range(lo, hi)]
        total = sum(w)
        if total != 0:
            w = [v / total for v in w]
        k = [int(v * (1 << 22) - 0.5) if v < 0 else int(v * (1 << 22) + 0.5) for v in w]
        acc = np.full(img.shape[1:], 1 << 21, dtype=np.int64)
        for t, kv in enumerate(k):
            acc += img[lo + t] * kv
        res[i] = np.clip(acc >> 22, 0, 255)
    return np.moveaxis(res, 0, axis)


def pillow_bicubic(rgb: np.ndarray, width: int, height: int) -> np.ndarray:
    x = rgb.astype(np.int64)
    if width != x.shape[1]:
        x = _resample_axis(x, width, 1)       # horizontal pass first, into uint8
    if height != x.shape[0]:
        x = _resample_axis(x, height, 0)
    return x.astype(np.uint8)


def over_white(rgba: np.ndarray) -> np.ndarray:
    """Pillow's alpha_composite of an RGBA image over opaque white, in its 7-bit fixed point."""
    a = rgba[..., 3].astype(np.int64)
    out = np.empty(rgba.shape[:2] + (3,), dtype=np.int64)
    for ch in range(3):
        t = 128 * (rgba[..., ch].astype(np.int64) * a + 255 * (255 - a)) + (0x80 << 7)
        out[..., ch] = (((t >> 8) + t) >> 8) >> 7
    return out.astype(np.uint8)


def _torch_cubic_weights(t: float, a: float = -0.75) -> list[float]:
    """Weights of the 4 taps at offsets -1, 0, 1, 2 for fraction t (PyTorch's cubic convolution, A = -0.75)."""
    def near(x):
        return ((a + 2) * x - (a + 3)) * x * x + 1

    def far(x):
        return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a
    return [far(t + 1), near(t), near(1 - t), far(2 - t)]


def resampled_position_table(table: np.ndarray, grid_h: int, grid_w: int, merge: int = 2) -> np.ndarray:
    """The learned side x side position table resampled to a grid_h x grid_w patch grid, rows in merge-block order:
    bicubic grid_sample, align_corners=False, border padding (sample points clamped to the table)."""
    side = int(round(math.sqrt(table.shape[0])))
    t = table.astype(np.float64).reshape(side, side, -1)
    rows = []
    for bh in range(grid_h // merge):
        for bw in range(grid_w // merge):
            for mh in range(merge):
                for mw in range(merge):
                    h, w = bh * merge + mh, bw * merge + mw
                    # normalised coordinate ((i + 0.5) / n) * 2 - 1, unnormalised with align_corners=False
                    iy = (h + 0.5) / grid_h * side - 0.5
                    ix = (w + 0.5) / grid_w * side - 0.5
                    y0, x0 = math.floor(iy), math.floor(ix)
                    wy, wx = _torch_cubic_weights(iy - y0), _torch_cubic_weights(ix - x0)
                    acc = np.zeros(t.shape[2])
                    for a in range(4):
                        yy = min(max(y0 - 1 + a, 0), side - 1)
                        row = sum(wx[b] * t[yy, min(max(x0 - 1 + b, 0), side - 1)] for b in range(4))
                        acc += wy[a] * row
                    rows.append(acc)
    return np.stack(rows)


def check_images(c: Checker, processor) -> None:
    img_dir = mf.FIXTURES / "images"
    for meta_file in sorted(img_dir.glob("*.json")):
        meta = json.loads(meta_file.read_text())
        name = meta_file.stem
        ref = load_file(str(img_dir / f"{name}.safetensors"))
        png = Image.open(img_dir / meta["image"])
        png.load()
        c.equal(f"images/{name} mode", png.mode, meta["mode"])
        out = processor.image_processor(images=[png], return_tensors="np")
        c.equal(f"images/{name} grid", out["image_grid_thw"][0].tolist(), meta["image_grid_thw"])
        c.equal(f"images/{name} pixel_values (exact)", bool(np.array_equal(out["pixel_values"], ref["pixel_values"])),
                True)
        rgb = mf.composite_rgb(png)
        c.equal(f"images/{name} rgb (exact)", bool(np.array_equal(rgb, ref["rgb"])), True)
        resized = np.array(Image.fromarray(rgb).resize((meta["resized_width"], meta["resized_height"]),
                                                       Image.Resampling.BICUBIC))
        c.equal(f"images/{name} resized_rgb (exact)", bool(np.array_equal(resized, ref["resized_rgb"])), True)
        c.equal(f"images/{name} README bicubic re-derivation (exact)",
                bool(np.array_equal(pillow_bicubic(ref["rgb"], meta["resized_width"], meta["resized_height"]),
                                    ref["resized_rgb"])), True)
        if meta["has_transparency"]:
            c.equal(f"images/{name} README alpha re-derivation (exact)",
                    bool(np.array_equal(over_white(np.array(png.convert("RGBA"))), ref["rgb"])), True)
        c.equal(f"images/{name} normalise+patchify (exact)",
                bool(np.array_equal(mf.patchify(mf.normalize(ref["resized_rgb"])), ref["pixel_values"])), True)
        print(f"  images/{name}: {meta['mode']} {meta['width']}x{meta['height']} -> "
              f"{meta['resized_width']}x{meta['resized_height']}, grid {meta['image_grid_thw']}")


def check_model_dir(c: Checker, name: str, model_dir: Path) -> None:
    index = json.loads((model_dir / "model.safetensors.index.json").read_text())
    shards = sorted(set(index["weight_map"].values()))
    c.equal(f"{name} shard count >= 2", len(shards) >= 2, True)
    keys = set()
    for shard in shards:
        with safe_open(str(model_dir / shard), "pt") as f:
            for k in f.keys():
                keys.add(k)
                c.equal(f"{name} {k} dtype", str(f.get_slice(k).get_dtype()), "BF16")
    c.equal(f"{name} index covers every tensor", keys, set(index["weight_map"]))

    cfg = AutoConfig.from_pretrained(model_dir)
    tok = Tokenizer.from_file(str(model_dir / "tokenizer.json"))
    ids = mf.special_ids(tok)
    c.equal(f"{name} image_token_id", cfg.image_token_id, ids["<|image|>"])
    c.equal(f"{name} video_token_id", cfg.video_token_id, ids["<|video|>"])
    c.equal(f"{name} image_start/end", [cfg.image_start_token_id, cfg.image_end_token_id],
            [ids["<|begin_of_image|>"], ids["<|end_of_image|>"]])
    gen = json.loads((model_dir / "generation_config.json").read_text())
    c.equal(f"{name} eos ids", gen["eos_token_id"], [ids["<|endoftext|>"], ids["<|user|>"], ids["<|observation|>"]])
    head_dim = cfg.text_config.hidden_size // cfg.text_config.num_attention_heads
    rope = cfg.text_config.rope_parameters
    c.equal(f"{name} mrope_section sum", sum(rope["mrope_section"]), int(head_dim * rope["partial_rotary_factor"] / 2))

    # transformers' own loader must read the tokenizer files the same way.
    auto = AutoTokenizer.from_pretrained(model_dir)
    for s in mf.TOKENIZER_STRINGS:
        c.equal(f"{name} AutoTokenizer {s!r}", auto.encode(s, add_special_tokens=False),
                tok.encode(s, add_special_tokens=False).ids)


def own_greedy(model, inputs, meta) -> torch.Tensor:
    """Greedy decode with the KV cache and explicit 3D positions: prefill positions from the reference,
    decode positions = cache position + rope_deltas on every axis."""
    steps = len(meta["greedy_tokens"])
    seq = meta["seq_len"]
    pos = torch.tensor(meta["position_ids"], dtype=torch.long)[:, None, :]
    cache = DynamicCache(config=model.config.text_config)
    kwargs = {k: v for k, v in inputs.items() if k != "token_type_ids"}
    out = model(**kwargs, position_ids=pos, cache=cache, use_cache=True)
    logits = [out.logits[0, -1]]
    token = int(out.logits[0, -1].argmax())
    mask = kwargs["attention_mask"]
    for k in range(1, steps):
        mask = torch.cat([mask, torch.ones(1, 1, dtype=mask.dtype)], dim=1)
        p = torch.full((3, 1, 1), seq + k - 1 + meta["rope_deltas"], dtype=torch.long)
        out = model(input_ids=torch.tensor([[token]]), attention_mask=mask, position_ids=p, cache=out.cache,
                    use_cache=True)
        logits.append(out.logits[0, -1])
        token = int(out.logits[0, -1].argmax())
    return torch.stack(logits)


def check_cases(c: Checker, name: str, model_dir: Path, images: dict) -> None:
    model = mf.load_model(model_dir)
    processor = mf.load_processor(model_dir)
    eos = json.loads((model_dir / "generation_config.json").read_text())["eos_token_id"]
    tok_size = Tokenizer.from_file(str(model_dir / "tokenizer.json")).get_vocab_size()
    for meta_file in sorted((mf.FIXTURES / name / "reference").glob("*.json")):
        meta = json.loads(meta_file.read_text())
        case = next(x for x in mf.CASES[name] if x["name"] == meta["case"])
        ref = load_file(str(meta_file.with_suffix(".safetensors")))
        where = f"{name}/{meta['case']}"
        r = mf.run_case(model, processor, case, images, tok_size, eos)
        inputs = r["inputs"]
        c.equal(f"{where} prompt", r["prompt"], meta["prompt"])
        c.equal(f"{where} input_ids", inputs["input_ids"][0].tolist(), meta["input_ids"])
        c.equal(f"{where} mm_token_type_ids", inputs["mm_token_type_ids"][0].tolist(), meta["mm_token_type_ids"])
        c.equal(f"{where} image_grid_thw",
                inputs["image_grid_thw"].tolist() if "image_grid_thw" in inputs else [], meta["image_grid_thw"])
        if meta["images"]:
            stacked = np.concatenate([load_file(str(mf.FIXTURES / "images" / f"{n}.safetensors"))["pixel_values"]
                                      for n in meta["images"]])
            c.equal(f"{where} pixel_values = image fixtures", bool(np.array_equal(inputs["pixel_values"].numpy(),
                                                                                  stacked)), True)
        c.equal(f"{where} position_ids", r["position_ids"][:, 0, :].tolist(), meta["position_ids"])
        c.equal(f"{where} rope_deltas", int(r["rope_deltas"].view(-1)[0]), meta["rope_deltas"])
        d_prefill = c.close(f"{where} prefill_logits", r["prefill"], ref["prefill_logits"])
        c.equal(f"{where} greedy_tokens", r["tokens"], meta["greedy_tokens"])
        d_steps = c.close(f"{where} step_logits", r["step_logits"], ref["step_logits"])
        c.close(f"{where} step 0 = last prefill row", ref["step_logits"][0], ref["prefill_logits"][-1])
        if "decoder_layer_outputs" in ref:
            c.close(f"{where} decoder_layer_outputs", r["layers"], ref["decoder_layer_outputs"])
        for k, v in r["vision"].items():
            c.close(f"{where} {k}", v, ref[k])
        if "vision_pos_embed" in ref:
            table = model.model.visual.embeddings.position_embedding.weight.detach().numpy()
            (_, gh, gw), = meta["image_grid_thw"]
            c.close(f"{where} README position-table re-derivation", resampled_position_table(table, gh, gw),
                    ref["vision_pos_embed"])
        with torch.no_grad():
            mine = own_greedy(model, inputs, meta)
        d_own = c.close(f"{where} own KV-cache greedy vs reference", mine, ref["step_logits"])
        c.equal(f"{where} own greedy tokens", mine.argmax(-1).tolist(), meta["greedy_tokens"])
        top5 = torch.topk(torch.from_numpy(ref["step_logits"][0]), 5)
        c.equal(f"{where} top5 ids", top5.indices.tolist(), meta["first_step_top5"]["ids"])
        c.equal(f"{where} min margin recorded", meta["min_greedy_margin"], min(meta["greedy_margins"]))
        print(f"  {where}: seq {meta['seq_len']}, max|diff| prefill {d_prefill:.2g}, steps {d_steps:.2g}, "
              f"own-cache loop {d_own:.2g}, min margin {meta['min_greedy_margin']:.4f}")


def check_template_and_tokenizer(c: Checker, processor, tok: Tokenizer) -> None:
    data = json.loads((mf.FIXTURES / "chat_template_cases.json").read_text())
    for case in data["cases"]:
        kw = {} if case["enable_thinking"] is None else {"enable_thinking": case["enable_thinking"]}
        text = processor.apply_chat_template(case["messages"], tokenize=False, add_generation_prompt=True, **kw)
        c.equal(f"template {case['name']}", text, case["rendered"])
        c.equal(f"template ids {case['name']}", tok.encode(text, add_special_tokens=False).ids, case["input_ids"])
    data = json.loads((mf.FIXTURES / "tokenizer_cases.json").read_text())
    for case in data["cases"]:
        enc = tok.encode(case["text"], add_special_tokens=False)
        c.equal(f"tokenizer {case['text']!r}", enc.ids, case["ids"])
        c.equal(f"decode {case['text']!r}", tok.decode(enc.ids, skip_special_tokens=False), case["decoded"])
    c.equal("special token ids", mf.special_ids(tok), data["special_tokens"])


def main() -> int:
    torch.set_num_threads(1)
    c = Checker()
    images = {}
    for p in sorted((mf.FIXTURES / "images").glob("*.png")):
        img = Image.open(p)
        img.load()
        images[p.stem] = img
    first = mf.FIXTURES / "tiny-a" / "model"
    processor = mf.load_processor(first)
    print("images")
    check_images(c, processor)
    print("chat template and tokenizer")
    check_template_and_tokenizer(c, processor, Tokenizer.from_file(str(first / "tokenizer.json")))
    for name in mf.TINY:
        model_dir = mf.FIXTURES / name / "model"
        print(name)
        check_model_dir(c, name, model_dir)
        check_cases(c, name, model_dir, images)
    if c.failures:
        print(f"\n{len(c.failures)} of {c.checks} checks FAILED:")
        for f in c.failures:
            print("  " + f)
        return 1
    print(f"\nall {c.checks} checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
