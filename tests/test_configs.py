"""Every example scenario in configs/ validates and runs."""

from __future__ import annotations

from pathlib import Path

import pytest

import sim

CONFIGS = sorted((Path(__file__).resolve().parent.parent / "configs").rglob("*.yaml"))


def test_there_are_example_configs() -> None:
    assert any(p.name == "baseline.yaml" for p in CONFIGS)


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: p.stem)
def test_example_config_runs(path: Path) -> None:
    result = sim.simulate(path, replications=2)
    assert len(result.deployments) == 2 * len(result.scenario.deployments)
    assert (result.events["event"] == "request_received").sum() == len(result.deployments)
