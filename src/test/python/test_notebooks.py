"""Runs every notebook under notebooks/ top to bottom with nbclient; any error output fails the test. The notebooks of
the vision extension (01-03) are also checked for what they show: a streamed answer with its image, a chat, %model,
askAll's progress bar, its table and its resumption, and evaluate's scorecard with the latency histogram.

The model: the kernel loads $GLIMPSE_MODEL when it is set, else the installation's default model models/glimpse-tiny.
Answers are never checked for being right: any GLM-4V model of the expected format will do."""
import collections
import functools
import os
import pathlib
import time

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = pathlib.Path(__file__).resolve().parents[3]
NOTEBOOK_DIR = ROOT / "notebooks"
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("*.ipynb"))
DEFAULT_MODEL = ROOT / "models" / "glimpse-tiny"
NEEDS_NO_MODEL = {"00-welcome.ipynb"}


class RecordingClient(NotebookClient):
    """Keeps every iopub message of each cell: nbclient folds update_display_data into the outputs it saves, so how
    an output got there (streamed token by token, a progress bar replaced by a closing line) shows only in them."""

    def __init__(self, nb, **kw):
        super().__init__(nb, **kw)
        self.messages = collections.defaultdict(list)

    def process_message(self, msg, cell, cell_index):
        self.messages[cell_index].append(msg)
        return super().process_message(msg, cell, cell_index)


class Run:
    """An executed notebook: its cells with their outputs, the iopub messages of each cell, and the time it took."""

    def __init__(self, nb, messages, seconds):
        self.nb = nb
        self.messages = messages
        self.seconds = seconds

    def cell(self, source_start):
        """The index of the code cell whose source is source_start, else of the one that starts with it."""
        code = [(i, c.source) for i, c in enumerate(self.nb.cells) if c.cell_type == "code"]
        found = [i for i, s in code if s == source_start] or [i for i, s in code if s.startswith(source_start)]
        assert len(found) == 1, f"{len(found)} code cells start with {source_start!r}"
        return found[0]

    def outputs(self, index):
        return self.nb.cells[index].outputs

    def result(self, index):
        results = [o for o in self.outputs(index) if o.output_type == "execute_result"]
        assert len(results) == 1, f"cell {index} has {len(results)} results: {self.outputs(index)}"
        return results[0].data

    def displays(self, index, msg_type):
        return [m for m in self.messages[index] if m["msg_type"] == msg_type]


def model_in_use():
    """Which model the kernels of these tests load, checked to be there so that a missing one fails clearly."""
    configured = os.environ.get("GLIMPSE_MODEL", "").strip()
    if configured.startswith(("http://", "https://")):
        return configured
    model = pathlib.Path(configured) if configured else DEFAULT_MODEL
    if not (model / "config.json").is_file():
        pytest.fail(f"No model at {model} ({'GLIMPSE_MODEL' if configured else 'the default model'}): the notebooks "
                    f"ask a model. Set GLIMPSE_MODEL to a GLM-4V model directory, or put glimpse-tiny in "
                    f"{DEFAULT_MODEL}.")
    return str(model)


@functools.lru_cache(maxsize=None)
def executed(name):
    """Runs a notebook once per test session; the kernel inherits this process's environment (GLIMPSE_MODEL)."""
    if name not in NEEDS_NO_MODEL:
        model_in_use()
    path = NOTEBOOK_DIR / name
    nb = nbformat.read(path, as_version=4)
    client = RecordingClient(nb, timeout=600, kernel_name="glimpse", resources={"metadata": {"path": str(path.parent)}})
    started = time.monotonic()
    client.execute()
    run = Run(nb, client.messages, time.monotonic() - started)
    print(f"{name} ran in {run.seconds:.1f} s")
    return run


def html_of(msg):
    return msg["content"]["data"].get("text/html", "")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_clean(path):
    nb = executed(path.name).nb
    errors = [(i, o) for i, cell in enumerate(nb.cells) if cell.cell_type == "code"
              for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, "\n".join(f"cell {i}: {o['ename']}: {o['evalue']}" for i, o in errors)
    stderr = [(i, o.text) for i, cell in enumerate(nb.cells) if cell.cell_type == "code"
              for o in cell.get("outputs", []) if o.get("output_type") == "stream" and o.get("name") == "stderr"]
    assert not stderr, f"output on stderr: {stderr}"
    assert all(cell.get("outputs") for cell in nb.cells if cell.cell_type == "code" and cell.source.strip()
               and not cell.source.rstrip().endswith(";")), "a code cell produced no output"


def test_welcome_notebook_shows_image_table_update_and_magic():
    nb = executed("00-welcome.ipynb").nb
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    mimes = {mime for o in outputs for mime in o.get("data", {})}
    assert "image/png" in mimes
    assert any("<table" in o.get("data", {}).get("text/html", "") for o in outputs)
    assert "text/markdown" in mimes
    assert any("%lsmagic" in "".join(o.get("data", {}).get("text/plain", "")) or "lsmagic" in str(o)
               for o in outputs)


def test_ask_notebook_streams_an_answer_with_its_image():
    run = executed("01-ask-about-an-image.ipynb")

    shown = run.result(run.cell('var scene = image("data/scenes/'))
    assert "image/png" in shown

    ask = run.cell('ask(scene, "What is in this image?")')
    displays = run.displays(ask, "display_data")
    updates = run.displays(ask, "update_display_data")
    assert len(displays) == 1, [m["msg_type"] for m in run.messages[ask]]
    assert len(updates) > 1, f"the answer came in {len(updates)} update(s), not streamed"
    display_id = displays[0]["content"]["transient"]["display_id"]
    assert all(u["content"]["transient"]["display_id"] == display_id for u in updates)
    assert not run.displays(ask, "execute_result"), "the returned answer repeats the streamed one"
    final = updates[-1]["content"]["data"]
    assert {"image/png", "text/markdown", "text/html", "text/plain"} <= set(final)
    assert "**Q:** What is in this image?" in final["text/markdown"]
    saved = [o for o in run.outputs(ask) if o.output_type == "display_data"]
    assert len(saved) == 1 and {"image/png", "text/markdown"} <= set(saved[0].data), "the notebook keeps the answer"

    for question in ('ask(scene, "How many shapes', 'ask(scene, "What is in this image?", options()',
                     'var conversation = chat(', 'conversation.ask("'):
        index = run.cell(question)
        assert len(run.displays(index, "update_display_data")) > 1, f"{question}… did not stream"

    chat = run.result(run.cell("conversation"))
    assert chat["text/markdown"].count("**You:**") == 2, chat["text/markdown"]

    model = run.result(run.cell("%model"))
    assert "text/html" in model
    assert "state" in model["text/plain"] and "ready" in model["text/plain"], model["text/plain"]


def test_batch_notebook_shows_progress_and_tables_and_resumes():
    run = executed("02-batch.ipynb")

    first = run.cell("var batchOptions")
    progress = [m for m in run.messages[first] if m["msg_type"] in ("display_data", "update_display_data")
                and "<progress" in html_of(m)]
    assert progress, "askAll showed no progress bar"
    closing = [o for o in run.outputs(first) if o.output_type == "display_data"][-1].data["text/plain"]
    assert "Answered 16 images (16 now, 0 from earlier runs)" in closing, closing
    table = run.result(first)
    assert "<table" in table["text/html"]
    assert table["text/html"].count("scene-000") == 16

    again = run.cell("Table again = askAll(")
    closing = [o for o in run.outputs(again) if o.output_type == "display_data"][-1].data["text/plain"]
    assert "(0 now, 16 from earlier runs)" in closing, closing
    assert run.result(again)["text/plain"] == "16 rows, 16 lines in the CSV, same answers: true"

    for summary in ("import static tech.tablesaw", 'answers.countBy("answer")', "answers.where("):
        assert "<table" in run.result(run.cell(summary))["text/html"], summary

    left = sorted(str(p.relative_to(ROOT)) for p in NOTEBOOK_DIR.rglob("*.csv"))
    assert not left, f"running the notebook left files in the project: {left}"


def test_evaluate_notebook_shows_the_scorecard_with_its_histogram():
    run = executed("03-evaluate.ipynb")

    evaluation = run.cell("Scorecard card = evaluate(")
    assert any("<progress" in html_of(m) for m in run.messages[evaluation]
               if m["msg_type"] in ("display_data", "update_display_data")), "evaluate showed no progress bar"
    card = run.result(evaluation)
    assert "image/png" in card, "no latency histogram"
    assert '<img src="data:image/png;base64,' in card["text/html"]
    plain = card["text/plain"]
    assert plain.startswith(("PASS · eval.jsonl", "FAIL · eval.jsonl")), plain
    assert "86 questions" in plain.splitlines()[0]
    assert "≥ 90.0%" in plain or "< 90.0%" in plain, plain
    assert "800 ms" in plain.splitlines()[1]
    for line in ("p50", "p95", "max", "requests/s", "per day", "failures:"):
        assert line in plain, line
    for kind in ("describe", "count", "color", "exists", "position", "text", "overall"):
        assert kind in card["text/html"], kind

    custom = run.result(run.cell("card.withThresholds(thresholds(0.25, 5000))"))
    checks = custom["text/plain"].splitlines()[1]
    assert "25.0%" in checks and "5000 ms" in checks, checks
    assert "image/png" in custom

    verdicts = run.result(run.cell("card.passed()"))["text/plain"]
    assert verdicts.startswith(("true against", "false against")), verdicts
    assert "<table" in run.result(run.cell("card.failures()"))["text/html"]
    assert "<table" in run.result(run.cell("card.report().accuracyTable()"))["text/html"]


WORKFLOW_NOTEBOOKS = {"04-office-objects.ipynb": "office", "05-menu-cuisine.ipynb": "menus",
                      "06-landscape-captions.ipynb": "landscapes", "07-manual-pages.ipynb": "manuals"}


@pytest.mark.parametrize("name", sorted(WORKFLOW_NOTEBOOKS))
def test_workflow_notebook_names_its_model_before_answering_and_ends_with_a_scorecard(name):
    run = executed(name)
    said = run.cell("var info = model().info();")
    code = [i for i, c in enumerate(run.nb.cells) if c.cell_type == "code"]
    first_answer = next(i for i in code if "ask(" in run.nb.cells[i].source or "askAll(" in run.nb.cells[i].source)
    assert said < first_answer, "the notebook answers before it says which model answers"
    notice = run.result(said)["text/plain"]
    if "glimpse-tiny" in model_in_use():
        assert "only ever seen coloured shapes" in notice and "%model" in notice, notice

    card = run.result(run.cell("Scorecard card = evaluate("))
    assert "image/png" in card, "no latency histogram"
    plain = card["text/plain"]
    questions = sum(1 for line in (NOTEBOOK_DIR / "data" / WORKFLOW_NOTEBOOKS[name] / "eval.jsonl").open()
                    if line.strip())
    assert plain.startswith(("PASS · eval.jsonl", "FAIL · eval.jsonl")), plain
    assert f"{questions} questions" in plain.splitlines()[0], plain
    assert "<table" in run.result(run.cell("card.failures()"))["text/html"]
    assert run.cell("Scorecard card = evaluate(") in code[-3:], "the scorecard is not at the end"
