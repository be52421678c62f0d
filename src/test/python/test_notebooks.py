"""Runs every notebook under notebooks/ top to bottom with nbclient; any error output fails the test."""
import pathlib

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = sorted((pathlib.Path(__file__).resolve().parents[3] / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_clean(path):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=600, kernel_name="glimpse", resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    errors = [(i, o) for i, cell in enumerate(nb.cells) if cell.cell_type == "code"
              for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors, "\n".join(f"cell {i}: {o['ename']}: {o['evalue']}" for i, o in errors)
    assert all(cell.get("outputs") for cell in nb.cells if cell.cell_type == "code" and cell.source.strip()
               and not cell.source.rstrip().endswith(";")), "a code cell produced no output"


def test_welcome_notebook_shows_image_table_update_and_magic():
    path = next(p for p in NOTEBOOKS if p.name == "00-welcome.ipynb")
    nb = nbformat.read(path, as_version=4)
    NotebookClient(nb, timeout=600, kernel_name="glimpse").execute()
    outputs = [o for cell in nb.cells if cell.cell_type == "code" for o in cell.outputs]
    mimes = {mime for o in outputs for mime in o.get("data", {})}
    assert "image/png" in mimes
    assert any("<table" in o.get("data", {}).get("text/html", "") for o in outputs)
    assert "text/markdown" in mimes
    assert any("%lsmagic" in "".join(o.get("data", {}).get("text/plain", "")) or "lsmagic" in str(o)
               for o in outputs)
