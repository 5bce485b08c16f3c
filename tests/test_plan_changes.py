"""Plans as they really change (Art. 6(13)): the period kept or shortened, a contingent's size.

Shared lags (tests/conftest.py): the Cabinet decides 10 days after the request, dispatch 14 days
after the decision, withdrawal 30 days.  ``eng`` is requested 2024-03-01: decided 03-11,
dispatched 03-25 with 100 persons, its 200-day period running to 2024-09-27.
"""

from __future__ import annotations

from typing import Any

import pytest

import sim
from tests.conftest import deployment, scenario
from tests.test_alliance import one_problem


def log(result: sim.SimulationResult, *events: str) -> list[tuple[str, str, str]]:
    ev = result.events[result.events["event"].isin(events)]
    return [(f"{d:%Y-%m-%d}", str(e), str(x)) for d, e, x in zip(ev["date"], ev["event"], ev["detail"], strict=True)]


def engaged(result: sim.SimulationResult, deployment_id: str = "eng") -> list[tuple[str, int]]:
    eng = result.engaged[result.engaged["deployment"] == deployment_id]
    return [(f"{d:%Y-%m-%d}", int(p)) for d, p in zip(eng["date"], eng["persons"], strict=True)]


def changed(**fields: Any) -> dict[str, Any]:
    return {"date": "2024-05-01", "deployment": "eng", **fields}


@pytest.mark.parametrize(
    ("until", "verb", "ends"),
    [("2024-09-27", "kept", "2024-09-27"), ("2024-08-01", "shortened", "2024-08-01")],
)
def test_an_amendment_that_does_not_lengthen_the_period_is_no_extension(until: str, verb: str, ends: str) -> None:
    result = sim.simulate(scenario(deployment(), scripted=[changed(event="period_extended", until=until)]))
    assert log(result, "plan_amended", "termination_decided") == [
        ("2024-05-01", "plan_amended", f"period {verb} to {until}"),
        (ends, "termination_decided", "period_end"),
    ]
    assert result.deployments.iloc[0]["extensions"] == 0


def test_a_later_end_is_an_extension() -> None:
    result = sim.simulate(scenario(deployment(), scripted=[changed(event="period_extended", until="2024-12-01")]))
    assert result.deployments.iloc[0]["extensions"] == 1


def test_a_smaller_contingent_leaves_the_cap_on_the_day_of_the_change() -> None:
    result = sim.simulate(scenario(deployment(), scripted=[changed(event="size_changed", contingent=0, personnel=60)]))
    assert log(result, "plan_amended", "plan_reported")[1:] == [
        ("2024-05-01", "plan_amended", "size of sdf_unit: 100 -> 60 persons"),
        ("2024-05-01", "plan_reported", "plan changed"),
    ]
    assert engaged(result)[:2] == [("2024-03-25", 100), ("2024-05-01", 60)]


def test_a_larger_contingent_waits_for_room_under_the_cap() -> None:
    # cap 150: eng (100) and other (30) are out from 03-25; eng grows to 140 on 05-01, but only 20
    # are free until other's personnel are home: its period ends 03-11 + 100 = 06-19, +30 = 07-19
    other = deployment(id="other", period=100, contingents=[{"kind": "sdf_unit", "personnel": 30, "tasks": ["s"]}])
    data = scenario(deployment(), other, cap={"limit": 150},
                    scripted=[changed(event="size_changed", contingent=0, personnel=140)])  # fmt: skip
    result = sim.simulate(data)
    assert ("2024-05-01", "cap_wait", "40 persons wait; 20 free") in log(result, "cap_wait")
    assert engaged(result)[:2] == [("2024-03-25", 100), ("2024-07-19", 140)]
    assert result.engaged["total"].max() <= 150


def test_a_size_over_the_cap_is_refused() -> None:
    data = scenario(deployment(), cap={"limit": 150}, scripted=[changed(event="size_changed", contingent=0,
                                                                         personnel=151)])  # fmt: skip
    assert one_problem(data) == (
        "scripted[0].personnel: 151 persons in eng after the change exceed the cap of 150 persons engaged at "
        "once (Art. 19(1))"
    )


def test_a_size_change_names_a_contingent_and_a_size() -> None:
    assert one_problem(scenario(deployment(), scripted=[changed(event="size_changed", personnel=5)])).startswith(
        "scripted[0].contingent: size_changed needs the contingent it changes"
    )
    assert one_problem(scenario(deployment(), scripted=[changed(event="size_changed", contingent=0)])) == (
        "scripted[0].personnel: size_changed needs the contingent's new size in persons"
    )
    assert one_problem(scenario(deployment(), scripted=[changed(event="mission_end", personnel=5)])) == (
        "scripted[0].personnel: mission_end takes no personnel"
    )


# -- contingents with their own life inside one plan ------------------------------------------------


def timor(hq: dict[str, Any] | None = None, engineers: dict[str, Any] | None = None) -> dict[str, Any]:
    """One plan whose HQ staff and engineers leave (and may come home) on their own days."""
    return deployment(id="timor", contingents=[
        {"kind": "sdf_personnel", "personnel": 10, "tasks": ["t"], "label": "hq", **(hq or {})},
        {"kind": "sdf_unit", "personnel": 680, "tasks": ["s"], "label": "engineers", **(engineers or {})},
    ])  # fmt: skip


def test_units_of_one_plan_leave_and_come_home_on_their_own_days() -> None:
    # decided 03-11: the HQ staff leave on their date (03-15), the engineers 30 days after the
    # decision (04-10) and are home on 08-01; the HQ stays until the period ends (09-27)
    data = scenario(timor(hq={"dispatch_on": "2024-03-15"}, engineers={"dispatch_lag": 30, "returns_on": "2024-08-01"}))
    result = sim.simulate(data)
    assert log(result, "cabinet_decision", "dispatch_started", "contingent_returned", "termination_decided") == [
        ("2024-03-11", "cabinet_decision", "period 200 days"),  # one plan: one decision
        ("2024-03-15", "dispatch_started", "contingents: hq"),
        ("2024-04-10", "dispatch_started", "contingents: engineers"),
        ("2024-08-01", "contingent_returned", "engineers"),
        ("2024-09-27", "termination_decided", "period_end"),
    ]
    assert engaged(result, "timor")[:3] == [("2024-03-15", 10), ("2024-04-10", 690), ("2024-08-01", 10)]
    assert (result.events["event"] == "results_reported").sum() == 1  # and one results report


def test_a_plan_ends_when_its_last_contingent_is_home() -> None:
    data = scenario(timor(hq={"returns_on": "2024-06-01"}, engineers={"returns_on": "2024-08-01"}))
    assert log(
        sim.simulate(data), "dispatch_started", "contingent_returned", "termination_decided", "withdrawal_completed"
    ) == [
        ("2024-03-25", "dispatch_started", ""),
        ("2024-06-01", "contingent_returned", "hq"),
        ("2024-08-01", "contingent_returned", "engineers"),
        ("2024-08-01", "termination_decided", "period_end"),
        ("2024-08-31", "withdrawal_completed", ""),
    ]


@pytest.mark.parametrize(
    ("own", "problem"),
    [
        ({"dispatch_on": "2024-04-01", "dispatch_lag": 5}, "give at most one of dispatch_on"),
        ({"dispatch_on": "2024-02-01"}, "contingents[1].dispatch_on: 2024-02-01 is not after the request"),
        ({"dispatch_on": "2024-04-01", "returns_on": "2024-03-30"},
         "deployments[0].contingents[1].returns_on: 2024-03-30 is not after its dispatch (2024-04-01)"),
    ],
)  # fmt: skip
def test_a_contingent_s_own_dates_are_checked(own: dict[str, Any], problem: str) -> None:
    assert problem in one_problem(scenario(timor(engineers=own)))


# -- reliefs on their dates, a contingent ended, a successor mission --------------------------------


def test_a_dated_relief_relieves_the_contingent_on_its_date() -> None:
    data = scenario(timor(), scripted=[{"date": "2024-06-10", "deployment": "timor", "event": "relieved",
                                        "contingent": "engineers"}])  # fmt: skip
    result = sim.simulate(data)
    assert log(result, "rotation") == [("2024-06-10", "rotation", "engineers")]
    assert result.events.loc[result.events["event"] == "rotation", "basis"].tolist() == ["Art. 14(2)"]


def test_a_contingent_ended_by_a_plan_change_leaves_the_rest_of_the_plan() -> None:
    data = scenario(timor(), scripted=[{"date": "2024-06-10", "deployment": "timor", "event": "contingent_ended",
                                        "contingent": 1}])  # fmt: skip
    result = sim.simulate(data)
    assert log(result, "plan_amended", "termination_decided") == [
        ("2024-06-10", "plan_amended", "assignments ended: engineers; plan changed"),
        ("2024-09-27", "termination_decided", "period_end"),
    ]
    assert ("2024-06-10", 10) in engaged(result, "timor")


def test_a_mission_handed_over_to_its_successor_is_one_plan_going_on() -> None:
    # UNTAET -> UNMISET (2002-05-20): the same engineering group, one plan, no end and no new decision
    data = scenario(timor(), scripted=[{"date": "2024-06-10", "deployment": "timor", "event": "mission_handed_over",
                                        "mission": "UNMISET"}])  # fmt: skip
    result = sim.simulate(data)
    assert log(result, "plan_amended", "cabinet_decision", "termination_decided") == [
        ("2024-03-11", "cabinet_decision", "period 200 days"),
        ("2024-06-10", "plan_amended", "mission handed over to UNMISET"),
        ("2024-09-27", "termination_decided", "period_end"),
    ]
    assert result.deployments.iloc[0]["extensions"] == 0


@pytest.mark.parametrize(
    ("event", "fields", "problem"),
    [
        ("relieved", {}, "scripted[0].contingent: relieved needs the contingent (its label or index)"),
        ("mission_handed_over", {}, "scripted[0].mission: mission_handed_over needs the successor mission's name"),
        ("relieved", {"contingent": "medics"}, "scripted[0].contingent: relieved needs the contingent it changes"),
        ("mission_end", {"mission": "X"}, "scripted[0].mission: mission_end takes no mission"),
    ],
)
def test_scripted_plan_changes_name_what_they_change(event: str, fields: dict[str, Any], problem: str) -> None:
    data = scenario(timor(), scripted=[{"date": "2024-06-10", "deployment": "timor", "event": event, **fields}])
    assert one_problem(data).startswith(problem)


def test_a_contingent_whose_return_day_comes_before_its_own_dispatch_never_goes() -> None:
    # the engineers would leave 60 days after the decision (05-10) but are due home on 05-01
    data = scenario(timor(engineers={"dispatch_lag": 60, "returns_on": "2024-05-01"}))
    result = sim.simulate(data)
    assert log(result, "dispatch_started", "contingent_returned") == [
        ("2024-03-25", "dispatch_started", "contingents: hq")
    ]
    assert max(p for _, p in engaged(result, "timor")) == 10


# -- tasks removed by a plan change -------------------------------------------------------------


def removed(contingent: str | int = "engineers", tasks: list[str] | None = None, date: str = "2024-06-10") -> dict:
    return {"date": date, "deployment": "timor", "event": "tasks_removed", "contingent": contingent,
            "tasks": tasks or ["s"]}  # fmt: skip


def test_tasks_removed_is_a_plan_change_and_a_contingent_left_without_tasks_comes_home() -> None:
    result = sim.simulate(scenario(timor(), scripted=[removed()]))
    assert log(result, "plan_amended", "plan_reported")[1:] == [
        ("2024-06-10", "plan_amended", "tasks removed: (s)"),
        ("2024-06-10", "plan_reported", "plan changed"),
    ]
    assert ("2024-06-10", 10) in engaged(result, "timor")
    assert result.deployments.iloc[0]["tasks_removed"] == 1
    assert log(result, "termination_decided") == [("2024-09-27", "termination_decided", "period_end")]


def test_removing_the_last_tasks_of_the_plan_ends_it_as_a_policy_decision() -> None:
    result = sim.simulate(scenario(timor(), scripted=[removed(), removed("hq", ["t"], "2024-07-01")]))
    assert log(result, "plan_amended", "termination_decided") == [
        ("2024-06-10", "plan_amended", "tasks removed: (s)"),
        ("2024-07-01", "plan_amended", "tasks removed: (t)"),
        ("2024-07-01", "termination_decided", "policy"),
    ]


def test_a_task_removed_before_the_contingent_is_out_is_skipped() -> None:
    data = scenario(timor(engineers={"dispatch_lag": 120}), scripted=[removed(date="2024-05-01")])
    result = sim.simulate(data)
    assert log(result, "plan_amended") == [] and result.deployments.iloc[0]["scripted_skipped"] == 1


@pytest.mark.parametrize(
    ("fields", "problem"),
    [
        ({"tasks": ["b"]}, "scripted[0].tasks: contingent 1 of timor has no task (b) to remove (its tasks: (s))"),
        ({"tasks": []}, "scripted[0].tasks: tasks_removed needs at least one task letter"),
        ({"contingent": "medics"}, "scripted[0].contingent: tasks_removed needs the contingent it changes"),
        ({"personnel": 5}, "scripted[0].personnel: tasks_removed takes no personnel"),
    ],
)
def test_tasks_removed_names_a_contingent_and_tasks_it_has(fields: dict[str, Any], problem: str) -> None:
    event = {**removed(), **fields}
    assert one_problem(scenario(timor(), scripted=[event])).startswith(problem)


def test_a_task_an_earlier_change_added_can_be_removed() -> None:
    added = {"date": "2024-05-01", "deployment": "timor", "event": "tasks_added", "contingent": "engineers",
             "tasks": ["v"]}  # fmt: skip
    result = sim.simulate(scenario(timor(), scripted=[added, removed(tasks=["v"])]))
    assert ("2024-06-10", "plan_amended", "tasks removed: (v)") in log(result, "plan_amended")
    assert ("2024-06-10", 10) not in engaged(result, "timor")  # (s) is left: the engineers stay
