"""Copies the photos of ``landscapes/`` and the one of ``office/`` from Debian packages, scaled down to at most
800 pixels a side, and records each one's source, author and licence in ``sources.json`` beside it (README.md
has the same table).

    apt-get install mate-backgrounds lomiri-wallpapers-16.04 plasma-workspace-wallpapers python3-skimage
    python copy_photos.py            # from notebooks/data, with Pillow installed

The repository ships the copies, so nothing here is needed to run the notebooks.
"""

from __future__ import annotations

import json
from pathlib import Path

from PIL import Image

from render_kit import HERE, save_small

MATE = "/usr/share/backgrounds/mate/nature/"
LOMIRI = "/usr/share/backgrounds/"
PLASMA = "/usr/share/wallpapers/{}/contents/images/1920x1080.jpg"
SKIMAGE = "/usr/lib/python3/dist-packages/skimage/data/"

# target, source file, Debian package, author, licence
PHOTOS = [
    ("landscapes/images/dune.jpg", MATE + "Dune.jpg", "mate-backgrounds",
     "Marco Cogoni, Hylke Bons", "GPL-2+"),
    ("landscapes/images/storm.jpg", MATE + "Storm.jpg", "mate-backgrounds", "Sergey Nazarov", "GPL-2+"),
    ("landscapes/images/aitzgorri.jpg", LOMIRI + "aitzgorri_by_Aitzol_Berasategi.jpg", "lomiri-wallpapers-16.04",
     "Aitzol Berasategi", "CC-BY-4.0"),
    ("landscapes/images/forest-stream.jpg", LOMIRI + "life_by_Aitzol_Berasategi.jpg", "lomiri-wallpapers-16.04",
     "Aitzol Berasategi", "CC-BY-4.0"),
    ("landscapes/images/picos-de-europa.jpg", LOMIRI + "picosdeeuropa_by_Aitzol_Berasategi.jpg",
     "lomiri-wallpapers-16.04", "Aitzol Berasategi", "CC-BY-4.0"),
    ("landscapes/images/mountain-sunset.jpg", LOMIRI + "sunset_by_Aitzol_Berasategi.jpg", "lomiri-wallpapers-16.04",
     "Aitzol Berasategi", "CC-BY-4.0"),
    ("landscapes/images/tidal-flat.jpg", LOMIRI + "Bridge_by_Sander_Klootwijk.jpg", "lomiri-wallpapers-16.04",
     "Sander Klootwijk", "CC-BY-SA-4.0"),
    ("landscapes/images/by-the-water.jpg", PLASMA.format("BytheWater"), "plasma-workspace-wallpapers",
     "Maciej Wiklo", "LGPL-3 (wallpaper metadata); package GPL-2+"),
    ("landscapes/images/cold-ripple.jpg", PLASMA.format("ColdRipple"), "plasma-workspace-wallpapers",
     "Risto Saukonpää", "LGPL-3 (wallpaper metadata); package GPL-2+"),
    ("landscapes/images/darkest-hour.jpg", PLASMA.format("DarkestHour"), "plasma-workspace-wallpapers",
     "Risto Saukonpää", "LGPL-3 (wallpaper metadata); package GPL-2+"),
    ("landscapes/images/evening-glow.jpg", PLASMA.format("EveningGlow"), "plasma-workspace-wallpapers",
     "Ian Hex", "LGPL-3 (wallpaper metadata); package GPL-2+"),
    ("landscapes/images/forest-path.jpg", PLASMA.format("Path"), "plasma-workspace-wallpapers",
     "Risto Saukonpää", "LGPL-3 (wallpaper metadata); package GPL-2+"),
    ("landscapes/images/summer-night-lake.jpg", PLASMA.format("summer_1am"), "plasma-workspace-wallpapers",
     "Risto Saukonpää", "LGPL-3 (wallpaper metadata); package GPL-2+"),
    ("landscapes/images/kite.jpg", PLASMA.format("Kite"), "plasma-workspace-wallpapers",
     "Risto Saukonpää", "LGPL-3 (wallpaper metadata); package GPL-2+"),
    ("office/images/office-photo-coffee.jpg", SKIMAGE + "coffee.png", "python3-skimage (skimage/data/coffee.png)",
     "Rachel Michetti (via scikit-image)", "CC0-1.0"),
]


def main():
    sources: dict[str, dict[str, dict]] = {}
    for target, source, package, author, licence in PHOTOS:
        if not Path(source).is_file():
            raise SystemExit(f"{source} is missing: apt-get install {package.split()[0]}")
        image = Image.open(source).convert("RGB")
        image.thumbnail((800, 800), Image.Resampling.LANCZOS)
        size = save_small(image, HERE / target, limit=95_000)
        folder, name = target.split("/", 1)
        sources.setdefault(folder, {})[name] = {"source": source, "package": package, "author": author,
                                                "licence": licence, "size": list(image.size)}
        print(f"{target}: {image.size[0]}x{image.size[1]}, {size / 1e3:.0f} kB")
    for folder, entries in sources.items():
        (HERE / folder / "sources.json").write_text(json.dumps(entries, ensure_ascii=False, indent=1) + "\n")


if __name__ == "__main__":
    main()
