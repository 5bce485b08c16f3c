"""Scenario discovery: which regions of the factor space produce an outcome of interest.

An exploratory modeller asks not only "how much does this factor move the mean" but "where in the
space of assumptions do deployments dispatch after 60 days, or end before two years?".  Each
replication of each design point becomes one row — its factor values and whether the outcome
happened — and three standard methods describe where the outcome lives:

* PRIM boxes (the Patient Rule Induction Method, from the EMA Workbench): limits on a few factors
  inside which the outcome is common (density) and which hold most of its cases (coverage);
* a CART classification tree (scikit-learn): the same question answered as nested if-then rules;
* feature scores (scikit-learn): extra-trees importances, ranking the factors.

The algorithms are the libraries'; this module only shapes the tables.  They live in the optional
``discovery`` extra (``pip install -e '.[discovery]'``) and are imported when first used, so the
rest of the package works without them.
"""

from __future__ import annotations

import importlib
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

import numpy as np
import pandas as pd

from sim.analysis.metrics import condition_columns
from sim.eventlog import DEPLOYMENT_COLUMNS

OUTCOME = "outcome"
KEYS = ("point", "replication")


class MissingDiscoveryLibraries(ImportError):
    """The optional libraries of scenario discovery are not installed."""


def _library(name: str, package: str) -> ModuleType:
    try:
        with warnings.catch_warnings():  # the Workbench warns about optional parallel back ends on import
            warnings.simplefilter("ignore")
            return importlib.import_module(name)
    except ImportError:
        raise MissingDiscoveryLibraries(
            f"scenario discovery needs {package}: pip install 'pko-sim[discovery]' (or pip install {package})"
        ) from None


def _tables(
    source: str | Path | Mapping[str, pd.DataFrame], columns: list[str] | None = None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The ``deployments`` and ``points`` tables of a results folder, or of a mapping holding them.

    Of a folder, only ``columns`` of the deployments parts are read (None: all): a sweep's table
    is large, and a condition names a few of its columns.
    """
    if isinstance(source, Mapping):
        missing = [name for name in ("deployments", "points") if name not in source]
        if missing:
            raise ValueError(f"tables: no {missing[0]!r} table; pass the experiment's deployments and points")
        return source["deployments"], source["points"]
    folder = Path(source)
    parts = sorted((folder / "deployments").glob("*.parquet"))
    if not parts or not (folder / "points.parquet").exists():
        raise ValueError(f"{folder} is not a finished experiment folder (no deployments parts or points.parquet)")
    deployments = pd.concat([pd.read_parquet(p, columns=columns) for p in parts], ignore_index=True)
    return deployments, pd.read_parquet(folder / "points.parquet")


def outcome_table(
    source: str | Path | Mapping[str, pd.DataFrame], where: str, *, deployments: Sequence[str] | None = None
) -> pd.DataFrame:
    """One row per design point and replication: the factor values and whether the outcome happened.

    ``where`` is a condition on the ``.deployments`` table, as in a probability metric (e.g.
    ``"days_decision_to_dispatch > 60"`` or ``"termination_cause == 'recall'"``); a replication
    has the outcome when any of its deployments (or of ``deployments``, by id) meets it.
    ``source`` is a results folder or a mapping with its ``deployments`` and ``points`` tables.
    """
    named = condition_columns(where)
    columns = (
        None if named is None else [*KEYS, *(c for c in DEPLOYMENT_COLUMNS if c in named - set(KEYS) | {"deployment"})]
    )
    table, points = _tables(source, columns)
    factors = [c for c in points.columns if c != "point"]
    if not factors:
        raise ValueError("the experiment has no factors: scenario discovery needs a design over factors")
    if "point" not in table:
        table = table.assign(point=np.int32(0))
    if deployments is not None:
        ids = set(table["deployment"].astype(str))
        unknown = [d for d in deployments if d not in ids]
        if unknown:
            raise ValueError(f"deployments: no deployment {unknown[0]!r}; the results have {', '.join(sorted(ids))}")
        table = table[table["deployment"].astype(str).isin(deployments)]
    try:
        hit = table.eval(where)
    except Exception as exc:  # pandas raises many kinds: an unknown name, a syntax error, a bad comparison
        raise ValueError(f"where: {where!r} cannot be evaluated on .deployments ({exc})") from None
    if not (isinstance(hit, pd.Series) and hit.dtype == bool):
        raise ValueError(f"where: {where!r} is not a condition (true or false for each deployment)")
    rows = table.assign(**{OUTCOME: hit}).groupby(list(KEYS), sort=True, observed=True)[OUTCOME].any().reset_index()
    outcomes = rows.merge(points, on="point", how="left", validate="many_to_one")[[*KEYS, *factors, OUTCOME]]
    outcomes.attrs["where"] = where  # named in the messages of the methods that read the table
    return outcomes


def _factors_and_outcome(outcomes: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    if OUTCOME not in outcomes:
        raise ValueError(f"the table has no {OUTCOME!r} column: make it with outcome_table")
    x = outcomes.drop(columns=[*KEYS, OUTCOME], errors="ignore")
    y = outcomes[OUTCOME].to_numpy(dtype=bool)
    if x.empty or len(x.columns) == 0:
        raise ValueError("the table has no factor columns")
    if y.all() or not y.any():
        which = "every" if y.all() else "no"
        what = outcomes.attrs.get("where", "the outcome")
        raise ValueError(f"{which} replication meets {what!r}, so there is no region of the factors to tell apart")
    return x, y


def prim_boxes(
    outcomes: pd.DataFrame,
    *,
    threshold: float = 0.8,
    boxes: int = 3,
    peel_alpha: float = 0.05,
    mass_min: float = 0.05,
) -> pd.DataFrame:
    """PRIM boxes (EMA Workbench): per box and factor, the limits, whether they restrict it, and the box's stats.

    On each box's peeling trajectory the box kept is the one with the highest coverage among those
    that restrict a factor and whose density reaches ``threshold`` (the modeller's usual pick: as
    many cases as possible at the density asked for); further boxes look for the cases the earlier ones missed, up to
    ``boxes``.  Coverage is the share of all the outcome's cases inside the box, density the share
    of the box's rows with the outcome, mass the share of all rows inside it.
    """
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold: {threshold} must be a density between 0 and 1")
    if boxes < 1:
        raise ValueError(f"boxes: {boxes} must be at least 1")
    x, y = _factors_and_outcome(outcomes)
    prim = _library("ema_workbench.analysis.prim", "ema_workbench")
    with warnings.catch_warnings():  # the Workbench still uses pandas' deprecated inplace=True
        warnings.simplefilter("ignore", DeprecationWarning)
        finder = prim.Prim(x.reset_index(drop=True), y, threshold=threshold, peel_alpha=peel_alpha, mass_min=mass_min)
    initial = finder.box_init
    records = []
    for number in range(1, boxes + 1):
        box = finder.find_box()
        if box is None or box.res_dim == 0:  # no data left, or no box dense enough: the Workbench's "dump box"
            break
        trajectory = box.peeling_trajectory
        dense = trajectory[(trajectory["density"] >= threshold) & (trajectory["res_dim"] > 0)]
        if dense.empty:  # only the whole space is dense enough: no region to report
            break
        best = dense.sort_values(["coverage", "res_dim", "density"], ascending=[False, True, False], kind="stable")
        box.select(int(best.index[0]))
        limits = box.box_lim
        for factor in x.columns:
            low, high = float(limits[factor].iloc[0]), float(limits[factor].iloc[1])
            restricted = (low, high) != (float(initial[factor].iloc[0]), float(initial[factor].iloc[1]))
            records.append((number, factor, low, high, restricted, box.coverage, box.density, box.mass, box.res_dim))
    columns = ["box", "factor", "min", "max", "restricted", "coverage", "density", "mass", "restricted_factors"]
    return pd.DataFrame.from_records(records, columns=columns)


@dataclass(frozen=True)
class Tree:
    """A CART tree's rules: as the text scikit-learn prints, and as one row per leaf."""

    text: str
    leaves: pd.DataFrame
    root: str | None
    """The factor of the first split (None when the tree could not split at all)."""


def cart(outcomes: pd.DataFrame, *, max_depth: int = 3, min_leaf: float = 0.05, seed: int = 0) -> Tree:
    """A classification tree (scikit-learn's CART) of the outcome on the factors.

    Shallow (``max_depth``) and with leaves of at least ``min_leaf`` of the rows, so its rules are
    few enough to read; each leaf row gives its rule, rows, the share with the outcome and the
    share of all the outcome's cases it holds (the leaf's coverage, comparable with PRIM's).
    """
    if max_depth < 1:
        raise ValueError(f"max_depth: {max_depth} must be at least 1")
    if not 0 < min_leaf < 0.5:
        raise ValueError(f"min_leaf: {min_leaf} must be a share of the rows between 0 and 0.5")
    x, y = _factors_and_outcome(outcomes)
    tree_module = _library("sklearn.tree", "scikit-learn")
    model = tree_module.DecisionTreeClassifier(max_depth=max_depth, min_samples_leaf=min_leaf, random_state=seed)
    model.fit(x.to_numpy(dtype=float), y)
    names = [str(c) for c in x.columns]
    text = tree_module.export_text(model, feature_names=names, show_weights=True)
    structure = model.tree_
    rules: dict[int, str] = {}

    def walk(node: int, conditions: tuple[str, ...]) -> None:
        left, right = structure.children_left[node], structure.children_right[node]
        if left == right:  # a leaf
            rules[node] = " and ".join(conditions) or "all rows"
            return
        name, cut = names[structure.feature[node]], structure.threshold[node]
        walk(left, (*conditions, f"{name} <= {cut:.4g}"))
        walk(right, (*conditions, f"{name} > {cut:.4g}"))

    walk(0, ())
    leaf = model.apply(x.to_numpy(dtype=float))
    frame = pd.DataFrame({"leaf": leaf, OUTCOME: y})
    stats = frame.groupby("leaf")[OUTCOME].agg(rows="size", cases="sum")
    leaves = pd.DataFrame(
        {
            "rule": [rules[n] for n in stats.index],
            "rows": stats["rows"].to_numpy(),
            "density": (stats["cases"] / stats["rows"]).to_numpy(),
            "coverage": (stats["cases"] / y.sum()).to_numpy(),
        }
    ).sort_values(["density", "coverage"], ascending=False, kind="stable")
    root = names[structure.feature[0]] if structure.node_count > 1 else None
    return Tree(text, leaves.reset_index(drop=True), root)


def feature_scores(outcomes: pd.DataFrame, *, seed: int = 0, trees: int = 250) -> pd.DataFrame:
    """How much each factor tells about the outcome: extra-trees importance (scikit-learn).

    The mean decrease in impurity over ``trees`` randomised trees, with a fixed ``seed`` so a
    report reads the same twice; the importances sum to one, sorted highest first.  (Mutual
    information's nearest-neighbour estimate is not offered: the replications of a design point
    share its factor values, and those ties fool it.)
    """
    x, y = _factors_and_outcome(outcomes)
    ensemble = _library("sklearn.ensemble", "scikit-learn")
    forest = ensemble.ExtraTreesClassifier(n_estimators=trees, random_state=seed, min_samples_leaf=2)
    forest.fit(x.to_numpy(dtype=float), y)
    table = pd.DataFrame({"factor": [str(c) for c in x.columns], "importance": forest.feature_importances_})
    return table.sort_values("importance", ascending=False, kind="stable").reset_index(drop=True)
