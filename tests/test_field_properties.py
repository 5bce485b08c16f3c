"""Invariants of the field model over random portfolios (hypothesis)."""

from __future__ import annotations

import datetime as dt
import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sim
from sim.eventlog import CAUSES

START = dt.date(2024, 1, 1)
END = dt.date(2030, 1, 1)
WITHDRAWAL = 30
KINDS_TASKS = [("sdf_unit", ["s"]), ("sdf_unit", ["m", "v"]), ("recruited", ["h"]), ("officials", ["i"])]


@st.composite
def portfolios(draw: st.DrawFn) -> dict:
    deployments, scripted = [], []
    for i in range(draw(st.integers(1, 4))):
        kind, tasks = draw(st.sampled_from(KINDS_TASKS))
        operation = "humanitarian_relief" if "v" in tasks else ("election_monitoring" if "h" in tasks else "un_pko")
        dep = {
            "id": f"d{i}", "operation": operation,
            "request": (START + dt.timedelta(days=draw(st.integers(0, 1500)))).isoformat(),
            "period": draw(st.integers(30, 900)),
            "extension": {"max_extensions": draw(st.integers(0, 3)), "probability": 0.7},
            "contingents": [{"kind": kind, "personnel": draw(st.integers(1, 1500)), "tasks": tasks,
                             "rotation": draw(st.integers(30, 200)), "handover": draw(st.integers(0, 10))}],
        }  # fmt: skip
        if operation == "un_pko":
            dep["subtype"] = draw(st.sampled_from(["a", "b", "c"]))
        deployments.append(dep)
        for _ in range(draw(st.integers(0, 2))):
            event = draw(st.sampled_from(["conditions_lost", "conditions_restored", "suspended", "resumed",
                                          "mission_end", "policy_termination"]))  # fmt: skip
            day = START + dt.timedelta(days=draw(st.integers(0, 2000)))
            scripted.append({"date": day.isoformat(), "deployment": f"d{i}", "event": event})
    rate = st.floats(0, 3)
    return {
        "name": "prop", "start": START.isoformat(), "end": END.isoformat(), "replications": 2,
        "seed": draw(st.integers(0, 10_000)),
        "procedure": {"request_to_decision": 10, "decision_to_dispatch": 14, "withdrawal": WITHDRAWAL},
        "cap": {"policy": draw(st.sampled_from(["wait", "scale_down"]))},
        "hazards": {
            "conditions_lost": {"rate": draw(rate), "window": draw(st.integers(1, 120))},
            "consent_unstable": {"rate": draw(rate)},
            "danger": {"rate": draw(rate), "duration": draw(st.integers(1, 30))},
            "mission_end": {"rate": draw(st.floats(0, 0.5))},
        },
        "deployments": deployments,
        "scripted": scripted,
    }  # fmt: skip


PROPERTY = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.large_base_example]
)
ALLOWED = {
    "requested": {"requested", "decided", "abandoned"},
    "decided": {"decided", "deployed", "abandoned"},
    "deployed": {"deployed", "interrupted", "suspended", "withdrawing"},
    "interrupted": {"interrupted", "deployed", "withdrawing"},
    "suspended": {"suspended", "deployed", "interrupted", "withdrawing"},
    "withdrawing": {"ended"},
    "ended": {"ended"},
}


@PROPERTY
@given(portfolios())
def test_persons_engaged_never_exceed_the_cap(data: dict) -> None:
    engaged = sim.simulate(data).engaged
    assert engaged["total"].max() <= 2000 if len(engaged) else True
    for _, rows in engaged.groupby("replication"):
        latest: dict[str, int] = {}
        for dep, persons in zip(rows["deployment"], rows["persons"], strict=True):
            latest[dep] = persons
            assert sum(latest.values()) <= 2000


@PROPERTY
@given(portfolios())
def test_every_termination_has_a_cause_and_is_followed_by_withdrawal_or_the_horizon(data: dict) -> None:
    result = sim.simulate(data)
    horizon = (END - START).days
    for _, ev in result.events.groupby(["replication", "deployment"], observed=True):
        events = ev["event"].astype(str).tolist()
        for i, event in enumerate(events):
            if event != "termination_decided":
                continue
            assert ev["detail"].iloc[i] in CAUSES
            if ev["state"].iloc[i] == "withdrawing" and "withdrawal_completed" not in events[i:]:
                assert ev["t"].iloc[i] + WITHDRAWAL >= horizon


@PROPERTY
@given(portfolios())
def test_no_task_is_performed_while_interrupted_or_suspended(data: dict) -> None:
    result = sim.simulate(data)
    for (rep, dep), ev in result.events.groupby(["replication", "deployment"], observed=True):
        paused, start = [], None
        for t, state in zip(ev["t"], ev["state"].astype(str), strict=True):
            if state in ("interrupted", "suspended") and start is None:
                start = t
            elif state not in ("interrupted", "suspended") and start is not None:
                paused.append((start, t))
                start = None
        if start is not None:
            paused.append((start, float("inf")))
        rows = result.engaged[(result.engaged["replication"] == rep) & (result.engaged["deployment"] == dep)]
        for t in rows.loc[rows["performing"], "t"]:
            assert not any(a < t < b for a, b in paused), (dep, t, paused)


@PROPERTY
@given(portfolios())
def test_states_follow_only_the_transitions_of_the_design(data: dict) -> None:
    result = sim.simulate(data)
    for _, ev in result.events.groupby(["replication", "deployment"], observed=True):
        states = ev["state"].astype(str).tolist()
        assert states[0] == "requested"
        for before, after in itertools.pairwise(states):
            assert after in ALLOWED[before], (before, after)
