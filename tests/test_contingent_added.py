"""A contingent added by a plan change (Art. 6(13), reported under Art. 7(i)): UNTAC's 1993 election
observers, added to the Cambodia plan on 1993-04-27 and sent in May.

Shared lags (tests/conftest.py): the Cabinet decides 10 days after the request; guidelines and the
Corps 2 days later; dispatch 14 days after the decision.  ``timor`` (tests/test_plan_changes.py) is
requested 2024-03-01: decided 03-11, its HQ staff (10) and engineers (680) dispatched 03-25, its
200-day period running to 2024-09-27.
"""

from __future__ import annotations

from typing import Any

import pytest

import sim
from tests.conftest import scenario
from tests.test_alliance import one_problem
from tests.test_diet import ORDINARY_2024, diet, session, steps
from tests.test_plan_changes import engaged, log, timor


def diet_steps(result: sim.SimulationResult) -> list[tuple[str, str, str, str]]:
    return [s for s in steps(result) if s[1] != "dispatch_started"]


OBSERVERS = {"kind": "recruited", "personnel": 40, "tasks": ["h"], "label": "observers"}


def added(date: str = "2024-06-10", deployment: str = "timor", **contingent: Any) -> dict[str, Any]:
    return {"date": date, "deployment": deployment, "event": "contingent_added", "added": {**OBSERVERS, **contingent}}


def test_an_added_contingent_is_a_plan_change_then_goes_on_its_own_day_and_comes_home() -> None:
    data = scenario(timor(), scripted=[added(dispatch_on="2024-06-20", returns_on="2024-07-10")])
    result = sim.simulate(data)
    assert log(result, "plan_amended", "plan_reported", "dispatch_started", "contingent_returned")[1:] == [
        ("2024-03-25", "dispatch_started", ""),  # the plan as decided: its own contingents
        ("2024-06-10", "plan_amended", "contingent added: observers (40 persons)"),
        ("2024-06-10", "plan_reported", "plan changed"),
        ("2024-06-20", "dispatch_started", "contingents: observers"),
        ("2024-07-10", "contingent_returned", "observers"),
    ]
    assert engaged(result, "timor")[:3] == [("2024-03-25", 690), ("2024-06-20", 730), ("2024-07-10", 690)]
    assert (result.events["event"] == "cabinet_decision").sum() == 1  # one plan: no second decision


def test_without_a_date_of_its_own_it_goes_the_plan_s_lag_after_the_change() -> None:
    result = sim.simulate(scenario(timor(), scripted=[added()]))
    assert ("2024-06-24", "dispatch_started", "contingents: observers") in log(result, "dispatch_started")
    lagged = sim.simulate(scenario(timor(), scripted=[added(dispatch_lag=3)]))
    assert ("2024-06-13", "dispatch_started", "contingents: observers") in log(lagged, "dispatch_started")


def test_an_added_contingent_waits_for_room_under_the_cap() -> None:
    # the cap is 780: the plan's 690 and 60 of another plan leave 30 places, not 40
    other = {"id": "other", "operation": "un_pko", "subtype": "b", "request": "2024-03-01", "period": 120,
             "contingents": [{"kind": "recruited", "personnel": 60, "tasks": ["h"]}]}  # fmt: skip
    data = scenario(timor(), other, scripted=[added(dispatch_on="2024-06-20")], cap={"limit": 780})
    result = sim.simulate(data)
    # the other plan ends 2024-07-09 (decided 03-11 + 120 days) and is home 30 days later
    timor_log = log(result, "cap_wait", "dispatch_started")
    assert ("2024-06-20", "cap_wait", "40 persons wait; 30 free") in timor_log
    assert ("2024-08-08", "dispatch_started", "contingents: observers") in timor_log


def test_a_change_dated_before_the_decision_is_skipped() -> None:
    result = sim.simulate(scenario(timor(), scripted=[added(date="2024-03-05")]))
    assert "contingent added" not in " ".join(result.events["detail"].astype(str))
    assert result.deployments.iloc[0]["scripted_skipped"] == 1


def test_an_added_sdf_unit_doing_b_waits_for_the_diet_while_it_sits() -> None:
    # ORDINARY_2024 sits from January to June: approval is sought on the day of the change (06-10),
    # decided after 4 + 3 sitting days (06-14, 06-17); the unit goes on its day once approved
    patrol = {"kind": "sdf_unit", "personnel": 100, "tasks": ["b"], "label": "patrol", "dispatch_on": "2024-06-12"}
    result = sim.simulate(scenario(timor(), scripted=[added(**patrol)], diet=diet(ORDINARY_2024)))
    assert diet_steps(result)[:3] == [
        ("2024-06-10", "approval_sought", "Art. 6(7)", "prior; contingent patrol added"),
        ("2024-06-14", "house_decided", "Art. 6(8)", "representatives approved; 4 sitting days; target met"),
        ("2024-06-17", "house_decided", "Art. 6(8)", "councillors approved; 3 sitting days; target met"),
    ]
    assert ("2024-06-17", "dispatch_started", "contingents: patrol") in log(result, "dispatch_started")


def test_an_added_sdf_unit_doing_b_goes_first_when_the_diet_does_not_sit() -> None:
    # the Diet is out of session from 06-21 to the autumn session: the proviso, approval sought after
    autumn = session("extraordinary", "2024-10-01", "2024-12-10")
    patrol = {"kind": "sdf_unit", "personnel": 100, "tasks": ["b"], "label": "patrol", "dispatch_on": "2024-07-20"}
    data = scenario(timor(engineers={"returns_on": "2024-12-31"}), scripted=[added("2024-07-01", **patrol)],
                    diet=diet(ORDINARY_2024, autumn))  # fmt: skip
    data["deployments"][0]["period"] = 400
    result = sim.simulate(data)
    assert ("2024-07-20", "dispatch_started", "contingents: patrol") in log(result, "dispatch_started")
    assert diet_steps(result)[0] == ("2024-10-01", "approval_sought", "Art. 6(7)", "post")


def test_a_refused_unit_stays_home_and_the_plan_goes_on() -> None:
    patrol = {"kind": "sdf_unit", "personnel": 100, "tasks": ["b"], "label": "patrol", "dispatch_on": "2024-06-12"}
    refusing = {**diet(ORDINARY_2024), "approval_probability": {"representatives": 0.0, "councillors": 1.0}}
    result = sim.simulate(scenario(timor(), scripted=[added(**patrol)], diet=refusing))
    assert ("2024-06-14", "approval_denied", "Art. 6(7)", "prior; contingent patrol added") in steps(result)
    assert "contingents: patrol" not in set(result.events["detail"].astype(str))
    assert log(result, "termination_decided") == [("2024-09-27", "termination_decided", "period_end")]


def test_a_later_change_can_name_the_added_contingent() -> None:
    relieved = {"date": "2024-07-01", "deployment": "timor", "event": "relieved", "contingent": "observers"}
    result = sim.simulate(scenario(timor(), scripted=[added(dispatch_on="2024-06-20"), relieved]))
    assert log(result, "rotation") == [("2024-07-01", "rotation", "observers")]


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"date": "2024-06-10", "deployment": "timor", "event": "contingent_added"},
         "scripted[0].added: contingent_added needs the contingent it adds"),
        (added(label="engineers", kind="sdf_unit", tasks=["s"]),
         "scripted[0].added.label: timor already has a contingent named 'engineers'"),
        (added(dispatch_on="2024-06-01"),
         "scripted[0].added.dispatch_on: 2024-06-01 is before the plan change that adds the contingent"),
        (added(personnel=1400), "scripted[0].added.personnel: 2,090 persons in timor with the added contingent"),
        ({**added(), "personnel": 5}, "scripted[0].personnel: contingent_added takes no personnel"),
        ({"date": "2024-06-10", "deployment": "timor", "event": "mission_end", "added": OBSERVERS},
         "scripted[0].added: mission_end adds no contingent"),
    ],
)  # fmt: skip
def test_an_added_contingent_is_checked_like_the_plan_s_own(change: dict[str, Any], problem: str) -> None:
    assert one_problem(scenario(timor(), scripted=[change])).startswith(problem)


def test_an_added_contingent_s_tasks_are_checked_against_the_act() -> None:
    problem = one_problem(scenario(timor(), scripted=[added(kind="recruited", tasks=["b"])]))
    assert problem.startswith("scripted[0].added.tasks: ")
