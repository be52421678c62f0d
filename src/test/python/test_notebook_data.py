"""Checks the data sets of the workflow notebooks (04-07) without a model: enough pictures, small enough to ship,
every picture's source and licence recorded, and evaluation sets whose every line names an existing image and has
exactly one matcher of the kind the notebook explains."""
import json
import pathlib

import pytest

DATA = pathlib.Path(__file__).resolve().parents[3] / "notebooks" / "data"
MATCHERS = {"answer", "any_of", "contains_all", "contains_any", "regex", "number", "list", "judge"}
WORKFLOWS = {  # folder: the matchers its notebook explains
    "office": {"list", "contains_any", "number"},
    "menus": {"contains_any", "judge", "number", "contains_all"},
    "landscapes": {"judge", "contains_any"},
    "manuals": {"contains_all", "list", "number"},
}


def lines(folder):
    text = (DATA / folder / "eval.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


@pytest.mark.parametrize("folder", sorted(WORKFLOWS))
def test_enough_small_pictures(folder):
    pictures = sorted((DATA / folder / "images").iterdir())
    assert len(pictures) >= 12, f"{folder} has {len(pictures)} pictures"
    too_big = [(p.name, p.stat().st_size) for p in pictures if p.stat().st_size > 100_000]
    assert not too_big, f"pictures over 100 kB: {too_big}"
    total = sum(p.stat().st_size for p in pictures)
    assert total <= 2_000_000, f"{folder}: {total} bytes"


@pytest.mark.parametrize("folder", sorted(WORKFLOWS))
def test_every_picture_has_its_source_and_licence_in_the_readme(folder):
    readme = (DATA / "README.md").read_text(encoding="utf-8")
    missing = [p.name for p in (DATA / folder / "images").iterdir() if f"`images/{p.name}`" not in readme]
    assert not missing, f"not in data/README.md: {missing}"


@pytest.mark.parametrize("folder", sorted(WORKFLOWS))
def test_evaluation_set_has_one_matcher_per_line(folder):
    rows = lines(folder)
    assert len(rows) >= 20, f"{folder}/eval.jsonl has {len(rows)} questions"
    problems = []
    used = set()
    for number, row in enumerate(rows, 1):
        matchers = MATCHERS & row.keys()
        if len(matchers) != 1:
            problems.append(f"line {number}: matchers {sorted(matchers)}")
        used |= matchers
        if not (DATA / folder / row["image"]).is_file():
            problems.append(f"line {number}: no image {row['image']}")
        if not row.get("question", "").strip() or not row.get("type"):
            problems.append(f"line {number}: no question or type")
    assert not problems, "\n".join(problems)
    assert used == WORKFLOWS[folder], f"{folder} uses {sorted(used)}"
    pictures = {p.name for p in (DATA / folder / "images").iterdir()}
    asked = {pathlib.Path(row["image"]).name for row in rows}
    assert pictures == asked, f"pictures without questions: {sorted(pictures - asked)}"
