"""One answer from every entry point: simulate, run_experiment, ``pko-sim run`` and ``pko-sim sweep``.

``sim.simulate`` is the reference.  The other three send the scenario through JSON
(``model_dump`` then ``model_validate``) to their workers; nothing a scenario means may be lost
on the way, so the four tables must be equal for every scenario file shipped.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import sim
from sim.cli import app
from sim.model.portfolio import plan_portfolio
from sim.scenario import Scenario, load_scenario
from sim.sweep.experiment import TABLES, ExperimentSpec, load_experiment, read_table
from tests.conftest import deployment, scenario
from tests.test_approval_properties import mixed_scenarios
from tests.test_configs import CONFIGS

runner = CliRunner()
REPLICATIONS, SEED = 2, 5


def _tables(folder: Path) -> dict[str, pd.DataFrame]:
    return {name: read_table(folder, name).drop(columns="point") for name in TABLES}


def _assert_same(reference: sim.SimulationResult, tables: dict[str, pd.DataFrame], how: str) -> None:
    """Equal tables, dtypes included; an empty table's categorical columns cannot keep their
    categories through Parquet (a dictionary of no rows), so there only the columns are compared."""
    for name in TABLES:
        expected, got = getattr(reference, name), tables[name]
        if expected.empty:
            assert got.empty and list(got.columns) == list(expected.columns), f"{how}: {name}"
            continue
        try:
            pd.testing.assert_frame_equal(got, expected)
        except AssertionError as exc:
            raise AssertionError(f"{how}: the {name} table differs from sim.simulate's\n{exc}") from None


@pytest.mark.parametrize("path", CONFIGS, ids=lambda p: p.stem)
def test_every_entry_point_gives_the_tables_of_simulate(path: Path, tmp_path: Path) -> None:
    assert _check_entry_points(path, tmp_path) == ["pko-sim run", "sim.run_experiment", "pko-sim sweep"]


def test_every_entry_point_keeps_hazards_a_layer_does_not_override(tmp_path: Path) -> None:
    """The relief deployment's operation type overrides only mission_end: danger and the loss of
    the conditions still come from the scenario, whichever way the scenario reaches the model."""
    path = tmp_path / "layered.yaml"
    path.write_text(yaml.safe_dump(_layered()))
    relief = sim.simulate(path, replications=REPLICATIONS, seed=SEED).deployments.query("deployment == 'relief'")
    assert relief["suspensions"].sum() > 0
    _check_entry_points(path, tmp_path)


def _check_entry_points(path: Path, tmp_path: Path) -> list[str]:
    """Compare every entry point's tables with simulate's; the entry points compared, in order."""
    reference = sim.simulate(path, replications=REPLICATIONS, seed=SEED)
    common = ["--executor", "serial", "--no-progress"]

    out = tmp_path / "run"
    args = ["run", str(path), "-n", str(REPLICATIONS), "--seed", str(SEED), "--out", str(out), "--no-figures"]
    result = runner.invoke(app, [*args, *common])
    assert result.exit_code == 0, result.output
    _assert_same(reference, _tables(out), "pko-sim run")

    spec = ExperimentSpec(name="parity", scenario=str(path.resolve()), replications=REPLICATIONS, seed=SEED)
    done = sim.run_experiment(spec, out=tmp_path / "experiment", executor="serial")
    _assert_same(reference, {name: done.table(name).drop(columns="point") for name in TABLES}, "sim.run_experiment")

    experiment = tmp_path / "sweep.yaml"
    experiment.write_text(yaml.safe_dump(spec.model_dump(mode="json")))
    result = runner.invoke(app, ["sweep", str(experiment), "--out", str(tmp_path / "sweep"), *common])
    assert result.exit_code == 0, result.output
    _assert_same(reference, _tables(tmp_path / "sweep"), "pko-sim sweep")
    return ["pko-sim run", "sim.run_experiment", "pko-sim sweep"]


def _layered() -> dict:
    """A scenario where every layer overrides something: scenario, operation type, deployment."""
    relief = {"id": "relief", "operation": "humanitarian_relief", "request": "2024-03-01", "period": 300,
              "contingents": [{"kind": "sdf_unit", "personnel": 10, "tasks": ["s"]}]}  # fmt: skip
    return scenario(
        deployment(hazards={"danger": {"rate": 4.0}}),
        deployment(id="plain"),
        relief,
        hazards={"danger": {"rate": 3.0, "duration": 3}, "conditions_lost": {"rate": 0.5}},
        hazards_by_operation={
            "humanitarian_relief": {"mission_end": {"rate": 0.0}},
            "un_pko": {"mission_end": {"rate": 2}},
        },
    )


def _hazards(s: Scenario) -> dict[str, dict]:
    return {p.id: p.hazards.model_dump(mode="json") for p in plan_portfolio(s)}


def test_hazard_layering_survives_a_json_round_trip() -> None:
    s = load_scenario(_layered())
    again = Scenario.model_validate(s.model_dump(mode="json"))
    assert _hazards(again) == _hazards(s)
    h = {p.id: p.hazards for p in plan_portfolio(s)}
    assert h["eng"].danger.rate == 4.0 and h["eng"].danger.duration.value == 7  # its own section, whole
    assert h["eng"].mission_end.rate == 2 and h["eng"].conditions_lost.rate == 0.5  # operation type, scenario
    assert h["plain"].danger.rate == 3.0 and h["plain"].danger.duration.value == 3
    assert h["relief"].danger.rate == 3.0 and h["relief"].conditions_lost.rate == 0.5  # not lost to the layer
    assert h["relief"].mission_end.rate == 0.0


def test_a_swept_scenario_hazard_reaches_every_deployment_that_does_not_override_it() -> None:
    plan = load_experiment({"name": "x", "scenario": _layered(),
                            "factors": [{"path": "hazards.danger.rate", "levels": [0.0, 9.0]}]})  # fmt: skip
    rates = [
        {p.id: p.hazards.danger.rate for p in plan_portfolio(Scenario.model_validate(point.scenario))}
        for point in plan.points
    ]
    assert rates == [{"eng": 4.0, "plain": 0.0, "relief": 0.0}, {"eng": 4.0, "plain": 9.0, "relief": 9.0}]


@st.composite
def layered_scenarios(draw: st.DrawFn) -> dict:
    """Random plans and calendars (tests/test_approval_properties.py) with hazards on random layers."""
    data = draw(mixed_scenarios())
    rate = st.sampled_from([0.0, 0.5, 3.0])
    sections = st.fixed_dictionaries({}, optional={"danger": st.builds(lambda r: {"rate": r}, rate),
                                                   "conditions_lost": st.builds(lambda r: {"rate": r}, rate),
                                                   "mission_end": st.builds(lambda r: {"rate": r}, rate)})  # fmt: skip
    data["hazards"] = draw(sections)
    if draw(st.booleans()):
        data["hazards_by_operation"] = {"un_pko": draw(sections)}
    for dep in data["deployments"]:
        if draw(st.booleans()):
            dep["hazards"] = draw(sections)
    return data


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.large_base_example],
)
@given(data=layered_scenarios())
def test_the_experiment_path_gives_the_tables_of_simulate_for_any_scenario(data: dict, tmp_path: Path) -> None:
    reference = sim.simulate(data, replications=REPLICATIONS, seed=SEED)
    spec = ExperimentSpec(name="parity", scenario=data, replications=REPLICATIONS, seed=SEED)
    out = tmp_path / f"experiment-{abs(hash(str(data)))}"
    done = sim.run_experiment(spec, out=out, executor="serial")
    _assert_same(reference, {name: done.table(name).drop(columns="point") for name in TABLES}, "sim.run_experiment")
