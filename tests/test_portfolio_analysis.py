"""Portfolio analyses: person-days per year, the cap by year, approvals per decade, targets missed, states over time."""

from __future__ import annotations

import pandas as pd
import pytest

import sim
from sim import analysis
from tests.test_streams import PKO, stream, streamed

START, END = "2024-01-01", "2026-07-01"


def _t(date: str) -> float:
    return float((pd.Timestamp(date) - pd.Timestamp(START)).days)


def _engaged(rows: list[tuple[int, str, int]]) -> pd.DataFrame:
    """``(replication, date, total)`` rows as ``.engaged`` has them."""
    return pd.DataFrame(
        {
            "replication": [r for r, _, _ in rows],
            "deployment": "d",
            "t": [_t(d) for _, d, _ in rows],
            "date": pd.to_datetime([d for _, d, _ in rows]),
            "persons": [n for _, _, n in rows],
            "performing": True,
            "total": [n for _, _, n in rows],
        }
    )


def _events(rows: list[tuple[int, str, str, str, str]]) -> pd.DataFrame:
    """``(replication, deployment, date, event, detail)`` rows as ``.events`` has them."""
    return pd.DataFrame(
        {
            "replication": [r[0] for r in rows],
            "deployment": [r[1] for r in rows],
            "t": [_t(r[2]) for r in rows],
            "date": pd.to_datetime([r[2] for r in rows]),
            "event": [r[3] for r in rows],
            "state": "deployed",
            "basis": "",
            "detail": [r[4] for r in rows],
        }
    )


def test_person_days_integrate_persons_engaged_over_each_calendar_year():
    engaged = _engaged([(0, "2024-07-01", 100), (0, "2025-01-01", 300), (0, "2025-01-11", 0), (1, "2024-01-01", 10)])
    table = analysis.person_days_by_year(engaged, START, END).set_index(["replication", "year"])
    assert table.loc[(0, 2024), "person_days"] == 100 * 184  # July to December
    assert table.loc[(0, 2025), "person_days"] == 300 * 10
    assert table.loc[(0, 2026), "person_days"] == 0
    assert table.loc[(0, 2025), "peak"] == 300 and table.loc[(0, 2026), "peak"] == 0
    assert table.loc[(1, 2026), "person_days"] == 10 * 181, "a year the run ends inside counts its days in the run"
    assert table.loc[(1, 2026), "days"] == 181


def test_the_cap_binds_in_a_year_with_a_cap_wait_and_the_days_waited_count_there():
    events = _events([
        (0, "a", "2025-03-01", "cap_wait", "100 persons wait; 0 free"),
        (0, "b", "2025-05-01", "dispatch_started", ""),
        (1, "a", "2024-02-01", "dispatch_started", ""),
    ])  # fmt: skip
    deployments = pd.DataFrame({"replication": [0, 0, 1], "deployment": ["a", "b", "a"],
                                "days_waited_for_cap": [40.0, 0.0, 0.0]})  # fmt: skip
    cap = analysis.cap_by_year(events, deployments, START, END).set_index(["replication", "year"])
    assert cap["binds"].to_dict() == {(0, 2024): False, (0, 2025): True, (0, 2026): False,
                                      (1, 2024): False, (1, 2025): False, (1, 2026): False}  # fmt: skip
    assert cap.loc[(0, 2025), "days_waited"] == 40.0 and cap["days_waited"].sum() == 40.0


def test_approvals_are_counted_per_calendar_decade_and_scaled_to_ten_years():
    events = _events([
        (0, "a", "2024-03-01", "approval_sought", "prior"),
        (0, "a", "2026-03-01", "approval_sought", "renewal 1"),
        (0, "b", "2025-03-01", "approval_granted", ""),
    ])  # fmt: skip
    table = analysis.approvals_by_decade(events, "2018-01-01", "2031-01-01").set_index("decade")
    assert table.loc[2020, "sought"] == 2 and table.loc[2010, "sought"] == 0 and table.loc[2030, "sought"] == 0
    assert table.loc[2010, "years"] == pytest.approx(2 * 365 / 365.25)
    assert table.loc[2020, "per_decade"] == pytest.approx(2 * 10 / (3653 / 365.25))


def test_the_share_of_seven_day_targets_missed_counts_only_decisions_the_targets_apply_to():
    events = _events([
        (0, "a", "2024-03-01", "house_decided", "representatives approved; 3 sitting days; target met"),
        (0, "a", "2024-03-09", "house_decided", "councillors approved; 9 sitting days; target missed"),
        (0, "b", "2025-03-01", "house_decided", "representatives approved; 12 sitting days; target n/a"),
        (1, "a", "2024-03-01", "dispatch_started", ""),
    ])  # fmt: skip
    table = analysis.targets_missed(events).set_index("replication")
    assert table.loc[0, "decisions"] == 2 and table.loc[0, "missed"] == 1 and table.loc[0, "share"] == 0.5
    assert table.loc[1, "decisions"] == 0 and pd.isna(table.loc[1, "share"])


def test_dates_out_of_order_are_refused():
    with pytest.raises(ValueError, match="end: 2020-01-01 is not after start 2024-01-01"):
        analysis.person_days_by_year(_engaged([(0, "2024-07-01", 1)]), START, "2020-01-01")


@pytest.fixture(scope="module")
def portfolio() -> sim.SimulationResult:
    unit = {**PKO, "contingents": [{"kind": "sdf_unit", "personnel": 900, "tasks": ["b", "s"]}], "period": 400}
    data = streamed(
        stream("pko", {"process": "poisson", "rate": 1.5}, unit), diet={"calendar": {"source": "generated"}}
    )
    return sim.simulate(data, replications=12, seed=3)


def test_the_summary_of_a_simulated_portfolio_agrees_with_its_tables(portfolio):
    r = portfolio
    summary = analysis.portfolio_summary(r.events, r.deployments, r.engaged, r.scenario.start, r.scenario.end_date)
    assert list(summary.columns) == list(analysis.PORTFOLIO_SUMMARY)
    row = summary.set_index("measure")
    requested = r.deployments.groupby("replication").size()
    assert row.loc["deployments requested", "mean"] == pytest.approx(requested.mean())
    assert row.loc["deployments requested", "ci_low"] < requested.mean() < row.loc["deployments requested", "ci_high"]
    sought = (r.events["event"] == "approval_sought").groupby(r.events["replication"]).sum()
    years = (pd.Timestamp(r.scenario.end_date) - pd.Timestamp(r.scenario.start)).days / 365.25
    assert row.loc["Diet approvals sought (Art. 6(7), 6(10))", "mean"] == pytest.approx(sought.mean() * 10 / years)
    binds = row.loc["cap binds (Art. 19(1))"]
    assert 0 < binds["mean"] < 1, "three units of 900 cannot all be out at once under the 2,000 cap"
    assert row.loc["days dispatches waited for the cap", "mean"] > 0
    assert 0 <= row.loc["7-day targets missed (Art. 6(8))", "mean"] <= 1
    assert (row["replications"] == 12).all()


def test_states_over_time_count_every_deployment_once_at_each_moment(portfolio):
    r = portfolio
    table = analysis.states_over_time(r.events, r.engaged, every="month")
    at = table[table["t"] == table["t"].max()]
    requested_by_then = r.deployments.groupby("replication").size().mean()
    assert at["mean"].sum() == pytest.approx(requested_by_then, abs=1.5)
    assert set(table["state"]) >= {"deployed", "ended"}
    assert (table["ci_low"] <= table["mean"]).all() and (table["mean"] <= table["ci_high"]).all()
