"""Dates known only to the month (``1993-05``): accepted for real steps, the 1st of the month, and said
so in the log, so that a comparison with the record is "within the month".

Shared lags (tests/conftest.py): the Cabinet decides 10 days after the request, dispatch 14 days after
the decision.  ``eng`` is requested 2024-03-01: decided 03-11, dispatched 03-25.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import sim
from sim.scenario import Scenario
from sim.scenario.dates import MonthDate, dated
from tests.conftest import deployment, scenario
from tests.test_alliance import one_problem
from tests.test_plan_changes import log, timor


def test_a_month_stands_for_its_first_day_and_keeps_its_precision() -> None:
    loaded = sim.load_scenario(scenario(deployment(request="2024-03"), start="2024-01"))
    request = loaded.deployments[0].request
    assert request == dt.date(2024, 3, 1) and isinstance(request, MonthDate)
    assert loaded.start == dt.date(2024, 1, 1)
    assert not isinstance(sim.load_scenario(scenario(deployment())).deployments[0].request, MonthDate)


def test_the_month_survives_json_as_a_worker_receives_the_scenario() -> None:
    loaded = sim.load_scenario(scenario(deployment(request="2024-03")))
    data = loaded.model_dump(mode="json")
    assert data["deployments"][0]["request"] == "2024-03" and data["start"] == "2024-01-01"
    assert isinstance(Scenario.model_validate(data).deployments[0].request, MonthDate)


def test_a_day_counted_from_a_month_is_a_day() -> None:
    may = MonthDate(1993, 5, 1)
    assert (may + dt.timedelta(days=10), type(may + dt.timedelta(days=10))) == (dt.date(1993, 5, 11), dt.date)
    assert type(may - dt.timedelta(days=1)) is dt.date and may - dt.date(1993, 4, 1) == dt.timedelta(days=30)


def test_each_row_of_a_step_dated_to_the_month_says_so() -> None:
    scripted = [
        {"date": "2024-05", "deployment": "eng", "event": "size_changed", "contingent": 0, "personnel": 60},
        {"date": "2024-06-10", "deployment": "eng", "event": "period_extended", "until": "2024-12-01"},
    ]
    result = sim.simulate(scenario(deployment(request="2024-03"), scripted=scripted))
    assert log(result, "request_received", "plan_amended", "plan_reported")[:5] == [
        ("2024-03-01", "request_received", "dated to the month 2024-03"),
        ("2024-03-11", "plan_reported", "plan decided"),
        ("2024-05-01", "plan_amended", "size of sdf_unit: 100 -> 60 persons; dated to the month 2024-05"),
        ("2024-05-01", "plan_reported", "plan changed; dated to the month 2024-05"),
        ("2024-06-10", "plan_amended", "period extended to 2024-12-01"),  # a day stays a day
    ]


def test_a_contingent_s_own_month_travels_into_its_dispatch_and_return() -> None:
    data = scenario(timor(hq={"dispatch_on": "2024-04"}, engineers={"returns_on": "2024-08"}))
    assert log(sim.simulate(data), "dispatch_started", "contingent_returned") == [
        ("2024-03-25", "dispatch_started", "contingents: engineers"),
        ("2024-04-01", "dispatch_started", "contingents: hq; dated to the month 2024-04"),
        ("2024-08-01", "contingent_returned", "engineers; dated to the month 2024-08"),
    ]


def test_a_period_extension_decided_in_a_month_is_marked_on_all_its_rows() -> None:
    scripted = [{"date": "2024-06", "deployment": "eng", "event": "period_extended", "until": "2024-12-01"}]
    rows = log(sim.simulate(scenario(deployment(), scripted=scripted)), "plan_amended", "status_reported")
    assert rows == [
        ("2024-06-01", "plan_amended", "period extended to 2024-12-01; dated to the month 2024-06"),
        ("2024-06-01", "status_reported", "dated to the month 2024-06"),
    ]


def test_a_mission_end_known_to_the_month_ends_the_dispatch_on_its_first_day() -> None:
    result = sim.simulate(scenario(deployment(mission_end="2024-06")))
    assert log(result, "plan_amended") == [
        ("2024-06-01", "plan_amended", "dispatch ended: mission ended; dated to the month 2024-06")
    ]


@pytest.mark.parametrize(
    ("where", "value", "problem"),
    [
        ("request", "2024-13", "deployments[0].request: '2024-13' is not a month: give YYYY-MM with a month 01-12"),
        ("request", "2024-3-x", "deployments[0].request: "),
        ("start", "2024-00", "start: '2024-00' is not a month"),
    ],
)
def test_a_bad_month_names_its_field(where: str, value: str, problem: str) -> None:
    data: dict[str, Any] = scenario(deployment(**({where: value} if where == "request" else {})))
    if where == "start":
        data["start"] = value
    assert one_problem(data).startswith(problem)


def test_a_period_s_end_must_be_a_day() -> None:
    scripted = [{"date": "2024-06", "deployment": "eng", "event": "period_extended", "until": "2024-12"}]
    assert one_problem(scenario(deployment(), scripted=scripted)) == (
        "scripted[0].until: '2024-12' is a month: a plan period's end is a day (give YYYY-MM-DD)"
    )


def test_dated_leaves_a_day_alone() -> None:
    assert dated("x", dt.date(2024, 5, 1), None) == "x"
    assert dated("", MonthDate(2024, 5, 1), MonthDate(2024, 4, 1)) == "dated to the month 2024-04, 2024-05"
