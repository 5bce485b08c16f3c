"""The benchmark's yardstick (experiments/handwritten.py) models the scenario it is given.

The yardstick is only fair if it does the work pko-sim does: every listed deployment and every
arrival of the request streams goes through its lifecycle, under the cap, with the hazards in the
field.  These tests hold it to that on the shipped baseline and portfolio; no test times anything.
"""

from __future__ import annotations

import pytest

import sim
from experiments import handwritten
from tests.conftest import ROOT


@pytest.mark.parametrize("config", ["baseline.yaml", "eight_assignments.yaml"])
def test_every_deployment_and_arrival_runs_its_lifecycle(config: str) -> None:
    scenario = sim.load_scenario(ROOT / "configs" / config)
    tables = handwritten.simulate(scenario, 3)
    events, deployments = tables["events"], tables["deployments"]
    listed = {d.id for d in scenario.deployments}
    assert listed <= set(deployments["deployment"])
    assert set(deployments["replication"]) == {0, 1, 2}
    requested = events[events["event"] == "request_received"]
    assert len(requested) == len(deployments)
    assert {"dispatch_started", "rotation", "plan_amended", "termination_decided"} <= set(events["event"])
    if scenario.streams:
        arrived = deployments[~deployments["deployment"].isin(listed)]
        assert len(arrived) > 0
        assert {s.name for s in scenario.streams} >= {d.rsplit("-", 1)[0] for d in arrived["deployment"]}


def test_the_cap_holds_and_queues() -> None:
    data = sim.load_scenario(ROOT / "configs" / "baseline.yaml").model_dump(mode="json")
    data["cap"] = {"limit": 400, "policy": "wait"}
    scenario = sim.Scenario.model_validate(data)
    tables = handwritten.simulate(scenario, 2)
    assert tables["engaged"]["total"].max() <= 400
    assert (tables["events"]["event"] == "cap_wait").any()


def test_a_deployment_the_diet_approves_waits_for_it() -> None:
    """An SDF unit doing (a)-(g) waits the fixed Diet lag; the baseline's units (task (s)) do not."""
    routine = sim.load_scenario(ROOT / "configs" / "routine_approvals.yaml")
    events = handwritten.simulate(routine, 1)["events"]
    first = events[events["lane"] == 0].set_index("event")["t"]
    assert first["approval_granted"] - first["approval_sought"] == handwritten.DIET_LAG
    assert first["dispatch_started"] >= first["approval_granted"]
    baseline = handwritten.simulate(sim.load_scenario(ROOT / "configs" / "baseline.yaml"), 1)["events"]
    assert not (baseline["event"] == "approval_sought").any()


def test_a_range_of_replications_runs_those_replications() -> None:
    """The benchmark's rounds each run their own replications, the ones a single run would."""
    scenario = sim.load_scenario(ROOT / "configs" / "eight_assignments.yaml")
    whole = handwritten.simulate(scenario, 3)["events"]
    part = handwritten.simulate(scenario, range(1, 3))["events"]
    expected = whole[whole["replication"] >= 1].reset_index(drop=True)
    assert (
        part[["replication", "lane", "t", "event"]]
        .astype(str)
        .equals(expected[["replication", "lane", "t", "event"]].astype(str))
    )
