"""A deployment's life under the Act, from the request to the results report.

Each function is a SimPy process body that reads as the statute's sequence of steps:
request (Art. 6(3)), consents and Cabinet decision (Art. 6(1)), report to the Diet (Art. 7(i)),
implementation guidelines (Art. 8(1)), the Corps (Art. 5(8)), the Diet's approval where
Art. 6(7) requires it, dispatch (Art. 9(1)), operations with rotations of personnel whose
terms are fixed (Art. 12(1), 13(2), 14), the plan period's end with an extension (Art. 6(13),
7(i), 7(iii)) or termination, withdrawal and the results report (Art. 7(ii)).  Individual
staff officers to UN headquarters follow Art. 27 instead: no plan, no Corps, no Diet.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

import simpy
from simpy import Environment, Interrupt

from sim import law
from sim.eventlog import Cause, Event, State
from sim.model.field import field
from sim.model.portfolio import PlannedDeployment
from sim.model.world import DeploymentRun, World
from sim.scenario import ScriptedEvent
from sim.scenario.dates import dated

Process = Generator[Any, Any, None]


def _wait(env: Environment, days: int) -> Process:
    """Wait ``days``; a zero wait costs no SimPy step (reports "without delay", Art. 7)."""
    if days:
        yield env.timeout(days)


def lifecycle(world: World, run: DeploymentRun) -> Process:
    """The whole life of one deployment, by the route its scenario names."""
    plan = run.plan
    env = world.env
    yield env.timeout(plan.request_day)
    world.log(run, Event.REQUEST_RECEIVED, State.REQUESTED, detail=dated("", plan.spec.request))
    yield env.timeout(plan.lags["request_to_decision"].days(run.rng))
    if plan.missing_consent:
        missing = ", ".join(f"{name} ({cite})" for name, cite in plan.missing_consent)
        world.log(run, Event.CONSENT_LACKING, State.ABANDONED, plan.missing_consent[0][1], missing)
        return
    if plan.is_article_27:
        yield from _staff_officer_dispatch(world, run)
    else:
        yield from _implementation_plan(world, run)


def _staff_officer_dispatch(world: World, run: DeploymentRun) -> Process:
    """Art. 27: the Minister of Defense dispatches with the Prime Minister's consent.

    The consents Art. 27(2) asks of the Prime Minister were checked at the decision (the plan's
    missing consents).  Art. 27(3): the Minister must also obtain the officer's own consent,
    drawn here from the deployment's stream when its probability is below 1 (at 1 nothing is
    drawn); without it the dispatch is abandoned.
    """
    env = world.env
    officer = run.plan.spec.consent.officer_probability
    if officer < 1 and not run.rng.random() < officer:
        cite = law.Cite.OFFICER_OWN_CONSENT
        world.log(run, Event.CONSENT_LACKING, State.ABANDONED, cite, f"officer ({cite})")
        return
    run.decision_t = env.now
    run.period_end = env.now + run.plan.spec.period.days(run.rng)
    world.log(run, Event.CONSENT_GIVEN, State.DECIDED, law.Cite.STAFF_OFFICER_CONSENT)
    dispatch_day = env.now + run.plan.lags["decision_to_dispatch"].days(run.rng)
    yield env.timeout(min(dispatch_day, run.period_end) - env.now)
    if env.now >= run.period_end:
        yield from _terminate(world, run, Cause.PERIOD_END, law.Cite.STAFF_OFFICER_DISPATCH)
        return
    run.dispatch_t = env.now
    run.out = [True] * len(run.out)
    world.log(run, Event.DISPATCH_STARTED, State.DEPLOYED, law.Cite.STAFF_OFFICER_DISPATCH)
    cause, basis = yield from _operate(world, run)
    yield from _terminate(world, run, cause, law.Cite.STAFF_OFFICER_DISPATCH if cause is Cause.PERIOD_END else basis)


def _implementation_plan(world: World, run: DeploymentRun) -> Process:
    """Art. 6-9: plan, reports, guidelines, Corps, approval where needed, dispatch.

    The Diet approves the dispatch of the contingents doing Art. 6(7) assignments, not the
    plan: they wait for approval (or, under the proviso, go first), while the plan's other
    contingents go on the planned day.  Dispatch is the later of the decision plus
    ``decision_to_dispatch`` and the approval plus ``approval_to_dispatch``.
    """
    env = world.env
    plan = run.plan
    lags = plan.lags
    run.decision_t = decided = env.now
    period = plan.spec.period.days(run.rng)
    run.period_end = decided + period
    world.log(run, Event.CABINET_DECISION, State.DECIDED, law.Cite.CABINET_DECISION,
              f"period {period} days")  # fmt: skip
    yield from _wait(env, lags["report_delay"].days(run.rng))
    world.log(run, Event.PLAN_REPORTED, State.DECIDED, law.Cite.PLAN_REPORTED, "plan decided")
    yield from _wait(env, lags["guidelines_delay"].days(run.rng))
    world.log(run, Event.GUIDELINES_ISSUED, State.DECIDED, law.Cite.GUIDELINES)
    world.log(run, Event.CORPS_ESTABLISHED, State.DECIDED, law.Cite.CORPS)
    for j, day, change in plan.added:
        env.process(_add_contingent(world, run, j, day, change))
    dispatch_day = decided + lags["decision_to_dispatch"].days(run.rng)
    days = _contingent_days(run, decided, dispatch_day)
    everyone = plan.initial
    gated = plan.approval_contingents if world.approval is not None else ()
    if gated and world.approval.proviso(world, run, min(days[j] for j in gated)):
        gated = ()  # they go on their own days; approval follows (after_dispatch)
    free = tuple(j for j in everyone if j not in gated)
    gate, waiting, later = None, (), ()
    if not free:
        commence = min(days[j] for j in gated)
        approved = yield from world.approval.prior(world, run, commence)
        go = _may_go(run, approved)
        if go is None:
            return
        go = max(go, commence)
        if env.now < go:
            yield env.timeout(max(0.0, min(go, run.period_end) - env.now))
        group = tuple(j for j in gated if days[j] <= go)
        later = tuple(j for j in gated if days[j] > go)
    else:
        first = min(days[j] for j in free)
        gate = env.process(world.approval.prior(world, run, min(days[j] for j in gated))) if gated else None
        go = None
        while True:  # until the free contingents' first day, or the approved ones' if that is earlier
            if gate is not None and gate.triggered:
                go = _may_go(run, gate.value)
            start = first if go is None else min(first, max(go, min(days[j] for j in gated)))
            if env.now >= min(start, run.period_end):
                break
            wait = env.timeout(min(start, run.period_end) - env.now)
            yield wait if gate is None or gate.triggered else wait | gate
        group = tuple(j for j in free if days[j] <= env.now)
        later = tuple(j for j in free if days[j] > env.now)
        ready = tuple(j for j in gated if go is not None and max(go, days[j]) <= env.now)
        group = tuple(sorted(group + ready))
        waiting = tuple(j for j in gated if j not in ready)
    if env.now < run.period_end and not (yield from _not_held(world, run, group)):
        _never_dispatched(run, waiting + later)
        yield from _terminate(world, run, Cause.RECALL, law.Cite.MAIN_MISSIONS)
        return
    if env.now < run.period_end:
        yield from _engage(world, run, group)
    if env.now >= run.period_end or not run.persons:
        _never_dispatched(run, waiting + later)
        yield from _terminate(world, run, Cause.PERIOD_END, law.Cite.PLAN_PERIOD)
        return
    run.dispatch_t = env.now
    world.log(run, Event.DISPATCH_STARTED, State.DEPLOYED, law.Cite.DISPATCH, _contingents(plan, group))
    world.record_engaged(run)
    for day in sorted({days[j] for j in waiting}):
        env.process(_join(world, run, gate, tuple(j for j in waiting if days[j] == day), day))
    for day in sorted({days[j] for j in later}):
        env.process(_join(world, run, None, tuple(j for j in later if days[j] == day), day))
    for j, home in enumerate(plan.returns_on):
        if home is not None:
            env.process(_return(world, run, j, home))
    if world.approval is not None and plan.needs_prior_approval:
        world.approval.after_dispatch(world, run)
    if plan.needs_field:
        env.process(field(world, run))
    cause, basis = yield from _operate(world, run)
    yield from _terminate(world, run, cause, basis)


def _may_go(run: DeploymentRun, approved: float | None) -> float | None:
    """The day the Art. 6(7) contingents may go: approval plus ``approval_to_dispatch``, or None.

    ``approved`` is the day the Diet approved (or, under the proviso, the day dispatch may
    commence without it); None if the Diet refused or the request was abandoned.
    """
    if approved is None or run.approval_path != law.RequestKind.PRIOR:
        return approved
    if run.approval_lag is None:
        run.approval_lag = run.plan.lags["approval_to_dispatch"].days(run.rng)
    return approved + run.approval_lag


def _contingents(plan: PlannedDeployment, group: tuple[int, ...]) -> str:
    """The detail of a dispatch: empty when the whole plan goes, else the contingents that go; and
    the months of those whose own dispatch date is known only to its month."""
    own = [plan.spec.contingents[j].dispatch_on for j in group]
    if set(group) == set(plan.initial):
        return dated("", *own)
    return dated("contingents: " + ", ".join(plan.contingent_label(j) for j in group), *own)


def _never_dispatched(run: DeploymentRun, gated: tuple[int, ...]) -> None:
    """These contingents will not go: nothing of the plan waits for them any more."""
    for j in gated:
        run.ended[j] = True


def _join(world: World, run: DeploymentRun, gate: simpy.Process | None, group: tuple[int, ...], day: float) -> Process:
    """Contingents that follow the rest of the plan: on their own day, and, for the Art. 6(7)
    contingents (``gate``), once the Diet has approved."""
    env = world.env
    go: float | None = day
    if gate is not None:
        yield gate
        go = _may_go(run, gate.value)
        if go is None:
            _never_dispatched(run, group)
            return
        go = max(go, day)
    if env.now < go:
        yield env.timeout(go - env.now)
    group = tuple(j for j in group if not run.ended[j])  # a contingent whose return day came first stays home
    if not group:
        return
    if not run.dispatched or run.ending or env.now >= run.period_end:
        _never_dispatched(run, group)
        return
    if not (yield from _not_held(world, run, group)) or not run.dispatched or run.ending:
        _never_dispatched(run, group)
        return
    before = run.persons
    yield from _engage(world, run, group)
    if run.persons == before:
        return
    if not run.dispatched or run.ending:  # the plan ended while they waited for the cap
        world.release(run, list(group))
        return
    world.log(run, Event.DISPATCH_STARTED, run.state, law.Cite.DISPATCH, _contingents(run.plan, group))
    world.record_engaged(run)
    if run.process is not None and run.process.is_alive:
        run.process.interrupt(_JOINED)


def _return(world: World, run: DeploymentRun, contingent: int, day: float) -> Process:
    """A contingent home on the plan's day for it while the rest goes on (Art. 6(2)(ii): the plan
    fixes each body of personnel and its period); the plan ends when nothing of it is left."""
    env = world.env
    if env.now < day:
        yield env.timeout(day - env.now)
    if run.ended[contingent] or run.ending or not run.dispatched or not run.out[contingent]:
        run.ended[contingent] = True  # home before it left (its own dispatch later): it never goes
        return
    label = dated(run.plan.contingent_label(contingent), run.plan.spec.contingents[contingent].returns_on)
    world.log(run, Event.CONTINGENT_RETURNED, run.state, law.Cite.PLAN_CONTENTS, label)
    world.release(run, [contingent])
    world.record_engaged(run)
    if all(run.ended):
        run.end_operations(Cause.PERIOD_END, law.Cite.PLAN_PERIOD)


def _add_contingent(world: World, run: DeploymentRun, j: int, day: int, change: ScriptedEvent) -> Process:
    """Art. 6(13): on ``day`` the plan is amended to add contingent ``j``, reported (Art. 7(i)).

    It then goes on its own day (``dispatch_on``; else its ``dispatch_lag``, else the plan's
    ``decision_to_dispatch``, counted from the change) under the cap (Art. 19(1)), as any contingent
    joining a plan already out does; an SDF unit doing (a)-(g) goes once the Diet approves, or under
    the proviso (Art. 6(7), :meth:`ApprovalProcedure.contingent_added`).  A change dated before the
    Cabinet decision, or after the plan has ended, is skipped (``scripted_skipped``); a contingent
    due before the plan's own first dispatch does not go (it joins a plan already out).
    """
    env = world.env
    if env.now > day:
        run.scripted_skipped += 1
        return
    yield from _wait(env, int(day - env.now))
    if run.ending or run.state in (State.WITHDRAWING, State.ENDED, State.ABANDONED):
        run.scripted_skipped += 1
        return
    cont = run.plan.spec.contingents[j]
    since = len(world.rows)
    world.log(run, Event.PLAN_AMENDED, run.state, law.Cite.PLAN_AMENDMENT,
              f"contingent added: {run.plan.contingent_label(j)} ({cont.personnel} persons)")  # fmt: skip
    world.log(run, Event.PLAN_REPORTED, run.state, law.Cite.PLAN_REPORTED, "plan changed")
    world.date_rows(since, change.date)
    run.ended[j] = False
    own = run.plan.dispatch_on[j]
    lag = cont.dispatch_lag or run.plan.lags["decision_to_dispatch"]
    go: float | None = float(own) if own is not None else env.now + lag.days(run.rng)
    if world.approval is not None and run.plan.added_needs_approval(j):
        approved = yield from world.approval.contingent_added(world, run, j, go)
        if approved is None:
            run.ended[j] = True
            return
        go = max(go, approved)
    yield from _join(world, run, None, (j,), go)


def _contingent_days(run: DeploymentRun, decided: float, dispatch_day: float) -> list[float]:
    """Each contingent's dispatch day: its own date, its own lag after the decision, or the plan's.

    A contingent a later plan change adds has none here (:func:`_add_contingent` dates it)."""
    days = []
    later = run.plan.added_indices
    for j, cont in enumerate(run.plan.spec.contingents):
        on = run.plan.dispatch_on[j]
        if j in later:
            days.append(float("inf"))
        elif on is not None:
            days.append(max(float(on), decided))
        elif cont.dispatch_lag is not None:
            days.append(decided + cont.dispatch_lag.days(run.rng))
        else:
            days.append(dispatch_day)
    return days


def _not_held(world: World, run: DeploymentRun, group: tuple[int, ...]) -> Generator[Any, Any, bool]:
    """True once ``group`` may go: no contingency is calling SDF units home (Art. 6(6)), or it has passed."""
    if world.hold is None:
        return True
    return (yield from world.hold.before_dispatch(run, group))


_JOINED = "contingents joined"
"""The interrupt that tells operations to start the joining contingents' terms of service."""


def _engage(world: World, run: DeploymentRun, group: tuple[int, ...]) -> Process:
    """Art. 19: take the persons of ``group`` under the cap, waiting or scaling down.

    Requests are served first come, first served.  Under ``wait`` contingents that would go
    over the cap wait (``cap_wait``) until enough personnel have come home, or until the
    plan period runs out; under ``scale_down`` they go at once with the headroom there is
    (waiting only if there is none).
    """
    env, cap = world.env, world.cap
    sizes = [run.plan.spec.contingents[j].personnel for j in group]
    need = sum(sizes)
    headroom = cap.capacity - cap.level
    queued = bool(cap.put_queue)
    if world.cap_policy == "scale_down" and 0 < headroom < need and not queued:
        world.log(run, Event.CAP_WAIT, run.state, law.Cite.CAP, f"scaled down from {need} to {headroom} persons")
        need = headroom
    elif headroom < need or queued:
        world.log(run, Event.CAP_WAIT, run.state, law.Cite.CAP, f"{need} persons wait; {headroom} free")
    request = cap.put(need)
    if not request.triggered:
        since = env.now
        yield request | env.timeout(run.period_end - env.now)
        run.cap_wait_days += env.now - since
        if not request.triggered:
            request.cancel()
            return
    run.persons += need
    if not run.contingent_persons:
        run.contingent_persons = [0] * len(run.plan.spec.contingents)
    for j, share in zip(group, _allocate(need, sizes), strict=True):
        run.contingent_persons[j] = share
        run.out[j] = True


def _allocate(persons: int, sizes: list[int]) -> list[int]:
    """Split the persons engaged among contingents in proportion to their planned sizes."""
    total = sum(sizes)
    shares = [persons * size // total for size in sizes]
    shares[0] += persons - sum(shares)
    return shares


def _operate(world: World, run: DeploymentRun) -> Generator[Any, Any, tuple[Cause, str]]:
    """Operations until the plan period runs out, or until something ends them.

    Each contingent is relieved at the end of its members' term (Art. 12(1), 13(2), 14).
    ``extension_lead`` days before the period ends the Cabinet decides: amend the plan to extend
    the period from its old end (Art. 6(13)), reported (Art. 7(i)) with the implementation status
    so far (Art. 7(iii)); or let it end, and withdrawal begins (with a lead as long as the
    withdrawal, the last personnel are home when the period runs out, as in the real plans).  A
    scripted amendment (``period_extended``) changes the period on its own date, as the real
    Cabinets did weeks before a period ran out.  Another process (the Diet's disapproval,
    Art. 6(9), 6(11); the field; a recall) ends operations by interrupting this one with the
    cause and its basis; the returned pair says why operations stopped.
    """
    env = world.env
    rng = run.rng
    rotations = run.plan.rotations
    due = [env.now + max(1, r.length.days(rng)) for r in rotations]
    serving = [run.out[r.contingent] for r in rotations]  # whose term of service has begun
    changes = [change for change in run.plan.period_changes if change[0] >= env.now]
    run.scripted_skipped += len(run.plan.period_changes) - len(changes)
    extension = run.plan.spec.extension
    lead = run.plan.lags["extension_lead"]

    def decision_day() -> float:
        """When the Cabinet decides on the current period: ``extension_lead`` before its end."""
        return max(env.now, run.period_end - lead.days(rng))

    decide = decision_day()
    extended = 0
    while True:
        soonest, at = -1, decide
        for i, day in enumerate(due):
            if day < at:
                soonest, at = i, day
        amend = bool(changes) and changes[0][0] <= at
        if amend:
            at = changes[0][0]
        try:
            yield env.timeout(at - env.now)
        except Interrupt as stop:
            if stop.cause != _JOINED:
                return stop.cause
            for i, rotation in enumerate(rotations):  # the joining contingents' terms begin now
                if run.out[rotation.contingent] and not serving[i]:
                    serving[i] = True
                    due[i] = env.now + max(1, rotation.length.days(rng))
            continue
        if amend:
            _, until, date, decided = changes.pop(0)
            since = len(world.rows)
            if until is None:  # the change's new end is not given: the extension's length from the old end
                length = max(1, run.plan.extension_length.days(rng))
                _amend_period(world, run, run.period_end + length, f"period extended by {length} days")
            else:
                _amend_period(world, run, until, f"period {_change(until, run.period_end)} to {date}")
            world.date_rows(since, decided)
            decide = decision_day()
            continue
        if soonest >= 0:
            rotation = rotations[soonest]
            world.relieve(run, rotation.contingent)
            due[soonest] = at + max(1, rotation.length.days(rng))
            continue
        extend = rng.random() < extension.probability
        if not extension.until_mission_end and (
            run.plan.is_article_27 or extended >= extension.max_extensions or not extend
        ):
            return Cause.PERIOD_END, law.Cite.PLAN_PERIOD
        length = max(1, run.plan.extension_length.days(rng))  # a 0-day extension would loop on one day
        extended += 1
        _amend_period(world, run, run.period_end + length, f"period extended by {length} days")
        decide = decision_day()


def _change(until: float, period_end: float) -> str:
    """What a scripted amendment does to the period: extends, shortens or keeps its end."""
    return "extended" if until > period_end else "shortened" if until < period_end else "kept"


def _amend_period(world: World, run: DeploymentRun, until: float, detail: str) -> None:
    """Art. 6(13): the plan's period changed by Cabinet decision, reported under Art. 7(i), 7(iii).

    Only a later end counts as an extension; an amendment that shortens the period or keeps its
    end (the real plans were amended for their size or tasks as often as for their period) does not.
    """
    if until > run.period_end:
        run.extensions += 1
    run.period_end = until
    run.period_changed()
    world.log(run, Event.PLAN_AMENDED, run.state, law.Cite.PLAN_AMENDMENT, detail)
    world.log(run, Event.STATUS_REPORTED, run.state, law.Cite.STATUS_REPORTED)
    world.log(run, Event.PLAN_REPORTED, run.state, law.Cite.PLAN_REPORTED, "plan changed")


def _terminate(world: World, run: DeploymentRun, cause: Cause, basis: str) -> Process:
    """Termination decided, personnel withdrawn, results reported (Art. 7(ii)).

    A recall is, in law, a policy decision ending the dispatch by a plan change (Art. 6(13) read
    with 6(6)), and the log says ``policy``; the deployment's record keeps ``recall`` so that
    analyses can count recalls apart.
    """
    env = world.env
    run.cause = cause
    run.termination_t = env.now
    logged = Cause.POLICY if cause is Cause.RECALL else cause
    if run.dispatch_t is None:
        world.log(run, Event.TERMINATION_DECIDED, State.ABANDONED, basis, logged)
        return
    if run.interrupted_since is not None:
        run.days_interrupted += env.now - run.interrupted_since
        run.interrupted_since = None
    if run.suspended_since is not None:
        run.days_suspended += env.now - run.suspended_since
        run.suspended_since = None
    world.log(run, Event.TERMINATION_DECIDED, State.WITHDRAWING, basis, logged)
    if run.plan.counts_toward_cap:
        world.record_engaged(run)
    yield env.timeout(run.plan.lags["withdrawal"].days(run.rng))
    run.withdrawal_t = env.now
    world.log(run, Event.WITHDRAWAL_COMPLETED, State.ENDED)
    if run.plan.is_article_27:
        return
    if run.persons:
        world.cap.get(run.persons)
        run.persons = 0
    world.record_engaged(run)
    yield env.timeout(run.plan.lags["results_report_delay"].days(run.rng))
    world.log(run, Event.RESULTS_REPORTED, State.ENDED, law.Cite.RESULTS_REPORTED)
