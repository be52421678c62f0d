"""Synthetic scenes for glimpse-tiny: coloured shapes and an optional word, with questions and exact answers.

The domain (what an independent evaluation may draw from):

- image 160-320 px a side (224x224 most often), background white or light grey (every RGB channel >= 220);
- 1-4 filled shapes from {circle, square, triangle, star}, colours from {red, green, blue, yellow, purple,
  orange, black}, 30-80 px, not overlapping, at random positions;
- optionally one word of 3-6 uppercase letters A-Z, black, in a sans-serif font, 18-32 px high, not overlapping
  the shapes.

Questions and answers follow ``scenes.questions``; drawing is in ``scenes.render``; fonts in ``scenes.fonts``.
Run ``python -m scenes --help`` (from the ``models`` directory) for the command line.
"""

from .fonts import FontNotFoundError, find_sans_fonts
from .questions import (
    QUESTION_TYPES,
    Question,
    answer_matches,
    describe_answer,
    normalise_answer,
    questions_for,
)
from .render import COLOURS, SHAPES, Scene, SceneShape, SceneWord, render_scene, sample_scene

__all__ = [
    "COLOURS", "SHAPES", "QUESTION_TYPES", "FontNotFoundError", "Question", "Scene", "SceneShape", "SceneWord",
    "answer_matches", "describe_answer", "find_sans_fonts", "normalise_answer", "questions_for", "render_scene",
    "sample_scene",
]
