"""The pko-sim command: run writes Parquet and a manifest; validate and rules print readably."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import yaml
from typer.testing import CliRunner

import sim
from sim.cli import app
from sim.sweep.experiment import read_table
from tests.conftest import deployment, scenario

runner = CliRunner()


def write(tmp_path: Path, data: dict, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data))
    return path


def test_run_writes_tables_and_manifest_that_match_simulate(tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["run", "configs/baseline.yaml", "-n", "3", "--seed", "4", "--out", str(out), "--no-progress"]
    result = runner.invoke(app, [*args, "--executor", "serial"])
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == 4 and manifest["replications"] == 3
    assert manifest["base_scenario"]["name"] == "baseline" and manifest["version"] == sim.__version__
    assert manifest["status"] == "complete"
    events = read_table(out, "events").drop(columns="point")
    expected = sim.simulate("configs/baseline.yaml", replications=3, seed=4).events
    pd.testing.assert_frame_equal(events, expected, check_categorical=False)
    assert not list(out.rglob("*.tmp")), "no temporary files are left behind"


def test_a_second_run_of_another_config_into_the_same_folder_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out"
    args = ["run", "configs/baseline.yaml", "-n", "2", "--out", str(out), "--no-progress", "--executor", "serial"]
    assert runner.invoke(app, args).exit_code == 0
    part = next((out / "events").glob("*.parquet"))
    before = part.read_bytes()
    assert runner.invoke(app, args).exit_code == 0, "the same run again resumes, with nothing left to do"
    refused = runner.invoke(app, [*args, "--seed", "9"])
    assert refused.exit_code == 1
    assert "holds results of another run" in refused.output
    assert part.read_bytes() == before, "nothing was overwritten"
    assert runner.invoke(app, [*args, "--seed", "9", "--fresh"]).exit_code == 0
    assert json.loads((out / "manifest.json").read_text())["seed"] == 9


def test_validate_prints_a_summary_of_a_good_scenario() -> None:
    result = runner.invoke(app, ["validate", "configs/eight_assignments.yaml"])
    assert result.exit_code == 0, result.output
    assert "eight_assignments" in result.output and "pko_engineers" in result.output
    streams = runner.invoke(app, ["validate", "configs/baseline.yaml"])
    assert streams.exit_code == 0, streams.output
    assert "baseline" in streams.output and "mfo_staff" in streams.output
    assert "elections" in streams.output and "expected per replication" in streams.output


def test_validate_prints_problems_without_a_traceback(tmp_path: Path) -> None:
    bad = scenario(deployment(contingents=[{"kind": "sdf_unit", "personnel": 5, "tasks": ["h"]}]))
    result = runner.invoke(app, ["validate", str(write(tmp_path, bad))])
    assert result.exit_code == 1
    assert "deployments[0].contingents[0].tasks" in result.output and "Art. 6(6)" in result.output
    assert "Traceback" not in result.output


def test_run_with_a_bad_scenario_writes_nothing(tmp_path: Path) -> None:
    bad = scenario(deployment(period={"dist": "weibull"}))
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(write(tmp_path, bad)), "--out", str(out)])
    assert "Traceback" not in result.output
    assert result.exit_code == 1 and "unknown distribution" in result.output
    assert not out.exists()


def test_rules_lists_every_rule_with_its_citations() -> None:
    result = runner.invoke(app, ["rules"])
    assert result.exit_code == 0
    for rule in sim.law.RULES:
        assert rule.name in result.output
    assert "Art. 6(7)" in result.output and "Art. 19(1)" in result.output
    assert "Treaty Art. X" in result.output and "Treaty of Mutual Cooperation" in result.output
    assert "session_lapse" in result.output and "Diet Act art. 68" in result.output


def test_rules_ends_with_the_table_of_task_letters() -> None:
    result = runner.invoke(app, ["rules"])
    tasks = result.output[result.output.index("Tasks (the letters") :]
    for letter, meaning in sim.law.TASKS.items():
        assert f"({letter})" in tasks and sim.law.task_citation(letter) in tasks
        assert " ".join(meaning.split()[:2]) in tasks  # the meaning (wrapped over lines in a narrow table)
