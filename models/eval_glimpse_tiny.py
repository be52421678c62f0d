"""Evaluate glimpse-tiny with transformers, and write the committed evaluation set and Java parity file.

Run from the models directory with /work/main/.venv-models/bin/python (never in CI):

    # scenes from a seed never used in training, then accuracy per question type, thinking on and off
    python -m scenes generate --seed 777 --count 500 --out /tmp/eval-777
    python eval_glimpse_tiny.py evaluate --model glimpse-tiny --data /tmp/eval-777/scenes.jsonl \\
        --answers /tmp/eval-777/python-answers.jsonl

    # score answers written by the Java engine (bench/glimpse-tiny) and compare them with transformers'
    python eval_glimpse_tiny.py score --data /tmp/eval-777/scenes.jsonl --answers /tmp/eval-777/java-answers.jsonl \\
        --reference /tmp/eval-777/python-answers.jsonl

    # the small committed set (glimpse-tiny/eval/) and the 50-item parity file for GlimpseTinyParityTest
    python eval_glimpse_tiny.py make-eval-set --model glimpse-tiny

Answers match when equal after lower-casing, collapsing whitespace and dropping one trailing period
(scenes.questions.normalise_answer).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import time
from collections import defaultdict
from pathlib import Path

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import torch
from PIL import Image

import transformers

import glimpse_tiny as gt
from scenes.__main__ import scene_rng
from scenes.fonts import find_sans_fonts
from scenes.questions import QUESTION_TYPES, answer_matches, make_question
from scenes.render import render_scene, sample_scene

EVAL_SET_SEED = 4242          # the committed eval set (never used in training)
EVAL_SET_SCENES = 60
PARITY_ITEMS = 50


def read_jsonl(path: Path) -> list[dict]:
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def write_jsonl(path: Path, rows) -> None:
    with open(path, "w", encoding="utf-8") as f:
        for r in rows:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def modes(arg: str) -> list[bool]:
    return {"on": [True], "off": [False], "both": [True, False]}[arg]


# ---------------------------------------------------------------------------------------------------------------
# Accuracy tables
# ---------------------------------------------------------------------------------------------------------------

def table(rows: list[dict], key: str = "correct") -> dict:
    """{thinking: {type: [correct, total]}} and an overall row."""
    out: dict = defaultdict(lambda: defaultdict(lambda: [0, 0]))
    for r in rows:
        m = "on" if r["thinking"] else "off"
        for t in (r["type"], "all"):
            out[m][t][0] += bool(r[key])
            out[m][t][1] += 1
    return {m: dict(v) for m, v in out.items()}


def print_table(title: str, tab: dict) -> None:
    print(f"\n{title}")
    print(f"{'type':10s}" + "".join(f"{'thinking ' + m:>20s}" for m in tab))
    for t in QUESTION_TYPES + ("all",):
        cells = []
        for m in tab:
            c, n = tab[m].get(t, [0, 0])
            cells.append(f"{c / n:7.3f} ({c:4d}/{n:4d})" if n else f"{'-':>20s}")
        print(f"{t:10s}" + "".join(f"{c:>20s}" for c in cells))


# ---------------------------------------------------------------------------------------------------------------
# evaluate
# ---------------------------------------------------------------------------------------------------------------

def evaluate(args) -> int:
    torch.set_num_threads(args.threads)
    model = gt.load_model(args.model)
    processor = gt.load_processor(args.model)
    data = Path(args.data)
    items = read_jsonl(data)
    if args.limit:
        items = items[:args.limit]
    base = data.parent
    images = {}
    rows = []
    t0 = time.time()
    for thinking in modes(args.thinking):
        for i in range(0, len(items), args.batch_size):
            chunk = items[i:i + args.batch_size]
            imgs = []
            for it in chunk:
                if it["image"] not in images:
                    im = Image.open(base / it["image"])
                    im.load()
                    images[it["image"]] = im
                imgs.append(images[it["image"]])
            answers = gt.greedy_answers_batch(model, processor, imgs, [it["question"] for it in chunk], thinking)
            for it, a in zip(chunk, answers):
                rows.append({"image": it["image"], "question": it["question"], "type": it["type"],
                             "expected": it["answer"], "thinking": thinking, "answer": a,
                             "correct": answer_matches(a, it["answer"])})
            done = len(rows)
            if (i // args.batch_size) % 10 == 0:
                print(f"  {done} answers, {time.time() - t0:.0f} s", file=sys.stderr, flush=True)
    tab = table(rows)
    print_table(f"{args.model} on {data} ({len(items)} questions), transformers {transformers.__version__}", tab)
    if args.answers:
        write_jsonl(Path(args.answers), rows)
    if args.report:
        Path(args.report).write_text(json.dumps({"data": str(data), "model": str(args.model), "table": tab},
                                                indent=2) + "\n")
    failures = [r for r in rows if not r["correct"]][:args.show_failures]
    for r in failures:
        print(f"  x [{r['type']}, thinking {'on' if r['thinking'] else 'off'}] {r['image']} {r['question']!r}: "
              f"got {r['answer']!r}, expected {r['expected']!r}")
    return 0


# ---------------------------------------------------------------------------------------------------------------
# score (answers from another engine)
# ---------------------------------------------------------------------------------------------------------------

def score(args) -> int:
    items = {(r["image"], r["question"]): r for r in read_jsonl(Path(args.data))}
    rows = []
    for a in read_jsonl(Path(args.answers)):
        it = items[(a["image"], a["question"])]
        rows.append({**a, "type": it["type"], "expected": it["answer"],
                     "correct": answer_matches(a["answer"], it["answer"])})
    print_table(f"answers {args.answers} ({len(rows)})", table(rows))
    if args.reference:
        ref = {(r["image"], r["question"], r["thinking"]): r["answer"] for r in read_jsonl(Path(args.reference))}
        same = [r for r in rows if (r["image"], r["question"], r["thinking"]) in ref]
        for r in same:
            r["same"] = r["answer"] == ref[(r["image"], r["question"], r["thinking"])]
        print_table(f"identical to {args.reference}", table(same, "same"))
        for r in [r for r in same if not r["same"]][:args.show_failures]:
            print(f"  differs: {r['image']} {r['question']!r} thinking {r['thinking']}: {r['answer']!r} vs "
                  f"{ref[(r['image'], r['question'], r['thinking'])]!r}")
    return 0


# ---------------------------------------------------------------------------------------------------------------
# make-eval-set (committed) and parity file
# ---------------------------------------------------------------------------------------------------------------

def make_eval_set(args) -> int:
    """glimpse-tiny/eval/: EVAL_SET_SCENES scenes (every question type, mixed wordings, a few non-224 sizes) as
    PNG + scenes.jsonl, and parity.json: PARITY_ITEMS prompts with transformers' greedy token ids."""
    torch.set_num_threads(args.threads)
    out = Path(args.out)
    if out.exists():
        shutil.rmtree(out)
    (out / "images").mkdir(parents=True)
    fonts = find_sans_fonts()
    sizes = [None] * 48 + [(160, 160), (320, 320), (288, 192), (192, 288), (200, 256), (256, 200)] * 2
    rows = []
    for i in range(EVAL_SET_SCENES):
        rng = scene_rng(args.seed, i)
        w, h = sizes[i] if sizes[i] else (224, 224)
        scene = sample_scene(rng, fonts, width=w, height=h, word_prob=0.5)
        name = f"scene-{i:03d}.png"
        render_scene(scene).save(out / "images" / name, optimize=True)
        for qtype in QUESTION_TYPES:
            q = make_question(scene, qtype, rng, "mixed")
            if q is not None:
                rows.append({"image": f"images/{name}", "question": q.question, "answer": q.answer, "type": q.type,
                             "width": w, "height": h})
    write_jsonl(out / "scenes.jsonl", rows)

    model = gt.load_model(args.model)
    processor = gt.load_processor(args.model)
    # parity: every type, both thinking modes, some odd sizes; fixed choice from the seed
    pick = random.Random(args.seed)
    by_type = defaultdict(list)
    for r in rows:
        by_type[r["type"]].append(r)
    chosen = []
    while len(chosen) < PARITY_ITEMS:
        for t in QUESTION_TYPES:
            pool = [r for r in by_type[t] if r not in chosen]
            if pool and len(chosen) < PARITY_ITEMS:
                chosen.append(pick.choice(pool))
    items = []
    correct = 0
    for k, r in enumerate(chosen):
        thinking = k % 2 == 0
        img = Image.open(out / r["image"])
        img.load()
        tokens, answer, inputs = gt.greedy_answer(model, processor, img, r["question"], thinking)
        ok = answer_matches(answer, r["answer"])
        correct += ok
        items.append({"image": r["image"], "prompt": r["question"], "thinking": thinking, "type": r["type"],
                      "expected_answer": r["answer"], "input_ids": inputs["input_ids"][0].tolist(),
                      "generated_ids": tokens, "answer": answer, "matches_expected": ok})
    parity = {
        "model": "models/glimpse-tiny",
        "note": "greedy answers of transformers (Glm4vForConditionalGeneration, float32 from the bf16 weights, "
                "eager attention, CPU) for images under this directory; generated_ids end with the stop id",
        "transformers_version": transformers.__version__, "torch_version": torch.__version__,
        "max_new_tokens": gt.MAX_NEW_TOKENS, "items": items,
    }
    (out / "parity.json").write_text(json.dumps(parity, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {EVAL_SET_SCENES} scenes, {len(rows)} questions, {len(items)} parity items "
          f"({correct} answered correctly) to {out}")
    return 0


def make_bf16_parity(args) -> int:
    """parity-bf16.json: the items of parity.json answered by transformers in bfloat16 (weights as stored, its own
    float32 upcasts, eager attention, CPU), with the gap between the top two logits at every greedy step."""
    torch.set_num_threads(args.threads)
    eval_dir = Path(args.model) / "eval"
    parity = json.loads((eval_dir / "parity.json").read_text(encoding="utf-8"))
    model = transformers.Glm4vForConditionalGeneration.from_pretrained(
        args.model, dtype=torch.bfloat16, attn_implementation="eager").eval()
    processor = gt.load_processor(args.model)
    eos = gt.eos_ids(processor)
    items = []
    for item in parity["items"]:
        img = Image.open(eval_dir / item["image"])
        img.load()
        inputs = gt.prompt_inputs(processor, img, item["prompt"], item["thinking"])
        if inputs["input_ids"][0].tolist() != item["input_ids"]:
            raise SystemExit(f"{item['image']}: the prompt ids no longer match parity.json")
        cfg = transformers.GenerationConfig(do_sample=False, max_new_tokens=parity["max_new_tokens"], eos_token_id=eos,
                                            pad_token_id=eos[0], num_beams=1, output_logits=True,
                                            return_dict_in_generate=True)
        with torch.no_grad():
            out = model.generate(**inputs, generation_config=cfg)
        tokens = out.sequences[0, inputs["input_ids"].shape[1]:].tolist()
        top2 = torch.topk(torch.stack([lg[0] for lg in out.logits]).float(), 2, dim=-1).values
        items.append({"image": item["image"], "prompt": item["prompt"], "thinking": item["thinking"],
                      "generated_ids": tokens, "margins": [round(m, 4) for m in (top2[:, 0] - top2[:, 1]).tolist()],
                      "same_as_float32": tokens == item["generated_ids"]})
    out_json = {
        "model": parity["model"],
        "note": "greedy answers of transformers in bfloat16 (Glm4vForConditionalGeneration, dtype=torch.bfloat16, "
                "eager attention, CPU) for the items of parity.json; margins: top-1 minus top-2 logit per step",
        "transformers_version": transformers.__version__, "torch_version": torch.__version__,
        "max_new_tokens": parity["max_new_tokens"], "items": items,
    }
    (eval_dir / "parity-bf16.json").write_text(json.dumps(out_json, indent=1) + "\n", encoding="utf-8")
    same = sum(i["same_as_float32"] for i in items)
    print(f"wrote {len(items)} bf16 parity items; {same} answer token for token as in float32")
    return 0


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="command", required=True)
    e = sub.add_parser("evaluate", help="greedy answers with transformers, accuracy per type")
    e.add_argument("--model", type=Path, default=gt.DEFAULT_OUT)
    e.add_argument("--data", required=True, help="scenes.jsonl written by python -m scenes generate")
    e.add_argument("--thinking", choices=("on", "off", "both"), default="both")
    e.add_argument("--batch-size", type=int, default=24)
    e.add_argument("--limit", type=int, default=0)
    e.add_argument("--answers", help="write every answer to this JSONL")
    e.add_argument("--report", help="write the table to this JSON")
    e.add_argument("--show-failures", type=int, default=15)
    e.add_argument("--threads", type=int, default=2)
    s = sub.add_parser("score", help="accuracy of answers written by another engine (JSONL: image, question, "
                                     "thinking, answer)")
    s.add_argument("--data", required=True)
    s.add_argument("--answers", required=True)
    s.add_argument("--reference", help="transformers' answers (evaluate --answers) to compare with")
    s.add_argument("--show-failures", type=int, default=10)
    m = sub.add_parser("make-eval-set", help="write the committed eval set and parity.json")
    m.add_argument("--model", type=Path, default=gt.DEFAULT_OUT)
    m.add_argument("--out", type=Path, default=gt.DEFAULT_OUT / "eval")
    m.add_argument("--seed", type=int, default=EVAL_SET_SEED)
    m.add_argument("--threads", type=int, default=2)
    b = sub.add_parser("make-bf16-parity", help="write eval/parity-bf16.json: parity.json's items in bfloat16")
    b.add_argument("--model", type=Path, default=gt.DEFAULT_OUT)
    b.add_argument("--threads", type=int, default=2)
    args = ap.parse_args(argv)
    return {"evaluate": evaluate, "score": score, "make-eval-set": make_eval_set,
            "make-bf16-parity": make_bf16_parity}[args.command](args)


if __name__ == "__main__":
    sys.exit(main())
