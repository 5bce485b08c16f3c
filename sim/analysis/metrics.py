"""Tables from results: metrics per replication and their summaries with confidence intervals.

Reads pandas frames only (never SimPy), so it works the same on a fresh ``sim.simulate`` result
and on Parquet read back from a results folder.  A metric is defined on the ``.deployments``
table: the mean of a column, a quantile of it, or the probability that a condition holds
(e.g. "terminated before two years").  Means and probabilities are computed per replication
and summarised across replications (mean, standard error, 95% t interval); a quantile pools
the rows and takes a distribution-free interval from the binomial order statistics.
"""

from __future__ import annotations

import ast
import difflib
import functools
import math
import typing
from collections.abc import Iterable, Iterator
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field, model_validator
from scipy import stats

from sim.eventlog import CAUSES, DATE_COLUMNS, DEPLOYMENT_COLUMNS, STATES, DeploymentRow
from sim.scenario.strict import StrictModel

SUMMARY_COLUMNS = ("metric", "estimate", "se", "ci_low", "ci_high", "n")


class Metric(StrictModel):
    """One outcome to collect from ``.deployments``, per design point."""

    name: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_]*$")
    stat: Literal["mean", "quantile", "probability"]
    column: str | None = None
    q: float | None = Field(default=None, gt=0, lt=1)
    where: str | None = None
    deployments: list[str] | None = None

    @model_validator(mode="after")
    def _complete(self) -> Metric:
        if self.stat in ("mean", "quantile") and self.column is None:
            raise ValueError(f"a {self.stat} needs a column of .deployments")
        if self.stat == "quantile" and self.q is None:
            raise ValueError("a quantile needs q, between 0 and 1")
        if self.stat == "probability" and self.where is None:
            raise ValueError("a probability needs a condition in 'where', e.g. \"days_deployed < 730\"")
        return self


def _rows(deployments: pd.DataFrame, metric: Metric) -> pd.DataFrame:
    if metric.deployments is None:
        return deployments
    return deployments[deployments["deployment"].astype(str).isin(metric.deployments)]


def per_replication(deployments: pd.DataFrame, metric: Metric) -> pd.Series:
    """The metric's value in each replication (mean of a column, or share meeting a condition).

    Indexed by replication; by design point and replication when the rows have a ``point`` column
    (a sweep's table), since replication k of two points are two replications.
    """
    rows = _rows(deployments, metric)
    by = [rows["point"], rows["replication"]] if "point" in rows else rows["replication"]
    values = rows.eval(metric.where) if metric.stat == "probability" else rows[metric.column]
    return values.astype(float).groupby(by).mean()


def mean_interval(values: np.ndarray, level: float = 0.95) -> tuple[float, float, float, float]:
    """Mean, standard error and a t confidence interval of independent replications' values."""
    values = values[~np.isnan(values)]
    n = len(values)
    if n == 0:
        return (math.nan,) * 4
    mean = float(values.mean())
    if n == 1:
        return mean, math.nan, math.nan, math.nan
    se = float(values.std(ddof=1) / math.sqrt(n))
    half = _t_quantile(0.5 + level / 2, n - 1) * se
    return mean, se, mean - half, mean + half


@functools.lru_cache(maxsize=1024)
def _t_quantile(p: float, df: int) -> float:
    """Student's t quantile, asked once per sample size: scipy takes about 0.1 ms a call, and a sweep
    summarises every design point with the same number of replications."""
    return float(stats.t.ppf(p, df))


def quantile_interval(values: np.ndarray, q: float, level: float = 0.95) -> tuple[float, float, float]:
    """A sample quantile and its distribution-free interval from binomial order statistics."""
    values = np.sort(values[~np.isnan(values)])
    n = len(values)
    if n == 0:
        return (math.nan,) * 3
    estimate = float(np.quantile(values, q))
    lo = int(stats.binom.ppf((1 - level) / 2, n, q))
    hi = int(stats.binom.ppf(1 - (1 - level) / 2, n, q))
    return estimate, float(values[max(lo - 1, 0)]), float(values[min(hi, n - 1)])


def summarize(deployments: pd.DataFrame | Iterable[pd.DataFrame], metrics: list[Metric]) -> pd.DataFrame:
    """One row per metric: estimate, standard error, 95% interval, replications used.

    ``deployments`` is one design point's table, or its rows in batches that each hold whole
    replications (a point's parts, :func:`sim.sweep.scan.by_point`): means and probabilities are
    computed per replication batch by batch, a quantile keeps only its column's values, so a sweep
    is summarised without holding its table, with the same numbers as on the whole frame.  Rows of
    several points (a ``point`` column with two values) are refused: their replications would pool.
    """
    batches = [deployments] if isinstance(deployments, pd.DataFrame) else deployments
    tally = _Tally(metrics)
    for batch in batches:
        tally.add(batch)
    if len(tally.points) > 1:
        raise ValueError(
            "deployments: rows of several design points; summarise each point's rows (scan.by_point, or "
            "scan.scan with points=[p]), or all of them with summarize_by_point"
        )
    return pd.DataFrame.from_records(tally.records(next(iter(tally.points), 0)), columns=list(SUMMARY_COLUMNS))


def summarize_by_point(deployments: Iterable[pd.DataFrame], metrics: list[Metric]) -> pd.DataFrame:
    """:func:`summarize` of every design point at once: one row per point (``point`` first) and metric.

    ``deployments`` are batches with a ``point`` column that each hold whole replications of their
    points (a sweep's parts, :func:`sim.sweep.scan.scan`); each is read once and split by point,
    so a part of a hundred small points costs one pass, not a hundred (issue 19).  Each point's
    numbers are those :func:`summarize` gives on its rows alone.  Points without rows are absent.
    """
    tally = _Tally(metrics)
    for batch in deployments:
        tally.add(batch)
    rows = [(point, *record) for point in sorted(tally.points) for record in tally.records(point)]
    table = pd.DataFrame.from_records(rows, columns=["point", *SUMMARY_COLUMNS])
    return table.astype({"point": np.int32})


class _Tally:
    """Per design point: the replications seen, and per metric the pieces its summary is made of.

    A mean or probability keeps ``(replications, values)`` arrays of its per-replication values, a
    quantile the values of its column; rows without a ``point`` column are point 0's.
    """

    def __init__(self, metrics: list[Metric]):
        self.metrics = metrics
        self.points: dict[int, tuple[set[int], list[list]]] = {}

    def _point(self, point: int) -> tuple[set[int], list[list]]:
        if point not in self.points:
            self.points[point] = (set(), [[] for _ in self.metrics])
        return self.points[point]

    def add(self, batch: pd.DataFrame) -> None:
        """One batch of whole replications, of one or more points."""
        points, order = _owners(batch)
        reps = batch["replication"].to_numpy()[order]
        for point, lo, hi in _runs(points[order]):
            replications, _ = self._point(point)
            present = set(np.unique(reps[lo:hi]).tolist())
            if present & replications:
                raise ValueError(
                    f"deployments: replication {min(present & replications)} is in two batches; "
                    "each batch must hold whole replications"
                )
            replications |= present
        for k, metric in enumerate(self.metrics):
            rows = _rows(batch, metric)
            if metric.stat == "quantile":
                points, order = _owners(rows)
                values = rows[metric.column].astype(float).to_numpy()[order]  # each point's values in one run
                for point, lo, hi in _runs(points[order]):
                    self._point(point)[1][k].append(values[lo:hi])
                continue
            per_rep = per_replication(batch, metric)  # sorted by point: each point's values in one run
            index = per_rep.index
            owners = index.get_level_values(0).to_numpy() if "point" in batch else np.zeros(len(index), np.int32)
            reps, values = index.get_level_values(-1).to_numpy(), per_rep.to_numpy()
            for point, lo, hi in _runs(owners):
                self._point(point)[1][k].append((reps[lo:hi], values[lo:hi]))

    def records(self, point: int) -> list[tuple]:
        """The point's summary: one record per metric (no rows: NaN estimates and n = 0)."""
        replications, pieces = self.points.get(point, (set(), [[] for _ in self.metrics]))
        n = len(replications)
        records = []
        for metric, found in zip(self.metrics, pieces, strict=True):
            if metric.stat == "quantile":
                pooled = np.concatenate(found) if found else np.array([], dtype=float)
                estimate, low, high = quantile_interval(pooled, metric.q or 0.5)
                records.append((metric.name, estimate, math.nan, low, high, n))
                continue
            reps = np.concatenate([r for r, _ in found]) if found else np.array([], dtype=np.int64)
            values = np.concatenate([v for _, v in found]) if found else np.array([], dtype=float)
            # in replication order whatever the batches' order, as one groupby over the table gives
            per_rep = values[np.argsort(reps, kind="stable")]
            estimate, se, low, high = mean_interval(per_rep)
            records.append((metric.name, estimate, se, low, high, n))
        return records


def _runs(keys: np.ndarray) -> Iterator[tuple[int, int, int]]:
    """Each run of equal values in sorted ``keys``: the value and its first and past-last positions."""
    if not len(keys):
        return
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    ends = np.r_[starts[1:], len(keys)]
    for start, end in zip(starts.tolist(), ends.tolist(), strict=True):
        yield int(keys[start]), start, end


def _owners(rows: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Each row's design point (0 without a ``point`` column) and the stable order that groups them."""
    points = rows["point"].to_numpy() if "point" in rows else np.zeros(len(rows), dtype=np.int32)
    return points, np.argsort(points, kind="stable")


def metric_columns(metrics: Iterable[Metric]) -> list[str] | None:
    """The columns of ``.deployments`` that ``metrics`` read, so a scan reads only those.

    ``replication`` always; ``deployment`` when a metric picks deployments; each metric's column
    and the columns its condition names.  None (read every column) if a condition does not
    parse as an expression, which :func:`check_metric` reports on its own.
    """
    columns = {"replication"}
    for metric in metrics:
        if metric.deployments is not None:
            columns.add("deployment")
        if metric.column is not None:
            columns.add(metric.column)
        if metric.where is not None:
            named = condition_columns(metric.where)
            if named is None:
                return None
            columns.update(named)
    return [c for c in DEPLOYMENT_COLUMNS if c in columns]


def condition_columns(where: str) -> set[str] | None:
    """The columns of ``.deployments`` a condition names (None if it does not parse: read them all)."""
    try:
        tree = ast.parse(where, mode="eval")
    except SyntaxError:
        return None
    return {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and n.id in DEPLOYMENT_COLUMNS}


# --- checking metrics before anything runs ---------------------------------------------------

_VOCABULARIES = {"termination_cause": CAUSES, "outcome": STATES}
"""Columns whose values are a fixed vocabulary; the other text columns hold scenario ids and kinds."""


def _schema() -> dict[str, str]:
    """Each column of ``.deployments`` and its kind: ``number``, ``flag``, ``date`` or ``text``.

    Derived from :class:`sim.eventlog.DeploymentRow`, the one declaration of the table's columns,
    so a column added there is known here without a second list.
    """
    kinds = {}
    for name, hint in typing.get_type_hints(DeploymentRow).items():
        if name in DATE_COLUMNS:
            kinds[name] = "date"
        elif hint is bool:
            kinds[name] = "flag"
        elif hint in (int, float):
            kinds[name] = "number"
        else:
            kinds[name] = "text"
    return kinds


_HOLDS = {"date": "dates", "text": "text"}
_DTYPES = {"number": "float64", "flag": "bool", "date": "datetime64[ns]", "text": "category"}


def _empty_deployments() -> pd.DataFrame:
    """An empty ``.deployments`` table with the real dtypes, to evaluate a condition on."""
    kinds = _schema()
    return pd.DataFrame({name: pd.Series([], dtype=_DTYPES[kinds[name]]) for name in DEPLOYMENT_COLUMNS})


def _suggest(word: str, choices: typing.Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def check_metric(metric: Metric) -> list[str]:
    """Every reason ``metric`` cannot be computed on ``.deployments``, as short sentences (none if fine).

    Why: a metric is computed only after every design point has been simulated, so a typo in a
    column or a condition would otherwise surface as a traceback at the very end of a sweep.  The
    condition is evaluated on an empty table with the real columns and dtypes, so what passes
    here is what pandas will accept on the results.
    """
    kinds = _schema()
    problems = []
    if metric.column is not None:
        kind = kinds.get(metric.column)
        if kind is None:
            problems.append(f"column {metric.column!r} is not a column of .deployments{_suggest(metric.column, kinds)}")
        elif metric.stat in ("mean", "quantile") and kind not in ("number", "flag"):
            problems.append(f"a {metric.stat} needs a numeric column; {metric.column!r} holds {_HOLDS[kind]}")
    if metric.where is not None:
        problems.extend(_check_condition(metric.where, kinds))
    return problems


def _check_condition(where: str, kinds: dict[str, str]) -> list[str]:
    """Why ``where`` is not a condition on ``.deployments`` (parse, unknown names, values, result)."""
    try:
        result = _empty_deployments().eval(where)
    except SyntaxError as exc:
        return [f"where {where!r} does not parse: {exc.msg}"]
    except NameError as exc:  # pandas' UndefinedVariableError: "name 'x' is not defined"
        name = str(exc).split("'")[1] if "'" in str(exc) else str(exc)
        return [f"where {where!r} names {name!r}, not a column of .deployments{_suggest(name, kinds)}"]
    except Exception as exc:  # pandas raises many kinds of error for a malformed expression
        return [f"where {where!r} cannot be evaluated: {exc}"]
    if not isinstance(result, pd.Series) or result.dtype != bool:
        return [f'where {where!r} is not a condition (true or false per row), e.g. "days_deployed < 730"']
    return _check_values(where)


def _check_values(where: str) -> list[str]:
    """Literals compared with a fixed-vocabulary column that are not in its vocabulary (typos)."""
    problems = []
    for node in ast.walk(ast.parse(where, mode="eval")):
        if not isinstance(node, ast.Compare):
            continue
        operands = [node.left, *node.comparators]
        names = [o.id for o in operands if isinstance(o, ast.Name) and o.id in _VOCABULARIES]
        for name in names:
            for operand in operands:
                items = operand.elts if isinstance(operand, ast.List | ast.Tuple | ast.Set) else [operand]
                for item in items:
                    value = item.value if isinstance(item, ast.Constant) else None
                    if isinstance(value, str) and value not in _VOCABULARIES[name]:
                        known = ", ".join(_VOCABULARIES[name])
                        problems.append(
                            f"where {where!r}: {name} is never {value!r} (it is one of {known})"
                            + _suggest(value, _VOCABULARIES[name])
                        )
    return problems
