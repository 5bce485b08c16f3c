"""Time series across replications: persons engaged, deployments per state, approvals pending, as bands."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import sim
from sim import analysis, figures
from tests.conftest import deployment, scenario


def _series(table: pd.DataFrame, name: str) -> pd.DataFrame:
    return table[table["series"] == name].set_index("t")


def test_a_deterministic_scenario_has_a_band_equal_to_its_single_trajectory() -> None:
    result = sim.simulate(scenario(deployment(), replications=3))
    table = analysis.bands(result.events, result.engaged)
    assert (table["low"] == table["median"]).all() and (table["median"] == table["high"]).all()
    events = result.events[result.events["replication"] == 0]
    dispatched = float(events.loc[events["event"] == "dispatch_started", "t"].iloc[0])
    withdrawn = float(events.loc[events["event"] == "withdrawal_completed", "t"].iloc[0])
    engaged = _series(table, "engaged")["median"]
    assert engaged[dispatched - 1] == 0 and engaged[dispatched] == 100 and engaged[withdrawn - 1] == 100
    assert engaged[withdrawn] == 0
    deployed = _series(table, "state:deployed")["median"]
    assert deployed[dispatched] == 1 and deployed[dispatched - 1] == 0
    requested = float(events["t"].min())
    in_some_state = table[table["series"].astype(str).str.startswith("state:")].groupby("t")["median"].sum()
    assert in_some_state[requested - 1] == 0 and (in_some_state[requested:] == 1).all()  # one deployment, one state
    assert (table["replications"] == 3).all()


def test_a_random_scenario_has_ordered_bands_and_stays_under_the_cap() -> None:
    result = sim.simulate("configs/cap_stress.yaml", replications=12)
    table = analysis.bands(result.events, result.engaged)
    assert (table["low"] <= table["median"]).all() and (table["median"] <= table["high"]).all()
    assert (table["low"] < table["high"]).any(), "replications disagree somewhere"
    each = analysis.trajectories(result.events, result.engaged)
    engaged = each[each["series"] == "engaged"]["value"]
    assert engaged.max() <= 2000 and engaged.min() >= 0  # the cap of Art. 19(1)
    assert engaged.max() > 0
    n = result.deployments["deployment"].nunique()
    states = each[each["series"].astype(str).str.startswith("state:")].groupby(["replication", "t"])["value"].sum()
    assert states.max() <= n and states.min() >= 0


def test_persons_engaged_is_the_engaged_tables_total_on_each_day() -> None:
    result = sim.simulate("configs/cap_stress.yaml", replications=2)
    each = analysis.trajectories(result.events, result.engaged)
    rows = result.engaged[result.engaged["replication"] == 1]
    for _, change in rows.groupby("t").tail(1).iterrows():  # the last change of a day is the day's value
        value = each.query("replication == 1 and series == 'engaged' and t == @change.t")["value"].item()
        assert value == change["total"]


def _log(*rows: tuple[int, str, float, str, str]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=["replication", "deployment", "t", "event", "state"])
    frame["date"] = pd.Timestamp("2024-01-01") + pd.to_timedelta(frame["t"], unit="D")
    return frame


NOBODY = pd.DataFrame({"replication": pd.Series(dtype=int), "t": pd.Series(dtype=float),
                       "total": pd.Series(dtype=int)})  # fmt: skip


def test_an_approval_is_pending_from_sought_to_granted_denied_or_lapsed() -> None:
    events = _log(
        (0, "a", 0, "request_received", "requested"),
        (0, "a", 10, "approval_sought", "deployed"),
        (0, "a", 25, "approval_granted", "deployed"),
        (0, "b", 12, "approval_sought", "awaiting_approval"),
        (0, "b", 20, "approval_lapsed", "awaiting_approval"),
        (0, "b", 30, "approval_sought", "awaiting_approval"),
        (0, "b", 40, "approval_denied", "ended"),
    )
    pending = _series(analysis.bands(events, NOBODY), "approvals_pending")["median"]
    expected = {9: 0, 10: 1, 12: 2, 19: 2, 20: 1, 24: 1, 25: 0, 30: 1, 39: 1, 40: 0}
    assert {t: pending[t] for t in expected} == expected


def test_a_sweeps_bands_are_per_design_point() -> None:
    events = pd.concat([_log((0, "a", 0, "request_received", "requested")).assign(point=0),
                        _log((0, "a", 5, "request_received", "requested")).assign(point=1)])  # fmt: skip
    table = analysis.bands(events, NOBODY.assign(point=0))
    requested = table[table["series"] == "state:requested"].pivot_table(index="t", columns="point", values="median")
    assert requested.loc[3].tolist() == [1, 0] and requested.loc[5].tolist() == [1, 1]


def test_a_monthly_grid_samples_the_first_of_each_month() -> None:
    result = sim.simulate(scenario(deployment(), replications=1))
    table = analysis.bands(result.events, result.engaged, every="month")
    dates = pd.DatetimeIndex(table["date"].unique())
    assert (dates.day == 1).all() and len(dates) == 12  # 2024-01 to the last event in 2024-12
    with pytest.raises(ValueError, match="every: 'year'"):
        analysis.bands(result.events, result.engaged, every="year")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="levels"):
        analysis.bands(result.events, result.engaged, levels=(0.6, 0.9))


def test_the_bands_figure_draws_each_panel_and_the_cap() -> None:
    result = sim.simulate("configs/cap_stress.yaml", replications=4)
    table = analysis.bands(result.events, result.engaged, every="week")
    fig = figures.bands(table, cap=2000)
    engaged, states, pending = fig.axes[:3]
    assert engaged.get_lines()[0].get_gid() == "engaged:0"
    median = _series(table, "engaged")["median"].to_numpy()
    assert np.array_equal(engaged.get_lines()[0].get_ydata(), median)
    assert any(line.get_ydata()[0] == 2000 for line in engaged.get_lines()[1:])  # the cap
    drawn = {line.get_gid() for line in states.get_lines()}
    assert "state:deployed:0" in drawn and "state:ended:0" not in drawn  # active states only
    assert pending.get_ylabel() == "approvals pending"
    assert "5%-95% band across 4 replications" in fig._suptitle.get_text()


def test_the_bands_figure_names_a_point_or_state_it_does_not_have() -> None:
    events = _log((0, "a", 0, "request_received", "requested")).assign(point=0)
    table = analysis.bands(events, NOBODY.assign(point=0))
    with pytest.raises(ValueError, match="no design point 3"):
        figures.bands(table, points=[3])
    with pytest.raises(ValueError, match="'flying' is not a deployment state"):
        figures.bands(table, states=["flying"])
