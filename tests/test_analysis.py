"""Statistics against values worked out by hand on tiny frames."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import sim
from sim import analysis
from sim.analysis import Metric


def deployments(**columns: list) -> pd.DataFrame:
    n = len(next(iter(columns.values())))
    base = {"replication": list(range(n)), "deployment": ["a"] * n}
    return pd.DataFrame({**base, **columns})


def test_a_mean_with_its_t_interval() -> None:
    # values 2, 4, 6, 8: mean 5, sd sqrt(20/3) = 2.582, se 1.291, t(0.975, 3) = 3.182 -> 5 +- 4.108
    mean, se, low, high = analysis.mean_interval(np.array([2.0, 4.0, 6.0, 8.0]))
    assert mean == 5 and se == pytest.approx(1.2910, abs=1e-4)
    assert (low, high) == (pytest.approx(0.8917, abs=1e-3), pytest.approx(9.1083, abs=1e-3))


def test_a_probability_is_the_mean_of_an_indicator_per_replication() -> None:
    frame = deployments(days_deployed=[100, 800, 500, 900])
    table = analysis.summarize(frame, [Metric(name="short", stat="probability", where="days_deployed < 730")])
    assert table.loc[0, "estimate"] == 0.5 and table.loc[0, "n"] == 4


def test_a_quantile_with_an_order_statistic_interval() -> None:
    frame = deployments(days_deployed=list(range(1, 101)))
    estimate, low, high = analysis.quantile_interval(frame["days_deployed"].to_numpy(float), 0.5)
    # median of 1..100 is 50.5; binomial(100, 0.5) quantiles 40 and 60 give order statistics x(40), x(61)
    assert estimate == 50.5 and (low, high) == (40, 61)


def test_kaplan_meier_with_censoring_by_hand() -> None:
    # terminated after 2, 3 and 5 days; still running (censored) at 4 and 6 days
    start = pd.Timestamp("2024-01-01")
    frame = pd.DataFrame(
        {
            "replication": range(5),
            "deployment": ["a"] * 5,
            "dispatch_date": [start] * 5,
            "termination_date": [start + pd.Timedelta(days=d) if d else pd.NaT for d in (2, 3, 0, 5, 0)],
            "days_deployed": [2.0, 3.0, 4.0, 5.0, 6.0],
        }
    )
    curve = analysis.kaplan_meier(frame)
    # S(2) = 4/5; S(3) = 4/5 * 3/4 = 0.6; censored at 4; S(5) = 0.6 * 1/2 = 0.3
    assert curve["days"].tolist() == [0, 2, 3, 4, 5, 6]
    assert curve["survival"].tolist() == pytest.approx([1.0, 0.8, 0.6, 0.6, 0.3, 0.3])
    assert (curve["ci_low"] <= curve["survival"]).all() and (curve["ci_high"] >= curve["survival"]).all()
    assert analysis.median_survival(curve) == 5


def test_median_survival_is_nan_while_more_than_half_still_run() -> None:
    curve = pd.DataFrame({"days": [0, 10], "survival": [1.0, 0.9], "ci_low": [1, 0.8], "ci_high": [1, 1]})
    assert math.isnan(analysis.median_survival(curve))


def test_tables_on_real_output() -> None:
    result = sim.simulate("configs/routine_approvals.yaml", replications=10)
    table = analysis.describe(result.deployments)
    assert {"days_sought_to_decision", "targets_missed_councillors", "renewals"} <= set(table["measure"])
    causes = analysis.termination_causes(result.deployments)
    assert np.allclose(causes.sum(axis=1), 1.0)
    log = analysis.process_mining_log(result.events)
    assert list(log.columns[:3]) == ["case:concept:name", "concept:name", "time:timestamp"]
    assert str(log["time:timestamp"].dt.tz) == "Asia/Tokyo"
