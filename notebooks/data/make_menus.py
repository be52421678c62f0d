"""Renders the restaurant menus of ``menus/`` (synthetic): seven in English and seven in Chinese, four layouts,
several fonts, and writes what each menu really offers to ``menus/truth.json`` (make_eval.py turns it into
questions).

    python make_menus.py            # from notebooks/data, with Pillow and the fonts of README.md

The restaurants, dishes and prices are made up for this data set.
"""

from __future__ import annotations

import json
import random

from PIL import Image, ImageDraw

from render_kit import HERE, font, save_small

OUT = HERE / "menus"
W, H = 600, 1000


# name, cuisine keywords (any of them names the cuisine), language, sections of (dish, price)
MENUS = [
    {"name": "Trattoria Da Lucia", "cuisine": ["Italian"], "lang": "en", "currency": "$",
     "tagline": "Cucina casalinga since 1987",
     "sections": {"Antipasti": [("Bruschetta al pomodoro", 8), ("Burrata with basil", 12), ("Arancini", 9)],
                  "Pasta": [("Spaghetti carbonara", 16), ("Tagliatelle al ragù", 17), ("Penne all'arrabbiata", 14)],
                  "Dolci": [("Tiramisù", 8), ("Panna cotta", 7)]}},
    {"name": "El Nopal Cantina", "cuisine": ["Mexican"], "lang": "en", "currency": "$",
     "tagline": "Tacos, salsas and mezcal",
     "sections": {"Tacos": [("Tacos al pastor", 11), ("Carnitas tacos", 12), ("Baja fish tacos", 13)],
                  "Platos": [("Chicken enchiladas", 15), ("Chiles rellenos", 14), ("Beef burrito", 13)],
                  "Sides": [("Guacamole and chips", 7), ("Elote", 5)]}},
    {"name": "Saffron House", "cuisine": ["Indian"], "lang": "en", "currency": "£",
     "tagline": "Tandoor and curry kitchen",
     "sections": {"Starters": [("Vegetable samosa", 5), ("Onion bhaji", 5), ("Chicken tikka", 7)],
                  "Curries": [("Butter chicken", 13), ("Lamb rogan josh", 14), ("Palak paneer", 11), ("Chana masala", 10)],
                  "Breads and rice": [("Garlic naan", 3), ("Pilau rice", 3)]}},
    {"name": "Kaze Sushi Bar", "cuisine": ["Japanese"], "lang": "en", "currency": "$",
     "tagline": "Omakase · Sushi · Ramen",
     "sections": {"Sushi": [("Salmon nigiri", 7), ("Tuna sashimi", 14), ("California roll", 9)],
                  "Hot dishes": [("Tonkotsu ramen", 15), ("Chicken teriyaki", 16), ("Vegetable tempura", 11)],
                  "Small plates": [("Edamame", 5), ("Miso soup", 4), ("Gyoza", 7)]}},
    {"name": "Le Petit Zinc", "cuisine": ["French"], "lang": "en", "currency": "€",
     "tagline": "Bistro parisien",
     "sections": {"Entrées": [("French onion soup", 9), ("Escargots de Bourgogne", 12)],
                  "Plats": [("Steak frites", 24), ("Coq au vin", 21), ("Bouillabaisse", 26), ("Ratatouille", 17)],
                  "Desserts": [("Crème brûlée", 9), ("Tarte Tatin", 9)]}},
    {"name": "Baan Thai Kitchen", "cuisine": ["Thai"], "lang": "en", "currency": "$",
     "tagline": "Street food from Bangkok",
     "sections": {"Soups and salads": [("Tom yum goong", 9), ("Som tam papaya salad", 8)],
                  "Noodles and rice": [("Pad thai", 13), ("Pad see ew", 13), ("Pineapple fried rice", 12)],
                  "Curries": [("Green curry", 14), ("Massaman curry", 15), ("Panang curry", 14)]}},
    {"name": "Olive & Vine Taverna", "cuisine": ["Greek"], "lang": "en", "currency": "€",
     "tagline": "Flavours of the Aegean",
     "sections": {"Mezedes": [("Tzatziki with pita", 6), ("Spanakopita", 8), ("Dolmades", 7)],
                  "Mains": [("Moussaka", 16), ("Lamb souvlaki", 18), ("Grilled octopus", 21)],
                  "Sweets": [("Baklava", 6), ("Loukoumades", 6)]}},
    {"name": "蜀香园", "cuisine": ["川菜", "四川", "Sichuan", "Szechuan"], "lang": "zh", "currency": "¥",
     "tagline": "正宗四川风味",
     "sections": {"凉菜": [("夫妻肺片", 38), ("口水鸡", 42)],
                  "热菜": [("麻婆豆腐", 28), ("宫保鸡丁", 36), ("水煮鱼", 88), ("回锅肉", 42), ("鱼香肉丝", 32)],
                  "主食": [("担担面", 18), ("蛋炒饭", 15)]}},
    {"name": "粤味轩", "cuisine": ["粤菜", "广东", "Cantonese", "港式"], "lang": "zh", "currency": "¥",
     "tagline": "港式点心 · 烧腊",
     "sections": {"点心": [("虾饺", 32), ("烧卖", 28), ("叉烧包", 22), ("凤爪", 26)],
                  "烧腊": [("蜜汁叉烧", 58), ("白切鸡", 68), ("烧鹅", 78)],
                  "粥粉面": [("皮蛋瘦肉粥", 22), ("干炒牛河", 38)]}},
    {"name": "京华烤鸭店", "cuisine": ["北京", "京菜", "Beijing", "Peking"], "lang": "zh", "currency": "¥",
     "tagline": "百年挂炉烤鸭",
     "sections": {"招牌": [("北京烤鸭", 198), ("炸酱面", 26)],
                  "热菜": [("京酱肉丝", 46), ("葱爆羊肉", 58), ("宫保虾球", 68)],
                  "小吃": [("驴打滚", 18), ("豌豆黄", 16), ("卤煮火烧", 32)]}},
    {"name": "樱花日本料理", "cuisine": ["日本", "日料", "日式", "Japanese"], "lang": "zh", "currency": "¥",
     "tagline": "寿司 · 刺身 · 拉面",
     "sections": {"寿司": [("三文鱼寿司", 38), ("鳗鱼寿司", 48), ("加州卷", 36)],
                  "刺身": [("金枪鱼刺身", 88), ("北极贝刺身", 58)],
                  "热食": [("豚骨拉面", 42), ("天妇罗", 46), ("照烧鸡排饭", 45)]}},
    {"name": "首尔家韩国料理", "cuisine": ["韩国", "韩式", "韩餐", "Korean"], "lang": "zh", "currency": "¥",
     "tagline": "烤肉 · 石锅拌饭",
     "sections": {"烤肉": [("韩式烤五花肉", 78), ("烤牛小排", 98)],
                  "料理": [("石锅拌饭", 42), ("泡菜汤", 36), ("部队火锅", 128), ("海鲜葱饼", 48)],
                  "小吃": [("炒年糕", 32), ("紫菜包饭", 28)]}},
    {"name": "罗马假日意大利餐厅", "cuisine": ["意大利", "意式", "Italian"], "lang": "zh", "currency": "¥",
     "tagline": "手工披萨 · 意面",
     "sections": {"披萨": [("玛格丽特披萨", 68), ("意式香肠披萨", 78)],
                  "意面": [("肉酱意面", 58), ("培根奶油意面", 62), ("墨鱼汁意面", 72)],
                  "甜品": [("提拉米苏", 38), ("意式奶冻", 32)]}},
    {"name": "湘当好湘菜馆", "cuisine": ["湘菜", "湖南", "Hunan"], "lang": "zh", "currency": "¥",
     "tagline": "无辣不欢",
     "sections": {"招牌菜": [("剁椒鱼头", 98), ("辣椒炒肉", 42), ("毛氏红烧肉", 58)],
                  "家常菜": [("手撕包菜", 22), ("腊味合蒸", 56), ("干锅花菜", 28)],
                  "汤": [("酸辣汤", 20)]}},
]

PALETTES = [  # background, text, accent
    ((252, 248, 238), (40, 30, 20), (150, 40, 30)),
    ((255, 255, 255), (30, 30, 30), (30, 90, 60)),
    ((40, 44, 42), (236, 236, 228), (240, 200, 90)),   # a chalkboard
    ((246, 240, 226), (60, 40, 30), (120, 80, 20)),
    ((250, 246, 250), (30, 30, 50), (160, 30, 80)),
]

FONTS = {  # language -> (title, section, dish) font choices
    "en": [("serif-bold", "serif-italic", "serif"), ("sans-bold", "sans-bold", "sans"),
           ("narrow-bold", "narrow-bold", "narrow"), ("serif-bold", "sans-bold", "serif")],
    "zh": [("cjk-serif-bold", "cjk-sans-bold", "cjk-sans"), ("cjk-sans-bold", "cjk-sans-bold", "cjk-hei"),
           ("cjk-serif-bold", "cjk-serif-bold", "cjk-serif"), ("cjk-hei", "cjk-hei", "cjk-hei")],
}


def text_width(d: ImageDraw.ImageDraw, s: str, f) -> float:
    return d.textlength(s, font=f)


def price_text(menu, price) -> str:
    return f"{menu['currency']}{price}"


def render(menu: dict, layout: int, rng: random.Random) -> Image.Image:
    background, ink, accent = PALETTES[rng.randrange(len(PALETTES))] if layout != 3 else PALETTES[2]
    title_font, section_font, dish_font = FONTS[menu["lang"]][rng.randrange(4)]
    image = Image.new("RGB", (W, H), background)
    d = ImageDraw.Draw(image)
    y = 40
    if layout == 2:  # a coloured band across the top
        d.rectangle([0, 0, W, 130], fill=accent)
        heading, y = background, 28
    else:
        heading = accent
    size = 44 if len(menu["name"]) < 12 else 36
    f = font(title_font, size)
    d.text(((W - text_width(d, menu["name"], f)) / 2, y), menu["name"], font=f, fill=heading)
    y += size + 14
    f = font(section_font if menu["lang"] == "zh" else "serif-italic", 20)
    d.text(((W - text_width(d, menu["tagline"], f)) / 2, y), menu["tagline"], font=f, fill=heading if layout == 2 else ink)
    y = max(y + 50, 150)
    sections = list(menu["sections"].items())
    if layout == 1:  # two columns
        columns = [sections[: (len(sections) + 1) // 2], sections[(len(sections) + 1) // 2:]]
        ends = []
        for col, chunk in enumerate(columns):
            x0, x1, yy = 40 + col * 270, 40 + col * 270 + 250, y
            for title, dishes in chunk:
                yy = section(d, title, dishes, menu, x0, x1, yy, section_font, dish_font, ink, accent, leaders=False)
            ends.append(yy)
        y = max(yy for yy in ends)
    else:
        for title, dishes in sections:
            y = section(d, title, dishes, menu, 60, W - 60, y, section_font, dish_font, ink, accent,
                        leaders=layout in (0, 3), centred=layout == 2)
    height = int(y) + 70
    image = image.crop((0, 0, W, height))
    d = ImageDraw.Draw(image)
    if layout != 2:
        d.rectangle([18, 18, W - 18, height - 18], outline=accent, width=3)
    foot = "Prices include tax" if menu["lang"] == "en" else "价格均含税"
    f = font(dish_font, 15)
    d.text(((W - text_width(d, foot, f)) / 2, height - 48), foot, font=f, fill=ink)
    return image


def section(d, title, dishes, menu, x0, x1, y, section_font, dish_font, ink, accent, leaders, centred=False):
    label = title.upper() if menu["lang"] == "en" and not centred else title
    f = font(section_font, 28)
    while text_width(d, label, f) > x1 - x0:
        f = font(section_font, f.size - 2)
    tx = (x0 + x1 - text_width(d, label, f)) / 2 if centred else x0
    d.text((tx, y), label, font=f, fill=accent)
    y += 40
    f = font(dish_font, 24 if (x1 - x0) > 300 else 20)
    for dish, price in dishes:
        p = price_text(menu, price)
        if centred:
            line = f"{dish}  {p}"
            d.text(((x0 + x1 - text_width(d, line, f)) / 2, y), line, font=f, fill=ink)
        else:
            d.text((x0, y), dish, font=f, fill=ink)
            pw = text_width(d, p, f)
            d.text((x1 - pw, y), p, font=f, fill=ink)
            if leaders:
                start, end = x0 + text_width(d, dish, f) + 8, x1 - pw - 8
                dot = start
                while dot < end:
                    d.ellipse([dot, y + 17, dot + 2, y + 19], fill=ink)
                    dot += 8
        y += 36 if (x1 - x0) > 300 else 31
        if y > H - 90:
            raise ValueError(f"{menu['name']} does not fit")
    return y + 18


def main():
    truth = {}
    total = 0
    for i, menu in enumerate(MENUS):
        rng = random.Random(f"glimpse-menus:{i}")
        layout = i % 4
        name = f"images/menu-{i + 1:02d}-{menu['lang']}.png"
        total += save_small(render(menu, layout, rng), OUT / name)
        truth[name] = {"restaurant": menu["name"], "cuisine": menu["cuisine"], "language": menu["lang"],
                       "layout": ["one column with leaders", "two columns", "centred with a band",
                                  "chalkboard"][layout],
                       "dishes": {dish: price for dishes in menu["sections"].values() for dish, price in dishes}}
    (OUT / "truth.json").write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(MENUS)} menus, {total / 1e3:.0f} kB")


if __name__ == "__main__":
    main()
