"""Draws the office scenes of ``office/`` (synthetic): a wall and a desk with known objects on and above it, and
writes the objects each scene really holds to ``office/truth.json`` (make_eval.py turns it into questions).

    python make_office.py            # from notebooks/data, with Pillow installed

Scene i depends only on SEED and i, so the command gives the same pictures again. The photo in the set
(office-photo-coffee.jpg) is copied by copy_photos.py.
"""

from __future__ import annotations

import json
import math
import random

from PIL import Image, ImageDraw

from render_kit import HERE, font, save_small, write_jsonl

SEED = 16_2026
COUNT = 13
W, H = 640, 480
S = 2  # drawn at twice the size, then scaled down: smooth edges
OUT = HERE / "office"

WALLS = [(226, 232, 238), (240, 234, 220), (214, 228, 222), (236, 226, 230), (222, 226, 240)]
DESKS = [((160, 112, 70), (120, 82, 50)), ((205, 170, 125), (160, 128, 90)), ((236, 236, 232), (190, 190, 186)),
         ((90, 90, 96), (60, 60, 66))]


def px(v: float) -> int:
    return int(round(v * S))


class Canvas:
    """Drawing in scene coordinates (640 x 480) on a canvas S times larger."""

    def __init__(self, background):
        self.image = Image.new("RGB", (W * S, H * S), background)
        self.d = ImageDraw.Draw(self.image)

    def rect(self, x0, y0, x1, y1, fill, outline=None, width=1, radius=0):
        box = [px(x0), px(y0), px(x1), px(y1)]
        if radius:
            self.d.rounded_rectangle(box, px(radius), fill=fill, outline=outline, width=px(width) if outline else 0)
        else:
            self.d.rectangle(box, fill=fill, outline=outline, width=px(width) if outline else 0)

    def ellipse(self, x0, y0, x1, y1, fill, outline=None, width=1):
        self.d.ellipse([px(x0), px(y0), px(x1), px(y1)], fill=fill, outline=outline,
                       width=px(width) if outline else 0)

    def poly(self, points, fill, outline=None, width=1):
        self.d.polygon([(px(x), px(y)) for x, y in points], fill=fill, outline=outline,
                       width=px(width) if outline else 0)

    def line(self, points, fill, width=1):
        self.d.line([(px(x), px(y)) for x, y in points], fill=fill, width=px(width), joint="curve")

    def arc(self, x0, y0, x1, y1, start, end, fill, width=1):
        self.d.arc([px(x0), px(y0), px(x1), px(y1)], start, end, fill=fill, width=px(width))

    def text(self, xy, s, size, fill, name="sans-bold"):
        self.d.text((px(xy[0]), px(xy[1])), s, font=font(name, px(size)), fill=fill)

    def finish(self) -> Image.Image:
        return self.image.resize((W, H), Image.Resampling.LANCZOS)


def darker(c, f=0.7):
    return tuple(int(v * f) for v in c)


# --- objects on the desk: each draws itself standing on y = base with its left edge at x, returns its width ----

def laptop(c: Canvas, x, base, k, rng):
    w = 150 * k
    body = rng.choice([(70, 72, 78), (190, 192, 198), (40, 40, 44)])
    c.poly([(x + 10 * k, base - 12 * k), (x + w - 10 * k, base - 12 * k), (x + w, base), (x, base)], darker(body, 1.2))
    c.poly([(x + 14 * k, base - 12 * k), (x + w - 14 * k, base - 12 * k), (x + w - 4 * k, base - 110 * k),
            (x + 4 * k, base - 110 * k)], body)
    screen = rng.choice([(60, 110, 170), (30, 40, 60), (90, 150, 200)])
    c.poly([(x + 22 * k, base - 18 * k), (x + w - 22 * k, base - 18 * k), (x + w - 13 * k, base - 102 * k),
            (x + 13 * k, base - 102 * k)], screen)
    for i in range(3):  # lines of text on the screen
        y = base - (88 - 16 * i) * k
        c.line([(x + 30 * k, y), (x + (90 - 15 * i) * k, y)], (230, 236, 245), 2 * k)
    c.rect(x + w / 2 - 15 * k, base - 8 * k, x + w / 2 + 15 * k, base - 4 * k, darker(body, 0.8))
    return w


def monitor(c: Canvas, x, base, k, rng):
    w = 170 * k
    frame = rng.choice([(30, 30, 34), (200, 200, 205)])
    c.rect(x + w / 2 - 35 * k, base - 8 * k, x + w / 2 + 35 * k, base, darker(frame, 1.1) if frame[0] < 100 else frame)
    c.rect(x + w / 2 - 8 * k, base - 40 * k, x + w / 2 + 8 * k, base - 6 * k, frame)
    c.rect(x, base - 150 * k, x + w, base - 38 * k, frame, radius=4 * k)
    c.rect(x + 7 * k, base - 143 * k, x + w - 7 * k, base - 45 * k, rng.choice([(70, 130, 190), (40, 90, 80)]))
    c.rect(x + 20 * k, base - 130 * k, x + 90 * k, base - 90 * k, (235, 235, 240))  # a window on the screen
    c.rect(x + 100 * k, base - 120 * k, x + 150 * k, base - 60 * k, (250, 220, 120))
    return w


def keyboard(c: Canvas, x, base, k, rng):
    w = 150 * k
    body = rng.choice([(50, 50, 54), (225, 225, 228)])
    key = (90, 90, 96) if body[0] < 100 else (250, 250, 252)
    c.poly([(x + 8 * k, base - 26 * k), (x + w - 8 * k, base - 26 * k), (x + w, base), (x, base)], body)
    for row in range(4):
        y0 = base - 24 * k + row * 6 * k
        inset = (3 - row) * 2 * k
        for col in range(14):
            kx = x + 6 * k + inset + col * (w - 12 * k - 2 * inset) / 14
            c.rect(kx, y0, kx + (w - 12 * k) / 14 - 2 * k, y0 + 4 * k, key)
    return w


def mouse(c: Canvas, x, base, k, rng):
    w = 34 * k
    body = rng.choice([(40, 40, 44), (230, 230, 234), (60, 90, 150)])
    c.ellipse(x, base - 20 * k, x + w, base, body, outline=darker(body, 0.6), width=1)
    c.line([(x + w / 2, base - 20 * k), (x + w / 2, base - 11 * k)], darker(body, 0.5), 1.5)
    return w


def mug(c: Canvas, x, base, k, rng):
    w = 46 * k
    colour = rng.choice([(200, 40, 40), (40, 90, 170), (245, 245, 245), (250, 190, 40), (60, 140, 80)])
    c.arc(x + 26 * k, base - 46 * k, x + 50 * k, base - 16 * k, 270, 90, darker(colour, 0.85), 6 * k)
    c.rect(x, base - 54 * k, x + 36 * k, base, colour, outline=darker(colour, 0.6), radius=4 * k)
    c.ellipse(x + 1 * k, base - 58 * k, x + 35 * k, base - 50 * k, (90, 55, 30), outline=darker(colour, 0.6))
    return w + 6 * k


def lamp(c: Canvas, x, base, k, rng):
    w = 100 * k
    colour = rng.choice([(30, 30, 30), (220, 60, 50), (240, 240, 240), (50, 110, 180)])
    c.ellipse(x, base - 10 * k, x + 50 * k, base + 2 * k, colour)
    joint = (x + 60 * k, base - 95 * k)
    c.line([(x + 25 * k, base - 6 * k), joint], colour, 5 * k)
    head = (x + 95 * k, base - 70 * k)
    c.line([joint, head], colour, 5 * k)
    c.ellipse(joint[0] - 6 * k, joint[1] - 6 * k, joint[0] + 6 * k, joint[1] + 6 * k, darker(colour, 0.8))
    c.poly([(head[0] - 22 * k, head[1] - 4 * k), (head[0] + 8 * k, head[1] - 18 * k), (head[0] + 20 * k, head[1] + 14 * k),
            (head[0] - 8 * k, head[1] + 24 * k)], colour, outline=darker(colour, 0.6))
    c.ellipse(head[0] - 2 * k, head[1] + 8 * k, head[0] + 12 * k, head[1] + 20 * k, (255, 240, 170))
    return w + 20 * k


def plant(c: Canvas, x, base, k, rng):
    w = 70 * k
    pot = rng.choice([(190, 100, 60), (240, 240, 235), (60, 60, 70)])
    leaf = rng.choice([(50, 140, 60), (70, 160, 80), (40, 110, 50)])
    cx = x + w / 2
    for i in range(9):
        a = math.radians(-160 + i * 17.5)
        L = rng.uniform(45, 70) * k
        tip = (cx + math.cos(a) * L, base - 45 * k + math.sin(a) * L)
        mid = ((cx + tip[0]) / 2, (base - 45 * k + tip[1]) / 2)
        nx, ny = -math.sin(a) * 9 * k, math.cos(a) * 9 * k
        c.poly([(cx, base - 45 * k), (mid[0] + nx, mid[1] + ny), tip, (mid[0] - nx, mid[1] - ny)], leaf,
               outline=darker(leaf, 0.7))
    c.poly([(x + 12 * k, base - 48 * k), (x + w - 12 * k, base - 48 * k), (x + w - 20 * k, base), (x + 20 * k, base)],
           pot, outline=darker(pot, 0.7))
    c.rect(x + 8 * k, base - 54 * k, x + w - 8 * k, base - 44 * k, darker(pot, 0.9))
    return w


def books(c: Canvas, x, base, k, rng):
    n = rng.randint(3, 5)
    w = 110 * k
    y = base
    for i in range(n):
        h = rng.uniform(12, 18) * k
        inset = rng.uniform(0, 12) * k
        colour = rng.choice([(170, 40, 40), (40, 80, 140), (50, 120, 70), (200, 160, 40), (90, 60, 120), (30, 30, 30)])
        c.rect(x + inset, y - h, x + w - 12 * k + inset, y, colour, outline=darker(colour, 0.6))
        c.rect(x + inset + 6 * k, y - h * 0.6, x + w - 18 * k + inset, y - h * 0.4, (240, 230, 200))
        y -= h
    return w, n


def pen(c: Canvas, x, base, k, rng):
    w = 80 * k
    colour = rng.choice([(30, 60, 160), (20, 20, 20), (200, 30, 30)])
    c.poly([(x, base - 6 * k), (x + 60 * k, base - 14 * k), (x + 61 * k, base - 9 * k), (x + 1 * k, base - 1 * k)], colour)
    c.poly([(x + 60 * k, base - 14 * k), (x + 74 * k, base - 13 * k), (x + 61 * k, base - 9 * k)], (200, 200, 200))
    c.line([(x + 10 * k, base - 9 * k), (x + 30 * k, base - 16 * k)], (210, 210, 210), 2 * k)  # the clip
    return w


def phone(c: Canvas, x, base, k, rng):
    w = 70 * k
    c.poly([(x + 8 * k, base - 14 * k), (x + 62 * k, base - 14 * k), (x + 70 * k, base), (x, base)], (25, 25, 30))
    c.poly([(x + 12 * k, base - 12 * k), (x + 58 * k, base - 12 * k), (x + 64 * k, base - 2 * k), (x + 6 * k, base - 2 * k)],
           rng.choice([(70, 120, 200), (120, 80, 170), (40, 150, 140)]))
    return w


def stapler(c: Canvas, x, base, k, rng):
    w = 90 * k
    colour = rng.choice([(30, 30, 34), (190, 30, 40), (40, 80, 160)])
    c.rect(x, base - 8 * k, x + w, base, darker(colour, 0.8), radius=3 * k)
    c.poly([(x + 6 * k, base - 10 * k), (x + w, base - 16 * k), (x + w, base - 28 * k), (x + 20 * k, base - 30 * k),
            (x + 4 * k, base - 22 * k)], colour, outline=darker(colour, 0.5))
    c.rect(x + 2 * k, base - 22 * k, x + 14 * k, base - 8 * k, (170, 170, 175))
    return w


def scissors(c: Canvas, x, base, k, rng):
    w = 90 * k
    handle = rng.choice([(220, 60, 40), (40, 110, 200), (30, 30, 30)])
    c.poly([(x + 30 * k, base - 12 * k), (x + 88 * k, base - 20 * k), (x + 30 * k, base - 8 * k)], (190, 195, 200),
           outline=(120, 120, 125))
    c.poly([(x + 30 * k, base - 8 * k), (x + 88 * k, base - 6 * k), (x + 30 * k, base - 4 * k)], (170, 175, 180),
           outline=(120, 120, 125))
    c.ellipse(x, base - 22 * k, x + 24 * k, base - 10 * k, None, outline=handle, width=5 * k)
    c.ellipse(x + 2 * k, base - 10 * k, x + 26 * k, base + 2 * k, None, outline=handle, width=5 * k)
    c.ellipse(x + 28 * k, base - 11 * k, x + 33 * k, base - 6 * k, (90, 90, 90))
    return w


def notebook(c: Canvas, x, base, k, rng):
    w = 100 * k
    cover = rng.choice([(240, 200, 60), (60, 120, 200), (230, 90, 80), (250, 250, 248)])
    c.poly([(x + 10 * k, base - 24 * k), (x + w - 6 * k, base - 24 * k), (x + w, base), (x, base)], cover,
           outline=darker(cover, 0.6))
    for i in range(9):
        sx = x + 16 * k + i * 9 * k
        c.ellipse(sx, base - 28 * k, sx + 5 * k, base - 20 * k, None, outline=(80, 80, 80), width=1.5)
    c.rect(x + 30 * k, base - 14 * k, x + 70 * k, base - 8 * k, (255, 255, 255))
    return w


def calculator(c: Canvas, x, base, k, rng):
    w = 60 * k
    body = rng.choice([(50, 50, 56), (230, 230, 232)])
    c.rect(x, base - 90 * k, x + w, base, body, outline=darker(body, 0.6), radius=5 * k)
    c.rect(x + 6 * k, base - 84 * k, x + w - 6 * k, base - 66 * k, (170, 190, 160))
    c.text((x + 14 * k, base - 83 * k), "1234.5", 11 * k, (30, 40, 30), "mono")
    for r in range(5):
        for col in range(4):
            kx, ky = x + 7 * k + col * 12 * k, base - 60 * k + r * 11 * k
            c.rect(kx, ky, kx + 9 * k, ky + 8 * k, (250, 140, 40) if col == 3 else (150, 150, 158), radius=2 * k)
    return w


def headphones(c: Canvas, x, base, k, rng):
    w = 80 * k
    colour = rng.choice([(30, 30, 34), (220, 220, 225), (180, 40, 60)])
    c.arc(x + 6 * k, base - 80 * k, x + 74 * k, base - 10 * k, 180, 360, colour, 7 * k)
    c.rect(x, base - 46 * k, x + 18 * k, base, colour, radius=7 * k)
    c.rect(x + w - 18 * k, base - 46 * k, x + w, base, colour, radius=7 * k)
    return w


def glasses(c: Canvas, x, base, k, rng):
    w = 80 * k
    frame = rng.choice([(20, 20, 20), (120, 70, 30)])
    c.ellipse(x, base - 22 * k, x + 34 * k, base, (210, 225, 235), outline=frame, width=3 * k)
    c.ellipse(x + 46 * k, base - 22 * k, x + 80 * k, base, (210, 225, 235), outline=frame, width=3 * k)
    c.arc(x + 32 * k, base - 20 * k, x + 48 * k, base - 8 * k, 180, 360, frame, 3 * k)
    return w


def water_bottle(c: Canvas, x, base, k, rng):
    w = 34 * k
    c.rect(x, base - 100 * k, x + w, base, (190, 220, 245), outline=(110, 150, 190), radius=8 * k)
    c.rect(x + 2 * k, base - 60 * k, x + w - 2 * k, base - 2 * k, (120, 180, 230), radius=6 * k)  # the water
    c.rect(x + 8 * k, base - 116 * k, x + w - 8 * k, base - 98 * k, rng.choice([(30, 110, 200), (240, 240, 240)]))
    return w


DESK_OBJECTS = {
    "laptop": laptop, "monitor": monitor, "keyboard": keyboard, "mouse": mouse, "mug": mug, "lamp": lamp,
    "plant": plant, "book": books, "pen": pen, "phone": phone, "stapler": stapler, "scissors": scissors,
    "notebook": notebook, "calculator": calculator, "headphones": headphones, "glasses": glasses,
    "water bottle": water_bottle,
}


# --- things on the wall and in the room ------------------------------------------------------------------------

def clock(c: Canvas, x, y, rng):
    r = 32
    c.ellipse(x - r, y - r, x + r, y + r, (250, 250, 250), outline=(40, 40, 40), width=4)
    for i in range(12):
        a = math.radians(i * 30)
        c.line([(x + math.cos(a) * (r - 8), y + math.sin(a) * (r - 8)), (x + math.cos(a) * (r - 3), y + math.sin(a) * (r - 3))],
               (40, 40, 40), 2)
    hour, minute = rng.randint(0, 11), rng.randint(0, 11)
    for frac, length, width in ((hour / 12, 0.5, 4), (minute / 12, 0.8, 2.5)):
        a = math.radians(frac * 360 - 90)
        c.line([(x, y), (x + math.cos(a) * r * length, y + math.sin(a) * r * length)], (20, 20, 20), width)


def window(c: Canvas, x, y, rng):
    w, h = 150, 120
    c.rect(x, y, x + w, y + h, (250, 250, 250))
    c.rect(x + 8, y + 8, x + w - 8, y + h - 8, (150, 200, 240))
    c.ellipse(x + 20, y + 30, x + 70, y + 50, (250, 250, 252))  # a cloud
    c.ellipse(x + 45, y + 24, x + 95, y + 48, (250, 250, 252))
    c.rect(x + w / 2 - 3, y + 8, x + w / 2 + 3, y + h - 8, (250, 250, 250))
    c.rect(x + 8, y + h / 2 - 3, x + w - 8, y + h / 2 + 3, (250, 250, 250))


def whiteboard(c: Canvas, x, y, rng):
    w, h = 190, 110
    c.rect(x, y, x + w, y + h, (252, 252, 252), outline=(150, 150, 155), width=5)
    c.line([(x + 20, y + 30), (x + 90, y + 30)], (30, 80, 190), 3)
    c.line([(x + 20, y + 50), (x + 120, y + 50)], (30, 80, 190), 3)
    c.line([(x + 110, y + 85), (x + 130, y + 65), (x + 150, y + 75), (x + 170, y + 40)], (200, 40, 40), 3)
    c.rect(x + 60, y + h - 2, x + w - 60, y + h + 6, (150, 150, 155))


def picture(c: Canvas, x, y, rng):
    w, h = 110, 80
    c.rect(x, y, x + w, y + h, (120, 80, 40))
    c.rect(x + 7, y + 7, x + w - 7, y + h - 7, (170, 210, 240))
    c.poly([(x + 7, y + h - 7), (x + 45, y + 25), (x + 70, y + 50), (x + 85, y + 35), (x + w - 7, y + h - 7)], (80, 140, 80))
    c.ellipse(x + 72, y + 14, x + 88, y + 30, (250, 210, 60))


def calendar(c: Canvas, x, y, rng):
    w, h = 80, 100
    c.rect(x, y, x + w, y + h, (250, 250, 250), outline=(160, 160, 160))
    c.rect(x, y, x + w, y + 22, (200, 40, 40))
    for r in range(5):
        for col in range(7):
            c.rect(x + 6 + col * 10, y + 30 + r * 13, x + 12 + col * 10, y + 36 + r * 13, (120, 120, 120))


WALL_OBJECTS = {"clock": (clock, 70), "window": (window, 160), "whiteboard": (whiteboard, 200),
                "picture": (picture, 120), "calendar": (calendar, 90)}


def chair(c: Canvas, x, floor, rng):
    colour = rng.choice([(30, 30, 34), (40, 70, 140), (150, 40, 40)])
    c.rect(x + 10, floor - 170, x + 110, floor - 70, colour, radius=14)
    c.rect(x, floor - 72, x + 120, floor - 52, darker(colour, 0.8), radius=6)
    c.rect(x + 55, floor - 52, x + 65, floor - 18, (90, 90, 95))
    for dx in (-50, -20, 20, 50):
        c.line([(x + 60, floor - 18), (x + 60 + dx, floor - 6)], (90, 90, 95), 5)
        c.ellipse(x + 60 + dx - 6, floor - 10, x + 60 + dx + 6, floor + 2, (30, 30, 30))


def _width(result) -> float:
    return result[0] if isinstance(result, tuple) else result


def scene(index: int) -> tuple[Image.Image, dict]:
    rng = random.Random(f"glimpse-office:{SEED}:{index}")
    c = Canvas(rng.choice(WALLS))
    desk_top, desk_front = rng.choice(DESKS)
    top_y = rng.uniform(250, 290)
    front_y = top_y + rng.uniform(110, 140)
    c.rect(0, front_y, W, H, (180, 170, 160))  # the floor
    c.poly([(30, top_y), (W - 30, top_y), (W, front_y), (0, front_y)], desk_top)
    c.rect(0, front_y, W, front_y + 18, desk_front)
    c.rect(20, front_y + 18, 46, H, desk_front)
    c.rect(W - 46, front_y + 18, W - 20, H, desk_front)
    found: list[str] = ["desk"]
    counts: dict[str, int] = {}

    wall = rng.sample(sorted(WALL_OBJECTS), rng.randint(0, 2))
    x = rng.uniform(30, 80)
    for name in wall:
        draw, width = WALL_OBJECTS[name]
        if x + width > W - 20:
            break
        draw(c, x + (width / 2 if name == "clock" else 0), rng.uniform(40, 70) + (40 if name == "clock" else 0), rng)
        found.append(name)
        x += width + rng.uniform(40, 120)

    has_chair = rng.random() < 0.4
    names = rng.sample(sorted(DESK_OBJECTS), rng.randint(3, 6))
    # big things at the back, small things at the front
    back = [n for n in names if n in ("monitor", "lamp", "plant", "water bottle", "calculator", "book", "headphones")]
    front = [n for n in names if n not in back]
    front_spans = []
    for row, base, k in ((back, top_y + 30, 1.15), (front, top_y + rng.uniform(80, 95), 1.25)):
        x = rng.uniform(40, 70)
        for name in row:
            state = rng.getstate()  # measure on scratch paper first: what does not fit is not drawn, nor listed
            width = _width(DESK_OBJECTS[name](Canvas((0, 0, 0)), x, base, k, rng))
            rng.setstate(state)
            if x + width > W - 25:
                continue
            result = DESK_OBJECTS[name](c, x, base, k, rng)
            if isinstance(result, tuple):
                counts[name] = result[1]
            found.append(name)
            if row is front:
                front_spans.append((x, x + width))
            x += width + rng.uniform(15, 40)
    if has_chair:
        # only where it hides nothing on the desk's front row
        for _ in range(20):
            cx = rng.uniform(120, W - 240)
            if all(cx + 130 < a or cx - 10 > b for a, b in front_spans):
                chair(c, cx, H + 10, rng)
                found.append("chair")
                break
    return c.finish(), {"objects": found, "counts": counts}


def main():
    truth = {}
    total = 0
    for i in range(COUNT):
        picture_, truth[f"images/office-{i + 1:02d}.png"] = scene(i)
        total += save_small(picture_, OUT / f"images/office-{i + 1:02d}.png")
    (OUT / "truth.json").write_text(json.dumps(truth, indent=1) + "\n")
    print(f"{COUNT} scenes, {total / 1e3:.0f} kB")


if __name__ == "__main__":
    main()
