"""Every example scenario in configs/ validates and runs."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import sim
from sim.scenario.templates import deployment_ids

YAML_FILES = sorted((Path(__file__).resolve().parent.parent / "configs").rglob("*.yaml"))


def _is_scenario(path: Path) -> bool:
    """A scenario names itself; a fragment that scenarios include (such as fitted values) does not."""
    return "name" in (yaml.safe_load(path.read_text(encoding="utf-8")) or {})


CONFIGS = [p for p in YAML_FILES if _is_scenario(p)]


def test_there_are_example_configs() -> None:
    assert any(p.name == "baseline.yaml" for p in CONFIGS)


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: p.stem)
def test_example_config_runs(path: Path) -> None:
    result = sim.simulate(path, replications=2)
    listed = [d.id for d in result.scenario.deployments]
    deployment = result.deployments["deployment"].astype(str)
    assert deployment.isin(listed).sum() == 2 * len(listed)
    assert set(deployment) <= set(deployment_ids(result.scenario)), "the others are arrivals of its streams"
    assert (result.events["event"] == "request_received").sum() == len(result.deployments)
