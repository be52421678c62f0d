"""Train glimpse-tiny, the default model shipped in models/glimpse-tiny, on the synthetic scenes of models/scenes.

    cd models && ../.venv-models/bin/python train_glimpse_tiny.py --out glimpse-tiny

CPU only: two processes of one thread each (data_parallel; --ranks), each drawing half of a step's images, gradients
averaged; never run in CI. Versions in models/requirements-train.txt.

- Model: transformers' Glm4vForConditionalGeneration at the size in glimpse_tiny.ARCH, run by packed_forward (the
  model's own modules and parameters, batched: images of one size per batch, several questions per image packed
  after one copy of its image tokens). The packed forward is checked against the model's own forward at start.
- Data: scene_batches draws scenes on the fly in a worker process; batch k depends only on (seed, k).
- Two phases in one budget. "See" (--see-minutes): the vision tower alone learns dense per-patch targets (kind,
  colour, left-to-right rank, letter, index of the letter in its word), first on 112 px crops, then on whole
  pictures, most of them busier than the domain (scenes.busy); the relational targets (rank, letter index) join
  after --relational-after of the phase. "Ask" (--minutes): the whole model learns the answers.
- Losses of the second phase: the answers, plus training-only helpers dropped when the model is saved (see
  scene_batches): dense targets for the vision tower's patches and for the image tokens, the letters of the word
  read from the image tokens pooled by how much of each letter they cover, a probe that makes decoder layer
  --focus-layer know what each answer token is about (shape rank, letter index, ...), an attention target that
  makes heads of layer --look-layer look at the image tokens showing it, and an early read-out of the answer
  after layer --early-layer.
- Progress: every --log-every steps, teacher-forced exact match per question type on the batches just trained on
  (fresh scenes, so it is held-out accuracy: all argmaxes right = the greedy answer is right).
- Output: the model directory (bf16 weights), and training/train_log.jsonl and train_summary.json in it.
"""

from __future__ import annotations

import os

# On a shared machine OpenMP's spin-waiting makes two intra-op threads much slower than one; passive waiting keeps
# two threads useful. Must be set before torch loads.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import argparse
import functools
import json
import math
import platform
import random
import sys
import time
from pathlib import Path

import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader, IterableDataset

import tokenizers
from tokenizers import Tokenizer
import transformers
from transformers import Glm4vForConditionalGeneration

import data_parallel as dp
import glimpse_tiny as gt
import packed_forward as pf
import scene_batches as sb
from scenes.fonts import find_sans_fonts
from scenes.questions import QUESTION_TYPES
from scenes.render import COLOURS, SHAPES

TRAIN_SEED = 20251203        # batch k of a run is drawn from (seed, k); evaluation seeds are far away
INIT_SEED = 1234
HELPERS_FILE = "training/helpers.pt"   # the training-only heads, for --init-from
HEADS_LR = 2e-3                        # new helper heads learning alone (linear layers on trained features)


# ---------------------------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------------------------

class VisionBatches(IterableDataset):
    """Endless batches for the first phase: pixels and dense patch targets (scene_batches.vision_batch)."""

    def __init__(self, model_dir: Path, seed: int, images: int, busy: float, word_prob: float,
                 crop: int | None = None, rank: int = 0):
        self.model_dir, self.seed, self.images, self.busy, self.word_prob = model_dir, seed, images, busy, word_prob
        self.crop, self.rank = crop, rank

    def __iter__(self):
        torch.set_num_threads(1)
        processor, fonts = gt.load_processor(self.model_dir), find_sans_fonts()
        k = 0
        while True:
            rng = random.Random(f"glimpse-tiny-see:{self.seed}:{self.crop}:{k}:{self.rank}")
            yield sb.vision_batch(processor, fonts, rng, self.images, self.busy, self.word_prob, self.crop)
            k += 1


class Batches(IterableDataset):
    """Endless packed batches with their training-only targets."""

    def __init__(self, model_dir: Path, seed: int, images: int, word_prob: float, types, easy_steps: int,
                 rank: int = 0):
        self.model_dir, self.seed, self.images, self.rank = model_dir, seed, images, rank
        self.word_prob, self.types, self.easy_steps = word_prob, types, easy_steps

    def __iter__(self):
        torch.set_num_threads(1)
        maker = sb.ExampleMaker(gt.load_processor(self.model_dir), find_sans_fonts(), self.word_prob,
                                types=self.types)
        k = 0
        while True:
            rng = random.Random(f"glimpse-tiny-train:{self.seed}:{k}:{self.rank}")
            easy = (1, 2) if k < self.easy_steps else None
            batch, examples = maker.batch(rng, self.images, n_shapes=easy)
            n = batch.input_ids.shape[1]
            focus = sb.focus_rows(examples, n)
            yield {
                "batch": batch,
                "focus": focus,
                "look": sb.look_mask(examples, focus),
                "patch": {key: torch.cat([e.patch[key] for e in examples]) for key in examples[0].patch},
                "token": {key: torch.cat([e.token[key] for e in examples]) for key in examples[0].token},
                "spans": sb.answer_spans(batch, examples),
            }
            k += 1


# ---------------------------------------------------------------------------------------------------------------
# Training-only heads and losses
# ---------------------------------------------------------------------------------------------------------------

K, C, LET = 1 + len(SHAPES), 1 + len(COLOURS), 27
PATCH_GROUPS = list(sb.PATCH_CLASSES.items())
TOKEN_GROUPS = ([("kind", K), ("colour", C), ("rank", 5)] + [(f"slot{i}", LET) for i in range(sb.MAX_LETTERS)]
                + [("count", 4)] + [(f"has_{k}", 2) for k in SHAPES] + [("left", len(SHAPES)), ("right", len(SHAPES))])


class GroupHead(torch.nn.Module):
    """A linear layer whose output is several softmax groups (one cross-entropy each)."""

    def __init__(self, width: int, groups: list[tuple[str, int]]):
        super().__init__()
        self.groups = groups
        self.linear = torch.nn.Linear(width, sum(n for _, n in groups))

    def loss(self, z: torch.Tensor, targets: list[torch.Tensor], weights: dict[str, float] | None = None
             ) -> tuple[torch.Tensor, list[float]]:
        """Sum of the groups' cross-entropies of the logits ``z`` = ``self.linear(x)`` (times ``weights``, default
        1), and each one's value."""
        losses, total, at = [], 0.0, 0
        for (name, n), t in zip(self.groups, targets):
            loss = F.cross_entropy(z[:, at:at + n], t)
            losses.append(loss.item())
            total = total + (weights or {}).get(name, 1.0) * loss
            at += n
        return total, losses


def patch_targets(p: dict) -> list[torch.Tensor]:
    return [p[name] for name, _ in PATCH_GROUPS]


def patch_accuracy(head: GroupHead, z: torch.Tensor, targets: dict) -> dict[str, list[int]]:
    """Per group, [right, total] over the patches whose target is not "none" (``z``: the head's logits)."""
    out, at = {}, 0
    for name, n in head.groups:
        t = targets[name]
        sel = t > 0
        out[name] = [int((z[sel, at:at + n].argmax(-1) == t[sel]).sum()), int(sel.sum())]
        at += n
    return out


def token_targets(t: dict) -> list[torch.Tensor]:
    facts = t["facts"]
    return ([t["kind"], t["colour"], t["rank"]] + [t["slots"][:, i] for i in range(sb.MAX_LETTERS)]
            + [facts[:, i] for i in range(facts.shape[1])])


def look_mass(p: torch.Tensor, look: torch.Tensor, image: torch.Tensor, head: int) -> torch.Tensor:
    """[images, length] attention mass of ``head`` on each position's look targets (0 where there are none)."""
    out = torch.zeros(look.shape[:2])
    for b in range(p.shape[0]):
        img = image[b].nonzero().squeeze(-1)
        out[b] = (p[b, head][:, img] * look[b].float()).sum(-1)
    return out


def letter_loss(head: GroupHead, z: torch.Tensor, t: dict, images: int) -> torch.Tensor:
    """Each letter of each word read from the image tokens that show it: the coverage-weighted mean of their
    slot logits for the letter's index, against the letter. This asks for what a head that looks at those tokens
    can pass on, rather than for every sliver of a letter to name it alone. ``z``: the head's logits of the
    image tokens, ``images`` rows of them."""
    b, n = images, z.shape[0] // images
    start = sum(size for name, size in head.groups[:head.groups.index(("slot0", LET))])
    slots = z[:, start:start + sb.MAX_LETTERS * LET].view(b, n, sb.MAX_LETTERS, LET)
    cover = t["cover"].view(b, n, sb.MAX_LETTERS)
    word = t["word"].view(b, n, sb.MAX_LETTERS)[:, 0]                 # [b, 6] letter ids, 0 past the end
    weight = cover / cover.sum(1, keepdim=True).clamp(min=1e-6)
    pooled = torch.einsum("bns,bnsl->bsl", weight, slots)              # [b, 6, 27]
    present = word > 0
    if not present.any():
        return torch.zeros(())
    return F.cross_entropy(pooled[present], word[present])


def attention_loss(p: torch.Tensor, look: torch.Tensor, image: torch.Tensor, heads: tuple[int, ...]) -> torch.Tensor:
    """-log of the attention mass that ``heads`` put, from every position with a look target, on those tokens
    (``image``: [images, length] bool of the image tokens and the <|end_of_image|> after them)."""
    rows = look.any(-1)                                    # [b, n]
    if not rows.any():
        return torch.zeros(())
    losses = []
    for b in range(p.shape[0]):
        r = rows[b].nonzero().squeeze(-1)
        if len(r) == 0:
            continue
        img = image[b].nonzero().squeeze(-1)
        w = look[b, r].float()                             # [r, tokens]
        for h in heads:
            a = p[b, h][r][:, img]                         # [r, tokens]
            losses.append(-torch.log((a * w).sum(-1) + 1e-6))
    return torch.cat(losses).mean()


def exact_by_type(pred: torch.Tensor, target: torch.Tensor, where: torch.Tensor, spans) -> dict[str, list[int]]:
    """Teacher-forced exact match per question type: every argmax of the answer (think tags and stop included)
    right means greedy decoding writes exactly that answer."""
    ok = torch.zeros_like(where)
    ok[where] = pred == target
    hits = {t: [0, 0] for t in QUESTION_TYPES}
    for b, i, j, qtype in spans:
        sel = where[b, i:j + 1]
        hits[qtype][0] += bool(ok[b, i:j + 1][sel].all())
        hits[qtype][1] += 1
    return hits


FOCUS_GROUPS = {"item": range(sb.FOCUS_ITEM, sb.FOCUS_ITEM + 4),
                "letter": range(sb.FOCUS_LETTER, sb.FOCUS_LETTER + sb.MAX_LETTERS),
                "kind": range(sb.FOCUS_KIND, sb.FOCUS_KIND + len(SHAPES)), "side": range(sb.FOCUS_SIDE, sb.FOCUS_SIDE + 2),
                "count": range(sb.FOCUS_COUNT, sb.FOCUS_COUNT + 1)}


def by_focus_group(focus: torch.Tensor, values: torch.Tensor) -> dict[str, list[float]]:
    """Sum and count of ``values`` (one per position of ``focus``) per group of focus codes."""
    out = {}
    for name, codes in FOCUS_GROUPS.items():
        sel = (focus >= codes.start) & (focus < codes.stop)
        out[name] = [float(values[sel].sum()), int(sel.sum())]
    return out


def lr_at(progress: float, peak: float, warmup: float, floor: float) -> float:
    if progress < warmup:
        return peak * progress / warmup
    p = min(1.0, (progress - warmup) / (1 - warmup))
    return peak * (floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * p)))


@torch.no_grad()
def check_packing(model, processor, out: Path) -> float:
    """The packed forward against Glm4vForConditionalGeneration on two images of a non-square size."""
    maker = sb.ExampleMaker(processor, find_sans_fonts())
    batch, examples = maker.batch(random.Random(7), 2, size=(200, 260))
    rows = []
    for i, e in enumerate(examples):
        at = len(e.prefix)
        for s in e.segments:
            ids = torch.tensor([e.prefix + s.ids])
            inputs = {"input_ids": ids, "pixel_values": e.pixel_values,
                      "image_grid_thw": torch.tensor([list(e.grid)]),
                      "mm_token_type_ids": (ids == model.config.image_token_id).long(),
                      "attention_mask": torch.ones_like(ids)}
            rows.append({"image": i, "inputs": inputs,
                         "positions": list(range(len(e.prefix))) + list(range(at, at + len(s.ids)))})
            at += len(s.ids)
    return pf.check_against_model(model, batch, rows)


# ---------------------------------------------------------------------------------------------------------------
# Training
# ---------------------------------------------------------------------------------------------------------------

def see(model, patch_head: GroupHead, args, out: Path, ranks: dp.Ranks) -> None:
    """First phase: the vision tower and the patch head alone on busy pictures and scenes, until --see-minutes."""
    vis = model.model.visual
    params = list(vis.parameters()) + list(patch_head.parameters())
    groups: dict[tuple[float, float], list] = {}
    for name, p in list(vis.named_parameters()) + [("head." + n, p) for n, p in patch_head.named_parameters()]:
        wd = 0.0 if p.ndim < 2 or "embed" in name else args.weight_decay
        groups.setdefault((wd, 1.0), []).append(p)
    opt = torch.optim.AdamW([{"params": ps, "weight_decay": wd, "lr_mult": m} for (wd, m), ps in groups.items()],
                            lr=args.see_lr, betas=(0.9, 0.98), eps=1e-8)
    crop_part = args.crop_minutes / args.see_minutes if args.crop_minutes else 0.0

    def batches():
        """Crops for the first crop_part of the phase, then whole pictures."""
        if crop_part:
            for item in DataLoader(VisionBatches(out, args.seed, args.crop_images // ranks.world, args.busy,
                                                 args.word_prob, args.crop, ranks.rank),
                                   batch_size=None, num_workers=1, prefetch_factor=4):
                yield item
                if (time.time() - t0) / budget >= crop_part:
                    break
        yield from DataLoader(VisionBatches(out, args.seed, args.see_images // ranks.world, args.busy,
                                            args.word_prob, rank=ranks.rank),
                              batch_size=None, num_workers=1, prefetch_factor=4)
    data = batches()
    log = open(out / "training" / "see_log.jsonl", "w", encoding="utf-8") if ranks.main else None
    see_weights = {k: float(v) for k, v in (kv.split("=") for kv in args.see_weights.split(","))} \
        if args.see_weights else None
    budget = args.see_minutes * 60
    t0 = time.time()
    step, loss_sum, acc = 0, 0.0, {}
    for pixels, grid, targets in data:
        progress = ranks.shared((time.time() - t0) / budget)
        if progress >= 1.0:
            break
        lr = lr_at(progress, args.see_lr, 0.03, 0.1)
        for g in opt.param_groups:
            g["lr"] = lr * g["lr_mult"]
        patches, _ = pf.vision_forward(model, pixels, grid)
        z = patch_head.linear(patches.reshape(-1, patches.shape[-1]))
        # Local targets first: with the relational ones (rank, index in the word) from the start, the tower was still
        # at chance on shape kinds after 400 steps; without them it was past 90% (measured, 16 busy pictures a step).
        weights = dict(see_weights or {})
        if progress < args.relational_after:
            weights.update(rank=0.0, letter_index=0.0)
        elif progress < crop_part:
            weights.update(rank=0.0)           # a crop's shapes are mostly cut off: their order means nothing
        loss, _ = patch_head.loss(z, patch_targets(targets), weights)
        loss.backward()
        ranks.average_gradients(params)
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        step += 1
        loss_sum += loss.item()
        with torch.no_grad():
            for k, (r, n) in patch_accuracy(patch_head, z.detach(), targets).items():
                acc.setdefault(k, [0, 0])
                acc[k][0] += r
                acc[k][1] += n
        if step % args.log_every == 0:
            rec = {"see_step": step, "elapsed_s": round(time.time() - t0, 1), "lr": round(lr, 6),
                   "loss": round(loss_sum / args.log_every, 4),
                   "accuracy": {k: round(r / max(n, 1), 3) for k, (r, n) in acc.items()}}
            if ranks.main:
                print(json.dumps(rec), flush=True)
                log.write(json.dumps(rec) + "\n")
                log.flush()
            loss_sum, acc = 0.0, {}
    if log:
        log.close()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=gt.DEFAULT_OUT, help="model directory to write")
    ap.add_argument("--minutes", type=float, default=40.0,
                    help="second phase: minutes of questions and answers for the whole model (default 40)")
    ap.add_argument("--steps", type=int, default=10 ** 9, help="stop after this many steps (default: time only)")
    ap.add_argument("--images", type=int, default=16, help="images per step (default 16)")
    ap.add_argument("--lr", type=float, default=1e-3, help="peak learning rate (default 1e-3)")
    ap.add_argument("--warmup", type=float, default=0.03, help="warm-up fraction of the schedule")
    ap.add_argument("--qk-lr", type=float, default=3.0, help="learning-rate multiplier of queries and keys")
    ap.add_argument("--weight-decay", type=float, default=0.01, help="AdamW weight decay of the matrices")
    ap.add_argument("--word-prob", type=float, default=0.7, help="chance that a training scene has a word")
    ap.add_argument("--types", default="", help="only these question types (comma-separated; default all)")
    ap.add_argument("--easy-steps", type=int, default=0, help="first steps on scenes of one or two shapes")
    ap.add_argument("--patch-weight", type=float, default=1.0, help="weight of the vision patches' targets")
    ap.add_argument("--token-weight", type=float, default=1.0, help="weight of the image tokens' targets")
    ap.add_argument("--letter-weight", type=float, default=1.0, help="weight of the pooled letter targets")
    ap.add_argument("--focus-weight", type=float, default=0.5, help="weight of the decoder's focus probe")
    ap.add_argument("--look-weight", type=float, default=0.5, help="weight of the attention targets")
    ap.add_argument("--focus-layer", type=int, default=0, help="decoder layer whose output the focus probe reads")
    ap.add_argument("--look-layer", type=int, default=1, help="decoder layer with the attention targets")
    ap.add_argument("--look-heads", default="0,1", help="heads of --look-layer with attention targets")
    ap.add_argument("--early-layer", type=int, default=2, help="decoder layer whose output the early read-out uses")
    ap.add_argument("--early-weight", type=float, default=0.5, help="weight of the early read-out of the answers")
    ap.add_argument("--see-minutes", type=float, default=15.0,
                    help="first phase: minutes of dense patch targets for the vision tower alone (default 15)")
    ap.add_argument("--see-images", type=int, default=16, help="images per step in the first phase")
    ap.add_argument("--crop-minutes", type=float, default=8.0,
                    help="minutes of the first phase spent on small busy crops (default 8)")
    ap.add_argument("--crop", type=int, default=112, help="side of the crops, a multiple of 28 (default 112)")
    ap.add_argument("--crop-images", type=int, default=48, help="crops per step (default 48)")
    ap.add_argument("--see-lr", type=float, default=2e-3, help="peak learning rate of the first phase")
    ap.add_argument("--see-weights", default="", help="first phase: weights of patch groups, e.g. rank=0.5")
    ap.add_argument("--relational-after", type=float, default=0.4,
                    help="fraction of the first phase after which rank and letter-index targets join (default 0.4)")
    ap.add_argument("--busy", type=float, default=0.75, help="fraction of busy pictures in the first phase")
    ap.add_argument("--vision-lr", type=float, default=0.5,
                    help="second phase: learning-rate multiplier of the vision tower (default 0.5)")
    ap.add_argument("--seed", type=int, default=TRAIN_SEED, help=f"scene seed (default {TRAIN_SEED})")
    ap.add_argument("--init-from", type=Path, help="continue training this model directory: its weights and "
                    "its tokenizer (the default starts from scratch)")
    ap.add_argument("--heads-steps", type=int, default=60,
                    help="with --init-from a model saved without its helper heads: steps in which only new "
                         "helper heads learn (default 60)")
    ap.add_argument("--ranks", type=int, default=2,
                    help="training processes, each drawing its share of a step's images (default 2: one per core)")
    ap.add_argument("--threads", type=int, default=0,
                    help="intra-op threads of each process (default: 2 with one process, 1 with several)")
    ap.add_argument("--log-every", type=int, default=25)
    ap.add_argument("--save-every-minutes", type=float, default=10.0)
    args = ap.parse_args(argv)
    for name in ("images", "see_images", "crop_images"):
        if getattr(args, name) % args.ranks:
            ap.error(f"--{name.replace('_', '-')} {getattr(args, name)} does not split over --ranks {args.ranks}")

    t_start = time.time()
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    tok = training_tokenizer(args)
    gt.write_tokenizer_files(out, tok, gt.model_config(tok).text_config.max_position_embeddings)
    (out / "training").mkdir(exist_ok=True)
    dp.run(args.ranks, functools.partial(train, args, t_start))
    return 0


def training_tokenizer(args) -> Tokenizer:
    """A new domain tokenizer, or the one of the model training continues from: its embeddings are trained for
    its token ids, and wordings added since then just split into smaller pieces."""
    if args.init_from:
        return Tokenizer.from_file(str(args.init_from / "tokenizer.json"))
    return gt.build_tokenizer()


def train(args, t_start: float, ranks: dp.Ranks) -> None:
    """Both phases in this process, one of ``ranks``; rank 0 logs and writes the model directory."""
    torch.set_num_threads(args.threads or (2 if ranks.world == 1 else 1))
    # Sharp attention and small gradients produce denormal floats, which the CPU handles far slower: steps of the
    # trained model took 2.23 s without flushing them to zero and 1.94 s with it (measured, 2 ranks, 20 steps).
    torch.set_flush_denormal(True)
    torch.manual_seed(INIT_SEED)
    out: Path = args.out
    tok = Tokenizer.from_file(str(out / "tokenizer.json"))   # as main() wrote it for every rank
    cfg = gt.model_config(tok)
    processor = gt.load_processor(out)
    if args.init_from:
        model = gt.load_model(args.init_from)
        saved, wanted = model.config.to_dict(), cfg.to_dict()
        if any(saved[part] | {"dtype": None} != wanted[part] | {"dtype": None}
               for part in ("text_config", "vision_config")):
            raise SystemExit(f"--init-from {args.init_from}: its config is not glimpse_tiny.ARCH's; retrain instead")
    else:
        model = Glm4vForConditionalGeneration(cfg).to(torch.float32)
        gt.init_weights(model, INIT_SEED)
    # The decoder's value biases stay at zero: a head with one passes on the same vector wherever it attends, and
    # the answers' question-only prior is learnt through it before anything is read from the image.
    for layer in model.model.language_model.layers:
        layer.self_attn.v_proj.bias.requires_grad_(False)
    model.train()
    n_params = sum(p.numel() for p in model.parameters())
    if ranks.main:
        worst = check_packing(model, processor, out)
        print(f"parameters {n_params:,}; packed forward = model forward within {worst:.1e}; {ranks.world} "
              f"process(es) of {torch.get_num_threads()} thread(s)", flush=True)

    patch_head = GroupHead(cfg.vision_config.hidden_size, PATCH_GROUPS)
    token_head = GroupHead(cfg.text_config.hidden_size, TOKEN_GROUPS)
    focus_head = torch.nn.Linear(cfg.text_config.hidden_size, sb.FOCUS_CLASSES)
    early_head = torch.nn.Linear(cfg.text_config.hidden_size, cfg.text_config.vocab_size)
    look_heads = tuple(int(h) for h in args.look_heads.split(",")) if args.look_heads else ()
    helpers = torch.nn.ModuleList([patch_head, token_head, focus_head, early_head])
    heads_steps = 0
    if args.init_from:
        saved_helpers = args.init_from / HELPERS_FILE
        if saved_helpers.exists():
            helpers.load_state_dict(torch.load(saved_helpers))
        else:
            # Fresh helper heads are wrong about everything, and their large gradients would undo the model they
            # read from; they first learn alone.
            heads_steps = args.heads_steps
    # Queries and keys learn faster: where to look is what the answers wait for (measured: with the image tokens
    # showing the asked shape's colour at a loss of 0.06, colour answers stayed below 60% while the looking head
    # put half of its attention on the other shapes).
    groups: dict[tuple[float, float], list] = {}
    for name, p in list(model.named_parameters()) + [("helper." + n, p) for n, p in helpers.named_parameters()]:
        if not p.requires_grad:
            continue
        wd = 0.0 if p.ndim < 2 or "embed" in name else args.weight_decay
        qk = any(k in name for k in ("q_proj", "k_proj", "attn.qkv"))
        mult = (args.qk_lr if qk else 1.0) * (args.vision_lr if "visual" in name else 1.0)
        groups.setdefault((wd, mult), []).append(p)
    opt = torch.optim.AdamW([{"params": ps, "weight_decay": wd, "lr_mult": m} for (wd, m), ps in groups.items()],
                            lr=args.lr, betas=(0.9, 0.98), eps=1e-8)
    trained = [p for g in opt.param_groups for p in g["params"]]
    ranks.same_start(list(model.parameters()) + list(helpers.parameters()))

    t0 = time.time()
    if args.see_minutes > 0:
        see(model, patch_head, args, out, ranks)
    see_seconds = time.time() - t0

    types = tuple(args.types.split(",")) if args.types else QUESTION_TYPES
    data = DataLoader(Batches(out, args.seed, args.images // ranks.world, args.word_prob, types, args.easy_steps,
                              ranks.rank),
                      batch_size=None, num_workers=1, prefetch_factor=4, persistent_workers=True)
    train_dir = out / "training"

    def save() -> None:
        gt.save_model_dir(out, model, tok)
        torch.save(helpers.state_dict(), out / HELPERS_FILE)

    log_file = open(train_dir / "train_log.jsonl", "w", encoding="utf-8") if ranks.main else None
    budget = args.minutes * 60
    t0 = time.time()
    last_save = t0
    step = 0
    window = None
    image_id, end_image_id = cfg.image_token_id, cfg.image_end_token_id
    attention_layers = (args.look_layer,) if look_heads and args.look_weight > 0 else ()
    for item in data:
        elapsed = time.time() - t0
        progress = ranks.shared(max(step / args.steps, elapsed / budget))
        if progress >= 1.0:
            break
        fitting_heads = step < heads_steps
        lr = HEADS_LR if fitting_heads else lr_at(progress, args.lr, args.warmup, 0.05)
        for g in opt.param_groups:
            g["lr"] = lr * g["lr_mult"]
        batch: pf.PackedBatch = item["batch"]
        out_f = pf.forward(model, batch, attention_layers=attention_layers)
        where = batch.labels != -100
        logits = pf.logits_at(model, out_f, where)
        target = batch.labels[where]
        answer = F.cross_entropy(logits, target)
        parts = {"answer": answer}
        patch_z = patch_head.linear(out_f.vision_patches.reshape(-1, out_f.vision_patches.shape[-1]))
        token_z = token_head.linear(out_f.image_tokens.reshape(-1, out_f.image_tokens.shape[-1]))
        patch_loss, patch_parts = patch_head.loss(patch_z, patch_targets(item["patch"]))
        token_loss, token_parts = token_head.loss(token_z, token_targets(item["token"]))
        parts["patch"], parts["token"] = patch_loss, token_loss
        if args.letter_weight > 0:
            letters = letter_loss(token_head, token_z, item["token"], out_f.image_tokens.shape[0])
            parts["letters"] = letters
            token_loss = token_loss + args.letter_weight * letters
        focus = item["focus"]
        focus_z = focus_head(out_f.hidden[args.focus_layer][where])
        focus_loss = F.cross_entropy(focus_z, focus[where])
        parts["focus"] = focus_loss
        loss = answer + args.patch_weight * patch_loss + args.token_weight * token_loss \
            + args.focus_weight * focus_loss
        if args.early_weight > 0:
            # The answer read out right after the looking layer: what was looked at must already say it there,
            # rather than being left to the last layers to sort out.
            early = F.cross_entropy(early_head(out_f.hidden[args.early_layer][where]), target)
            parts["early"] = early
            loss = loss + args.early_weight * early
        looked_at = (batch.input_ids == image_id) | (batch.input_ids == end_image_id)
        if attention_layers:
            look_loss = attention_loss(out_f.attention[args.look_layer], item["look"], looked_at, look_heads)
            parts["look"] = look_loss
            loss = loss + args.look_weight * look_loss
        loss.backward()
        ranks.average_gradients(trained)
        if fitting_heads:
            for p in model.parameters():
                p.grad = None       # AdamW leaves a parameter without a gradient alone, moments included
        grad_norm = torch.nn.utils.clip_grad_norm_(trained, 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        step += 1

        with torch.no_grad():
            hits = exact_by_type(logits.argmax(-1), target, where, item["spans"])
            focus_ok = by_focus_group(focus[where], (focus_z.argmax(-1) == focus[where]).float())
            mass = by_focus_group(focus[where], look_mass(out_f.attention[args.look_layer], item["look"], looked_at,
                                                         look_heads[0])[where]) if attention_layers else {}
        if window is None:
            window = {"n": 0, "parts": {}, "hits": {t: [0, 0] for t in QUESTION_TYPES}, "grad": 0.0,
                      "focus_ok": {g: [0.0, 0] for g in FOCUS_GROUPS}, "mass": {g: [0.0, 0] for g in FOCUS_GROUPS},
                      "patch": [0.0] * len(PATCH_GROUPS), "token": [0.0] * len(TOKEN_GROUPS)}
        window["n"] += 1
        window["grad"] += float(grad_norm)
        for k, v in parts.items():
            window["parts"][k] = window["parts"].get(k, 0.0) + v.item()
        for t, (h, n) in hits.items():
            window["hits"][t][0] += h
            window["hits"][t][1] += n
        for key, got in (("focus_ok", focus_ok), ("mass", mass)):
            for g, (v, c) in got.items():
                window[key][g][0] += v
                window[key][g][1] += c
        window["patch"] = [a + b for a, b in zip(window["patch"], patch_parts)]
        window["token"] = [a + b for a, b in zip(window["token"], token_parts)]
        if step % args.log_every == 0:
            n = window["n"]
            rec = {"step": step, "elapsed_s": round(time.time() - t0, 1), "lr": round(lr, 6),
                   "loss": {k: round(v / n, 4) for k, v in window["parts"].items()},
                   "grad_norm": round(window["grad"] / n, 3),
                   "exact": {t: round(h / c, 3) for t, (h, c) in window["hits"].items() if c},
                   "focus_acc": {g: round(v / c, 3) for g, (v, c) in window["focus_ok"].items() if c},
                   "look_mass": {g: round(v / c, 3) for g, (v, c) in window["mass"].items() if c},
                   "patch": {g: round(v / n, 3) for (g, _), v in zip(PATCH_GROUPS, window["patch"])},
                   "token": {g: round(v / n, 3) for (g, _), v in zip(TOKEN_GROUPS, window["token"])}}
            if ranks.main:
                print(json.dumps(rec), flush=True)
                log_file.write(json.dumps(rec) + "\n")
                log_file.flush()
            window = None
        if ranks.main and time.time() - last_save > args.save_every_minutes * 60:
            save()
            last_save = time.time()

    train_seconds = time.time() - t0
    if not ranks.main:
        return
    model.eval()
    save()
    summary = {
        "steps": step, "images_per_step": args.images, "images": step * args.images,
        "see_seconds": round(see_seconds, 1), "ask_seconds": round(train_seconds, 1), "total_seconds": round(time.time() - t_start, 1),
        "arguments": {k: (str(v) if isinstance(v, Path) else v) for k, v in vars(args).items()},
        "init_seed": INIT_SEED, "parameters": n_params, "architecture": gt.ARCH,
        "processes": ranks.world, "threads_per_process": torch.get_num_threads(),
        "cpu": platform.processor() or platform.machine(), "cpu_count": os.cpu_count(),
        "load_average_at_end": os.getloadavg(),
        "versions": {"torch": torch.__version__, "transformers": transformers.__version__,
                     "tokenizers": tokenizers.__version__, "python": platform.python_version()},
    }
    (train_dir / "train_summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    sys.exit(main())
