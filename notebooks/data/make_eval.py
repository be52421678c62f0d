"""Writes the four evaluation sets (office/, menus/, landscapes/, manuals/ eval.jsonl) from what the generators
recorded in each folder's truth.json and from what the photos really show (described here, by looking at them).

    python make_eval.py            # from notebooks/data, after make_office.py, make_menus.py, make_manuals.py
                                   # and copy_photos.py

Each line has exactly one matcher (see README.md): list, contains_any, contains_all, number or judge.
"""

from __future__ import annotations

import json
import random

from render_kit import HERE, write_jsonl


def truth(folder: str) -> dict:
    return json.loads((HERE / folder / "truth.json").read_text(encoding="utf-8"))


# --- office -----------------------------------------------------------------------------------------------------

OFFICE_PHOTO = {"image": "images/office-photo-coffee.jpg",
                "objects": ["cup", "saucer", "spoon", "table"]}


def office() -> list[dict]:
    scenes = truth("office")
    rows = []
    every = sorted({o for t in scenes.values() for o in t["objects"]} - {"desk"})
    rng = random.Random("glimpse-office-questions")
    for i, (image, t) in enumerate(scenes.items()):
        rows.append({"image": image, "question": "List the objects in this office picture, separated by commas.",
                     "type": "objects", "list": t["objects"]})
        present = i % 2 == 0
        pool = [o for o in t["objects"] if o != "desk"] if present else [o for o in every if o not in t["objects"]]
        thing = rng.choice(pool)
        article = "an" if thing[0] in "aeiou" else "a"
        noun = thing if thing not in ("scissors", "headphones", "glasses") else f"pair of {thing}"
        rows.append({"image": image, "question": f"Is there {article if noun == thing else 'a'} {noun} in this picture? "
                     "Answer yes or no.", "type": "exists", "contains_any": ["yes"] if present else ["no"]})
        if "book" in t["counts"]:
            rows.append({"image": image, "question": "How many books are in the stack on the desk?", "type": "count",
                         "number": t["counts"]["book"]})
    rows.append({"image": OFFICE_PHOTO["image"], "question": "List the objects in this picture, separated by commas.",
                 "type": "objects", "list": OFFICE_PHOTO["objects"]})
    rows.append({"image": OFFICE_PHOTO["image"], "question": "What drink is in the cup?", "type": "exists",
                 "contains_any": ["coffee", "espresso"]})
    return rows


# --- menus ------------------------------------------------------------------------------------------------------

def menus() -> list[dict]:
    rows = []
    for i, (image, t) in enumerate(truth("menus").items()):
        zh = t["language"] == "zh"
        dishes = list(t["dishes"])
        rows.append({"image": image, "type": "cuisine", "contains_any": t["cuisine"],
                     "question": "这家餐厅是什么菜系？" if zh else "What cuisine does this restaurant serve?"})
        rows.append({"image": image, "type": "recommend",
                     "question": "请从这份菜单中推荐三道菜。" if zh else "Recommend three dishes from this menu.",
                     "judge": "The answer should recommend three dishes, each of which is on this menu: "
                              + "; ".join(dishes) + ". Grade 5 if it names three dishes from this menu (a short reason "
                              "for each is welcome), 4 if it names three but one is only approximately named, 3 if only "
                              "one or two of them are on the menu, 2 if it names dishes that are not on the menu, 1 if it "
                              "names no dish."})
        if i % 2 == 0:
            dish = dishes[(i * 3) % len(dishes)]
            rows.append({"image": image, "type": "price", "number": t["dishes"][dish],
                         "question": f"{dish}多少钱？" if zh else f"How much does the {dish} cost?"})
        else:
            rows.append({"image": image, "type": "name", "contains_all": [t["restaurant"]] if zh
                         else [w for w in t["restaurant"].replace("&", " ").split() if len(w) > 2],
                         "question": "这家餐厅叫什么名字？" if zh else "What is the name of the restaurant?"})
    return rows


# --- landscapes -------------------------------------------------------------------------------------------------

LANDSCAPES = {  # what each photo shows, a factual question about it and the words a right answer uses
    "dune.jpg": ("golden beach grass bending in the wind on a dune, a turquoise sea and a pale blue sky behind it",
                 "Is there water in this picture? Answer yes or no.", ["yes"]),
    "storm.jpg": ("dark storm clouds over flat green fields, seen from a motorway with a guard rail, blurred by speed",
                  "What is the weather like in this picture?",
                  ["storm", "stormy", "cloudy", "overcast", "rain", "rainy", "grey", "gray", "dark clouds"]),
    "aitzgorri.jpg": ("a grey limestone mountain ridge above an autumn forest of orange larches and dark firs, with a "
                      "green meadow in front", "What season does this picture show?", ["autumn", "fall"]),
    "forest-stream.jpg": ("a stream falling in small cascades between pale mossy rocks in a green forest",
                          "Is there water in this picture? Answer yes or no.", ["yes"]),
    "picos-de-europa.jpg": ("a worn path across a green mountain meadow towards jagged grey peaks with patches of "
                            "snow, under a blue sky with a white cloud",
                            "Is there snow in this picture? Answer yes or no.", ["yes"]),
    "mountain-sunset.jpg": ("the sun low over layers of hazy hills, seen from a mossy summit with a round stone "
                            "marker", "What time of day is it in this picture?",
                            ["sunset", "sunrise", "evening", "dusk", "dawn", "golden hour"]),
    "tidal-flat.jpg": ("a wide flat sandy shore under a clear blue sky, seen through the crossing cables of a bridge",
                       "What is the weather like in this picture?",
                       ["sunny", "clear", "fair", "fine", "blue sky", "bright"]),
    "by-the-water.jpg": ("weathered wooden boards in the foreground in warm, faded light, with a lake and a dark line "
                         "of trees behind", "What is in the foreground of this picture?",
                         ["wood", "wooden", "board", "plank", "jetty", "pier", "dock", "deck", "bench", "table"]),
    "cold-ripple.jpg": ("a black-and-white photo of a wooden pier leading out into still water lost in fog",
                        "Is this photo in colour or in black and white?",
                        ["black and white", "black-and-white", "monochrome", "grayscale", "greyscale"]),
    "darkest-hour.jpg": ("a misty blue lake at twilight, dark islands of trees reflected in still water",
                         "What time of day does this picture seem to show?",
                         ["dusk", "dawn", "twilight", "night", "evening", "blue hour", "early morning"]),
    "evening-glow.jpg": ("wooden rowing boats pulled up on a pebble lakeshore under a glowing sunset sky, mountains "
                         "on the far side", "What kind of boats are on the shore?",
                         ["rowing", "rowboat", "row boat", "wooden"]),
    "forest-path.jpg": ("a narrow dirt path through a dense, dark forest of tall conifers with green undergrowth",
                        "What kind of trees grow here?",
                        ["conifer", "coniferous", "pine", "spruce", "fir", "evergreen"]),
    "summer-night-lake.jpg": ("a still lake under a pink and violet sky after sunset, with reeds on the right and a "
                              "low distant shore", "Is the water calm or rough?", ["calm", "still", "smooth", "glassy"]),
    "kite.jpg": ("a small rainbow-coloured kite high in a deep blue sky with wisps of white cloud",
                 "What is flying in the sky?", ["kite"]),
}

STYLES = [("a haiku", "three short lines, about 5-7-5 syllables, a seasonal image"),
          ("a Romantic poet such as Wordsworth", "elevated, emotional, nature as feeling"),
          ("a hard-boiled detective novel", "terse, world-weary, first-person noir"),
          ("a fairy tale", "'once upon a time', wonder, a gentle moral tone"),
          ("a Tang-dynasty Chinese poem, written in Chinese", "classical Chinese imagery, a short regular poem in Chinese"),
          ("a travel brochure", "enthusiastic, inviting, second person"),
          ("Ernest Hemingway", "short plain sentences, understatement")]


def landscapes() -> list[dict]:
    rows = []
    for i, (name, (shows, question, words)) in enumerate(LANDSCAPES.items()):
        image = "images/" + name
        style, marks = STYLES[i % len(STYLES)]
        rows.append({"image": image, "type": "caption",
                     "question": f"Write a literary caption for this landscape in the style of {style}.",
                     "judge": f"The picture shows {shows}. The answer should be a short caption in the style of {style} "
                              f"({marks}). Grade 5 if it is clearly in that style, vivid, and true to what the picture "
                              "shows; 4 if it is in style and true to the picture but flat; 3 if it fits the picture "
                              "but not the style, or the style but only vaguely the picture; 2 if it describes "
                              "something the picture does not show; 1 if it is not a caption."})
        rows.append({"image": image, "type": "scene", "question": question, "contains_any": words})
    return rows


# --- manuals ----------------------------------------------------------------------------------------------------

QUESTIONS = {
    "en": ("What product is this manual page about?", "List the product's main features, separated by commas.",
           "According to the specifications, what is the {}?"),
    "zh": ("这页说明书介绍的是什么产品？", "列出这个产品的主要特点，用逗号分隔。", "技术参数中的“{}”是多少？"),
    "de": ("Um welches Produkt geht es auf dieser Seite?", "Nenne die wichtigsten Ausstattungsmerkmale, durch Kommas "
           "getrennt.", "Welchen Wert nennen die technischen Daten für „{}“?"),
}


def manuals() -> list[dict]:
    rows = []
    for i, (image, t) in enumerate(truth("manuals").items()):
        product, features, spec = QUESTIONS[t["language"]]
        rows.append({"image": image, "type": "product", "question": product, "contains_all": t["name"]})
        rows.append({"image": image, "type": "features", "question": features, "list": t["feature_terms"],
                     "threshold": 0.6})
        if i % 2 == 0:
            label, value, unit = t["number"]
            rows.append({"image": image, "type": "spec", "question": spec.format(label), "number": value})
    return rows


def main():
    for folder, make in (("office", office), ("menus", menus), ("landscapes", landscapes), ("manuals", manuals)):
        rows = make()
        write_jsonl(HERE / folder / "eval.jsonl", rows)
        types = sorted({r["type"] for r in rows})
        print(f"{folder}/eval.jsonl: {len(rows)} questions, types {types}")


if __name__ == "__main__":
    main()
