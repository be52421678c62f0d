"""Command line: ``python -m scenes generate --seed S --count N --out DIR`` (run from the ``models`` directory,
or with ``models`` on PYTHONPATH).

Writes DIR/images/scene-NNNNN.png and DIR/scenes.jsonl: one row per question, with ``image`` (path relative to
the JSONL), ``question``, ``answer``, ``type``, and the scene's index, seed and layout for inspection.
Scene i of seed S depends only on (S, i) and the installed fonts, so any slice can be regenerated.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

from .fonts import FontNotFoundError, find_sans_fonts
from .questions import QUESTION_TYPES, STYLES, make_question
from .render import IMAGE_MAX, IMAGE_MIN, render_scene, sample_scene


def scene_rng(seed: int, index: int) -> random.Random:
    return random.Random(f"glimpse-scenes:{seed}:{index}")


def _size(text: str) -> tuple[int, int]:
    try:
        w, h = (int(v) for v in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(f"--size {text!r}: expected WIDTHxHEIGHT, e.g. 224x224") from None
    if not (IMAGE_MIN // 2 <= w <= IMAGE_MAX * 2 and IMAGE_MIN // 2 <= h <= IMAGE_MAX * 2):
        raise argparse.ArgumentTypeError(f"--size {text}: sides must be {IMAGE_MIN // 2}-{IMAGE_MAX * 2} px")
    return w, h


def generate(args) -> int:
    fonts = find_sans_fonts(args.font)
    out = Path(args.out)
    images = out / "images"
    images.mkdir(parents=True, exist_ok=True)
    types = tuple(args.types.split(",")) if args.types else QUESTION_TYPES
    for t in types:
        if t not in QUESTION_TYPES:
            raise SystemExit(f"--types: unknown type {t!r}; expected some of {','.join(QUESTION_TYPES)}")
    rows = 0
    with open(out / args.jsonl, "w", encoding="utf-8") as f:
        for i in range(args.start, args.start + args.count):
            rng = scene_rng(args.seed, i)
            w, h = args.size if args.size else (None, None)
            scene = sample_scene(rng, fonts, width=w, height=h, word_prob=args.word_prob)
            name = f"scene-{i:05d}.png"
            render_scene(scene).save(images / name, optimize=True)
            for qtype in types:
                q = make_question(scene, qtype, rng, args.paraphrases)
                if q is None:
                    continue
                row = {"image": f"images/{name}", "question": q.question, "answer": q.answer, "type": q.type,
                       "scene": i, "seed": args.seed, "scene_layout": scene.to_json()}
                f.write(json.dumps(row, ensure_ascii=False) + "\n")
                rows += 1
    print(f"wrote {args.count} scenes, {rows} questions to {out / args.jsonl}")
    return 0


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m scenes", description="Synthetic shape-and-word scenes with "
                                "questions and exact answers (the glimpse-tiny domain).")
    sub = p.add_subparsers(dest="command", required=True)
    g = sub.add_parser("generate", help="render scenes to PNG and write their questions to a JSONL file")
    g.add_argument("--seed", type=int, required=True, help="scene seed; scene i depends only on (seed, i)")
    g.add_argument("--count", type=int, required=True, help="number of scenes")
    g.add_argument("--out", required=True, help="output directory")
    g.add_argument("--start", type=int, default=0, help="index of the first scene (default 0)")
    g.add_argument("--size", type=_size, help="fixed WIDTHxHEIGHT; default: half 224x224, the rest 160-320 px")
    g.add_argument("--word-prob", type=float, default=0.5, help="chance that a scene has a word (default 0.5)")
    g.add_argument("--paraphrases", choices=STYLES, default="mixed",
                   help="question wording: canonical, train (seen in training), heldout (never seen), "
                        "mixed (default: half canonical, a quarter each seen and held-out paraphrases)")
    g.add_argument("--types", help=f"comma-separated question types (default all: {','.join(QUESTION_TYPES)})")
    g.add_argument("--jsonl", default="scenes.jsonl", help="name of the JSONL file in --out (default scenes.jsonl)")
    g.add_argument("--font", action="append", default=[], help="an extra .ttf/.otf font file (repeatable)")
    args = p.parse_args(argv)
    try:
        return generate(args)
    except FontNotFoundError as e:
        print(f"scenes: {e}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
