"""Sampling and drawing scenes: filled shapes and an optional word on a white or light grey page.

Variety is deliberate, because the model is judged on scenes drawn by a renderer it never saw: colour shades
around several renderings of each colour name (PIL/CSS names, matplotlib's tab palette, darker and lighter
variants), small rotations, two triangle and several star proportions, anti-aliased (supersampled) and aliased
drawing, several fonts, weights and text sizes, and image sides from 160 to 320 px.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

SHAPES = ("circle", "square", "triangle", "star")

# Renderings of each colour name; a scene picks one and jitters each channel a little.
COLOURS: dict[str, list[tuple[int, int, int]]] = {
    "red": [(255, 0, 0), (220, 20, 20), (200, 0, 0), (230, 40, 50), (214, 39, 40), (240, 60, 40)],
    "green": [(0, 128, 0), (0, 170, 0), (34, 139, 34), (40, 180, 70), (0, 200, 0), (0, 255, 0), (44, 160, 44),
              (50, 205, 50)],
    "blue": [(0, 0, 255), (30, 80, 220), (0, 100, 200), (65, 105, 225), (0, 0, 205), (31, 119, 180),
             (40, 60, 240)],
    "yellow": [(255, 255, 0), (255, 230, 0), (250, 215, 20), (240, 225, 40), (255, 215, 0), (250, 240, 60)],
    "purple": [(128, 0, 128), (148, 0, 211), (160, 32, 240), (106, 13, 173), (150, 60, 190), (148, 103, 189),
               (120, 40, 140)],
    "orange": [(255, 165, 0), (255, 140, 0), (250, 120, 20), (255, 127, 14), (240, 150, 30), (255, 110, 0)],
    "black": [(0, 0, 0), (25, 25, 25), (40, 40, 40), (10, 10, 20)],
}
COLOUR_JITTER = 10

IMAGE_MIN, IMAGE_MAX = 160, 320
SHAPE_MIN, SHAPE_MAX = 30, 80
WORD_MIN_LEN, WORD_MAX_LEN = 3, 6
# Ink height of the capital letters. "18-32 px high" may mean the font size (capitals ~13-23 px) or the ink
# itself (18-32 px): both are covered.
WORD_MIN_HEIGHT, WORD_MAX_HEIGHT = 12, 32
EDGE_MARGIN = 2          # px between a drawn thing and the image border
GAP = 4                  # px between the bounding boxes of two things
CENTRE_SEPARATION = 6    # px between the centres (x) of two shapes, so "left to right" is never a tie


@dataclass(frozen=True)
class SceneShape:
    """One filled shape. ``size`` is the diameter (circle, star) or side (square; triangle base)."""

    kind: str
    colour: str
    rgb: tuple[int, int, int]
    size: int
    cx: float
    cy: float
    rotation: float = 0.0          # degrees, counter-clockwise
    variant: str = ""              # triangle: equilateral | isosceles; star: inner radius ratio as text
    points: tuple[tuple[float, float], ...] = field(default=(), repr=False)   # polygon, image coordinates

    @property
    def bbox(self) -> tuple[float, float, float, float]:
        if self.kind == "circle":
            r = self.size / 2
            return (self.cx - r, self.cy - r, self.cx + r, self.cy + r)
        xs = [p[0] for p in self.points]
        ys = [p[1] for p in self.points]
        return (min(xs), min(ys), max(xs), max(ys))

    @property
    def centre_x(self) -> float:
        """Centre of the bounding box: what "left to right" orders by."""
        x0, _, x1, _ = self.bbox
        return (x0 + x1) / 2


@dataclass(frozen=True)
class SceneWord:
    text: str
    font: str
    font_size: int
    x: float            # drawing origin (PIL's top-left anchor)
    y: float
    rgb: tuple[int, int, int]
    bbox: tuple[float, float, float, float]   # ink bounding box, image coordinates


@dataclass(frozen=True)
class Scene:
    width: int
    height: int
    background: tuple[int, int, int]
    shapes: tuple[SceneShape, ...]
    word: SceneWord | None
    supersample: int = 1            # 1 = aliased polygons; >1 = drawn that many times larger, then downsampled
    text_antialias: bool = True

    def left_to_right(self) -> list[SceneShape]:
        return sorted(self.shapes, key=lambda s: s.centre_x)

    def to_json(self) -> dict:
        return {
            "width": self.width, "height": self.height, "background": list(self.background),
            "shapes": [{"kind": s.kind, "colour": s.colour, "rgb": list(s.rgb), "size": s.size,
                        "cx": round(s.cx, 2), "cy": round(s.cy, 2), "rotation": round(s.rotation, 2),
                        "bbox": [round(v, 2) for v in s.bbox]} for s in self.left_to_right()],
            "word": None if self.word is None else {
                "text": self.word.text, "font": Path(self.word.font).name, "font_size": self.word.font_size,
                "bbox": [round(v, 2) for v in self.word.bbox]},
            "supersample": self.supersample, "text_antialias": self.text_antialias,
        }


# ---------------------------------------------------------------------------------------------------------------
# Geometry
# ---------------------------------------------------------------------------------------------------------------

def _rotate(points, degrees):
    a = math.radians(degrees)
    c, s = math.cos(a), math.sin(a)
    # image y grows downwards; a positive angle turns counter-clockwise on screen
    return [(x * c + y * s, -x * s + y * c) for x, y in points]


def shape_outline(kind: str, size: float, rotation: float, variant: str) -> list[tuple[float, float]]:
    """Polygon of a shape centred on (0, 0); empty for a circle."""
    if kind == "circle":
        return []
    if kind == "square":
        h = size / 2
        pts = [(-h, -h), (h, -h), (h, h), (-h, h)]
    elif kind == "triangle":
        height = size * math.sqrt(3) / 2 if variant == "equilateral" else size
        # centred on its bounding box, apex up
        pts = [(0.0, -height / 2), (size / 2, height / 2), (-size / 2, height / 2)]
    elif kind == "star":
        inner = float(variant) if variant else 0.45
        r_out, r_in = size / 2, size / 2 * inner
        pts = []
        for k in range(10):
            r = r_out if k % 2 == 0 else r_in
            a = math.radians(-90 + 36 * k)
            pts.append((r * math.cos(a), r * math.sin(a)))
        # the 5-pointed star's bounding box is not centred on its centre: centre it vertically
        ys = [p[1] for p in pts]
        dy = -(min(ys) + max(ys)) / 2
        pts = [(x, y + dy) for x, y in pts]
    else:
        raise ValueError(f"unknown shape {kind!r}; expected one of {SHAPES}")
    return _rotate(pts, rotation) if rotation else pts


def _extent(kind, size, outline):
    if kind == "circle":
        r = size / 2
        return (-r, -r, r, r)
    xs = [p[0] for p in outline]
    ys = [p[1] for p in outline]
    return (min(xs), min(ys), max(xs), max(ys))


def _separated(a, b, gap):
    return a[2] + gap <= b[0] or b[2] + gap <= a[0] or a[3] + gap <= b[1] or b[3] + gap <= a[1]


# ---------------------------------------------------------------------------------------------------------------
# Fonts
# ---------------------------------------------------------------------------------------------------------------

@lru_cache(maxsize=None)
def _font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, size)


@lru_cache(maxsize=None)
def _cap_ratio(path: str) -> float:
    """Ink height of capital letters per unit of font size."""
    f = _font(path, 200)
    _, top, _, bottom = f.getbbox("HXEZ", anchor="ls")
    return (bottom - top) / 200


# ---------------------------------------------------------------------------------------------------------------
# Sampling
# ---------------------------------------------------------------------------------------------------------------

def sample_size(rng: random.Random) -> tuple[int, int]:
    """Half the scenes are 224x224; the rest any width and height in 160-320 (a fifth of them square)."""
    r = rng.random()
    if r < 0.5:
        return 224, 224
    if r < 0.6:
        s = rng.randint(IMAGE_MIN, IMAGE_MAX)
        return s, s
    return rng.randint(IMAGE_MIN, IMAGE_MAX), rng.randint(IMAGE_MIN, IMAGE_MAX)


def sample_background(rng: random.Random) -> tuple[int, int, int]:
    r = rng.random()
    if r < 0.45:
        return (255, 255, 255)
    if r < 0.8:
        g = rng.randint(220, 250)
        return (g, g, g)
    g = rng.randint(228, 250)    # a faint tint of grey
    return tuple(min(255, max(220, g + rng.randint(-7, 7))) for _ in range(3))


def sample_rgb(rng: random.Random, colour: str) -> tuple[int, int, int]:
    base = rng.choice(COLOURS[colour])
    return tuple(min(255, max(0, c + rng.randint(-COLOUR_JITTER, COLOUR_JITTER))) for c in base)


def _sample_word(rng, fonts, width, height, text=None):
    text = text or "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
                           for _ in range(rng.randint(WORD_MIN_LEN, WORD_MAX_LEN)))
    font_path = str(rng.choice(fonts))
    ink = rng.uniform(WORD_MIN_HEIGHT, WORD_MAX_HEIGHT)
    size = max(8, round(ink / _cap_ratio(font_path)))
    while True:
        left, top, right, bottom = _font(font_path, size).getbbox(text)
        if right - left <= width - 2 * EDGE_MARGIN - 2 or size <= 8:
            break
        size -= 1
    x = rng.uniform(EDGE_MARGIN - left, width - EDGE_MARGIN - right)
    y = rng.uniform(EDGE_MARGIN - top, height - EDGE_MARGIN - bottom)
    shade = rng.randint(0, 35)
    return SceneWord(text=text, font=font_path, font_size=size, x=x, y=y, rgb=(shade, shade, shade),
                     bbox=(x + left, y + top, x + right, y + bottom))


def _sample_shape_geometry(rng, kind, size):
    rotation = 0.0 if rng.random() < 0.4 else rng.uniform(-20, 20)
    variant = ""
    if kind == "triangle":
        variant = "equilateral" if rng.random() < 0.6 else "isosceles"
    elif kind == "star":
        variant = f"{rng.uniform(0.38, 0.5):.3f}"
    if kind == "circle":
        rotation = 0.0
    return rotation, variant


def sample_scene(rng: random.Random, fonts: list[Path], *, width: int | None = None, height: int | None = None,
                 n_shapes: int | None = None, word_prob: float = 0.5, word: str | None = None,
                 kinds: list[str] | None = None, colours: list[str] | None = None) -> Scene:
    """A random scene. Everything not given is drawn from the domain's rules with ``rng``.

    ``kinds`` / ``colours`` fix the shapes (left to right order is still random); ``word`` forces that word.
    """
    if width is None or height is None:
        width, height = sample_size(rng)
    background = sample_background(rng)
    supersample = 1 if rng.random() < 0.35 else rng.choice((2, 4))
    text_antialias = supersample > 1 or rng.random() < 0.5
    for _attempt in range(200):
        n = n_shapes if n_shapes is not None else (len(kinds) if kinds else rng.randint(1, 4))
        the_word = None
        if word is not None or rng.random() < word_prob:
            the_word = _sample_word(rng, fonts, width, height, word)
        occupied = [the_word.bbox] if the_word else []
        centres: list[float] = []
        shapes: list[SceneShape] = []
        max_size = SHAPE_MAX
        for i in range(n):
            kind = kinds[i] if kinds else rng.choice(SHAPES)
            colour = colours[i] if colours else rng.choice(list(COLOURS))
            placed = None
            for t in range(80):
                if t and t % 20 == 0:
                    max_size = max(SHAPE_MIN, max_size - 12)
                size = rng.randint(SHAPE_MIN, max_size)
                rotation, variant = _sample_shape_geometry(rng, kind, size)
                outline = shape_outline(kind, size, rotation, variant)
                x0, y0, x1, y1 = _extent(kind, size, outline)
                lo_x, hi_x = EDGE_MARGIN - x0, width - EDGE_MARGIN - x1
                lo_y, hi_y = EDGE_MARGIN - y0, height - EDGE_MARGIN - y1
                if lo_x > hi_x or lo_y > hi_y:
                    continue
                cx, cy = rng.uniform(lo_x, hi_x), rng.uniform(lo_y, hi_y)
                box = (cx + x0, cy + y0, cx + x1, cy + y1)
                centre = (box[0] + box[2]) / 2
                if all(_separated(box, o, GAP) for o in occupied) and \
                        all(abs(centre - c) >= CENTRE_SEPARATION for c in centres):
                    points = tuple((cx + px, cy + py) for px, py in outline)
                    placed = SceneShape(kind=kind, colour=colour, rgb=sample_rgb(rng, colour), size=size, cx=cx,
                                        cy=cy, rotation=rotation, variant=variant, points=points)
                    occupied.append(box)
                    centres.append(centre)
                    break
            if placed is None:
                break
            shapes.append(placed)
        if len(shapes) == n:
            return Scene(width=width, height=height, background=background, shapes=tuple(shapes), word=the_word,
                         supersample=supersample, text_antialias=text_antialias)
    raise RuntimeError(f"could not place {n_shapes or 'the'} shapes on a {width}x{height} image after 200 tries")


# ---------------------------------------------------------------------------------------------------------------
# Drawing
# ---------------------------------------------------------------------------------------------------------------

def label_maps(scene: Scene) -> tuple[Image.Image, Image.Image]:
    """Where things are, at the scene's resolution (mode "L", no anti-aliasing): the shapes map holds each shape's
    left-to-right rank (1 = leftmost, 0 = background); the letters map holds, over the word's height, the index
    (1 = first letter) of the letter whose advance cell covers the pixel. For training targets, not for drawing."""
    shapes = Image.new("L", (scene.width, scene.height), 0)
    d = ImageDraw.Draw(shapes)
    for rank, shape in enumerate(scene.left_to_right(), start=1):
        if shape.kind == "circle":
            r = shape.size / 2
            d.ellipse([shape.cx - r, shape.cy - r, shape.cx + r - 1, shape.cy + r - 1], fill=rank)
        else:
            d.polygon(list(shape.points), fill=rank)
    letters = Image.new("L", (scene.width, scene.height), 0)
    if scene.word is not None:
        w = scene.word
        font = _font(w.font, w.font_size)
        d = ImageDraw.Draw(letters)
        for i in range(len(w.text)):
            x0 = w.x + font.getlength(w.text[:i])
            x1 = w.x + font.getlength(w.text[:i + 1])
            d.rectangle([x0, w.bbox[1], x1 - 1, w.bbox[3] - 1], fill=i + 1)
    return shapes, letters


def render_scene(scene: Scene) -> Image.Image:
    """The scene as an RGB image of scene.width x scene.height."""
    s = scene.supersample
    img = Image.new("RGB", (scene.width * s, scene.height * s), scene.background)
    d = ImageDraw.Draw(img)
    for shape in scene.shapes:
        if shape.kind == "circle":
            r = shape.size / 2
            d.ellipse([(shape.cx - r) * s, (shape.cy - r) * s, (shape.cx + r) * s - 1, (shape.cy + r) * s - 1],
                      fill=shape.rgb)
        else:
            d.polygon([(x * s, y * s) for x, y in shape.points], fill=shape.rgb)
    if scene.word is not None:
        w = scene.word
        if not scene.text_antialias:
            d.fontmode = "1"
        d.text((w.x * s, w.y * s), w.text, font=_font(w.font, w.font_size * s), fill=w.rgb)
    if s > 1:
        img = img.resize((scene.width, scene.height), Image.Resampling.LANCZOS if s == 4 else Image.Resampling.BOX)
    return img
