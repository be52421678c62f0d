"""Questions about a scene and their exact answers.

Answer rules (also in models/glimpse-tiny/MODEL_CARD.md):

- describe: the shapes left to right by the centre x of their bounding boxes, each "a <colour> <shape>" ("an
  orange ...": the article follows English, so only orange takes "an"); a word,
  if present, is one more item at the end, "the word <WORD>". One item is said alone, two are joined by " and ",
  three or more as "x, y and z" (commas, " and " before the last, no Oxford comma):
  "a red circle", "a red circle and a blue square", "a red circle and the word CAT",
  "a red circle, a blue square and the word CAT", "a red circle, a blue square and a green star".
- count: the number of shapes (the word is not a shape) in digits: "3".
- color: asked only about a shape that occurs exactly once: its colour name, "red".
- exists: "yes" or "no".
- position: the shape kind of the leftmost / rightmost shape (by centre x), "triangle"; with one shape it is that one.
- text: asked only when there is a word: the word in capitals, "CAT".

Answers are compared case-insensitively, ignoring surrounding whitespace and one trailing period.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from .render import COLOURS, SHAPES, Scene

QUESTION_TYPES = ("describe", "count", "color", "exists", "position", "text")

# Paraphrases per type. "train" ones are seen in training; "heldout" ones never are (used to check that the model
# follows the meaning, not the exact string). The first training paraphrase is the canonical question. The frames
# "Tell me ...", "Give ...", "Name ..." occur in every type, so that the content words ("number", "colour", "word")
# decide the type, not the frame: a model trained on "Tell me the number of shapes." alone answered every held-out
# "Name the shape on the left." with a number.
PARAPHRASES: dict[str, dict[str, list[str]]] = {
    "describe": {
        "train": ["What is in this image?", "Describe the image.", "What do you see?", "Describe this picture.",
                  "What is in the picture?", "What does this image show?", "Can you describe this image?",
                  "What is shown in the image?", "Describe what you see.", "What's in this image?",
                  "What's in the picture?", "What is in the image?", "Describe this image.",
                  "What does the picture show?", "What do you see in the picture?", "Describe the picture.",
                  "What is shown in this picture?", "What is in this photo?", "Describe the scene.",
                  "What objects are in the image?", "What is there in the image?", "Please describe the image.",
                  "Tell me what you see.", "Tell me about the picture.", "Name everything in the image.",
                  "Give a description of the image."],
        "heldout": ["Tell me what is in the image.", "What can you see in this image?"],
    },
    "count": {
        "train": ["How many shapes are there?", "How many shapes are in the image?", "Count the shapes.",
                  "How many shapes do you see?", "How many shapes are in this picture?",
                  "How many shapes are shown?", "Count the shapes in the image.", "How many shapes?",
                  "How many shapes are in the picture?", "How many shapes does the image contain?",
                  "How many shapes are there in the image?", "Count the shapes in this picture.",
                  "How many shapes are drawn?", "What is the count of shapes?", "How many shapes are visible?",
                  "Tell me the number of shapes.", "Give the number of shapes.", "What number of shapes do you see?",
                  "Tell me how many shapes there are."],
        "heldout": ["What is the number of shapes?", "How many shapes can you see?"],
    },
    "color": {
        "train": ["What color is the {shape}?", "What colour is the {shape}?", "Which color is the {shape}?",
                  "What is the color of the {shape}?", "What color does the {shape} have?",
                  "What is the colour of the {shape}?", "Which colour is the {shape}?",
                  "What color is the {shape} in the image?", "What colour is the {shape} in the picture?",
                  "What is the {shape}'s color?", "Color of the {shape}?", "What color has the {shape}?",
                  "In what color is the {shape}?", "What color is the {shape} painted?",
                  "Name the colour of the {shape}.", "Give the color of the {shape}.",
                  "Tell me which color the {shape} is."],
        "heldout": ["Tell me the color of the {shape}.", "The {shape} is what color?"],
    },
    "exists": {
        "train": ["Is there a {shape}?", "Is there a {shape} in the image?", "Do you see a {shape}?",
                  "Does the image contain a {shape}?", "Is there any {shape}?", "Is there a {shape} in the picture?",
                  "Does the picture contain a {shape}?", "Is there a {shape} in this image?",
                  "Do you see any {shape}?", "Does the image show a {shape}?", "Is any {shape} shown?",
                  "Is there a {shape} anywhere?", "Does this picture have a {shape}?", "Any {shape} in the image?",
                  "Tell me if there is a {shape}.", "Tell me whether the image has a {shape}."],
        "heldout": ["Can you see a {shape}?", "Is a {shape} present?"],
    },
    "position": {
        "train": ["What shape is on the {side}?", "Which shape is on the {side}?", "What is the {side}most shape?",
                  "Which shape is furthest to the {side}?", "What shape is on the far {side}?",
                  "Which shape is the {side}most?", "What shape is furthest {side}?",
                  "What is the shape furthest to the {side}?", "Which shape is at the {side}?",
                  "What shape is at the far {side}?", "Which is the {side}most shape?",
                  "What shape is on the {side} in the image?", "Which shape is on the far {side} of the picture?",
                  "Tell me the shape on the {side}.", "Give the shape on the far {side}.", "Name the {side}most shape."],
        "heldout": ["Name the shape on the {side}.", "What is the shape on the {side} side?"],
    },
    "text": {
        "train": ["What does the text say?", "What word is written?", "What is written in the image?",
                  "Read the text.", "What does the word say?", "What word is shown in the image?",
                  "What text is written?", "What is the word?", "What text do you see?", "Read the word.",
                  "What does the text read?", "What word do you see?", "What text is shown?",
                  "Read the text in the image.", "What is the text?", "What word is in the picture?",
                  "What is written in the picture?", "What letters are written?", "What text is written in the picture?",
                  "What does the word in the image say?", "Read the word in the picture.",
                  "Tell me the word.", "Give the word in the image.", "Name the word that is shown.",
                  "Spell the word in the image."],
        "heldout": ["What text is in the image?", "Which word is shown?"],
    },
}

for _pools in PARAPHRASES.values():
    assert not set(_pools["train"]) & set(_pools["heldout"]), "a held-out wording must never be trained on"

STYLES = ("canonical", "train", "heldout", "mixed")


@dataclass(frozen=True)
class Question:
    type: str
    question: str
    answer: str


def _join(items: list[str]) -> str:
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def describe_answer(scene: Scene) -> str:
    items = [f"{article(s.colour)} {s.colour} {s.kind}" for s in scene.left_to_right()]
    if scene.word is not None:
        items.append(f"the word {scene.word.text}")
    return _join(items)


def normalise_answer(text: str) -> str:
    t = " ".join(text.strip().split()).lower()
    if t.endswith("."):
        t = t[:-1].rstrip()
    return t


def answer_matches(predicted: str, expected: str) -> bool:
    return normalise_answer(predicted) == normalise_answer(expected)


def _template(rng: random.Random, qtype: str, style: str) -> str:
    pool = PARAPHRASES[qtype]
    if style == "canonical":
        return pool["train"][0]
    if style == "train":
        return rng.choice(pool["train"])
    if style == "heldout":
        return rng.choice(pool["heldout"])
    if style == "mixed":       # evaluation: half canonical, a quarter other seen wordings, a quarter held out
        r = rng.random()
        return pool["train"][0] if r < 0.5 else rng.choice(pool["train"][1:] if r < 0.75 else pool["heldout"])
    raise ValueError(f"unknown paraphrase style {style!r}; expected one of {STYLES}")


def augment(rng: random.Random, question: str) -> str:
    """Small surface changes a user makes: lower-case start, missing final punctuation."""
    if rng.random() < 0.15:
        question = question[0].lower() + question[1:]
    if rng.random() < 0.15 and question[-1] in "?.":
        question = question[:-1]
    return question


def make_question(scene: Scene, qtype: str, rng: random.Random, style: str = "train") -> Question | None:
    """One question of ``qtype`` about the scene, or None when the type does not apply (no word; no shape that
    occurs exactly once)."""
    shapes = scene.left_to_right()
    kinds = [s.kind for s in shapes]
    t = _template(rng, qtype, style)
    if qtype == "describe":
        return Question(qtype, t, describe_answer(scene))
    if qtype == "count":
        return Question(qtype, t, str(len(shapes)))
    if qtype == "color":
        unique = [s for s in shapes if kinds.count(s.kind) == 1]
        if not unique:
            return None
        s = rng.choice(unique)
        return Question(qtype, t.format(shape=s.kind), s.colour)
    if qtype == "exists":
        present = sorted(set(kinds))
        absent = [k for k in SHAPES if k not in present]
        ask_present = not absent or (present and rng.random() < 0.5)
        kind = rng.choice(present if ask_present else absent)
        return Question(qtype, t.format(shape=kind), "yes" if kind in kinds else "no")
    if qtype == "position":
        side = rng.choice(("left", "right"))
        return Question(qtype, t.format(side=side), (shapes[0] if side == "left" else shapes[-1]).kind)
    if qtype == "text":
        if scene.word is None:
            return None
        return Question(qtype, t, scene.word.text)
    raise ValueError(f"unknown question type {qtype!r}; expected one of {QUESTION_TYPES}")


def questions_for(scene: Scene, rng: random.Random, style: str = "train",
                  types: tuple[str, ...] = QUESTION_TYPES) -> list[Question]:
    """One question of every applicable type, in ``types`` order."""
    out = []
    for qtype in types:
        q = make_question(scene, qtype, rng, style)
        if q is not None:
            out.append(q)
    return out


assert set(COLOURS) == {"red", "green", "blue", "yellow", "purple", "orange", "black"}
