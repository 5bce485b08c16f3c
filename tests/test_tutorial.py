"""docs/tutorial.md works as written: its blocks run in order in an empty folder.

```yaml blocks whose first line is ``# <file>.yaml`` are saved under that name; ```python blocks
run in one namespace (as cells of one notebook would), and a ```text block after one is exactly
what it prints; the ``pko-sim`` lines of ```bash blocks run through the command's own Typer app;
other shell lines (installing, starting Jupyter) are left to the reader.
"""

from __future__ import annotations

import contextlib
import io
import re
import shlex
from pathlib import Path

import matplotlib.pyplot as plt
import pytest
from typer.testing import CliRunner

from sim.cli import app
from tests.conftest import ROOT

TUTORIAL = ROOT / "docs" / "tutorial.md"
BLOCK = re.compile(r"^```(\w+)[^\n]*\n(.*?)^```\s*$", re.DOTALL | re.MULTILINE)
SAVED_AS = re.compile(r"^# (\S+\.yaml)\b")


def blocks() -> list[tuple[str, str]]:
    return [(m.group(1), m.group(2)) for m in BLOCK.finditer(TUTORIAL.read_text())]


def test_the_tutorial_covers_the_whole_workflow() -> None:
    kinds = [kind for kind, _ in blocks()]
    commands = [line for kind, text in blocks() if kind == "bash" for line in text.splitlines()]
    assert kinds.count("yaml") == 2 and kinds.count("python") >= 5
    for step in ("pip install -e '.[notebooks]'", "pko-sim validate", "pko-sim run", "pko-sim sweep", "pko-sim plot"):
        assert any(line.startswith(step) for line in commands), step


def test_the_tutorial_runs_from_an_empty_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "tutorial"}
    runner = CliRunner()
    printed = io.StringIO()
    try:
        for number, (kind, text) in enumerate(blocks()):
            if kind == "yaml":
                name = SAVED_AS.match(text)
                assert name, f"yaml block {number} does not say the file it is saved as"
                Path(name.group(1)).write_text(text)
            elif kind == "python":
                with contextlib.redirect_stdout(io.StringIO()) as printed:
                    exec(compile(text, f"{TUTORIAL.name}, block {number}", "exec"), namespace)
            elif kind == "text":  # what the python block before it prints
                assert printed.getvalue() == text, f"text block {number}"
            elif kind == "bash":
                for line in text.splitlines():
                    command = line.split("#", 1)[0].strip()
                    if command.startswith("pko-sim "):
                        result = runner.invoke(app, shlex.split(command)[1:])
                        assert result.exit_code == 0, f"{command}\n{result.output}"
    finally:
        plt.close("all")
    assert {p.name for p in tmp_path.glob("*.png")} == {
        "timeline.png",
        "durations.png",
        "abandoned.png",
        "survival.png",
    }
    assert (tmp_path / "results" / "first_pko" / "report.html").exists()
    assert len(namespace["experiment"].points) == 4  # type: ignore[attr-defined]
