"""A finished replication lets its world go at once (issue 19).

The events still pending at the horizon hold processes whose generators hold the world: without
``World.close`` these cycles wait for the garbage collector, which cost a tenth of a portfolio's
run.  With it, reference counting frees the world as soon as its records are taken.
"""

from __future__ import annotations

import gc
import weakref

import pytest

from sim import load_scenario
from sim.model.arrivals import plan_streams
from sim.model.portfolio import plan_portfolio
from sim.model.world import World
from sim.run import replications


@pytest.mark.parametrize(
    "config",
    ["configs/baseline.yaml", "configs/alliance_baseline.yaml", "configs/routine_approvals.yaml"],
)
def test_a_finished_replication_frees_its_world_without_the_garbage_collector(monkeypatch, config: str) -> None:
    made: list[weakref.ref[World]] = []

    class Watched(World):
        def __post_init__(self) -> None:
            super().__post_init__()
            made.append(weakref.ref(self))

    monkeypatch.setattr(replications, "World", Watched)
    scenario = load_scenario(config)
    planned, streams = plan_portfolio(scenario), plan_streams(scenario)
    gc.collect()
    gc.disable()
    try:
        out = replications.run_replication(scenario, planned, 2, seed=11, streams=streams)
        assert out.rows, "the replication ran"
        assert len(made) == 1 and made[0]() is None, "the world outlived its replication: a reference cycle"
    finally:
        gc.enable()
