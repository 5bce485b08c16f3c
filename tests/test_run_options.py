"""Where runs go and what they leave: --scheduler means Dask, the dashboard is announced, files are readable."""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

import sim
from sim.cli import app
from sim.sweep import experiment
from sim.sweep.executors import Task, execute
from sim.sweep.store import ResultsFolderConflict, write_table
from tests.conftest import deployment, scenario

runner = CliRunner()


@pytest.fixture
def captured(monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """Stand in for run_experiment: record the options the command passes, then stop."""
    seen: dict[str, Any] = {}

    def fake(plan: Any, **options: Any) -> None:
        seen.update(options)
        raise ResultsFolderConflict("stopped by the test")

    monkeypatch.setattr(experiment, "run_experiment", fake)  # the command imports it when it runs
    return seen


def experiment_file(tmp_path: Path) -> Path:
    path = tmp_path / "exp.yaml"
    path.write_text(yaml.safe_dump({"name": "e", "scenario": scenario(deployment()), "replications": 2}))
    return path


@pytest.mark.parametrize("command", ["run", "sweep"])
def test_a_scheduler_address_runs_on_dask(command: str, captured: dict[str, Any], tmp_path: Path) -> None:
    target = "configs/baseline.yaml" if command == "run" else str(experiment_file(tmp_path))
    done = runner.invoke(app, [command, target, "--scheduler", "tcp://10.0.0.5:8786", "--out", str(tmp_path / "o")])
    assert done.exit_code == 1 and "stopped by the test" in done.output
    assert captured["executor"] == "dask" and captured["scheduler"] == "tcp://10.0.0.5:8786"


def test_without_a_scheduler_the_default_executor_is_local_processes(captured: dict[str, Any], tmp_path: Path) -> None:
    runner.invoke(app, ["run", "configs/baseline.yaml", "--out", str(tmp_path / "o")])
    assert captured["executor"] == "processes" and captured["scheduler"] is None


def test_a_scheduler_with_another_executor_is_refused(captured: dict[str, Any], tmp_path: Path) -> None:
    args = ["run", "configs/baseline.yaml", "--scheduler", "tcp://10.0.0.5:8786", "--executor", "serial"]
    done = runner.invoke(app, [*args, "--out", str(tmp_path / "o")])
    assert done.exit_code == 1 and "--scheduler tcp://10.0.0.5:8786 runs on a Dask cluster" in done.output
    assert not captured, "nothing ran"
    with pytest.raises(ValueError, match="is for the dask executor"):
        list(execute([Task(0, 0, 1, {}, 1)], len, executor="processes", scheduler="tcp://10.0.0.5:8786"))


def test_a_local_dask_cluster_announces_its_dashboard(tmp_path: Path) -> None:
    said: list[str] = []
    spec = {"name": "d", "scenario": scenario(deployment()), "replications": 2, "chunk": 1}
    sim.run_experiment(spec, out=tmp_path / "d", executor="dask", workers=1, announce=said.append)
    assert len(said) == 1 and said[0].startswith("Dask dashboard: http://")


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o027, 0o640), (0o002, 0o664)])
def test_written_files_have_the_mode_open_would_give_them(tmp_path: Path, umask: int, mode: int) -> None:
    old = os.umask(umask)
    try:
        write_table(pd.DataFrame({"a": [1]}), tmp_path / "t.parquet")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "t.parquet").stat().st_mode) == mode


def test_a_run_folder_is_readable_by_the_group(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        done = runner.invoke(app, ["run", "configs/baseline.yaml", "-n", "1", "--out", str(tmp_path / "r"),
                                   "--executor", "serial", "--no-progress"])  # fmt: skip
    finally:
        os.umask(old)
    assert done.exit_code == 0, done.output
    files = [p for p in (tmp_path / "r").rglob("*") if p.is_file()]
    assert files and all(stat.S_IMODE(p.stat().st_mode) == 0o644 for p in files)
