"""Busy pictures for teaching a vision tower to see: many shapes and words on one page, with per-pixel labels.

A domain scene holds at most four shapes and one short word, so most of its patches are background. These
pictures use the domain's shapes, colours, fonts, sizes and backgrounds but fill the page (up to a dozen shapes
and several words), which gives a dense per-patch loss many times more shapes and letters per image. They are
training material only: no question is asked about them.
"""

from __future__ import annotations

import random

import numpy as np
from PIL import Image, ImageDraw

from .render import (
    COLOURS, EDGE_MARGIN, GAP, SHAPE_MAX, SHAPE_MIN, SHAPES, WORD_MAX_HEIGHT, WORD_MAX_LEN, WORD_MIN_HEIGHT,
    WORD_MIN_LEN, _cap_ratio, _extent, _font, _sample_shape_geometry, _separated, sample_background, sample_rgb,
    shape_outline,
)

COLOUR_NAMES = list(COLOURS)
RANK_CAP = 5          # ranks past the domain's four shapes are all "5"


def busy_picture(rng: random.Random, fonts, width: int, height: int, max_shapes: int = 12,
                 max_words: int = 4) -> tuple[Image.Image, dict[str, np.ndarray]]:
    """(RGB image, labels) where labels holds per-pixel maps of width x height: ``kind`` (0 background, 1 + index in
    SHAPES), ``colour`` (0, 1 + index in COLOURS), ``rank`` (0, 1 + the number of shapes whose centre lies further
    left, at most ``RANK_CAP``), ``letter`` (0, 1-26 for A-Z, over each letter's advance cell and the word's ink
    height) and ``letter_index`` (0, 1 + the letter's index in its word)."""
    supersample = 1 if rng.random() < 0.35 else rng.choice((2, 4))
    antialias = supersample > 1 or rng.random() < 0.5
    background = sample_background(rng)
    occupied: list[tuple[float, float, float, float]] = []
    words, shapes = [], []
    for _ in range(rng.randint(1, max_words)):
        text = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(rng.randint(WORD_MIN_LEN, WORD_MAX_LEN)))
        font_path = str(rng.choice(fonts))
        size = max(8, round(rng.uniform(WORD_MIN_HEIGHT, WORD_MAX_HEIGHT) / _cap_ratio(font_path)))
        left, top, right, bottom = _font(font_path, size).getbbox(text)
        if right - left > width - 2 * EDGE_MARGIN:
            continue
        for _try in range(20):
            x = rng.uniform(EDGE_MARGIN - left, width - EDGE_MARGIN - right)
            y = rng.uniform(EDGE_MARGIN - top, height - EDGE_MARGIN - bottom)
            box = (x + left, y + top, x + right, y + bottom)
            if all(_separated(box, o, GAP) for o in occupied):
                occupied.append(box)
                words.append((text, font_path, size, x, y, box, rng.randint(0, 35)))
                break
    for _ in range(rng.randint(1, max_shapes)):
        kind = rng.choice(SHAPES)
        colour = rng.choice(COLOUR_NAMES)
        for _try in range(20):
            size = rng.randint(SHAPE_MIN, SHAPE_MAX)
            rotation, variant = _sample_shape_geometry(rng, kind, size)
            outline = shape_outline(kind, size, rotation, variant)
            x0, y0, x1, y1 = _extent(kind, size, outline)
            if EDGE_MARGIN - x0 > width - EDGE_MARGIN - x1 or EDGE_MARGIN - y0 > height - EDGE_MARGIN - y1:
                continue
            cx = rng.uniform(EDGE_MARGIN - x0, width - EDGE_MARGIN - x1)
            cy = rng.uniform(EDGE_MARGIN - y0, height - EDGE_MARGIN - y1)
            box = (cx + x0, cy + y0, cx + x1, cy + y1)
            if all(_separated(box, o, GAP) for o in occupied):
                occupied.append(box)
                points = [(cx + px, cy + py) for px, py in outline]
                shapes.append((kind, colour, sample_rgb(rng, colour), size, cx, cy, points))
                break

    s = supersample
    img = Image.new("RGB", (width * s, height * s), background)
    d = ImageDraw.Draw(img)
    maps = {name: Image.new("L", (width, height), 0) for name in ("kind", "colour", "rank", "letter", "letter_index")}
    draw = {name: ImageDraw.Draw(m) for name, m in maps.items()}
    centres = sorted(_centre_x(kind, size, cx, points) for kind, _, _, size, cx, _, points in shapes)
    for kind, colour, rgb, size, cx, cy, points in shapes:
        values = {"kind": 1 + SHAPES.index(kind), "colour": 1 + COLOUR_NAMES.index(colour),
                  "rank": min(RANK_CAP, 1 + centres.index(_centre_x(kind, size, cx, points)))}
        if kind == "circle":
            r = size / 2
            d.ellipse([(cx - r) * s, (cy - r) * s, (cx + r) * s - 1, (cy + r) * s - 1], fill=rgb)
            for name, v in values.items():
                draw[name].ellipse([cx - r, cy - r, cx + r - 1, cy + r - 1], fill=v)
        else:
            d.polygon([(x * s, y * s) for x, y in points], fill=rgb)
            for name, v in values.items():
                draw[name].polygon(points, fill=v)
    if not antialias:
        d.fontmode = "1"
    for text, font_path, size, x, y, box, shade in words:
        d.text((x * s, y * s), text, font=_font(font_path, size * s), fill=(shade, shade, shade))
        font = _font(font_path, size)
        for i, ch in enumerate(text):
            x0 = x + font.getlength(text[:i])
            x1 = x + font.getlength(text[:i + 1])
            draw["letter"].rectangle([x0, box[1], x1 - 1, box[3] - 1], fill=1 + ord(ch) - ord("A"))
            draw["letter_index"].rectangle([x0, box[1], x1 - 1, box[3] - 1], fill=1 + i)
    if s > 1:
        img = img.resize((width, height), Image.Resampling.LANCZOS if s == 4 else Image.Resampling.BOX)
    return img, {name: np.asarray(m) for name, m in maps.items()}


def _centre_x(kind, size, cx, points) -> float:
    """Centre of the bounding box, as SceneShape.centre_x: what "left to right" orders by."""
    if kind == "circle":
        return cx
    xs = [p[0] for p in points]
    return (min(xs) + max(xs)) / 2
