"""Scenario files including others: the including file's values win; deployments merge by id."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import sim
from sim.scenario import ConfigError
from tests.conftest import deployment, scenario


def write(path: Path, data: object) -> Path:
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def test_included_values_fill_in_what_the_scenario_leaves_out(tmp_path: Path) -> None:
    write(tmp_path / "fitted.yaml", {"procedure": {"decision_to_dispatch": 21}, "deployments": [
        {"id": "eng", "period": 365, "extension": {"max_extensions": 2, "probability": 0.5}}]})  # fmt: skip
    main = scenario(deployment(period=None))
    main["deployments"][0].pop("period")
    main["procedure"].pop("decision_to_dispatch")
    main["include"] = "fitted.yaml"
    loaded = sim.load_scenario(write(tmp_path / "main.yaml", main))
    assert loaded.procedure.decision_to_dispatch.value == 21
    assert loaded.procedure.withdrawal.value == 30  # the scenario's own
    eng = loaded.deployments[0]
    assert (eng.period.value, eng.extension.max_extensions, eng.extension.probability) == (365, 2, 0.5)
    assert eng.contingents[0].personnel == 100


def test_the_including_file_has_the_last_word(tmp_path: Path) -> None:
    write(tmp_path / "fitted.yaml", {"seed": 1, "deployments": [{"id": "eng", "period": 365}]})
    main = scenario(deployment(period=90), seed=2, include=["fitted.yaml"])
    loaded = sim.load_scenario(write(tmp_path / "main.yaml", main))
    assert (loaded.seed, loaded.deployments[0].period.value) == (2, 90)


def test_an_included_deployment_the_scenario_lacks_is_an_error(tmp_path: Path) -> None:
    write(tmp_path / "fitted.yaml", {"deployments": [{"id": "ghost", "period": 365}]})
    with pytest.raises(ConfigError, match=r"deployments: an included file sets deployment\(s\) ghost"):
        sim.load_scenario(write(tmp_path / "main.yaml", scenario(deployment(), include="fitted.yaml")))


def test_files_that_include_each_other_are_refused(tmp_path: Path) -> None:
    write(tmp_path / "a.yaml", {"include": "b.yaml"})
    write(tmp_path / "b.yaml", {"include": "a.yaml"})
    with pytest.raises(ConfigError, match=r"cycle: a\.yaml -> b\.yaml -> a\.yaml"):
        sim.load_scenario(tmp_path / "a.yaml")


def test_a_missing_included_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"(?s)nothing\.yaml.*cannot read file"):
        sim.load_scenario(write(tmp_path / "main.yaml", scenario(deployment(), include="nothing.yaml")))
