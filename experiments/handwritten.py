"""The yardstick of experiments/benchmark.py: the plain SimPy model a user would write by hand instead
of pko-sim, for the same lifecycle of the same scenario.

Why it exists: bare SimPy timeouts say what the engine costs, not what a model costs.  The fair
question (issue 19) is whether pko-sim runs a scenario as fast as the model one would write for it
oneself.  This is that model, written as such a user would: it reads the scenario object's listed
deployments and its request streams (arrival days from the stream's own process, templates chosen
by weight), resolves each deployment's lags, period, extensions and hazards once, and runs one SimPy
process per deployment with one random generator per replication: request, Cabinet decision,
reports, guidelines and Corps, the Diet's approval as a fixed lag where an SDF unit does (a)-(g),
the 2,000-person cap as a ``Container`` queue (``cap_wait``), dispatch, rotations, the plan
period's extensions, field hazards (conditions lost with a restoration window, danger suspensions,
mission end, policy termination), withdrawal and the results report.  Rows go to lists of tuples;
the DataFrames are built at the end.

It is not pko-sim: no rulebook (no citations, no law in force by date), no scripted events, no
alliance, no per-source random streams; its numbers differ from pko-sim's and are never compared.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import simpy

from sim.scenario import Scenario
from sim.scenario.rates import arrival_days

DIET_LAG = 45
"""Days from seeking the Diet's approval to its grant: a fixed lag in place of a Diet calendar."""
CORE_TASKS = set("abcdefg")
DIET_OPERATIONS = ("un_pko", "internationally_coordinated")
DAYS_PER_YEAR = 365.25
HAZARDS = ("conditions_lost", "danger", "mission_end", "policy_termination")
SECTIONS = ("conditions_lost", "consent_unstable", "danger", "mission_end", "policy_termination")


def days(dist, rng) -> int:
    """A drawn duration in whole days (the scenario's own distribution objects draw it)."""
    return dist.days(rng)


def resolve(scenario: Scenario, dep) -> dict:
    """What the model needs of one deployment: its lags, hazards and whether the Diet approves it."""
    names = type(scenario.procedure).model_fields
    lags = {name: getattr(dep.procedure, name) or getattr(scenario.procedure, name) for name in names}
    by_op = scenario.hazards_by_operation.get(dep.operation)
    hazards = {}
    for name in SECTIONS:
        layers = [getattr(h, name) for h in (dep.hazards, by_op) if h is not None and getattr(h, name) is not None]
        hazards[name] = layers[0] if layers else getattr(scenario.hazards, name)
    plan = dep.dispatch_under == "implementation_plan" and dep.operation.value in DIET_OPERATIONS
    diet = plan and any(c.kind.value == "sdf_unit" and CORE_TASKS & set(c.tasks) for c in dep.contingents)
    return {"dep": dep, "lags": lags, "hazards": hazards, "diet": diet, "request": (dep.request - scenario.start).days}


class Deployment:
    """One deployment's state in one replication."""

    def __init__(self, lane: int, spec: dict):
        self.lane, self.spec, self.dep = lane, spec, spec["dep"]
        self.state = "requested"
        self.persons = 0
        self.period_end = 0.0
        self.dispatched = self.decided = self.ended = None
        self.extensions = self.rotations = 0
        self.cause = None
        self.process = None
        self.ending = False


class Replication:
    """One replication: environment, cap, generator and logs."""

    def __init__(self, scenario: Scenario, rep: int, rows: list, engaged: list):
        self.scenario, self.rep, self.rows, self.engaged = scenario, rep, rows, engaged
        self.env = simpy.Environment()
        self.cap = simpy.Container(self.env, capacity=scenario.cap.limit)
        self.rng = np.random.default_rng([scenario.seed, rep])

    def log(self, d: Deployment, event: str, state: str, detail: str = "") -> None:
        d.state = state
        self.rows.append((self.rep, d.lane, self.env.now, event, state, detail))

    def record(self, d: Deployment) -> None:
        self.engaged.append((self.rep, d.lane, self.env.now, d.persons, d.state == "deployed", self.cap.level))

    def lifecycle(self, d: Deployment):
        env, rng, lags, dep = self.env, self.rng, d.spec["lags"], d.dep
        yield env.timeout(d.spec["request"])
        self.log(d, "request_received", "requested")
        yield env.timeout(days(lags["request_to_decision"], rng))
        d.decided = env.now
        d.period_end = env.now + days(dep.period, rng)
        if dep.dispatch_under == "article_27":
            if dep.consent.officer is not None and rng.random() >= dep.consent.officer:
                self.log(d, "consent_lacking", "abandoned", "officer")
                return
            self.log(d, "consent_given", "decided")
        else:
            self.log(d, "cabinet_decision", "decided", f"period {d.period_end - env.now:g} days")
            if wait := days(lags["report_delay"], rng):
                yield env.timeout(wait)
            self.log(d, "plan_reported", "decided", "plan decided")
            if wait := days(lags["guidelines_delay"], rng):
                yield env.timeout(wait)
            self.log(d, "guidelines_issued", "decided")
            self.log(d, "corps_established", "decided")
        go = env.now + days(lags["decision_to_dispatch"], rng)
        if d.spec["diet"]:
            self.log(d, "approval_sought", "awaiting_approval")
            yield env.timeout(DIET_LAG)
            self.log(d, "approval_granted", "decided")
            go = max(go, env.now + days(lags["approval_to_dispatch"], rng))
        if go > env.now:
            yield env.timeout(min(go, d.period_end) - env.now)
        if env.now >= d.period_end:
            yield from self.terminate(d, "period_end")
            return
        if dep.dispatch_under != "article_27":
            need = dep.personnel
            free = self.cap.capacity - self.cap.level
            if free < need or self.cap.put_queue:
                self.log(d, "cap_wait", d.state, f"{need} persons wait; {free} free")
            request = self.cap.put(need)
            if not request.triggered:
                yield request | env.timeout(d.period_end - env.now)
                if not request.triggered:
                    request.cancel()
                    yield from self.terminate(d, "period_end")
                    return
            d.persons = need
        d.dispatched = env.now
        self.log(d, "dispatch_started", "deployed")
        self.record(d)
        env.process(self.field(d))
        cause = yield from self.operate(d)
        yield from self.terminate(d, cause)

    def operate(self, d: Deployment):
        """Rotations and the plan period, until it ends or the field interrupts."""
        env, rng, dep = self.env, self.rng, d.dep
        rotations = [(j, c.rotation) for j, c in enumerate(dep.contingents) if c.rotation is not None]
        due = [env.now + max(1, days(r, rng)) for _, r in rotations]
        lead = d.spec["lags"]["extension_lead"]
        decide = max(env.now, d.period_end - days(lead, rng))
        extended = 0
        while True:
            at, soonest = decide, -1
            for i, day in enumerate(due):
                if day < at:
                    at, soonest = day, i
            try:
                yield env.timeout(at - env.now)
            except simpy.Interrupt as stop:
                return stop.cause
            if soonest >= 0:
                d.rotations += 1
                self.log(d, "rotation", d.state, dep.contingents[rotations[soonest][0]].label)
                due[soonest] = at + max(1, days(rotations[soonest][1], rng))
                continue
            ext = dep.extension
            if dep.dispatch_under == "article_27" or extended >= ext.max_extensions or rng.random() >= ext.probability:
                return "period_end"
            length = max(1, days(ext.length or dep.period, rng))
            extended += 1
            d.extensions += 1
            d.period_end += length
            self.log(d, "plan_amended", d.state, f"period extended by {length} days")
            self.log(d, "status_reported", d.state)
            self.log(d, "plan_reported", d.state, "plan changed")
            decide = max(env.now, d.period_end - days(lead, rng))

    def field(self, d: Deployment):
        """Hazards in the field: the soonest of each hazard's next draw, until the deployment ends."""
        env, rng, h = self.env, self.rng, d.spec["hazards"]

        def next_of(rate: float) -> float:
            return env.now + max(1, round(rng.exponential(DAYS_PER_YEAR / rate))) if rate > 0 else math.inf

        timers = {name: next_of(h[name].rate) for name in HAZARDS}
        while d.ended is None and not d.ending:
            name = min(timers, key=timers.__getitem__)
            if timers[name] == math.inf:
                return
            yield env.timeout(max(0.0, timers[name] - env.now))
            if d.ending or d.state not in ("deployed", "suspended"):
                return
            if name == "conditions_lost":
                self.log(d, "conditions_lost", d.state)
                self.log(d, "interrupted", "interrupted", "all tasks")
                self.record(d)
                window = days(h[name].window, rng)
                back = max(1, days(h[name].restoration, rng))
                if back <= window:
                    yield env.timeout(back)
                    self.log(d, "resumed", "deployed", "conditions restored")
                    self.record(d)
                else:
                    yield env.timeout(window)
                    self.end(d, "conditions_lost")
                    return
            elif name == "danger":
                self.log(d, "suspended", "suspended")
                yield env.timeout(days(h[name].duration, rng))
                if d.ending:
                    return
                self.log(d, "resumed", "deployed")
            else:
                self.end(d, "mission_end" if name == "mission_end" else "policy")
                return
            timers[name] = next_of(h[name].rate)

    def end(self, d: Deployment, cause: str) -> None:
        """The Cabinet changes the plan to end the dispatch; operations stop."""
        if d.ending or d.process is None or not d.process.is_alive:
            return
        self.log(d, "plan_amended", d.state, "dispatch ended")
        self.log(d, "plan_reported", d.state, "plan changed")
        d.ending = True
        d.process.interrupt(cause)

    def terminate(self, d: Deployment, cause: str):
        """Termination decided, withdrawal, results report."""
        env, lags = self.env, d.spec["lags"]
        d.cause, d.ending = cause, True
        if d.dispatched is None:
            self.log(d, "termination_decided", "abandoned", cause)
            return
        self.log(d, "termination_decided", "withdrawing", cause)
        yield env.timeout(days(lags["withdrawal"], self.rng))
        d.ended = env.now
        self.log(d, "withdrawal_completed", "ended")
        if d.persons:
            self.cap.get(d.persons)
            d.persons = 0
            self.record(d)
        yield env.timeout(days(lags["results_report_delay"], self.rng))
        self.log(d, "results_reported", "ended")


def arrivals(scenario: Scenario, templates: dict, rng: np.random.Generator) -> list[dict]:
    """One replication's arriving deployments: each stream's days, each arrival's template by weight."""
    out = []
    for stream in scenario.streams:
        weights = np.array([c.weight for c in stream.template], dtype=float)
        for day in arrival_days(scenario, stream, rng):
            spec = templates[stream.name][int(rng.choice(len(weights), p=weights / weights.sum()))]
            out.append({**spec, "request": day})
    return out


def simulate(scenario: Scenario, replications: int | range) -> dict[str, pd.DataFrame]:
    """Run the scenario's replications (a count from 0, or a range of indices); the event log, the
    deployments and persons engaged."""
    listed = [resolve(scenario, dep) for dep in scenario.deployments]
    templates = {}
    for stream in scenario.streams:
        templates[stream.name] = []
        for choice in stream.template:
            fields = {"id": f"{stream.name}-1", "request": scenario.start, **choice.fields}
            templates[stream.name].append(resolve(scenario, type(scenario.deployments[0]).model_validate(fields)))
    rows, engaged, summary = [], [], []
    for rep in range(replications) if isinstance(replications, int) else replications:
        world = Replication(scenario, rep, rows, engaged)
        specs = listed + arrivals(scenario, templates, world.rng)
        runs = [Deployment(lane, spec) for lane, spec in enumerate(specs)]
        for d in runs:
            d.process = world.env.process(world.lifecycle(d))
        world.env.run(until=scenario.horizon_days)
        for d in runs:
            summary.append((rep, d.dep.id, d.dep.operation.value, d.state, d.cause, d.decided, d.dispatched, d.ended,
                            d.extensions, d.rotations))  # fmt: skip
    start = np.datetime64(scenario.start, "D")
    events = pd.DataFrame(rows, columns=["replication", "lane", "t", "event", "state", "detail"])
    events["date"] = start + events["t"].astype("int64").to_numpy().astype("timedelta64[D]")
    for col in ("event", "state", "detail"):
        events[col] = events[col].astype("category")
    columns = ["replication", "deployment", "operation", "outcome", "cause", "decided", "dispatched", "ended",
               "extensions", "rotations"]  # fmt: skip
    deployments = pd.DataFrame(summary, columns=columns)
    for col in ("deployment", "operation", "outcome", "cause"):
        deployments[col] = deployments[col].astype("category")
    persons = pd.DataFrame(engaged, columns=["replication", "lane", "t", "persons", "performing", "total"])
    return {"events": events, "deployments": deployments, "engaged": persons}
