"""A sweep's outputs keep its design points apart: process-mining cases, figures of any point and replication."""

from __future__ import annotations

import shutil
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.colors import to_hex
from typer.testing import CliRunner

import sim
from sim import analysis
from sim.cli import app
from sim.figures import report
from sim.sweep.store import read_rows, read_table
from tests.conftest import deployment, scenario

runner = CliRunner()
LAGS = [5, 10, 20]
PERIODS = [100, 200, 300]


@pytest.fixture(scope="module")
def sweep(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Nine design points (a 3 x 3 grid), 4 replications in chunks of 2: two parts per point and table."""
    base = scenario(deployment(period=200), deployment(id="obs", request="2024-06-01", period=90), replications=1)
    base["procedure"]["decision_to_dispatch"] = 10
    spec = {
        "name": "grid9", "scenario": base, "replications": 4, "chunk": 2, "design": {"kind": "grid"},
        "factors": [{"path": "procedure.decision_to_dispatch.value", "levels": LAGS},
                    {"path": "deployments[0].period.value", "levels": PERIODS}],
    }  # fmt: skip
    result = sim.run_experiment(spec, out=tmp_path_factory.mktemp("sweep") / "grid9", executor="serial")
    assert len(list((result.folder / "events").glob("*.parquet"))) == 18
    return result.folder


def values_of(folder: Path, point: int) -> dict[str, float]:
    points = pd.read_parquet(folder / "points.parquet").set_index("point")
    return points.loc[point].to_dict()


def test_the_process_mining_export_of_a_sweep_has_one_case_per_point_replication_and_deployment(sweep: Path) -> None:
    events = read_table(sweep, "events")
    points = pd.read_parquet(sweep / "points.parquet")
    log = analysis.process_mining_log(events, points=points)
    assert log["case:concept:name"].nunique() == 9 * 4 * 2, "9 points x 4 replications x 2 deployments"
    assert log["case:concept:name"].str.fullmatch(r"\d+:\d+:(eng|obs)").all()
    case = log[log["case:concept:name"] == "7:3:eng"]
    assert not case.empty and set(case["case:point"]) == {7}
    expected = values_of(sweep, 7)
    assert set(case["case:procedure.decision_to_dispatch.value"]) == {expected["procedure.decision_to_dispatch.value"]}
    assert set(case["case:deployments[0].period.value"]) == {expected["deployments[0].period.value"]}
    # each case's dispatch lag is its own point's: the cases of different points were not merged
    dispatched = log[log["concept:name"] == "dispatch_started"].groupby("case:concept:name")["time:timestamp"].min()
    decided = log[log["concept:name"] == "cabinet_decision"].groupby("case:concept:name")["time:timestamp"].min()
    lag = (dispatched - decided).dt.days
    lags = log.drop_duplicates("case:concept:name").set_index("case:concept:name")
    assert (lag == lags.loc[lag.index, "case:procedure.decision_to_dispatch.value"]).all()


def test_the_process_mining_export_of_one_run_keeps_its_case_ids() -> None:
    log = analysis.process_mining_log(sim.simulate(scenario(deployment()), replications=2).events)
    assert set(log["case:concept:name"]) == {"0:eng", "1:eng"}
    assert "case:point" not in log


def test_a_points_table_missing_a_point_of_the_log_is_refused(sweep: Path) -> None:
    events = read_rows(sweep, "events", points=[8], replications=[0])
    with pytest.raises(ValueError, match="no row for design point"):
        analysis.process_mining_log(events, points=pd.read_parquet(sweep / "points.parquet").head(3))


def test_rows_of_one_point_and_replication_are_those_of_the_whole_table(sweep: Path) -> None:
    whole = read_table(sweep, "events")
    chosen = read_rows(sweep, "events", points=[5], replications=[3])
    expected = whole[(whole["point"] == 5) & (whole["replication"] == 3)]
    assert not chosen.empty
    pd.testing.assert_frame_equal(chosen.reset_index(drop=True), expected.reset_index(drop=True),
                                  check_categorical=False, check_dtype=False)  # fmt: skip


def test_rows_of_one_point_never_open_the_parts_of_other_points(sweep: Path, tmp_path: Path) -> None:
    copy = tmp_path / "grid9"
    shutil.copytree(sweep, copy)
    for part in (copy / "events").glob("p00000-*.parquet"):
        part.write_bytes(b"not parquet")  # opening it would fail
    rows = read_rows(copy, "events", points=[4], replications=[1])
    assert not rows.empty and set(rows["point"]) == {4} and set(rows["replication"]) == {1}
    assert read_rows(sweep, "events", points=[12]).empty, "a point with no parts has no rows"


def test_a_timeline_of_any_point_and_replication_names_the_point_and_its_values(sweep: Path) -> None:
    fig = report.figure(sweep, "timeline", points=[7], replication=3)
    title = fig.axes[0].get_title()
    values = values_of(sweep, 7)
    assert "replication 3" in title and "point 7 of 9" in title
    assert f"decision_to_dispatch.value={values['procedure.decision_to_dispatch.value']:g}" in title
    assert f"period.value={values['deployments[0].period.value']:g}" in title
    plt.close(fig)


@pytest.mark.parametrize("kind", ["timeline", "cap", "durations"])
def test_plot_draws_a_chosen_point_and_replication_from_the_later_parts(sweep: Path, kind: str, tmp_path: Path) -> None:
    target = tmp_path / f"{kind}.png"
    done = runner.invoke(app, ["plot", str(sweep), "--kind", kind, "--point", "8", "--replication", "3",
                               "--out", str(target)])  # fmt: skip
    assert done.exit_code == 0, done.output
    assert target.read_bytes().startswith(b"\x89PNG")


def test_the_durations_of_a_point_are_that_point_alone(sweep: Path) -> None:
    fig = report.figure(sweep, "durations", points=[2])
    lag_panel = fig.axes[1]
    counted = sum(bar.get_height() for bar in lag_panel.patches)
    assert counted == 4 * 2, "4 replications x 2 deployments of point 2"
    assert "point 2 of 9" in fig._suptitle.get_text()
    plt.close(fig)


def test_a_point_or_replication_the_folder_lacks_is_a_clear_error(sweep: Path) -> None:
    no_point = runner.invoke(app, ["plot", str(sweep), "--kind", "timeline", "--point", "9"])
    assert no_point.exit_code == 1 and "no design point 9: the results have points 0 to 8" in no_point.output
    no_rep = runner.invoke(app, ["plot", str(sweep), "--kind", "cap", "--replication", "4"])
    assert no_rep.exit_code == 1 and "no replication 4" in no_rep.output
    two = runner.invoke(app, ["plot", str(sweep), "--kind", "timeline", "--point", "1", "--point", "2"])
    assert two.exit_code == 1 and "draws one design point" in two.output
    assert "Traceback" not in no_point.output + no_rep.output + two.output


def curves_of(fig: plt.Figure) -> list[plt.Line2D]:
    return [line for line in fig.axes[0].get_lines() if str(line.get_gid()).startswith("survival:")]


def test_survival_of_a_sweep_shows_a_readable_subset_labelled_with_factor_values(sweep: Path) -> None:
    fig = report.figure(sweep, "survival")
    curves = curves_of(fig)
    assert 2 <= len(curves) <= 6, "a subset of the 9 points"
    colours = [to_hex(line.get_color()) for line in curves]
    assert len(set(colours)) == len(colours), "each curve a colour of its own"
    for line in curves:
        label = line.get_label().replace("\n", " ")
        assert "decision_to_dispatch.value=" in label and "period.value=" in label
    assert "of 9 design points" in fig.axes[0].get_title()
    plt.close(fig)


def test_survival_draws_the_points_the_user_picks(sweep: Path, tmp_path: Path) -> None:
    fig = report.figure(sweep, "survival", points=[0, 8])
    labels = [line.get_label().replace("\n", " ") for line in curves_of(fig)]
    assert [label.split(":")[0] for label in labels] == ["point 0", "point 8"]
    plt.close(fig)
    done = runner.invoke(
        app, ["plot", str(sweep), "-k", "survival", "-p", "1", "-p", "4", "-o", str(tmp_path / "s.png")]
    )
    assert done.exit_code == 0, done.output


def test_an_unknown_kind_of_figure_is_named_with_the_kinds_there_are(sweep: Path) -> None:
    done = runner.invoke(app, ["plot", str(sweep), "--kind", "foo"])
    assert done.exit_code == 1
    assert "unknown kind 'foo'" in done.output and "timeline, cap, durations, survival" in done.output
    assert "sensitivity indices" not in done.output
