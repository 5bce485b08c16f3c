"""The researcher's workflow around a sweep: mistakes caught before simulating, summaries recomputed
from stored parts, categorical factors, and warnings when a design is too small for its indices."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from sim.analysis.metrics import Metric, check_metric
from sim.cli import app
from sim.scenario import ConfigError
from sim.sweep import experiment
from sim.sweep.designs import (
    MORRIS_MIN_TRAJECTORIES,
    SOBOL_MIN_SAMPLES,
    Factor,
    analyze,
    make_design,
    sample_size_warnings,
    stability,
)
from sim.sweep.experiment import StoredResultsMismatch, load_experiment, run_experiment, summarize_results
from tests.conftest import ROOT
from tests.test_experiment import parts, toy

runner = CliRunner()
LAG = {"name": "lag", "stat": "mean", "column": "days_decision_to_dispatch"}
DEPLOYED = {"name": "deployed", "stat": "mean", "column": "days_deployed"}


def write(tmp_path: Path, data: dict[str, Any], name: str = "exp.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data))
    return path


def forbid_simulation(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make any attempt to simulate a chunk fail loudly."""

    def refuse(task: Any) -> None:
        raise AssertionError(f"simulated {task.describe()} although every part was stored")

    monkeypatch.setattr(experiment, "run_chunk", refuse)


# --- 3(a): metrics checked against .deployments before anything runs -------------------------


@pytest.mark.parametrize(
    ("metric", "reason"),
    [
        ({"stat": "mean", "column": "days_decision_to_dispach"}, "did you mean 'days_decision_to_dispatch'"),
        ({"stat": "probability", "where": "days_deployd < 730"}, "names 'days_deployd'"),
        ({"stat": "probability", "where": "days_deployed <"}, "does not parse"),
        ({"stat": "probability", "where": "days_deployed + 1"}, "is not a condition"),
        ({"stat": "quantile", "q": 0.5, "column": "outcome"}, "needs a numeric column; 'outcome' holds text"),
        ({"stat": "mean", "column": "decision_date"}, "'decision_date' holds dates"),
        ({"stat": "probability", "where": "termination_cause == 'recal'"}, "did you mean 'recall'"),
        ({"stat": "probability", "where": "outcome in ['ended', 'abandonned']"}, "did you mean 'abandoned'"),
    ],
)
def test_a_bad_metric_is_named_with_its_reason(metric: dict[str, Any], reason: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_experiment(toy(metrics=[LAG, {"name": "bad", **metric}]))
    (issue,) = caught.value.issues
    assert issue.path == "metrics[1] (bad)" and reason in issue.reason


def test_good_metrics_pass_the_check() -> None:
    for spec in [
        {"stat": "mean", "column": "censored"},  # a flag's mean is a share
        {
            "stat": "probability",
            "where": "termination_cause in ['conditions_lost', 'mission_end'] and days_deployed < 730",
        },
        {"stat": "probability", "where": "outcome == 'abandoned' and decision_date < '2030-01-01'"},
    ]:
        assert check_metric(Metric(name="m", **spec)) == []


def test_every_metric_problem_is_listed_at_once_with_unknown_deployments_and_repeated_names() -> None:
    metrics = [
        LAG,
        {**LAG, "column": "lags"},
        {"name": "x", "stat": "mean", "column": "lapses", "deployments": ["egn"]},
    ]
    with pytest.raises(ConfigError) as caught:
        load_experiment(toy(metrics=metrics))
    reasons = [(i.path, i.reason) for i in caught.value.issues]
    assert ("metrics[1] (lag)", "another metric is already named 'lag'") in reasons
    assert any(p == "metrics[1] (lag)" and "'lags' is not a column" in r for p, r in reasons)
    assert any(p == "metrics[2] (x)" and "no deployment 'egn'; did you mean 'eng'?" in r for p, r in reasons)


def test_a_metric_typo_is_rejected_before_anything_is_simulated(tmp_path: Path) -> None:
    path = write(tmp_path, toy(metrics=[{**LAG, "column": "days_decision_to_dispach"}]))
    out = tmp_path / "out"
    result = runner.invoke(app, ["sweep", str(path), "--executor", "serial", "--no-progress", "--out", str(out)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "metrics[0] (lag)" in result.output and "did you mean 'days_decision_to_dispatch'" in result.output
    assert not list(out.rglob("*.parquet")), "no part was written"


# --- 3(b): validate reads experiments --------------------------------------------------------


def test_validate_summarises_an_experiment_with_an_estimate_of_its_time(tmp_path: Path) -> None:
    result = runner.invoke(app, ["validate", str(write(tmp_path, toy())), "--calibration", "1"])
    assert result.exit_code == 0, result.output
    assert "grid design over 2 factor(s): 4 point(s) x 4 replications = 16 replications in 8 chunk(s)" in result.output
    assert "metric lag: mean of days_decision_to_dispatch" in result.output
    assert "s per replication of the base scenario (1 timed here)" in result.output


def test_validate_estimates_no_more_cores_than_the_experiment_has_chunks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("os.cpu_count", lambda: 64)
    result = runner.invoke(app, ["validate", str(write(tmp_path, toy())), "--calibration", "1"])
    assert result.exit_code == 0, result.output
    assert "on 8 core(s) (its 8 chunk(s) keep no more busy)" in result.output


def test_validate_lists_every_problem_of_an_experiment(tmp_path: Path) -> None:
    bad = toy(
        factors=[{"path": "procedure.decision_to_dispach.value", "levels": [1, 2]}],
        metrics=[{"name": "p", "stat": "probability", "where": "outcome = 'x'"}],
    )
    result = runner.invoke(app, ["validate", str(write(tmp_path, bad))])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "2 problems" in result.output and "factors[0].path" in result.output and "metrics[0] (p)" in result.output


def test_validate_warns_of_a_design_too_small_before_running(tmp_path: Path) -> None:
    sobol = toy(design={"kind": "sobol", "samples": 4}, factors=[{"path": "procedure.decision_to_dispatch.value",
                                                                   "low": 5, "high": 50}])  # fmt: skip
    result = runner.invoke(app, ["validate", str(write(tmp_path, sobol)), "--calibration", "0"])
    assert result.exit_code == 0, result.output
    assert f"sobol base sample N = 4 is below {SOBOL_MIN_SAMPLES}" in result.output
    assert "estimate" not in result.output


# --- 3(c): summaries from stored parts; metrics outside the fingerprint -------------------------


def test_summarize_recomputes_a_new_metric_from_the_stored_parts(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "out"
    run_experiment(toy(), out=out, executor="serial")
    stored = parts(out)
    edited = write(tmp_path, {**toy(), "metrics": [LAG, DEPLOYED]})
    forbid_simulation(monkeypatch)
    result = runner.invoke(app, ["summarize", str(out), "--experiment", str(edited)])
    assert result.exit_code == 0, result.output
    assert "nothing simulated" in result.output
    summary = pd.read_parquet(out / "summary.parquet")
    assert set(summary["metric"]) == {"lag", "deployed"}
    assert {k: v for k, v in parts(out).items() if "/" in k} == {k: v for k, v in stored.items() if "/" in k}
    monkeypatch.undo()
    direct = run_experiment({**toy(), "metrics": [LAG, DEPLOYED]}, out=tmp_path / "direct", executor="serial")
    pd.testing.assert_frame_equal(summary, direct.summary)


def test_summarize_without_an_experiment_uses_the_folders_own(tmp_path: Path) -> None:
    out = tmp_path / "out"
    first = run_experiment(toy(), out=out, executor="serial")
    (out / "summary.parquet").unlink()
    again = summarize_results(out)
    pd.testing.assert_frame_equal(again.summary, first.summary)


def test_sweep_after_a_metric_edit_reuses_every_part(tmp_path: Path, monkeypatch) -> None:
    out = tmp_path / "out"
    before = run_experiment(toy(metrics=[{**LAG, "name": "lagg"}]), out=out, executor="serial")
    forbid_simulation(monkeypatch)
    after = run_experiment(toy(metrics=[LAG, DEPLOYED], description="corrected"), out=out, executor="serial")
    assert after.manifest["fingerprint"] == before.manifest["fingerprint"]
    assert set(after.summary["metric"]) == {"lag", "deployed"}
    assert [m["name"] for m in after.manifest["experiment"]["metrics"]] == ["lag", "deployed"]


def test_a_changed_design_still_means_a_new_run(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_experiment(toy(), out=out, executor="serial")
    with pytest.raises(StoredResultsMismatch, match="replications differ"):
        summarize_results(out, toy(replications=6))
    with pytest.raises(StoredResultsMismatch, match="seed differ"):
        summarize_results(out, toy(seed=3))
    assert load_experiment(toy(chunk=1)).fingerprint != load_experiment(toy()).fingerprint


def test_summarize_refuses_a_folder_with_chunks_still_to_simulate(tmp_path: Path) -> None:
    out = tmp_path / "out"
    run_experiment(toy(), out=out, executor="serial")
    next(iter(sorted((out / "deployments").glob("*.parquet")))).unlink()
    result = runner.invoke(app, ["summarize", str(out)])
    assert result.exit_code == 1 and "1 of 8 chunks have not been simulated yet" in result.output


# --- 5: categorical factors --------------------------------------------------------------------


def test_a_categorical_factor_is_swept_end_to_end(tmp_path: Path) -> None:
    spec = {
        "name": "cap_policy",
        "scenario": str(ROOT / "configs" / "cap_stress.yaml"),
        "replications": 2,
        "chunk": 2,
        "factors": [{"path": "cap.policy", "levels": ["wait", "scale_down"]}],
        "metrics": [
            {"name": "waited", "stat": "mean", "column": "days_waited_for_cap"},
            {"name": "persons", "stat": "mean", "column": "persons_dispatched"},
        ],
    }
    path = write(tmp_path, spec)
    result = runner.invoke(app, ["sweep", str(path), "--executor", "serial", "--no-progress",
                                 "--out", str(tmp_path / "out")])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "cap.policy" in result.output and "scale_down" in result.output, "factor values beside every point"
    points = pd.read_parquet(tmp_path / "out" / "points.parquet")
    assert points["cap.policy"].tolist() == ["wait", "scale_down"]
    summary = pd.read_parquet(tmp_path / "out" / "summary.parquet").set_index(["cap.policy", "metric"])["estimate"]
    assert summary["wait", "waited"] > summary["scale_down", "waited"], "scaling down waits less for headroom"
    assert summary["wait", "persons"] != summary["scale_down", "persons"], "and sends another number of persons"


def test_boolean_and_word_factors_run_in_one_at_a_time_and_sampled_designs() -> None:
    carry = {"path": "diet.carry_over", "levels": [False, True]}
    oat = load_experiment(toy(design={"kind": "one_at_a_time"}, factors=[carry]))
    assert [p.values["diet.carry_over"] for p in oat.points] == [False, False, True]
    lhs = load_experiment(toy(design={"kind": "latin_hypercube", "samples": 8, "seed": 1},
                              factors=[{"path": "diet.after_lapse", "levels": ["seek_again", "abandon"]}]))  # fmt: skip
    assert sorted(p.values["diet.after_lapse"] for p in lhs.points) == ["abandon"] * 4 + ["seek_again"] * 4


def test_a_categorical_one_at_a_time_sweep_draws_its_tornado(tmp_path: Path) -> None:
    factors = [
        {"path": "diet.carry_over", "levels": [False, True]},  # changes nothing here: the "no change" label
        {"path": "procedure.decision_to_dispatch.value", "low": 5, "high": 50},
    ]
    spec = toy(design={"kind": "one_at_a_time"}, factors=factors, replications=2)
    out = tmp_path / "out"
    swept = runner.invoke(app, ["sweep", str(write(tmp_path, spec)), "--executor", "serial", "--no-progress",
                                "--out", str(out)])  # fmt: skip
    assert swept.exit_code == 0, swept.output
    table = pd.read_parquet(out / "sensitivity.parquet").set_index("factor")
    assert table.loc["diet.carry_over", ["low", "high"]].tolist() == ["False", "True"]
    assert table.loc["procedure.decision_to_dispatch.value", ["low", "high"]].tolist() == ["5", "50"]
    drawn = runner.invoke(app, ["plot", str(out), "--kind", "tornado", "--metric", "lag"])
    assert drawn.exit_code == 0, drawn.output
    assert (out / "figures" / "tornado.png").stat().st_size > 0


def test_sampled_designs_give_each_level_an_equal_share_of_the_unit_interval() -> None:
    d = make_design("sobol", [Factor("p", levels=("a", "b", "c")), Factor("x", low=0.0, high=1.0)], samples=64)
    for point, row in zip(d.points, d.X, strict=True):
        assert point["p"] == "abc"[min(int(row[0] * 3), 2)]
    assert {p["p"] for p in d.points} == {"a", "b", "c"}


@pytest.mark.parametrize(
    ("factor", "message"),
    [
        ({"path": "cap.policy", "levels": ["wait", "scale_down"], "low": 0, "high": 1}, "give levels only"),
        ({"path": "cap.policy", "levels": ["wait", "wait"]}, "repeat a value"),
        ({"path": "cap.policy", "levels": ["wait"], "integer": True}, "integer applies to numbers only"),
    ],
)
def test_a_malformed_categorical_factor_is_an_error(factor: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_experiment(toy(factors=[factor]))


def test_one_at_a_time_needs_two_levels_and_the_base_among_them() -> None:
    with pytest.raises(ConfigError, match="exactly two levels"):
        load_experiment(toy(design={"kind": "one_at_a_time"}, factors=[{"path": "diet.after_lapse",
                                                                         "levels": ["seek_again"]}]))  # fmt: skip
    with pytest.raises(ConfigError, match="base value False is not one of its levels"):
        load_experiment(toy(design={"kind": "one_at_a_time"}, factors=[{"path": "diet.carry_over",
                                                                         "levels": [True, "x"]}]))  # fmt: skip


def test_a_word_field_swept_as_a_number_suggests_levels() -> None:
    with pytest.raises(ConfigError, match="list its levels to sweep it as a categorical factor"):
        load_experiment(toy(factors=[{"path": "cap.policy", "low": 0, "high": 1}]))


# --- 8: sample-size warnings -------------------------------------------------------------------


def test_a_tiny_sobol_design_warns_and_marks_its_indices_unstable(tmp_path: Path) -> None:
    factors = [
        {"path": "procedure.decision_to_dispatch.value", "low": 5, "high": 50},
        {"path": "procedure.request_to_decision.value", "low": 5, "high": 50},
    ]
    spec = toy(design={"kind": "sobol", "samples": 4, "seed": 2}, factors=factors, replications=2, chunk=2)
    result = runner.invoke(app, ["sweep", str(write(tmp_path, spec)), "--executor", "serial", "--no-progress",
                                 "--out", str(tmp_path / "out")])  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "warning: sobol base sample N = 4 is below 512" in result.output
    table = pd.read_parquet(tmp_path / "out" / "sensitivity.parquet")
    assert not table["stable"].any() and table["note"].str.contains("design too small").all()
    manifest = yaml.safe_load((tmp_path / "out" / "manifest.json").read_text())
    assert any("below 512" in w for w in manifest["warnings"])


def test_an_interval_wider_than_the_threshold_or_a_negative_index_is_named() -> None:
    d = make_design("sobol", [Factor("x0", low=0.0, high=1.0), Factor("x1", low=0.0, high=1.0)], samples=8, seed=1)
    y = np.random.default_rng(0).normal(size=len(d.points))  # pure noise: no factor matters
    table = stability(d, analyze(d, y, seed=1))
    assert not table["stable"].any()
    assert table["note"].str.contains(r"wider than ±0\.1|negative beyond its interval").all()


def test_large_enough_designs_with_tight_intervals_are_stable() -> None:
    # at N = 512 the dominant factor's interval is about ±0.1, right at the threshold; twice that is clear of it
    d = make_design("sobol", [Factor("x0", low=0.0, high=2.0), Factor("x1", low=0.0, high=1.0)],
                    samples=2 * SOBOL_MIN_SAMPLES, seed=1)  # fmt: skip
    y = [10 * p["x0"] + p["x1"] for p in d.points]
    table = stability(d, analyze(d, y, seed=1))
    assert table["stable"].all() and (table["note"] == "").all()
    assert sample_size_warnings(d) == []


def test_too_few_morris_trajectories_warn() -> None:
    small = make_design("morris", [Factor("x", low=0.0, high=1.0)], samples=MORRIS_MIN_TRAJECTORIES - 1)
    enough = make_design("morris", [Factor("x", low=0.0, high=1.0)], samples=MORRIS_MIN_TRAJECTORIES)
    assert "9 trajectories, below 10" in sample_size_warnings(small)[0]
    assert sample_size_warnings(enough) == []


def test_a_morris_mu_star_interval_wide_against_the_largest_is_unstable() -> None:
    d = make_design("morris", [Factor("x0", low=0.0, high=1.0), Factor("x1", low=0.0, high=1.0)], samples=12, seed=1)
    clean = np.array([10 * p["x0"] for p in d.points])
    noisy = clean + np.random.default_rng(0).normal(scale=5.0, size=len(d.points))
    assert stability(d, analyze(d, clean, seed=1))["stable"].all()
    flagged = stability(d, analyze(d, noisy, seed=1))
    assert not flagged["stable"].all() and flagged["note"].str.contains("of the largest mu_star").any()
