"""A deployment walks the Act step by step; dates below were worked out by hand.

Shared lags (tests/conftest.py): request to decision 10 days, plan reported the same day
(Art. 7(i) "without delay"), guidelines 2 days later, dispatch 14 days after the decision,
withdrawal 30 days, results report 45 days after the last return.
"""

from __future__ import annotations

import datetime as dt
import itertools

import pandas as pd

import sim
from tests.conftest import deployment, scenario


def timeline(result: sim.SimulationResult, dep: str) -> list[tuple[str, str, str, str]]:
    ev = result.events[result.events["deployment"] == dep]
    return [
        (d.strftime("%Y-%m-%d"), str(e), str(s), str(b))
        for d, e, s, b in zip(ev["date"], ev["event"], ev["state"], ev["basis"], strict=True)
    ]


def test_plan_with_rotations_one_extension_and_termination_at_period_end() -> None:
    eng = deployment(
        period=200,
        extension={"max_extensions": 1, "length": 100},
        contingents=[{"kind": "sdf_unit", "personnel": 100, "tasks": ["s"], "rotation": 120}],
    )
    result = sim.simulate(scenario(eng))
    assert timeline(result, "eng") == [
        ("2024-03-01", "request_received", "requested", ""),
        ("2024-03-11", "cabinet_decision", "decided", "Art. 6(1)"),  # +10
        ("2024-03-11", "plan_reported", "decided", "Art. 7(i)"),  # without delay
        ("2024-03-13", "guidelines_issued", "decided", "Art. 8(1)"),  # +2
        ("2024-03-13", "corps_established", "decided", "Art. 5(8)"),
        ("2024-03-25", "dispatch_started", "deployed", "Art. 9(1)"),  # decision + 14
        ("2024-07-23", "rotation", "deployed", "Art. 14(2)"),  # Mar 25 + 120 (6+30+31+30+23)
        # period 200 days from the decision: Mar 11 + 20 (Mar) +30 +31 +30 +31 +31 + 27 = Sep 27
        ("2024-09-27", "plan_amended", "deployed", "Art. 6(13)"),
        ("2024-09-27", "status_reported", "deployed", "Art. 7(iii)"),
        ("2024-09-27", "plan_reported", "deployed", "Art. 7(i)"),
        ("2024-11-20", "rotation", "deployed", "Art. 14(2)"),  # Jul 23 + 120
        # extended 100 days: Sep 27 + 3 + 31 + 30 + 31 + 5 = 2025-01-05; next rotation Mar 20 is later
        ("2025-01-05", "termination_decided", "withdrawing", "Art. 6(2)(ii)(b)"),
        ("2025-02-04", "withdrawal_completed", "ended", ""),  # + 30
        ("2025-03-21", "results_reported", "ended", "Art. 7(ii)"),  # Feb 4 + 45 = Feb 28 (24) + 21
    ]
    row = result.deployments.iloc[0]
    assert row["termination_cause"] == "period_end"
    assert (row["extensions"], row["rotations"], bool(row["censored"])) == (1, 2, False)
    assert row["days_request_to_decision"] == 10
    assert row["days_decision_to_dispatch"] == 14
    assert row["days_deployed"] == (dt.date(2025, 2, 4) - dt.date(2024, 3, 25)).days


def test_termination_cause_is_in_the_detail_of_termination_decided() -> None:
    result = sim.simulate(scenario(deployment()))
    ev = result.events
    assert ev.loc[ev["event"] == "termination_decided", "detail"].tolist() == ["period_end"]


def test_article_27_staff_officer_has_no_plan_corps_or_results_report() -> None:
    officer = deployment(
        id="hq",
        subtype="a",
        dispatch_under="article_27",
        request="2024-05-01",
        period=365,
        contingents=[{"kind": "sdf_personnel", "personnel": 1, "tasks": ["t"]}],
    )
    result = sim.simulate(scenario(officer))
    assert timeline(result, "hq") == [
        ("2024-05-01", "request_received", "requested", ""),
        ("2024-05-11", "consent_given", "decided", "Art. 27(2)"),  # +10
        ("2024-05-25", "dispatch_started", "deployed", "Art. 27(1)"),  # +14
        # 365 days from the consent: 2024-05-11 + 365 = 2025-05-11 (no Feb 29 in between)
        ("2025-05-11", "termination_decided", "withdrawing", "Art. 27(1)"),
        ("2025-06-10", "withdrawal_completed", "ended", ""),  # +30
    ]


def test_no_cabinet_decision_without_the_consents_of_art_6_1() -> None:
    # Sub-type (a) needs the parties' consent (Art. 6(1)(i)); without it the request goes no further.
    pko = deployment(id="nope", subtype="a", request="2024-06-01", consent={"parties": False})
    result = sim.simulate(scenario(pko))
    assert timeline(result, "nope") == [
        ("2024-06-01", "request_received", "requested", ""),
        ("2024-06-11", "consent_lacking", "abandoned", "Art. 6(1)(i)"),
    ]
    assert result.deployments.iloc[0]["outcome"] == "abandoned"


def test_a_deployment_still_running_at_the_horizon_is_censored() -> None:
    long = deployment(id="long", request="2026-06-01", period=1000)
    result = sim.simulate(scenario(long))
    row = result.deployments.iloc[0]
    assert bool(row["censored"]) and row["outcome"] == "deployed"
    assert pd.isna(row["termination_cause"])
    # dispatched 2026-06-25 (Jun 1 + 10 + 14); horizon 2027-01-01: 5 + 31+31+30+31+30+31 + 1 = 190
    assert row["dispatch_date"] == pd.Timestamp("2026-06-25")
    assert row["days_deployed"] == 190


def test_a_deployment_needing_prior_approval_goes_through_the_diet_before_dispatch() -> None:
    patrol = deployment(id="patrol", contingents=[{"kind": "sdf_unit", "personnel": 300, "tasks": ["b", "s"]}])
    result = sim.simulate(scenario(patrol))
    row = result.deployments.iloc[0]
    assert bool(row["needs_prior_approval"])
    assert row["approval_path"] in {"prior", "post"}
    assert row["approvals_sought"] >= 1


def test_a_dispatch_later_than_the_plan_period_never_happens() -> None:
    short = deployment(id="short", period=7)  # dispatch would come 14 days after decision
    result = sim.simulate(scenario(short))
    assert timeline(result, "short")[-1] == (
        "2024-03-18",
        "termination_decided",
        "abandoned",
        "Art. 6(2)(ii)(b)",
    )
    assert result.deployments.iloc[0]["outcome"] == "abandoned"


def test_states_follow_each_event_in_order() -> None:
    result = sim.simulate("configs/baseline.yaml", replications=5)
    allowed = {
        "requested": {"decided", "abandoned"},
        "decided": {"decided", "deployed", "abandoned", "awaiting_approval"},
        "awaiting_approval": {"awaiting_approval", "decided", "deployed", "abandoned"},
        "deployed": {"deployed", "withdrawing", "interrupted", "suspended"},
        "interrupted": {"interrupted", "deployed", "withdrawing"},
        "suspended": {"suspended", "deployed", "interrupted", "withdrawing"},
        "withdrawing": {"ended"},
        "ended": {"ended"},
    }
    for _, ev in result.events.groupby(["replication", "deployment"], observed=True):
        states = ev["state"].astype(str).tolist()
        assert states[0] == "requested"
        for before, after in itertools.pairwise(states):
            assert after in allowed[before], (before, after)
