# ruff: noqa: E501  (quoted Japanese text: each character counts double-width)
"""The Act over time: each text in force since 1992, as data, and the rulebook's answers "as of" a day.

The rulebook (:mod:`sim.law.pko_act`) encodes the current text.  Deployments from 1992 to 2016 were
decided under earlier ones, so every question the model asks of the Act — which operation types
and sub-types exist, which tasks exist and which each operation admits and each kind of contingent
may do, what needs the Diet's prior approval (Art. 6(7)), which consents a Cabinet decision needs,
which Art. 6(13) item applies, whether the "PKF core" freeze of 1992 holds — is answered here by
the :class:`ActVersion` in force on a day (:func:`version_on`).

Four texts (:data:`VERSIONS`), each made by an act with its number, dates and sources
(:data:`AMENDMENTS`):

* ``1992 text`` — Act No. 79 of 1992 as enacted, in force 1992-08-10: UN peacekeeping and
  humanitarian relief; the SDF units' core tasks frozen (Supplementary Provisions Art. 2);
* ``1998 text`` — Act No. 102 of 1998, in force 1998-06-12: election monitoring as an operation
  of its own (Art. 3(ii-2), 6(1)(iii), 6(13)(iii)); relief contributions in kind without a
  ceasefire agreement; the use of weapons on the commander's order (Art. 24, from 1998-07-12);
* ``2001 text`` — Act No. 157 of 2001, in force 2001-12-14: the freeze lifted; weapons usable to
  protect those under one's control and, under SDF Act art. 95, the SDF's weapons (from 2002-01-14);
* the current text — Act No. 76 of 2015, in force 2016-03-29: internationally coordinated
  operations, sub-type (b), tasks (g) safety-ensuring, (j), (l), (t) and (v) protection of persons
  ("kaketsuke keigo"), the stable-consent condition, Art. 6(13)(ix)-(xi), Art. 27 staff officers,
  and the renumbering the shipped XML has.

Tasks are always named by today's letters, so a scenario means the same thing whatever its date;
an earlier text's citations use its own numbering, tagged (``Art. 3(iii)(p) [1992 text]``) and
resolved in :mod:`sim.law.earlier_texts`.  The current version answers exactly as the rulebook
always has: it delegates to :mod:`sim.law.pko_act`.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from sim.law import pko_act
from sim.law.citations import SEPARATOR, parts
from sim.law.pko_act import Consent, ContingentKind, Ground, OperationType, TaskViolation
from sim.law.rules import RULES, Rule

ACT = "Act No. 79 of 1992"


@dataclass(frozen=True)
class Amendment:
    """An act that made a text of the Act: its number, dates, what it changed and where that is read."""

    act: str
    promulgated: dt.date
    in_force: dt.date
    changes: tuple[str, ...]
    """What it changed, in the sources' words (rendered in English)."""
    quote: str
    """The source's own words on it (Japanese), quoted."""
    sources: tuple[str, ...]


AMENDMENTS: tuple[Amendment, ...] = (
    Amendment(
        "Act No. 79 of 1992", dt.date(1992, 6, 19), dt.date(1992, 8, 10),
        ("UN peacekeeping operations and international humanitarian relief operations",
         "the SDF units' 'PKF core' tasks (Art. 3(iii)(a)-(f) and similar ones) frozen until a separate act "
         "(Supplementary Provisions Art. 2)"),
        "法令番号 (平成四年六月十九日法律第七十九号) 施行年月日 平成四年八月十日 ... この法律は、国際連合平和維持活動及び人道的な"
        "国際救援活動に対し適切かつ迅速な協力を行うため",
        ("http://roppou.aichi-u.ac.jp/joubun/h4-79.htm",
         "https://www.cao.go.jp/pko/pko_j/data/law/law_data04.html"),
    ),
    Amendment(
        "Act No. 102 of 1998", dt.date(1998, 6, 12), dt.date(1998, 6, 12),
        ("international election monitoring operations, at the request of regional organizations (OAS, OSCE) too",
         "contributions in kind to relief by UNHCR and others even without a ceasefire agreement",
         "the use of weapons by SDF members of a unit on the order of a superior present (Art. 24, in force "
         "1998-07-12; not asked by the model)"),
        "「国際的な選挙監視活動」、「人道的な国際救援活動のための物資協力」及び「武器の使用」の3点に関して改正を行った ... "
        "この法律は、公布の日から施行する。ただし、第二十四条の改正規定は、公布の日から起算して一月を経過した日から施行する。",
        ("https://www.cao.go.jp/pko/pko_j/data/law/law_data03.html", "https://jplaws.app/d/404AC0000000079-s.html"),
    ),
    Amendment(
        "Act No. 157 of 2001", dt.date(2001, 12, 14), dt.date(2001, 12, 14),
        ("the freeze of the 'PKF core' tasks lifted (Supplementary Provisions Art. 2 deleted)",
         "weapons usable to protect 'those who have come under their control' (Art. 24, in force 2002-01-14; "
         "not asked by the model)",
         "SDF Act art. 95 (protection of weapons) applied abroad (not asked by the model)"),
        "自衛隊の部隊等が行ういわゆるPKF(平和維持隊)本体業務(法第3条第3号イからへまでに掲げる業務及びこれらの業務に類するもの"
        "として同号レの政令で定める業務)の凍結を解除する ... 附則（平成一三年一二月一四日法律第一五七号） この法律は、公布の日から"
        "施行する。",
        ("https://www.mofa.go.jp/mofaj/gaiko/pko/ho_kaisei.html",
         "https://www.cao.go.jp/pko/pko_j/data/law/law_data04.html",
         "http://www.clearing.mod.go.jp/hakusho_data/2003/2003.../html/15431400.html"),
    ),
    Amendment(
        "Act No. 76 of 2015", dt.date(2015, 9, 30), dt.date(2016, 3, 29),
        ("internationally coordinated operations for peace and security (Art. 3(ii))",
         "PKO and ICO sub-type (b): armed conflict over and no parties left",
         "tasks (g) safety-ensuring operations and (v) protection of persons engaged in operations ('kaketsuke "
         "keigo'), with (j), (l) and (t); the tasks relettered (a)-(v)",
         "the consent to be found stable for (g) and (v) (Art. 6(1)), and its loss (Art. 6(13)(ix)-(xi), 8(1)(vii))",
         "SDF staff officers to UN headquarters without a plan (Art. 27)"),
        "2015年9月19日に成立、同30日に公布された(16年3月29日施行) ... 国際平和協力法を改正し、いわゆる安全確保業務、駆け付け"
        "警護などを追加することによって国連PKOにおいて実施できる業務を拡大する",
        ("https://imidas.jp/genre/detail/C-108-0823.html", "https://www.cao.go.jp/pko/pko_j/cooperation.html"),
    ),
)  # fmt: skip
"""The Act and the three amendments that changed what the model asks, oldest first."""

_LETTERS = pko_act.TASK_LETTERS
OLD_LETTER: Mapping[str, str] = dict(zip("abcdefhikmnopqrsu", "abcdefghijklmnopq", strict=True))
"""Today's task letters that existed before 2016, and their letter in Art. 3(iii) of the earlier texts."""
_OLD_TASKS = frozenset(OLD_LETTER)
_CORE_OLD = frozenset("abcdef")
_RELIEF = frozenset("mnopqrsu")
_ELECTION = frozenset("hu")

_SAME = frozenset({
    "Art. 3(i)", "Art. 5(8)", "Art. 6(1)", "Art. 6(1)(i)", "Art. 6(2)(ii)", "Art. 6(2)(ii)(b)", "Art. 6(5)",
    "Art. 6(6)", "Art. 6(7)", "Art. 6(8)", "Art. 6(9)", "Art. 6(10)", "Art. 6(11)", "Art. 6(12)", "Art. 6(13)",
    "Art. 7(i)", "Art. 7(ii)", "Art. 7(iii)", "Art. 8(1)", "Art. 8(1)(vi)", "Art. 9(1)",
})  # fmt: skip
"""Citations of today's text that name the same provision, by the same number, in the earlier texts."""
_RENUMBERED: Mapping[str, str] = {
    "Art. 3(i)(a)": "Art. 3(i)", "Art. 3(i)(c)": "Art. 3(i)", "Art. 3(iii)": "Art. 3(ii)", "Art. 3(iv)": "Art. 3(ii-2)",
    "Art. 3(v)": "Art. 3(iii)", "Art. 6(1)(iii)": "Art. 6(1)(ii)", "Art. 6(1)(iv)": "Art. 6(1)(iii)",
    "Art. 6(13)(i)": "Art. 6(13)(i)", "Art. 6(13)(iii)": "Art. 6(13)(i)", "Art. 6(13)(vii)": "Art. 6(13)(ii)",
    "Art. 6(13)(viii)": "Art. 6(13)(iii)", "Art. 8(1)(viii)": "Art. 8(1)(vii)", "Art. 12(1)": "Art. 11(1)",
    "Art. 13(1)": "Art. 12(1)", "Art. 13(2)": "Art. 12(2)", "Art. 14(1)": "Art. 13(1)", "Art. 14(2)": "Art. 13(2)",
    "Art. 19(1)": "Art. 18",
    **{f"Art. 3(v)({new})": f"Art. 3(iii)({old})" for new, old in OLD_LETTER.items()},
}  # fmt: skip
"""Today's citations and the provision each was in the earlier texts (renumbered in 2016)."""


def _letters(first: str, last: str) -> frozenset[str]:
    return frozenset(_LETTERS[_LETTERS.index(first) : _LETTERS.index(last) + 1])


@dataclass(frozen=True)
class ActVersion:
    """One text of the Act, from the day it took effect, with the answers the model asks of it."""

    tag: str
    """``1992 text``, ``1998 text``, ``2001 text``; ``current`` for the shipped XML's."""
    amendment: Amendment
    operations: frozenset[OperationType]
    subtypes: frozenset[str]
    """PKO (and ICO) sub-types the text knows."""
    tasks: frozenset[str]
    """Today's letters of the tasks that exist in this text."""
    admitted: Mapping[OperationType, frozenset[str]]
    permitted: Mapping[ContingentKind, frozenset[str]]
    frozen: frozenset[str] = frozenset()
    """Tasks SDF units may not be given while the 1992 freeze holds (Supplementary Provisions Art. 2)."""
    article_27: bool = False
    renumbered: Mapping[str, str] = field(default_factory=dict)

    @property
    def in_force(self) -> dt.date:
        return self.amendment.in_force

    @property
    def is_current(self) -> bool:
        return self.tag == "current"

    @property
    def title(self) -> str:
        """How a reader names it: ``the 1992 text (Act No. 79 of 1992, in force 1992-08-10)``."""
        name = "the current text" if self.is_current else f"the {self.tag}"
        return f"{name} ({self.amendment.act}, in force {self.in_force})"

    # --- citations --------------------------------------------------------------------------

    def cite(self, basis: str) -> str:
        """``basis`` (today's citations, joined with ``"; "``) as this text numbers and tags them.

        Other laws' citations (Treaty, guidelines, Diet Act) pass unchanged; a citation of today's
        text with no counterpart in this one is a programming error (ValueError).
        """
        if self.is_current or not basis:
            return basis
        return SEPARATOR.join(self._cite_one(part) for part in parts(basis))

    def _cite_one(self, citation: str) -> str:
        if not citation.startswith("Art. ") or citation.endswith(" text]"):
            return citation  # another law's, or already in an earlier text's numbering
        own = citation if citation in _SAME else self.renumbered.get(citation)
        if own is None:
            raise ValueError(f"{citation} has no counterpart in {self.title}")
        return self.tagged(own)

    def tagged(self, own: str) -> str:
        """A citation in this text's own numbering, tagged with the text: ``Art. 18 [1992 text]``."""
        return own if self.is_current else f"{own} [{self.tag}]"

    # --- what exists ---------------------------------------------------------------------------

    def operation_violation(self, operation: OperationType, subtype: str | None) -> str | None:
        """Why the operation (or its sub-type) does not exist in this text, or None."""
        if operation not in self.operations:
            since = first_with(lambda v: operation in v.operations)
            return f"{operation.value} operations do not exist before {since.in_force} ({since.amendment.act})"
        if subtype is not None and operation in pko_act.OPERATIONS_WITH_SUBTYPES and subtype not in self.subtypes:
            since = first_with(lambda v: subtype in v.subtypes)
            return f"sub-type ({subtype}) does not exist before {since.in_force} ({since.amendment.act})"
        return None

    def article_27_violation(self) -> str | None:
        """Why an Art. 27 dispatch is not possible under this text, or None."""
        if self.article_27:
            return None
        since = first_with(lambda v: v.article_27)
        return (f"dispatch under Art. 27 does not exist before {since.in_force} ({since.amendment.act}); "
                "staff officers went as Corps members under an implementation plan (dispatch_under: "
                "implementation_plan, tasks (u))")  # fmt: skip

    def task_violations(
        self,
        operation: OperationType,
        kind: ContingentKind,
        tasks: Iterable[str],
        u_similar_to: str | None = None,
    ) -> list[TaskViolation]:
        """Every task in ``tasks`` this text does not know, the operation does not admit or the kind may
        not do (or the freeze forbids), each with the provision and, where it came later, the act."""
        if self.is_current:
            return pko_act.task_violations(operation, kind, tasks, u_similar_to)
        found: list[TaskViolation] = []
        if operation not in self.operations:
            return found  # the operation's own absence is the one problem (:meth:`operation_violation`)
        scope = self.tagged("Art. 3(iii)")
        for letter in tasks:
            counted = pko_act.effective_task(letter, u_similar_to)
            missing = next((t for t in (letter, counted) if t in pko_act.TASKS and t not in self.tasks), None)
            if letter not in pko_act.TASKS:
                found.append(
                    TaskViolation(letter, f"unknown task letter {letter!r}; tasks are (a) to (v)", "Art. 3(v)")
                )
            elif missing is not None:
                since = first_with(lambda v, t=missing: t in v.tasks)
                reason = f"task ({missing}) does not exist before {since.in_force} ({since.amendment.act})"
                found.append(TaskViolation(letter, reason, scope))
            elif letter not in self.admitted.get(operation, frozenset()):
                reason = f"task ({letter}) is not an assignment for {operation.value} operations in {self.title}"
                found.append(TaskViolation(letter, reason, scope))
            elif kind is ContingentKind.SDF_UNIT and counted in self.frozen:
                lifted = first_with(lambda v: not v.frozen)
                shown = f"({letter})" if counted == letter else f"(u) likened to ({counted})"
                reason = (f"SDF units may not be given task {shown} before {lifted.in_force} "
                          f"({lifted.amendment.act} lifted the freeze of the 'PKF core' tasks)")  # fmt: skip
                found.append(TaskViolation(letter, reason, self.tagged("Suppl. Art. 2")))
            elif letter not in self.permitted[kind] or counted not in self.permitted[kind]:
                shown = f"({letter})" if counted == letter else f"(u) likened to ({counted})"
                reason = f"{kind.value} may not be given task {shown} in {self.title}"
                found.append(TaskViolation(letter, reason, self.cite(pko_act.KIND_CITATION[kind])))
        return found

    def staff_work_task(self) -> str:
        """The task of SDF staff officers at a UN headquarters: (t) today; before 2016 a Cabinet Order
        specified it under the catch-all (today's (u)), e.g. the Golan Cabinet Order of 1995."""
        return "t" if "t" in self.tasks else "u"

    # --- consents, approval, the Art. 6(13) items -------------------------------------------

    def consents_required(
        self, operation: OperationType, subtype: str | None, effective_tasks: Iterable[str]
    ) -> dict[Consent, str]:
        """The consents a Cabinet decision needs (Art. 6(1)), each with this text's citation.

        Before 2016: the host's, and for a PKO with a conflict (sub-type (a)) the parties'; no "no
        clear opposition" and no stable-consent condition (both came with Act No. 76 of 2015).
        """
        if self.is_current:
            return pko_act.consents_required(operation, subtype, effective_tasks)
        item = self.cite(pko_act.CONSENT_ITEM[operation])
        return dict.fromkeys(pko_act.operation_consents(operation, subtype), item)

    def is_approval_assignment(
        self, operation: OperationType, kind: ContingentKind, effective_tasks: Iterable[str]
    ) -> bool:
        """Art. 6(7) in this text: SDF units doing a core task in a PKO (or, today, an ICO)."""
        if self.is_current:
            return pko_act.is_approval_assignment(operation, kind, effective_tasks)
        return (kind is ContingentKind.SDF_UNIT and operation is OperationType.UN_PKO
                and any(t in _CORE_OLD for t in effective_tasks))  # fmt: skip

    def conditions_item(self, operation: OperationType, subtype: str | None) -> str:
        """The Art. 6(13) item for the operation, in this text's numbering (tagged if earlier)."""
        return self.cite(pko_act.conditions_item(operation, subtype))

    def grounds_for(self, operation: OperationType, subtype: str | None) -> frozenset[Ground]:
        """The grounds of the item: before 2016 no "prevention has become difficult" ground."""
        grounds = pko_act.grounds_for(operation, subtype)
        return grounds if self.is_current else grounds - {Ground.PREVENTION_DIFFICULT}

    def unstable_item(self, operation: OperationType) -> str | None:
        """Art. 6(13)(ix)-(xi), which only the current text has."""
        return pko_act.UNSTABLE_CONSENT_ITEM.get(operation) if self.is_current else None

    def tasks_removed_when_consent_unstable(
        self, operation: OperationType, tasks: Iterable[str], u_similar_to: str | None = None
    ) -> frozenset[str]:
        """What Art. 6(13)(ix)-(xi) removes; nothing before they existed."""
        if not self.is_current:
            return frozenset()
        return pko_act.tasks_removed_when_consent_unstable(operation, tasks, u_similar_to)

    # --- the rulebook in force ------------------------------------------------------------------

    @cached_property
    def rules(self) -> tuple[Rule, ...]:
        """Every rule in force under this text: the Act's as this text words and numbers them, and the
        other laws' (Treaty, guidelines, Diet Act), which no amendment of the Act changes."""
        if self.is_current:
            return tuple(RULES)
        own = _earlier_rules(self)
        out: list[Rule] = []
        for rule in RULES:
            if rule.source != ACT:
                out.append(rule)
            elif rule.name in own:
                if own[rule.name] is not None:
                    out.append(own.pop(rule.name))  # type: ignore[arg-type]
                else:
                    own.pop(rule.name)
            else:
                cites = tuple(self.cite(c) for c in rule.citations)
                out.append(Rule(rule.name, cites, rule.statement, f"{ACT} ({self.tag})"))
        out.extend(r for r in own.values() if r is not None)
        return tuple(out)


def _earlier_rules(v: ActVersion) -> dict[str, Rule | None]:
    """The rules an earlier text words differently (None: the rule does not exist in it)."""
    src = f"{ACT} ({v.tag})"
    election = OperationType.ELECTION_MONITORING in v.operations
    ops = "UN peacekeeping operations (a ceasefire with the parties' consent, or no conflict yet with the host's)"
    op_cites = ["Art. 3(i)", "Art. 3(ii)"] + (["Art. 3(ii-2)"] if election else [])
    rules: dict[str, Rule | None] = {
        "operation_types": Rule("operation_types", tuple(map(v.tagged, op_cites)),
            f"{'Three' if election else 'Two'} operation types: {ops}, international humanitarian relief"
            + (", international election monitoring." if election else "; election monitoring only as a PKO task."),
            src),
        "tasks": Rule("tasks", tuple(v.tagged(f"Art. 3(iii)({o})") for o in OLD_LETTER.values()),
            "17 lettered assignments, Art. 3(iii)(a)-(q) of this text, today's (a)-(f), (h), (i), (k), (m)-(s), "
            "(u): no (g) safety-ensuring, (j), (l), (t) or (v) protection of persons.", src),
        "tasks_admitted": Rule("tasks_admitted", (v.tagged("Art. 3(iii)"),),
            "PKO admits every task; humanitarian relief today's (m)-(s), (u)"
            + ("; election monitoring (h), (u)." if election else "."), src),
        "tasks_permitted": Rule("tasks_permitted",
            tuple(v.tagged(c) for c in ("Art. 6(6)", "Art. 6(5)", "Art. 11(1)", "Art. 12(1)")),
            "SDF units: (a)-(f), (m)-(s), (u). Coast Guard: (h), (i), (k), (m)-(s), (u). Recruited Corps members: "
            "(h), (i), (k), (m)-(s), (u). Officials other than SDF personnel: not (a)-(f). (Today's letters.)", src),
        "consent_required": Rule("consent_required",
            tuple(v.tagged(c) for c in ("Art. 6(1)", "Art. 6(1)(i)", "Art. 6(1)(ii)")
                  + (("Art. 6(1)(iii)",) if election else ())),
            "Host-state consent always; for a PKO with a conflict also the parties'. No stable-consent condition "
            "and no 'no clear opposition' finding (both 2016).", src),
        "prior_approval": Rule("prior_approval", (v.tagged("Art. 6(7)"),),
            "Diet approval before dispatch when an SDF unit does (a)-(f), or (u) likened to one, in a UN PKO"
            + (" (which the freeze forbade until 2001)" if v.frozen else "")
            + "; the proviso as today.", src),
        "approval_assignments": Rule("approval_assignments",
            tuple(v.tagged(c) for c in ("Art. 6(7)", "Art. 6(9)", "Art. 6(11)", "Art. 6(13)")),
            "What the Diet approves and ends is the contingents doing the assignments of Art. 6(7): SDF units "
            "doing (a)-(f) or (u) likened to them.", src),
        "tasks_added": Rule("tasks_added", (v.tagged("Art. 6(7)"), v.tagged("Art. 6(13)")),
            "A plan change that gives an SDF unit (a)-(f), or (u) likened to them, needs the Diet's approval "
            "before those tasks start.", src),
        "contingent_added": Rule("contingent_added",
            tuple(v.cite(c) for c in ("Art. 6(7)", "Art. 6(13)", "Art. 7(i)", "Art. 19(1)")),
            "A plan change may add a contingent; an SDF unit added to carry out (a)-(f), or (u) likened to "
            "them, is dispatched only with the Diet's approval"
            + (" (which the freeze forbade until 2001)" if v.frozen else "")
            + "; any contingent added goes under the cap on persons engaged at once.", src),
        "conditions_lost": Rule("conditions_lost",
            tuple(v.tagged(c) for c in ("Art. 6(13)(i)", "Art. 6(13)(ii)")
                  + (("Art. 6(13)(iii)",) if election else ()) + ("Art. 8(1)(vi)",)),
            "Art. 6(13)(i) for a PKO (agreement or consent gone, impartiality lost), (ii) relief (consent gone)"
            + (", (iii) election monitoring (consent gone)" if election else "")
            + "; the guidelines' interruption (Art. 8(1)(vi)) and a plan change ending the dispatch.", src),
        "guidelines": Rule("guidelines", (v.tagged("Art. 8(1)"), v.tagged("Art. 8(1)(vii)")),
            "The Chief prepares implementation guidelines, including interruption; no item on temporary "
            "suspension, which the model rests on the catch-all item (vii).", src),
        "consent_unstable": None,
        "staff_officer_dispatch": None,
    }  # fmt: skip
    if v.frozen:
        rules["pkf_freeze"] = Rule("pkf_freeze", (v.tagged("Suppl. Art. 2"),),
            "SDF units may not be given (a)-(f), or (u) likened to them, until a separate act sets a date "
            "(lifted by Act No. 157 of 2001, in force 2001-12-14).", src)  # fmt: skip
    return rules


def _earlier(tag: str, amendment: Amendment, election: bool, frozen: bool) -> ActVersion:
    ops = {OperationType.UN_PKO, OperationType.HUMANITARIAN_RELIEF} | (
        {OperationType.ELECTION_MONITORING} if election else set()
    )
    admitted = {OperationType.UN_PKO: _OLD_TASKS, OperationType.HUMANITARIAN_RELIEF: _RELIEF}
    if election:
        admitted[OperationType.ELECTION_MONITORING] = _ELECTION
    permitted = {
        ContingentKind.SDF_UNIT: _CORE_OLD | _RELIEF,
        ContingentKind.COAST_GUARD: frozenset("hik") | _RELIEF,
        ContingentKind.RECRUITED: frozenset("hik") | _RELIEF,
        ContingentKind.OFFICIALS: _OLD_TASKS - _CORE_OLD,
        ContingentKind.SDF_PERSONNEL: _OLD_TASKS,
    }
    return ActVersion(
        tag=tag, amendment=amendment, operations=frozenset(ops), subtypes=frozenset("ac"), tasks=_OLD_TASKS,
        admitted=admitted, permitted=permitted, frozen=_CORE_OLD if frozen else frozenset(),
        renumbered=_RENUMBERED,
    )  # fmt: skip


CURRENT = ActVersion(
    tag="current",
    amendment=AMENDMENTS[3],
    operations=frozenset(OperationType),
    subtypes=frozenset(pko_act.SUBTYPES),
    tasks=frozenset(_LETTERS),
    admitted=pko_act.TASKS_ADMITTED,
    permitted=pko_act.TASKS_PERMITTED,
    article_27=True,
)
VERSIONS: tuple[ActVersion, ...] = (
    _earlier("1992 text", AMENDMENTS[0], election=False, frozen=True),
    _earlier("1998 text", AMENDMENTS[1], election=True, frozen=True),
    _earlier("2001 text", AMENDMENTS[2], election=True, frozen=False),
    CURRENT,
)
"""Every text of the Act since it took effect, oldest first."""
BOUNDARIES: tuple[dt.date, ...] = tuple(v.in_force for v in VERSIONS)


def version_on(day: dt.date) -> ActVersion:
    """The text in force on ``day``; before 1992-08-10 the Act was not in force (ValueError)."""
    i = bisect_right(BOUNDARIES, day) - 1
    if i < 0:
        raise ValueError(f"the Act was not in force on {day}: it took effect on {BOUNDARIES[0]} (Act No. 79 of 1992)")
    return VERSIONS[i]


def by_tag(tag: str) -> ActVersion | None:
    """The version tagged ``tag`` (``1992 text`` ... ``current``), or None."""
    return next((v for v in VERSIONS if v.tag == tag), None)


def first_with(test: Callable[[ActVersion], bool]) -> ActVersion:
    """The first version for which ``test(version)`` holds (the one that brought a thing in)."""
    return next(v for v in VERSIONS if test(v))


@dataclass(frozen=True)
class LawClock:
    """Which text governs each day of a run: the one in force that day (``as_of`` None), or one fixed
    text for every day (the counterfactual ``law: {as_of: DATE}``)."""

    start: dt.date
    as_of: dt.date | None = None

    def on(self, day: float) -> ActVersion:
        """The version governing day ``day`` of the run (days from ``start``)."""
        if self.as_of is not None:
            return version_on(self.as_of)
        return version_on(self.start + dt.timedelta(days=int(day)))

    def cite(self, day: float, basis: str) -> str:
        """``basis`` as the text governing ``day`` cites it (unchanged under the current text)."""
        return self.on(day).cite(basis)

    def always_current(self) -> bool:
        """True if every day of the run is governed by the current text (nothing to re-cite)."""
        return (self.as_of or self.start) >= CURRENT.in_force


def diff(old: ActVersion, new: ActVersion) -> list[tuple[str, str, Rule | None, Rule | None]]:
    """What changed between two versions' rulebooks: (rule, change, before, after), change one of
    ``added``, ``removed``, ``changed``; rules that read and cite the same are left out."""
    before = {r.name: r for r in old.rules}
    after = {r.name: r for r in new.rules}
    out: list[tuple[str, str, Rule | None, Rule | None]] = []
    for name in [*before, *(n for n in after if n not in before)]:
        a, b = before.get(name), after.get(name)
        if a is None:
            out.append((name, "added", None, b))
        elif b is None:
            out.append((name, "removed", a, None))
        elif (a.statement, _untagged(a.citations)) != (b.statement, _untagged(b.citations)):
            out.append((name, "changed", a, b))
    return out


def _untagged(citations: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(c.split(" [")[0] for c in citations)
