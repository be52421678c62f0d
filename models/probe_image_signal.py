"""How much of the picture reaches the answer: a training diagnostic for glimpse-tiny (never run in CI).

    cd models && /work/main/.venv-models/bin/python probe_image_signal.py CHECKPOINT_DIR [--scenes 40]

For single-circle scenes asked "What color is the circle?" it prints, per decoder layer, the norm of the mean state
at the position that predicts the answer and the norm of its spread across images (only the picture differs, so the
spread is all image signal), the same for the circle's image tokens, and how much the colour logits move. A decoder
stuck at the question-only prior shows a spread of well under 1% of the mean at the answer position although the
image tokens differ by 10-20%; a learning one shows several percent. Used to find why training plateaued (see
train_glimpse_tiny.py).
"""
from __future__ import annotations

import argparse
import random
import sys
from pathlib import Path

import torch

import glimpse_tiny as gt
from scenes.fonts import find_sans_fonts
from scenes.render import COLOURS, render_scene, sample_scene
from scene_batches import scene_targets


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("model", type=Path)
    ap.add_argument("--scenes", type=int, default=40)
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    model = gt.load_model(args.model)
    model.eval()
    processor = gt.load_processor(args.model)
    fonts = find_sans_fonts()
    colour_ids = [processor.tokenizer.encode(c, add_special_tokens=False)[0] for c in COLOURS]
    answer, image, logits = {}, {}, []
    for n in range(args.scenes):
        scene = sample_scene(random.Random(f"probe:{n}"), fonts, n_shapes=1, word_prob=0.0, width=224, height=224,
                             kinds=["circle"])
        inputs = gt.prompt_inputs(processor, render_scene(scene), "What color is the circle?", False)
        with torch.no_grad():
            out = model(**inputs, output_hidden_states=True)
        positions = (inputs["input_ids"][0] == model.config.image_token_id).nonzero().squeeze(-1)
        _, _, rank, _ = scene_targets(scene, inputs["image_grid_thw"][0])
        circle = positions[torch.from_numpy(rank > 0)]
        for layer, h in enumerate(out.hidden_states):
            answer.setdefault(layer, []).append(h[0, -1])
            image.setdefault(layer, []).append(h[0, circle].mean(0))
        logits.append(out.logits[0, -1, colour_ids])
    print(f"{'state':28}{'mean norm':>12}{'spread norm':>14}{'spread %':>10}")
    for name, states in (("answer position", answer), ("circle's image tokens", image)):
        for layer, rows in states.items():
            x = torch.stack(rows)
            mean, spread = x.mean(0).norm().item(), x.std(0).norm().item()
            print(f"{name + ' h' + str(layer):28}{mean:12.2f}{spread:14.3f}{100 * spread / mean:10.2f}")
    x = torch.stack(logits)
    print("colour logits: spread across images per colour", [round(v, 3) for v in x.std(0).tolist()])
    return 0


if __name__ == "__main__":
    sys.exit(main())
