"""The rulebook answers as the Act says, article by article."""

from __future__ import annotations

import pytest

from sim import law
from sim.law import ContingentKind as K
from sim.law import OperationType as Op


def letters(spec: str) -> set[str]:
    out: set[str] = set()
    for part in spec.split(","):
        a, _, b = part.partition("-")
        out |= set(law.TASK_LETTERS[law.TASK_LETTERS.index(a) : law.TASK_LETTERS.index(b or a) + 1])
    return out


def test_there_are_twenty_two_tasks_a_to_v() -> None:
    assert len(law.TASKS) == 22
    assert law.TASK_LETTERS[0] == "a" and law.TASK_LETTERS[-1] == "v"


@pytest.mark.parametrize(
    ("kind", "permitted"),
    [
        (K.SDF_UNIT, "a-g,l-t,u,v"),  # Art. 6(6)
        (K.COAST_GUARD, "i,k,m-s,u"),  # Art. 6(5)
        (K.RECRUITED, "d,h-t,u"),  # Art. 12(1)
        (K.OFFICIALS, "d,g-u"),  # Art. 13(1): not (v); not (a)-(c), (e), (f) for non-SDF
        (K.SDF_PERSONNEL, "a-g,i-u"),  # Art. 13(1): not (v); SDF personnel not for (h)
    ],
)
def test_each_kind_may_do_exactly_the_tasks_its_article_lists(kind: K, permitted: str) -> None:
    assert law.TASKS_PERMITTED[kind] == letters(permitted)


@pytest.mark.parametrize(
    ("operation", "admitted"),
    [
        (Op.UN_PKO, "a-v"),
        (Op.INTERNATIONALLY_COORDINATED, "a-v"),
        (Op.HUMANITARIAN_RELIEF, "m-s,u,v"),
        (Op.ELECTION_MONITORING, "h,u"),
    ],
)
def test_each_operation_admits_the_tasks_of_art_3_v(operation: Op, admitted: str) -> None:
    assert law.TASKS_ADMITTED[operation] == letters(admitted)


def test_a_u_task_follows_the_task_its_cabinet_order_likens_it_to() -> None:
    # (u) likened to (h) is barred to SDF units (Art. 6(6)) though plain (u) is not.
    assert law.task_violations(Op.UN_PKO, K.SDF_UNIT, ["u"]) == []
    [v] = law.task_violations(Op.UN_PKO, K.SDF_UNIT, ["u"], u_similar_to="h")
    assert v.citation == "Art. 6(6)"
    # (u) likened to (a) is barred to officials other than SDF personnel (Art. 13(1) proviso).
    assert law.task_violations(Op.UN_PKO, K.OFFICIALS, ["u"], u_similar_to="a")[0].citation == "Art. 13(1)"


def test_violations_name_the_article_that_forbids_the_task() -> None:
    assert law.task_violations(Op.UN_PKO, K.SDF_UNIT, ["h"])[0].citation == "Art. 6(6)"
    assert law.task_violations(Op.UN_PKO, K.COAST_GUARD, ["a"])[0].citation == "Art. 6(5)"
    assert law.task_violations(Op.UN_PKO, K.RECRUITED, ["a"])[0].citation == "Art. 12(1)"
    assert law.task_violations(Op.HUMANITARIAN_RELIEF, K.SDF_UNIT, ["a"])[0].citation == "Art. 3(v)"
    assert law.task_violations(Op.UN_PKO, K.SDF_UNIT, ["w"])[0].reason.startswith("unknown task")


@pytest.mark.parametrize(
    ("operation", "units", "needed"),
    [
        (Op.UN_PKO, [["b"]], True),  # SDF unit, PKO, core task
        (Op.INTERNATIONALLY_COORDINATED, [["g", "s"]], True),
        (Op.UN_PKO, [["s", "m"]], False),  # logistics only: no approval (UNMISS engineers)
        (Op.UN_PKO, [["v"]], False),  # (v) is not among (a)-(g)
        (Op.HUMANITARIAN_RELIEF, [["s"]], False),
        (Op.UN_PKO, [], False),  # no SDF unit at all
    ],
)
def test_prior_approval_needs_sdf_units_pko_or_ico_and_a_core_task(operation, units, needed) -> None:
    assert law.needs_prior_approval(operation, units) is needed


def test_the_art_6_13_item_follows_operation_type_and_subtype() -> None:
    assert law.conditions_item(Op.UN_PKO, "a") == "Art. 6(13)(i)"
    assert law.conditions_item(Op.UN_PKO, "c") == "Art. 6(13)(iii)"
    assert law.conditions_item(Op.INTERNATIONALLY_COORDINATED, "b") == "Art. 6(13)(v)"
    assert law.conditions_item(Op.HUMANITARIAN_RELIEF, None) == "Art. 6(13)(vii)"
    assert law.conditions_item(Op.ELECTION_MONITORING, None) == "Art. 6(13)(viii)"
    assert law.Ground.PARTIES_APPEARED in law.grounds_for(Op.UN_PKO, "b")
    assert law.Ground.PREVENTION_DIFFICULT not in law.grounds_for(Op.UN_PKO, "a")


def test_unstable_consent_removes_only_safety_and_protection_tasks() -> None:
    assert law.tasks_removed_when_consent_unstable(Op.UN_PKO, ["g", "s", "v"]) == {"g", "v"}
    assert law.tasks_removed_when_consent_unstable(Op.UN_PKO, ["u", "s"], "g") == {"u"}
    assert law.tasks_removed_when_consent_unstable(Op.HUMANITARIAN_RELIEF, ["v", "m"]) == {"v"}
    assert law.tasks_removed_when_consent_unstable(Op.ELECTION_MONITORING, ["h"]) == set()


def test_consents_required_before_a_cabinet_decision() -> None:
    assert set(law.consents_required(Op.UN_PKO, "a", ["s"])) == {law.Consent.HOST, law.Consent.PARTIES}
    assert set(law.consents_required(Op.UN_PKO, "b", ["s"])) == {law.Consent.HOST}
    assert set(law.consents_required(Op.UN_PKO, "c", ["s"])) == {
        law.Consent.HOST, law.Consent.NO_CLEAR_OPPOSITION}  # fmt: skip
    assert law.Consent.STABLE in law.consents_required(Op.UN_PKO, "b", ["g"])
    assert law.consents_required(Op.ELECTION_MONITORING, None, ["h"]) == {law.Consent.HOST: "Art. 6(1)(iv)"}


def test_statutory_constants() -> None:
    assert law.PERSONNEL_CAP == 2000  # Art. 19(1)
    assert law.DECISION_TARGET_SITTING_DAYS == 7  # Art. 6(8)
    assert (law.RENEWAL_INTERVAL_YEARS, law.RENEWAL_WINDOW_DAYS) == (2, 30)  # Art. 6(10)


def test_art_27_dispatch_only_for_un_pko_with_the_consents_of_art_3_i_found_stable() -> None:
    C = law.Consent
    everything = dict.fromkeys(C, True)
    assert law.staff_officer_dispatch_allowed(Op.UN_PKO, "b", everything)
    assert not law.staff_officer_dispatch_allowed(Op.UN_PKO, "b", {**everything, C.STABLE: False})
    assert not law.staff_officer_dispatch_allowed(Op.UN_PKO, "b", {**everything, C.HOST: False})
    assert not law.staff_officer_dispatch_allowed(Op.UN_PKO, "a", {**everything, C.PARTIES: False})
    assert law.staff_officer_dispatch_allowed(Op.UN_PKO, "b", {**everything, C.PARTIES: False})
    assert not law.staff_officer_dispatch_allowed(Op.INTERNATIONALLY_COORDINATED, "b", everything)


def test_art_27_2_asks_the_consents_of_art_3_i_a_to_c_and_that_they_are_stable() -> None:
    C = law.Consent
    assert law.staff_officer_consents_required(Op.UN_PKO, "a") == {
        C.HOST: "Art. 27(2)", C.PARTIES: "Art. 27(2)", C.STABLE: "Art. 27(2)"}  # fmt: skip
    assert set(law.staff_officer_consents_required(Op.UN_PKO, "b")) == {C.HOST, C.STABLE}
    # Art. 3(i)(c) asks the host's consent only; "no clear intention of opposition" is Art. 6(1)(i)'s
    # condition on a Cabinet decision, which Art. 27(2) does not refer to.
    assert set(law.staff_officer_consents_required(Op.UN_PKO, "c")) == {C.HOST, C.STABLE}
    # the same Art. 3 consents as a Cabinet decision asks (Art. 6(1)), before its own additions
    for subtype in law.SUBTYPES:
        plan = set(law.consents_required(Op.UN_PKO, subtype, ["g"])) - {C.NO_CLEAR_OPPOSITION}
        assert plan == set(law.staff_officer_consents_required(Op.UN_PKO, subtype))
