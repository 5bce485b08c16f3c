"""The Diet's approval procedure, Art. 6(7)-(12), plugged into the lifecycle's approval seam.

Which deployments need approval is the rulebook's answer (:func:`sim.law.needs_prior_approval`);
here is only *how* the Diet gives it, on the calendar of :mod:`sim.diet.calendar`:

* **Prior approval** (Art. 6(7) main clause): sought before dispatch while the Diet sits; the
  first House, then the second, each deliberating a number of sitting days and approving with a
  configured probability; the seven-day targets of Art. 6(8) are measured, not enforced.
* **The proviso** (Art. 6(7)): if the Diet is not in session or the House of Representatives is
  dissolved when approval would be sought, dispatch goes ahead and approval is sought "without
  delay" at the first session after it; disapproval ends the assignments (Art. 6(9)).
* **Session discontinuity** (Diet Act art. 68, an assumption users can change): a matter not
  decided when its session closes lapses, unless the scenario carries matters over.
* **Renewals** (Art. 6(10)-(12)): to continue past two years from approval, approval is sought
  in the 30 days up to that day, or at the first session after it when the Diet does not sit
  then; the deployment goes on while a renewal is pending; disapproval ends it (Art. 6(11)).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Generator
from dataclasses import dataclass
from typing import Any

import numpy as np

from sim import law, randomness
from sim.diet.calendar import DietCalendar
from sim.diet.generator import CalendarParams, generate_calendar
from sim.eventlog import Cause, Event, State
from sim.law.citations import join
from sim.model.world import DeploymentRun, World
from sim.randomness import stream
from sim.scenario import Diet, Scenario, explicit_calendar
from sim.scenario.calendar_params import CalendarParamsOverride

Process = Generator[Any, Any, None]
PRIOR, POST, RENEWAL = law.RequestKind

HOUSES = ("representatives", "councillors")
_MARGIN = dt.timedelta(days=366)


def shared_calendar(scenario: Scenario) -> DietCalendar | None:
    """The one calendar every replication uses (explicit or historical), else None."""
    spec = scenario.diet.calendar
    if spec.source == "explicit":
        return explicit_calendar(spec)
    if spec.source == "historical":
        return DietCalendar.historical(scenario.start - _MARGIN, scenario.end_date + _MARGIN)
    return None


def replication_calendar(scenario: Scenario, seed: int, replication: int) -> DietCalendar:
    """A generated calendar for one replication, from its own stream.

    It covers a year beyond the horizon on each side, so that renewals and approvals near
    the edges find the sessions they need.
    """
    params = _calendar_params(scenario.diet.calendar.params)
    rng = stream(seed, replication, randomness.CALENDAR)
    return generate_calendar(scenario.start - _MARGIN, scenario.end_date + _MARGIN, params, rng)


@functools.lru_cache(maxsize=16)  # made and checked once per run, not once per replication
def _calendar_params(overrides: CalendarParamsOverride) -> CalendarParams:
    """The generator's parameters: the fitted defaults with the scenario's overrides."""
    return dataclasses.replace(CalendarParams(), **overrides.overrides())


@dataclass(frozen=True)
class Outcome:
    """How one request for approval ended: ``granted``, ``denied`` or ``lapsed``."""

    result: str
    day: float


class DietProcedure:
    """The approval procedure of one replication, on one calendar."""

    def __init__(self, diet: Diet, calendar: DietCalendar, start: dt.date, seed: int, replication: int):
        self.diet = diet
        self.calendar = calendar
        self.start = start
        self.origin = start.toordinal()
        self.seed = seed
        self.replication = replication
        first = diet.first_house
        self.houses = (first, HOUSES[1] if first == HOUSES[0] else HOUSES[0])
        self.deliberation = (diet.deliberation.first_house, diet.deliberation.second_house)
        probability = diet.approval_probability
        self.approves = {HOUSES[0]: probability.representatives, HOUSES[1]: probability.councillors}

    # -- the calendar in the model's clock -------------------------------------------------

    def _ord(self, t: float) -> int:
        return self.origin + int(t)

    def _t(self, ordinal: int) -> float:
        return float(ordinal - self.origin)

    def _diet_sits(self, t: float) -> bool:
        """In session and the House of Representatives not dissolved (Art. 6(7) proviso)."""
        day = self._ord(t)
        return not law.proviso_applies(self.calendar.in_session_ord(day), self.calendar.hr_dissolved_ord(day))

    def _next_sitting_session(self, t: float) -> float | None:
        """The opening day of the first session after ``t`` in which the Diet sits, or None.

        A session convened and dissolved the same day does not count: the proviso still applies.
        """
        day = self._ord(t)
        while (session := self.calendar.first_session_convened_after_ord(day)) is not None:
            day = session.convened.toordinal()
            if self._diet_sits(self._t(day)):
                return self._t(day)
        return None

    def _first_sitting_day(self, first: float, last: float) -> float | None:
        """The first day from ``first`` to ``last`` (inclusive) on which the Diet sits, or None."""
        if first > last:
            return None
        if self._diet_sits(first):
            return first
        day = self._next_sitting_session(first)
        return day if day is not None and day <= last else None

    def _rng(self, run: DeploymentRun) -> np.random.Generator:
        if run.diet_rng is None:
            run.diet_rng = stream(self.seed, self.replication, randomness.DIET ^ run.plan.stream_key)
        return run.diet_rng

    # -- the seam --------------------------------------------------------------------------

    def proviso(self, world: World, run: DeploymentRun, commence: float) -> bool:
        """Art. 6(7): is the proviso to be used for a dispatch that would commence on ``commence``?

        It is judged on the day the dispatch would commence: if the Diet sits on no day from now
        (the guidelines are out, the Corps is in place) to that day, the contingents go first and
        approval is sought at the first session after (:meth:`after_dispatch`).
        """
        if self._first_sitting_day(world.env.now, max(commence, world.env.now)) is None:
            run.approval_path = POST.value
            return True
        return False

    def prior(self, world: World, run: DeploymentRun, dispatch_day: float) -> Generator[Any, Any, float | None]:
        """Art. 6(7) main clause for the contingents whose dispatch the Diet approves.

        The Diet sits on some day from now to the day dispatch would commence (:meth:`proviso`
        said no): approval is sought on its first sitting day and the contingents wait for it.
        Returns the day approved, or None if they may not go.
        """
        env = world.env
        seek = self._first_sitting_day(env.now, max(dispatch_day, env.now))
        assert seek is not None, "the proviso applies: ask proviso() first"
        run.approval_path = PRIOR.value
        if seek > env.now:
            yield env.timeout(seek - env.now)
        whole = not run.plan.free_contingents
        while True:
            waiting = State.AWAITING_APPROVAL if whole else run.state
            outcome = yield from self._seek(world, run, PRIOR, waiting)
            if outcome.result == "granted":
                world.log(run, Event.APPROVAL_GRANTED, State.DECIDED if whole else run.state,
                          law.Cite.PRIOR_APPROVAL, PRIOR.value)  # fmt: skip
                self._granted(world, run)
                return env.now
            if outcome.result == "denied":
                detail = PRIOR.value if whole else f"{PRIOR}; {_names(run, run.plan.approval_contingents)} stay home"
                world.log(run, Event.APPROVAL_DENIED, State.ABANDONED if whole else run.state,
                          law.Cite.PRIOR_APPROVAL, detail)  # fmt: skip
                return None
            if self.diet.after_lapse == "abandon" or not (yield from self._await_session(world)):
                if whole:
                    run.state = State.ABANDONED
                return None

    def after_dispatch(self, world: World, run: DeploymentRun) -> None:
        """Under the proviso, seek approval at the first session after the dispatch."""
        if run.approval_path == POST:
            world.env.process(self._post_approval(world, run, None))

    def tasks_added(self, world: World, run: DeploymentRun, contingent: int, tasks: frozenset[str]) -> Process:
        """Art. 6(7) for a plan change giving an SDF unit (a)-(g): approval before they start.

        While the Diet sits, the tasks wait for approval under the main clause (a refusal leaves
        the plan as it was); otherwise they start at once and approval is sought at the first
        session after, a disapproval removing them again (Art. 6(9)).
        """
        env = world.env
        added = f"tasks {', '.join(f'({t})' for t in sorted(tasks))} for {run.plan.contingent_label(contingent)}"
        if not self._diet_sits(env.now):
            run.tasks[contingent] |= tasks
            yield from self._post_approval(world, run, (contingent, tasks, added))
            return
        while _operating(run) and not run.ended[contingent]:
            outcome = yield from self._seek(world, run, PRIOR, run.state, note=added)
            if outcome.result == "granted":
                world.log(run, Event.APPROVAL_GRANTED, run.state, law.Cite.PRIOR_APPROVAL, f"{PRIOR}; {added}")
                run.tasks[contingent] |= tasks
                if run.approval_t is None:
                    self._granted(world, run)
                return
            if outcome.result == "denied":
                world.log(run, Event.APPROVAL_DENIED, run.state, law.Cite.PRIOR_APPROVAL, f"{PRIOR}; {added}")
                return
            if self.diet.after_lapse == "abandon" or not (yield from self._await_session(world)):
                return

    def contingent_added(
        self, world: World, run: DeploymentRun, contingent: int, commence: float
    ) -> Generator[Any, Any, float | None]:
        """Art. 6(7) for an SDF unit doing (a)-(g) that a plan change adds (Art. 6(13)).

        Its dispatch is approved as the plan's own would be: if the Diet sits on some day from the
        change to the day it would go, approval is sought then and it waits (a refusal keeps it
        home, the plan goes on); otherwise it goes on its day under the proviso and approval is
        sought at the first session after, a disapproval ending the Art. 6(7) assignments
        (Art. 6(9)).  Returns the day it may go (approval plus ``approval_to_dispatch``), or None.
        """
        env = world.env
        seek = self._first_sitting_day(env.now, max(commence, env.now))
        if seek is None:
            env.process(self._post_approval(world, run, None))
            return commence
        note = f"contingent {run.plan.contingent_label(contingent)} added"
        if seek > env.now:
            yield env.timeout(seek - env.now)
        while _operating(run):
            outcome = yield from self._seek(world, run, PRIOR, run.state, note=note)
            if outcome.result == "granted":
                world.log(run, Event.APPROVAL_GRANTED, run.state, law.Cite.PRIOR_APPROVAL, f"{PRIOR}; {note}")
                if run.approval_t is None:
                    self._granted(world, run)
                return env.now + run.plan.lags["approval_to_dispatch"].days(run.rng)
            if outcome.result == "denied":
                world.log(run, Event.APPROVAL_DENIED, run.state, law.Cite.PRIOR_APPROVAL, f"{PRIOR}; {note}")
                return None
            if self.diet.after_lapse == "abandon" or not (yield from self._await_session(world)):
                return None
        return None

    # -- the three kinds of request --------------------------------------------------------

    def _post_approval(
        self, world: World, run: DeploymentRun, added: tuple[int, frozenset[str], str] | None
    ) -> Generator[Any, Any, None]:
        """Art. 6(7) proviso and 6(9): seek without delay at the first session after dispatch.

        ``added`` names tasks a plan change gave a contingent (tasks_added); a disapproval then
        removes them, where a disapproval of the dispatch ends the Art. 6(7) assignments.
        """
        env = world.env
        lapsed = False
        note = None if added is None else added[2]
        detail = POST.value if note is None else f"{POST}; {note}"
        while True:
            if (lapsed or not self._diet_sits(env.now)) and not (yield from self._await_session(world)):
                return
            lag = self.diet.post_approval_lag.days(self._rng(run))
            if lag:
                yield env.timeout(lag)
            if not _operating(run) or not run.approval_assignments_left():
                return
            outcome = yield from self._seek(world, run, POST, run.state, note=note)
            if outcome.result == "granted":
                world.log(run, Event.APPROVAL_GRANTED, run.state, law.Cite.PRIOR_APPROVAL, detail)
                if run.approval_t is None:
                    self._granted(world, run)
                return
            if outcome.result == "denied":
                world.log(run, Event.APPROVAL_DENIED, run.state, law.Cite.DISAPPROVAL_AFTER_DISPATCH, detail)
                self._end_assignments(world, run, law.Cite.DISAPPROVAL_AFTER_DISPATCH, added)
                return
            lapsed = True

    def _end_assignments(
        self, world: World, run: DeploymentRun, basis: str, added: tuple[int, frozenset[str], str] | None = None
    ) -> None:
        """Art. 6(9), 6(11): end the Art. 6(7) assignments (or remove the tasks a change added)."""
        if added is not None:
            contingent, tasks, _ = added
            world.remove_tasks(run, {contingent: set(tasks)}, Cause.DIET_DISAPPROVAL, basis)
            return
        ending = run.approval_assignments_left()
        if ending:
            world.end_assignments(run, ending, Cause.DIET_DISAPPROVAL, basis, f"Diet disapproval ({basis})")

    def _renewals(self, world: World, run: DeploymentRun, approved: dt.date) -> Generator[Any, Any, None]:
        """Art. 6(10)-(12): every two years, approval to continue, sought inside the window.

        A continuation is owed only "if intending to continue ... after two years": while Art.
        6(7) assignments remain and the plan runs past the two-year day.  It is sought on a sitting
        day of the 30 days up to that day (``renewal_lead`` days before it where the Diet sits then
        or later in the window, else its first sitting day there); if the Diet sits on none of
        them, at the first session convened after (the proviso).
        """
        env = world.env
        term = 1
        while True:
            due = self._t(law.renewal_due_day(approved, term).toordinal())
            opens = due - law.RENEWAL_WINDOW_DAYS
            if env.now < opens:
                yield env.timeout(opens - env.now)
            while run.period_end <= due:  # not (yet) continuing past the two-year day
                if not _operating(run) or not run.approval_assignments_left():
                    return
                run.period_watch = watch = env.event()
                yield (watch | env.timeout(due - env.now)) if env.now < due else watch
            if not _operating(run) or not run.approval_assignments_left():
                return
            seek = self._renewal_seek_day(env.now, due, self.diet.renewal_lead.days(self._rng(run)))
            if seek is None or seek >= due:
                yield env.timeout(max(0.0, due - env.now))
                if not _operating(run):
                    return
                world.log(run, Event.RENEWAL_DUE, run.state, law.renewal_basis(term), f"term {term}")
                if seek is None:
                    return
            yield env.timeout(max(0.0, seek - env.now))
            request = env.process(self._renewal(world, run, term, due))
            yield request
            if not request.value:
                return
            term += 1

    def _renewal(self, world: World, run: DeploymentRun, term: int, due: float) -> Generator[Any, Any, bool]:
        """One renewal: seek (again after lapses), log the due day if it passes meanwhile."""
        env = world.env
        basis = law.renewal_basis(term)
        if due > env.now:
            env.process(self._mark_due(world, run, term, due))
        while _operating(run) and run.approval_assignments_left():
            outcome = yield from self._seek(world, run, RENEWAL, run.state, basis, term=term)
            if outcome.result == "granted":
                run.renewals += 1
                world.log(run, Event.APPROVAL_GRANTED, run.state, basis, f"{RENEWAL} {term}")
                return True
            if outcome.result == "denied":
                world.log(run, Event.APPROVAL_DENIED, run.state, law.Cite.RENEWAL_DISAPPROVED, f"{RENEWAL} {term}")
                self._end_assignments(world, run, law.Cite.RENEWAL_DISAPPROVED)
                return False
            if not (yield from self._await_session(world)):
                return False
        return False

    def _mark_due(self, world: World, run: DeploymentRun, term: int, due: float) -> Generator[Any, Any, None]:
        yield world.env.timeout(due - world.env.now)
        if _operating(run):
            world.log(run, Event.RENEWAL_DUE, run.state, law.renewal_basis(term), f"term {term}")

    def _renewal_seek_day(self, now: float, due: float, lead: int) -> float | None:
        """Art. 6(10): a sitting day in the window up to ``due``, else the first session after it.

        The lead is a preference inside the window, never a reason to skip its sitting days: the
        first sitting day from ``due - lead`` on, else the first sitting day of the window.
        """
        preferred = max(now, due - min(law.RENEWAL_WINDOW_DAYS, lead))
        day = self._first_sitting_day(preferred, due)
        if day is None:
            day = self._first_sitting_day(now, preferred)
        if day is None:
            return self._next_sitting_session(max(now, due))
        return day

    # -- one request through both Houses ---------------------------------------------------

    def _seek(
        self,
        world: World,
        run: DeploymentRun,
        kind: law.RequestKind,
        state: State,
        basis: str = law.Cite.PRIOR_APPROVAL,
        term: int | None = None,
        note: str | None = None,
    ) -> Generator[Any, Any, Outcome]:
        """Approval sought; the first House decides, then the second, within the session."""
        env = world.env
        rng = self._rng(run)
        run.approvals_sought += 1
        if run.sought_t is None:
            run.sought_t = env.now
        request = f"{kind} {term}" if term else kind.value  # "prior", "post", "renewal 2"
        world.log(run, Event.APPROVAL_SOUGHT, state, basis, f"{request}; {note}" if note else request)
        targeted = law.decision_target_applies(kind)
        for house, deliberation in zip(self.houses, self.deliberation, strict=True):
            received = self._ord(env.now)
            days = deliberation.days(rng)
            approve = rng.random() < self.approves[house]
            decided = self._decision_day(received, days)
            if decided is None:
                run.lapses += 1
                close = self.calendar.session_close_after_ord(received)
                if close is not None and self._t(close) > env.now:
                    yield env.timeout(self._t(close) - env.now)
                world.log(
                    run,
                    Event.APPROVAL_LAPSED,
                    run.state,
                    join(basis, law.Cite.SESSION_LAPSE),
                    f"{request}; {house} undecided at session close",
                )
                return Outcome("lapsed", env.now)
            if self._t(decided) > env.now:
                yield env.timeout(self._t(decided) - env.now)
            sitting = self.calendar.sitting_days_between_ord(received, decided)
            met = law.decision_target_met(sitting)
            if targeted and not met:
                run.targets_missed[house] += 1
            target = ("met" if met else "missed") if targeted else "n/a"
            detail = f"{house} {'approved' if approve else 'disapproved'}; {sitting} sitting days; target {target}"
            world.log(run, Event.HOUSE_DECIDED, run.state, law.Cite.DECISION_TARGETS if targeted else basis, detail)
            if not approve:
                break
        if kind is not RENEWAL and run.decided_t is None:
            run.decided_t = env.now
        return Outcome("granted" if approve else "denied", env.now)

    def _decision_day(self, received: int, days: int) -> int | None:
        """The day a House decides, or None if its session closes first (and matters lapse)."""
        decided = received if days == 0 else self.calendar.add_sitting_days_ord(received, days)
        if decided is None or self.diet.carry_over:
            return decided
        close = self.calendar.session_close_after_ord(received)
        return decided if close is not None and decided <= close else None

    def _await_session(self, world: World) -> Generator[Any, Any, bool]:
        """Wait for the next session in which the Diet sits; False if the calendar runs out."""
        env = world.env
        nxt = self._next_sitting_session(env.now)
        if nxt is None:
            return False
        yield env.timeout(nxt - env.now)
        return True

    def _granted(self, world: World, run: DeploymentRun) -> None:
        run.approval_t = world.env.now
        approved = self.start + dt.timedelta(days=int(world.env.now))
        world.env.process(self._renewals(world, run, approved))


def _names(run: DeploymentRun, contingents: tuple[int, ...]) -> str:
    return ", ".join(run.plan.contingent_label(j) for j in contingents)


_OPERATING = (State.DECIDED, State.DEPLOYED, State.INTERRUPTED, State.SUSPENDED)
"""Looked up once (an Enum class's attribute costs ~0.2 us in Python 3.11): asked at every renewal step."""


def _operating(run: DeploymentRun) -> bool:
    """Still dispatched, or decided and waiting to go: renewals and post approval apply."""
    return run.state in _OPERATING
