"""The Act over time: each version boundary decided the day before and the day it took effect, the
as-of answers of every rule at each boundary, every quoted source present, and today's citations
still resolving in the XML (issue #16)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

import sim
from sim.law import citations, earlier_texts, versions
from sim.law.pko_act import ContingentKind, OperationType
from sim.scenario import ConfigError

DAY = dt.timedelta(days=1)
SUBTYPED = ("un_pko", "internationally_coordinated")


def _scenario(decided: dt.date, operation: str, contingent: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """One deployment decided on ``decided`` (a request with no lag), on the real Diet calendar."""
    return {
        "name": "boundary",
        "start": (decided - dt.timedelta(days=10)).isoformat(),
        "end": (decided + dt.timedelta(days=400)).isoformat(),
        "replications": 1,
        "procedure": {"request_to_decision": 0, "decision_to_dispatch": 10},
        "diet": {"calendar": {"source": "historical"},
                 "approval_probability": {"representatives": 1, "councillors": 1}},
        "deployments": [
            {"id": "d", "operation": operation, "request": decided.isoformat(), "period": 200,
             "contingents": [contingent], **({"subtype": "a"} if operation in SUBTYPED else {})}
        ],
        **extra,
    }  # fmt: skip


def _refused(scenario: dict[str, Any]) -> str:
    with pytest.raises(ConfigError) as caught:
        sim.load_scenario(scenario)
    return str(caught.value)


def _events(scenario: dict[str, Any]):
    return sim.simulate(sim.load_scenario(scenario), replications=1, seed=1).events


# -- each boundary, the day before and the day it took effect -----------------------------------


def _day_before_and_day_of(boundary: dt.date, operation: str, contingent: dict[str, Any]):
    """The refusal of a plan decided the day before ``boundary``, and the log of the same plan decided on it."""
    return _refused(_scenario(boundary - DAY, operation, contingent)), _events(
        _scenario(boundary, operation, contingent)
    )


def test_1998_election_monitoring_exists_from_act_no_102_of_1998() -> None:
    observers = {"kind": "recruited", "personnel": 10, "tasks": ["h"]}
    message, ev = _day_before_and_day_of(dt.date(1998, 6, 12), "election_monitoring", observers)
    assert "election_monitoring operations do not exist before 1998-06-12 (Act No. 102 of 1998)" in message
    decision = ev[ev.event == "cabinet_decision"].iloc[0]
    assert decision.basis == "Art. 6(1) [1998 text]"  # decided under the 1998 text, and it says so


def test_2001_the_freeze_of_the_pkf_core_lifts_with_act_no_157_of_2001() -> None:
    patrol = {"kind": "sdf_unit", "personnel": 300, "tasks": ["b"]}
    message, ev = _day_before_and_day_of(dt.date(2001, 12, 14), "un_pko", patrol)
    assert "SDF units may not be given task (b) before 2001-12-14 (Act No. 157 of 2001" in message
    assert "(Suppl. Art. 2 [1998 text])" in message
    # lifted: the unit goes, and (b) by an SDF unit needs the Diet's approval (Art. 6(7) of the 2001 text)
    sought = ev[ev.event == "approval_sought"]
    assert not sought.empty and set(sought.basis) == {"Art. 6(7) [2001 text]"}


def test_2016_safety_ensuring_g_exists_from_act_no_76_of_2015() -> None:
    unit = {"kind": "sdf_unit", "personnel": 300, "tasks": ["g"]}
    message, ev = _day_before_and_day_of(dt.date(2016, 3, 29), "un_pko", unit)
    assert "task (g) does not exist before 2016-03-29 (Act No. 76 of 2015) (Art. 3(iii) [2001 text])" in message
    assert "Art. 6(7)" in set(ev.basis) and not ev.basis.str.contains(r"\[").any()  # today's text, untagged


def test_2016_staff_officers_under_art_27_and_ico_exist_only_from_2016() -> None:
    officer = {"kind": "sdf_personnel", "personnel": 1, "tasks": ["t"]}
    before = _scenario(dt.date(2016, 3, 28), "un_pko", {**officer, "tasks": ["u"]})
    before["deployments"][0]["dispatch_under"] = "article_27"
    assert "dispatch under Art. 27 does not exist before 2016-03-29 (Act No. 76 of 2015)" in _refused(before)
    ico = _scenario(dt.date(2016, 3, 28), "internationally_coordinated", officer)
    refused = _refused(ico)
    assert "internationally_coordinated operations do not exist before 2016-03-29" in refused
    assert "1 problem" in refused  # the operation's absence, not every task it would have admitted
    sim.load_scenario(_scenario(dt.date(2016, 3, 29), "internationally_coordinated", officer))


def test_a_counterfactual_judges_every_decision_under_the_text_of_its_date() -> None:
    unit = {"kind": "sdf_unit", "personnel": 300, "tasks": ["g"]}
    # (g) in 2017 under the text of 2015-09-30 (the amendment passed but not yet in force): refused
    message = _refused(_scenario(dt.date(2017, 1, 10), "un_pko", unit, law={"as_of": "2015-09-30"}))
    assert "task (g) does not exist before 2016-03-29 (Act No. 76 of 2015)" in message
    # the 2001 text in 2012: an SDF unit doing (b) is lawful, and the log names the text it cites
    ev = _events(_scenario(dt.date(2012, 5, 1), "un_pko", {**unit, "tasks": ["b"]}, law={"as_of": "2015-09-30"}))
    assert set(ev[ev.event == "cabinet_decision"].basis) == {"Art. 6(1) [2001 text]"}


def test_a_missing_consent_cites_the_item_of_the_text_in_force() -> None:
    medical = {"kind": "sdf_unit", "personnel": 100, "tasks": ["m"]}
    relief = _scenario(dt.date(1995, 3, 1), "humanitarian_relief", medical)
    relief["deployments"][0]["consent"] = {"host": False}
    ev = _events(relief)
    lacking = ev[ev.event == "consent_lacking"]
    assert list(lacking.basis) == ["Art. 6(1)(ii) [1992 text]"]  # today's 6(1)(iii): relief was item (ii) then


def test_a_bad_as_of_names_the_field() -> None:
    unit = {"kind": "sdf_unit", "personnel": 300, "tasks": ["s"]}
    assert "law.as_of" in _refused(_scenario(dt.date(2020, 1, 6), "un_pko", unit, law={"as_of": "yesterday"}))


def test_before_the_act_took_effect_nothing_can_be_decided() -> None:
    unit = {"kind": "sdf_unit", "personnel": 300, "tasks": ["s"]}
    message = _refused(_scenario(dt.date(1992, 8, 9), "un_pko", unit))
    assert "the Act was not in force on 1992-08-09" in message
    refused = _refused(_scenario(dt.date(2020, 1, 6), "un_pko", unit, law={"as_of": "1990-01-01"}))
    assert "law.as_of" in refused
    assert refused.count("law.as_of") == 1, "one message for the scenario, not one per deployment"


def test_the_untac_counterfactual_runs_under_today_s_law_and_is_refused_under_1992_s() -> None:
    scenario = sim.load_scenario("configs/untac_todays_law.yaml")
    ev = sim.simulate(scenario, replications=1, seed=1).events
    sought = ev[ev.event == "approval_sought"]
    assert list(sought.detail) == ["post"] and list(sought.date.astype(str)) == ["1992-10-30"]
    auto = scenario.model_dump(mode="json") | {"law": {"as_of": "auto"}}
    message = _refused(auto)
    assert "SDF units may not be given task (b) before 2001-12-14" in message
    assert "task (g) does not exist before 2016-03-29" in message


# -- the as-of answers at each boundary -----------------------------------------------------------

BOUNDARIES = [v.in_force for v in versions.VERSIONS[1:]]
EXPECTED_CHANGES = {
    dt.date(1998, 6, 12): {"operation_types", "tasks_admitted", "consent_required", "conditions_lost"},
    dt.date(2001, 12, 14): {"pkf_freeze", "prior_approval", "contingent_added"},
    dt.date(2016, 3, 29): {"operation_types", "tasks", "tasks_admitted", "tasks_permitted", "consent_required",
                           "prior_approval", "approval_assignments", "tasks_added", "contingent_added",
                           "conditions_lost", "guidelines", "consent_unstable", "staff_officer_dispatch",
                           "personnel_cap", "terms_of_service"},  # renumbered: Art. 18 -> 19(1), 13 -> 14
}  # fmt: skip


@pytest.mark.parametrize("boundary", BOUNDARIES, ids=str)
def test_what_changed_at_each_boundary(boundary: dt.date) -> None:
    before, after = versions.version_on(boundary - DAY), versions.version_on(boundary)
    assert before is not after and after.in_force == boundary
    changed = {name for name, *_ in versions.diff(before, after)}
    assert changed == EXPECTED_CHANGES[boundary]


def _every_rule_at_every_boundary():
    for day in (versions.BOUNDARIES[0], *(d - DAY for d in BOUNDARIES), *BOUNDARIES):
        for rule in versions.version_on(day).rules:
            yield pytest.param(day, rule, id=f"{day}-{rule.name}")


@pytest.mark.parametrize(("day", "rule"), list(_every_rule_at_every_boundary()))
def test_every_rule_in_force_on_each_boundary_cites_its_own_text(day: dt.date, rule) -> None:
    version = versions.version_on(day)
    for citation in rule.citations:
        assert citations.exists(citation), f"{rule.name}: {citation} is not in {version.title}"
        if rule.source == "Act No. 79 of 1992" or rule.source.startswith("Act No. 79 of 1992 ("):
            assert citation.endswith(f"[{version.tag}]") == (not version.is_current)


@pytest.mark.parametrize("day", [dt.date(1995, 1, 1), dt.date(1999, 1, 1), dt.date(2010, 1, 1), dt.date(2020, 1, 1)])
def test_the_as_of_answers_of_the_model_s_questions(day: dt.date) -> None:
    v = versions.version_on(day)
    pko, relief = OperationType.UN_PKO, OperationType.HUMANITARIAN_RELIEF
    unit, officials = ContingentKind.SDF_UNIT, ContingentKind.OFFICIALS
    frozen = day < dt.date(2001, 12, 14)
    assert bool(v.task_violations(pko, unit, ["b"])) == frozen
    assert bool(v.task_violations(pko, unit, ["g"])) == (day < dt.date(2016, 3, 29))
    assert v.task_violations(pko, officials, ["a"])  # only SDF personnel monitor ceasefires, in every text
    assert v.is_approval_assignment(pko, unit, ["b"]) and not v.is_approval_assignment(relief, unit, ["s"])
    assert v.conditions_item(relief, None) == ("Art. 6(13)(vii)" if v.is_current else f"Art. 6(13)(ii) [{v.tag}]")
    assert (v.unstable_item(pko) is None) == (not v.is_current)
    stable = versions.ActVersion.consents_required(v, pko, "a", ["v"])
    assert ("stable" in {c.value for c in stable}) == v.is_current
    assert v.staff_work_task() == ("t" if v.is_current else "u")


# -- sources and citations --------------------------------------------------------------------------


@pytest.mark.parametrize("provision", earlier_texts.PROVISIONS_LIST, ids=lambda p: p.citation)
def test_every_earlier_provision_is_quoted_with_its_source(provision) -> None:
    assert provision.original.strip() and provision.words.strip() and provision.url.startswith("http")
    assert provision.texts <= set(earlier_texts.TAGS)


@pytest.mark.parametrize("amendment", versions.AMENDMENTS, ids=lambda a: a.act)
def test_every_amending_act_has_its_dates_words_and_sources(amendment) -> None:
    assert amendment.promulgated <= amendment.in_force
    assert amendment.quote.strip() and amendment.changes and all(s.startswith("http") for s in amendment.sources)


def test_every_renumbered_citation_names_a_provision_of_today_and_of_each_earlier_text() -> None:
    for version in versions.VERSIONS[:-1]:
        for today in versions._RENUMBERED:
            if today.startswith(("Art. 3(iv)", "Art. 6(1)(iv)", "Art. 6(13)(viii)")) and version.tag == "1992 text":
                continue  # election monitoring: no such provision before 1998
            assert citations.exists(today), today
            assert citations.exists(version.cite(today)), f"{today} -> {version.cite(today)}"
        for same in versions._SAME:
            assert citations.exists(same) and citations.exists(version.cite(same))


def test_the_current_version_cites_the_xml_unchanged_and_answers_as_the_rulebook() -> None:
    from tests.test_statute import all_citations

    for citation in all_citations():
        assert versions.CURRENT.cite(citation) == citation
    assert versions.CURRENT.rules == tuple(sim.law.RULES)
    assert versions.version_on(dt.date.today()) is versions.CURRENT


def test_a_citation_of_an_earlier_text_it_lacks_is_caught() -> None:
    assert not citations.exists("Art. 3(ii-2) [1992 text]")  # election monitoring came in 1998
    assert not citations.exists("Suppl. Art. 2 [2001 text]")  # the freeze was deleted in 2001
    assert citations.exists("Suppl. Art. 2 [1992 text]")
    with pytest.raises(KeyError, match="no such provision in the 2001 text"):
        citations.text("Art. 27(1) [2001 text]")
    with pytest.raises(ValueError, match="has no counterpart"):
        versions.version_on(dt.date(2001, 1, 1)).cite("Art. 27(1)")


# -- the commands ----------------------------------------------------------------------------------


def test_rules_as_of_diff_and_html(tmp_path) -> None:
    from typer.testing import CliRunner

    from sim.cli import app

    runner = CliRunner()
    old = runner.invoke(app, ["rules", "--as-of", "1995-01-01"])
    assert old.exit_code == 0 and "the 1992 text" in old.output and "pkf_freeze" in old.output
    diff = runner.invoke(app, ["rules", "--diff", "2001-01-01", "2016-04-01"])
    assert diff.exit_code == 0 and "staff_officer_dispatch" in diff.output and "pkf_freeze" in diff.output
    page = tmp_path / "rules.html"
    assert runner.invoke(app, ["rules", "--html", str(page)]).exit_code == 0
    text = page.read_text(encoding="utf-8")
    # each provision's words (from the XML) beside its rule, the events citing it and the tests checking it
    assert "must obtain the approval of the Diet" in text and "approval_sought" in text and "test_approvals.py" in text
    assert "safety-ensuring" in text  # the task letters with their meaning
    bad = runner.invoke(app, ["rules", "--as-of", "1990-01-01"])
    assert bad.exit_code == 1 and "the Act was not in force on 1990-01-01" in bad.output
