"""The Diet's approval procedure, Art. 6(7)-(12), on explicit calendars; dates worked out by hand.

Shared lags (tests/conftest.py): the Cabinet decides 10 days after the request, guidelines and
the Corps follow 2 days later, and that is when approval is sought; dispatch is planned 14 days
after the decision.  An SDF unit doing (b) in a UN PKO needs prior approval (Art. 6(7)).
Deliberation is fixed: the first House (Representatives) takes 4 sitting days, the second 3.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

import sim
from tests.conftest import deployment, scenario

DIET_EVENTS = {"approval_sought", "house_decided", "approval_granted", "approval_denied",
               "approval_lapsed", "renewal_due", "dispatch_started", "termination_decided"}  # fmt: skip


def session(kind: str, convened: str, closed: str, **extra: Any) -> dict[str, Any]:
    return {"kind": kind, "convened": convened, "closed": closed, **extra}


ORDINARY_2024 = session("ordinary", "2024-01-26", "2024-06-23")


def diet(*sessions: dict, first: int = 4, second: int = 3, **extra: Any) -> dict[str, Any]:
    calendar = {"source": "explicit", "sessions": list(sessions)}
    for key in ("recesses", "dissolutions", "elections"):
        if key in extra:
            calendar[key] = extra.pop(key)
    return {
        "calendar": calendar,
        "deliberation": {"first_house": first, "second_house": second},
        "approval_probability": {"representatives": 1.0, "councillors": 1.0},
        **extra,
    }


def patrol(**fields: Any) -> dict[str, Any]:
    base = {"id": "patrol", "contingents": [{"kind": "sdf_unit", "personnel": 300, "tasks": ["b", "s"]}]}
    return deployment(**{**base, **fields})


def run(dep: dict, diet_spec: dict, **top: Any) -> sim.SimulationResult:
    return sim.simulate(scenario(dep, diet=diet_spec, **top))


def steps(result: sim.SimulationResult) -> list[tuple[str, str, str, str]]:
    ev = result.events[result.events["event"].isin(DIET_EVENTS)]
    return [
        (d.strftime("%Y-%m-%d"), str(e), str(b), str(x))
        for d, e, b, x in zip(ev["date"], ev["event"], ev["basis"], ev["detail"], strict=True)
    ]


def test_prior_approval_in_session_with_both_targets_met() -> None:
    result = run(patrol(), diet(ORDINARY_2024))
    assert steps(result)[:5] == [
        ("2024-03-13", "approval_sought", "Art. 6(7)", "prior"),  # request 03-01 + 10 + 2
        ("2024-03-17", "house_decided", "Art. 6(8)", "representatives approved; 4 sitting days; target met"),
        ("2024-03-20", "house_decided", "Art. 6(8)", "councillors approved; 3 sitting days; target met"),
        ("2024-03-20", "approval_granted", "Art. 6(7)", "prior"),
        ("2024-03-25", "dispatch_started", "Art. 9(1)", ""),  # decision 03-11 + 14, after approval
    ]
    row = result.deployments.iloc[0]
    assert row["approval_path"] == "prior" and row["days_sought_to_decision"] == 7
    assert (row["targets_missed_representatives"], row["targets_missed_councillors"]) == (0, 0)


def test_a_recess_does_not_count_toward_the_seven_days() -> None:
    # recess 03-15..03-18; sitting days after 03-13: 14, 19, 20, 21, 22 -> fifth is 03-22
    result = run(patrol(), diet(ORDINARY_2024, first=5, second=2,
                                recesses=[{"start": "2024-03-15", "end": "2024-03-18"}]))  # fmt: skip
    assert steps(result)[1] == (
        "2024-03-22",
        "house_decided",
        "Art. 6(8)",
        "representatives approved; 5 sitting days; target met",
    )
    assert steps(result)[3] == ("2024-03-24", "approval_granted", "Art. 6(7)", "prior")


def test_a_target_missed_by_three_and_by_two_sitting_days() -> None:
    result = run(patrol(), diet(ORDINARY_2024, first=10, second=9))
    assert steps(result)[:5] == [
        ("2024-03-13", "approval_sought", "Art. 6(7)", "prior"),
        (
            "2024-03-23",
            "house_decided",
            "Art. 6(8)",
            "representatives approved; 10 sitting days; target missed",
        ),
        ("2024-04-01", "house_decided", "Art. 6(8)", "councillors approved; 9 sitting days; target missed"),
        ("2024-04-01", "approval_granted", "Art. 6(7)", "prior"),
        ("2024-04-01", "dispatch_started", "Art. 9(1)", ""),  # planned 03-25, waited for approval
    ]
    row = result.deployments.iloc[0]
    assert (row["targets_missed_representatives"], row["targets_missed_councillors"]) == (1, 1)


AUTUMN_2024 = session("extraordinary", "2024-10-01", "2024-12-10")


def test_decision_out_of_session_dispatches_first_and_seeks_approval_at_the_next_session() -> None:
    result = run(patrol(request="2024-07-01", period=400), diet(ORDINARY_2024, AUTUMN_2024))
    assert steps(result)[:5] == [
        ("2024-07-25", "dispatch_started", "Art. 9(1)", ""),  # 07-01 + 10 + 14: no session on 07-13
        ("2024-10-01", "approval_sought", "Art. 6(7)", "post"),  # first session after dispatch
        ("2024-10-05", "house_decided", "Art. 6(7)", "representatives approved; 4 sitting days; target n/a"),
        ("2024-10-08", "house_decided", "Art. 6(7)", "councillors approved; 3 sitting days; target n/a"),
        ("2024-10-08", "approval_granted", "Art. 6(7)", "post"),
    ]
    row = result.deployments.iloc[0]
    assert row["approval_path"] == "post"
    assert row["days_dispatched_before_approval"] == 75  # 07-25 -> 10-08: 6 + 31 + 30 + 8


def test_a_dissolved_house_of_representatives_takes_the_proviso() -> None:
    dissolved = session("ordinary", "2024-01-26", "2024-03-12", ended_by="dissolution_hr")
    special = session("special", "2024-04-17", "2024-05-20")
    result = run(patrol(period=400), diet(dissolved, special, first=1, second=1,
                                          elections=["2024-04-07"]))  # fmt: skip
    assert [s[:2] for s in steps(result)[:3]] == [
        ("2024-03-25", "dispatch_started"),  # seam on 03-13: dissolved, so dispatch first
        ("2024-04-17", "approval_sought"),  # the special session after the election
        ("2024-04-18", "house_decided"),
    ]
    assert steps(result)[4] == ("2024-04-19", "approval_granted", "Art. 6(7)", "post")


SHORT_SPRING = session("ordinary", "2024-01-26", "2024-03-15")
SUMMER = session("extraordinary", "2024-04-10", "2024-06-30")


def test_a_session_closing_before_the_decision_lapses_the_matter_and_it_is_sought_again() -> None:
    result = run(patrol(), diet(SHORT_SPRING, SUMMER))
    assert steps(result)[:6] == [
        ("2024-03-13", "approval_sought", "Art. 6(7)", "prior"),
        # 4 sitting days would end 03-17, after the close on 03-15
        # the lapse rests on the Diet Act, not on the Act (session discontinuity)
        (
            "2024-03-15",
            "approval_lapsed",
            "Art. 6(7); Diet Act art. 68",
            "prior; representatives undecided at session close",
        ),
        ("2024-04-10", "approval_sought", "Art. 6(7)", "prior"),
        ("2024-04-14", "house_decided", "Art. 6(8)", "representatives approved; 4 sitting days; target met"),
        ("2024-04-17", "house_decided", "Art. 6(8)", "councillors approved; 3 sitting days; target met"),
        ("2024-04-17", "approval_granted", "Art. 6(7)", "prior"),
    ]
    row = result.deployments.iloc[0]
    assert (row["approvals_sought"], row["lapses"]) == (2, 1)


def test_a_matter_carried_over_counts_sitting_days_into_the_next_session() -> None:
    result = run(patrol(), diet(SHORT_SPRING, SUMMER, carry_over=True))
    # sitting days after 03-13: 03-14, 03-15, then 04-10, 04-11 -> the fourth is 04-11
    assert steps(result)[1] == (
        "2024-04-11",
        "house_decided",
        "Art. 6(8)",
        "representatives approved; 4 sitting days; target met",
    )


def test_a_lapse_can_abandon_the_deployment() -> None:
    result = run(patrol(), diet(SHORT_SPRING, SUMMER, after_lapse="abandon"))
    assert result.deployments.iloc[0]["outcome"] == "abandoned"
    assert "dispatch_started" not in result.events["event"].astype(str).tolist()


def test_disapproval_of_prior_approval_abandons_the_deployment() -> None:
    spec = diet(ORDINARY_2024)
    spec["approval_probability"]["councillors"] = 0.0
    result = run(patrol(), spec)
    assert steps(result)[-1] == ("2024-03-20", "approval_denied", "Art. 6(7)", "prior")
    ev = result.events
    assert ev["state"].astype(str).iloc[-1] == "abandoned"
    assert "dispatch_started" not in ev["event"].astype(str).tolist()


def test_disapproval_after_the_fact_terminates_without_delay() -> None:
    spec = diet(ORDINARY_2024, AUTUMN_2024)
    spec["approval_probability"]["councillors"] = 0.0
    result = run(patrol(request="2024-07-01", period=400), spec)
    ev = result.events
    tail = [(d.strftime("%Y-%m-%d"), str(e), str(b), str(x)) for d, e, b, x in
            zip(ev["date"], ev["event"], ev["basis"], ev["detail"], strict=True)][-7:]  # fmt: skip
    assert tail == [
        ("2024-10-08", "house_decided", "Art. 6(7)", "councillors disapproved; 3 sitting days; target n/a"),
        ("2024-10-08", "approval_denied", "Art. 6(9)", "post"),
        # Art. 6(9) ends the Art. 6(7) assignments by a plan change (Art. 6(13)), reported (Art. 7(i))
        ("2024-10-08", "plan_amended", "Art. 6(13)", "dispatch ended: Diet disapproval (Art. 6(9))"),
        ("2024-10-08", "plan_reported", "Art. 7(i)", "plan changed"),
        ("2024-10-08", "termination_decided", "Art. 6(9)", "diet_disapproval"),
        ("2024-11-07", "withdrawal_completed", "", ""),  # + 30
        ("2024-12-22", "results_reported", "Art. 7(ii)", ""),  # 11-07 + 45
    ]
    assert result.deployments.iloc[0]["termination_cause"] == "diet_disapproval"


def yearly(first: int, last: int, opens: str = "01-20", closes: str = "06-20") -> list[dict]:
    return [session("ordinary", f"{y}-{opens}", f"{y}-{closes}") for y in range(first, last + 1)]


def renewal_steps(result: sim.SimulationResult) -> list[tuple[str, str, str, str]]:
    return [s for s in steps(result) if s[0] >= "2025-01-01"]


def test_a_renewal_is_sought_inside_its_thirty_day_window() -> None:
    # approved 2024-03-20 (as in the first test); two years on: 2026-03-20; window opens 30 days
    # before: 2026-02-18 (Mar 20 - 20 = Feb 28, - 10 = Feb 18), in session, so sought then
    result = run(patrol(period=1000), diet(*yearly(2024, 2027)))
    assert renewal_steps(result)[:4] == [
        ("2026-02-18", "approval_sought", "Art. 6(10)", "renewal 1"),
        ("2026-02-22", "house_decided", "Art. 6(10)", "representatives approved; 4 sitting days; target n/a"),
        ("2026-02-25", "house_decided", "Art. 6(10)", "councillors approved; 3 sitting days; target n/a"),
        ("2026-02-25", "approval_granted", "Art. 6(10)", "renewal 1"),
    ]
    assert ("2026-03-20", "renewal_due", "Art. 6(10)", "term 1") in renewal_steps(result)
    assert result.deployments.iloc[0]["renewals"] == 1


def test_a_renewal_whose_window_falls_between_sessions_is_sought_at_the_next_session() -> None:
    sessions = [ORDINARY_2024, session("ordinary", "2026-01-23", "2026-02-10"),
                session("extraordinary", "2026-04-15", "2026-05-20")]  # fmt: skip
    result = run(patrol(period=1000), diet(*sessions))
    assert renewal_steps(result)[:3] == [
        ("2026-03-20", "renewal_due", "Art. 6(10)", "term 1"),  # window 02-18..03-20: no session
        ("2026-04-15", "approval_sought", "Art. 6(10)", "renewal 1"),  # first session after
        ("2026-04-19", "house_decided", "Art. 6(10)", "representatives approved; 4 sitting days; target n/a"),
    ]
    ev = result.events
    dispatched = ev[ev["event"] == "termination_decided"]["date"].iloc[0]
    assert dispatched > pd.Timestamp("2026-04-22"), "the deployment goes on while the renewal is pending"


def test_the_third_renewal_falls_six_years_after_approval() -> None:
    result = run(patrol(period=3000), diet(*yearly(2024, 2031)), end="2031-01-01")
    sought = [s[0] for s in steps(result) if s[1] == "approval_sought" and s[3].startswith("renewal")]
    # windows open 30 days before 03-20: 2026-02-18, 2028-02-19 (a leap year), 2030-02-18
    assert sought == ["2026-02-18", "2028-02-19", "2030-02-18"]
    granted = [s for s in steps(result) if s[1] == "approval_granted" and s[3].startswith("renewal")]
    assert [g[2] for g in granted] == ["Art. 6(10)", "Art. 6(12)", "Art. 6(12)"]
    assert result.deployments.iloc[0]["renewals"] == 3


def test_a_deployment_not_needing_approval_never_meets_the_diet() -> None:
    result = run(deployment(), diet(ORDINARY_2024))
    assert steps(result) == [s for s in steps(result) if s[1] in {"dispatch_started", "termination_decided"}]
    assert result.deployments.iloc[0]["approval_path"] == "none"
    assert result.calendar.empty


def test_an_approval_after_the_fact_that_lapses_is_sought_again_at_the_next_session() -> None:
    short_autumn = session("extraordinary", "2024-10-01", "2024-10-03")
    spring = session("ordinary", "2025-01-20", "2025-06-20")
    result = run(patrol(request="2024-07-01", period=400), diet(ORDINARY_2024, short_autumn, spring))
    assert steps(result)[1:6] == [
        ("2024-10-01", "approval_sought", "Art. 6(7)", "post"),
        (
            "2024-10-03",
            "approval_lapsed",
            "Art. 6(7); Diet Act art. 68",
            "post; representatives undecided at session close",
        ),
        ("2025-01-20", "approval_sought", "Art. 6(7)", "post"),
        ("2025-01-24", "house_decided", "Art. 6(7)", "representatives approved; 4 sitting days; target n/a"),
        ("2025-01-27", "house_decided", "Art. 6(7)", "councillors approved; 3 sitting days; target n/a"),
    ]


def test_an_explicit_calendar_is_listed_once_for_all_replications() -> None:
    result = sim.simulate(scenario(patrol(), diet=diet(ORDINARY_2024, AUTUMN_2024)), replications=3)
    cal = result.calendar
    assert cal["replication"].unique().tolist() == [-1]
    assert cal["kind"].astype(str).tolist() == ["ordinary", "extraordinary"]
    assert cal["convened"].iloc[1] == pd.Timestamp("2024-10-01")


def test_a_generated_calendar_is_drawn_per_replication_and_reproducibly() -> None:
    data = scenario(patrol(), diet={"calendar": {"source": "generated"}})
    a = sim.simulate(data, replications=3, seed=3)
    b = sim.simulate(data, replications=3, seed=3)
    pd.testing.assert_frame_equal(a.calendar, b.calendar)
    pd.testing.assert_frame_equal(a.events, b.events)
    assert sorted(a.calendar["replication"].unique()) == [0, 1, 2]
    sessions = a.calendar[a.calendar["kind"].isin(["ordinary", "extraordinary", "special"])]
    per_rep = sessions.groupby("replication")["convened"].apply(tuple)
    assert per_rep.nunique() > 1, "each replication draws its own calendar"


def test_diet_assumptions_do_not_shift_the_deployment_s_own_draws() -> None:
    # deliberations draw from the Diet's stream, periods and lags from the deployment's
    base = scenario(patrol(period={"dist": "uniform", "low": 300, "high": 900}), diet=diet(*yearly(2024, 2027)))
    slower = scenario(patrol(period={"dist": "uniform", "low": 300, "high": 900}),
                      diet=diet(*yearly(2024, 2027), first=9))  # fmt: skip
    for data in (base, slower):
        data["procedure"]["request_to_decision"] = {"dist": "uniform", "low": 5, "high": 25}
    a = sim.simulate(base, replications=5).events
    b = sim.simulate(slower, replications=5).events
    decisions = lambda ev: ev.loc[ev["event"] == "cabinet_decision", ["date", "detail"]].reset_index(drop=True)  # noqa: E731
    pd.testing.assert_frame_equal(decisions(a), decisions(b), check_categorical=False)
