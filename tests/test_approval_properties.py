"""Invariants of what the Diet approves and ends, over random plans and calendars (hypothesis).

Plans mix contingents that carry Art. 6(7) assignments (SDF units doing (b) or (g)) with ones
that do not (an SDF unit doing (s), recruited election staff doing (h), SDF personnel at HQ doing
(t)), on random explicit calendars, with Houses that approve always, never or at random.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

import sim
from sim.law import renewal_due_day
from sim.scenario import explicit_calendar
from tests.test_diet_properties import PROPERTY, START, around, diet_sits

CONTINGENTS = [
    ({"kind": "sdf_unit", "personnel": 300, "tasks": ["b"]}, True),
    ({"kind": "sdf_unit", "personnel": 200, "tasks": ["g", "s"]}, True),
    ({"kind": "sdf_unit", "personnel": 150, "tasks": ["s"]}, False),
    ({"kind": "recruited", "personnel": 20, "tasks": ["h"]}, False),
    ({"kind": "sdf_personnel", "personnel": 5, "tasks": ["t"]}, False),
]


@st.composite
def mixed_scenarios(draw: st.DrawFn) -> dict:
    deployments = []
    for i in range(draw(st.integers(1, 3))):
        picks = draw(st.lists(st.integers(0, len(CONTINGENTS) - 1), min_size=1, max_size=3))
        contingents = [{**CONTINGENTS[k][0], "label": f"c{j}"} for j, k in enumerate(picks)]
        for cont in contingents:  # some units leave on their own day (#15)
            if draw(st.booleans()):
                cont["dispatch_lag"] = draw(st.integers(0, 90))
        request = START + dt.timedelta(days=draw(st.integers(0, 900)))
        deployments.append({
            "id": f"d{i}", "operation": "un_pko", "subtype": "a", "request": request.isoformat(),
            "period": draw(st.integers(60, 2500)), "contingents": contingents,
        })  # fmt: skip
    return draw(around(deployments, approval_to_dispatch=draw(st.integers(0, 10))))


def approval_labels(dep: dict) -> set[str]:
    """The labels of the contingents carrying Art. 6(7) assignments."""
    core = {c["label"] for c in dep["contingents"] if c["kind"] == "sdf_unit" and set(c["tasks"]) & {"b", "g"}}
    return core


def dispatched_labels(detail: str, dep: dict) -> set[str]:
    if not detail:
        return {c["label"] for c in dep["contingents"]}
    return set(detail.removeprefix("contingents: ").split(", "))


@PROPERTY
@given(mixed_scenarios())
def test_no_art_6_7_contingent_goes_before_approval_while_the_diet_sits(data: dict) -> None:
    result = sim.simulate(data)
    paths = result.deployments.set_index("deployment")["approval_path"]
    for dep in data["deployments"]:
        ev = result.events[result.events["deployment"] == dep["id"]]
        core = approval_labels(dep)
        gated = [t for t, e, d in zip(ev["t"], ev["event"], ev["detail"].astype(str), strict=True)
                 if e == "dispatch_started" and dispatched_labels(d, dep) & core]  # fmt: skip
        if not gated:
            continue
        if paths[dep["id"]] == "prior":
            granted = ev.loc[(ev["event"] == "approval_granted") & (ev["detail"] == "prior"), "t"]
            assert not granted.empty and granted.iloc[0] <= gated[0]
        else:
            assert paths[dep["id"]] == "post" and core
            calendar = explicit_calendar(result.scenario.diet.calendar)
            seam = ev.loc[ev["event"] == "corps_established", "date"].iloc[0].date()
            commence = ev.loc[ev["event"] == "dispatch_started", "date"].iloc[0].date()
            days = pd.date_range(seam, commence).date
            assert not any(diet_sits(calendar, d) for d in days), "the Diet sat before the dispatch commenced"


@PROPERTY
@given(mixed_scenarios())
def test_a_disapproval_never_ends_a_contingent_outside_art_6_7(data: dict) -> None:
    result = sim.simulate(data)
    rows = result.deployments.set_index("deployment")
    for dep in data["deployments"]:
        ev = result.events[result.events["deployment"] == dep["id"]]
        core = approval_labels(dep)
        for detail in ev.loc[ev["event"] == "plan_amended", "detail"].astype(str):
            if detail.startswith("assignments ended: "):
                ended = detail.removeprefix("assignments ended: ").split(";")[0].split(", ")
                assert set(ended) <= core
        if rows.loc[dep["id"], "termination_cause"] == "diet_disapproval":
            others = {c["label"] for c in dep["contingents"]} - core
            went = set()
            for d in ev.loc[ev["event"] == "dispatch_started", "detail"].astype(str):
                went |= dispatched_labels(d, dep)
            assert not (others & went), "the plan ended by a disapproval still had other contingents out"


@PROPERTY
@given(mixed_scenarios())
def test_a_renewal_is_sought_only_for_a_plan_running_past_the_two_year_day(data: dict) -> None:
    result = sim.simulate(data)
    for dep in data["deployments"]:
        ev = result.events[result.events["deployment"] == dep["id"]]
        granted = ev[(ev["event"] == "approval_granted") & ev["detail"].isin(["prior", "post"])]
        sought = ev[(ev["event"] == "approval_sought") & ev["detail"].astype(str).str.startswith("renewal")]
        if sought.empty:
            continue
        assert approval_labels(dep), "a renewal for a plan without Art. 6(7) assignments"
        approved = granted["date"].iloc[0].date()
        decided = ev.loc[ev["event"] == "cabinet_decision", "date"].iloc[0].date()
        plan_end = decided + dt.timedelta(days=dep["period"])
        for detail in sought["detail"].astype(str).unique():
            due = renewal_due_day(approved, int(detail.split()[1]))
            assert plan_end > due, f"{detail} sought for a plan ending {plan_end}, not after {due}"
        ended = ev.loc[ev["event"] == "plan_amended", "detail"].astype(str)
        assert not any(d.startswith("assignments ended") for d in ended) or sought["t"].max() <= ev.loc[
            (ev["event"] == "plan_amended") & ended.str.startswith("assignments ended"), "t"].min()  # fmt: skip
