"""A scenario's deployments resolved once, before any replication runs.

Everything that does not change between replications is asked of the rulebook here, not in
the hot loop: which consents are missing (Art. 6(1)), whether prior approval is needed
(Art. 6(7)), the Art. 6(13) item, the lags with per-deployment overrides applied, and the
request day as an offset from the scenario's start.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from sim import law, randomness
from sim.law import Consent
from sim.law.versions import CURRENT, ActVersion
from sim.scenario import (
    Contingent,
    Deployment,
    Hazards,
    Procedure,
    Scenario,
    ScriptedEvent,
    added_contingents,
    scripted_contingent,
    with_added,
)
from sim.scenario.asof import decision_day, law_on
from sim.scenario.distributions import Distribution, Fixed

_LAGS = tuple(Procedure.model_fields)
"""Every lag of the lifecycle, as the scenario's ``procedure`` names them."""


_T = TypeVar("_T")


class _kept(Generic[_T]):
    """A property of a plan computed on its first use and kept on the plan (it is fixed for the run).

    :func:`functools.cached_property` without the lock Python 3.11 takes on every first use, which
    cost more than the property: a plan is made for every arriving deployment of every replication.
    """

    def __init__(self, compute: Callable[[Any], _T]):
        self.compute = compute
        self.name = compute.__name__
        self.__doc__ = compute.__doc__

    def __get__(self, plan: Any, owner: type | None = None) -> _T:
        if plan is None:
            return self  # type: ignore[return-value]
        value = plan.__dict__[self.name] = self.compute(plan)  # a frozen dataclass's __setattr__ is bypassed
        return value


@dataclass(frozen=True)
class Rotation:
    """A contingent relieved every ``length`` days (its members' term, Art. 12(1), 13(2), 14)."""

    length: Distribution
    contingent: int


@dataclass(frozen=True)
class PlannedDeployment:
    """One deployment with its rulebook answers and lags fixed for the whole run."""

    index: int
    spec: Deployment
    stream_key: int
    request_day: int
    lags: dict[str, Distribution]
    missing_consent: tuple[tuple[str, str], ...]
    approval_contingents: tuple[int, ...]
    """Art. 6(7): the contingents whose dispatch the Diet approves (SDF units doing (a)-(g))."""
    free_contingents: tuple[int, ...]
    """The plan's other contingents, which go on their own dates whatever the Diet does."""
    tasks_added_need_approval: bool
    dispatch_on: tuple[int | None, ...]
    """Each contingent's own dispatch date as a day of the run, if it has one."""
    returns_on: tuple[int | None, ...]
    """Each contingent's own return date as a day of the run, if it has one."""
    conditions_item: str
    rotations: tuple[Rotation, ...]
    extension_length: Distribution
    hazards: Hazards
    scripted: tuple[tuple[int, ScriptedEvent], ...]
    period_changes: tuple[tuple[int, int | None, str, dt.date], ...]
    """Scripted period changes: (day decided, day the period runs until, that date, the decision's date);
    no end (None, "") where the change does not give it: the extension's length then says."""
    unstable_item: str | None
    removable_tasks: tuple[frozenset[str], ...]
    mission_end_day: int | None
    added: tuple[tuple[int, int, ScriptedEvent], ...] = ()
    """Contingents a plan change adds (Art. 6(13)): (its index, the day of the change, the change).
    They follow the plan's own in ``spec.contingents``; until the change they are not in the plan."""
    law: ActVersion = CURRENT
    """The text of the Act its Cabinet decision was judged under (:mod:`sim.scenario.asof`)."""
    _assignments: dict[tuple[int, frozenset[str]], bool] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )
    """The rulebook's answers of :meth:`carries_approval_assignment`, by contingent and tasks; shared by a
    template's arrivals (:meth:`arriving`), whose operation, contingents and law are the template's."""

    def carries_approval_assignment(self, j: int, tasks: frozenset[str]) -> bool:
        """Art. 6(7): contingent ``j``, doing ``tasks`` now, carries assignments the Diet approves.

        The rulebook is asked once per contingent and set of tasks, not at every step of every renewal
        (issue 19); only a plan change (Art. 6(13)) changes a contingent's tasks.
        """
        key = (j, tasks)
        answer = self._assignments.get(key)
        if answer is None:
            c = self.spec.contingents[j]
            answer = self._assignments[key] = self.law.is_approval_assignment(
                self.spec.operation, c.kind, _effective_tasks(c, tasks)
            )
        return answer

    @_kept  # asked on every step of every replication; fixed for the run
    def initial(self) -> tuple[int, ...]:
        """The contingents of the plan as the Cabinet decided it (not those a later change adds)."""
        return tuple(j for j in range(len(self.spec.contingents)) if j not in self.added_indices)

    @_kept  # asked on every step of every replication; fixed for the run
    def needs_field(self) -> bool:
        """True if anything can happen in the field: a hazard, a scripted event or a mission end."""
        h = self.hazards
        rates = (h.conditions_lost.rate, h.consent_unstable.rate, h.danger.rate, h.mission_end.rate,
                 h.policy_termination.rate)  # fmt: skip
        return bool(self.scripted) or self.mission_end_day is not None or any(rates)

    @_kept  # asked on every step of every replication; fixed for the run
    def needs_prior_approval(self) -> bool:
        """Art. 6(7): some contingent's dispatch waits for the Diet's approval."""
        return bool(self.approval_contingents)

    @_kept  # asked on every step of every replication; fixed for the run
    def needs_diet(self) -> bool:
        """The Diet acts on this plan: on its dispatch, or on a plan change adding (a)-(g)."""
        added = any(self.added_needs_approval(j) for j in self.added_indices)
        return self.needs_prior_approval or self.tasks_added_need_approval or added

    @_kept  # asked on every step of every replication; fixed for the run
    def added_indices(self) -> tuple[int, ...]:
        """The contingents a plan change adds (:attr:`added`)."""
        return tuple(j for j, _, _ in self.added)

    def added_needs_approval(self, j: int) -> bool:
        """Art. 6(7): an added contingent is an SDF unit doing (a)-(g), whose dispatch the Diet approves."""
        return self.carries_approval_assignment(j, frozenset(self.spec.contingents[j].tasks))

    def contingent_label(self, j: int) -> str:
        """A contingent as the log names it (:func:`contingent_name`)."""
        return self._labels[j]

    @_kept  # the rulebook asked once per run, not at every loss of the conditions drawn
    def grounds(self) -> tuple[law.Ground, ...]:
        """Art. 6(13)(i)-(viii): the grounds on which this deployment's conditions can be lost, sorted."""
        return tuple(sorted(law.grounds_for(self.spec.operation, self.spec.subtype)))

    @_kept  # a rotation logs its contingent's name: named once per run, not per event
    def _labels(self) -> tuple[str, ...]:
        return tuple(contingent_name(c) for c in self.spec.contingents)

    @property
    def id(self) -> str:
        return self.spec.id

    def arriving(self, index: int, spec: Deployment, request_day: int) -> PlannedDeployment:
        """This plan as a stream's template, taken by one arrival: its own lane, id, request and stream.

        Everything the rulebook answered for the template holds for the arrival (only the id and the
        request differ), so the template's answers, kept ones included, are copied, not asked again.
        """
        for name in _KEPT:
            getattr(self, name)  # computed once on the template, then copied to each of its arrivals
        arrival = object.__new__(PlannedDeployment)
        # a copy of the fields, not dataclasses.replace: that re-runs the frozen __init__ and forgets the
        # kept answers, ~20 us an arrival, a tenth of a portfolio's replication (issue 19)
        arrival.__dict__.update(self.__dict__, index=index, spec=spec, request_day=request_day,
                                stream_key=randomness.deployment_key(spec.id))  # fmt: skip
        return arrival

    @_kept  # asked on every step of every replication; fixed for the run
    def is_article_27(self) -> bool:
        return self.spec.dispatch_under == "article_27"

    @_kept  # asked on every step of every replication; fixed for the run
    def counts_toward_cap(self) -> bool:
        """Art. 19 caps persons engaged in assignments; an Art. 27 officer serves the UN instead."""
        return not self.is_article_27


_KEPT = tuple(name for name, value in vars(PlannedDeployment).items() if isinstance(value, _kept))
"""The plan's kept answers (:class:`_kept`), which an arrival copies from its template."""


def contingent_name(cont: Contingent) -> str:
    """A contingent as the log names it: its label, else its kind."""
    return cont.label or cont.kind.value


def _effective_tasks(cont: Contingent, tasks: Iterable[str] | None = None) -> list[str]:
    """The contingent's tasks (or ``tasks`` it does now) as the rules count them: (u) as its likeness."""
    return [law.effective_task(t, cont.u_similar_to) for t in (cont.tasks if tasks is None else tasks)]


def _approval_contingents(dep: Deployment, version: ActVersion) -> tuple[int, ...]:
    """Art. 6(7): the contingents that carry assignments the Diet must approve (none under Art. 27)."""
    if dep.dispatch_under != "implementation_plan":
        return ()
    return tuple(j for j, c in enumerate(dep.contingents)
                 if version.is_approval_assignment(dep.operation, c.kind, _effective_tasks(c)))  # fmt: skip


def _tasks_added_need_approval(scenario: Scenario, dep: Deployment) -> bool:
    """True if a scripted plan change gives an SDF unit of ``dep`` a task Art. 6(7) covers."""
    for ev in scenario.scripted:
        if ev.deployment != dep.id or ev.event != "tasks_added" or dep.dispatch_under != "implementation_plan":
            continue
        cont = dep.contingents[scripted_contingent(dep, ev.contingent) or 0]
        added = [law.effective_task(t, cont.u_similar_to) for t in ev.tasks or ()]
        if law_on(scenario.law, ev.date).is_approval_assignment(dep.operation, cont.kind, added):
            return True
    return False


def _missing_consent(dep: Deployment, version: ActVersion) -> tuple[tuple[str, str], ...]:
    """The consents not found at decision time, each with the provision that asks for it.

    A plan needs those of Art. 6(1); an Art. 27 dispatch needs the Prime Minister's consent, which
    Art. 27(2) allows only with the consents of Art. 3(i)(a)-(c) found stable.  (The officer's own
    consent, Art. 27(3), is drawn in the lifecycle.)
    """
    if dep.dispatch_under == "article_27":
        required = law.staff_officer_consents_required(dep.operation, dep.subtype)
    else:
        tasks = [t for c in dep.contingents for t in _effective_tasks(c)]
        required = version.consents_required(dep.operation, dep.subtype, tasks)
    given = {
        Consent.HOST: dep.consent.host,
        Consent.PARTIES: dep.consent.parties,
        Consent.NO_CLEAR_OPPOSITION: dep.consent.no_clear_opposition,
        Consent.STABLE: dep.consent.stable,
    }
    return tuple((c.value, cite) for c, cite in required.items() if not given[c])


def _rotations(dep: Deployment) -> tuple[Rotation, ...]:
    return tuple(Rotation(c.rotation, j) for j, c in enumerate(dep.contingents) if c.rotation is not None)


def resolve_hazards(scenario: Scenario, dep: Deployment) -> Hazards:
    """Each hazard section from the deployment, else its operation type, else the scenario.

    A section is overridden when a layer gives it (not ``None``); nothing depends on which
    fields pydantic saw set, so a scenario that went through JSON resolves the same way.
    """
    layers = [h for h in (dep.hazards, scenario.hazards_by_operation.get(dep.operation)) if h is not None]
    sections = {}
    for name in Hazards.model_fields:
        given = (getattr(h, name) for h in layers if getattr(h, name) is not None)
        sections[name] = next(given, getattr(scenario.hazards, name))
    return Hazards(**sections)


def _scripted(scenario: Scenario, dep: Deployment) -> tuple[tuple[int, ScriptedEvent], ...]:
    """This deployment's scripted field events as (day, event), in date order (ties as listed)."""
    mine = [
        ((ev.date - scenario.start).days, ev)
        for ev in scenario.scripted
        if ev.deployment == dep.id and ev.event not in ("period_extended", "contingent_added")
    ]
    return tuple(sorted(mine, key=lambda pair: pair[0]))


def _period_changes(scenario: Scenario, dep: Deployment) -> tuple[tuple[int, int, str, dt.date], ...]:
    """Scripted plan amendments as (day decided, day the period runs until, that date, the decision's
    date, which may be known only to its month), in date order."""
    mine = [
        (
            (ev.date - scenario.start).days,
            None if ev.until is None else (ev.until - scenario.start).days,
            "" if ev.until is None else ev.until.isoformat(),
            ev.date,
        )
        for ev in scenario.scripted
        if ev.deployment == dep.id and ev.event == "period_extended"
    ]
    return tuple(sorted(mine, key=lambda pair: pair[0]))


def _day(scenario: Scenario, date: dt.date | None) -> int | None:
    return None if date is None else (date - scenario.start).days


def plan_portfolio(scenario: Scenario) -> tuple[PlannedDeployment, ...]:
    """Resolve every listed deployment of ``scenario`` against the rulebook."""
    return tuple(plan_deployment(scenario, dep, index) for index, dep in enumerate(scenario.deployments))


def plan_deployment(scenario: Scenario, decided: Deployment, index: int) -> PlannedDeployment:
    """Resolve one deployment against the rulebook; ``index`` is its lane in the tables."""
    dep = with_added(scenario, decided)
    added = tuple(
        (len(decided.contingents) + k, (ev.date - scenario.start).days, ev)
        for k, ev in enumerate(added_contingents(scenario, decided.id))
    )
    lags = {name: getattr(dep.procedure, name) or getattr(scenario.procedure, name)
            for name in _LAGS}  # fmt: skip
    version = law_on(scenario.law, decision_day(lags["request_to_decision"], dep.request))
    approval = _approval_contingents(decided, version)  # the plan's own; an added one, when added
    return PlannedDeployment(
        index=index,
        spec=dep,
        stream_key=randomness.deployment_key(dep.id),
        request_day=(dep.request - scenario.start).days,
        lags=lags,
        missing_consent=_missing_consent(decided, version),
        approval_contingents=approval,
        free_contingents=tuple(j for j in range(len(decided.contingents)) if j not in approval),
        tasks_added_need_approval=_tasks_added_need_approval(scenario, dep),
        dispatch_on=tuple(_day(scenario, c.dispatch_on) for c in dep.contingents),
        returns_on=tuple(_day(scenario, c.returns_on) for c in dep.contingents),
        conditions_item=version.conditions_item(dep.operation, dep.subtype),
        rotations=_rotations(dep),
        extension_length=dep.extension.length or dep.period,
        hazards=resolve_hazards(scenario, dep),
        scripted=_scripted(scenario, dep),
        period_changes=_period_changes(scenario, dep),
        unstable_item=version.unstable_item(dep.operation),
        removable_tasks=tuple(
            version.tasks_removed_when_consent_unstable(dep.operation, c.tasks, c.u_similar_to) for c in dep.contingents
        ),
        mission_end_day=None if dep.mission_end is None else (dep.mission_end - scenario.start).days,
        added=added,
        law=version,
    )


def is_deterministic(scenario: Scenario) -> bool:
    """True if every duration is fixed and nothing (an extension, an Art. 27 officer's consent, the
    alliance, a stream's arrivals) is left to chance."""
    if scenario.alliance is not None and not scenario.alliance.is_deterministic():
        return False
    if scenario.streams:
        return False  # arrivals are drawn
    planned = plan_portfolio(scenario)
    for p in planned:
        dists = [*p.lags.values(), p.spec.period, p.extension_length]
        dists += [r.length for r in p.rotations]
        if not all(isinstance(d, Fixed) for d in dists):
            return False
        if p.spec.extension.max_extensions and p.spec.extension.probability not in (0.0, 1.0):
            return False
        if p.is_article_27 and p.spec.consent.officer_probability not in (0.0, 1.0):
            return False
    return True
