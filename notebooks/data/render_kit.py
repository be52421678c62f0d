"""What the generators of the notebooks' data share: fonts found on the machine, and saving a picture small.

The generators run from this folder (``python make_office.py`` …) with Pillow; see README.md for the packages.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

from PIL import Image, ImageFont

HERE = Path(__file__).resolve().parent

# Debian's font files; each entry is (path, index in a .ttc collection). The first that exists is used.
FONT_FILES = {
    "sans": [("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", 0)],
    "sans-bold": [("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf", 0)],
    "serif": [("/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf", 0),
              ("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", 0)],
    "serif-bold": [("/usr/share/fonts/truetype/liberation/LiberationSerif-Bold.ttf", 0),
                   ("/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf", 0)],
    "serif-italic": [("/usr/share/fonts/truetype/liberation/LiberationSerif-Italic.ttf", 0),
                     ("/usr/share/fonts/truetype/dejavu/DejaVuSerif-Italic.ttf", 0)],
    "narrow": [("/usr/share/fonts/truetype/liberation/LiberationSansNarrow-Regular.ttf", 0),
               ("/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed.ttf", 0)],
    "narrow-bold": [("/usr/share/fonts/truetype/liberation/LiberationSansNarrow-Bold.ttf", 0),
                    ("/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed-Bold.ttf", 0)],
    "mono": [("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf", 0)],
    # Simplified Chinese: Noto Sans/Serif CJK SC (fonts-noto-cjk) is index 2 of its collections; WenQuanYi Micro
    # Hei (fonts-wqy-microhei) has one face.
    "cjk-sans": [("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2)],
    "cjk-sans-bold": [("/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2)],
    "cjk-serif": [("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
                  ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", 2)],
    "cjk-serif-bold": [("/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc", 2)],
    "cjk-hei": [("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", 0)],
}

PACKAGES = ("fonts-dejavu-core fonts-dejavu-extra fonts-liberation fonts-noto-cjk fonts-wqy-microhei")


def font(name: str, size: int) -> ImageFont.FreeTypeFont:
    """The font called ``name`` in FONT_FILES at ``size`` pixels; fails naming the Debian packages to install."""
    for path, index in FONT_FILES[name]:
        if Path(path).is_file():
            return ImageFont.truetype(path, size, index=index)
    raise SystemExit(f"font {name!r} not found ({FONT_FILES[name][0][0]}); apt-get install {PACKAGES}")


def save_small(image: Image.Image, path: Path, limit: int = 100_000) -> int:
    """Saves as PNG (quantised to 256 colours when that is smaller) or JPEG, whichever fits ``limit`` bytes and
    suits the picture; returns the size written. ``path``'s suffix chooses the format."""
    path.parent.mkdir(parents=True, exist_ok=True)
    image = image.convert("RGB")
    if path.suffix == ".png":
        data = _png(image)
        if len(data) > limit:
            data = _png(image.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE))
    else:
        for quality in (88, 82, 76, 70, 62, 55):
            buffer = io.BytesIO()
            image.save(buffer, "JPEG", quality=quality, optimize=True, progressive=True)
            data = buffer.getvalue()
            if len(data) <= limit:
                break
    path.write_bytes(data)
    return len(data)


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def write_jsonl(path: Path, rows: list[dict]) -> None:
    """One JSON object a line, UTF-8, Chinese kept readable."""
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
