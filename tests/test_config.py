"""Bad input gets one clear message naming the field and, where the law is the reason, the article."""

from __future__ import annotations

from pathlib import Path

import pytest

import sim
from sim.scenario import ConfigError
from tests.conftest import deployment, scenario


def problems(data: dict) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        sim.load_scenario(data)
    return [f"{i.path}: {i.reason}" for i in caught.value.issues]


def one_problem(data: dict) -> str:
    found = problems(data)
    assert len(found) == 1, found
    return found[0]


def contingent(kind: str, tasks: list[str], personnel: int = 10) -> dict:
    return {"kind": kind, "personnel": personnel, "tasks": tasks}


def test_an_sdf_unit_may_not_supervise_elections() -> None:
    msg = one_problem(scenario(deployment(contingents=[contingent("sdf_unit", ["h"])])))
    assert msg.startswith("deployments[0].contingents[0].tasks:")
    assert "sdf_unit may not be given task (h)" in msg and "Art. 6(6)" in msg


def test_the_coast_guard_may_not_monitor_ceasefires() -> None:
    msg = one_problem(scenario(deployment(contingents=[contingent("coast_guard", ["a"])])))
    assert "deployments[0].contingents[0].tasks" in msg and "Art. 6(5)" in msg


def test_recruited_corps_members_may_not_monitor_ceasefires() -> None:
    msg = one_problem(scenario(deployment(contingents=[contingent("recruited", ["a"])])))
    assert "recruited may not be given task (a)" in msg and "Art. 12(1)" in msg


def test_humanitarian_relief_admits_no_ceasefire_monitoring() -> None:
    relief = deployment(operation="humanitarian_relief", subtype=None,
                        contingents=[contingent("sdf_unit", ["a"])])  # fmt: skip
    msg = one_problem(scenario(relief))
    assert "not an assignment for humanitarian_relief" in msg and "Art. 3(v)" in msg


def test_unknown_task_letters_are_named() -> None:
    msg = one_problem(scenario(deployment(contingents=[contingent("sdf_unit", ["s", "w"])])))
    assert msg.startswith("deployments[0].contingents[0].tasks:")
    assert "unknown task letter 'w'" in msg and "Art. 3(v)" in msg


def test_an_end_before_the_start_is_refused() -> None:
    msg = one_problem(scenario(deployment(), end="2023-01-01"))
    assert msg.startswith("end:") and "not after start" in msg


def test_a_request_before_the_start_is_refused() -> None:
    msg = one_problem(scenario(deployment(request="2023-12-31")))
    assert msg.startswith("deployments[0].request:") and "before the scenario's start" in msg


def test_negative_personnel_is_refused() -> None:
    msg = one_problem(scenario(deployment(contingents=[contingent("sdf_unit", ["s"], personnel=-5)])))
    assert msg.startswith("deployments[0].contingents[0].personnel:") and "greater than 0" in msg


def test_one_deployment_over_two_thousand_persons_breaks_the_cap() -> None:
    big = deployment(contingents=[contingent("sdf_unit", ["s"], 1500), contingent("sdf_unit", ["m"], 600)])
    msg = one_problem(scenario(big))
    assert msg.startswith("deployments[0].contingents:") and "2,100 persons" in msg and "Art. 19(1)" in msg


def test_a_unit_larger_than_the_scenarios_cap_cannot_wait_for_it() -> None:
    """Art. 19(1): under ``wait`` a unit over cap.limit would wait for ever; under scale_down it goes smaller."""
    msg = one_problem(scenario(deployment(), cap={"limit": 50}))
    assert msg.startswith("deployments[0].contingents: 100 persons exceed cap.limit of 50 persons")
    assert "Art. 19(1)" in msg and "cap.policy wait" in msg and "scale_down" in msg
    assert sim.load_scenario(scenario(deployment(), cap={"limit": 50, "policy": "scale_down"})).cap.limit == 50


def test_an_article_27_officer_does_not_count_toward_the_scenarios_cap() -> None:
    officer = deployment(dispatch_under="article_27", subtype="a", contingents=[contingent("sdf_personnel", ["a"], 5)])
    assert sim.load_scenario(scenario(officer, cap={"limit": 1})).deployments[0].personnel == 5


@pytest.mark.parametrize("extension", [{"until_mission_end": True}, {"max_extensions": 1_000_000}])
@pytest.mark.parametrize("length", [0, {"dist": "fixed", "value": 0}, {"dist": "empirical", "values": [0, 0.4]}])
def test_an_extension_of_zero_days_is_refused(extension: dict, length: object) -> None:
    msg = one_problem(scenario(deployment(extension={**extension, "length": length})))
    assert msg.startswith("deployments[0].extension.length: an extension of 0 days") and "Art. 6(13)" in msg


def test_an_extension_length_that_is_never_used_may_be_zero() -> None:
    assert sim.load_scenario(scenario(deployment(extension={"length": 0}))).deployments[0].extension.length is not None


def test_an_extension_length_that_may_be_zero_is_accepted() -> None:
    """A random length that can round to 0 is lawful; the model then extends by at least a day."""
    data = scenario(deployment(extension={"max_extensions": 2, "length": {"dist": "exponential", "mean": 0.3}}))
    assert sim.load_scenario(data)


@pytest.mark.parametrize("period", [0, {"dist": "fixed", "value": 0.2}, {"dist": "uniform", "low": 0, "high": 0.4}])
def test_a_plan_period_of_zero_days_is_refused(period: object) -> None:
    msg = one_problem(scenario(deployment(period=period)))
    assert msg.startswith("deployments[0].period: a period of 0 days ends the day it is decided")


def test_an_unknown_distribution_is_named_with_the_choices() -> None:
    msg = one_problem(scenario(deployment(period={"dist": "weibull", "shape": 2})))
    assert msg.startswith("deployments[0].period:") and "unknown distribution 'weibull'" in msg
    assert "lognormal" in msg


def test_a_misspelt_field_gets_a_suggestion() -> None:
    cont = {"kind": "sdf_unit", "personel": 10, "tasks": ["s"]}
    found = problems(scenario(deployment(contingents=[cont])))
    assert "deployments[0].contingents[0].personel: unknown field; did you mean 'personnel'?" in "\n".join(found)
    assert "deployments[0].contingents[0].personnel: required field is missing" in found


def test_a_bad_distribution_parameter_names_the_path_without_union_tags() -> None:
    msg = one_problem(scenario(deployment(period={"dist": "lognormal", "median": -3, "sigma": 1})))
    assert msg.startswith("deployments[0].period.median:")


def test_pkos_need_a_subtype_and_relief_has_none() -> None:
    assert "Art. 3(i)" in one_problem(scenario(deployment(subtype=None)))
    relief = deployment(operation="humanitarian_relief", contingents=[contingent("sdf_unit", ["s"])])
    assert "has no sub-types" in one_problem(scenario(relief))


def test_article_27_is_for_sdf_personnel_in_un_pkos() -> None:
    officer = deployment(dispatch_under="article_27", operation="internationally_coordinated",
                         contingents=[contingent("officials", ["t"])])  # fmt: skip
    found = problems(scenario(officer))
    assert any("Art. 27(1)" in f and f.startswith("deployments[0].operation") for f in found)
    assert any("sdf_personnel" in f for f in found)


def test_every_problem_is_reported_at_once() -> None:
    bad = deployment(contingents=[contingent("sdf_unit", ["h"]), contingent("coast_guard", ["a"])])
    assert len(problems(scenario(bad, end="2020-01-01"))) == 3


def test_errors_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("name: x\nstart: [unclosed\n")
    with pytest.raises(ConfigError) as caught:
        sim.load_scenario(path)
    assert str(path) in str(caught.value) and "not valid YAML" in str(caught.value)
    with pytest.raises(ConfigError, match="cannot read file"):
        sim.load_scenario(tmp_path / "missing.yaml")


def test_a_bare_number_is_a_fixed_duration() -> None:
    loaded = sim.load_scenario(scenario(deployment(period=90)))
    assert loaded.deployments[0].period.dist == "fixed"
    assert loaded.deployments[0].period.value == 90


@pytest.mark.parametrize(
    "dist",
    [
        {"dist": "exponential", "mean": 30},
        {"dist": "lognormal", "median": 30, "sigma": 0.5},
        {"dist": "gamma", "shape": 2, "scale": 15},
        {"dist": "uniform", "low": 10, "high": 50},
        {"dist": "triangular", "low": 10, "mode": 20, "high": 50},
        {"dist": "empirical", "values": [10, 20, 40], "weights": [1, 2, 1]},
    ],
)
def test_every_distribution_kind_runs(dist: dict) -> None:
    result = sim.simulate(scenario(deployment(period=dist)), replications=20)
    periods = result.events.loc[result.events["event"] == "cabinet_decision", "detail"]
    assert periods.nunique() > 1


def test_a_historical_calendar_must_cover_the_scenario() -> None:
    msg = one_problem(scenario(deployment(), diet={"calendar": {"source": "historical"}}))
    assert msg.startswith("diet.calendar.source:") and "1989-12-25 to 2026-07-17" in msg


def test_an_unknown_calendar_parameter_gets_a_suggestion() -> None:
    msg = one_problem(scenario(deployment(), diet={"calendar": {"params": {"ordinary_lenght_days": 140}}}))
    assert msg == "diet.calendar.params.ordinary_lenght_days: unknown parameter; did you mean 'ordinary_length_days'?"


def test_an_inconsistent_explicit_calendar_is_refused() -> None:
    bad = {"source": "explicit", "sessions": [{"kind": "ordinary", "convened": "2024-05-01", "closed": "2024-04-01"}]}
    msg = one_problem(scenario(deployment(), diet={"calendar": bad}))
    assert msg.startswith("diet.calendar:") and "closes before it is convened" in msg


def test_a_misspelt_diet_field_is_named() -> None:
    msg = one_problem(scenario(deployment(), diet={"deliberations": {}}))
    assert msg.startswith("diet.deliberations: unknown field; did you mean 'deliberation'?")


def test_a_scripted_event_for_an_unknown_deployment_is_named() -> None:
    event = {"date": "2024-05-01", "deployment": "engg", "event": "conditions_lost"}
    msg = one_problem(scenario(deployment(), scripted=[event]))
    assert msg == "scripted[0].deployment: unknown deployment 'engg' (known: eng)"


def test_a_scripted_event_before_the_start_is_refused() -> None:
    event = {"date": "2023-05-01", "deployment": "eng", "event": "suspended"}
    msg = one_problem(scenario(deployment(), scripted=[event]))
    assert msg.startswith("scripted[0].date: suspended on 2023-05-01 is outside the scenario")


def test_a_scripted_item_that_does_not_apply_to_the_operation_type_is_refused() -> None:
    event = {"date": "2024-05-01", "deployment": "eng", "event": "conditions_lost", "item": "Art. 6(13)(i)"}
    msg = one_problem(scenario(deployment(), scripted=[event]))
    assert msg.startswith("scripted[0].item: conditions_lost: Art. 6(13)(i) does not apply to eng")
    assert "its item is Art. 6(13)(ii)" in msg


def test_a_scripted_ground_the_item_does_not_name_is_refused() -> None:
    event = {"date": "2024-05-01", "deployment": "eng", "event": "conditions_lost", "ground": "impartiality_lost"}
    msg = one_problem(scenario(deployment(), scripted=[event]))
    assert "impartiality_lost is not a ground of Art. 6(13)(ii)" in msg


def test_unstable_consent_needs_safety_or_protection_tasks() -> None:
    event = {"date": "2024-05-01", "deployment": "eng", "event": "consent_unstable"}
    msg = one_problem(scenario(deployment(), scripted=[event]))
    assert msg.startswith("scripted[0].event: consent_unstable: Art. 6(13)(ix)-(xi) concern only")


def test_a_plan_amendment_without_its_new_end_extends_by_the_extension_length() -> None:
    # the record dates the change but not its end: the period (to 2024-09-27) runs 90 days more
    event = {"date": "2024-05-01", "deployment": "eng", "event": "period_extended"}
    data = scenario(deployment(extension={"length": 90}), scripted=[event])
    events = sim.simulate(data).events
    amended = events[events["event"] == "plan_amended"]
    assert [(f"{d:%Y-%m-%d}", x) for d, x in zip(amended["date"], amended["detail"], strict=True)] == [
        ("2024-05-01", "period extended by 90 days")
    ]
    ended = events.loc[events["event"] == "termination_decided", "date"].iloc[0]
    assert f"{ended:%Y-%m-%d}" == "2024-12-26"


def test_a_period_cannot_end_before_the_decision_that_extends_it() -> None:
    event = {"date": "2024-05-01", "deployment": "eng", "event": "period_extended", "until": "2024-04-01"}
    msg = one_problem(scenario(deployment(), scripted=[event]))
    assert msg.startswith("scripted[0].until: the period cannot end on 2024-04-01, on or before the decision")


def test_only_a_plan_amendment_takes_until() -> None:
    event = {"date": "2024-05-01", "deployment": "eng", "event": "suspended", "until": "2024-06-01"}
    msg = one_problem(scenario(deployment(), scripted=[event]))
    assert msg == "scripted[0].until: only period_extended takes until, not suspended"


def test_a_field_a_distribution_does_not_have_is_named_against_that_distributions_fields() -> None:
    found = problems(scenario(deployment(period={"dist": "lognormal", "mean": 30, "sigma": 0.5})))
    assert "deployments[0].period.mean: unknown field; did you mean 'median'? (known: dist, median, sigma)" in found
    assert "deployments[0].period.median: required field is missing" in found
    assert not any("value" in line for line in found), "not the fields of fixed"


def test_a_date_written_another_way_says_dates_are_year_month_day() -> None:
    msg = one_problem(scenario(deployment(request="01/03/2026")))
    assert msg.startswith("deployments[0].request: ")
    assert "dates are YYYY-MM-DD (e.g. 2026-03-01), got '01/03/2026'" in msg
