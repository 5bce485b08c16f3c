"""The law pass: is a scenario that pydantic accepted lawful, and can it run?

Asks the rulebook (tasks per operation and per contingent kind, Art. 3(v), 6(5), 6(6), 12(1),
13(1); the cap, Art. 19(1); the Art. 6(13) item a scripted event names; Art. 27) and checks dates
in order, unique ids and a buildable Diet calendar.  Every problem is an :class:`Issue` naming
the field, the reason and, where the law is the reason, the article; all are returned at once.
"""

from __future__ import annotations

import dataclasses

from sim import law
from sim.diet.calendar import DietCalendar
from sim.diet.generator import CalendarParams
from sim.law.versions import ActVersion
from sim.scenario.alliance import Alliance
from sim.scenario.asof import decision_day, law_on
from sim.scenario.bounds import LATEST_DATE
from sim.scenario.calendars import explicit_calendar
from sim.scenario.distributions import Distribution, Empirical, Fixed, Triangular, Uniform
from sim.scenario.errors import Issue
from sim.scenario.models import Cap, Deployment, Scenario, ScriptedEvent, with_added
from sim.scenario.rates import expected_arrivals
from sim.scenario.streams import Stream, is_arrival_of
from sim.scenario.templates import stream_end, stream_start, template_deployment, template_issues


def check_law(scenario: Scenario) -> list[Issue]:
    """Dates in order, unique ids, and the rulebook's limits on each deployment."""
    issues: list[Issue] = []
    if scenario.end is not None and scenario.end <= scenario.start:
        issues.append(Issue(path="end", reason=f"end {scenario.end} is not after start {scenario.start}"))
    if scenario.end_date > LATEST_DATE:
        reason = (f"{scenario.horizon_years:g} years from {scenario.start} run to {scenario.end_date}, "
                  f"past the last date the simulator handles ({LATEST_DATE})")  # fmt: skip
        issues.append(Issue(path="horizon_years", reason=reason))
    horizon_ok = not issues
    issues += _check_diet(scenario)
    seen: set[str] = set()
    for i, dep in enumerate(scenario.deployments):
        where = f"deployments[{i}]"
        issues += _duplicate(seen, dep.id, f"{where}.id", "deployment id")
        if horizon_ok:
            issues += _check_dates(scenario, dep, where)
        version, problem = _decision_law(scenario, dep, where)
        if problem is not None:
            issues.append(problem)
            continue
        issues += _check_operation(dep, where, version)
        issues += _check_contingents(dep, where, scenario.cap, version)
        issues += _check_periods(dep, where)
    issues += _check_scripted(scenario, horizon_ok)
    issues += _check_streams(scenario, horizon_ok)
    if scenario.alliance is not None and horizon_ok:
        issues += _check_alliance(scenario, scenario.alliance)
    return issues


def _decision_law(scenario: Scenario, dep: Deployment, where: str) -> tuple[ActVersion, Issue | None]:
    """The text of the Act judging ``dep``'s Cabinet decision (:mod:`sim.scenario.asof`), or why none does."""
    lag = dep.procedure.request_to_decision or scenario.procedure.request_to_decision
    try:
        return law_on(scenario.law, decision_day(lag, dep.request)), None
    except ValueError as exc:
        return law.versions.CURRENT, Issue(path=f"{where}.request", reason=str(exc))


def _duplicate(seen: set[str], value: str, path: str, what: str) -> list[Issue]:
    """An issue if ``value`` was seen before (and note it as seen)."""
    if value in seen:
        return [Issue(path=path, reason=f"duplicate {what} {value!r}")]
    seen.add(value)
    return []


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
    if dep.mission_end is not None and dep.mission_end <= dep.request:
        reason = (f"the UN mission ends on {dep.mission_end}, not after the request ({dep.request}): "
                  "there would be no mission to serve")  # fmt: skip
        return [Issue(path=f"{where}.mission_end", reason=reason)]
    return []


def _check_operation(dep: Deployment, where: str, version: ActVersion) -> list[Issue]:
    issues = []
    absent = version.operation_violation(dep.operation, dep.subtype)
    if absent is not None:
        return [Issue(path=f"{where}.operation", reason=absent)]
    cite = law.OPERATION_CITATION[dep.operation]
    has_subtypes = dep.operation in law.OPERATIONS_WITH_SUBTYPES
    if has_subtypes and dep.subtype is None:
        reason = f"{dep.operation.value} needs a sub-type a, b or c ({cite})"
        issues.append(Issue(path=f"{where}.subtype", reason=reason))
    if not has_subtypes and dep.subtype is not None:
        reason = f"{dep.operation.value} has no sub-types ({cite})"
        issues.append(Issue(path=f"{where}.subtype", reason=reason))
    if dep.dispatch_under == "article_27":
        if (absent := version.article_27_violation()) is not None:
            return [Issue(path=f"{where}.dispatch_under", reason=absent)]
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


def _check_contingent_dates(dep: Deployment, where: str) -> list[Issue]:
    """A contingent's own dispatch and return: after the request, in order, for a plan only."""
    issues = []
    for j, cont in enumerate(dep.contingents):
        here = f"{where}.contingents[{j}]"
        own = {"dispatch_on": cont.dispatch_on, "dispatch_lag": cont.dispatch_lag, "returns_on": cont.returns_on}
        given = [name for name, value in own.items() if value is not None]
        if given and dep.dispatch_under == "article_27":
            reason = "an Art. 27 officer is dispatched and comes home with the dispatch itself (Art. 27(1))"
            issues.append(Issue(path=f"{here}.{given[0]}", reason=reason))
            continue
        if cont.dispatch_on is not None and cont.dispatch_on <= dep.request:
            reason = (
                f"{cont.dispatch_on} is not after the request ({dep.request}): no dispatch before a Cabinet decision"
            )
            issues.append(Issue(path=f"{here}.dispatch_on", reason=reason))
        if cont.returns_on is not None and cont.returns_on <= (cont.dispatch_on or dep.request):
            reason = f"{cont.returns_on} is not after its dispatch ({cont.dispatch_on or 'after the request'})"
            issues.append(Issue(path=f"{here}.returns_on", reason=reason))
    return issues


def _check_contingents(dep: Deployment, where: str, cap: Cap, version: ActVersion) -> list[Issue]:
    issues = _check_contingent_dates(dep, where)
    for j, cont in enumerate(dep.contingents):
        here = f"{where}.contingents[{j}]"
        if cont.u_similar_to is not None:
            if cont.u_similar_to not in law.LIKENABLE_TASKS:
                reason = f"must be a task letter (a)-(t), got {cont.u_similar_to!r} (Art. 3(v)(u))"
                issues.append(Issue(path=f"{here}.u_similar_to", reason=reason))
                continue
            if "u" not in cont.tasks:
                reason = "given, but task (u) is not among the tasks"
                issues.append(Issue(path=f"{here}.u_similar_to", reason=reason))
        for v in version.task_violations(dep.operation, cont.kind, cont.tasks, cont.u_similar_to):
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
    """A plan period, an extension that can happen and a rotation's term must last at least a day."""
    issues = []
    if _always_zero_days(dep.period):
        reason = "a period of 0 days ends the day it is decided, before anyone can be dispatched; give at least 1 day"
        issues.append(Issue(path=f"{where}.period", reason=reason))
    for j, cont in enumerate(dep.contingents):
        if cont.rotation is not None and _always_zero_days(cont.rotation):
            reason = (
                f"a term of 0 days would relieve the contingent every day it serves; give at least 1 day, "
                f"or leave rotation out ({law.ROTATION_BASIS[cont.kind]})"
            )
            issues.append(Issue(path=f"{where}.contingents[{j}].rotation", reason=reason))
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
    by_id = {d.id: with_added(scenario, d) for d in scenario.deployments}
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
        if (dep.operation in law.OPERATIONS_WITH_SUBTYPES) != (dep.subtype is not None):
            continue  # the item an event names depends on the sub-type, whose problem is already reported
        try:
            version = law_on(scenario.law, ev.date)
        except ValueError as exc:
            issues.append(Issue(path=f"{where}.date", reason=str(exc)))
            continue
        earlier = tuple(e for e in scenario.scripted if e.deployment == ev.deployment and e.date < ev.date)
        issues += _check_scripted_law(ev, dep, where, scenario.cap, version, earlier)
    return issues


def _check_scripted_law(
    ev: ScriptedEvent,
    dep: Deployment,
    where: str,
    cap: Cap,
    version: ActVersion,
    earlier: tuple[ScriptedEvent, ...] = (),
) -> list[Issue]:
    """The Art. 6(13) item and ground a scripted event names must apply to its deployment, under the
    text in force on the event's date.

    ``earlier`` are the scenario's scripted events dated before this one (the tasks a plan change
    may remove include those an earlier one added)."""
    item = version.conditions_item(dep.operation, dep.subtype)
    if ev.event == "conditions_lost":
        grounds = version.grounds_for(dep.operation, dep.subtype)
        if ev.item is not None and ev.item not in (item, item.split(" [")[0]):
            reason = (
                f"conditions_lost: {ev.item} does not apply to {dep.id} ({dep.operation.value}); its item is {item}"
            )
            return [Issue(path=f"{where}.item", reason=reason)]
        if ev.ground is not None and ev.ground not in grounds:
            names = ", ".join(sorted(g.value for g in grounds))
            reason = f"conditions_lost: {ev.ground.value} is not a ground of {item} for {dep.id} (grounds: {names})"
            return [Issue(path=f"{where}.ground", reason=reason)]
    elif ev.event == "consent_unstable":
        unstable = version.unstable_item(dep.operation)
        removable = [t for c in dep.contingents for t in version.tasks_removed_when_consent_unstable(
            dep.operation, c.tasks, c.u_similar_to)]  # fmt: skip
        if not version.is_current:
            since = law.versions.CURRENT
            reason = (f"consent_unstable: Art. 6(13)(ix)-(xi) do not exist before {since.in_force} "
                      f"({since.amendment.act})")  # fmt: skip
            return [Issue(path=f"{where}.event", reason=reason)]
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
    if ev.mission is not None and ev.event != "mission_handed_over":
        return [Issue(path=f"{where}.mission", reason=f"{ev.event} takes no mission")]
    if ev.event == "contingent_added":
        return _check_contingent_added(ev, dep, where, cap, version)
    if ev.added is not None:
        return [Issue(path=f"{where}.added", reason=f"{ev.event} adds no contingent (only contingent_added does)")]
    if ev.event == "tasks_added":
        return _check_tasks_added(ev, dep, where, version)
    if ev.event == "tasks_removed":
        return _check_tasks_removed(ev, dep, where, earlier)
    if ev.event == "size_changed":
        return _check_size_changed(ev, dep, where, cap)
    needs = _NEEDS.get(ev.event, set())
    for field in sorted(needs):
        if getattr(ev, field) is None:
            return [Issue(path=f"{where}.{field}", reason=f"{ev.event} needs {_NEEDS_WHAT[field]}")]
    if "contingent" in needs and scripted_contingent(dep, ev.contingent) is None:
        return [_unknown_contingent(ev, dep, where)]
    for field in ("contingent", "tasks", "personnel", "mission"):
        if field not in needs and getattr(ev, field) is not None:
            return [Issue(path=f"{where}.{field}", reason=f"{ev.event} takes no {field}")]
    if ev.days is not None and ev.event != "suspended":
        return [Issue(path=f"{where}.days", reason=f"only a suspension takes days, not {ev.event}")]
    if ev.event == "period_extended":
        if ev.until is not None and ev.until <= ev.date:
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


_NEEDS = {"relieved": {"contingent"}, "contingent_ended": {"contingent"}, "mission_handed_over": {"mission"}}
"""Scripted events of plan changes and reliefs, with the fields each needs (tasks_added and
size_changed are checked by their own functions)."""
_NEEDS_WHAT = {"contingent": "the contingent (its label or index)", "mission": "the successor mission's name"}


def _unknown_contingent(ev: ScriptedEvent, dep: Deployment, where: str) -> Issue:
    labels = ", ".join(repr(c.label) for c in dep.contingents if c.label) or "none"
    reason = (f"{ev.event} needs the contingent it changes: a label of {dep.id}'s contingents "
              f"(labels: {labels}) or an index 0-{len(dep.contingents) - 1}, got {ev.contingent!r}")  # fmt: skip
    return Issue(path=f"{where}.contingent", reason=reason)


def _check_size_changed(ev: ScriptedEvent, dep: Deployment, where: str, cap: Cap) -> list[Issue]:
    """A change of size names one contingent and a size the cap can ever hold (Art. 19(1))."""
    j = scripted_contingent(dep, ev.contingent)
    if j is None:
        return [_unknown_contingent(ev, dep, where)]
    if ev.personnel is None:
        return [Issue(path=f"{where}.personnel", reason="size_changed needs the contingent's new size in persons")]
    if ev.tasks is not None:
        return [Issue(path=f"{where}.tasks", reason="size_changed takes no tasks")]
    others = dep.personnel - dep.contingents[j].personnel
    limit = min(cap.limit, law.PERSONNEL_CAP)
    if others + ev.personnel > limit:
        reason = (f"{others + ev.personnel:,} persons in {dep.id} after the change exceed the cap of {limit:,} "
                  f"persons engaged at once (Art. 19(1))")  # fmt: skip
        return [Issue(path=f"{where}.personnel", reason=reason)]
    return []


def _task_change(ev: ScriptedEvent, dep: Deployment, where: str) -> tuple[int, list[Issue]]:
    """A plan change of tasks (added or removed) names one contingent and at least one task letter:
    the contingent's index, or the problems."""
    j = scripted_contingent(dep, ev.contingent)
    if j is None:
        return -1, [_unknown_contingent(ev, dep, where)]
    if ev.personnel is not None:
        return j, [Issue(path=f"{where}.personnel", reason=f"{ev.event} takes no personnel")]
    if not ev.tasks:
        return j, [Issue(path=f"{where}.tasks", reason=f"{ev.event} needs at least one task letter")]
    return j, []


def _check_tasks_added(ev: ScriptedEvent, dep: Deployment, where: str, version: ActVersion) -> list[Issue]:
    """A plan change adding tasks names one contingent and tasks it may lawfully be given."""
    j, problems = _task_change(ev, dep, where)
    if problems:
        return problems
    cont = dep.contingents[j]
    issues = [
        Issue(path=f"{where}.tasks", reason=f"{v.reason} ({v.citation})")
        for v in version.task_violations(dep.operation, cont.kind, ev.tasks, cont.u_similar_to)
    ]
    if not issues and set(ev.tasks) <= set(cont.tasks):
        reason = f"contingent {j} of {dep.id} already has tasks {', '.join(f'({t})' for t in ev.tasks)}"
        issues.append(Issue(path=f"{where}.tasks", reason=reason))
    return issues


def _check_contingent_added(
    ev: ScriptedEvent, dep: Deployment, where: str, cap: Cap, version: ActVersion
) -> list[Issue]:
    """A plan change adding a contingent (Art. 6(13)): a lawful contingent, dated from the change on,
    with a label of its own, and the plan with it under the cap (Art. 19(1)).  ``dep`` already holds
    the added contingents (:func:`~sim.scenario.models.with_added`)."""
    added = ev.added
    if added is None:
        reason = "contingent_added needs the contingent it adds: added: {kind, personnel, tasks, ...}"
        return [Issue(path=f"{where}.added", reason=reason)]
    for field in ("contingent", "tasks", "personnel", "until", "days"):
        if getattr(ev, field) is not None:
            reason = f"contingent_added takes no {field} (the contingent's own fields go under added)"
            return [Issue(path=f"{where}.{field}", reason=reason)]
    here = f"{where}.added"
    issues = [
        Issue(path=f"{here}.tasks", reason=f"{v.reason} ({v.citation})")
        for v in version.task_violations(dep.operation, added.kind, added.tasks, added.u_similar_to)
    ]
    labels = [c.label or c.kind.value for c in dep.contingents]
    name = added.label or added.kind.value
    if labels.count(name) > 1:
        reason = f"{dep.id} already has a contingent named {name!r}: give the added one a label of its own"
        issues.append(Issue(path=f"{here}.label", reason=reason))
    if added.dispatch_on is not None and added.dispatch_on < ev.date:
        reason = f"{added.dispatch_on} is before the plan change that adds the contingent ({ev.date})"
        issues.append(Issue(path=f"{here}.dispatch_on", reason=reason))
    if added.returns_on is not None and added.returns_on <= (added.dispatch_on or ev.date):
        reason = f"{added.returns_on} is not after its dispatch ({added.dispatch_on or f'after {ev.date}'})"
        issues.append(Issue(path=f"{here}.returns_on", reason=reason))
    limit = min(cap.limit, law.PERSONNEL_CAP)
    if dep.personnel > limit:
        reason = (f"{dep.personnel:,} persons in {dep.id} with the added contingent exceed the cap of {limit:,} "
                  f"persons engaged at once (Art. 19(1))")  # fmt: skip
        issues.append(Issue(path=f"{here}.personnel", reason=reason))
    return issues


def _check_tasks_removed(
    ev: ScriptedEvent, dep: Deployment, where: str, earlier: tuple[ScriptedEvent, ...]
) -> list[Issue]:
    """A plan change removing tasks names one contingent and tasks it has: the plan's, or ones an
    earlier scripted ``tasks_added`` gave it."""
    j, problems = _task_change(ev, dep, where)
    if problems:
        return problems
    has = set(dep.contingents[j].tasks)
    has |= {t for e in earlier if e.event == "tasks_added" and scripted_contingent(dep, e.contingent) == j
            for t in e.tasks or ()}  # fmt: skip
    missing = sorted(set(ev.tasks) - has)
    if missing:
        shown = ", ".join(f"({t})" for t in missing)
        held = ", ".join(f"({t})" for t in sorted(has))
        reason = f"contingent {j} of {dep.id} has no task {shown} to remove (its tasks: {held})"
        return [Issue(path=f"{where}.tasks", reason=reason)]
    return []


def _check_diet(scenario: Scenario) -> list[Issue]:
    """The calendar must be buildable and, if historical, cover the scenario's dates."""
    spec = scenario.diet.calendar
    if spec.source == "generated":
        try:
            dataclasses.replace(CalendarParams(), **spec.params.overrides())
        except (TypeError, ValueError) as exc:
            return [Issue(path="diet.calendar.params", reason=str(exc))]
        return []
    if spec.params.overrides():
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


def _check_streams(scenario: Scenario, horizon_ok: bool) -> list[Issue]:
    """Request streams: unique names that no listed id clashes with, dates inside the run, templates
    as lawful as a listed deployment, and room for the arrivals expected (``max_arrivals``)."""
    issues: list[Issue] = []
    names: set[str] = set()
    for i, stream in enumerate(scenario.streams):
        where = f"streams[{i}]"
        issues += _duplicate(names, stream.name, f"{where}.name", "stream name")
        clash = [d.id for d in scenario.deployments if is_arrival_of(d.id, stream.name)]
        if clash:
            reason = f"listed deployment {clash[0]!r} has the id of an arrival of this stream (name-k); rename one"
            issues.append(Issue(path=f"{where}.name", reason=reason))
        if horizon_ok:
            issues += _check_stream_dates(scenario, stream, where)
        for j, choice in enumerate(stream.template):
            here = f"{where}.template[{j}]"
            shape = template_issues(scenario, stream, choice, here)
            if shape:
                issues += shape
                continue
            dep = template_deployment(scenario, stream, choice)
            version = law_on(scenario.law, scenario.start)  # the text judging the first arrivals
            issues += _check_operation(dep, here, version)
            issues += _check_contingents(dep, here, scenario.cap, version)
            issues += _check_periods(dep, here)
            dated = [f"contingents[{k}].{name}" for k, c in enumerate(dep.contingents)
                     for name in ("dispatch_on", "returns_on") if getattr(c, name) is not None]  # fmt: skip
            if dated:
                reason = "a template's arrivals have no fixed dates; use dispatch_lag instead"
                issues.append(Issue(path=f"{here}.{dated[0]}", reason=reason))
        if horizon_ok and not issues:
            expected = expected_arrivals(scenario, stream)
            if expected > stream.max_arrivals / 2:
                reason = (f"about {expected:.0f} arrivals are expected per replication, too near max_arrivals "
                          f"({stream.max_arrivals}); set max_arrivals to at least {2 * expected:.0f}")  # fmt: skip
                issues.append(Issue(path=f"{where}.max_arrivals", reason=reason))
    return issues


def _check_stream_dates(scenario: Scenario, stream: Stream, where: str) -> list[Issue]:
    """A stream's start and end inside the run, in order."""
    issues = []
    for name in ("start", "end"):
        day = getattr(stream, name)
        if day is not None and not scenario.start <= day <= scenario.end_date:
            reason = f"{day} is outside the scenario ({scenario.start} to {scenario.end_date})"
            issues.append(Issue(path=f"{where}.{name}", reason=reason))
    if not issues and stream_start(scenario, stream) >= stream_end(scenario, stream):
        issues.append(Issue(path=f"{where}.end", reason=f"{stream.end} is not after the stream's start"))
    return issues
