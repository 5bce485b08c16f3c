"""One replication's world: the SimPy environment, the random streams and the event log.

The world also holds the seams where other bodies of rules plug into a deployment's life: the
Diet's approval procedure (Art. 6(7)-(12), :class:`ApprovalProcedure`) and the alliance, which
may hold a dispatch while a contingency calls SDF units home (Art. 6(6), :class:`DispatchHold`).
Streams come from :mod:`sim.randomness`.
"""

from __future__ import annotations

import itertools
from collections.abc import Generator
from dataclasses import dataclass, field
from typing import Any, Protocol

import numpy as np
import simpy

from sim import law
from sim.eventlog import Cause, EngagedRow, Event, LogRow, State
from sim.law.versions import CURRENT, ActVersion, LawClock
from sim.model.portfolio import PlannedDeployment
from sim.randomness import stream
from sim.scenario.dates import dated

MAX_EVENTS_PER_DAY = 1_000
"""The most events one lane (a deployment, the Treaty, a contingency) may log on one day.

A real day holds a dozen steps at most (a decision, its report, guidelines, the Corps, a dispatch);
a thousand means a loop of same-day events, which would otherwise run until memory is gone.
"""


_new_row = tuple.__new__
"""Makes a :class:`LogRow` or :class:`EngagedRow` from a tuple of its fields: the same row as calling the
class, without the named tuple's Python-level ``__new__`` (one row per event is the hottest path)."""


_DEPLOYED = State.DEPLOYED
_DISPATCHED = (_DEPLOYED, State.INTERRUPTED, State.SUSPENDED)
"""The states of a deployment out in the receiving country (:attr:`DeploymentRun.dispatched`), looked up
once: in Python 3.11 reading a member off an Enum class costs ~0.2 us (its metaclass's ``__getattr__``),
and these are asked on every step of the field and of the Diet and at every count of persons engaged."""


class RunawayScenario(RuntimeError):
    """A replication caught in a loop of same-day events: the message names the lane and the day.

    It is not a fault of the machine, so running again would loop again: the scenario must change.
    """


class ApprovalProcedure(Protocol):
    """What the lifecycle and the field need from the Diet (Art. 6(7)-(12))."""

    def proviso(self, world: World, run: DeploymentRun, commence: float) -> bool:
        """True if the Art. 6(7) contingents go first, approval sought after (the proviso)."""
        ...

    def prior(self, world: World, run: DeploymentRun, dispatch_day: float) -> Generator[Any, Any, float | None]:
        """A SimPy process body: the day the Diet approved the Art. 6(7) contingents, or None."""
        ...

    def after_dispatch(self, world: World, run: DeploymentRun) -> None:
        """Start whatever the Diet does once units are out (approval after the fact)."""
        ...

    def tasks_added(
        self, world: World, run: DeploymentRun, contingent: int, tasks: frozenset[str]
    ) -> Generator[Any, Any, None]:
        """A SimPy process body: the Diet on a plan change giving an SDF unit (a)-(g)."""
        ...

    def contingent_added(
        self, world: World, run: DeploymentRun, contingent: int, commence: float
    ) -> Generator[Any, Any, float | None]:
        """A SimPy process body: the Diet on an SDF unit doing (a)-(g) that a plan change adds; the
        day it may go, or None."""
        ...


class DispatchHold(Protocol):
    """What the lifecycle needs from the alliance: may these contingents go now (Art. 6(6))?"""

    def before_dispatch(self, run: DeploymentRun, group: tuple[int, ...]) -> Generator[Any, Any, bool]:
        """A SimPy process body: wait while held; False if the dispatch is given up."""
        ...


@dataclass(slots=True)
class DeploymentRun:
    """What became of one deployment in one replication; summarised into ``.deployments``."""

    plan: PlannedDeployment
    rng: np.random.Generator
    state: State = State.REQUESTED
    period_end: float = 0.0
    decision_t: float | None = None
    dispatch_t: float | None = None
    termination_t: float | None = None
    withdrawal_t: float | None = None
    extensions: int = 0
    rotations: int = 0
    cause: Cause | None = None
    approval_path: str = "none"
    process: simpy.Process | None = None
    diet_rng: np.random.Generator | None = None
    sought_t: float | None = None
    decided_t: float | None = None
    approval_t: float | None = None
    approvals_sought: int = 0
    lapses: int = 0
    renewals: int = 0
    targets_missed: dict[str, int] = field(default_factory=lambda: {"representatives": 0, "councillors": 0})
    persons: int = 0
    contingent_persons: list[int] = field(default_factory=list)
    interrupted_since: float | None = None
    suspended_since: float | None = None
    days_interrupted: float = 0.0
    days_suspended: float = 0.0
    interruptions: int = 0
    suspensions: int = 0
    tasks_removed: int = 0
    cap_wait_days: float = 0.0
    scripted_skipped: int = 0
    ending: bool = False
    tasks: list[set[str]] = field(default_factory=list)
    """Each contingent's tasks now: the plan's, less those removed, plus those added (Art. 6(13))."""
    ended: list[bool] = field(default_factory=list)
    """Each contingent whose assignments have ended (or never began) while the plan goes on."""
    out: list[bool] = field(default_factory=list)
    """Each contingent dispatched and not yet ended: the ones relieved at the end of their term."""
    period_watch: simpy.Event | None = None
    approval_lag: int | None = None

    def approval_assignments_left(self) -> list[int]:
        """Art. 6(7): contingents not ended that still carry assignments the Diet approves.

        This is what a disapproval ends (Art. 6(9), 6(11)) and what a continuation is sought for
        (Art. 6(10)): once (g) and (v) have been removed under Art. 6(13)(ix), say, none may be left.
        """
        plan = self.plan
        return [j for j, tasks in enumerate(self.tasks)
                if not self.ended[j] and plan.carries_approval_assignment(j, frozenset(tasks))]  # fmt: skip

    def period_changed(self) -> None:
        """Wake whatever waits on the plan's period (a renewal asking whether it is still owed)."""
        if self.period_watch is not None:
            self.period_watch.succeed()
            self.period_watch = None

    @property
    def dispatched(self) -> bool:
        """Out in the receiving country, performing or paused: where Art. 6(9)-(13), 8(1) act."""
        return self.state in _DISPATCHED

    def end_operations(self, cause: Cause, basis: str) -> None:
        """Ask the lifecycle to terminate without delay (Art. 6(9), 6(11), 6(13)).

        The first request in a day wins; a second one before the lifecycle has acted on the
        first (two grounds found on the same day) changes nothing.
        """
        if self.process is not None and self.dispatched and not self.ending:
            self.ending = True
            self.process.interrupt((cause, basis))


@dataclass
class World:
    """The environment and log shared by every process of one replication."""

    seed: int
    replication: int
    env: simpy.Environment = field(default_factory=simpy.Environment)
    rows: list[LogRow] = field(default_factory=list)
    approval: ApprovalProcedure | None = None
    hold: DispatchHold | None = None
    """The alliance, which may hold new SDF dispatches while a contingency calls units home (Art. 6(6))."""
    cap_limit: int = law.PERSONNEL_CAP
    cap_policy: str = "wait"
    engaged: list[EngagedRow] = field(default_factory=list)
    law: LawClock | None = None
    """Re-cites each event's basis under the text of the Act governing its day (None: the current text)."""
    cap: simpy.Container = field(init=False)
    _day: float = field(init=False, default=-1.0)
    _day_start: int = field(init=False, default=0)
    """The first row logged on day ``_day``, for the runaway guard (:meth:`_count`)."""
    names: dict[int, str] = field(default_factory=dict)
    """What each lane is called in a runaway's message: a deployment's id, the Treaty, a contingency."""

    def __post_init__(self) -> None:
        self.cap = simpy.Container(self.env, capacity=self.cap_limit, init=0)

    def _count(self, lane: int, event: str, detail: str) -> None:
        """Stop a replication whose lane logs more than :data:`MAX_EVENTS_PER_DAY` events on one day.

        A lane's events of the day are counted only once the day's events of all lanes together reach
        the limit (until then none can be over it): on every ordinary day, one comparison per event.
        """
        if self.env.now != self._day:
            self._day = self.env.now
            self._day_start = len(self.rows)
        if len(self.rows) - self._day_start < MAX_EVENTS_PER_DAY:
            return
        self._count_lane(lane, event, detail)

    def _count_lane(self, lane: int, event: str, detail: str) -> None:
        """The slow half of :meth:`_count`: the day's events are at the limit; is this lane over it?"""
        logged = 1 + sum(1 for row in itertools.islice(self.rows, self._day_start, None) if row.deployment == lane)
        if logged > MAX_EVENTS_PER_DAY:
            name = self.names.get(lane, f"lane {lane}")
            raise RunawayScenario(
                f"{name} logged more than {MAX_EVENTS_PER_DAY:,} events on day {self.env.now:g} of replication "
                f"{self.replication} (the last: {event}{f', {detail}' if detail else ''}): a loop of same-day "
                "events, stopped before it takes the machine's memory. Running again would loop again; change the "
                "scenario (for instance an extension_lead longer than the extension.length it decides on)"
            )

    def text_in_force(self) -> ActVersion:
        """The text of the Act governing today (the scenario's ``law.as_of``): what a plan change made
        today is judged under, as validation judged it (:func:`sim.scenario.asof.law_on`)."""
        return CURRENT if self.law is None else self.law.on(self.env.now)

    def record_engaged(self, run: DeploymentRun) -> None:
        """Persons this deployment has engaged now, whether they perform tasks, and the total."""
        performing = run.state is _DEPLOYED and run.persons > 0
        row = (run.plan.index, self.env.now, run.persons, performing, self.cap.level)
        self.engaged.append(_new_row(EngagedRow, row))

    def log(self, run: DeploymentRun, event: str, state: State, basis: str = "", detail: str = "") -> None:
        """Append one event and move the deployment to ``state``; its basis as the governing text cites it."""
        run.state = state
        now = self.env.now
        if self.law is not None:
            basis = self.law.cite(now, basis)
        lane = run.plan.index
        rows = self.rows
        # the runaway guard (_count) inlined: this is called for every event, and on an ordinary day
        # it is one comparison
        if now != self._day:
            self._day = now
            self._day_start = len(rows)
        elif len(rows) - self._day_start >= MAX_EVENTS_PER_DAY:
            self._count_lane(lane, event, detail)
        rows.append(_new_row(LogRow, (lane, now, event, state, basis, detail)))

    def end_dispatch(self, run: DeploymentRun, cause: Cause, basis: str, why: str) -> None:
        """The Cabinet changes the plan to end the dispatch (Art. 6(13)), reports it (Art. 7(i)),
        and the lifecycle terminates with ``cause`` and ``basis``.

        Nothing is logged for a deployment no longer dispatched or already ending that day: the
        first ground found ends it (:meth:`DeploymentRun.end_operations`), a second changes nothing.
        """
        if not run.dispatched or run.ending:
            return
        self.log(run, Event.PLAN_AMENDED, run.state, law.Cite.PLAN_AMENDMENT, f"dispatch ended: {why}")
        self.log(run, Event.PLAN_REPORTED, run.state, law.Cite.PLAN_REPORTED, "plan changed")
        run.end_operations(cause, basis)

    def end_assignments(self, run: DeploymentRun, contingents: list[int], cause: Cause, basis: str, why: str) -> None:
        """End some contingents' assignments by a plan change (Art. 6(13), reported under 7(i)).

        If nothing of the plan would be left, the whole dispatch ends (:meth:`end_dispatch`).
        Otherwise the contingents come home and leave the cap's count on the day of the change,
        as contingents left idle by removed tasks do; the plan goes on with the rest.
        """
        if not run.dispatched or run.ending:
            return
        left = [j for j, done in enumerate(run.ended) if not done and j not in contingents]
        if not left:
            self.end_dispatch(run, cause, basis, why)
            return
        names = ", ".join(run.plan.contingent_label(j) for j in contingents)
        self.log(run, Event.PLAN_AMENDED, run.state, law.Cite.PLAN_AMENDMENT, f"assignments ended: {names}; {why}")
        self.log(run, Event.PLAN_REPORTED, run.state, law.Cite.PLAN_REPORTED, "plan changed")
        self.release(run, contingents)
        self.record_engaged(run)

    def remove_tasks(self, run: DeploymentRun, removals: dict[int, set[str]], cause: Cause, basis: str) -> set[str]:
        """Amend the plan to take tasks from contingents (Art. 6(13)), reported (Art. 7(i)).

        A contingent left without tasks comes home; a plan left without any ends with ``cause``
        and ``basis``.  Returns the letters removed.
        """
        removed: set[str] = set()
        idle = []
        for j, tasks in removals.items():
            gone = run.tasks[j] & tasks
            removed |= gone
            run.tasks[j] -= gone
            if gone and not run.tasks[j]:
                idle.append(j)
        self.release(run, idle)
        shown = ", ".join(f"({t})" for t in sorted(removed))
        self.log(run, Event.PLAN_AMENDED, run.state, law.Cite.PLAN_AMENDMENT, f"tasks removed: {shown}")
        self.log(run, Event.PLAN_REPORTED, run.state, law.Cite.PLAN_REPORTED, "plan changed")
        self.record_engaged(run)
        if all(run.ended):
            run.end_operations(cause, basis)
        return removed

    def relieve(self, run: DeploymentRun, contingent: int) -> None:
        """A contingent relieved at the end of its members' term (Art. 12(1), 13(2), 14).

        With a hand-over, the relief arrives before the relieved leave, if the cap (Art. 19(1)) has
        room.  A contingent gone home, or not yet out, has no one to relieve.
        """
        if not run.out[contingent]:
            return
        cont = run.plan.spec.contingents[contingent]
        run.rotations += 1
        self.log(run, Event.ROTATION, run.state, law.ROTATION_BASIS[cont.kind], run.plan.contingent_label(contingent))
        persons = run.contingent_persons[contingent] if run.contingent_persons else 0
        if not cont.handover or not run.plan.counts_toward_cap or not persons:
            return
        if self.cap.capacity - self.cap.level < persons or self.cap.put_queue:
            return
        self.cap.put(persons)
        run.persons += persons
        self.record_engaged(run)
        self.env.process(self._relieved(run, persons, cont.handover))

    def _relieved(self, run: DeploymentRun, persons: int, days: int) -> Generator[Any, Any, None]:
        """The relieved leave after the hand-over (unless all have come home already)."""
        yield self.env.timeout(days)
        if run.withdrawal_t is None:
            self.cap.get(persons)
            run.persons -= persons
            self.record_engaged(run)

    def resize(self, run: DeploymentRun, contingent: int, persons: int) -> None:
        """A contingent reduced to ``persons``: the others leave the cap's count now (Art. 19(1))."""
        fewer = run.contingent_persons[contingent] - persons
        self.cap.get(fewer)
        run.persons -= fewer
        run.contingent_persons[contingent] = persons
        self.record_engaged(run)

    def reinforce(self, run: DeploymentRun, contingent: int, more: int) -> Generator[Any, Any, None]:
        """More persons for a contingent, as the cap allows: they wait for room (Art. 19(1))."""
        headroom = self.cap.capacity - self.cap.level
        if headroom < more or self.cap.put_queue:
            self.log(run, Event.CAP_WAIT, run.state, law.Cite.CAP, f"{more} persons wait; {headroom} free")
        yield self.cap.put(more)
        if not run.out[contingent] or run.ending or not run.dispatched:
            self.cap.get(more)  # the plan ended (or the contingent came home) while they waited
            return
        run.persons += more
        run.contingent_persons[contingent] += more
        self.record_engaged(run)

    def release(self, run: DeploymentRun, contingents: list[int]) -> None:
        """These contingents' assignments end: their persons leave the cap's count (Art. 19(1))."""
        for j in contingents:
            run.ended[j] = True
            run.out[j] = False
            persons = run.contingent_persons[j] if run.contingent_persons else 0
            if persons:
                self.cap.get(persons)
                run.persons -= persons
                run.contingent_persons[j] = 0

    def date_rows(self, since: int, when: object) -> None:
        """The rows logged from index ``since`` on are a step dated only to its month: they say so.

        A scripted step written ``YYYY-MM`` runs on the 1st of the month (:mod:`sim.scenario.dates`);
        its rows carry ``dated to the month YYYY-MM`` so that no one reads the 1st as the real day.
        Nothing changes for a step dated to the day.
        """
        for i in range(since, len(self.rows)):
            row = self.rows[i]
            self.rows[i] = row._replace(detail=dated(row.detail, when))  # type: ignore[arg-type]

    def note(self, lane: int, event: str, state: str, basis: str = "", detail: str = "") -> None:
        """Append one event of a lane that is not a deployment (the Treaty, a contingency)."""
        self._count(lane, event, detail)
        self.rows.append(_new_row(LogRow, (lane, self.env.now, event, state, basis, detail)))

    def close(self) -> None:
        """Let the world go as soon as its records are taken: drop what is still pending at the horizon.

        A pending event's callbacks hold a process whose generator holds the world: cycles that only the
        garbage collector frees, which cost a tenth of a portfolio's run time (issue 19).  Without the
        callbacks, reference counting frees the world at once.  Nothing is run again after this.
        """
        queue = self.env._queue  # SimPy's schedule: there is no public way to empty it
        for *_, event in queue:
            event.callbacks = None
        queue.clear()
        for waiting in (self.cap.put_queue, self.cap.get_queue):  # requests waiting for the cap at the horizon
            for request in waiting:
                request.callbacks = None
            waiting.clear()
        self.hold = None  # the alliance holds the world too

    def start(self, plan: PlannedDeployment) -> DeploymentRun:
        """A fresh run record with its own random stream.

        A contingent a later plan change adds (Art. 6(13)) is not in the plan until then: it counts as
        ended, so a plan whose own contingents are all home ends without waiting for it.
        """
        contingents = plan.spec.contingents
        later = plan.added_indices
        self.names[plan.index] = f"deployment {plan.spec.id}"
        return DeploymentRun(
            plan,
            stream(self.seed, self.replication, plan.stream_key),
            tasks=[set(c.tasks) for c in contingents],
            ended=[j in later for j in range(len(contingents))],
            out=[False] * len(contingents),
        )
