"""The API reference builds from the docstrings with the README's own pdoc command."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

PDOC = re.compile(r"^pdoc .*$", re.MULTILINE)


def test_the_readme_pdoc_command_builds_the_main_pages(tmp_path: Path) -> None:
    found = PDOC.findall((ROOT / "README.md").read_text())
    assert len(found) == 1, "the README shows one pdoc command"
    args = shlex.split(found[0].split("#", 1)[0])
    args[args.index("-o") + 1] = str(tmp_path)  # build into a temporary folder, not docs/api
    done = subprocess.run([str(Path(sys.executable).parent / "pdoc"), *args[1:]], cwd=ROOT,
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    pages = ("sim", "sim/scenario", "sim/run", "sim/sweep", "sim/analysis", "sim/figures", "sim/law", "sim/studies")
    for page in pages:
        assert (tmp_path / f"{page}.html").exists(), page
    top = (tmp_path / "sim.html").read_text()
    for name in ("load_scenario", "simulate", "run_experiment", "SimulationResult"):
        assert f'id="{name}"' in top, name
    assert 'id="timeline"' in (tmp_path / "sim" / "figures.html").read_text()
