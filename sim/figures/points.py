"""Design points named by their factor values, from a results folder's manifest.

A sweep's figures and tables are read point by point; "point 37" means nothing to a reader
without the values it stands for.  The manifest lists every point's values from the moment the
sweep starts (``points.parquet`` is written only at the end), so an interrupted folder's points
can be named too.
"""

from __future__ import annotations

import textwrap
from typing import Any

import numpy as np

from sim.figures.sweep import short_labels
from sim.scenario.paths import get_path

SURVIVAL_CURVES = 6
"""How many design points a survival figure shows unless the user picks them: each curve keeps
a colour of its own (the palette has seven) and the legend stays readable."""


def point_values(manifest: dict[str, Any]) -> dict[int, dict[str, float]]:
    """Every design point's factor values, by point index."""
    return {int(p["point"]): {k: v for k, v in p.items() if k != "point"} for p in manifest["points"]}


def factor_paths(manifest: dict[str, Any]) -> list[str]:
    """The experiment's factors (dotted paths into the scenario), in the experiment's order."""
    return [f["path"] for f in manifest.get("experiment", {}).get("factors", [])]


def base_points(manifest: dict[str, Any]) -> list[int]:
    """The points whose every factor sits at the base scenario's value (one_at_a_time's first).

    Morris, Sobol and Latin hypercube designs rarely hit the base exactly: then there is none.
    """
    paths = factor_paths(manifest)
    if not paths:
        return []
    base = {}
    for path in paths:
        try:
            base[path] = float(get_path(manifest["base_scenario"], path))
        except (KeyError, ValueError, TypeError):
            return []
    return [
        point
        for point, values in point_values(manifest).items()
        if all(np.isclose(float(values[p]), base[p]) for p in paths if p in values)
    ]


def _values_text(manifest: dict[str, Any], point: int) -> str:
    values = point_values(manifest)[point]
    paths = [p for p in factor_paths(manifest) if p in values] or list(values)
    labels = short_labels(paths)
    return ", ".join(f"{label}={values[path]:.4g}" for label, path in zip(labels, paths, strict=True))


def describe_point(manifest: dict[str, Any], point: int) -> str:
    """``point 3 of 70: request_to_decision.median=12.5, ...``; empty for a run of one point."""
    count = len(manifest["points"])
    if count == 1 and not point_values(manifest)[point]:
        return ""
    text = _values_text(manifest, point)
    base = " [base]" if point in base_points(manifest) else ""
    return f"point {point} of {count}{base}" + (f": {text}" if text else "")


def curve_label(manifest: dict[str, Any], point: int, width: int = 60) -> str:
    """A legend label: the point and its factor values, wrapped to a few short lines."""
    base = " [base]" if point in base_points(manifest) else ""
    text = _values_text(manifest, point)
    return "\n".join(textwrap.wrap(f"point {point}{base}: {text}" if text else f"point {point}{base}", width))


def check_point(manifest: dict[str, Any], point: int) -> None:
    """Refuse a point the folder does not have, naming the ones it has."""
    count = len(manifest["points"])
    if point not in point_values(manifest):
        raise ValueError(f"no design point {point}: the results have points 0 to {count - 1}")


def default_survival_points(manifest: dict[str, Any]) -> list[int]:
    """A readable subset of the points: the base point(s), then points spread evenly over the rest."""
    every = sorted(point_values(manifest))
    if len(every) <= SURVIVAL_CURVES:
        return every
    chosen = base_points(manifest)[:SURVIVAL_CURVES]
    rest = [p for p in every if p not in chosen]
    spread = np.linspace(0, len(rest) - 1, SURVIVAL_CURVES - len(chosen)).round().astype(int)
    return chosen + [rest[i] for i in dict.fromkeys(spread)]
