"""Renders the product-manual pages of ``manuals/`` (synthetic): made-up products in English, Chinese and German,
three page layouts, several fonts; writes what each page really says to ``manuals/truth.json`` (make_eval.py turns
it into questions).

    python make_manuals.py            # from notebooks/data, with Pillow and the fonts of README.md

The brands, models and features are invented for this data set.
"""

from __future__ import annotations

import json
import random

from PIL import Image, ImageDraw

from render_kit import HERE, font, save_small

OUT = HERE / "manuals"
W = 620

# product, brand and model (the words that name it), language, kind of device, features: (text on the page,
# the key term a correct answer contains), specifications: (label, value)
PRODUCTS = [
    {"product": "Aurora K2 Electric Kettle", "name": ["Aurora", "K2", "kettle"], "lang": "en", "shape": "kettle",
     "features": [("1.7 L capacity", "1.7"), ("Automatic shut-off when boiled", "shut-off"),
                  ("Boil-dry protection", "boil-dry"), ("Five temperature presets", "temperature"),
                  ("Keep-warm mode for 30 minutes", "keep-warm")],
     "specs": [("Power", "2200 W"), ("Voltage", "220–240 V"), ("Weight", "1.1 kg")], "number": ("Power", 2200, "W")},
    {"product": "Nimbus X5 Robot Vacuum", "name": ["Nimbus", "X5", "vacuum"], "lang": "en", "shape": "disc",
     "features": [("Laser navigation maps every room", "laser"), ("Runs 150 minutes on one charge", "150"),
                  ("Returns to its dock to recharge", "dock"), ("Mops and vacuums in one pass", "mop"),
                  ("App control and schedules", "app")],
     "specs": [("Battery", "5200 mAh"), ("Suction", "4000 Pa"), ("Dust bin", "0.4 L")], "number": ("Battery", 5200, "mAh")},
    {"product": "SoundLeaf BT-20 Bluetooth Speaker", "name": ["SoundLeaf", "BT-20", "speaker"], "lang": "en",
     "shape": "speaker",
     "features": [("Waterproof to IPX7", "IPX7"), ("20 hours of playback", "20 hours"), ("Bluetooth 5.3", "Bluetooth"),
                  ("Built-in microphone for calls", "microphone"), ("Pair two speakers for stereo", "stereo")],
     "specs": [("Output", "20 W"), ("Battery", "4000 mAh"), ("Weight", "540 g")], "number": ("Output", 20, "W")},
    {"product": "Lumina D3 LED Desk Lamp", "name": ["Lumina", "D3", "lamp"], "lang": "en", "shape": "lamp",
     "features": [("Five colour temperatures", "colour"), ("Touch dimmer", "dimmer"),
                  ("USB-C charging port", "USB"), ("Auto-off timer", "timer"), ("Flicker-free light", "flicker")],
     "specs": [("Power", "12 W"), ("Brightness", "800 lm"), ("Arm length", "45 cm")], "number": ("Brightness", 800, "lm")},
    {"product": "BrewMaster 12 Coffee Maker", "name": ["BrewMaster", "12", "coffee"], "lang": "en", "shape": "kettle",
     "features": [("Brews up to 12 cups", "12 cups"), ("Programmable 24-hour timer", "timer"),
                  ("Reusable gold-tone filter", "filter"), ("Pause-and-serve", "pause"),
                  ("Heated glass carafe", "carafe")],
     "specs": [("Power", "1000 W"), ("Capacity", "1.8 L"), ("Cord length", "90 cm")], "number": ("Capacity", 1.8, "L")},
    {"product": "PixelCam A4 Action Camera", "name": ["PixelCam", "A4", "camera"], "lang": "en", "shape": "camera",
     "features": [("4K video at 60 fps", "4K"), ("Electronic image stabilisation", "stabilisation"),
                  ("Waterproof to 10 m without a case", "waterproof"), ("Voice control", "voice"),
                  ("Two touch screens", "screen")],
     "specs": [("Sensor", "12 MP"), ("Battery", "1720 mAh"), ("Weight", "127 g")], "number": ("Weight", 127, "g")},
    {"product": "Zephyr AP-350 Air Purifier", "name": ["Zephyr", "AP-350", "purifier"], "lang": "en",
     "shape": "tower",
     "features": [("True HEPA filter", "HEPA"), ("Covers rooms up to 40 m²", "40"), ("Quiet sleep mode at 24 dB", "sleep"),
                  ("Air quality sensor", "sensor"), ("Filter change indicator", "indicator")],
     "specs": [("CADR", "350 m³/h"), ("Power", "45 W"), ("Noise", "24–52 dB")], "number": ("Power", 45, "W")},
    {"product": "清风 F9 智能落地扇", "name": ["清风", "F9", "风扇"], "lang": "zh", "shape": "fan",
     "features": [("12 档风速调节", "风速"), ("遥控器操作", "遥控"), ("8 小时定时关机", "定时"),
                  ("静音直流电机", "静音"), ("左右自动摇头", "摇头")],
     "specs": [("额定功率", "30 W"), ("电压", "220 V"), ("重量", "4.2 kg")], "number": ("额定功率", 30, "W")},
    {"product": "小厨 MC-22 智能电饭煲", "name": ["小厨", "MC-22", "电饭煲"], "lang": "zh", "shape": "cooker",
     "features": [("4 升大容量", "4 升"), ("24 小时预约", "预约"), ("一键快煮", "快煮"),
                  ("不粘内胆", "不粘"), ("自动保温", "保温")],
     "specs": [("额定功率", "860 W"), ("容量", "4 L"), ("适用人数", "2–8 人")], "number": ("额定功率", 860, "W")},
    {"product": "云帆 T3 无线耳机", "name": ["云帆", "T3", "耳机"], "lang": "zh", "shape": "earbuds",
     "features": [("主动降噪", "降噪"), ("单次续航 8 小时", "续航"), ("蓝牙 5.3", "蓝牙"),
                  ("IPX4 防水", "防水"), ("无线充电盒", "充电盒")],
     "specs": [("电池容量", "50 mAh"), ("充电盒容量", "500 mAh"), ("重量", "4.5 g")], "number": ("充电盒容量", 500, "mAh")},
    {"product": "净界 P6 空气净化器", "name": ["净界", "P6", "净化器"], "lang": "zh", "shape": "tower",
     "features": [("HEPA 滤网", "HEPA"), ("甲醛去除", "甲醛"), ("PM2.5 实时显示", "PM2.5"),
                  ("睡眠模式", "睡眠"), ("手机 App 远程控制", "App")],
     "specs": [("洁净空气量", "420 m³/h"), ("适用面积", "50 m²"), ("噪音", "≤ 30 dB")], "number": ("适用面积", 50, "m²")},
    {"product": "光影 S8 智能投影仪", "name": ["光影", "S8", "投影仪"], "lang": "zh", "shape": "projector",
     "features": [("1080P 全高清", "1080P"), ("自动对焦", "对焦"), ("梯形校正", "梯形"),
                  ("内置音箱", "音箱"), ("支持无线投屏", "投屏")],
     "specs": [("亮度", "600 ANSI 流明"), ("投射尺寸", "40–150 英寸"), ("功率", "65 W")], "number": ("亮度", 600, "流明")},
    {"product": "Frostline KB-40 Kühlbox", "name": ["Frostline", "KB-40", "Kühlbox"], "lang": "de", "shape": "box",
     "features": [("40 Liter Fassungsvermögen", "40 Liter"), ("Kühlt bis −20 °C", "−20"), ("12 V und 230 V Betrieb", "12 V"),
                  ("App-Steuerung per Bluetooth", "App"), ("Batterieschutz in drei Stufen", "Batterieschutz")],
     "specs": [("Leistung", "45 W"), ("Gewicht", "14 kg"), ("Geräusch", "42 dB")], "number": ("Gewicht", 14, "kg")},
    {"product": "Stella H7 Haartrockner", "name": ["Stella", "H7", "Haartrockner"], "lang": "de", "shape": "dryer",
     "features": [("Ionen-Technologie gegen Frizz", "Ionen"), ("Drei Temperaturstufen", "Temperatur"),
                  ("Kaltluftstufe", "Kaltluft"), ("Abnehmbarer Luftfilter", "Luftfilter"),
                  ("Klappbarer Griff", "Griff")],
     "specs": [("Leistung", "2000 W"), ("Kabellänge", "2,5 m"), ("Gewicht", "480 g")], "number": ("Leistung", 2000, "W")},
]

HEADINGS = {
    "en": ("User manual", "Key features", "Specifications", "Page"),
    "zh": ("使用说明书", "产品特点", "技术参数", "第"),
    "de": ("Bedienungsanleitung", "Ausstattung", "Technische Daten", "Seite"),
}
FONTS = {
    "en": [("sans-bold", "sans"), ("serif-bold", "serif"), ("narrow-bold", "narrow")],
    "de": [("sans-bold", "sans"), ("serif-bold", "serif"), ("narrow-bold", "narrow")],
    "zh": [("cjk-sans-bold", "cjk-sans"), ("cjk-serif-bold", "cjk-serif"), ("cjk-hei", "cjk-hei")],
}
ACCENTS = [(20, 90, 160), (200, 70, 30), (30, 120, 90), (90, 60, 140), (50, 50, 50)]


def sketch(d: ImageDraw.ImageDraw, shape: str, box, ink, accent):
    """A line drawing of the device, as manuals have: enough to look like one, not to identify it."""
    x0, y0, x1, y1 = box
    cx, cy, w, h = (x0 + x1) / 2, (y0 + y1) / 2, x1 - x0, y1 - y0
    lw = 3
    if shape == "kettle":
        d.rounded_rectangle([cx - w * .25, cy - h * .3, cx + w * .2, cy + h * .4], 14, outline=ink, width=lw)
        d.arc([cx + w * .05, cy - h * .25, cx + w * .4, cy + h * .25], 270, 90, fill=ink, width=lw)
        d.polygon([(cx - w * .25, cy - h * .2), (cx - w * .42, cy - h * .32), (cx - w * .25, cy - h * .05)], outline=ink)
        d.rectangle([cx - w * .3, cy + h * .4, cx + w * .25, cy + h * .46], fill=accent)
    elif shape == "disc":
        d.ellipse([cx - w * .4, cy - h * .3, cx + w * .4, cy + h * .3], outline=ink, width=lw)
        d.ellipse([cx - w * .1, cy - h * .2, cx + w * .1, cy - h * .02], outline=accent, width=lw)
    elif shape in ("speaker", "tower", "box", "cooker", "projector"):
        tall = {"speaker": (.25, .4), "tower": (.22, .45), "box": (.4, .3), "cooker": (.35, .3), "projector": (.4, .22)}[shape]
        d.rounded_rectangle([cx - w * tall[0], cy - h * tall[1], cx + w * tall[0], cy + h * tall[1]], 16, outline=ink,
                            width=lw)
        if shape in ("speaker", "tower"):
            for i in range(6):
                yy = cy - h * .25 + i * h * .08
                d.line([cx - w * .15, yy, cx + w * .15, yy], fill=accent, width=2)
        elif shape == "projector":
            d.ellipse([cx + w * .1, cy - h * .12, cx + w * .32, cy + h * .12], outline=accent, width=lw)
        else:
            d.rectangle([cx - w * tall[0], cy - h * .05, cx + w * tall[0], cy + h * .02], fill=accent)
    elif shape == "lamp":
        d.ellipse([cx - w * .25, cy + h * .35, cx + w * .05, cy + h * .45], outline=ink, width=lw)
        d.line([cx - w * .1, cy + h * .38, cx, cy - h * .3, cx + w * .3, cy - h * .15], fill=ink, width=lw)
        d.polygon([(cx + w * .2, cy - h * .2), (cx + w * .42, cy - h * .12), (cx + w * .32, cy)], outline=accent)
    elif shape == "camera":
        d.rounded_rectangle([cx - w * .35, cy - h * .25, cx + w * .35, cy + h * .25], 10, outline=ink, width=lw)
        d.ellipse([cx - w * .15, cy - h * .18, cx + w * .15, cy + h * .18], outline=accent, width=lw)
    elif shape == "fan":
        d.ellipse([cx - w * .3, cy - h * .45, cx + w * .3, cy + h * .05], outline=ink, width=lw)
        for a in (0, 120, 240):
            d.pieslice([cx - w * .25, cy - h * .4, cx + w * .25, cy], a, a + 50, outline=accent)
        d.line([cx, cy + h * .05, cx, cy + h * .4], fill=ink, width=lw)
        d.ellipse([cx - w * .2, cy + h * .38, cx + w * .2, cy + h * .46], outline=ink, width=lw)
    elif shape == "earbuds":
        d.rounded_rectangle([cx - w * .3, cy, cx + w * .3, cy + h * .35], 20, outline=ink, width=lw)
        for dx in (-.15, .15):
            d.ellipse([cx + w * dx - 14, cy - h * .3, cx + w * dx + 14, cy - h * .12], outline=accent, width=lw)
    elif shape == "dryer":
        d.rounded_rectangle([cx - w * .35, cy - h * .3, cx + w * .2, cy - h * .05], 12, outline=ink, width=lw)
        d.rounded_rectangle([cx - w * .05, cy - h * .05, cx + w * .08, cy + h * .4], 6, outline=accent, width=lw)


def render(p: dict, index: int, rng: random.Random) -> Image.Image:
    lang = p["lang"]
    bold, regular = FONTS[lang][index % 3]
    accent = ACCENTS[index % len(ACCENTS)]
    ink = (30, 30, 34)
    title, features_heading, specs_heading, page_word = HEADINGS[lang]
    layout = index % 3
    image = Image.new("RGB", (W, 1100), (255, 255, 255))
    d = ImageDraw.Draw(image)
    y = 0
    if layout == 0:  # a coloured band with the product's name
        d.rectangle([0, 0, W, 110], fill=accent)
        d.text((36, 20), title, font=font(regular, 18), fill=(255, 255, 255))
        y = fit_title(d, p["product"], bold, 36, 50, (255, 255, 255)) + 40
    else:
        d.text((36, 26), title, font=font(regular, 18), fill=accent)
        d.line([36, 56, W - 36, 56], fill=accent, width=2)
        y = fit_title(d, p["product"], bold, 36, 70, ink) + 30
    if layout == 2:  # the drawing beside the features
        sketch(d, p["shape"], (W - 230, y, W - 40, y + 190), ink, accent)
        right = W - 240
    else:
        sketch(d, p["shape"], (W / 2 - 120, y, W / 2 + 120, y + 190), ink, accent)
        d.text((W / 2 - 20, y + 196), "Fig. 1" if lang != "zh" else "图 1", font=font(regular, 14), fill=ink)
        y += 230
        right = W - 36
    number = "1." if layout == 1 else ""
    d.text((36, y), f"{number} {features_heading}".strip(), font=font(bold, 24), fill=accent)
    y += 42
    f = font(regular, 20)
    for text, _ in p["features"]:
        bullet = "•" if layout != 1 else "–"
        lines = wrap(d, text, f, right - 70)
        d.text((44, y), bullet, font=f, fill=accent)
        for line in lines:
            d.text((68, y), line, font=f, fill=ink)
            y += 30
        y += 6
    y = max(y, 330) + 24
    d.text((36, y), ("2. " if layout == 1 else "") + specs_heading, font=font(bold, 24), fill=accent)
    y += 42
    for i, (label, value) in enumerate(p["specs"]):
        if layout != 0 and i % 2 == 0:
            d.rectangle([36, y - 4, W - 36, y + 30], fill=(240, 242, 246))
        d.text((48, y), label, font=f, fill=ink)
        d.text((W / 2, y), value, font=f, fill=ink)
        y += 36
    y += 40
    page = f"{page_word} {rng.randint(3, 24)}" + (" 页" if lang == "zh" else "")
    d.line([36, y, W - 36, y], fill=(200, 200, 200), width=1)
    d.text((W - 36 - d.textlength(page, font=font(regular, 15)), y + 10), page, font=font(regular, 15), fill=ink)
    return image.crop((0, 0, W, y + 44))


def fit_title(d, text, bold, x, y, fill) -> int:
    size = 34
    while d.textlength(text, font=font(bold, size)) > W - 2 * x:
        size -= 2
    d.text((x, y), text, font=font(bold, size), fill=fill)
    return y + size


def wrap(d, text, f, width):
    words, lines, line = (list(text) if " " not in text else text.split(" ")), [], ""
    joiner = "" if " " not in text else " "
    for word in words:
        candidate = (line + joiner + word) if line else word
        if d.textlength(candidate, font=f) > width and line:
            lines.append(line)
            line = word
        else:
            line = candidate
    return lines + [line]


def main():
    truth = {}
    total = 0
    for i, p in enumerate(PRODUCTS):
        rng = random.Random(f"glimpse-manuals:{i}")
        name = f"images/manual-{i + 1:02d}-{p['lang']}.png"
        total += save_small(render(p, i, rng), OUT / name)
        truth[name] = {"product": p["product"], "name": p["name"], "language": p["lang"],
                       "features": [text for text, _ in p["features"]],
                       "feature_terms": [term for _, term in p["features"]],
                       "specs": dict(p["specs"]), "number": p["number"]}
    (OUT / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(PRODUCTS)} pages, {total / 1e3:.0f} kB")


if __name__ == "__main__":
    main()
