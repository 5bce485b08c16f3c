"""Lawful scenarios at the edges: they run, with their figures and report, or validation says why not."""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt
import yaml
from typer.testing import CliRunner

import sim
from sim.cli import app
from sim.figures import report
from sim.sweep.experiment import read_table
from tests.conftest import deployment, scenario

runner = CliRunner()
FIGURES = ("timeline", "cap", "durations", "survival")


def _run(tmp_path: Path, data: dict) -> Path:
    """``pko-sim run`` with figures and report; the results folder."""
    path = tmp_path / "scenario.yaml"
    path.write_text(yaml.safe_dump(data))
    out = tmp_path / "out"
    args = ["run", str(path), "-n", "2", "--out", str(out), "--executor", "serial", "--no-progress"]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    for kind in FIGURES:
        assert (out / "figures" / f"{kind}.png").read_bytes().startswith(b"\x89PNG"), kind
    assert "Persons engaged against the cap" in (out / "report.html").read_text()
    return out


def _cap_note(out: Path) -> list[str]:
    fig = report.figure(out, "cap")
    notes = [t.get_text() for t in fig.axes[0].texts if t.get_gid() == "nobody"]
    plt.close(fig)
    return notes


def officer() -> dict:
    return deployment(dispatch_under="article_27", subtype="a",
                      contingents=[{"kind": "sdf_personnel", "personnel": 2, "tasks": ["a"]}])  # fmt: skip


def test_a_scenario_of_one_article_27_officer_runs_with_figures(tmp_path: Path) -> None:
    """Art. 27 officers serve the UN and do not count toward the cap: no one is engaged under it."""
    out = _run(tmp_path, scenario(officer()))
    assert read_table(out, "engaged").empty
    assert (read_table(out, "events")["event"] == "dispatch_started").sum() == 2
    assert _cap_note(out) == ["no persons engaged under the cap"]


def test_a_unit_larger_than_a_small_cap_goes_scaled_down_with_figures(tmp_path: Path) -> None:
    out = _run(tmp_path, scenario(deployment(), cap={"limit": 50, "policy": "scale_down"}))
    assert set(read_table(out, "deployments")["persons_dispatched"]) == {50}
    assert read_table(out, "engaged")["total"].max() == 50
    assert _cap_note(out) == []


def test_a_run_that_dispatches_no_one_draws_its_figures(tmp_path: Path) -> None:
    out = _run(tmp_path, scenario(deployment(consent={"host": False})))
    assert set(read_table(out, "deployments")["outcome"]) == {"abandoned"}
    assert _cap_note(out) == ["no persons engaged under the cap"]


def test_the_cap_figure_of_a_replication_the_run_does_not_have_is_a_clear_error(tmp_path: Path) -> None:
    out = _run(tmp_path, scenario(officer()))
    result = runner.invoke(app, ["plot", str(out), "--kind", "cap", "--replication", "2"])
    assert result.exit_code == 1 and "no replication 2: the run has replications 0 to 1" in result.output


def test_a_random_extension_length_never_extends_by_zero_days() -> None:
    length = {"dist": "empirical", "values": [0, 30]}
    data = scenario(deployment(extension={"until_mission_end": True, "length": length}), end="2025-06-01")
    events = sim.simulate(data, replications=3).events
    extended = events.loc[events["event"] == "plan_amended", "detail"].astype(str)
    assert len(extended) > 3 and "period extended by 0 days" not in set(extended)


def test_a_period_that_ends_before_the_guidelines_ends_the_plan_undispatched() -> None:
    """A 1-day period with guidelines 2 days after the decision: the plan ends without a dispatch."""
    result = sim.simulate(scenario(deployment(period=1)))
    row = result.deployments.iloc[0]
    assert row["termination_cause"] == "period_end" and row["dispatch_date"] != row["dispatch_date"]
