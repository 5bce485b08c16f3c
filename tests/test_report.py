"""Figures from a results folder on the command line, and the self-contained HTML report."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from typer.testing import CliRunner

import sim
from sim.cli import app
from sim.figures import report

runner = CliRunner()


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("runs") / "cap"
    done = runner.invoke(app, ["run", "configs/cap_stress.yaml", "-n", "3", "--out", str(out), "--no-progress",
                               "--executor", "serial"])  # fmt: skip
    assert done.exit_code == 0, done.output
    return out


@pytest.fixture(scope="module")
def oat_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec = {
        "name": "oat", "scenario": "configs/baseline.yaml", "replications": 2, "chunk": 2,
        "design": {"kind": "one_at_a_time"},
        "factors": [{"path": "procedure.decision_to_dispatch.median", "low": 3, "high": 30},
                    {"path": "hazards.mission_end.rate", "low": 0, "high": 0.2}],
        "metrics": [{"name": "lag", "stat": "mean", "column": "days_decision_to_dispatch"}],
    }  # fmt: skip
    return sim.run_experiment(spec, out=tmp_path_factory.mktemp("oat") / "oat", executor="serial").folder


def test_run_writes_its_figures_and_report(run_folder: Path) -> None:
    for kind in ("timeline", "cap", "durations", "survival"):
        assert (run_folder / "figures" / f"{kind}.png").read_bytes().startswith(b"\x89PNG")
    assert (run_folder / "report.html").exists()


def test_the_report_embeds_every_figure_and_table(run_folder: Path) -> None:
    page = report.report(run_folder, run_folder / "again.html").read_text()
    images = page.count('src="data:image/png;base64,')
    assert images == 4  # timeline, cap, durations, survival
    for title in (
        "Timeline of replication 0",
        "Persons engaged against the cap",
        "Durations",
        "Survival of deployments",
        "How deployments ended",
        "Durations and counts",
        "Median survival",
    ):
        assert title in page  # fmt: skip
    first = page.split('src="data:image/png;base64,')[1].split('"')[0]
    assert base64.b64decode(first).startswith(b"\x89PNG")
    assert "<table" in page and "http" not in page.split("<body>")[1].split("Simulated under")[0]


def test_the_report_of_a_one_at_a_time_experiment_has_its_tornado(oat_folder: Path) -> None:
    page = report.report(oat_folder).read_text()
    assert "Sensitivity: lag" in page and "Metrics per design point" in page and "Sensitivity indices" in page
    assert page.count('src="data:image/png;base64,') == 5


@pytest.mark.parametrize("kind", ["timeline", "cap", "durations", "survival"])
def test_plot_draws_each_kind_of_a_run(run_folder: Path, kind: str, tmp_path: Path) -> None:
    target = tmp_path / f"{kind}.svg"
    done = runner.invoke(app, ["plot", str(run_folder), "--kind", kind, "--out", str(target)])
    assert done.exit_code == 0, done.output
    assert target.read_text().lstrip().startswith("<?xml")


def test_plot_draws_a_tornado_and_refuses_indices_it_does_not_have(oat_folder: Path, tmp_path: Path) -> None:
    drawn = runner.invoke(app, ["plot", str(oat_folder), "--kind", "tornado", "--out", str(tmp_path / "t.png")])
    assert drawn.exit_code == 0
    refused = runner.invoke(app, ["plot", str(oat_folder), "--kind", "sensitivity"])
    assert refused.exit_code == 1 and "tornado chart, not indices" in refused.output


def test_plot_of_a_folder_without_results_is_a_clear_error(tmp_path: Path) -> None:
    done = runner.invoke(app, ["plot", str(tmp_path), "--kind", "timeline"])
    assert done.exit_code == 1 and "not a results folder" in done.output
