"""Sans-serif fonts for the word in a scene.

Scenes use every font of a short list of common sans-serif families that is installed, so a model trained on them
does not learn one typeface. DejaVu Sans alone is enough to run; Liberation, FreeFont and Noto add variety
(``apt-get install fonts-liberation fonts-freefont-ttf fonts-noto-core``).
"""

from __future__ import annotations

import os
from pathlib import Path

# File names of upright (non-italic) sans-serif faces, regular and bold; searched for under FONT_DIRS.
SANS_FONT_FILES = [
    "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf",
    "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf",
    "FreeSans.ttf", "FreeSansBold.ttf",
    "NotoSans-Regular.ttf", "NotoSans-Bold.ttf",
]

FONT_DIRS = [
    Path("/usr/share/fonts"), Path("/usr/local/share/fonts"), Path.home() / ".fonts",
    Path.home() / ".local" / "share" / "fonts", Path("/Library/Fonts"), Path("/System/Library/Fonts"),
]


class FontNotFoundError(RuntimeError):
    """No usable sans-serif font is installed."""


def find_sans_fonts(extra: list[str | os.PathLike] | None = None) -> list[Path]:
    """Every known sans-serif font file installed here (sorted by name, so a seed gives the same scenes on
    machines with the same fonts), plus ``extra`` files.

    Raises FontNotFoundError, naming the fix, when there is none.
    """
    found: dict[str, Path] = {}
    wanted = set(SANS_FONT_FILES)
    for root in FONT_DIRS:
        if not root.is_dir():
            continue
        for dirpath, _dirs, files in os.walk(root):
            for name in files:
                if name in wanted and name not in found:
                    found[name] = Path(dirpath) / name
    fonts = [found[n] for n in sorted(found)]
    for e in extra or []:
        p = Path(e)
        if not p.is_file():
            raise FontNotFoundError(f"font file {p} does not exist; pass the path of a .ttf or .otf file")
        fonts.append(p)
    if not fonts:
        raise FontNotFoundError(
            "no sans-serif font found (looked for " + ", ".join(SANS_FONT_FILES[:2]) + ", ... under "
            + ", ".join(str(d) for d in FONT_DIRS) + "). Install DejaVu Sans (Debian/Ubuntu: "
            "apt-get install fonts-dejavu-core) or pass --font /path/to/a/sans-serif.ttf")
    return fonts
