"""Art. 27: a staff officer to UN headquarters, with the Prime Minister's consent (27(1)-(2)) and the
officer's own (27(3)).  Dates by hand.

The officer is requested 2024-05-01; the shared lags (tests/conftest.py) put the decision on the
Prime Minister's consent ten days later, 2024-05-11, and the dispatch 14 days after it, 2024-05-25.
Art. 27(2): "The Prime Minister is to give the consent ... only when it is found that the consent
prescribed in Article 3, item (i), sub-items (a) through (c) ... will be stably maintained
throughout the duration of the dispatch, and, that there is no prospect of circumstances that
require interruption of the dispatch arising."  Art. 27(3): "the Minister must obtain a consent
from the uniformed Self-Defense Forces personnel."
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest

import sim
from sim.model.portfolio import is_deterministic
from tests.conftest import deployment, scenario
from tests.test_alliance import one_problem

REQUESTED = ("2024-05-01", "request_received", "requested", "", "")


def officer(**fields: Any) -> dict[str, Any]:
    """One SDF officer to the headquarters of a UN PKO of sub-type (b), for 365 days."""
    spec = {"id": "hq", "dispatch_under": "article_27", "request": "2024-05-01", "period": 365,
            "contingents": [{"kind": "sdf_personnel", "personnel": 1, "tasks": ["t"]}]}  # fmt: skip
    return deployment(**{**spec, **fields})


def steps(data: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    ev = sim.simulate(data).events
    columns = zip(ev["date"], ev["event"], ev["state"], ev["basis"], ev["detail"], strict=True)
    return [(f"{d:%Y-%m-%d}", str(e), str(s), str(b), str(x)) for d, e, s, b, x in columns]


DISPATCHED = [
    REQUESTED,
    ("2024-05-11", "consent_given", "decided", "Art. 27(2)", ""),  # +10
    ("2024-05-25", "dispatch_started", "deployed", "Art. 27(1)", ""),  # +14
    ("2025-05-11", "termination_decided", "withdrawing", "Art. 27(1)", "period_end"),  # 05-11 + 365
    ("2025-06-10", "withdrawal_completed", "ended", "", ""),  # +30
]


# -- Art. 27(2): the Prime Minister's consent ---------------------------------------------------


@pytest.mark.parametrize(
    ("subtype", "consent", "missing"),
    [
        ("b", {"host": False}, "host (Art. 27(2))"),
        ("a", {"parties": False}, "parties (Art. 27(2))"),  # sub-type (a): the parties consent too
        ("b", {"stable": False}, "stable (Art. 27(2))"),  # not found stably maintained
        ("a", {"host": False, "stable": False}, "host (Art. 27(2)), stable (Art. 27(2))"),
    ],
)
def test_without_the_consents_of_art_3_i_found_stable_the_prime_minister_does_not_consent(
    subtype: str, consent: dict[str, bool], missing: str
) -> None:
    assert steps(scenario(officer(subtype=subtype, consent=consent))) == [
        REQUESTED,
        ("2024-05-11", "consent_lacking", "abandoned", "Art. 27(2)", missing),  # the decision day
    ]


def test_the_consents_asked_follow_the_sub_type() -> None:
    # (b) has no parties left to consent (Art. 3(i)(b)); (c) asks the host's consent only
    # (Art. 3(i)(c)): "no clear intention of opposition" is Art. 6(1)(i)'s, for a Cabinet decision.
    assert steps(scenario(officer(subtype="b", consent={"parties": False}))) == DISPATCHED
    assert steps(scenario(officer(subtype="c", consent={"no_clear_opposition": False}))) == DISPATCHED


def test_an_abandoned_officer_has_no_decision_dispatch_or_cause() -> None:
    row = sim.simulate(scenario(officer(consent={"host": False}))).deployments.iloc[0]
    assert row["outcome"] == "abandoned" and pd.isna(row["dispatch_date"]) and pd.isna(row["termination_cause"])


# -- Art. 27(3): the officer's own consent ------------------------------------------------------


def test_an_officer_who_does_not_consent_is_not_dispatched() -> None:
    assert steps(scenario(officer(consent={"officer": 0}))) == [
        REQUESTED,
        ("2024-05-11", "consent_lacking", "abandoned", "Art. 27(3)", "officer (Art. 27(3))"),
    ]
    row = sim.simulate(scenario(officer(consent={"officer": 0}))).deployments.iloc[0]
    assert row["outcome"] == "abandoned" and pd.isna(row["decision_date"])


def test_an_officer_certain_to_consent_is_dispatched_on_the_hand_worked_dates() -> None:
    assert steps(scenario(officer(consent={"officer": 1}))) == DISPATCHED
    assert steps(scenario(officer())) == DISPATCHED


def test_a_certain_consent_draws_nothing_so_the_other_draws_are_unchanged() -> None:
    drawn = {"dist": "uniform", "low": 100, "high": 400}
    given = sim.simulate(scenario(officer(period=drawn, consent={"officer": 1.0}), replications=20))
    omitted = sim.simulate(scenario(officer(period=drawn), replications=20))
    pd.testing.assert_frame_equal(given.events, omitted.events)
    pd.testing.assert_frame_equal(given.deployments, omitted.deployments)


def test_an_uncertain_consent_is_drawn_from_the_deployment_s_stream() -> None:
    result = sim.simulate(scenario(officer(consent={"officer": 0.5}), replications=200))
    refused = (result.events["event"] == "consent_lacking").sum()
    assert 70 < refused < 130  # binomial(200, 0.5): far outside these bounds only by a miracle
    assert (result.deployments["outcome"] == "abandoned").sum() == refused
    assert not is_deterministic(sim.load_scenario(scenario(officer(consent={"officer": 0.5}))))
    assert is_deterministic(sim.load_scenario(scenario(officer(consent={"officer": 0}))))


# -- configuration -----------------------------------------------------------------------------


def test_the_officer_s_consent_belongs_to_article_27_only() -> None:
    assert one_problem(scenario(deployment(consent={"officer": 0.9}))) == (
        "deployments[0].consent.officer: the officer's own consent is asked only of SDF personnel "
        "dispatched to UN headquarters under Art. 27 (Art. 27(3)); an implementation plan asks no such "
        "consent (remove it, or set dispatch_under: article_27)"
    )
    assert one_problem(scenario(deployment(consent={"officer": 1})))  # even a certain one


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (1.5, "less than or equal to 1"),
        (-0.1, "greater than or equal to 0"),
        (float("nan"), "finite number"),
        (float("inf"), "finite number"),
    ],
)
def test_the_officer_s_consent_is_a_probability(value: float, reason: str) -> None:
    problem = one_problem(scenario(officer(consent={"officer": value})))
    assert problem.startswith("deployments[0].consent.officer:") and reason in problem
