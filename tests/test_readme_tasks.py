"""The README's table of task letters is the rulebook's: every letter of ``sim.law.TASKS``, in
order, with its article and meaning, and nothing else."""

from __future__ import annotations

import re

from sim import law
from tests.conftest import ROOT

ROW = re.compile(r"^\| \(([a-z])\) \| (Art\. 3\(v\)\([a-z]\)) \| (.+?) \|$", re.MULTILINE)


def test_the_readme_lists_every_task_letter_with_its_meaning() -> None:
    rows = ROW.findall((ROOT / "README.md").read_text())
    assert rows == [(letter, law.task_citation(letter), meaning) for letter, meaning in law.TASKS.items()]
