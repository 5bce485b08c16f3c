"""Scenario files: pydantic models, YAML loading, and errors a person can act on.

A scenario is validated in two passes before anything runs (desmod's lesson: build, validate,
then run).  Pydantic checks the shape and types, rejecting unknown fields; then
:func:`_check_law` asks the rulebook whether the portfolio is lawful (tasks per operation and
per contingent kind, the 2,000-person cap) and whether dates are in order.  Every problem is
reported with the file, the field's path and the reason, including the article where the law
is the reason, and all problems are reported at once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import yaml
from pydantic import BaseModel, Field, PositiveInt, ValidationError, create_model, model_validator

from sim import law
from sim.alliance_config import Alliance
from sim.calendar import DietCalendar
from sim.calendar_generator import CalendarParams
from sim.distributions import DIST_NAMES, Distribution, Empirical, Exponential, Fixed, Lognormal, Triangular, Uniform
from sim.law import ContingentKind, Ground, OperationType
from sim.strict import StrictModel


class Procedure(StrictModel):
    """Lags of the lifecycle in days, each a distribution (defaults: assumptions, see README).

    Art. 7 asks for reports "without delay", so the report lags default to zero days.
    """

    request_to_decision: Distribution = Fixed(value=30)
    report_delay: Distribution = Fixed(value=0)
    guidelines_delay: Distribution = Fixed(value=0)
    decision_to_dispatch: Distribution = Fixed(value=21)
    withdrawal: Distribution = Fixed(value=30)
    results_report_delay: Distribution = Fixed(value=60)
    amendment_delay: Distribution = Fixed(value=7)
    extension_lead: Distribution = Fixed(value=0)
    approval_to_dispatch: Distribution = Fixed(value=0)


ProcedureOverride = create_model(
    "ProcedureOverride",
    __base__=StrictModel,
    __doc__="Per-deployment replacements for any of the scenario's :class:`Procedure` lags.",
    **{name: (Distribution | None, None) for name in Procedure.model_fields},
)


class Contingent(StrictModel):
    """One body of personnel within a deployment, Art. 6(2)(ii)(c)-(e)."""

    kind: ContingentKind
    personnel: PositiveInt
    tasks: list[str] = Field(min_length=1)
    u_similar_to: str | None = None
    rotation: Distribution | None = None
    handover: int = Field(default=0, ge=0)
    label: str = ""


class Consents(StrictModel):
    """What the Government finds at the time of the Cabinet decision (Art. 6(1)), or of the Prime
    Minister's consent to an Art. 27 dispatch (Art. 27(2)); and, for Art. 27 only, the chance that
    the officer consents (Art. 27(3)), drawn at that time unless it is 1."""

    host: bool = True
    parties: bool = True
    no_clear_opposition: bool = True
    stable: bool = True
    officer: float | None = Field(default=None, ge=0, le=1, allow_inf_nan=False)
    """Art. 27(3): the chance the officer consents; not given, 1 (certain).  Art. 27 only."""

    @property
    def officer_probability(self) -> float:
        """The chance the Art. 27 officer consents (Art. 27(3)): 1 unless ``officer`` says otherwise."""
        return 1.0 if self.officer is None else self.officer


class Extension(StrictModel):
    """Extension policy at each end of the plan period (a Cabinet decision, Art. 6(13))."""

    max_extensions: int = Field(default=0, ge=0)
    probability: float = Field(default=1.0, ge=0, le=1)
    length: Distribution | None = None
    until_mission_end: bool = False


class ConditionsHazard(StrictModel):
    """Loss of the conditions of Art. 6(13)(i)-(viii), and how long the Government waits.

    ``rate`` is per year; ``grounds`` weights the grounds the deployment's item names (equal
    weights by default).  After a loss the conditions return after ``restoration`` days; if that
    is longer than ``window`` (the wait government practice allows), the dispatch is ended.
    """

    rate: float = Field(default=0.0, ge=0)
    grounds: dict[Ground, float] = Field(default_factory=dict)
    restoration: Distribution = Exponential(dist="exponential", mean=30)
    window: Distribution = Fixed(value=90)


class RateHazard(StrictModel):
    """An event that strikes at a constant rate per year."""

    rate: float = Field(default=0.0, ge=0)


class DangerHazard(StrictModel):
    """Danger prompting a temporary suspension (Art. 8(1)(viii)), and how long it lasts."""

    rate: float = Field(default=0.0, ge=0)
    duration: Distribution = Fixed(value=7)


class Hazards(StrictModel):
    """What can happen to a deployment in the field; rates per year, durations in days."""

    conditions_lost: ConditionsHazard = ConditionsHazard()
    consent_unstable: RateHazard = RateHazard()
    danger: DangerHazard = DangerHazard()
    mission_end: RateHazard = RateHazard()
    policy_termination: RateHazard = RateHazard()


HazardsOverride = create_model(
    "HazardsOverride",
    __base__=StrictModel,
    __doc__="""Hazard sections replacing inherited ones (a deployment's, or an operation type's).

    A section left out (``None``) is inherited, section by section: from the operation type's
    sections, else the scenario's :class:`Hazards`.  ``None`` survives ``model_dump`` and
    ``model_validate``, so a scenario sent to a worker as JSON keeps its meaning, and a sweep
    setting ``hazards.danger.rate`` reaches every deployment that does not override ``danger``.
    """,
    **{name: (field.annotation | None, None) for name, field in Hazards.model_fields.items()},
)


ScriptedKind = Literal[
    "conditions_lost",
    "conditions_restored",
    "consent_unstable",
    "suspended",
    "resumed",
    "mission_end",
    "policy_termination",
    "period_extended",
    "tasks_added",
]


class ScriptedEvent(StrictModel):
    """On a date, for a deployment, something that happens for certain (a what-if, or history).

    ``period_extended`` is a Cabinet decision amending the plan (Art. 6(13)) so that its period
    runs until ``until``; it is how a replay follows the real plan periods.  ``tasks_added``
    amends the plan to give ``contingent`` (its label, or its index in the list) the ``tasks``
    listed; an SDF unit given (a)-(g) needs the Diet's approval first (Art. 6(7)).
    """

    date: dt.date
    deployment: str
    event: ScriptedKind
    ground: Ground | None = None
    item: str | None = None
    days: PositiveInt | None = None
    until: dt.date | None = None
    contingent: str | int | None = None
    tasks: list[str] | None = None


class Cap(StrictModel):
    """The personnel cap of Art. 19(1) and what a deployment does when it would exceed it."""

    limit: PositiveInt = law.PERSONNEL_CAP
    policy: Literal["wait", "scale_down"] = "wait"


class Deployment(StrictModel):
    """One implementation under the Act: a plan with its contingents, or an Art. 27 dispatch."""

    id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_\-]*$")
    mission: str = ""
    receiving_country: str = ""
    operation: OperationType
    subtype: Literal["a", "b", "c"] | None = None
    dispatch_under: Literal["implementation_plan", "article_27"] = "implementation_plan"
    request: dt.date
    contingents: list[Contingent] = Field(min_length=1)
    period: Distribution
    extension: Extension = Extension()
    consent: Consents = Consents()
    procedure: ProcedureOverride = ProcedureOverride()
    hazards: HazardsOverride | None = None
    mission_end: dt.date | None = None

    @property
    def personnel(self) -> int:
        """Persons engaged at once when fully deployed."""
        return sum(c.personnel for c in self.contingents)


class ExplicitSession(StrictModel):
    """One Diet session of an explicit calendar (closing day inclusive)."""

    kind: Literal["ordinary", "extraordinary", "special"]
    convened: dt.date
    closed: dt.date
    number: int | None = None
    ended_by: Literal["closed", "dissolution_hr"] = "closed"


class ExplicitRecess(StrictModel):
    """A recess inside a session: no sitting days from ``start`` to ``end`` inclusive."""

    start: dt.date
    end: dt.date


class DietCalendarSpec(StrictModel):
    """Where the Diet's sessions come from (LAW.md section 3).

    ``generated`` draws a new calendar for every replication from parameters fitted to the real
    one (override any of them under ``params``); ``historical`` replays the real sessions since
    1990; ``explicit`` takes sessions, recesses, dissolutions and elections as listed.
    """

    source: Literal["generated", "historical", "explicit"] = "generated"
    params: dict[str, Any] = Field(default_factory=dict)
    sessions: list[ExplicitSession] = Field(default_factory=list)
    recesses: list[ExplicitRecess] = Field(default_factory=list)
    dissolutions: list[dt.date] = Field(default_factory=list)
    elections: list[dt.date] = Field(default_factory=list)
    hc_elections: list[dt.date] = Field(default_factory=list)


class Deliberation(StrictModel):
    """Sitting days each House takes to decide (Art. 6(8) asks for at most 7)."""

    first_house: Distribution = Lognormal(dist="lognormal", median=5, sigma=0.6)
    second_house: Distribution = Lognormal(dist="lognormal", median=5, sigma=0.6)


class ApprovalProbability(StrictModel):
    """Chance that each House approves when it decides; both must approve."""

    representatives: float = Field(default=0.97, ge=0, le=1)
    councillors: float = Field(default=0.95, ge=0, le=1)


class Diet(StrictModel):
    """The Diet's calendar and its procedure on approvals (Art. 6(7)-(12)); assumptions."""

    calendar: DietCalendarSpec = DietCalendarSpec()
    first_house: Literal["representatives", "councillors"] = "representatives"
    deliberation: Deliberation = Deliberation()
    approval_probability: ApprovalProbability = ApprovalProbability()
    carry_over: bool = False
    after_lapse: Literal["seek_again", "abandon"] = "seek_again"
    post_approval_lag: Distribution = Fixed(value=0)
    renewal_lead: Distribution = Fixed(value=30)


class Scenario(StrictModel):
    """Everything one simulation needs; the top level of a scenario YAML file."""

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_\-.]*$")
    description: str = ""
    start: dt.date
    end: dt.date | None = None
    horizon_years: float | None = Field(default=None, gt=0)
    seed: int = Field(default=1992, ge=0)
    replications: PositiveInt = 100
    procedure: Procedure = Procedure()
    diet: Diet = Diet()
    cap: Cap = Cap()
    hazards: Hazards = Hazards()
    hazards_by_operation: dict[OperationType, HazardsOverride] = Field(default_factory=dict)
    deployments: list[Deployment] = Field(min_length=1)
    scripted: list[ScriptedEvent] = Field(default_factory=list)
    alliance: Alliance | None = None

    @model_validator(mode="after")
    def _one_horizon(self) -> Scenario:
        if (self.end is None) == (self.horizon_years is None):
            raise ValueError("give exactly one of 'end' (a date) or 'horizon_years'")
        return self

    @property
    def end_date(self) -> dt.date:
        """The horizon as a date: ``end``, or ``start`` plus ``horizon_years`` of 365.25 days."""
        if self.end is not None:
            return self.end
        assert self.horizon_years is not None
        return self.start + dt.timedelta(days=round(self.horizon_years * 365.25))

    @property
    def horizon_days(self) -> int:
        """Days from ``start`` to the horizon."""
        return (self.end_date - self.start).days


# --- errors ------------------------------------------------------------------------------


class Issue(BaseModel):
    """One problem in a scenario: where it is and why it is wrong."""

    path: str
    reason: str


class ConfigError(ValueError):
    """A scenario that cannot run, with every problem found, ready to print."""

    def __init__(self, source: str, issues: list[Issue]):
        self.source = source
        self.issues = issues
        super().__init__(str(self))

    def __str__(self) -> str:
        count = len(self.issues)
        head = f"{self.source}: {count} problem{'s' if count != 1 else ''}"
        lines = [f"  {i.path or '(top level)'}: {i.reason}" for i in self.issues]
        return "\n".join([head, *lines])


def _format_path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif part in DIST_NAMES or str(part).startswith("function-"):
            continue  # discriminated-union tags are not part of the user's path
        else:
            out += f".{part}" if out else str(part)
    return out


def _model_at(loc: tuple[Any, ...], root: type[BaseModel]) -> type[BaseModel] | None:
    """The model class that owns the last element of ``loc``, for spelling suggestions."""
    model: Any = root
    for part in loc[:-1]:
        if isinstance(part, int) or part in DIST_NAMES:
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return None
        field = model.model_fields.get(part)
        if field is None:
            return None
        model = _unwrap(field.annotation)
    return model if isinstance(model, type) and issubclass(model, BaseModel) else None


def _unwrap(annotation: Any) -> Any:
    while get_origin(annotation) is not None:
        args = [a for a in get_args(annotation) if a is not type(None)]
        models = [a for a in args if isinstance(a, type) and issubclass(a, BaseModel)]
        annotation = models[0] if models else args[0]
    return annotation


def pydantic_issues(error: ValidationError, root: type[BaseModel] | None = None) -> list[Issue]:
    """Pydantic's errors as :class:`Issue` s with user paths and spelling suggestions."""
    issues = []
    for err in error.errors():
        loc = tuple(err["loc"])
        reason = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            owner = _model_at(loc, root or Scenario)
            known = list(owner.model_fields) if owner else []
            close = difflib.get_close_matches(str(loc[-1]), known, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            reason = f"unknown field{hint}" + (f" (known: {', '.join(known)})" if known else "")
        elif err["type"] == "missing":
            reason = "required field is missing"
        issues.append(Issue(path=_format_path(loc), reason=reason))
    return issues


# --- the law pass ------------------------------------------------------------------------


def _check_law(scenario: Scenario) -> list[Issue]:
    """Dates in order, unique ids, and the rulebook's limits on each deployment."""
    issues: list[Issue] = []
    if scenario.end is not None and scenario.end <= scenario.start:
        issues.append(Issue(path="end", reason=f"end {scenario.end} is not after start {scenario.start}"))
    horizon_ok = not issues
    issues += _check_diet(scenario)
    seen: set[str] = set()
    for i, dep in enumerate(scenario.deployments):
        where = f"deployments[{i}]"
        if dep.id in seen:
            issues.append(Issue(path=f"{where}.id", reason=f"duplicate deployment id {dep.id!r}"))
        seen.add(dep.id)
        if horizon_ok:
            issues += _check_dates(scenario, dep, where)
        issues += _check_operation(dep, where)
        issues += _check_contingents(dep, where, scenario.cap)
        issues += _check_periods(dep, where)
    issues += _check_scripted(scenario, horizon_ok)
    if scenario.alliance is not None and horizon_ok:
        issues += _check_alliance(scenario, scenario.alliance)
    return issues


def _check_alliance(scenario: Scenario, alliance: Alliance) -> list[Issue]:
    """The Treaty's dates (Art. VIII, X) and scripted contingencies in order, inside the run."""
    issues: list[Issue] = []
    treaty = alliance.treaty
    start, end = scenario.start, scenario.end_date
    ends = None
    if treaty.notice is not None:
        where = "alliance.treaty.notice"
        if not law.treaty.notice_allowed(treaty.in_force, treaty.notice):
            earliest = law.treaty.earliest_notice(treaty.in_force)
            reason = (f"notice on {treaty.notice} comes before the Treaty has been in force ten years "
                      f"(in force {treaty.in_force}; notice is open from {earliest}, Treaty Art. X)")  # fmt: skip
            issues.append(Issue(path=where, reason=reason))
        elif not start <= treaty.notice < end:
            issues.append(
                Issue(path=where, reason=f"notice on {treaty.notice} is outside the scenario ({start} to {end})")
            )
        ends = law.treaty.termination_date(treaty.notice)
    for k, c in enumerate(alliance.scripted):
        where = f"alliance.scripted[{k}]"
        if not start <= c.tension < end:
            issues.append(
                Issue(path=f"{where}.tension", reason=f"{c.tension} is outside the scenario ({start} to {end})")
            )
        elif c.tension < treaty.in_force:
            reason = f"{c.tension} is before the Treaty entered into force ({treaty.in_force}, Treaty Art. VIII)"
            issues.append(Issue(path=f"{where}.tension", reason=reason))
        elif ends is not None and c.tension >= ends:
            reason = f"{c.tension} is after the Treaty ended ({ends}, one year after notice, Treaty Art. X)"
            issues.append(Issue(path=f"{where}.tension", reason=reason))
        attack = c.armed_attack or None
        if attack is not None and attack < c.tension:
            reason = f"the armed attack ({attack}) comes before the tension that leads to it ({c.tension})"
            issues.append(Issue(path=f"{where}.armed_attack", reason=reason))
        if c.security_council is not None:
            if attack is None:
                reason = "the Security Council acts on an armed attack (Treaty Art. V); give armed_attack a date"
                issues.append(Issue(path=f"{where}.security_council", reason=reason))
            elif c.security_council < attack:
                reason = f"the Security Council ({c.security_council}) cannot act before the armed attack ({attack})"
                issues.append(Issue(path=f"{where}.security_council", reason=reason))
    recall = alliance.recall
    if recall.policy == "above_size" and recall.min_personnel == 0:
        reason = "above_size recalls units of at least min_personnel persons; set min_personnel"
        issues.append(Issue(path="alliance.recall.min_personnel", reason=reason))
    return issues


def _check_dates(scenario: Scenario, dep: Deployment, where: str) -> list[Issue]:
    if dep.request < scenario.start:
        reason = f"request {dep.request} is before the scenario's start {scenario.start}"
        return [Issue(path=f"{where}.request", reason=reason)]
    if dep.request >= scenario.end_date:
        reason = f"request {dep.request} is not before the horizon {scenario.end_date}"
        return [Issue(path=f"{where}.request", reason=reason)]
    return []


def _check_operation(dep: Deployment, where: str) -> list[Issue]:
    issues = []
    cite = law.OPERATION_CITATION[dep.operation]
    has_subtypes = dep.operation in law.OPERATIONS_WITH_SUBTYPES
    if has_subtypes and dep.subtype is None:
        reason = f"{dep.operation.value} needs a sub-type a, b or c ({cite})"
        issues.append(Issue(path=f"{where}.subtype", reason=reason))
    if not has_subtypes and dep.subtype is not None:
        reason = f"{dep.operation.value} has no sub-types ({cite})"
        issues.append(Issue(path=f"{where}.subtype", reason=reason))
    if dep.dispatch_under == "article_27":
        if dep.operation not in law.STAFF_OFFICER_OPERATIONS:
            reason = "Art. 27 dispatches serve UN peacekeeping operations only (Art. 27(1))"
            issues.append(Issue(path=f"{where}.operation", reason=reason))
        if any(c.kind not in law.STAFF_OFFICER_KINDS for c in dep.contingents):
            reason = "Art. 27 dispatches uniformed SDF personnel only: kind must be sdf_personnel (Art. 27(1))"
            issues.append(Issue(path=f"{where}.contingents", reason=reason))
        if dep.extension.max_extensions:
            reason = (
                "an Art. 27 dispatch has no implementation plan to extend; "
                "model a further dispatch as another deployment"
            )
            issues.append(Issue(path=f"{where}.extension", reason=reason))
    elif dep.consent.officer is not None:
        reason = (
            "the officer's own consent is asked only of SDF personnel dispatched to UN headquarters "
            "under Art. 27 (Art. 27(3)); an implementation plan asks no such consent "
            "(remove it, or set dispatch_under: article_27)"
        )
        issues.append(Issue(path=f"{where}.consent.officer", reason=reason))
    return issues


def _check_contingents(dep: Deployment, where: str, cap: Cap) -> list[Issue]:
    issues = []
    for j, cont in enumerate(dep.contingents):
        here = f"{where}.contingents[{j}]"
        if cont.u_similar_to is not None:
            if cont.u_similar_to not in law.TASK_LETTERS[:20]:
                reason = f"must be a task letter (a)-(t), got {cont.u_similar_to!r} (Art. 3(v)(u))"
                issues.append(Issue(path=f"{here}.u_similar_to", reason=reason))
                continue
            if "u" not in cont.tasks:
                reason = "given, but task (u) is not among the tasks"
                issues.append(Issue(path=f"{here}.u_similar_to", reason=reason))
        for v in law.task_violations(dep.operation, cont.kind, cont.tasks, cont.u_similar_to):
            issues.append(Issue(path=f"{here}.tasks", reason=f"{v.reason} ({v.citation})"))
    if dep.personnel > law.PERSONNEL_CAP:
        reason = (
            f"{dep.personnel:,} persons exceed the cap of {law.PERSONNEL_CAP:,} persons engaged at once (Art. 19(1))"
        )
        issues.append(Issue(path=f"{where}.contingents", reason=reason))
    elif dep.personnel > cap.limit and cap.policy == "wait" and dep.dispatch_under != "article_27":
        reason = (
            f"{dep.personnel:,} persons exceed cap.limit of {cap.limit:,} persons engaged at once (Art. 19(1)): "
            "under cap.policy wait the unit would wait for headroom that never comes; "
            "make it smaller, raise cap.limit or use cap.policy scale_down"
        )
        issues.append(Issue(path=f"{where}.contingents", reason=reason))
    return issues


def _always_zero_days(dist: Distribution) -> bool:
    """True if every draw rounds to 0 days (a fixed 0, or values that all round to it)."""
    if isinstance(dist, Fixed):
        return dist.value < 0.5
    if isinstance(dist, Empirical):
        return max(dist.values) < 0.5
    if isinstance(dist, Uniform | Triangular):
        return dist.high < 0.5
    return False  # exponential, lognormal and gamma reach any length


def _check_periods(dep: Deployment, where: str) -> list[Issue]:
    """A plan period, and an extension that can happen, must last at least a day."""
    issues = []
    if _always_zero_days(dep.period):
        reason = "a period of 0 days ends the day it is decided, before anyone can be dispatched; give at least 1 day"
        issues.append(Issue(path=f"{where}.period", reason=reason))
    ext = dep.extension
    if ext.length is not None and (ext.max_extensions or ext.until_mission_end) and _always_zero_days(ext.length):
        reason = (
            "an extension of 0 days leaves the period's end where it was, so the plan would be extended again "
            "on the same day without end (Art. 6(13)); give at least 1 day"
        )
        issues.append(Issue(path=f"{where}.extension.length", reason=reason))
    return issues


def _check_scripted(scenario: Scenario, horizon_ok: bool) -> list[Issue]:
    """Each scripted event names a known deployment, a date in the run, and a lawful item."""
    issues: list[Issue] = []
    by_id = {d.id: d for d in scenario.deployments}
    for k, ev in enumerate(scenario.scripted):
        where = f"scripted[{k}]"
        dep = by_id.get(ev.deployment)
        if dep is None:
            known = ", ".join(by_id)
            issues.append(
                Issue(path=f"{where}.deployment", reason=f"unknown deployment {ev.deployment!r} (known: {known})")
            )
            continue
        if ev.date < scenario.start or (horizon_ok and ev.date >= scenario.end_date):
            reason = f"{ev.event} on {ev.date} is outside the scenario ({scenario.start} to {scenario.end_date})"
            issues.append(Issue(path=f"{where}.date", reason=reason))
        if dep.dispatch_under == "article_27":
            reason = f"{ev.event}: an Art. 27 dispatch has no implementation plan for Art. 6(13) or 8(1) to act on"
            issues.append(Issue(path=f"{where}.event", reason=reason))
            continue
        issues += _check_scripted_law(ev, dep, where)
    return issues


def _check_scripted_law(ev: ScriptedEvent, dep: Deployment, where: str) -> list[Issue]:
    """The Art. 6(13) item and ground a scripted event names must apply to its deployment."""
    item = law.conditions_item(dep.operation, dep.subtype)
    if ev.event == "conditions_lost":
        grounds = law.grounds_for(dep.operation, dep.subtype)
        if ev.item is not None and ev.item != item:
            reason = (
                f"conditions_lost: {ev.item} does not apply to {dep.id} ({dep.operation.value}); its item is {item}"
            )
            return [Issue(path=f"{where}.item", reason=reason)]
        if ev.ground is not None and ev.ground not in grounds:
            names = ", ".join(sorted(g.value for g in grounds))
            reason = f"conditions_lost: {ev.ground.value} is not a ground of {item} for {dep.id} (grounds: {names})"
            return [Issue(path=f"{where}.ground", reason=reason)]
    elif ev.event == "consent_unstable":
        unstable = law.UNSTABLE_CONSENT_ITEM.get(dep.operation)
        removable = [t for c in dep.contingents for t in law.tasks_removed_when_consent_unstable(
            dep.operation, c.tasks, c.u_similar_to)]  # fmt: skip
        if unstable is None or not removable:
            reason = (
                f"consent_unstable: Art. 6(13)(ix)-(xi) concern only tasks (g), (u) likened to (g) and (v) "
                f"of PKO, ICO and humanitarian relief; {dep.id} has none"
            )
            return [Issue(path=f"{where}.event", reason=reason)]
        if ev.item is not None and ev.item != unstable:
            return [
                Issue(path=f"{where}.item", reason=f"consent_unstable: {dep.id}'s item is {unstable}, not {ev.item}")
            ]
    elif ev.ground is not None or ev.item is not None:
        return [Issue(path=f"{where}.ground", reason=f"{ev.event} takes no ground or item")]
    if ev.event == "tasks_added":
        return _check_tasks_added(ev, dep, where)
    if ev.contingent is not None or ev.tasks is not None:
        field = "contingent" if ev.contingent is not None else "tasks"
        return [Issue(path=f"{where}.{field}", reason=f"only tasks_added takes {field}, not {ev.event}")]
    if ev.days is not None and ev.event != "suspended":
        return [Issue(path=f"{where}.days", reason=f"only a suspension takes days, not {ev.event}")]
    if ev.event == "period_extended":
        if ev.until is None:
            return [Issue(path=f"{where}.until", reason="period_extended needs the date the period now runs until")]
        if ev.until <= ev.date:
            reason = f"the period cannot end on {ev.until}, on or before the decision that extends it ({ev.date})"
            return [Issue(path=f"{where}.until", reason=reason)]
    elif ev.until is not None:
        return [Issue(path=f"{where}.until", reason=f"only period_extended takes until, not {ev.event}")]
    return []


def scripted_contingent(dep: Deployment, named: str | int | None) -> int | None:
    """The index of the contingent a scripted event names by label or index, or None."""
    if isinstance(named, int):
        return named if 0 <= named < len(dep.contingents) else None
    labels = [c.label for c in dep.contingents]
    return labels.index(named) if named in labels else None


def _check_tasks_added(ev: ScriptedEvent, dep: Deployment, where: str) -> list[Issue]:
    """A plan change adding tasks names one contingent and tasks it may lawfully be given."""
    j = scripted_contingent(dep, ev.contingent)
    if j is None:
        labels = ", ".join(repr(c.label) for c in dep.contingents if c.label) or "none"
        reason = (f"tasks_added needs the contingent given the tasks: a label of {dep.id}'s contingents "
                  f"(labels: {labels}) or an index 0-{len(dep.contingents) - 1}, got {ev.contingent!r}")  # fmt: skip
        return [Issue(path=f"{where}.contingent", reason=reason)]
    if not ev.tasks:
        return [Issue(path=f"{where}.tasks", reason="tasks_added needs at least one task letter")]
    cont = dep.contingents[j]
    issues = [
        Issue(path=f"{where}.tasks", reason=f"{v.reason} ({v.citation})")
        for v in law.task_violations(dep.operation, cont.kind, ev.tasks, cont.u_similar_to)
    ]
    if not issues and set(ev.tasks) <= set(cont.tasks):
        reason = f"contingent {j} of {dep.id} already has tasks {', '.join(f'({t})' for t in ev.tasks)}"
        issues.append(Issue(path=f"{where}.tasks", reason=reason))
    return issues


def _check_diet(scenario: Scenario) -> list[Issue]:
    """The calendar must be buildable and, if historical, cover the scenario's dates."""
    spec = scenario.diet.calendar
    if spec.source == "generated":
        known = {f.name for f in dataclasses.fields(CalendarParams)}
        unknown = sorted(set(spec.params) - known)
        if unknown:
            close = difflib.get_close_matches(unknown[0], known, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            return [Issue(path=f"diet.calendar.params.{unknown[0]}", reason=f"unknown parameter{hint}")]
        try:
            dataclasses.replace(CalendarParams(), **spec.params)
        except (TypeError, ValueError) as exc:
            return [Issue(path="diet.calendar.params", reason=str(exc))]
        return []
    if spec.params:
        return [Issue(path="diet.calendar.params", reason=f"only a generated calendar has params, not {spec.source}")]
    if spec.source == "historical":
        sessions = DietCalendar.historical().sessions
        first, last = sessions[0].convened, sessions[-1].closed
        if scenario.start < first or scenario.end_date > last:
            reason = (
                f"the historical calendar covers {first} to {last}; the scenario runs "
                f"{scenario.start} to {scenario.end_date} (use a generated or explicit calendar beyond it)"
            )
            return [Issue(path="diet.calendar.source", reason=reason)]
    if spec.source == "explicit":
        if not spec.sessions:
            return [Issue(path="diet.calendar.sessions", reason="an explicit calendar lists at least one session")]
        try:
            explicit_calendar(spec)
        except ValueError as exc:
            return [Issue(path="diet.calendar", reason=str(exc))]
    return []


def explicit_calendar(spec: DietCalendarSpec) -> DietCalendar:
    """The :class:`DietCalendar` an explicit calendar spec lists."""
    return DietCalendar.explicit(
        [s.model_dump() for s in spec.sessions],
        [(r.start, r.end) for r in spec.recesses],
        spec.dissolutions,
        spec.elections,
        spec.hc_elections,
    )


# --- loading -----------------------------------------------------------------------------


def read_yaml(path: Path) -> Any:
    """A YAML file's data; a missing file or bad YAML is a :class:`ConfigError` naming the line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(str(path), [Issue(path="", reason=f"cannot read file: {exc.strerror}")]) from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ConfigError(str(path), [Issue(path=where, reason=f"not valid YAML: {problem}")]) from None


def parse_scenario(data: Mapping[str, Any], source: str = "<scenario>") -> Scenario:
    """Validate a mapping as a scenario; raise :class:`ConfigError` listing every problem."""
    if not isinstance(data, Mapping):
        raise ConfigError(source, [Issue(path="", reason="a scenario must be a mapping of fields")])
    try:
        scenario = Scenario.model_validate(dict(data))
    except ValidationError as exc:
        raise ConfigError(source, pydantic_issues(exc)) from None
    issues = _check_law(scenario)
    if issues:
        raise ConfigError(source, issues)
    return scenario


def load_scenario(source: str | Path | Mapping[str, Any] | Scenario) -> Scenario:
    """A validated :class:`Scenario` from a YAML path, a mapping, or a scenario itself."""
    if isinstance(source, Scenario):
        return source
    if isinstance(source, Mapping):
        return parse_scenario(source)
    from sim.include import read_scenario_file  # include.py builds on read_yaml above

    path = Path(source)
    return parse_scenario(read_scenario_file(path), source=str(path))
