"""The notebooks in experiments/ run top to bottom (small settings), with outputs stripped in git."""

from __future__ import annotations

import os
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from tests.conftest import ROOT

NOTEBOOKS = sorted((ROOT / "experiments").glob("*.ipynb"))
FIGURE = re.compile(r"^fig = |plt\.show\(\)", re.MULTILINE)  # the cells that draw a figure


def test_the_three_notebooks_are_there() -> None:
    assert {p.stem for p in NOTEBOOKS} >= {"timelines", "sensitivity", "diet_windows"}


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_without_outputs(path: Path) -> None:
    book = nbformat.read(path, as_version=4)
    code = [cell for cell in book.cells if cell.cell_type == "code"]
    assert all(not cell.get("outputs") and not cell.get("execution_count") for cell in code)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs_top_to_bottom_and_shows_its_figures(path: Path) -> None:
    book = nbformat.read(path, as_version=4)
    client = NotebookClient(
        book, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    # the kernel picks its own (inline) backend, as in Jupyter, whatever this process was given
    client.execute(env={k: v for k, v in os.environ.items() if k != "MPLBACKEND"})
    errors = [o for cell in book.cells for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors
    warnings = [o["text"] for cell in book.cells for o in cell.get("outputs", []) if o.get("name") == "stderr"]
    assert not warnings  # e.g. no "IProgress not found" from a notebook progress bar
    for cell in book.cells:
        if cell.cell_type == "code" and FIGURE.search(cell.source):
            shown = [o for o in cell.outputs if o.get("output_type") == "display_data" and "image/png" in o["data"]]
            assert len(shown) == 1, cell.source
