"""The Act's rulebook: what Act No. 79 of 1992 requires, as pure functions and constants.

Nothing here knows about SimPy, pandas or the scenario files.  The model asks questions
("does this deployment need prior approval?", "which Art. 6(13) item applies?") and the answer
comes from here, with its citation, so that every number the simulator produces can be traced
to an article.  Every rule is registered in :data:`RULES` with the provisions it rests on; a
test resolves each citation against the statute XML shipped in ``sim/data``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from sim.law.citations import join
from sim.law.external import ExternalCite
from sim.law.periods import years_after
from sim.law.rules import RULES, Rule, register

__all__ = [
    "CONSENT_ITEM",
    "CORE_TASKS",
    "DECISION_TARGET_SITTING_DAYS",
    "KIND_CITATION",
    "KIND_MEANING",
    "LIKENABLE_TASKS",
    "MAIN_MISSIONS_KINDS",
    "OPERATIONS_WITH_SUBTYPES",
    "OPERATION_CITATION",
    "PERSONNEL_CAP",
    "PRIOR_APPROVAL",
    "PROTECTION_TASK",
    "RENEWAL_INTERVAL_YEARS",
    "RENEWAL_WINDOW_DAYS",
    "ROTATION_BASIS",
    "RULES",
    "SAFETY_TASKS",
    "STAFF_OFFICER_KINDS",
    "STAFF_OFFICER_OPERATIONS",
    "SUBTYPES",
    "TASKS",
    "TASKS_ADMITTED",
    "TASKS_PERMITTED",
    "TASK_LETTERS",
    "UNSTABLE_CONSENT_ITEM",
    "Cite",
    "Consent",
    "ContingentKind",
    "Ground",
    "OperationType",
    "RequestKind",
    "Rule",
    "TaskViolation",
    "conditions_item",
    "consents_required",
    "decision_target_applies",
    "decision_target_met",
    "effective_task",
    "grounds_for",
    "is_approval_assignment",
    "needs_prior_approval",
    "needs_stable_consent",
    "operation_consents",
    "persons_owed_to_main_missions",
    "proviso_applies",
    "renewal_basis",
    "renewal_due_day",
    "staff_officer_consents_required",
    "staff_officer_dispatch_allowed",
    "subtype_citation",
    "task_citation",
    "task_violations",
    "tasks_removed_when_consent_unstable",
]


def _rule(name: str, statement: str, *citations: str) -> Rule:
    return register(name, statement, *citations)


# --- Art. 3: what is being deployed ------------------------------------------------------


class OperationType(StrEnum):
    """The four kinds of operation the Act serves, Art. 3(i)-(iv)."""

    UN_PKO = "un_pko"
    INTERNATIONALLY_COORDINATED = "internationally_coordinated"
    HUMANITARIAN_RELIEF = "humanitarian_relief"
    ELECTION_MONITORING = "election_monitoring"


OPERATION_CITATION: Mapping[OperationType, str] = {
    OperationType.UN_PKO: "Art. 3(i)",
    OperationType.INTERNATIONALLY_COORDINATED: "Art. 3(ii)",
    OperationType.HUMANITARIAN_RELIEF: "Art. 3(iii)",
    OperationType.ELECTION_MONITORING: "Art. 3(iv)",
}

OPERATIONS_WITH_SUBTYPES = frozenset({OperationType.UN_PKO, OperationType.INTERNATIONALLY_COORDINATED})
SUBTYPES: Mapping[str, str] = {
    "a": "ceasefire agreed between the parties, who consent; conducted impartially",
    "b": "armed conflict over and no parties to it left in the area; host consents",
    "c": "preventive: no armed conflict yet; host consents; conducted impartially",
}
_rule(
    "operation_types",
    "Four operation types; UN PKO and internationally coordinated operations each come in "
    "sub-types (a) ceasefire, (b) conflict over, (c) preventive.",
    "Art. 3(i)", "Art. 3(ii)", "Art. 3(iii)", "Art. 3(iv)",
    "Art. 3(i)(a)", "Art. 3(i)(b)", "Art. 3(i)(c)",
    "Art. 3(ii)(a)", "Art. 3(ii)(b)", "Art. 3(ii)(c)",
)  # fmt: skip


def subtype_citation(operation: OperationType, subtype: str) -> str:
    """The definition of a PKO or ICO sub-type, e.g. ``Art. 3(i)(b)``."""
    return f"{OPERATION_CITATION[operation]}({subtype})"


TASKS: Mapping[str, str] = {
    "a": "monitoring ceasefire compliance, redeployment, withdrawal or disarmament",
    "b": "stationing and patrolling in buffer zones",
    "c": "inspecting weapons carried in or out",
    "d": "collecting, storing or disposing of abandoned weapons",
    "e": "assisting in establishing ceasefire lines",
    "f": "assisting in exchanging prisoners of war",
    "g": "safety-ensuring operations: protecting residents, patrols, checkpoints, escorts",
    "h": "supervising and administering elections or voting",
    "i": "advice, guidance or monitoring of police administration",
    "j": "advice, guidance or monitoring of correctional administration",
    "k": "advice or guidance on legislation, administration or judicature",
    "l": "assisting in building defence and similar organisations",
    "m": "medical care, including epidemic prevention",
    "n": "searching for, rescuing and repatriating affected people",
    "o": "distributing food, clothing, medicine and daily necessities",
    "p": "installing facilities to house affected people",
    "q": "repairing facilities damaged by conflict needed for daily life",
    "r": "restoring the natural environment damaged by conflict",
    "s": "transport, storage, communications, construction, machinery",
    "t": "staff work in the headquarters of a PKO or ICO",
    "u": "operations a Cabinet Order declares similar to (a)-(t)",
    "v": "protecting persons engaged in operations ('rush to rescue')",
}
TASK_LETTERS = tuple(TASKS)
_rule(
    "tasks",
    "22 lettered assignments, (a)-(v).",
    *(f"Art. 3(v)({letter})" for letter in TASK_LETTERS),
)


def task_citation(letter: str) -> str:
    """The definition of a task, e.g. ``Art. 3(v)(g)``."""
    return f"Art. 3(v)({letter})"


def _letters(first: str, last: str) -> frozenset[str]:
    return frozenset(TASK_LETTERS[TASK_LETTERS.index(first) : TASK_LETTERS.index(last) + 1])


CORE_TASKS = _letters("a", "g")
LIKENABLE_TASKS = _letters("a", "t")
"""Art. 3(v)(u): a Cabinet Order may declare operations "similar to" those of (a)-(t)."""
SAFETY_TASKS = frozenset({"g"})
PROTECTION_TASK = "v"

TASKS_ADMITTED: Mapping[OperationType, frozenset[str]] = {
    OperationType.UN_PKO: frozenset(TASK_LETTERS),
    OperationType.INTERNATIONALLY_COORDINATED: frozenset(TASK_LETTERS),
    OperationType.HUMANITARIAN_RELIEF: _letters("m", "s") | {"u", "v"},
    OperationType.ELECTION_MONITORING: frozenset({"h", "u"}),
}
_rule(
    "tasks_admitted",
    "PKO and ICO admit every task; humanitarian relief (m)-(s), (u), (v); election monitoring (h), (u).",
    "Art. 3(v)",
)


def effective_task(letter: str, u_similar_to: str | None) -> str:
    """The task a letter counts as: (u) counts as the task its Cabinet Order likens it to.

    Several rules name "(u) as operations similar to" a task (Art. 6(6), 6(7), 6(13)(ix),
    8(1)(vii), 12(1), 13(1)); a (u) task with no declared likeness counts only as itself.
    """
    return u_similar_to if letter == "u" and u_similar_to else letter


# --- who may do what ---------------------------------------------------------------------


class ContingentKind(StrEnum):
    """Who carries out the tasks, each with its own legal basis."""

    SDF_UNIT = "sdf_unit"
    COAST_GUARD = "coast_guard"
    RECRUITED = "recruited"
    OFFICIALS = "officials"
    SDF_PERSONNEL = "sdf_personnel"


KIND_CITATION: Mapping[ContingentKind, str] = {
    ContingentKind.SDF_UNIT: "Art. 6(6)",
    ContingentKind.COAST_GUARD: "Art. 6(5)",
    ContingentKind.RECRUITED: "Art. 12(1)",
    ContingentKind.OFFICIALS: "Art. 13(1)",
    ContingentKind.SDF_PERSONNEL: "Art. 13(1)",
}
KIND_MEANING: Mapping[ContingentKind, str] = {
    ContingentKind.SDF_UNIT: "Self-Defense Forces units, etc.",
    ContingentKind.COAST_GUARD: "Japan Coast Guard vessels or aircraft and their crews",
    ContingentKind.RECRUITED: "Corps members recruited from volunteers for a term",
    ContingentKind.OFFICIALS: "employees of administrative organs other than SDF personnel",
    ContingentKind.SDF_PERSONNEL: "individual SDF personnel dispatched to the Corps",
}
TASKS_PERMITTED: Mapping[ContingentKind, frozenset[str]] = {
    ContingentKind.SDF_UNIT: _letters("a", "g") | _letters("l", "t") | {"u", "v"},
    ContingentKind.COAST_GUARD: frozenset({"i", "k"}) | _letters("m", "s") | {"u"},
    ContingentKind.RECRUITED: frozenset({"d"}) | _letters("h", "t") | {"u"},
    ContingentKind.OFFICIALS: frozenset(TASK_LETTERS) - {"v", "a", "b", "c", "e", "f"},
    ContingentKind.SDF_PERSONNEL: frozenset(TASK_LETTERS) - {"v", "h"},
}
_rule(
    "tasks_permitted",
    "SDF units: (a)-(g), (l)-(t), (u), (v). Coast Guard: (i), (k), (m)-(s), (u). Recruited "
    "Corps members: (d), (h)-(t), (u). Officials dispatched to the Corps: not (v); only SDF "
    "personnel for (a)-(c), (e), (f); SDF personnel not for (h). A (u) task follows the task "
    "it is likened to.",
    "Art. 6(6)", "Art. 6(5)", "Art. 12(1)", "Art. 13(1)",
)  # fmt: skip


@dataclass(frozen=True)
class TaskViolation:
    """A task a contingent may not be given, with the provision that forbids it."""

    task: str
    reason: str
    citation: str


def task_violations(
    operation: OperationType,
    kind: ContingentKind,
    tasks: Iterable[str],
    u_similar_to: str | None = None,
) -> list[TaskViolation]:
    """Every task in ``tasks`` that the operation does not admit or the kind may not do."""
    found: list[TaskViolation] = []
    for letter in tasks:
        if letter not in TASKS:
            found.append(TaskViolation(letter, f"unknown task letter {letter!r}; tasks are (a) to (v)", "Art. 3(v)"))
            continue
        if letter not in TASKS_ADMITTED[operation]:
            found.append(
                TaskViolation(
                    letter,
                    f"task ({letter}) is not an assignment for {operation.value} operations",
                    "Art. 3(v)",
                )
            )
            continue
        counted = effective_task(letter, u_similar_to)
        if letter not in TASKS_PERMITTED[kind] or counted not in TASKS_PERMITTED[kind]:
            shown = f"({letter})" if counted == letter else f"(u) likened to ({counted})"
            found.append(
                TaskViolation(
                    letter,
                    f"{kind.value} may not be given task {shown}",
                    KIND_CITATION[kind],
                )
            )
    return found


# --- consent before the Cabinet decision, Art. 6(1) --------------------------------------


class Consent(StrEnum):
    """The consents and findings Art. 6(1) requires before a Cabinet decision."""

    HOST = "host"
    PARTIES = "parties"
    NO_CLEAR_OPPOSITION = "no_clear_opposition"
    STABLE = "stable"


CONSENT_ITEM: Mapping[OperationType, str] = {
    OperationType.UN_PKO: "Art. 6(1)(i)",
    OperationType.INTERNATIONALLY_COORDINATED: "Art. 6(1)(ii)",
    OperationType.HUMANITARIAN_RELIEF: "Art. 6(1)(iii)",
    OperationType.ELECTION_MONITORING: "Art. 6(1)(iv)",
}
_rule(
    "consent_required",
    "Host-state consent always; for PKO/ICO sub-type (a) also the parties to the conflict; "
    "for sub-type (c) no one clearly opposing. Where the tasks include (g), (u) likened to "
    "(g), or (v), the consent must be found stable for the whole period (chapeau).",
    "Art. 6(1)", "Art. 6(1)(i)", "Art. 6(1)(ii)", "Art. 6(1)(iii)", "Art. 6(1)(iv)",
)  # fmt: skip


def needs_stable_consent(tasks: Iterable[str]) -> bool:
    """True if the effective tasks include (g) or (v): Art. 6(1) chapeau, 6(13)(ix)-(xi)."""
    return any(t in SAFETY_TASKS or t == PROTECTION_TASK for t in tasks)


def operation_consents(operation: OperationType, subtype: str | None) -> list[Consent]:
    """The consents that define the operation: the host always; for a PKO or ICO of sub-type (a)
    also the parties to the armed conflict (Art. 3(i)(a)-(c), 3(ii)(a)-(c), 3(iii), 3(iv))."""
    needed = [Consent.HOST]
    if operation in OPERATIONS_WITH_SUBTYPES and subtype == "a":
        needed.append(Consent.PARTIES)
    return needed


def consents_required(
    operation: OperationType, subtype: str | None, effective_tasks: Iterable[str]
) -> dict[Consent, str]:
    """The consents a Cabinet decision needs, each with its citation (Art. 6(1)).

    Those of the operation (:func:`operation_consents`); for sub-type (c) also that no one
    clearly opposes (Art. 6(1)(i), (ii)); and for (g), (u) likened to (g), or (v), that they are
    found stable (chapeau).
    """
    item = CONSENT_ITEM[operation]
    needed = dict.fromkeys(operation_consents(operation, subtype), item)
    if operation in OPERATIONS_WITH_SUBTYPES and subtype == "c":
        needed[Consent.NO_CLEAR_OPPOSITION] = item
    if needs_stable_consent(effective_tasks):
        needed[Consent.STABLE] = "Art. 6(1)"
    return needed


# --- Art. 6(7): Diet prior approval ------------------------------------------------------

PRIOR_APPROVAL = _rule(
    "prior_approval",
    "Diet approval before dispatch when an SDF unit does a core task (a)-(g), or (u) likened "
    "to one, in a UN PKO or an internationally coordinated operation. If the Diet is not in "
    "session or the House of Representatives is dissolved, dispatch first and seek approval "
    "without delay at the first session after it.",
    "Art. 6(7)",
)


def needs_prior_approval(operation: OperationType, units_effective_tasks: Iterable[Iterable[str]]) -> bool:
    """Art. 6(7): SDF units, PKO or ICO, and a core task (a)-(g) or (u) likened to one.

    ``units_effective_tasks`` holds, for each SDF-unit contingent, its tasks after
    :func:`effective_task`; other kinds never trigger the requirement.
    """
    if operation not in OPERATIONS_WITH_SUBTYPES:
        return False
    return any(any(t in CORE_TASKS for t in tasks) for tasks in units_effective_tasks)


def is_approval_assignment(operation: OperationType, kind: ContingentKind, effective_tasks: Iterable[str]) -> bool:
    """Art. 6(7): does this contingent carry "assignments ... referred to in paragraph (7)"?

    Those are assignments of SDF units, in a UN PKO or an internationally coordinated operation,
    under (a)-(g) or (u) likened to them.  The Diet's approval gates the dispatch of exactly these
    contingents, and a disapproval (Art. 6(9), 6(11)) ends exactly these; the plan's other
    contingents go and stay on their own terms.
    """
    return kind is ContingentKind.SDF_UNIT and needs_prior_approval(operation, [effective_tasks])


_rule(
    "approval_assignments",
    "What the Diet approves and ends is the contingents doing the assignments of Art. 6(7): SDF "
    "units doing (a)-(g) or (u) likened to them. Their dispatch waits for approval; a prior "
    "denial keeps only them home; a disapproval after the fact or of a continuation ends only "
    "them, by a plan change (Art. 6(13)); the plan ends only if nothing is left.",
    "Art. 6(7)", "Art. 6(9)", "Art. 6(11)", "Art. 6(13)",
)  # fmt: skip
_rule(
    "proviso_on_commencement",
    "The proviso of Art. 6(7) is judged when the dispatch would commence: if the Diet sits (or "
    "convenes) between the guidelines and the planned dispatch, approval is sought under the main "
    "clause on its first sitting day and the dispatch waits; otherwise the dispatch commences and "
    "approval is sought without delay at the first session after it.",
    "Art. 6(7)",
)
_rule(
    "tasks_added",
    "A plan change that gives an SDF unit (a)-(g), or (u) likened to them, needs the Diet's "
    "approval before those tasks start (main clause while the Diet sits, the proviso otherwise); "
    "adding other tasks, such as (v), needs none.",
    "Art. 6(7)", "Art. 6(13)",
)  # fmt: skip
_rule(
    "contingent_added",
    "A plan change may add a contingent (Art. 6(13), reported under Art. 7(i)); an SDF unit added to "
    "carry out (a)-(g), or (u) likened to them, is dispatched only with the Diet's approval, as the "
    "plan's own would be (main clause while the Diet sits, the proviso otherwise); any contingent "
    "added goes under the cap on persons engaged at once.",
    "Art. 6(7)", "Art. 6(13)", "Art. 7(i)", "Art. 19(1)",
)  # fmt: skip

DECISION_TARGET_SITTING_DAYS = 7
_rule(
    "decision_target",
    "Each House must endeavour to decide within 7 days, excluding recess, of approval being "
    "sought (first House) or of receiving the bill (second House); main-clause case only.",
    "Art. 6(8)",
)
_rule(
    "disapproval_after_dispatch",
    "Disapproval of an approval sought after dispatch (proviso): terminate without delay.",
    "Art. 6(9)",
)
RENEWAL_INTERVAL_YEARS = 2
RENEWAL_WINDOW_DAYS = 30


class RequestKind(StrEnum):
    """The three ways the Prime Minister puts a matter to the Diet (the ``approval_sought`` detail)."""

    PRIOR = "prior"
    """Art. 6(7) main clause: before dispatch (or before tasks a plan change adds), the Diet sitting."""
    POST = "post"
    """Art. 6(7) proviso: after dispatch, at the first session after it."""
    RENEWAL = "renewal"
    """Art. 6(10), 6(12): to continue after each two years."""


def decision_target_applies(kind: RequestKind) -> bool:
    """Art. 6(8) sets the seven-day targets only for approval sought under the main clause."""
    return kind is RequestKind.PRIOR


def decision_target_met(sitting_days: int) -> bool:
    """Art. 6(8): a House "must endeavor" to decide within seven days, excluding recess."""
    return sitting_days <= DECISION_TARGET_SITTING_DAYS


def renewal_due_day(approved: dt.date, term: int) -> dt.date:
    """The two-year day of continuation ``term`` (1, 2, ...), counted from the first approval.

    Art. 6(10): "after two years have passed from the date approval ... was obtained"; 6(12):
    again for every further two years.  The corresponding calendar day (:func:`years_after`).
    """
    return years_after(approved, RENEWAL_INTERVAL_YEARS * term)


_rule(
    "renewal",
    "To continue beyond two years from approval, approval is sought on a sitting day in the 30 "
    "days up to that day (or at the first session after, if the Diet sits on none of them or the "
    "House of Representatives is dissolved); owed only while Art. 6(7) assignments remain and the "
    "plan runs past that day; disapproval ends those assignments; again every two years (6(12)).",
    "Art. 6(10)", "Art. 6(11)", "Art. 6(12)",
)  # fmt: skip


# --- Art. 6(13): loss of the conditions and of stable consent ----------------------------


class Ground(StrEnum):
    """Grounds on which the conditions of an operation are lost, Art. 6(13)(i)-(viii)."""

    CONSENT_LOST = "consent_lost"
    IMPARTIALITY_LOST = "impartiality_lost"
    PARTIES_APPEARED = "parties_appeared"
    PREVENTION_DIFFICULT = "prevention_difficult"


_ITEMS_BY_SUBTYPE: Mapping[tuple[OperationType, str | None], tuple[str, frozenset[Ground]]] = {
    (OperationType.UN_PKO, "a"): (
        "Art. 6(13)(i)", frozenset({Ground.CONSENT_LOST, Ground.IMPARTIALITY_LOST})),
    (OperationType.UN_PKO, "b"): (
        "Art. 6(13)(ii)", frozenset({Ground.CONSENT_LOST, Ground.PARTIES_APPEARED})),
    (OperationType.UN_PKO, "c"): (
        "Art. 6(13)(iii)",
        frozenset({Ground.CONSENT_LOST, Ground.IMPARTIALITY_LOST, Ground.PREVENTION_DIFFICULT})),
    (OperationType.INTERNATIONALLY_COORDINATED, "a"): (
        "Art. 6(13)(iv)", frozenset({Ground.CONSENT_LOST, Ground.IMPARTIALITY_LOST})),
    (OperationType.INTERNATIONALLY_COORDINATED, "b"): (
        "Art. 6(13)(v)", frozenset({Ground.CONSENT_LOST, Ground.PARTIES_APPEARED})),
    (OperationType.INTERNATIONALLY_COORDINATED, "c"): (
        "Art. 6(13)(vi)",
        frozenset({Ground.CONSENT_LOST, Ground.IMPARTIALITY_LOST, Ground.PREVENTION_DIFFICULT})),
    (OperationType.HUMANITARIAN_RELIEF, None): (
        "Art. 6(13)(vii)", frozenset({Ground.CONSENT_LOST})),
    (OperationType.ELECTION_MONITORING, None): (
        "Art. 6(13)(viii)", frozenset({Ground.CONSENT_LOST})),
}  # fmt: skip
_rule(
    "conditions_lost",
    "The item of Art. 6(13)(i)-(viii) that applies depends on operation type and sub-type; "
    "each names its grounds. The guidelines' interruption applies at once (Art. 8(1)(vi)) and "
    "the plan is changed to end the dispatch.",
    *(item for item, _ in _ITEMS_BY_SUBTYPE.values()),
    "Art. 8(1)(vi)",
)


def conditions_item(operation: OperationType, subtype: str | None) -> str:
    """The Art. 6(13) item (i)-(viii) for a deployment's operation type and sub-type."""
    key = (operation, subtype if operation in OPERATIONS_WITH_SUBTYPES else None)
    return _ITEMS_BY_SUBTYPE[key][0]


def grounds_for(operation: OperationType, subtype: str | None) -> frozenset[Ground]:
    """The grounds on which this deployment's conditions can be lost under its item."""
    key = (operation, subtype if operation in OPERATIONS_WITH_SUBTYPES else None)
    return _ITEMS_BY_SUBTYPE[key][1]


UNSTABLE_CONSENT_ITEM: Mapping[OperationType, str] = {
    OperationType.UN_PKO: "Art. 6(13)(ix)",
    OperationType.INTERNATIONALLY_COORDINATED: "Art. 6(13)(x)",
    OperationType.HUMANITARIAN_RELIEF: "Art. 6(13)(xi)",
}
_rule(
    "consent_unstable",
    "When consent is no longer found stable, only (g), (u) likened to (g), and (v) are "
    "interrupted (Art. 8(1)(vii)) and then removed from the plan; humanitarian relief: (v).",
    *UNSTABLE_CONSENT_ITEM.values(),
    "Art. 8(1)(vii)",
)


def tasks_removed_when_consent_unstable(
    operation: OperationType, tasks: Iterable[str], u_similar_to: str | None = None
) -> frozenset[str]:
    """The letters Art. 6(13)(ix)-(xi) removes from the plan for this contingent."""
    if operation not in UNSTABLE_CONSENT_ITEM:
        return frozenset()
    removable = {PROTECTION_TASK}
    if operation in OPERATIONS_WITH_SUBTYPES:
        removable |= SAFETY_TASKS
    return frozenset(t for t in tasks if effective_task(t, u_similar_to) in removable)


# --- the implementation, reports and the cap ---------------------------------------------

_rule("cabinet_decision", "Cabinet decision on implementation and the plan.", "Art. 6(1)")
_rule(
    "plan_contents",
    "The plan fixes tasks, receiving country, period, size and SDF units.",
    "Art. 6(2)(ii)",
)
_rule(
    "reports_to_diet",
    "Reported to the Diet without delay: a plan or its change; the results when assignments "
    "end; the implementation status when the period changes.",
    "Art. 7(i)", "Art. 7(ii)", "Art. 7(iii)",
)  # fmt: skip
_rule(
    "guidelines",
    "The Chief prepares implementation guidelines, including interruption and suspension.",
    "Art. 8(1)", "Art. 8(1)(viii)",
)  # fmt: skip
_rule("corps", "A Corps is established for each implementation, for a period.", "Art. 5(8)")
_rule("implementation", "The Corps implements the plan and guidelines.", "Art. 9(1)")
_rule(
    "plan_amendment",
    "The plan is changed by Cabinet decision, including to end a dispatch.",
    "Art. 6(13)",
)
_rule(
    "terms_of_service",
    "Personnel serve for a specified period, so contingents rotate.",
    "Art. 12(1)", "Art. 13(2)", "Art. 14(1)", "Art. 14(2)",
)  # fmt: skip
ROTATION_BASIS: Mapping[ContingentKind, str] = {
    ContingentKind.SDF_UNIT: "Art. 14(2)",
    ContingentKind.COAST_GUARD: "Art. 14(1)",
    ContingentKind.RECRUITED: "Art. 12(1)",
    ContingentKind.OFFICIALS: "Art. 13(2)",
    ContingentKind.SDF_PERSONNEL: "Art. 13(2)",
}

PERSONNEL_CAP = 2000
_rule(
    "personnel_cap",
    "At most 2,000 persons engaged in assignments at once, across all deployments.",
    "Art. 19(1)",
)

_rule(
    "staff_officer_dispatch",
    "SDF personnel to UN headquarters of a UN PKO: the Minister of Defense dispatches with the "
    "Prime Minister's consent. The Prime Minister consents only when the consents of Art. "
    "3(i)(a)-(c) for the operation's sub-type (the host's; for (a) also the parties') are found "
    "stably maintained for the whole dispatch with no interruption in prospect; otherwise "
    "consent_lacking (Art. 27(2)). The Minister must also obtain the officer's own consent "
    "(Art. 27(3)), a configurable probability. No plan, no Corps, no Diet.",
    "Art. 27(1)", "Art. 27(2)", "Art. 27(3)", "Art. 3(i)(a)", "Art. 3(i)(b)", "Art. 3(i)(c)",
)  # fmt: skip


STAFF_OFFICER_OPERATIONS = frozenset({OperationType.UN_PKO})
STAFF_OFFICER_KINDS = frozenset({ContingentKind.SDF_PERSONNEL})
"""Art. 27(1): uniformed SDF personnel, to the UN's management of a UN peacekeeping operation."""


def staff_officer_consents_required(operation: OperationType, subtype: str | None) -> dict[Consent, str]:
    """The findings the Prime Minister's consent needs under Art. 27(2), each cited to it.

    "only when it is found that the consent prescribed in Article 3, item (i), sub-items (a)
    through (c) ... will be stably maintained throughout the duration of the dispatch, and, that
    there is no prospect of circumstances that require interruption of the dispatch arising":
    the operation's own consents (:func:`operation_consents`: the host's, and for sub-type (a) the
    parties') and, always, that they are found stable (``stable`` stands for both findings).
    Art. 6(1)(i)'s "no clear intention of opposition" for sub-type (c) qualifies a Cabinet
    decision on an implementation plan; Art. 3(i)(c) and Art. 27(2) do not ask it.
    """
    needed = dict.fromkeys(operation_consents(operation, subtype), Cite.STAFF_OFFICER_CONSENT)
    needed[Consent.STABLE] = Cite.STAFF_OFFICER_CONSENT
    return needed


def staff_officer_dispatch_allowed(
    operation: OperationType, subtype: str | None, found: Mapping[Consent, bool]
) -> bool:
    """Art. 27(1)-(2): only for a UN PKO, and only with every finding of Art. 27(2) made."""
    required = staff_officer_consents_required(operation, subtype)
    return operation in STAFF_OFFICER_OPERATIONS and all(found.get(c, False) for c in required)


# --- Art. 6(6): the SDF's main missions come first ----------------------------------------

MAIN_MISSIONS_KINDS = frozenset({ContingentKind.SDF_UNIT})
"""Art. 6(6): SDF units take assignments only so far as these do not hinder the SDF's main
missions, so they are the contingents a contingency at home can call back."""
_rule(
    "main_missions_first",
    "SDF units take assignments abroad only so far as they do not hinder the SDF's main "
    "missions; a contingency at home can bring them back by a plan change ending the dispatch "
    "(logged on Art. 6(13); Art. 6(6), the contingency's Treaty article in the detail). "
    "Individual SDF officers, civilians and Art. 27 officers are not SDF units.",
    "Art. 6(6)", "Art. 6(13)",
)  # fmt: skip


def persons_owed_to_main_missions(kinds: Iterable[ContingentKind], persons: Iterable[int]) -> int:
    """Art. 6(6): the persons of a deployment's SDF units, the size a recall policy looks at.

    ``persons`` are those engaged per contingent; a deployment that engaged none under the cap
    (an Art. 27 officer) gives an empty list and counts nothing.
    """
    return sum(p for kind, p in zip(kinds, persons, strict=False) if kind in MAIN_MISSIONS_KINDS)


# --- citations the model logs, and the small rules that choose among them -----------------


class Cite:
    """Named provisions the model gives as an event's ``basis``; a test resolves each one.

    Most name one provision; :attr:`RECALL` joins two (``"; "``, :func:`sim.law.citations.join`);
    :attr:`SESSION_LAPSE` names a provision of another law (:mod:`sim.law.external`).
    """

    CABINET_DECISION = "Art. 6(1)"
    PLAN_CONTENTS = "Art. 6(2)(ii)"
    PLAN_REPORTED = "Art. 7(i)"
    STATUS_REPORTED = "Art. 7(iii)"
    RESULTS_REPORTED = "Art. 7(ii)"
    GUIDELINES = "Art. 8(1)"
    CORPS = "Art. 5(8)"
    DISPATCH = "Art. 9(1)"
    PRIOR_APPROVAL = "Art. 6(7)"
    DECISION_TARGETS = "Art. 6(8)"
    DISAPPROVAL_AFTER_DISPATCH = "Art. 6(9)"
    RENEWAL = "Art. 6(10)"
    RENEWAL_DISAPPROVED = "Art. 6(11)"
    FURTHER_RENEWAL = "Art. 6(12)"
    PLAN_PERIOD = "Art. 6(2)(ii)(b)"
    INTERRUPTION = "Art. 8(1)(vi)"
    TASK_INTERRUPTION = "Art. 8(1)(vii)"
    SUSPENSION = "Art. 8(1)(viii)"
    CAP = "Art. 19(1)"
    STAFF_OFFICER_DISPATCH = "Art. 27(1)"
    STAFF_OFFICER_CONSENT = "Art. 27(2)"
    OFFICER_OWN_CONSENT = "Art. 27(3)"
    MAIN_MISSIONS = "Art. 6(6)"
    PLAN_AMENDMENT = "Art. 6(13)"
    RECALL = join(PLAN_AMENDMENT, MAIN_MISSIONS)
    """A recall of SDF units for a contingency at home: the plan changed to end the dispatch
    (Art. 6(13)), because their assignments may not hinder the SDF's main missions (Art. 6(6)).
    The Treaty article of the contingency goes in the ``detail``, not the basis: the Act's
    rules, not the Treaty's, end the dispatch."""
    SESSION_LAPSE = ExternalCite.SESSION_LAPSE
    """``Diet Act art. 68``: a matter the Diet has not decided when its session closes lapses
    (session discontinuity). External: it rests on the Diet Act, not on the Act."""


def proviso_applies(in_session: bool, hr_dissolved: bool) -> bool:
    """Art. 6(7) and 6(10) provisos: the Diet is not in session or the House is dissolved."""
    return not in_session or hr_dissolved


def renewal_basis(term: int) -> str:
    """The first continuation rests on Art. 6(10), every later one on Art. 6(12)."""
    return Cite.RENEWAL if term == 1 else Cite.FURTHER_RENEWAL
