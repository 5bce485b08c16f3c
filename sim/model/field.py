"""What happens to a deployment once it is out there: Art. 6(13) and 8(1)(vi)-(viii).

One process per dispatched deployment keeps a set of timers — the next draw of each hazard,
the next scripted event, the end of a restoration window or of a suspension — and handles
whichever comes first.  The rulebook says which article applies:

* **Loss of the conditions** (Art. 6(13)(i)-(viii), the item for the deployment's operation
  type and sub-type): the guidelines' interruption applies at once (Art. 8(1)(vi)); if the
  conditions return within the window government practice allows, the assignments resume;
  if not, the Cabinet amends the plan to end the dispatch (Art. 6(13) chapeau).
* **Consent no longer stable** (Art. 6(13)(ix)-(xi)): only (g), (u) likened to (g) and (v) are
  interrupted (Art. 8(1)(vii)) and then removed from the plan; a contingent left without tasks
  comes home, and a deployment left without any ends.
* **Temporary suspension** to avoid danger (Art. 8(1)(viii)): tasks pause and resume.
* **Mission end** and a **policy decision** to end: the plan is changed to end the dispatch.

A scripted event of a kind replaces that kind's hazard for its deployment, so a what-if ("what
if consent is lost on 10 July 2016?") is deterministic.  Hazards are paused while their event
cannot happen (no second interruption while interrupted, no suspension while paused); with
exponential waiting times, drawing afresh afterwards is exact.
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any

from sim import law, randomness
from sim.eventlog import Cause, Event, State
from sim.model.world import DeploymentRun, World
from sim.randomness import stream, whole_days
from sim.scenario import ScriptedEvent, scripted_contingent

_DAYS_PER_YEAR = 365.25
_BEYOND_ANY_HORIZON = 1e7  # days (27,000 years): a draw this late never happens in a run
_SCRIPTED_REPLACES = {
    "conditions_lost": "conditions_lost",
    "conditions_restored": "restoration",
    "consent_unstable": "consent_unstable",
    "suspended": "danger",
    "resumed": "suspension_end",
    "mission_end": "mission_end",
    "policy_termination": "policy_termination",
    "tasks_added": "tasks_added",
    "tasks_removed": "tasks_removed",
    "size_changed": "size_changed",
    "relieved": "relieved",
    "contingent_ended": "contingent_ended",
    "mission_handed_over": "mission_handed_over",
}


class Field:
    """The field process of one deployment in one replication."""

    def __init__(self, world: World, run: DeploymentRun):
        self.world = world
        self.run = run
        self.plan = run.plan
        self.hazards = run.plan.hazards
        self.rng = stream(world.seed, world.replication, randomness.FIELD ^ run.plan.stream_key)
        self.scripted = list(run.plan.scripted)
        self.replaced = {_SCRIPTED_REPLACES[ev.event] for _, ev in self.scripted}
        self.timers: dict[str, float] = {}
        self.scripted_restoration = "restoration" in self.replaced

    # -- timers ------------------------------------------------------------------------------

    def _arm(self, name: str, rate: float) -> None:
        """Draw the next occurrence of a hazard, unless scripted events replace it."""
        if rate > 0 and name not in self.replaced:
            wait = self.rng.exponential(_DAYS_PER_YEAR / rate)
            if wait < _BEYOND_ANY_HORIZON:
                self.timers[name] = self.world.env.now + max(1, whole_days(wait))

    def _arm_scripted(self) -> None:
        while self.scripted and self.scripted[0][0] < self.world.env.now:
            self.scripted.pop(0)
            self.run.scripted_skipped += 1
        if self.scripted:
            self.timers["scripted"] = float(self.scripted[0][0])

    def process(self) -> Generator[Any, Any, None]:
        """Handle whatever comes first until the deployment is no longer dispatched."""
        env = self.world.env
        h = self.hazards
        self._arm("conditions_lost", h.conditions_lost.rate)
        if self.plan.unstable_item and any(self.plan.removable_tasks):
            self._arm("consent_unstable", h.consent_unstable.rate)
        self._arm("danger", h.danger.rate)
        self._arm("mission_end", h.mission_end.rate)
        self._arm("policy_termination", h.policy_termination.rate)
        if self.plan.mission_end_day is not None:
            self.timers["mission_end_date"] = float(max(self.plan.mission_end_day, env.now))
        self._arm_scripted()
        while self.timers:
            name = min(self.timers, key=self.timers.__getitem__)
            at = self.timers.pop(name)
            if at > env.now:
                yield env.timeout(at - env.now)
            if not self.run.dispatched:
                return
            since = len(self.world.rows)
            if name == "scripted":
                _, event = self.scripted.pop(0)
                self._scripted(event)
                self.world.date_rows(since, event.date)
                self._arm_scripted()
            else:
                self._hazard(name)
                if name == "mission_end_date":
                    self.world.date_rows(since, self.plan.spec.mission_end)

    # -- what happens ------------------------------------------------------------------------

    def _hazard(self, name: str) -> None:
        h = self.hazards
        if name == "conditions_lost":
            self._lose_conditions(self._draw_ground())
            self._arm("conditions_lost", h.conditions_lost.rate)
        elif name == "restoration":
            self._restore()
        elif name == "window_end":
            self._window_closes()
        elif name == "consent_unstable":
            self._consent_unstable()
        elif name == "remove_tasks":
            self._remove_tasks()
        elif name == "danger":
            self._suspend(h.danger.duration.days(self.rng))
            self._arm("danger", h.danger.rate)
        elif name == "suspension_end":
            self._resume_from_suspension()
        elif name in ("mission_end", "mission_end_date"):
            self._end(Cause.MISSION_END, "mission ended")
        elif name == "policy_termination":
            self._end(Cause.POLICY, "policy decision")

    def _scripted(self, event: ScriptedEvent) -> None:
        kind = event.event
        if kind == "conditions_lost":
            self._lose_conditions(event.ground or law.Ground.CONSENT_LOST, scripted=True)
        elif kind == "conditions_restored":
            self._restore()
        elif kind == "consent_unstable":
            self._consent_unstable()
        elif kind == "suspended":
            days = event.days if event.days is not None else self.hazards.danger.duration.days(self.rng)
            self._suspend(days, scripted_end="resumed" in {ev.event for _, ev in self.scripted} and not event.days)
        elif kind == "resumed":
            self._resume_from_suspension()
        elif kind == "mission_end":
            self._end(Cause.MISSION_END, "mission ended")
        elif kind == "tasks_added":
            self._add_tasks(event)
        elif kind == "tasks_removed":
            self._remove_scripted_tasks(event)
        elif kind == "size_changed":
            self._change_size(event)
        elif kind == "relieved":
            self._relieve(event)
        elif kind == "contingent_ended":
            self._end_contingent(event)
        elif kind == "mission_handed_over":
            self._hand_over_mission(event)
        else:
            self._end(Cause.POLICY, "policy decision")

    def _draw_ground(self) -> law.Ground:
        grounds = self.plan.grounds
        weights = [self.hazards.conditions_lost.grounds.get(g, 1.0) for g in grounds]
        total = sum(weights)
        if total <= 0:
            return grounds[0]
        pick = self.rng.random() * total
        for ground, weight in zip(grounds, weights, strict=True):
            pick -= weight
            if pick < 0:
                return ground
        return grounds[-1]

    def _lose_conditions(self, ground: law.Ground, scripted: bool = False) -> None:
        """Art. 6(13)(i)-(viii): log the loss, interrupt at once (Art. 8(1)(vi)), start the wait.

        A loss drawn from the hazard is restored after a drawn time, unless restorations are
        scripted; a scripted loss is restored only by a scripted restoration.
        """
        run, world = self.run, self.world
        if run.state is State.INTERRUPTED:
            return
        item = self.plan.conditions_item
        world.log(run, Event.CONDITIONS_LOST, run.state, item, ground.value)
        self._close_suspension()
        run.interruptions += 1
        run.interrupted_since = world.env.now
        world.log(run, Event.INTERRUPTED, State.INTERRUPTED, law.Cite.INTERRUPTION, f"{item}: all tasks")
        world.record_engaged(run)
        cond = self.hazards.conditions_lost
        self.timers["window_end"] = world.env.now + cond.window.days(self.rng)
        if not (scripted or self.scripted_restoration):
            self.timers["restoration"] = world.env.now + max(1, cond.restoration.days(self.rng))

    def _restore(self) -> None:
        """The conditions return within the window: the assignments resume."""
        run, world = self.run, self.world
        if run.state is not State.INTERRUPTED:
            return
        self.timers.pop("window_end", None)
        run.days_interrupted += world.env.now - run.interrupted_since
        run.interrupted_since = None
        world.log(run, Event.RESUMED, State.DEPLOYED, law.Cite.INTERRUPTION, "conditions restored")
        world.record_engaged(run)

    def _window_closes(self) -> None:
        """Not restored in time: the Cabinet amends the plan to end the dispatch (Art. 6(13))."""
        run, world = self.run, self.world
        if run.state is not State.INTERRUPTED:
            return
        self.timers.pop("restoration", None)
        world.end_dispatch(run, Cause.CONDITIONS_LOST, self.plan.conditions_item, "conditions lost")

    def _consent_unstable(self) -> None:
        """Art. 6(13)(ix)-(xi): interrupt (g), (u) likened to (g), (v) (Art. 8(1)(vii))."""
        run, world = self.run, self.world
        removable = sorted({t for tasks, r in zip(self.run.tasks, self.plan.removable_tasks, strict=True)
                            for t in tasks & r})  # fmt: skip
        if not removable or "remove_tasks" in self.timers:
            return
        item = self.plan.unstable_item or ""
        world.log(run, Event.CONSENT_UNSTABLE, run.state, item)
        shown = ", ".join(f"({t})" for t in removable)
        world.log(run, Event.INTERRUPTED, run.state, law.Cite.TASK_INTERRUPTION, f"{item}: tasks {shown}")
        self.timers["remove_tasks"] = world.env.now + self.plan.lags["amendment_delay"].days(self.rng)

    def _remove_tasks(self) -> None:
        """The plan is amended to remove the interrupted tasks; idle contingents come home."""
        run = self.run
        removals = {j: set(removable) for j, removable in enumerate(self.plan.removable_tasks) if removable}
        removed = self.world.remove_tasks(run, removals, Cause.CONDITIONS_LOST, self.plan.unstable_item or "")
        run.tasks_removed += len(removed)

    def _add_tasks(self, event: ScriptedEvent) -> None:
        """Art. 6(13): the plan is amended to give a contingent more tasks, reported (Art. 7(i)).

        If the new tasks make an SDF unit's assignments ones the Diet approves (Art. 6(7)), they
        start only once approved (or at once under the proviso); other tasks start at once.
        """
        run, world = self.run, self.world
        j = self._contingent(event)
        if run.ended[j]:
            run.scripted_skipped += 1
            return
        added = sorted(set(event.tasks or ()) - run.tasks[j])
        shown = ", ".join(f"({t})" for t in added)
        world.log(run, Event.PLAN_AMENDED, run.state, law.Cite.PLAN_AMENDMENT,
                  f"tasks added: {shown} to {self.plan.contingent_label(j)}")  # fmt: skip
        world.log(run, Event.PLAN_REPORTED, run.state, law.Cite.PLAN_REPORTED, "plan changed")
        cont = self.plan.spec.contingents[j]
        core = world.text_in_force().is_approval_assignment(
            self.plan.spec.operation, cont.kind, [law.effective_task(t, cont.u_similar_to) for t in added]
        )
        if core and world.approval is not None:
            world.env.process(world.approval.tasks_added(world, run, j, frozenset(added)))
        else:
            run.tasks[j] |= set(added)

    def _remove_scripted_tasks(self, event: ScriptedEvent) -> None:
        """Art. 6(13): the plan amended to take tasks from a contingent, reported (Art. 7(i)).

        As when consent becomes unstable (:meth:`World.remove_tasks`): a contingent left without
        tasks comes home, a plan left without any ends (cause ``policy``), and once no contingent
        carries an Art. 6(7) task the Diet's approval covers nothing more (no renewal is sought).
        A contingent not out, or without the tasks now, is skipped (``scripted_skipped``).
        """
        run = self.run
        j = self._contingent(event)
        if not run.out[j] or not run.tasks[j] & set(event.tasks or ()):
            run.scripted_skipped += 1
            return
        removed = self.world.remove_tasks(run, {j: set(event.tasks or ())}, Cause.POLICY, law.Cite.PLAN_AMENDMENT)
        run.tasks_removed += len(removed)

    def _change_size(self, event: ScriptedEvent) -> None:
        """Art. 6(13): the plan's size of a contingent changed (an item of the plan, Art. 6(2)(ii)).

        Fewer persons leave the cap's count at once; more go as the cap allows (Art. 19(1)): at once
        if there is room, else they wait for it (``cap_wait``), first come, first served.
        """
        run, world = self.run, self.world
        j = self._contingent(event)
        assert event.personnel is not None  # validated
        if not run.out[j]:
            run.scripted_skipped += 1
            return
        before = run.contingent_persons[j]
        world.log(run, Event.PLAN_AMENDED, run.state, law.Cite.PLAN_AMENDMENT,
                  f"size of {self.plan.contingent_label(j)}: {before} -> {event.personnel} persons")  # fmt: skip
        world.log(run, Event.PLAN_REPORTED, run.state, law.Cite.PLAN_REPORTED, "plan changed")
        if event.personnel < before:
            world.resize(run, j, event.personnel)
        elif event.personnel > before:
            world.env.process(world.reinforce(run, j, event.personnel - before))

    def _contingent(self, event: ScriptedEvent) -> int:
        j = scripted_contingent(self.plan.spec, event.contingent)
        assert j is not None  # validated: the contingent exists
        return j

    def _relieve(self, event: ScriptedEvent) -> None:
        """A dated relief of one contingent (Art. 12(1), 13(2), 14), as the real rotations went."""
        j = self._contingent(event)
        if not self.run.out[j]:
            self.run.scripted_skipped += 1
            return
        self.world.relieve(self.run, j)

    def _end_contingent(self, event: ScriptedEvent) -> None:
        """Art. 6(13): the plan amended to end one contingent's assignments; the rest goes on."""
        j = self._contingent(event)
        if not self.run.out[j]:
            self.run.scripted_skipped += 1
            return
        self.world.end_assignments(self.run, [j], Cause.POLICY, law.Cite.PLAN_AMENDMENT, "plan changed")

    def _hand_over_mission(self, event: ScriptedEvent) -> None:
        """Art. 6(13): the plan amended to serve the UN's successor mission with the same units."""
        run, world = self.run, self.world
        world.log(
            run, Event.PLAN_AMENDED, run.state, law.Cite.PLAN_AMENDMENT, f"mission handed over to {event.mission}"
        )
        world.log(run, Event.PLAN_REPORTED, run.state, law.Cite.PLAN_REPORTED, "plan changed")

    def _suspend(self, days: int, scripted_end: bool = False) -> None:
        """Art. 8(1)(viii): tasks pause to avoid danger; they resume after ``days``."""
        run, world = self.run, self.world
        if run.state is not State.DEPLOYED:
            return
        run.suspensions += 1
        run.suspended_since = world.env.now
        world.log(run, Event.SUSPENDED, State.SUSPENDED, law.Cite.SUSPENSION, "danger")
        world.record_engaged(run)
        if not scripted_end:
            self.timers["suspension_end"] = world.env.now + max(1, days)

    def _resume_from_suspension(self) -> None:
        run, world = self.run, self.world
        if run.state is not State.SUSPENDED:
            return
        self.timers.pop("suspension_end", None)
        self._close_suspension()
        world.log(run, Event.RESUMED, State.DEPLOYED, law.Cite.SUSPENSION, "danger passed")
        world.record_engaged(run)

    def _close_suspension(self) -> None:
        run = self.run
        if run.suspended_since is not None:
            run.days_suspended += self.world.env.now - run.suspended_since
            run.suspended_since = None
            self.timers.pop("suspension_end", None)

    def _end(self, cause: Cause, why: str) -> None:
        """Mission end or a policy decision: the plan is changed to end the dispatch."""
        self.world.end_dispatch(self.run, cause, law.Cite.PLAN_AMENDMENT, why)


def field(world: World, run: DeploymentRun) -> Generator[Any, Any, None]:
    """The field process body for one dispatched deployment.

    It is the :class:`Field`'s own generator, not one that delegates to it: every step of the field
    would otherwise pass through one more frame.
    """
    return Field(world, run).process()
