"""The floors of docs/architecture.md hold: each imports only floors below it, the law and the
calendar stay pure, analysis and figures read tables and never run the model, and no modules of a
floor import each other in a cycle (the contracts are in pyproject.toml, checked by import-linter)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def test_the_import_contracts_are_kept() -> None:
    lint = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run([str(lint), "--no-cache"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "BROKEN" not in done.stdout and "KEPT" in done.stdout


def test_the_public_interface_is_where_it_was() -> None:
    import sim

    for name in ("load_scenario", "simulate", "run_experiment", "load_experiment", "Scenario", "ConfigError",
                 "SimulationResult", "ExperimentResult"):  # fmt: skip
        assert hasattr(sim, name), name
