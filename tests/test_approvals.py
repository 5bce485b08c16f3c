"""What the Diet approves, when, and what its refusal ends: Art. 6(7)-(12), dates worked out by hand.

Shared lags (tests/conftest.py): the Cabinet decides 10 days after the request; guidelines and the
Corps follow 2 days later, the first day approval can be sought; dispatch is planned 14 days after
the decision.  The first House (Representatives) deliberates 4 sitting days, the second 3, and
both approve unless a test says otherwise (tests/test_diet.py builds the calendars).

The readings (docs/law.md):

* Art. 6(7) asks for approval "before commencing the dispatch", "provided, however, that if the
  Diet is not in session or the House of Representatives has been dissolved" it is sought after:
  the proviso is judged on the day the dispatch would commence.
* What is approved, and what a disapproval ends (6(9), 6(11)), is "the international peace
  cooperation assignments referred to in paragraph (7)": those of SDF units under (a)-(g) or (u)
  likened to them, not the plan's other contingents.
* Art. 6(10) is owed "if intending to continue its implementation after two years have passed",
  sought "during the period from thirty days before that day to that day".
"""

from __future__ import annotations

from typing import Any

import pandas as pd

import sim
from tests.conftest import deployment, scenario
from tests.test_diet import AUTUMN_2024, ORDINARY_2024, diet, patrol, session, steps, yearly


def run(dep: dict, diet_spec: dict, **top: Any) -> sim.SimulationResult:
    return sim.simulate(scenario(dep, diet=diet_spec, **top))


def log(result: sim.SimulationResult, *events: str) -> list[tuple[str, str, str, str]]:
    ev = result.events
    if events:
        ev = ev[ev["event"].isin(events)]
    return [
        (d.strftime("%Y-%m-%d"), str(e), str(b), str(x))
        for d, e, b, x in zip(ev["date"], ev["event"], ev["basis"], ev["detail"], strict=True)
    ]


def engaged_on(result: sim.SimulationResult) -> list[tuple[str, int]]:
    eng = result.engaged
    return [(d.strftime("%Y-%m-%d"), int(p)) for d, p in zip(eng["date"], eng["persons"], strict=True)]


# --- 1. the proviso is judged on the day dispatch would commence --------------------------


def test_a_diet_convening_before_the_planned_dispatch_approves_it_first() -> None:
    # decided 07-11 out of session; guidelines 07-13; dispatch planned 07-25. The Diet convenes on
    # 07-20, before the dispatch would commence: the main clause applies, sought on 07-20.
    summer = session("extraordinary", "2024-07-20", "2024-09-30")
    result = run(patrol(request="2024-07-01", period=400), diet(ORDINARY_2024, summer))
    assert steps(result)[:5] == [
        ("2024-07-20", "approval_sought", "Art. 6(7)", "prior"),
        # sitting days after 07-20: 21, 22, 23, 24 -> the fourth is 07-24; then 25, 26, 27
        ("2024-07-24", "house_decided", "Art. 6(8)", "representatives approved; 4 sitting days; target met"),
        ("2024-07-27", "house_decided", "Art. 6(8)", "councillors approved; 3 sitting days; target met"),
        ("2024-07-27", "approval_granted", "Art. 6(7)", "prior"),
        ("2024-07-27", "dispatch_started", "Art. 9(1)", ""),  # planned 07-25, waited for approval
    ]
    assert result.deployments.iloc[0]["approval_path"] == "prior"


def test_a_diet_convening_on_the_day_of_dispatch_still_comes_first() -> None:
    on_the_day = session("extraordinary", "2024-07-25", "2024-09-30")
    result = run(patrol(request="2024-07-01", period=400), diet(ORDINARY_2024, on_the_day))
    assert [s[:2] for s in steps(result)[:5]] == [
        ("2024-07-25", "approval_sought"),
        ("2024-07-29", "house_decided"),  # 26, 27, 28, 29
        ("2024-08-01", "house_decided"),  # 30, 31, 08-01
        ("2024-08-01", "approval_granted"),
        ("2024-08-01", "dispatch_started"),
    ]


def test_a_diet_convening_the_day_after_the_dispatch_takes_the_proviso() -> None:
    day_after = session("extraordinary", "2024-07-26", "2024-09-30")
    result = run(patrol(request="2024-07-01", period=400), diet(ORDINARY_2024, day_after))
    assert steps(result)[:2] == [
        ("2024-07-25", "dispatch_started", "Art. 9(1)", ""),
        ("2024-07-26", "approval_sought", "Art. 6(7)", "post"),  # without delay, at the first session after
    ]


# --- 2. the Diet acts on the Art. 6(7) contingents, not on the plan -----------------------

MIXED = {
    "id": "mixed",
    "period": 400,
    "contingents": [
        {"kind": "sdf_unit", "personnel": 300, "tasks": ["b"], "label": "infantry"},  # Art. 6(7): (b)
        {"kind": "sdf_unit", "personnel": 200, "tasks": ["s"], "label": "engineers"},  # not 6(7): (s)
    ],
}


def test_only_the_art_6_7_contingents_wait_for_approval() -> None:
    result = run(deployment(**MIXED), diet(ORDINARY_2024, first=10, second=9))
    assert log(result, "approval_granted", "dispatch_started") == [
        ("2024-03-25", "dispatch_started", "Art. 9(1)", "contingents: engineers"),  # as planned: 03-11 + 14
        # sought 03-13; 10 sitting days -> 03-23; 9 more -> 04-01
        ("2024-04-01", "approval_granted", "Art. 6(7)", "prior"),
        ("2024-04-01", "dispatch_started", "Art. 9(1)", "contingents: infantry"),
    ]
    assert engaged_on(result)[:2] == [("2024-03-25", 200), ("2024-04-01", 500)]
    row = result.deployments.iloc[0]
    assert row["dispatch_date"] == pd.Timestamp("2024-03-25")


def test_an_approval_before_the_planned_day_sends_the_whole_plan_together() -> None:
    result = run(deployment(**MIXED), diet(ORDINARY_2024))  # approved 03-20, planned 03-25
    assert log(result, "dispatch_started") == [("2024-03-25", "dispatch_started", "Art. 9(1)", "")]


def test_a_prior_refusal_keeps_only_the_art_6_7_contingents_home() -> None:
    spec = diet(ORDINARY_2024)
    spec["approval_probability"]["councillors"] = 0.0
    result = run(deployment(**MIXED), spec)
    assert log(result, "approval_denied", "dispatch_started", "termination_decided") == [
        ("2024-03-20", "approval_denied", "Art. 6(7)", "prior; infantry stay home"),
        ("2024-03-25", "dispatch_started", "Art. 9(1)", "contingents: engineers"),
        ("2025-04-15", "termination_decided", "Art. 6(2)(ii)(b)", "period_end"),  # 03-11 + 400
    ]
    assert engaged_on(result)[0] == ("2024-03-25", 200)
    assert result.deployments.iloc[0]["outcome"] != "abandoned"


def test_a_disapproval_after_the_fact_ends_only_the_art_6_7_contingents() -> None:
    # decided 07-11 out of session; the Diet first sits on 10-01, after the dispatch (07-25): the
    # proviso; the councillors disapprove on 10-08 and the infantry's assignments end (Art. 6(9))
    spec = diet(ORDINARY_2024, AUTUMN_2024)
    spec["approval_probability"]["councillors"] = 0.0
    result = run(deployment(**{**MIXED, "request": "2024-07-01"}), spec)
    assert log(result, "dispatch_started", "approval_denied", "plan_amended", "plan_reported", "termination_decided")[
        1:
    ] == [
        ("2024-07-25", "dispatch_started", "Art. 9(1)", ""),
        ("2024-10-08", "approval_denied", "Art. 6(9)", "post"),
        ("2024-10-08", "plan_amended", "Art. 6(13)", "assignments ended: infantry; Diet disapproval (Art. 6(9))"),
        ("2024-10-08", "plan_reported", "Art. 7(i)", "plan changed"),
        ("2025-08-15", "termination_decided", "Art. 6(2)(ii)(b)", "period_end"),  # 07-11 + 400
    ]
    assert ("2024-10-08", 200) in engaged_on(result)  # the engineers stay
    assert result.deployments.iloc[0]["termination_cause"] == "period_end"


def test_a_renewal_refused_ends_only_the_art_6_7_contingents() -> None:
    spec = diet(*yearly(2024, 2027))
    spec["approval_probability"]["councillors"] = 0.5
    data = scenario(deployment(**{**MIXED, "period": 1000}), diet=spec)
    for seed in range(40):  # a seed in which the first approval passes and the renewal does not
        result = sim.simulate(data, seed=seed)
        denied = log(result, "approval_denied")
        if denied and denied[0][3] == "renewal 1":
            break
    else:
        raise AssertionError("no seed refused the renewal")
    ended = log(result, "plan_amended")
    assert ended == [(denied[0][0], "plan_amended", "Art. 6(13)",
                      "assignments ended: infantry; Diet disapproval (Art. 6(11))")]  # fmt: skip
    assert log(result, "termination_decided")[0][3] == "period_end"


# --- 3. renewals only when the law asks for one -------------------------------------------


def test_no_renewal_for_a_plan_that_ends_before_the_two_year_day() -> None:
    # approved 2024-03-20; the plan runs until 03-11 + 700 = 2026-02-09, before 2026-03-20
    result = run(patrol(period=700), diet(*yearly(2024, 2027)))
    assert [s for s in steps(result) if s[0] >= "2025-01-01"] == [
        ("2026-02-09", "termination_decided", "Art. 6(2)(ii)(b)", "period_end"),
    ]


def test_a_renewal_is_owed_once_the_plan_is_extended_past_the_two_year_day() -> None:
    # the period ends 2026-03-01, inside the window (02-18..03-20); it is extended that day by 200
    # days, past 03-20: a continuation is now intended, and the Diet sits, so it is sought at once
    dep = patrol(period=720, extension={"max_extensions": 1, "probability": 1.0, "length": 200})
    result = run(dep, diet(*yearly(2024, 2027)))
    renewal = [s for s in steps(result) if s[0] >= "2026-01-01"]
    assert renewal[:2] == [
        ("2026-03-01", "approval_sought", "Art. 6(10)", "renewal 1"),
        ("2026-03-05", "house_decided", "Art. 6(10)", "representatives approved; 4 sitting days; target n/a"),
    ]


def test_no_renewal_once_the_art_6_7_tasks_have_been_removed() -> None:
    # an SDF unit doing (g) and (s); consent found unstable on 2025-06-01, (g) removed 7 days later
    # (Art. 6(13)(ix)): from then on no Art. 6(7) assignment is left, so nothing to continue
    dep = patrol(period=1000, contingents=[{"kind": "sdf_unit", "personnel": 300, "tasks": ["g", "s"]}])
    scripted = [{"date": "2025-06-01", "deployment": "patrol", "event": "consent_unstable"}]
    result = run(dep, diet(*yearly(2024, 2027)), scripted=scripted, procedure={
        **scenario()["procedure"], "amendment_delay": 7})  # fmt: skip
    assert ("2025-06-08", "plan_amended", "Art. 6(13)", "tasks removed: (g)") in log(result)
    assert not [s for s in steps(result) if s[1] in {"renewal_due", "approval_sought"} and s[0] > "2025"]


def test_the_art_6_7_contingents_left_follow_each_contingents_tasks_now() -> None:
    """What a disapproval ends and a continuation is sought for is asked of the rulebook once per
    contingent and set of tasks (kept, for speed): a contingent whose (a)-(g) tasks are removed drops
    out, one given (g) back returns, and an arrival of the same template answers alike."""
    from sim.model.portfolio import plan_portfolio
    from sim.model.world import World

    plan = plan_portfolio(sim.load_scenario("configs/routine_approvals.yaml"))[0]  # an SDF unit doing (g), (s), (v)
    world = World(seed=1, replication=0)
    run = world.start(plan)
    assert run.approval_assignments_left() == [0]
    run.tasks[0] -= {"g"}  # (s) and (v) are not Art. 6(7) assignments
    assert run.approval_assignments_left() == []
    run.tasks[0] |= {"g"}
    assert run.approval_assignments_left() == [0]
    run.ended[0] = True
    assert run.approval_assignments_left() == []
    arrival = plan.arriving(7, plan.spec.model_copy(update={"id": "protection_unit-1"}), 30)
    other = world.start(arrival)
    assert other.approval_assignments_left() == [0]
    other.tasks[0] = {"s", "v"}
    assert other.approval_assignments_left() == []


def test_a_renewal_lead_falling_after_the_session_closes_takes_an_earlier_sitting_day_of_the_window() -> None:
    # two years from 2024-03-20 is 2026-03-20; the window opens 02-18; a 10-day lead prefers 03-10,
    # but the session closes 03-05: the request goes on the window's first sitting day, 02-18
    sessions = [ORDINARY_2024, session("ordinary", "2026-01-23", "2026-03-05")]
    result = run(patrol(period=1000), diet(*sessions, renewal_lead=10))
    assert next(s for s in steps(result) if s[0] >= "2026-01-01") == (
        "2026-02-18", "approval_sought", "Art. 6(10)", "renewal 1",
    )  # fmt: skip


# --- 4. adding core tasks needs approval ----------------------------------------------------

ENGINEERS = {"id": "eng", "period": 400,
             "contingents": [{"kind": "sdf_unit", "personnel": 300, "tasks": ["s"], "label": "engineers"}]}  # fmt: skip


def added(task: str, on: str) -> list[dict]:
    return [{"date": on, "deployment": "eng", "event": "tasks_added", "contingent": "engineers", "tasks": [task]}]


def test_adding_a_core_task_in_session_waits_for_the_diet() -> None:
    result = run(deployment(**ENGINEERS), diet(ORDINARY_2024), scripted=added("b", "2024-05-01"))
    assert [s for s in log(result) if s[0] >= "2024-05-01"][:6] == [
        ("2024-05-01", "plan_amended", "Art. 6(13)", "tasks added: (b) to engineers"),
        ("2024-05-01", "plan_reported", "Art. 7(i)", "plan changed"),
        ("2024-05-01", "approval_sought", "Art. 6(7)", "prior; tasks (b) for engineers"),
        ("2024-05-05", "house_decided", "Art. 6(8)", "representatives approved; 4 sitting days; target met"),
        ("2024-05-08", "house_decided", "Art. 6(8)", "councillors approved; 3 sitting days; target met"),
        ("2024-05-08", "approval_granted", "Art. 6(7)", "prior; tasks (b) for engineers"),
    ]


def test_adding_a_core_task_out_of_session_starts_it_and_seeks_approval_at_the_next_session() -> None:
    result = run(deployment(**ENGINEERS), diet(ORDINARY_2024, AUTUMN_2024), scripted=added("b", "2024-07-15"))
    assert log(result, "approval_sought", "approval_granted") == [
        ("2024-10-01", "approval_sought", "Art. 6(7)", "post; tasks (b) for engineers"),
        ("2024-10-08", "approval_granted", "Art. 6(7)", "post; tasks (b) for engineers"),
    ]


def test_adding_protection_of_persons_needs_no_approval() -> None:
    # (v), as the 2016 UNMISS amendment added, is not among the tasks of Art. 6(7)
    result = run(deployment(**ENGINEERS), diet(ORDINARY_2024), scripted=added("v", "2024-05-01"))
    assert ("2024-05-01", "plan_amended", "Art. 6(13)", "tasks added: (v) to engineers") in log(result)
    assert not log(result, "approval_sought")


def test_tasks_added_are_checked_against_the_law() -> None:
    bad = [{"date": "2024-05-01", "deployment": "eng", "event": "tasks_added", "contingent": "engineers",
            "tasks": ["h"]}]  # fmt: skip
    try:
        sim.load_scenario(scenario(deployment(**ENGINEERS), scripted=bad))
    except sim.ConfigError as exc:
        assert "scripted[0].tasks" in str(exc) and "Art. 6(6)" in str(exc)
    else:
        raise AssertionError("an SDF unit may not be given (h)")
    unknown = [{**bad[0], "tasks": ["b"], "contingent": "medics"}]
    try:
        sim.load_scenario(scenario(deployment(**ENGINEERS), scripted=unknown))
    except sim.ConfigError as exc:
        assert "scripted[0].contingent" in str(exc) and "'engineers'" in str(exc)
    else:
        raise AssertionError("no contingent is labelled medics")


# --- 5. the approval-to-dispatch lag ------------------------------------------------------


def test_dispatch_is_the_later_of_decision_plus_lag_and_approval_plus_lag() -> None:
    # approved 03-20 (tests/test_diet.py); planned 03-25; 10 days after approval is 03-30
    result = run(patrol(), diet(ORDINARY_2024), procedure={**scenario()["procedure"], "approval_to_dispatch": 10})
    assert log(result, "dispatch_started") == [("2024-03-30", "dispatch_started", "Art. 9(1)", "")]
    short = run(patrol(), diet(ORDINARY_2024), procedure={**scenario()["procedure"], "approval_to_dispatch": 2})
    assert log(short, "dispatch_started") == [("2024-03-25", "dispatch_started", "Art. 9(1)", "")]


def test_an_approval_after_the_plan_period_has_run_out_dispatches_nothing() -> None:
    # the period (20 days) runs out on 03-31; approval comes 04-01 (10 + 9 sitting days)
    result = run(patrol(period=20), diet(ORDINARY_2024, first=10, second=9))
    assert not log(result, "dispatch_started")
    assert log(result, "termination_decided") == [
        ("2024-04-01", "termination_decided", "Art. 6(2)(ii)(b)", "period_end"),
    ]


def test_no_renewal_once_a_plan_change_has_removed_the_art_6_7_tasks() -> None:
    # as above, but the Cabinet removes (b) by a scripted plan change (Art. 6(13)) on 2025-06-08
    scripted = [{"date": "2025-06-08", "deployment": "patrol", "event": "tasks_removed", "contingent": 0,
                 "tasks": ["b"]}]  # fmt: skip
    result = run(patrol(period=1000), diet(*yearly(2024, 2027)), scripted=scripted)
    assert ("2025-06-08", "plan_amended", "Art. 6(13)", "tasks removed: (b)") in log(result)
    assert not [s for s in steps(result) if s[1] in {"renewal_due", "approval_sought"} and s[0] > "2025"]
    kept = run(patrol(period=1000), diet(*yearly(2024, 2027)))  # without the change, a renewal is sought
    assert [s for s in steps(kept) if s[1] == "approval_sought" and s[0] > "2025"]
