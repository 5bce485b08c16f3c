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
    return sim.simulate("configs/eight_assignments.yaml", replications=3)


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


@pytest.fixture(scope="module")
def diet() -> sim.SimulationResult:
    """Two deployments waiting for a slow, divided Diet on a generated calendar."""
    return sim.simulate("configs/divided_diet.yaml", replications=2)


def session_spans(fig: plt.Figure) -> list:
    return [p for p in fig.axes[0].patches if p.get_gid() == "session"]


def test_a_timeline_with_its_calendar_shades_the_sessions_and_marks_approvals(diet: sim.SimulationResult) -> None:
    fig = figures.timeline(diet.events, replication=0, calendar=diet.calendar)
    spans = session_spans(fig)
    sessions = diet.calendar[(diet.calendar["replication"] == 0) & (diet.calendar["kind"] != "recess")]
    sessions = sessions[sessions["kind"].isin(["ordinary", "extraordinary", "special"])]
    ev = diet.events[diet.events["replication"] == 0]
    inside = sessions[(sessions["closed"] >= ev["date"].min()) & (sessions["convened"] <= ev["date"].max())]
    assert spans and len(spans) == len(inside), "one shaded span per session the timeline covers"
    marked = {str(c.get_gid()).split(":")[0] for c in fig.axes[0].collections if len(c.get_offsets())}
    sought = set(ev.loc[ev["event"].isin(["approval_sought", "approval_granted"]), "event"].astype(str))
    assert sought and sought <= marked
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "the Diet in session" in legend and "Diet approval sought (Art. 6(7))" in legend
    plt.close(fig)


def test_a_timeline_without_a_calendar_is_drawn_as_before(diet: sim.SimulationResult) -> None:
    fig = figures.timeline(diet.events, replication=0)
    assert not session_spans(fig)
    marked = {str(c.get_gid()).split(":")[0] for c in fig.axes[0].collections if len(c.get_offsets())}
    assert "approval_sought" not in marked
    plt.close(fig)


def test_a_shared_calendar_shades_every_replications_timeline() -> None:
    result = sim.simulate("configs/diet_replay_2014.yaml", replications=2)
    assert set(result.calendar["replication"]) == {-1}, "the historical calendar is listed once"
    fig = figures.timeline(result.events, replication=1, calendar=result.calendar)
    assert session_spans(fig)
    plt.close(fig)
