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
