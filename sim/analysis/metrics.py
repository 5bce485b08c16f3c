"""Tables from results: metrics per replication and their summaries with confidence intervals.

Reads pandas frames only (never SimPy), so it works the same on a fresh ``sim.simulate`` result
and on Parquet read back from a results folder.  A metric is defined on the ``.deployments``
table: the mean of a column, a quantile of it, or the probability that a condition holds
(e.g. "terminated before two years").  Means and probabilities are computed per replication
and summarised across replications (mean, standard error, 95% t interval); a quantile pools
the rows and takes a distribution-free interval from the binomial order statistics.
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field, model_validator
from scipy import stats

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
    """The metric's value in each replication (mean of a column, or share meeting a condition)."""
    rows = _rows(deployments, metric)
    if metric.stat == "probability":
        hit = rows.eval(metric.where).astype(float)
        return hit.groupby(rows["replication"]).mean()
    return rows[metric.column].astype(float).groupby(rows["replication"]).mean()


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
    half = float(stats.t.ppf(0.5 + level / 2, n - 1)) * se
    return mean, se, mean - half, mean + half


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


def summarize(deployments: pd.DataFrame, metrics: list[Metric]) -> pd.DataFrame:
    """One row per metric: estimate, standard error, 95% interval, replications used."""
    records = []
    for metric in metrics:
        n = int(deployments["replication"].nunique())
        if metric.stat == "quantile":
            values = _rows(deployments, metric)[metric.column].astype(float).to_numpy()
            estimate, low, high = quantile_interval(values, metric.q or 0.5)
            records.append((metric.name, estimate, math.nan, low, high, n))
        else:
            estimate, se, low, high = mean_interval(per_replication(deployments, metric).to_numpy())
            records.append((metric.name, estimate, se, low, high, n))
    return pd.DataFrame.from_records(records, columns=list(SUMMARY_COLUMNS))
