"""Figures build on real simulation output and show what they claim to show."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import pytest
from typer.testing import CliRunner

import sim
from sim import figures
from sim.cli import app


@pytest.fixture(scope="module")
def result() -> sim.SimulationResult:
    return sim.simulate("configs/baseline.yaml", replications=3)


def test_timeline_has_one_lane_per_deployment(result) -> None:
    fig = figures.timeline(result.events, replication=1)
    ax = fig.axes[0]
    lanes = {bar.get_gid() for bar in ax.patches if bar.get_gid()}
    assert lanes == {f"lane:{d.id}" for d in result.scenario.deployments}
    assert [t.get_text() for t in ax.get_yticklabels()] == [d.id for d in result.scenario.deployments]
    assert ax.get_xlabel() == "date" and "replication 1" in ax.get_title()
    plt.close(fig)


def test_timeline_of_a_missing_replication_is_a_clear_error(result) -> None:
    with pytest.raises(ValueError, match="no events for replication 99"):
        figures.timeline(result.events, replication=99)


def test_durations_has_a_labelled_panel_per_duration(result) -> None:
    fig = figures.durations(result.deployments)
    assert [ax.get_title() for ax in fig.axes] == list(figures.DURATIONS.values())
    assert all(ax.get_xlabel() == "days" and ax.patches for ax in fig.axes)
    plt.close(fig)


def test_run_writes_its_figures(tmp_path: Path) -> None:
    out = tmp_path / "out"
    done = CliRunner().invoke(app, ["run", "-n", "2", "--out", str(out), "--no-progress", "--executor", "serial"])
    assert done.exit_code == 0, done.output
    for name in ("timeline.png", "durations.png"):
        assert (out / "figures" / name).read_bytes().startswith(b"\x89PNG")
