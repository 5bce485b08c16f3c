"""Experiments: designs, common random numbers, executors, resumable results, sensitivity."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

import sim
from sim.cli import app
from sim.scenario import ConfigError
from sim.sweep import experiment
from sim.sweep.experiment import get_path, load_experiment, read_table, run_experiment, set_path
from sim.sweep.store import ResultsFolderConflict
from tests.conftest import ROOT, deployment, scenario

EXAMPLES = sorted((ROOT / "experiments").glob("*.yaml"))


def toy(**changes: Any) -> dict[str, Any]:
    """One deployment whose dispatch lag is a factor; personnel are a factor that changes nothing."""
    base = scenario(deployment(period=300), replications=1)
    base["procedure"]["decision_to_dispatch"] = 14
    data = {
        "name": "toy",
        "scenario": base,
        "replications": 4,
        "chunk": 2,
        "design": {"kind": "grid"},
        "factors": [
            {"path": "procedure.decision_to_dispatch.value", "low": 5, "high": 50, "levels": [5, 50]},
            {
                "path": "deployments[0].contingents[0].personnel",
                "low": 10,
                "high": 100,
                "levels": [10, 100],
                "integer": True,
            },
        ],
        "metrics": [{"name": "lag", "stat": "mean", "column": "days_decision_to_dispatch"}],
    }
    data.update(changes)
    return data


def parts(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.parquet"))}


def test_dotted_paths_read_and_write_scenario_fields() -> None:
    data = sim.load_scenario("configs/eight_assignments.yaml").model_dump(mode="json")
    assert get_path(data, "deployments[6].period.value") == 730  # the Art. 27 officer's term, set by hand
    assert get_path(data, "deployments[transport_unit].contingents[0].personnel") == 44
    portfolio = sim.load_scenario("configs/baseline.yaml").model_dump(mode="json")
    assert get_path(portfolio, "streams[elections].arrivals.process") == "piecewise"
    set_path(data, "diet.deliberation.first_house.median", 9.0)
    assert data["diet"]["deliberation"]["first_house"]["median"] == 9.0


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("procedure.decision_to_dispach.value", "has no field 'decision_to_dispach'"),
        ("deployments[3].period.value", "has 1 entries, no [3]"),
        ("deployments[nope].period", "no entry with id 'nope'"),
        ("deployments[0].operation", "holds 'un_pko', not a number"),
    ],
)
def test_a_bad_factor_path_is_an_error_before_anything_runs(path: str, reason: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_experiment(toy(factors=[{"path": path, "levels": [1, 2]}]))
    assert caught.value.issues[0].path == "factors[0].path" and reason in caught.value.issues[0].reason


def test_a_value_the_scenario_rejects_names_the_design_point() -> None:
    bad = toy(factors=[{"path": "deployments[0].contingents[0].personnel", "levels": [10, 2500]}])
    with pytest.raises(ConfigError) as caught:
        load_experiment(bad)
    assert "design point 1 (deployments[0].contingents[0].personnel=2500.0)" in str(caught.value)
    assert "Art. 19(1)" in str(caught.value)


def test_a_grid_runs_every_point_and_summarises_each_metric(tmp_path: Path) -> None:
    result = run_experiment(toy(), out=tmp_path / "grid", executor="serial")
    assert len(result.points) == 4 and len(result.summary) == 4
    lags = result.summary.set_index("point")["estimate"].tolist()
    assert lags == [5, 5, 50, 50]  # the fixed lag, whatever the personnel
    assert read_table(result.folder, "deployments")["point"].nunique() == 4


def test_design_points_share_their_random_numbers() -> None:
    plan = load_experiment(toy(replications=3))
    data = [sim.simulate(p.scenario).events for p in plan.points[:2]]
    decided = [ev.loc[ev["event"] == "cabinet_decision", "t"].tolist() for ev in data]
    assert decided[0] == decided[1], "replication k draws the same request-to-decision lag at every point"


@pytest.mark.parametrize("kind", ["one_at_a_time", "latin_hypercube", "morris", "sobol"])
def test_every_design_kind_runs_on_a_tiny_experiment(tmp_path: Path, kind: str) -> None:
    factors = [
        {"path": "procedure.decision_to_dispatch.value", "low": 5, "high": 50},
        {"path": "deployments[0].contingents[0].personnel", "low": 10, "high": 100, "integer": True},
    ]
    design = {"kind": kind, "samples": 4, "seed": 1}
    result = run_experiment(toy(design=design, factors=factors, replications=2), out=tmp_path / kind,
                            executor="serial")  # fmt: skip
    assert len(result.summary) == len(result.points) > 1
    if kind != "latin_hypercube":
        assert not result.sensitivity.empty


def test_salib_indices_find_the_one_factor_that_drives_the_metric(tmp_path: Path) -> None:
    factors = [
        {"path": "procedure.decision_to_dispatch.value", "low": 5, "high": 50},
        {"path": "deployments[0].contingents[0].personnel", "low": 10, "high": 100, "integer": True},
    ]
    morris = run_experiment(toy(design={"kind": "morris", "samples": 6, "seed": 2}, factors=factors,
                                replications=2), out=tmp_path / "m", executor="serial").sensitivity  # fmt: skip
    star = morris.set_index("factor")["mu_star"]
    assert star["procedure.decision_to_dispatch.value"] > 10 and star["deployments[0].contingents[0].personnel"] == 0
    sobol = run_experiment(toy(design={"kind": "sobol", "samples": 16, "seed": 2}, factors=factors,
                               replications=2), out=tmp_path / "s", executor="serial").sensitivity  # fmt: skip
    total = sobol.set_index("factor")["ST"]
    assert total["procedure.decision_to_dispatch.value"] > 0.9
    assert abs(total["deployments[0].contingents[0].personnel"]) < 0.05


@pytest.mark.parametrize("layout", [{}, {"replications": 2, "chunk": 4}], ids=["part_per_point", "shared_parts"])
def test_results_are_byte_identical_whatever_the_executor_and_worker_count(
    tmp_path: Path, layout: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(experiment, "MIN_CHUNKS", 1)  # the chunks are made here, before any worker runs
    runs = {
        "serial": {"executor": "serial"},
        "processes1": {"executor": "processes", "workers": 1},
        "processes2": {"executor": "processes", "workers": 2},
        "dask2": {"executor": "dask", "workers": 2},
    }
    files = {name: parts(run_experiment(toy(**layout), out=tmp_path / name, **kw).folder) for name, kw in runs.items()}
    assert files["serial"] and len({tuple(f.items()) for f in files.values()}) == 1
    shared = "deployments/p00000-p00001-r0000000.parquet" in files["serial"]
    assert shared == bool(layout), "the second layout puts two points in a part"


def test_a_different_experiment_in_the_same_folder_is_refused(tmp_path: Path) -> None:
    run_experiment(toy(), out=tmp_path / "x", executor="serial")
    with pytest.raises(ResultsFolderConflict, match="holds results of another run"):
        run_experiment(toy(replications=6), out=tmp_path / "x", executor="serial")
    again = run_experiment(toy(replications=6), out=tmp_path / "x", executor="serial", resume=False)
    assert again.manifest["replications"] == 6


def test_without_events_only_deployments_and_summaries_are_kept(tmp_path: Path) -> None:
    result = run_experiment(toy(), out=tmp_path / "lean", executor="serial", events=False)
    assert not (result.folder / "events").exists() and not result.summary.empty
    with pytest.raises(FileNotFoundError, match="--no-events"):
        result.table("events")


def test_an_interrupted_sweep_resumes_and_loses_nothing(tmp_path: Path) -> None:
    spec = toy(replications=40, chunk=1)
    path = tmp_path / "exp.yaml"
    path.write_text(yaml.safe_dump(spec))
    killed, clean = tmp_path / "killed", tmp_path / "clean"
    command = [sys.executable, "-c", "from sim.cli import main; main()", "sweep", str(path),
               "--executor", "serial", "--no-progress", "--out"]  # fmt: skip
    proc = subprocess.Popen([*command, str(killed)], cwd=ROOT)
    deadline = time.time() + 60
    while len(list((killed / "deployments").glob("*.parquet"))) < 5 and time.time() < deadline:
        time.sleep(0.05)
    fresh = CliRunner().invoke(app, [*command[3:], str(killed), "--fresh"])  # beside the live run: refused
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert fresh.exit_code == 1 and f"in use by process {proc.pid}" in fresh.output
    done = len(list((killed / "deployments").glob("*.parquet")))
    assert 5 <= done < 160, "killed part-way, and the refused --fresh deleted nothing"
    subprocess.run([*command, str(killed)], cwd=ROOT, check=True)
    assert not list(killed.rglob("*.tmp")), "a temporary file left by the kill is cleared on resume"
    subprocess.run([*command, str(clean)], cwd=ROOT, check=True)
    assert parts(killed) == parts(clean)
    summary = pd.read_parquet(killed / "summary.parquet")
    assert (summary["n"] == 40).all()


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_example_experiment_runs(tmp_path: Path, path: Path) -> None:
    spec = yaml.safe_load(path.read_text())
    spec["scenario"] = str((path.parent / spec["scenario"]).resolve())
    spec["replications"] = 2
    spec["chunk"] = 2
    if spec["design"]["kind"] == "morris":
        spec["design"]["samples"] = 2
    result = run_experiment(spec, out=tmp_path / path.stem, executor="serial")
    assert len(result.summary) == len(result.points) * len(spec["metrics"])


def test_a_chunk_cut_off_between_its_tables_is_run_again_on_resume(tmp_path: Path, monkeypatch) -> None:
    from sim.sweep import store

    real = store.write_bytes
    calls = {"n": 0}

    def interrupted(data, path):  # Ctrl-C in the worker before the last table of the second chunk
        calls["n"] += 1
        if calls["n"] == 6:
            raise KeyboardInterrupt
        real(data, path)

    monkeypatch.setattr(store, "write_bytes", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run_experiment(toy(), out=tmp_path / "cut", executor="serial")
    monkeypatch.setattr(store, "write_bytes", real)
    assert (tmp_path / "cut" / "events" / "p00000-r0000002.parquet").exists(), "the chunk was cut off part-way"
    with pytest.warns(store.StoreNotice, match="without a record"):
        run_experiment(toy(), out=tmp_path / "cut", executor="serial")
    run_experiment(toy(), out=tmp_path / "whole", executor="serial")
    assert parts(tmp_path / "cut") == parts(tmp_path / "whole")
