"""Shared helpers: small deterministic scenarios built as plain mappings."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent

FIXED_PROCEDURE = {
    "request_to_decision": 10,
    "report_delay": 0,
    "guidelines_delay": 2,
    "decision_to_dispatch": 14,
    "withdrawal": 30,
    "results_report_delay": 45,
}


def scenario(*deployments: dict[str, Any], **top: Any) -> dict[str, Any]:
    """A scenario mapping with fixed lags; keyword arguments replace top-level fields."""
    data: dict[str, Any] = {
        "name": "spec",
        "start": "2024-01-01",
        "end": "2027-01-01",
        "seed": 7,
        "replications": 1,
        "procedure": dict(FIXED_PROCEDURE),
        "deployments": [copy.deepcopy(d) for d in deployments],
    }
    data.update(top)
    return data


def deployment(**fields: Any) -> dict[str, Any]:
    """A lawful UN PKO (b) engineering deployment; keyword arguments replace fields."""
    data: dict[str, Any] = {
        "id": "eng",
        "operation": "un_pko",
        "subtype": "b",
        "request": "2024-03-01",
        "period": 200,
        "contingents": [{"kind": "sdf_unit", "personnel": 100, "tasks": ["s"]}],
    }
    data.update(fields)
    return data


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture(autouse=True)
def _run_from_project_root(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests name configs by their path in the project, as users do on the command line."""
    monkeypatch.chdir(ROOT)
