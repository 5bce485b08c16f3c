"""The alliance in the model: the 1960 Treaty's life, contingencies at home, and recalls.

Two processes log into two lanes of the event log beside the deployments:

* **The Treaty** (:data:`TREATY_LANE`): entry into force on the exchange of ratifications and the
  1951 treaty's expiry with it (Treaty Art. VIII, IX); notice by either Party, open after ten
  years in force, scripted or drawn as a hazard; the end one year after notice (Art. X), with the
  grant of facilities and areas (Art. VI).
* **Contingencies** (:data:`CONTINGENCY_LANE`), one at a time while the Treaty is in force:
  tension; consultation at a Party's request (Art. IV); common readiness stages and the bilateral
  coordination mechanism (guidelines); an armed attack on the territories under Japan's
  administration (Art. V) met by Japan's defence operations with US support and, in due course,
  reinforcements (guidelines); the report to the Security Council (Art. V, "immediately"); the
  measures' end once the Council has acted (Art. V); stand-down.

Where the two bodies of law meet: Art. 6(6) of the Act allows SDF units assignments abroad only
so far as they do not hinder the SDF's main missions, so when a contingency reaches the
configured stage, the recall policy brings SDF units serving under the Act home.  Each recall is
a plan change ending the dispatch (Art. 6(13)), and its termination is logged with the basis
``Art. 6(13); Art. 6(6)`` (:attr:`sim.law.Cite.RECALL`): the Act, not the Treaty, ends a
dispatch.  The Treaty article of the contingency that prompted it (``Treaty Art. IV``, or
``Art. V`` once attacked) is named in the plan change's detail.  The deployment withdraws and
reports as after any other end.

When the Treaty ends (Art. X: "the Treaty shall terminate one year after such notice has been
given") nothing more happens under it: no contingency begins, and one under way stops where it
is.  The Parties' undertakings to "consult together ... at the request of either Party" (Art. IV)
and to "act to meet the common danger", reporting "all measures taken as a result thereof" to the
Security Council (Art. V), are undertakings of the Treaty, and the model reads the readiness
stages and coordination mechanism of the guidelines as the two governments' cooperation within
it (the shipped copy of the guidelines does not say so).  So on the day the Treaty terminates,
the contingency lane logs ``stood_down`` (no basis; the detail says the Treaty ended) and none of
the contingency's remaining steps, nor any recall they would have triggered, is logged.  What
Japan would do alone after the Treaty is outside the model, as an armed attack outside the
territories under Japan's administration is.

A contingency's steps are computed when its tension arises (every lag drawn from the alliance's
own stream) and then logged in date order, so scripted dates and drawn ones mix freely and the
order of the law is kept by construction: the report never later than its lag after the attack,
the measures never ended before the Council acts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Any

import simpy

from sim import law, randomness
from sim.eventlog import ALLIANCE_LANES, CONTINGENCY_LANE, TREATY_LANE, AllianceState, Cause, Event
from sim.law import treaty
from sim.law.citations import join
from sim.law.guidelines import GuidelinesCite
from sim.law.treaty import TreatyCite
from sim.model.world import DeploymentRun, World
from sim.randomness import stream, whole_days
from sim.scenario.alliance import Alliance, ScriptedContingency

_DAYS_PER_YEAR = 365.25

Process = Generator[Any, Any, None]


@dataclass(frozen=True)
class Step:
    """One thing a contingency does on a day; ``order`` breaks ties in the law's sequence."""

    day: float
    order: int
    act: Callable[[], None]


class AllianceModel:
    """The alliance's processes in one replication."""

    def __init__(self, world: World, spec: Alliance, start: dt.date, first_lane: int, runs: list[DeploymentRun]):
        self.world = world
        self.spec = spec
        self.start = start
        lanes = {name: first_lane + k for k, name in enumerate(ALLIANCE_LANES)}
        self.treaty_lane, self.contingency_lane = lanes[TREATY_LANE], lanes[CONTINGENCY_LANE]
        world.names.update({lane: f"lane {name!r}" for name, lane in lanes.items()})
        self.runs = runs
        self.rng = stream(world.seed, world.replication, randomness.ALLIANCE)
        self.treaty_ended = False
        self.under_way = False
        self.state = AllianceState.TENSION
        self.recalling: simpy.Event | None = None
        """Set from the recall's trigger until stand-down: new dispatches the policy covers wait on it."""

    def day(self, date: dt.date) -> int:
        return (date - self.start).days

    def _draw(self, dist: Any) -> int:
        return dist.days(self.rng)

    # -- the Treaty ------------------------------------------------------------------------

    def treaty(self) -> Process:
        """Entry into force (Art. VIII, IX), notice (Art. X) and the end a year later (Art. X, VI)."""
        env, spec = self.world.env, self.spec.treaty
        in_force = self.day(spec.in_force)
        if in_force >= 0:
            yield env.timeout(in_force)
            self._note_treaty(Event.TREATY_IN_FORCE, AllianceState.IN_FORCE, TreatyCite.ENTRY_INTO_FORCE)
            self._note_treaty(Event.TREATY_1951_EXPIRED, AllianceState.IN_FORCE, TreatyCite.EXPIRY_OF_1951_TREATY,
                              "Security Treaty of 1951")  # fmt: skip
        notice = self._notice_day()
        if notice is None:
            return
        yield env.timeout(notice - env.now)
        notice_date = self.start + dt.timedelta(days=notice)
        ends = treaty.termination_date(notice_date)
        self._note_treaty(Event.TREATY_NOTICE_GIVEN, AllianceState.NOTICE_GIVEN, TreatyCite.NOTICE,
                          f"by {spec.notice_by.value}; the Treaty ends {ends}")  # fmt: skip
        yield env.timeout(self.day(ends) - env.now)
        self.treaty_ended = True
        self._note_treaty(Event.TREATY_TERMINATED, AllianceState.TERMINATED, TreatyCite.NOTICE)
        self._note_treaty(Event.FACILITIES_ENDED, AllianceState.TERMINATED, TreatyCite.FACILITIES,
                          "facilities and areas in Japan")  # fmt: skip
        if self.under_way:
            self.under_way = False
            self._stood_down("the Treaty ended; no further steps under it")

    def _notice_day(self) -> float | None:
        """The scripted notice, or a draw once notice is open (Art. X: after ten years in force)."""
        spec = self.spec.treaty
        if spec.notice is not None:
            return self.day(spec.notice)
        if spec.notice_rate <= 0:
            return None
        opens = max(0, self.day(treaty.earliest_notice(spec.in_force)))
        return opens + max(0, whole_days(self.rng.exponential(_DAYS_PER_YEAR / spec.notice_rate)))

    def _note_treaty(self, event: Event, state: AllianceState, basis: str, detail: str = "") -> None:
        self.world.note(self.treaty_lane, event, state, basis, detail)

    # -- contingencies -----------------------------------------------------------------------

    def contingencies(self) -> Process:
        """Contingencies one after another: the scripted ones, else drawn at ``rate`` per year.

        Only while the Treaty is in force: none begins after it ends, and one under way when it
        ends logs nothing more (the Treaty's process stands it down that day).
        """
        env = self.world.env
        scripted = sorted(self.spec.scripted, key=lambda c: c.tension)
        rate = 0.0 if scripted else self.spec.contingencies.rate
        first = max(0, self.day(self.spec.treaty.in_force))
        if first > 0:
            yield env.timeout(first)
        while scripted or rate > 0:
            if scripted:
                plan: ScriptedContingency | None = scripted.pop(0)
                tension = self.day(plan.tension)
                if tension < env.now:  # the previous contingency was still going
                    continue
            else:
                plan = None
                tension = env.now + max(1, whole_days(self.rng.exponential(_DAYS_PER_YEAR / rate)))
            yield env.timeout(tension - env.now)
            if self.treaty_ended:
                return
            steps = self._steps(plan)
            self.under_way = True
            for step in sorted(steps, key=lambda s: (s.day, s.order)):
                if step.day > env.now:
                    yield env.timeout(step.day - env.now)
                if self.treaty_ended:  # stood down when the Treaty ended (see the module's docstring)
                    return
                step.act()
            self.under_way = False

    def _steps(self, plan: ScriptedContingency | None) -> list[Step]:
        """Every step of one contingency, with its day, from tension to stand-down."""
        c = self.spec.contingencies
        now = self.world.env.now
        steps = [Step(now, 0, self._tension)]
        consulted = now + self._draw(c.consultation)
        steps.append(Step(consulted, 1, self._consulted))
        stage_days = [consulted]
        for stage in c.stages[:-1]:
            stage_days.append(stage_days[-1] + self._draw(stage.days))
        last_stage_ends = stage_days[-1] + self._draw(c.stages[-1].days)
        coordination = consulted + self._draw(c.coordination)
        attack = self._attack_day(plan, last_stage_ends)
        for k, (stage, chosen) in enumerate(zip(c.stages, stage_days, strict=True)):
            if attack is None or chosen <= attack:
                steps.append(Step(chosen, 2, lambda s=stage.name, first=k == 0: self._readiness(s, first)))
        steps.append(Step(coordination if attack is None else min(coordination, attack), 3, self._coordination))
        if attack is None:
            eased = last_stage_ends + self._draw(c.easing)
            steps.append(Step(eased, 10, self._eased))
            steps.append(Step(eased + self._draw(c.stand_down), 11, self._stood_down))
            return steps
        reported = attack + self._draw(c.report)
        reinforced = attack + self._draw(c.reinforcements)
        acted = (
            self.day(plan.security_council)
            if plan and plan.security_council
            else attack + self._draw(c.security_council)
        )
        ended = acted + self._draw(c.measures_end)
        steps += [
            Step(attack, 4, self._attacked),
            Step(reported, 5, self._reported),
            Step(acted, 7, self._acted),
            Step(ended, 8, self._measures_ended),
            Step(ended + self._draw(c.stand_down), 11, self._stood_down),
        ]
        if reinforced < ended:
            steps.append(Step(reinforced, 6, self._reinforced))
        return steps

    def _attack_day(self, plan: ScriptedContingency | None, last_stage_ends: float) -> float | None:
        """A scripted attack's day, none (``false``), or a draw: after the last readiness stage."""
        if plan is not None and plan.armed_attack is False:
            return None
        if plan is not None and plan.armed_attack:
            return float(self.day(plan.armed_attack))
        return last_stage_ends if self.rng.random() < self.spec.contingencies.attack_probability else None

    def _note(self, event: Event, state: AllianceState, basis: str = "", detail: str = "") -> None:
        self.state = state
        self.world.note(self.contingency_lane, event, state, basis, detail)

    def _tension(self) -> None:
        party = self.spec.contingencies.requested_by.value
        self._note(Event.TENSION_AROSE, AllianceState.TENSION)
        self._note(Event.CONSULTATION_REQUESTED, AllianceState.TENSION, TreatyCite.CONSULTATION, f"by {party}")

    def _consulted(self) -> None:
        self._note(Event.CONSULTATION_HELD, AllianceState.CONSULTING, TreatyCite.CONSULTATION)
        if self.spec.recall.trigger == "consultation":
            self._recall(armed_attack=False)

    def _readiness(self, stage: str, first: bool) -> None:
        self._note(Event.READINESS_STAGE_CHOSEN, AllianceState.READINESS, GuidelinesCite.READINESS_STAGE, stage)
        if first and self.spec.recall.trigger == "readiness":
            self._recall(armed_attack=False)

    def _coordination(self) -> None:
        basis = join(GuidelinesCite.COORDINATION_MECHANISM, GuidelinesCite.COORDINATION_CENTRE)
        self._note(Event.COORDINATION_ACTIVATED, self.state, basis)

    def _attacked(self) -> None:
        self._note(Event.ARMED_ATTACK, AllianceState.DEFENCE, TreatyCite.ARMED_ATTACK,
                   "territories under the administration of Japan")  # fmt: skip
        basis = join(GuidelinesCite.PRIMARY_RESPONSIBILITY, GuidelinesCite.US_SUPPORT)
        self._note(Event.DEFENCE_OPERATIONS_STARTED, AllianceState.DEFENCE, basis)
        if self.spec.recall.trigger == "armed_attack":
            self._recall(armed_attack=True)

    def _reported(self) -> None:
        self._note(Event.SECURITY_COUNCIL_REPORTED, self.state, TreatyCite.ARMED_ATTACK)

    def _reinforced(self) -> None:
        self._note(Event.REINFORCEMENTS_ARRIVED, AllianceState.DEFENCE, GuidelinesCite.REINFORCEMENTS)

    def _acted(self) -> None:
        self._note(Event.SECURITY_COUNCIL_ACTED, AllianceState.DEFENCE, "", "measures necessary taken")

    def _measures_ended(self) -> None:
        self._note(Event.MEASURES_TERMINATED, AllianceState.STANDING_DOWN, TreatyCite.ARMED_ATTACK)

    def _eased(self) -> None:
        self._note(Event.TENSION_EASED, AllianceState.STANDING_DOWN)

    def _stood_down(self, detail: str = "") -> None:
        """The contingency is over: held dispatches may go (Art. 6(6))."""
        self._note(Event.STOOD_DOWN, AllianceState.STOOD_DOWN, "", detail)
        if self.recalling is not None:
            self.recalling.succeed()
            self.recalling = None

    # -- where the laws meet -------------------------------------------------------------------

    def _recall(self, armed_attack: bool) -> None:
        """Art. 6(6): bring home the SDF units the policy names, by a plan change ending the dispatch
        (Art. 6(13)); the contingency's Treaty article goes in the plan change's detail.  From now
        until stand-down, new dispatches the policy covers are held (:meth:`before_dispatch`)."""
        if self.spec.recall.policy == "none":
            return
        if self.recalling is None:
            self.recalling = self.world.env.event()
        article = treaty.recall_article(armed_attack)
        for run in self.runs:
            kinds = [c.kind for c in run.plan.spec.contingents]
            persons = law.persons_owed_to_main_missions(kinds, run.contingent_persons)
            if not self._would_recall(persons):
                continue
            why = f"{persons} SDF unit personnel recalled for a contingency ({article})"
            self.world.end_dispatch(run, Cause.RECALL, law.Cite.RECALL, why)

    def _would_recall(self, persons: int) -> bool:
        """Does the policy call back a deployment with this many SDF unit personnel (Art. 6(6))?"""
        recall = self.spec.recall
        return persons > 0 and (recall.policy == "all" or persons >= recall.min_personnel)

    def before_dispatch(self, run: DeploymentRun, group: tuple[int, ...]) -> Generator[Any, Any, bool]:
        """Art. 6(6) while a contingency calls SDF units home: hold or abandon a dispatch it would recall.

        A dispatch the recall policy covers does not go while the recall stands (from its trigger
        until stand-down): it waits (``hold``, logged ``dispatch_held``) or is given up
        (``abandon``); False if it is given up.  A hold ends at stand-down or when the plan period
        runs out, whichever comes first (the lifecycle then ends the plan as at any period's end).
        """
        policy = self.spec.recall.new_dispatches
        if self.recalling is None or policy == "none":
            return True
        contingents = run.plan.spec.contingents
        persons = law.persons_owed_to_main_missions([contingents[j].kind for j in group],
                                                    [contingents[j].personnel for j in group])  # fmt: skip
        if not self._would_recall(persons):
            return True
        if policy == "abandon":
            return False
        env = self.world.env
        self.world.log(run, Event.DISPATCH_HELD, run.state, law.Cite.MAIN_MISSIONS,
                       f"{persons} SDF unit personnel held for a contingency")  # fmt: skip
        while self.recalling is not None and env.now < run.period_end:
            yield self.recalling | env.timeout(run.period_end - env.now)
        return True


def start_alliance(world: World, spec: Alliance, start: dt.date, first_lane: int, runs: list[DeploymentRun]) -> None:
    """Start the Treaty's and the contingencies' processes; their lanes follow the deployments'."""
    model = AllianceModel(world, spec, start, first_lane, runs)
    world.hold = model
    world.env.process(model.treaty())
    world.env.process(model.contingencies())
