"""Training batches for glimpse-tiny: scenes drawn on the fly, their questions packed after one copy of the image,
and the training-only targets that teach the model where to look.

One training example is one image with several questions, each asked alone (``packed_forward`` keeps them from
seeing each other) with thinking on or off. Every batch holds images of one size, so the vision tower runs as one
tensor. Besides the answers, an example carries:

- ``patch``: per 14x14 patch of the resized image, the shape (kind, colour, left-to-right rank) and the letter
  (identity, index in the word) that cover most of it;
- ``token``: per image token (2x2 patches, what the decoder reads), the same for the shape it shows, for each of
  the word's six letter slots the letter it shows there, and the scene's facts every token should know (number of
  shapes, which kinds occur, the leftmost and rightmost kind);
- ``focus``: per position that predicts an answer token, what the answer is about there: shape rank 1-4, letter
  1-6 of the word, the word as a whole, or nothing in particular. The decoder is taught to know it (a probe) and
  to look at the image tokens that show it (an attention target).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np
import torch
from PIL import Image

from packed_forward import PackedBatch
from scenes.questions import QUESTION_TYPES, augment, make_question
from scenes.busy import RANK_CAP, busy_picture
from scenes.render import COLOURS, SHAPES, label_maps, render_scene, sample_scene, sample_size

COLOUR_NAMES = list(COLOURS)
MAX_LETTERS = 6
# focus codes: 0 nothing in particular, then item 1-4 of a description (the shapes left to right), letter 1-6 of
# the word, the word as a whole, the shape kind asked about, the side asked about (left, right), the count
FOCUS_ITEM = 1
FOCUS_LETTER = 5
FOCUS_WORD = 11
FOCUS_KIND = 12
FOCUS_SIDE = 16
FOCUS_COUNT = 18      # how many shapes: look at the last one from the left (its rank is the count)
FOCUS_CLASSES = 19
SHAPE_COVER_PATCH, LETTER_COVER_PATCH = 0.2, 0.15
SHAPE_COVER_TOKEN, LETTER_COVER_TOKEN = 0.05, 0.03

# Question types of a training image, drawn with these weights (an image gets several distinct ones).
TYPE_WEIGHTS = {"describe": 3, "text": 3, "count": 1, "color": 2, "exists": 2, "position": 2}


@dataclass
class Segment:
    ids: list[int]
    labels: list[int]          # per position: the id it predicts, or -100
    focus: list[int]           # per position: focus code of what it predicts (0 where nothing is predicted)
    qtype: str


@dataclass
class Example:
    pixel_values: torch.Tensor     # [patches, 1176]
    grid: tuple[int, int, int]
    prefix: list[int]              # ids up to and including <|end_of_image|>
    image_start: int               # index of the first image token in prefix
    segments: list[Segment]
    patch: dict[str, torch.Tensor]
    token: dict[str, torch.Tensor]
    token_rank: np.ndarray         # [tokens] shape rank shown (0 none)
    token_letters: np.ndarray      # [tokens, 6] bool: letter i shown
    kinds: list[str]               # the shapes' kinds, left to right


def block_order(a: np.ndarray) -> np.ndarray:
    """[gh, gw, ...] patch grid -> [gh*gw, ...] rows in the processor's order (2x2 merge blocks, raster)."""
    gh, gw = a.shape[:2]
    rest = a.shape[2:]
    return a.reshape(gh // 2, 2, gw // 2, 2, *rest).swapaxes(1, 2).reshape(gh * gw, *rest)


def _cover(label: np.ndarray, cell: int, value: int) -> np.ndarray:
    """Fraction of each cell x cell block of ``label`` equal to ``value``."""
    h, w = label.shape
    return (label.reshape(h // cell, cell, w // cell, cell) == value).mean(axis=(1, 3))


def _dominant(label: np.ndarray, cell: int, classes: int, threshold: float) -> np.ndarray:
    """Per cell x cell block of ``label``, the non-zero value covering most of it (at least ``threshold``), else 0."""
    h, w = label.shape
    blocks = label.reshape(h // cell, cell, w // cell, cell).swapaxes(1, 2).reshape(h // cell, w // cell, -1)
    counts = np.stack([(blocks == v).sum(-1) for v in range(1, classes)], axis=-1)
    best = counts.argmax(-1) + 1
    best[counts.max(-1) < threshold * cell * cell] = 0
    return best


# Per-patch classes of the vision tower's dense targets (0 is always "none").
PATCH_CLASSES = {"kind": 1 + len(SHAPES), "colour": 1 + len(COLOURS), "rank": 1 + RANK_CAP, "letter": 27,
                 "letter_index": 1 + MAX_LETTERS}


def resized_maps(maps: dict[str, np.ndarray], grid) -> dict[str, np.ndarray]:
    """Per-pixel label maps resized (nearest) to the image the processor makes for ``grid``."""
    _, gh, gw = grid
    size = (gw * 14, gh * 14)
    return {name: np.asarray(Image.fromarray(m).resize(size, Image.Resampling.NEAREST)) for name, m in maps.items()}


def patch_targets(maps: dict[str, np.ndarray], grid) -> dict[str, torch.Tensor]:
    """Dense targets per 14x14 patch of the image resized to ``grid``, in the processor's patch order, from
    per-pixel label maps (``scene_maps`` or ``scenes.busy``)."""
    return _patch_targets(resized_maps(maps, grid))


def _patch_targets(resized: dict[str, np.ndarray]) -> dict[str, torch.Tensor]:
    out = {}
    for name, classes in PATCH_CLASSES.items():
        threshold = LETTER_COVER_PATCH if name.startswith("letter") else SHAPE_COVER_PATCH
        out[name] = torch.from_numpy(block_order(_dominant(resized[name], 14, classes, threshold)))
    return out


@dataclass
class SceneItems:
    """A scene's shapes left to right and its word, as lookup tables indexed by rank / letter index (0: none)."""
    ordered: list
    word: str
    kind_of: np.ndarray
    colour_of: np.ndarray
    letter_of: np.ndarray

    @staticmethod
    def of(scene) -> "SceneItems":
        ordered = scene.left_to_right()
        word = scene.word.text if scene.word is not None else ""
        return SceneItems(ordered, word,
                          np.array([0] + [1 + SHAPES.index(x.kind) for x in ordered], dtype=np.uint8),
                          np.array([0] + [1 + COLOUR_NAMES.index(x.colour) for x in ordered], dtype=np.uint8),
                          np.array([0] + [1 + ord(c) - ord("A") for c in word], dtype=np.uint8))


def scene_maps(scene, items: SceneItems | None = None) -> dict[str, np.ndarray]:
    """The label maps of a domain scene in the form of ``scenes.busy``: kind, colour, rank, letter, letter_index."""
    items = items or SceneItems.of(scene)
    shape_map, letter_map = label_maps(scene)
    rank = np.asarray(shape_map)
    index = np.asarray(letter_map)
    return {"kind": items.kind_of[rank], "colour": items.colour_of[rank], "rank": rank,
            "letter": items.letter_of[index], "letter_index": index}


def scene_targets(scene, grid) -> tuple[dict, dict, np.ndarray, np.ndarray]:
    """(patch targets, token targets, token rank, token letters) for the scene resized to ``grid``."""
    items = SceneItems.of(scene)
    resized = resized_maps(scene_maps(scene, items), grid)
    patch = _patch_targets(resized)
    n, word = len(items.ordered), items.word
    kind_of, colour_of = items.kind_of.astype(np.int64), items.colour_of.astype(np.int64)
    letter_of = items.letter_of.astype(np.int64)

    t_rank = _dominant(resized["rank"], 28, n + 1, SHAPE_COVER_TOKEN).reshape(-1)
    cover = np.zeros((len(t_rank), MAX_LETTERS), dtype=np.float32)
    for i in range(len(word)):
        cover[:, i] = _cover(resized["letter_index"], 28, i + 1).reshape(-1)
    letters = cover >= LETTER_COVER_TOKEN
    padded = np.concatenate([letter_of[1:], np.zeros(MAX_LETTERS - len(word), dtype=np.int64)])   # [6], 0 past the end
    slots = np.where(letters, padded, 0)
    kinds = [x.kind for x in items.ordered]
    facts = [n - 1] + [int(k in kinds) for k in SHAPES] + [SHAPES.index(kinds[0]), SHAPES.index(kinds[-1])]
    tokens = len(t_rank)
    token = {"kind": torch.from_numpy(kind_of[t_rank]), "colour": torch.from_numpy(colour_of[t_rank]),
             "rank": torch.from_numpy(t_rank), "slots": torch.from_numpy(slots),
             "facts": torch.tensor(facts).expand(tokens, -1).clone(),
             "cover": torch.from_numpy(cover),       # [tokens, 6] share of each token that letter i covers
             "word": torch.from_numpy(padded).expand(tokens, -1).clone()}
    return patch, token, t_rank, letters


def describe_items(answer: str) -> list[tuple[int, int]]:
    """Character spans of the items of a describe answer."""
    spans, start = [], 0
    for part in answer.replace(" and ", ", ").split(", "):
        i = answer.index(part, start)
        spans.append((i, i + len(part)))
        start = i + len(part)
    return spans


def answer_focus(scene, qtype: str, answer: str, question_kind: str | None, pieces: list[str]) -> list[int]:
    """Focus code of every answer token (``pieces``: the decoded tokens of the answer, in order). The codes say
    what can be known from the text alone: which shape kind or side was asked about, which item of a description
    or letter of a word comes next."""
    if qtype in ("color", "exists"):
        return [FOCUS_KIND + SHAPES.index(question_kind)] * len(pieces)
    if qtype == "position":
        return [FOCUS_SIDE + (question_kind == "right")] * len(pieces)
    if qtype == "count":
        return [FOCUS_COUNT] * len(pieces)
    out, at = [], 0
    if qtype == "text":
        for p in pieces:
            out.append(FOCUS_LETTER + at if p.strip() else FOCUS_WORD)
            at += len(p)
        return out
    n = len(scene.shapes)
    items = describe_items(answer)
    word_start = answer.rfind("the word ") + len("the word ") if scene.word is not None else None
    for p in pieces:
        body = at + (len(p) - len(p.lstrip()))
        item = sum(1 for _, end in items if end <= body)
        if item < n:
            out.append(FOCUS_ITEM + item)
        elif word_start is not None and body >= word_start and p.strip():
            out.append(FOCUS_LETTER + body - word_start)
        else:
            out.append(FOCUS_WORD)
        at += len(p)
    return out


def look_targets(example: "Example", code: int) -> np.ndarray:
    """[tokens + 1] bool: the image tokens that show what ``code`` is about; the last entry stands for
    <|end_of_image|>, where a head looks when the thing asked about is not there."""
    rank, letters = example.token_rank, example.token_letters
    kinds = example.kinds
    out = np.zeros(len(rank) + 1, dtype=bool)
    if FOCUS_ITEM <= code < FOCUS_ITEM + 4:
        out[:-1] = rank == code - FOCUS_ITEM + 1
    elif FOCUS_LETTER <= code < FOCUS_LETTER + MAX_LETTERS:
        out[:-1] = letters[:, code - FOCUS_LETTER]
    elif code == FOCUS_WORD:
        out[:-1] = letters.any(-1)
    elif FOCUS_KIND <= code < FOCUS_KIND + len(SHAPES):
        ranks = [i + 1 for i, k in enumerate(kinds) if k == SHAPES[code - FOCUS_KIND]]
        out[:-1] = np.isin(rank, ranks)
    elif code in (FOCUS_SIDE, FOCUS_SIDE + 1, FOCUS_COUNT):
        out[:-1] = rank == (1 if code == FOCUS_SIDE else len(kinds))
    if code != 0 and not out.any():
        out[-1] = True
    return out


class ExampleMaker:
    """Scenes -> Examples through the real chat template, tokenizer and image processor."""

    def __init__(self, processor, fonts, word_prob: float = 0.7, turns: tuple[int, int] = (4, 6),
                 types=QUESTION_TYPES):
        self.processor = processor
        self.tok = processor.tokenizer
        self.fonts = fonts
        self.word_prob = word_prob
        self.turns = turns
        self.types = [t for t in TYPE_WEIGHTS if t in types]
        ids = self.tok.convert_tokens_to_ids
        self.image_id = ids("<|image|>")
        self.end_image_id = ids("<|end_of_image|>")
        self.assistant_id = ids("<|assistant|>")

    def encode_text(self, question: str, answer: str | None, thinking: bool, image_tokens: int) -> list[int]:
        from glimpse_tiny import messages_for
        text = self.processor.apply_chat_template(messages_for([(question, answer)]), tokenize=False,
                                                  add_generation_prompt=answer is None, enable_thinking=thinking)
        if answer is not None:
            text += "<|user|>"
        text = text.replace("<|image|>", "<|image|>" * image_tokens)
        return self.tok(text, add_special_tokens=False)["input_ids"]

    def questions(self, scene, rng: random.Random):
        """Distinct questions of several types, with the shape kind or side each one is about."""
        k = rng.randint(*self.turns)
        chosen, seen = [], set()
        for _ in range(40):
            if len(chosen) == k:
                break
            qtype = rng.choices(self.types, weights=[TYPE_WEIGHTS[t] for t in self.types])[0]
            q = make_question(scene, qtype, rng, "train")
            if q is None:
                continue
            about = None
            if qtype in ("color", "exists"):
                about = next(s for s in SHAPES if s in q.question)
            elif qtype == "position":
                about = "left" if "left" in q.question else "right"
            key = (qtype, about)
            if key in seen:
                continue
            seen.add(key)
            chosen.append((augment(rng, q.question), q.answer, qtype, about))
        return chosen

    def make(self, scene, rng: random.Random) -> Example | None:
        """The example of one scene, or None when none of the question types applies to it."""
        image = render_scene(scene)
        px = self.processor.image_processor(images=[image], return_tensors="pt")
        grid = tuple(int(v) for v in px["image_grid_thw"][0])
        tokens = grid[1] * grid[2] // 4
        patch, token, t_rank, t_letters = scene_targets(scene, grid)
        prefix, segments = None, []
        for question, answer, qtype, about in self.questions(scene, rng):
            thinking = rng.random() < 0.5
            ids = self.encode_text(question, answer, thinking, tokens)
            cut = ids.index(self.end_image_id) + 1
            if prefix is None:
                prefix = ids[:cut]
            assert ids[:cut] == prefix
            seg = ids[cut:]
            a = seg.index(self.assistant_id)
            first = a + 2 if thinking else a + 5        # "<|assistant|>\n" [+ "<think></think>\n"]
            labels = [-100] * len(seg)
            focus = [0] * len(seg)
            answer_ids = seg[(a + 5):-1]
            pieces = [self.tok.decode([t]) for t in answer_ids]
            codes = answer_focus(scene, qtype, answer, about, pieces)
            for i in range(first, len(seg)):
                labels[i - 1] = seg[i]
            for j, c in enumerate(codes):
                focus[a + 5 + j - 1] = c
            segments.append(Segment(seg, labels, focus, qtype))
        if prefix is None:
            return None
        return Example(px["pixel_values"], grid, prefix, prefix.index(self.image_id), segments, patch, token,
                       t_rank, t_letters, [x.kind for x in scene.left_to_right()])

    def batch(self, rng: random.Random, images: int, size: tuple[int, int] | None = None,
              n_shapes: tuple[int, int] | None = None) -> tuple[PackedBatch, list[Example]]:
        """``images`` examples of one image size (``size`` or drawn), packed."""
        if size is None:
            probe = sample_scene(rng, self.fonts, n_shapes=1, word_prob=0.0)
            size = (probe.width, probe.height)
        examples = []
        while len(examples) < images:
            n = rng.randint(*n_shapes) if n_shapes else None
            scene = sample_scene(rng, self.fonts, width=size[0], height=size[1], n_shapes=n,
                                 word_prob=self.word_prob)
            example = self.make(scene, rng)
            if example is not None:
                examples.append(example)
        return pack(examples), examples


def vision_batch(processor, fonts, rng: random.Random, images: int, busy: float, word_prob: float,
                 crop: int | None = None):
    """(pixel_values [images, patches, 1176], grid, patch targets concatenated) for teaching the vision tower to
    see: images of one drawn size, a ``busy`` fraction of them busy pictures, the rest domain scenes. With ``crop``
    (a multiple of 28): busy pictures of crop x crop px, patched without resizing — a quarter of the patches of a
    224 px scene for about as many letters, so several times more letters a second."""
    width, height = (crop, crop) if crop else sample_size(rng)
    pixels, targets, grid = [], [], None
    for _ in range(images):
        if crop:
            image, maps = busy_picture(rng, fonts, width, height, max_shapes=3, max_words=4)
        elif rng.random() < busy:
            image, maps = busy_picture(rng, fonts, width, height, max_shapes=8, max_words=6)
        else:
            scene = sample_scene(rng, fonts, width=width, height=height, word_prob=word_prob)
            image, maps = render_scene(scene), scene_maps(scene)
        px = processor.image_processor(images=[image], do_resize=not crop, return_tensors="pt")
        grid = tuple(int(v) for v in px["image_grid_thw"][0])
        pixels.append(px["pixel_values"])
        targets.append(patch_targets(maps, grid))
    return torch.stack(pixels), grid, {k: torch.cat([t[k] for t in targets]) for k in targets[0]}


def image_positions(prefix_len: int, image_start: int, grid) -> tuple[np.ndarray, int]:
    """[3, prefix_len] M-RoPE positions of the prefix, and the position of the first token after it
    (Glm4vModel.get_rope_index: text counts up on all three axes, image token (r, c) of the 2x2-merged grid gets
    (s, s + r, s + c), and text resumes at the image's largest position + 1)."""
    _, gh, gw = grid
    h, w = gh // 2, gw // 2
    pos = np.zeros((3, prefix_len), dtype=np.int64)
    pos[:, :image_start] = np.arange(image_start)
    s = image_start
    r, c = np.divmod(np.arange(h * w), w)
    pos[0, s:s + h * w] = s
    pos[1, s:s + h * w] = s + r
    pos[2, s:s + h * w] = s + c
    nxt = s + max(h, w)
    rest = prefix_len - (s + h * w)
    pos[:, s + h * w:] = nxt + np.arange(rest)
    return pos, nxt + rest


def pack(examples: list[Example]) -> PackedBatch:
    grid = examples[0].grid
    assert all(e.grid == grid for e in examples), "a packed batch needs images of one size"
    rows = []
    for e in examples:
        pos, nxt = image_positions(len(e.prefix), e.image_start, grid)
        ids, labels, segment, positions = list(e.prefix), [-100] * len(e.prefix), [0] * len(e.prefix), [pos]
        for k, s in enumerate(e.segments, start=1):
            ids += s.ids
            labels += s.labels
            segment += [k] * len(s.ids)
            positions.append(np.broadcast_to(nxt + np.arange(len(s.ids)), (3, len(s.ids))))
        rows.append((ids, labels, segment, np.concatenate(positions, axis=1)))
    n = max(len(r[0]) for r in rows)
    b = len(rows)
    input_ids = torch.zeros((b, n), dtype=torch.long)
    labels = torch.full((b, n), -100, dtype=torch.long)
    segment = torch.full((b, n), -1, dtype=torch.long)
    position_ids = torch.zeros((3, b, n), dtype=torch.long)
    for i, (ids, lab, seg, pos) in enumerate(rows):
        k = len(ids)
        input_ids[i, :k] = torch.tensor(ids)
        labels[i, :k] = torch.tensor(lab)
        segment[i, :k] = torch.tensor(seg)
        position_ids[:, i, :k] = torch.from_numpy(pos)
    pixel_values = torch.stack([e.pixel_values for e in examples])
    return PackedBatch(pixel_values, grid, input_ids, position_ids, segment, labels)


def focus_rows(examples: list[Example], length: int) -> torch.Tensor:
    """[images, length] focus code per packed position (same layout as ``pack``)."""
    out = torch.zeros((len(examples), length), dtype=torch.long)
    for i, e in enumerate(examples):
        at = len(e.prefix)
        for s in e.segments:
            out[i, at:at + len(s.ids)] = torch.tensor(s.focus)
            at += len(s.ids)
    return out


def look_mask(examples: list[Example], focus: torch.Tensor) -> torch.Tensor:
    """[images, length, tokens + 1] bool: for each position, look_targets of its focus code."""
    b, n = focus.shape
    tokens = len(examples[0].token_rank)
    out = torch.zeros((b, n, tokens + 1), dtype=torch.bool)
    for i, e in enumerate(examples):
        f = focus[i]
        for code in f.unique().tolist():
            if code != 0:
                out[i, f == code] = torch.from_numpy(look_targets(e, code))
    return out


def segment_types(examples: list[Example]) -> list[list[str]]:
    return [[s.qtype for s in e.segments] for e in examples]


def answer_spans(batch: PackedBatch, examples: list[Example]) -> list[tuple[int, int, int, str]]:
    """(image, first, last, type) of every answer's predicting positions in the packed rows."""
    spans = []
    for i, e in enumerate(examples):
        at = len(e.prefix)
        for s in e.segments:
            idx = [j for j, l in enumerate(s.labels) if l != -100]
            spans.append((i, at + idx[0], at + idx[-1], s.qtype))
            at += len(s.ids)
    return spans


QUESTION_TYPES = QUESTION_TYPES
