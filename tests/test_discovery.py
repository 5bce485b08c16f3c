"""Scenario discovery: PRIM boxes, a CART tree and feature scores find the factor behind an outcome."""

from __future__ import annotations

import importlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

import sim
from sim.analysis import discovery
from sim.cli import app
from tests.test_experiment import toy

runner = CliRunner()
LAG = "procedure.decision_to_dispatch.value"
PERSONNEL = "deployments[0].contingents[0].personnel"
REQUEST = "procedure.request_to_decision.value"


def _synthetic(seed: int = 1) -> pd.DataFrame:
    """60 design points x 10 replications; only ``lag`` decides the outcome, ``b`` and ``c`` are noise."""
    rng = np.random.default_rng(seed)
    points = pd.DataFrame({"point": np.arange(60), "lag": rng.uniform(5, 90, 60), "b": rng.uniform(0, 1, 60),
                           "c": rng.integers(1, 5, 60)})  # fmt: skip
    rows = pd.DataFrame({"point": np.repeat(np.arange(60), 10), "replication": np.tile(np.arange(10), 60)})
    table = rows.merge(points, on="point")
    return table.assign(outcome=table["lag"] > 60)


def test_prim_boxes_restrict_the_factor_that_drives_the_outcome_and_no_other() -> None:
    table = _synthetic()
    boxes = discovery.prim_boxes(table)
    first = boxes[boxes["box"] == 1].set_index("factor")
    assert first["restricted"].to_dict() == {"lag": True, "b": False, "c": False}
    assert 55 <= first.loc["lag", "min"] <= 61 and first.loc["lag", "max"] == table["lag"].max()
    assert first["density"].iloc[0] >= 0.8 and first["coverage"].iloc[0] > 0.9
    assert first["mass"].iloc[0] == pytest.approx((table["lag"] >= first.loc["lag", "min"]).mean())


def test_a_cart_tree_splits_first_on_the_factor_that_drives_the_outcome() -> None:
    tree = discovery.cart(_synthetic())
    assert tree.root == "lag"
    assert tree.text.startswith("|--- lag <=")
    pure = tree.leaves.iloc[0]
    assert pure["rule"].startswith("lag >") and pure["density"] == 1 and pure["coverage"] == 1


def test_feature_scores_rank_the_driving_factor_highest() -> None:
    scores = discovery.feature_scores(_synthetic())
    assert scores["factor"].iloc[0] == "lag" and scores["importance"].iloc[0] > 0.5
    assert scores["importance"].sum() == pytest.approx(1)
    assert scores.equals(discovery.feature_scores(_synthetic())), "a fixed seed reads the same twice"


def _tables() -> dict[str, pd.DataFrame]:
    deployments = pd.DataFrame({
        "point": [0, 0, 0, 0, 1, 1], "replication": [0, 0, 1, 1, 0, 0], "deployment": ["a", "b"] * 3,
        "days_decision_to_dispatch": [10.0, 70.0, 10.0, 20.0, 90.0, np.nan],
    })  # fmt: skip
    return {"deployments": deployments, "points": pd.DataFrame({"point": [0, 1], "x.lag": [10.0, 90.0]})}


def test_the_outcome_table_has_a_row_per_point_and_replication() -> None:
    table = discovery.outcome_table(_tables(), "days_decision_to_dispatch > 60")
    assert table.columns.tolist() == ["point", "replication", "x.lag", "outcome"]
    assert table["outcome"].tolist() == [True, False, True]  # any deployment; a missing value is not late
    only_a = discovery.outcome_table(_tables(), "days_decision_to_dispatch > 60", deployments=["a"])
    assert only_a["outcome"].tolist() == [False, False, True]


@pytest.mark.parametrize(
    ("where", "options", "message"),
    [
        ("speed > 3", {}, "where: 'speed > 3' cannot be evaluated on .deployments (name 'speed' is not defined)"),
        ("days_decision_to_dispatch", {}, "is not a condition"),
        ("days_decision_to_dispatch > 0", {"deployments": ["z"]}, "deployments: no deployment 'z'"),
    ],
)
def test_bad_outcome_queries_are_named(where: str, options: dict, message: str) -> None:
    with pytest.raises(ValueError) as caught:
        discovery.outcome_table(_tables(), where, **options)
    assert message in str(caught.value)


def test_an_outcome_every_or_no_replication_has_cannot_be_discovered() -> None:
    table = discovery.outcome_table(_tables(), "days_decision_to_dispatch > 1000")
    for method in (discovery.prim_boxes, discovery.cart, discovery.feature_scores):
        with pytest.raises(ValueError, match="no replication meets 'days_decision_to_dispatch > 1000'"):
            method(table)


def test_missing_libraries_say_how_to_install_them(monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.import_module

    def without_sklearn(name: str, *args: object) -> object:
        if name.startswith("sklearn"):
            raise ImportError(name)
        return real(name, *args)

    monkeypatch.setattr(importlib, "import_module", without_sklearn)
    with pytest.raises(discovery.MissingDiscoveryLibraries, match=r"pip install 'pko-sim\[discovery\]'"):
        discovery.cart(_synthetic())


@pytest.fixture(scope="module")
def sweep(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real grid of three factors where the dispatch lag alone decides 'dispatch after 60 days'."""
    factors = [{"path": LAG, "levels": [5, 30, 90]}, {"path": PERSONNEL, "levels": [10, 100], "integer": True},
               {"path": REQUEST, "levels": [5, 40]}]  # fmt: skip
    spec = toy(factors=factors, replications=2)
    return sim.run_experiment(spec, out=tmp_path_factory.mktemp("disc") / "disc", executor="serial").folder


def test_discover_finds_the_lag_in_a_real_sweep_and_writes_its_tables(sweep: Path) -> None:
    done = runner.invoke(app, ["discover", str(sweep), "--where", "days_decision_to_dispatch > 60"])
    assert done.exit_code == 0, done.output
    assert "days_decision_to_dispatch > 60: 8 of 24 replications (33.3%)" in done.output
    assert f"<= {LAG} <= 90" in done.output and f"|--- {LAG} <=" in done.output
    folder = sweep / "discovery"
    boxes = pd.read_parquet(folder / "boxes.parquet")
    assert boxes.loc[boxes["restricted"], "factor"].tolist() == [LAG]
    scores = pd.read_parquet(folder / "scores.parquet")
    assert scores["factor"].iloc[0] == LAG
    assert len(pd.read_parquet(folder / "outcomes.parquet")) == 24
    assert (folder / "tree.txt").read_text().startswith(f"|--- {LAG} <=")
    assert json.loads((folder / "query.json").read_text())["where"] == "days_decision_to_dispatch > 60"


def test_discover_names_a_bad_condition(sweep: Path) -> None:
    done = runner.invoke(app, ["discover", str(sweep), "--where", "speed > 3"])
    assert done.exit_code == 1 and "name 'speed' is not defined" in done.output
    done = runner.invoke(app, ["discover", str(sweep), "--where", "days_deployed > -1"])
    assert done.exit_code == 1 and "every replication meets" in done.output
