"""Running a scenario: replications of the model, gathered into a :class:`SimulationResult`.

The world of each replication is built in full (environment, streams, one process per
deployment) and then run to the horizon; nothing is wired up mid-run.  A replication depends
only on the scenario, the seed and its own index, so replications can run in any order, on
any worker, and give the same rows.
"""

from __future__ import annotations

import gc
import numbers
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
from tqdm import tqdm

from sim.diet.calendar import DietCalendar
from sim.model.alliance import start_alliance
from sim.model.approval import DietProcedure, replication_calendar, shared_calendar
from sim.model.arrivals import PlannedStream, draw_arrivals, plan_streams
from sim.model.lifecycle import lifecycle
from sim.model.portfolio import PlannedDeployment, plan_portfolio
from sim.model.world import World
from sim.run.tables import ReplicationOutput, SimulationResult, TableBuilder
from sim.scenario import Scenario, load_scenario
from sim.scenario.asof import law_clock
from sim.scenario.templates import deployment_ids


def needs_diet(planned: tuple[PlannedDeployment, ...], streams: tuple[PlannedStream, ...] = ()) -> bool:
    """True if the Diet acts on any deployment (Art. 6(7)), listed or arriving, so a calendar is built."""
    return any(p.needs_diet for p in planned) or any(s.needs_diet for s in streams)


def run_replication(
    scenario: Scenario,
    planned: tuple[PlannedDeployment, ...],
    replication: int,
    seed: int,
    calendar: DietCalendar | None = None,
    streams: tuple[PlannedStream, ...] = (),
) -> ReplicationOutput:
    """Build one replication's world, run it to the horizon, and hand back its records.

    The Diet's calendar is built only when a deployment needs approval: ``calendar``, the one
    every replication shares (explicit or historical), or a fresh draw from the calendar stream.
    The streams' arrivals are drawn first and join the listed deployments (:mod:`sim.model.arrivals`).
    """
    world = World(seed=seed, replication=replication, cap_limit=scenario.cap.limit, cap_policy=scenario.cap.policy,
                  law=law_clock(scenario.law, scenario.start))  # fmt: skip
    own = None
    if needs_diet(planned, streams):
        own = None if calendar is not None else replication_calendar(scenario, seed, replication)
        world.approval = DietProcedure(scenario.diet, calendar or own, scenario.start, seed, replication)
    if streams:
        planned = (*planned, *draw_arrivals(scenario, streams, seed, replication))
    runs = [world.start(plan) for plan in planned]
    for run in runs:
        run.process = world.env.process(lifecycle(world, run))
    if scenario.alliance is not None:
        start_alliance(world, scenario.alliance, scenario.start, len(deployment_ids(scenario)), runs)
    world.env.run(until=scenario.horizon_days)
    world.close()
    for run in runs:  # the records outlive the world: let its environment and generators go
        run.process = run.period_watch = None
    return ReplicationOutput(replication, world.rows, runs, world.engaged, own)


@contextmanager
def _fewer_collections(threshold: int = 20_000) -> Iterator[None]:
    """Raise the young-generation GC threshold while replications run.

    A replication allocates many short-lived events and generator frames; collecting them
    every 700 allocations (CPython's default) costs about a fifth of the run time.
    """
    saved = gc.get_threshold()
    gc.set_threshold(threshold, *saved[1:])
    try:
        yield
    finally:
        gc.set_threshold(*saved)


def run_replications(
    scenario: Scenario, replications: Iterable[int], seed: int, progress: bool = False
) -> TableBuilder:
    """Run the given replication indices one after another, each gathered into the tables as it
    ends (after the calendar they share, if any)."""
    planned = plan_portfolio(scenario)
    streams = plan_streams(scenario)
    shared = shared_calendar(scenario) if needs_diet(planned, streams) else None
    indices = list(replications)
    bar = tqdm(indices, desc=scenario.name, unit="rep", disable=not progress, leave=False)
    tables = TableBuilder(scenario, shared)
    with _fewer_collections():
        for r in bar:
            tables.add(run_replication(scenario, planned, r, seed, shared, streams))
    return tables


def simulate(
    scenario: str | Path | Mapping[str, Any] | Scenario,
    replications: int | None = None,
    seed: int | None = None,
    progress: bool = False,
) -> SimulationResult:
    """Simulate a scenario; ``replications`` and ``seed`` override the scenario's own.

    >>> import sim
    >>> result = sim.simulate("configs/baseline.yaml", replications=2)  # doctest: +SKIP
    >>> result.events.columns.tolist()  # doctest: +SKIP
    ['replication', 'deployment', 't', 'date', 'event', 'state', 'basis', 'detail']
    """
    scenario = load_scenario(scenario)
    n = scenario.replications if replications is None else replications
    if n < 1:
        raise ValueError(f"replications must be at least 1, got {n}")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0):
        raise ValueError(f"seed must be a whole number, 0 or more, got {seed!r}")  # 5.0 and 5 would share streams
    seed = scenario.seed if seed is None else int(seed)
    tables = simulate_tables(scenario, range(n), seed, progress=progress)
    return SimulationResult(scenario=scenario, seed=seed, replications=n, **tables)


def simulate_tables(
    scenario: Scenario, replications: Iterable[int], seed: int, progress: bool = False
) -> dict[str, pd.DataFrame]:
    """The four result tables of the given replications, keyed as :class:`SimulationResult`."""
    return run_replications(scenario, replications, seed, progress).tables()
