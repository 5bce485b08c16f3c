"""A metric against its factors: lines with intervals for one factor, a heat map or scatter for two."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from matplotlib.collections import PathCollection
from matplotlib.image import AxesImage
from typer.testing import CliRunner

import sim
from sim import figures
from sim.cli import app
from sim.figures import report
from tests.test_experiment import toy

runner = CliRunner()
LAG = "procedure.decision_to_dispatch.value"
PERSONNEL = "deployments[0].contingents[0].personnel"


@pytest.fixture(scope="module")
def grid(tmp_path_factory: pytest.TempPathFactory) -> sim.ExperimentResult:
    factors = [{"path": LAG, "levels": [5, 20, 50]}, {"path": PERSONNEL, "levels": [10, 100], "integer": True}]
    metrics = [{"name": "lag", "stat": "mean", "column": "days_decision_to_dispatch"},
               {"name": "late", "stat": "probability", "where": "days_decision_to_dispatch > 30"}]  # fmt: skip
    spec = toy(factors=factors, metrics=metrics, replications=2)
    return sim.run_experiment(spec, out=tmp_path_factory.mktemp("grid") / "grid", executor="serial")


def _summary(points: pd.DataFrame, values: dict[int, float]) -> pd.DataFrame:
    est = pd.Series(values)
    return pd.DataFrame({"point": est.index, "metric": "m", "estimate": est.values,
                         "ci_low": est.values - 1, "ci_high": est.values + 1})  # fmt: skip


def test_one_factor_of_a_grid_draws_a_line_per_setting_of_the_other(grid: sim.ExperimentResult) -> None:
    fig = figures.response(grid.points, grid.summary, "lag", [LAG])
    ax = fig.axes[0]
    lines = [bars.lines[0] for bars in ax.containers]
    assert len(lines) == 2  # personnel 10 and 100
    for line in lines:
        assert line.get_ydata().tolist() == [5, 20, 50]
        assert np.allclose(line.get_xdata(), [5, 20, 50], atol=0.01 * 45)  # dodged apart by at most 1% of the range
    assert lines[0].get_xdata()[0] != lines[1].get_xdata()[0]
    assert ax.get_xlabel() == "decision_to_dispatch.value"
    assert {t.get_text() for t in ax.get_legend().get_texts()} == {"contingents[0].personnel=10",
                                                                    "contingents[0].personnel=100"}  # fmt: skip


def test_the_intervals_are_the_summarys(grid: sim.ExperimentResult) -> None:
    points = grid.points[[c for c in grid.points.columns if c != PERSONNEL]].iloc[[0, 2, 4]]
    summary = _summary(points, {0: 3.0, 2: 7.0, 4: 4.0})
    ax = figures.response(points, summary, "m").axes[0]
    bars = ax.containers[0]
    low, high = bars.lines[2][0].get_segments()[0][:, 1]
    assert (low, high) == (2.0, 4.0)


def test_two_factors_of_a_grid_are_a_heat_map_of_the_estimates(grid: sim.ExperimentResult) -> None:
    fig = figures.response(grid.points, grid.summary, "late")
    image = next(a for a in fig.axes[0].get_children() if isinstance(a, AxesImage))
    late = grid.summary[grid.summary["metric"] == "late"].pivot_table(index=PERSONNEL, columns=LAG, values="estimate")
    assert np.array_equal(image.get_array(), late.to_numpy())
    assert late.to_numpy().tolist() == [[0, 0, 1], [0, 0, 1]]


def test_two_factors_of_a_latin_hypercube_are_a_scatter_coloured_by_the_estimate() -> None:
    rng = np.random.default_rng(4)
    points = pd.DataFrame({"point": range(8), "a.x": rng.uniform(0, 1, 8), "b.y": rng.uniform(0, 9, 8)})
    summary = _summary(points, dict(enumerate(points["a.x"] * 10)))
    fig = figures.response(points, summary, "m", ["x", "y"])
    dots = next(a for a in fig.axes[0].get_children() if isinstance(a, PathCollection))
    assert np.allclose(dots.get_array(), points["a.x"] * 10)
    assert np.allclose(dots.get_offsets()[:, 0], points["a.x"])


def test_more_factors_than_two_give_a_panel_each() -> None:
    points = pd.DataFrame({"point": range(4), "a": [1, 2, 3, 4], "b": [4, 3, 2, 1], "c": [0, 1, 0, 1]})
    fig = figures.response(points, _summary(points, {0: 1, 1: 2, 2: 3, 3: 4}), "m")
    assert [ax.get_xlabel() for ax in fig.axes] == ["a", "b", "c"]


def test_bad_requests_name_the_metric_or_factor(grid: sim.ExperimentResult) -> None:
    with pytest.raises(ValueError, match="metric 'nope' is not in the summary; the experiment has lag, late"):
        figures.response(grid.points, grid.summary, "nope")
    with pytest.raises(ValueError, match=r"factor 'speed' is not one of .*deployments\[0\]"):
        figures.response(grid.points, grid.summary, "lag", ["speed"])
    with pytest.raises(ValueError, match="not 3"):
        figures.response(grid.points, grid.summary, "lag", [LAG, PERSONNEL, "value"])
    with pytest.raises(ValueError, match="names one factor twice"):
        figures.response(grid.points, grid.summary, "lag", [LAG, "decision_to_dispatch.value"])
    points = pd.DataFrame({"point": [0], "a.value": [1], "b.value": [2]})
    with pytest.raises(ValueError, match="matches several"):
        figures.response(points, _summary(points, {0: 1}), "m", ["value"])


def test_plot_draws_the_response_from_a_folder(grid: sim.ExperimentResult, tmp_path: Path) -> None:
    target = tmp_path / "r.png"
    args = ["plot", str(grid.folder), "--kind", "response", "--metric", "lag", "--factor", "decision_to_dispatch.value"]
    drawn = runner.invoke(app, [*args, "--out", str(target)])
    assert drawn.exit_code == 0, drawn.output
    assert target.read_bytes().startswith(b"\x89PNG")
    refused = runner.invoke(app, ["plot", str(grid.folder), "--kind", "response", "--factor", "speed"])
    assert refused.exit_code == 1 and "deployments[0].contingents[0].personnel" in refused.output


def test_the_report_of_a_grid_places_each_metric_against_its_factors(grid: sim.ExperimentResult) -> None:
    page = report.report(grid.folder).read_text()
    assert "lag against the factors" in page and "late against the factors" in page
    assert page.count('src="data:image/png;base64,') == 6  # timeline, cap, durations, survival and two responses


def test_a_folder_without_factors_has_no_response(tmp_path: Path) -> None:
    result = sim.run_experiment(toy(factors=[], replications=1), out=tmp_path / "flat", executor="serial")
    with pytest.raises(report.NoSuchFigure, match="no factors"):
        report.figure(result.folder, "response")


def test_sweep_prints_the_sensitivity_indices_as_a_table(tmp_path: Path) -> None:
    factors = [{"path": LAG, "low": 5, "high": 50}, {"path": PERSONNEL, "low": 10, "high": 100, "integer": True}]
    spec = toy(design={"kind": "morris", "samples": 3, "seed": 1}, factors=factors, replications=1)
    spec["scenario"]["start"] = "2024-01-01"
    path = tmp_path / "morris.yaml"
    path.write_text(yaml.safe_dump(spec))
    done = runner.invoke(app, ["sweep", str(path), "--out", str(tmp_path / "m"), "--executor", "serial",
                               "--no-progress"])  # fmt: skip
    assert done.exit_code == 0, done.output
    assert "Sensitivity indices" in done.output and "mu_star" in done.output
    assert "deployments[0].contingents[0].personnel" in done.output  # a path, not rich markup
    indices = pd.read_parquet(tmp_path / "m" / "sensitivity.parquet").set_index("factor")
    assert f"{indices.loc[LAG, 'mu_star']:,.4g}" in done.output
