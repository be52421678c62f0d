"""Train glimpse-tiny, the default model shipped in models/glimpse-tiny, on the synthetic scenes of models/scenes.

    cd models && /work/main/.venv-models/bin/python train_glimpse_tiny.py --out glimpse-tiny

CPU only (torch.set_num_threads(2)); never run in CI. Versions in models/requirements-train.txt.

- Model: transformers' Glm4vForConditionalGeneration (the GLM-4.6V-Flash class) at the size in glimpse_tiny.ARCH.
- Data: scenes rendered on the fly by one worker process (scene i of the run depends only on (seed, i)), turned
  into chat conversations with the real template and processor. A conversation holds one image and one to seven
  question turns (so the vision tower's cost is shared by several answers); the describe question, which names
  everything, comes last so earlier answers cannot copy from it. Thinking is on in half the conversations
  (the model learns to write an empty <think></think> first) and off (/nothink) in the other half.
- Losses: the answers (every answer weighs the same, whatever its length) plus training-only helpers that are
  dropped when the model is saved: dense per-patch targets for the vision tower (kind, colour, left-to-right rank
  of the shape under each patch, number of shapes, letters of the word), scene-level targets on every image token
  the decoder sees (the answer to each question type), attention targets for two heads of the decoder's last two
  layers (from each answer token, the image tokens of the shape or letter it names), and a penalty on the image
  tokens' common direction. The decoder's value biases stay at zero. Without these the decoder sits at the
  question-only prior for hundreds of steps: measured, the image changed the answer position's state by 0.06-0.8%
  of its norm, against ~15% with them.
- Curriculum: the first --easy-steps steps draw scenes of one or two shapes.
- Schedule: AdamW, linear warm-up then cosine decay; lm_head and the decoder's value/output projections learn
  --readout-lr times faster. Progress is the larger of step/steps and elapsed/time-budget, so a slow (shared)
  machine still ends with a fully decayed learning rate in the budget.
- Output: the model directory (bf16 weights), train_log.jsonl and train_summary.json next to it.
"""

from __future__ import annotations

import os

# On a shared machine OpenMP's spin-waiting makes two intra-op threads ~5x slower than one (measured: 18 s vs
# 3.6 s per step at load average 4); passive waiting keeps two threads useful. Must be set before torch loads.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import argparse
import json
import math
import platform
import random
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, IterableDataset

import tokenizers
import transformers
from transformers import Glm4vForConditionalGeneration

import glimpse_tiny as gt
from scenes.fonts import find_sans_fonts
from scenes.questions import QUESTION_TYPES, augment, make_question
from scenes.render import COLOURS, SHAPES, label_maps, render_scene, sample_scene

TRAIN_SEED = 20251128        # scenes of training run k use seed TRAIN_SEED + k; evaluation seeds are far away
INIT_SEED = 1234


# ---------------------------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------------------------

SINGLE_TURN_WEIGHTS = {"describe": 3, "text": 2, "count": 1, "color": 1, "exists": 1, "position": 1}


def conversation_turns(scene, rng: random.Random, types=None) -> list[tuple[str, str, str]]:
    """(question, answer, type) turns about one scene; ``types`` limits the question types."""
    if types is not None:
        turns = [t for t in conversation_turns(scene, rng) if t[2] in types]
        while not turns:
            turns = [t for t in conversation_turns(scene, rng) if t[2] in types]
        return turns
    def ask(qtype):
        q = make_question(scene, qtype, rng, "train")
        return None if q is None else (augment(rng, q.question), q.answer, q.type)

    if rng.random() < 0.3:
        types = [t for t in SINGLE_TURN_WEIGHTS if t != "text" or scene.word is not None]
        qtype = rng.choices(types, weights=[SINGLE_TURN_WEIGHTS[t] for t in types])[0]
        turn = ask(qtype)
        while turn is None:              # color without a shape that occurs once
            turn = ask("describe")
        return [turn]
    pool = ["count", "color", "color", "exists", "exists", "exists", "position", "position", "text", "text"]
    turns, seen = [], set()
    for qtype in pool:
        t = ask(qtype)
        if t is not None and t[0].lower() not in seen:
            seen.add(t[0].lower())
            turns.append(t)
    rng.shuffle(turns)
    turns = turns[:rng.randint(3, 8)]
    if rng.random() < 0.8:
        turns.append(ask("describe"))
    return turns


# Dense targets for the vision tower (auxiliary loss, training only): per 14x14 patch the kind, colour and
# left-to-right rank of the shape covering most of it, the number of shapes (every patch), and which letters of
# the word (index and letter) overlap it. They teach the tower what to see far faster than the answers alone;
# the auxiliary head is dropped when the model is saved.
KIND_CLASSES = 1 + len(SHAPES)
COLOUR_CLASSES = 1 + len(COLOURS)
RANK_CLASSES = 5
COUNT_CLASSES = 4
LETTER_SLOTS = 6 * 26
AUX_WIDTH = KIND_CLASSES + COLOUR_CLASSES + RANK_CLASSES + COUNT_CLASSES + LETTER_SLOTS
SHAPE_COVER, LETTER_COVER = 0.2, 0.15


def _block_order(a: np.ndarray) -> np.ndarray:
    """[gh, gw, ...] -> [gh*gw, ...] in the processor's row order (2x2 merge blocks in raster order)."""
    gh, gw = a.shape[:2]
    rest = a.shape[2:]
    b = a.reshape(gh // 2, 2, gw // 2, 2, *rest).swapaxes(1, 2)
    return b.reshape(gh * gw, *rest)


def patch_targets(scene, grid_thw, labels=None) -> dict[str, torch.Tensor]:
    _, gh, gw = (int(v) for v in grid_thw)
    size = (gw * 14, gh * 14)
    shape_map, letter_map = labels or label_maps(scene)
    s = np.asarray(shape_map.resize(size, Image.Resampling.NEAREST)).reshape(gh, 14, gw, 14)
    ordered = scene.left_to_right()
    rank = np.zeros((gh, gw), dtype=np.int64)
    best = np.zeros((gh, gw))
    for r in range(1, len(ordered) + 1):
        cover = (s == r).mean(axis=(1, 3))
        take = (cover >= SHAPE_COVER) & (cover > best)
        rank[take], best[take] = r, cover[take]
    kind_of = np.array([0] + [1 + SHAPES.index(x.kind) for x in ordered])
    colour_of = np.array([0] + [1 + list(COLOURS).index(x.colour) for x in ordered])
    letters = np.zeros((gh, gw, LETTER_SLOTS), dtype=np.float32)
    if scene.word is not None:
        m = np.asarray(letter_map.resize(size, Image.Resampling.NEAREST)).reshape(gh, 14, gw, 14)
        for i, ch in enumerate(scene.word.text):
            cover = (m == i + 1).mean(axis=(1, 3))
            letters[cover >= LETTER_COVER, i * 26 + ord(ch) - ord("A")] = 1.0
    return {"kind": torch.from_numpy(_block_order(kind_of[rank])),
            "colour": torch.from_numpy(_block_order(colour_of[rank])),
            "rank": torch.from_numpy(_block_order(rank)),
            "count": torch.full((gh * gw,), len(ordered) - 1, dtype=torch.long),
            "letters": torch.from_numpy(_block_order(letters))}


def make_aux_head(width: int) -> torch.nn.Linear:
    """Linear head on the vision tower's output. Letter slots start at a bias of -6 (their prior is ~0.3%):
    at 0 the 156 binary losses sum to ~108 per patch, and their gradient swamps the answers' at the start."""
    head = torch.nn.Linear(width, AUX_WIDTH)
    with torch.no_grad():
        head.weight.normal_(0, width ** -0.5)
        head.bias.zero_()
        head.bias[AUX_WIDTH - LETTER_SLOTS:] = -6.0
    return head


def aux_loss(head: torch.nn.Module, vision_out: torch.Tensor, t: dict) -> tuple[torch.Tensor, dict]:
    z = head(vision_out)
    a, b, c, d = KIND_CLASSES, KIND_CLASSES + COLOUR_CLASSES, KIND_CLASSES + COLOUR_CLASSES + RANK_CLASSES, \
        KIND_CLASSES + COLOUR_CLASSES + RANK_CLASSES + COUNT_CLASSES
    parts = {
        "kind": F.cross_entropy(z[:, :a], t["kind"]),
        "colour": F.cross_entropy(z[:, a:b], t["colour"]),
        "rank": F.cross_entropy(z[:, b:c], t["rank"]),
        "count": 0.5 * F.cross_entropy(z[:, c:d], t["count"]),
        "letters": F.binary_cross_entropy_with_logits(z[:, d:], t["letters"], reduction="sum") / len(z),
    }
    return sum(parts.values()), {k: v.item() for k, v in parts.items()}


# Scene-level targets for every image token the decoder sees (the merger's output): the answer to each question type
# in one vector, so that reading any image token, or their average, gives it. Without them the decoder stays at
# the question-only prior for hundreds of steps (measured: answers' loss with a blank image within 2-10% of the
# loss with the real one after 250 steps), because it must learn where to look and what to read at the same time.
GLOBAL_GROUPS = ([("count", 4)] + [(f"has_{k}", 2) for k in SHAPES] + [(f"colour_{k}", 1 + len(COLOURS)) for k in SHAPES]
                 + [("left", 1 + len(SHAPES)), ("right", 1 + len(SHAPES))]
                 + [(f"rank{r}_kind", 1 + len(SHAPES)) for r in range(4)]
                 + [(f"rank{r}_colour", 1 + len(COLOURS)) for r in range(4)]
                 + [(f"letter{i}", 27) for i in range(6)])
GLOBAL_WIDTH = sum(n for _, n in GLOBAL_GROUPS)


def global_targets(scene) -> torch.Tensor:
    """One class index per group of GLOBAL_GROUPS (0 = none / not unique)."""
    ordered = scene.left_to_right()
    kinds = [x.kind for x in ordered]
    colours = list(COLOURS)
    t = {"count": len(ordered) - 1}
    for k in SHAPES:
        t[f"has_{k}"] = int(k in kinds)
        t[f"colour_{k}"] = 1 + colours.index(ordered[kinds.index(k)].colour) if kinds.count(k) == 1 else 0
    t["left"] = 1 + SHAPES.index(kinds[0])
    t["right"] = 1 + SHAPES.index(kinds[-1])
    for r in range(4):
        t[f"rank{r}_kind"] = 1 + SHAPES.index(kinds[r]) if r < len(kinds) else 0
        t[f"rank{r}_colour"] = 1 + colours.index(ordered[r].colour) if r < len(kinds) else 0
    word = scene.word.text if scene.word is not None else ""
    for i in range(6):
        t[f"letter{i}"] = 1 + ord(word[i]) - ord("A") if i < len(word) else 0
    return torch.tensor([t[name] for name, _ in GLOBAL_GROUPS], dtype=torch.long)


def global_loss(head: torch.nn.Module, tokens: torch.Tensor, per_image: list[int], t: torch.Tensor) -> torch.Tensor:
    """Mean over groups of the cross-entropy of every image token against its image's scene targets."""
    z = head(tokens)
    target = torch.repeat_interleave(t, torch.tensor(per_image), dim=0)
    loss, at = 0.0, 0
    for g, (_, n) in enumerate(GLOBAL_GROUPS):
        loss = loss + F.cross_entropy(z[:, at:at + n], target[:, g])
        at += n
    return loss / len(GLOBAL_GROUPS)


# Attention targets (training only): for every answer, the image tokens that hold it. One head in each of the
# decoder's last two layers is taught to look there from the positions that predict the answer. Without it the
# decoder spends hundreds of steps at the question-only prior (measured: image tokens held 10-40% of every head's
# attention, spread evenly, and answers' loss with a blank image was within 2-10% of the real one), because where
# to look and what to read must be found at the same time and each gives the other no gradient until both exist.
ATTENTION_HEADS = (0,)
ATTENTION_LAYERS = (1, 2)


def token_maps(scene, grid_thw, labels=None) -> tuple[np.ndarray, np.ndarray, list[np.ndarray]]:
    """Per image token (2x2 patches, processor order): the left-to-right rank of a shape it shows (0: none),
    whether it shows part of the word, and for each letter of the word whether it shows that letter. ``labels``:
    label_maps(scene), when the caller has them already."""
    _, gh, gw = (int(v) for v in grid_thw)
    size = (gw * 14, gh * 14)
    shape_map, letter_map = labels or label_maps(scene)
    s = np.asarray(shape_map.resize(size, Image.Resampling.NEAREST)).reshape(gh // 2, 28, gw // 2, 28)
    m = np.asarray(letter_map.resize(size, Image.Resampling.NEAREST)).reshape(gh // 2, 28, gw // 2, 28)
    rank = np.zeros((gh // 2, gw // 2), dtype=np.int64)
    best = np.zeros((gh // 2, gw // 2))
    for r in range(1, len(scene.shapes) + 1):
        cover = (s == r).mean(axis=(1, 3))
        take = (cover > 0.05) & (cover > best)
        rank[take], best[take] = r, cover[take]
    word = (m > 0).mean(axis=(1, 3)) > 0.03
    letters = [((m == i + 1).mean(axis=(1, 3)) > 0.02).reshape(-1)
               for i in range(len(scene.word.text) if scene.word else 0)]
    return rank.reshape(-1), word.reshape(-1), letters


def answer_items(answer: str) -> list[tuple[int, int]]:
    """Character spans of the items of a describe answer ("a red circle, a blue square and the word CAT")."""
    spans, start = [], 0
    for part in answer.replace(" and ", ", ").split(", "):
        i = answer.index(part, start)
        spans.append((i, i + len(part)))
        start = i + len(part)
    return spans


def look_targets(scene, turns, ids: torch.Tensor, labels: torch.Tensor, maps, decode) -> torch.Tensor:
    """[sequence, image tokens] bool: for each position that predicts an answer token, the image tokens to look at.
    Describe answers look at the shape (or the word) each item names, text answers at the letter being written,
    the others at the shapes or the word their answer depends on; think tags and the closing token look nowhere."""
    rank, word, letters = maps
    kinds = [x.kind for x in scene.left_to_right()]
    out = torch.zeros((len(ids), len(rank)), dtype=torch.bool)
    supervised = (labels != -100).tolist()
    t, turn = 0, -1
    while t < len(ids):
        if not supervised[t]:
            t += 1
            continue
        turn += 1
        question, answer, qtype = turns[turn]
        default = relevant_tokens(scene, question, qtype, rank, word)
        items = answer_items(answer) if qtype == "describe" else None
        text = ""
        while t < len(ids) and supervised[t]:
            piece = decode(int(ids[t]))
            body = piece if piece.strip() and not piece.startswith("<") else None
            if body is not None:
                at = len(text) + (len(body) - len(body.lstrip()))
                text += piece
                if qtype == "describe":
                    k = sum(1 for _, end in items if end <= at)
                    where = (rank == k + 1) if k < len(kinds) else word
                elif qtype == "text":
                    covered = [letters[i] for i in range(at, min(len(text), len(letters)))]
                    where = np.logical_or.reduce(covered) if covered else word
                else:
                    where = default
                out[t - 1] = torch.from_numpy(np.asarray(where, dtype=bool))
            elif piece.strip() == "" and t > 0:
                text += piece
            t += 1
    return out


def relevant_tokens(scene, question: str, qtype: str, rank: np.ndarray, word: np.ndarray) -> np.ndarray:
    kinds = [x.kind for x in scene.left_to_right()]
    q = question.lower()
    asked = next((k for k in SHAPES if k in q), None)
    shapes = rank > 0
    if qtype == "color" or (qtype == "exists" and asked in kinds):
        ranks = [i + 1 for i, k in enumerate(kinds) if k == asked]
        return np.isin(rank, ranks)
    if qtype == "position":
        return rank == (1 if "left" in q else len(kinds))
    if qtype == "text":
        return word
    if qtype == "describe":
        return shapes | word
    return shapes            # count; exists for an absent kind


class SceneConversations(IterableDataset):
    """Endless batches of encoded conversations; batch k holds scenes k*B ... k*B+B-1 of the seed."""

    def __init__(self, model_dir: Path, seed: int, batch_size: int, start_batch: int, word_prob: float,
                 easy_batches: int = 0):
        self.model_dir, self.seed, self.batch_size = model_dir, seed, batch_size
        self.start_batch, self.word_prob, self.easy_batches = start_batch, word_prob, easy_batches
        self.types = None

    def __iter__(self):
        torch.set_num_threads(1)
        fonts = find_sans_fonts()
        processor = gt.load_processor(self.model_dir)
        encoder = gt.ConversationEncoder(processor)
        vocab = processor.tokenizer
        decode = lambda i: vocab.decode([i])
        pad = encoder.ids["<|endoftext|>"]
        k = self.start_batch
        while True:
            examples, spans, targets, scene_targets, looks = [], [], [], [], []
            for j in range(self.batch_size):
                rng = random.Random(f"glimpse-tiny-train:{self.seed}:{k * self.batch_size + j}")
                if k < self.easy_batches:     # curriculum: one or two shapes, fewer words
                    scene = sample_scene(rng, fonts, n_shapes=rng.randint(1, 2), word_prob=self.word_prob / 2)
                else:
                    scene = sample_scene(rng, fonts, word_prob=self.word_prob)
                turns = conversation_turns(scene, rng, self.types)
                thinking = rng.random() < 0.5
                ex = encoder.encode(render_scene(scene), [(q, a) for q, a, _ in turns], thinking)
                examples.append(ex)
                labels = label_maps(scene)      # drawn once for both kinds of targets
                targets.append(patch_targets(scene, ex["image_grid_thw"][0], labels))
                scene_targets.append(global_targets(scene))
                maps = token_maps(scene, ex["image_grid_thw"][0], labels)
                looks.append(look_targets(scene, turns, ex["input_ids"], ex["labels"], maps, decode))
                spans.append([t for _, _, t in turns])
            batch = gt.collate(examples, pad)
            batch["turn_types"] = spans
            batch["aux"] = {k: torch.cat([t[k] for t in targets]) for k in targets[0]}
            batch["scene"] = torch.stack(scene_targets)
            batch["looks"] = looks
            yield batch
            k += 1


def answer_spans(labels: torch.Tensor):
    """(row, first, last) of each contiguous run of supervised tokens, in order."""
    out = []
    for b, row in enumerate((labels != -100).tolist()):
        i = 0
        while i < len(row):
            if row[i]:
                j = i
                while j + 1 < len(row) and row[j + 1]:
                    j += 1
                out.append((b, i, j))
                i = j + 1
            else:
                i += 1
    return out


def answer_loss(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """Mean over answers of each answer's mean token loss. A plain token mean lets the long describe answers
    (mostly predictable words between the colours and kinds) outweigh the one-word answers, whose every token
    depends on the image."""
    target = labels[:, 1:]
    ce = F.cross_entropy(logits[:, :-1].float().transpose(1, 2), target.clamp(min=0), reduction="none")
    weights = torch.zeros_like(ce)
    spans = answer_spans(target)
    for b, i, j in spans:
        weights[b, i:j + 1] = 1.0 / (j + 1 - i)
    return (ce * weights).sum() / max(1, len(spans))


def attention_loss(attentions, input_ids, looks, image_token_id: int) -> torch.Tensor:
    """-log of the attention mass that ATTENTION_HEADS of ATTENTION_LAYERS put on the image tokens each answer
    position should look at (look_targets)."""
    losses = []
    for b, want in enumerate(looks):
        rows = want.any(-1).nonzero().squeeze(-1)
        if len(rows) == 0:
            continue
        image_pos = (input_ids[b] == image_token_id).nonzero().squeeze(-1)
        w = want[rows].float()
        for layer in ATTENTION_LAYERS:
            for head in ATTENTION_HEADS:
                a = attentions[layer][b, head][rows][:, image_pos]
                losses.append(-torch.log((a * w).sum(-1) + 1e-6))
    return torch.cat(losses).mean() if losses else torch.zeros(())


def exact_by_type(logits: torch.Tensor, labels: torch.Tensor, turn_types) -> dict[str, list[int]]:
    """Teacher-forced exact match of every answer in the batch: all its tokens are the argmax."""
    pred = logits[:, :-1].argmax(-1)
    target = labels[:, 1:]
    hits: dict[str, list[int]] = {t: [0, 0] for t in QUESTION_TYPES}
    spans = answer_spans(target)
    per_row: dict[int, int] = {}
    for b, i, j in spans:
        k = per_row.get(b, 0)
        per_row[b] = k + 1
        qtype = turn_types[b][k]
        ok = bool((pred[b, i:j + 1] == target[b, i:j + 1]).all())
        hits[qtype][0] += ok
        hits[qtype][1] += 1
    return hits


# ---------------------------------------------------------------------------------------------------------------
# Training
# ---------------------------------------------------------------------------------------------------------------

def lr_at(progress: float, peak: float, warmup: float, floor: float) -> float:
    if progress < warmup:
        return peak * progress / warmup
    p = min(1.0, (progress - warmup) / (1 - warmup))
    return peak * (floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * p)))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", type=Path, default=gt.DEFAULT_OUT, help="model directory to write")
    ap.add_argument("--steps", type=int, default=100000, help="optimizer steps (default: as many as the time budget allows)")
    ap.add_argument("--minutes", type=float, default=55.0, help="time budget for the training loop (default 55)")
    ap.add_argument("--batch-size", type=int, default=8, help="conversations per step (default 8)")
    ap.add_argument("--lr", type=float, default=2e-3, help="peak learning rate (default 2e-3)")
    ap.add_argument("--attention-heads", default="0,1", help="decoder heads given attention targets (default 0,1)")
    ap.add_argument("--readout-lr", type=float, default=4.0,
                    help="learning-rate multiplier of lm_head and the decoder's v/o projections (default 4)")
    ap.add_argument("--centre-weight", type=float, default=1.0,
                    help="weight of the penalty on the image tokens' common direction (default 1)")
    ap.add_argument("--types", default="", help="only these question types (comma-separated; default all)")
    ap.add_argument("--weight-decay", type=float, default=0.0, help="AdamW weight decay of the matrices (default 0)")
    ap.add_argument("--warmup", type=float, default=0.04, help="warm-up fraction of the schedule (default 0.04)")
    ap.add_argument("--word-prob", type=float, default=0.7, help="chance that a training scene has a word")
    ap.add_argument("--aux-weight", type=float, default=0.5, help="weight of the vision tower's dense loss")
    ap.add_argument("--easy-steps", type=int, default=150,
                    help="first steps on scenes of one or two shapes (curriculum; default 150)")
    ap.add_argument("--attention-weight", type=float, default=0.5,
                    help="weight of the attention targets (0 turns them off; they need eager attention)")
    ap.add_argument("--per-answer", type=int, default=1, help="1: every answer weighs the same in the loss")
    ap.add_argument("--scene-weight", type=float, default=1.0,
                    help="weight of the scene-level targets on the image tokens, relative to the dense loss")
    ap.add_argument("--seed", type=int, default=TRAIN_SEED, help=f"scene seed (default {TRAIN_SEED})")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--log-every", type=int, default=20)
    ap.add_argument("--save-every-minutes", type=float, default=10.0)
    args = ap.parse_args(argv)
    global ATTENTION_HEADS
    ATTENTION_HEADS = tuple(int(h) for h in args.attention_heads.split(","))

    t_start = time.time()
    torch.set_num_threads(args.threads)
    torch.manual_seed(INIT_SEED)
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    tok = gt.build_tokenizer()
    cfg = gt.model_config(tok)
    gt.write_tokenizer_files(out, tok, cfg.text_config.max_position_embeddings)
    cfg._attn_implementation = "eager" if args.attention_weight > 0 else "sdpa"
    cfg.text_config._attn_implementation = cfg.vision_config._attn_implementation = cfg._attn_implementation
    model = Glm4vForConditionalGeneration(cfg).to(torch.float32)
    gt.init_weights(model, INIT_SEED)
    # The decoder's value biases stay at zero: with them a head passes on the same vector wherever it attends, and
    # the answers' prior is learnt through them first (measured: value vectors 98% bias after 90 steps, the attended
    # shape's colour 2% of them).
    for layer in model.model.language_model.layers:
        layer.self_attn.v_proj.bias.requires_grad_(False)
    model.train()
    n_params = sum(p.numel() for p in model.parameters())
    print(f"parameters {n_params:,}; tokenizer {tok.get_vocab_size()} (config vocab {cfg.text_config.vocab_size})",
          flush=True)

    aux_head = make_aux_head(cfg.vision_config.hidden_size)
    vision_out = {}
    model.model.visual.post_layernorm.register_forward_hook(lambda m, i, o: vision_out.__setitem__("h", o))
    model.model.visual.merger.register_forward_hook(lambda m, i, o: vision_out.__setitem__("tokens", o))
    scene_head = torch.nn.Linear(cfg.text_config.hidden_size, GLOBAL_WIDTH)
    # The read-out path from the attended image tokens to the answer learns at a higher rate: it must grow a small
    # image-dependent part of the answer position's state (measured 0.4-2% of its norm) into whole logits.
    groups: dict[tuple[bool, float], list] = {}
    for name, p in (list(model.named_parameters()) + [("aux." + n, p) for n, p in aux_head.named_parameters()]
                    + [("scene." + n, p) for n, p in scene_head.named_parameters()]):
        if not p.requires_grad:
            continue
        no_decay = p.ndim < 2 or "norm" in name or "embed" in name
        mult = args.readout_lr if (name.startswith("lm_head") or ("language_model.layers" in name and any(
            k in name for k in ("o_proj", "v_proj")))) else 1.0
        groups.setdefault((no_decay, mult), []).append(p)
    opt = torch.optim.AdamW([{"params": ps, "weight_decay": 0.0 if nd else args.weight_decay, "lr_mult": m}
                             for (nd, m), ps in groups.items()], lr=args.lr, betas=(0.9, 0.98), eps=1e-8)

    dataset = SceneConversations(out, args.seed, args.batch_size, 0, args.word_prob, args.easy_steps)
    dataset.types = set(args.types.split(",")) if args.types else None
    data = DataLoader(dataset, batch_size=None,
                      num_workers=1, prefetch_factor=6, persistent_workers=True)
    log_file = open(out.parent / f"{out.name}-train_log.jsonl", "w", encoding="utf-8")
    budget = args.minutes * 60
    t0 = time.time()
    last_save = t0
    window = {"loss": 0.0, "n": 0, "hits": {t: [0, 0] for t in QUESTION_TYPES}, "tokens": 0, "aux": {}}
    step = 0
    progress = 0.0
    for batch in data:
        elapsed = time.time() - t0
        progress = max(step / args.steps, elapsed / budget)
        if progress >= 1.0:
            break
        lr = lr_at(progress, args.lr, args.warmup, 0.05)
        for g in opt.param_groups:
            g["lr"] = lr * g["lr_mult"]
        turn_types = batch.pop("turn_types")
        targets = batch.pop("aux")
        scene_t = batch.pop("scene")
        looks = batch.pop("looks")
        outputs = model(**batch, output_attentions=args.attention_weight > 0)
        aux, aux_parts = aux_loss(aux_head, vision_out.pop("h"), targets)
        per_image = [int(t * h * w) // 4 for t, h, w in batch["image_grid_thw"].tolist()]
        tokens_for_centre = vision_out.pop("tokens")
        scene_loss = global_loss(scene_head, tokens_for_centre, per_image, scene_t)
        aux_parts["scene"] = scene_loss.item()
        if args.centre_weight > 0:
            # Image tokens as the decoder reads them (RMS-normalised) should differ between images more than they
            # share: a large common part drowns what an attending head passes on (measured: 80% of the norm).
            normed = F.normalize(tokens_for_centre, dim=-1)
            centre_loss = normed.mean(0).pow(2).sum()
            aux_parts["centre"] = centre_loss.item()
        else:
            centre_loss = 0.0
        if args.attention_weight > 0:
            look_loss = attention_loss(outputs.attentions, batch["input_ids"], looks, cfg.image_token_id)
            aux_parts["look"] = look_loss.item()
            loss_look = args.attention_weight * look_loss
        else:
            loss_look = 0.0
        lm_loss = answer_loss(outputs.logits, batch["labels"]) if args.per_answer else outputs.loss
        loss = lm_loss + args.aux_weight * (aux + args.scene_weight * scene_loss) + loss_look \
            + args.centre_weight * centre_loss
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        torch.nn.utils.clip_grad_norm_(aux_head.parameters(), 1.0)
        torch.nn.utils.clip_grad_norm_(scene_head.parameters(), 1.0)
        opt.step()
        opt.zero_grad(set_to_none=True)
        step += 1
        window["loss"] += outputs.loss.item()
        for k, v in aux_parts.items():
            window["aux"][k] = window["aux"].get(k, 0.0) + v
        window["n"] += 1
        window["tokens"] += int(batch["attention_mask"].sum())
        with torch.no_grad():
            for t, (h, n) in exact_by_type(outputs.logits.detach(), batch["labels"], turn_types).items():
                window["hits"][t][0] += h
                window["hits"][t][1] += n
        if step % args.log_every == 0:
            el = time.time() - t0
            acc = {t: round(h / n, 3) for t, (h, n) in window["hits"].items() if n}
            rec = {"step": step, "elapsed_s": round(el, 1), "lr": lr, "loss": window["loss"] / window["n"],
                   "aux": {k: round(v / window["n"], 4) for k, v in window["aux"].items()},
                   "tokens_per_step": window["tokens"] / window["n"], "teacher_forced_exact": acc}
            print(json.dumps(rec), flush=True)
            log_file.write(json.dumps(rec) + "\n")
            log_file.flush()
            window = {"loss": 0.0, "n": 0, "hits": {t: [0, 0] for t in QUESTION_TYPES}, "tokens": 0, "aux": {}}
        if time.time() - last_save > args.save_every_minutes * 60:
            gt.save_model_dir(out, model, tok)
            last_save = time.time()

    train_seconds = time.time() - t0
    model.eval()
    gt.save_model_dir(out, model, tok)
    summary = {
        "steps": step, "planned_steps": args.steps, "batch_size": args.batch_size,
        "conversations": step * args.batch_size, "train_loop_seconds": round(train_seconds, 1),
        "total_seconds": round(time.time() - t_start, 1), "stopped_by": "steps" if step >= args.steps else "time",
        "peak_lr": args.lr, "warmup": args.warmup, "word_prob": args.word_prob, "aux_weight": args.aux_weight, "scene_seed": args.seed,
        "init_seed": INIT_SEED, "parameters": n_params, "architecture": gt.ARCH, "threads": args.threads,
        "cpu": platform.processor() or platform.machine(), "cpu_count": os.cpu_count(),
        "load_average_at_end": os.getloadavg(),
        "versions": {"torch": torch.__version__, "transformers": transformers.__version__,
                     "tokenizers": tokenizers.__version__, "python": platform.python_version()},
    }
    (out.parent / f"{out.name}-train_summary.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(json.dumps(summary, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
