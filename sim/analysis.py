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
import warnings
from typing import Literal

import numpy as np
import pandas as pd
from pydantic import Field, model_validator
from scipy import stats

from sim import law
from sim.model.vocabulary import CONTINGENCY_LANE
from sim.strict import StrictModel

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


# --- survival ---------------------------------------------------------------------------


def termination_times(deployments: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Days from dispatch to the termination decision, and whether it was observed.

    A deployment still running at the horizon is right-censored at the days it had been
    deployed by then; one never dispatched has no time at risk and is left out.
    """
    dispatched = deployments[deployments["dispatch_date"].notna()]
    observed = dispatched["termination_date"].notna().to_numpy()
    to_end = (dispatched["termination_date"] - dispatched["dispatch_date"]).dt.days.to_numpy(dtype=float)
    times = np.where(observed, to_end, dispatched["days_deployed"].to_numpy(dtype=float))
    return times, observed


def kaplan_meier(deployments: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """The Kaplan-Meier survival curve of deployments (scipy.stats.ecdf on censored data).

    Columns ``days``, ``survival``, ``ci_low``, ``ci_high``; the curve starts at (0, 1).
    """
    times, observed = termination_times(deployments)
    if not observed.any():
        return pd.DataFrame({"days": [0.0], "survival": [1.0], "ci_low": [1.0], "ci_high": [1.0]})
    data = stats.CensoredData(uncensored=times[observed], right=times[~observed])
    sf = stats.ecdf(data).sf
    with warnings.catch_warnings():
        # Greenwood's interval is undefined where the curve reaches 0; those points are NaN
        warnings.filterwarnings("ignore", message="The confidence interval is undefined", category=RuntimeWarning)
        band = sf.confidence_interval(level)
    return pd.DataFrame(
        {
            "days": np.concatenate([[0.0], sf.quantiles]),
            "survival": np.concatenate([[1.0], sf.probabilities]),
            "ci_low": np.concatenate([[1.0], band.low.probabilities]),
            "ci_high": np.concatenate([[1.0], band.high.probabilities]),
        }
    )


def median_survival(curve: pd.DataFrame) -> float:
    """The first day on which the survival curve falls to one half or below (NaN if never)."""
    below = curve.loc[curve["survival"] <= 0.5, "days"]
    return float(below.iloc[0]) if len(below) else math.nan


# --- tables -----------------------------------------------------------------------------

DURATIONS = {
    "days_request_to_decision": "request to Cabinet decision (days)",
    "days_decision_to_dispatch": "decision to dispatch (days)",
    "days_sought_to_decision": "approval sought to decided (days)",
    "days_dispatched_before_approval": "dispatched before approval (days, proviso)",
    "targets_missed_representatives": "7-day targets missed, Representatives",
    "targets_missed_councillors": "7-day targets missed, Councillors",
    "renewals": "renewals granted",
    "interruptions": "interruptions",
    "days_suspended": "days suspended",
    "days_waited_for_cap": "days waited for the cap",
    "days_deployed": "days deployed",
}


def describe(deployments: pd.DataFrame, by: str = "deployment") -> pd.DataFrame:
    """Per group (deployment, or design point): mean with 95% interval and quartiles of each
    duration and count, over the replications in which it applies."""
    records = []
    for key, rows in deployments.groupby(by, observed=True, sort=True):
        for column, label in DURATIONS.items():
            per_rep = rows.groupby("replication")[column].mean().dropna().to_numpy(dtype=float)
            if not len(per_rep):
                continue
            mean, se, low, high = mean_interval(per_rep)
            q25, q50, q75 = np.quantile(rows[column].dropna().to_numpy(dtype=float), [0.25, 0.5, 0.75])
            records.append((key, column, label, mean, se, low, high, q25, q50, q75, len(per_rep)))
    columns = [by, "measure", "label", "mean", "se", "ci_low", "ci_high", "q25", "median", "q75", "n"]
    return pd.DataFrame.from_records(records, columns=columns)


def termination_causes(deployments: pd.DataFrame, by: str = "deployment") -> pd.DataFrame:
    """Share of replications ending each way, per group: causes, abandoned, still running."""
    outcome = deployments["termination_cause"].astype(str).where(deployments["termination_cause"].notna(), "")
    outcome = outcome.mask(outcome.eq("") & deployments["outcome"].astype(str).eq("abandoned"), "abandoned")
    outcome = outcome.mask(outcome.eq(""), "running at horizon")
    return pd.crosstab(deployments[by], outcome, normalize="index").rename_axis(columns="ending")


def process_mining_log(events: pd.DataFrame, timezone: str = "Asia/Tokyo") -> pd.DataFrame:
    """The event log in the columns process-mining tools read (pm4py, ProM, Disco).

    ``case:concept:name`` is one deployment in one replication, ``concept:name`` the event,
    ``time:timestamp`` a timezone-aware date; state, basis and detail ride along.
    """
    return pd.DataFrame(
        {
            "case:concept:name": events["replication"].astype(str) + ":" + events["deployment"].astype(str),
            "concept:name": events["event"].astype(str),
            "time:timestamp": pd.to_datetime(events["date"]).dt.tz_localize(timezone),
            "state": events["state"].astype(str),
            "basis": events["basis"].astype(str),
            "detail": events["detail"].astype(str),
        }
    )


CONTINGENCY_STEPS = {
    "tension_arose": "tension",
    "consultation_held": "consultation",
    "readiness_stage_chosen": "first_readiness",
    "coordination_activated": "coordination",
    "armed_attack": "armed_attack",
    "security_council_reported": "council_reported",
    "reinforcements_arrived": "reinforcements",
    "security_council_acted": "council_acted",
    "measures_terminated": "measures_terminated",
    "tension_eased": "tension_eased",
    "stood_down": "stood_down",
}
"""The contingency lane's events and the column each gives in :func:`contingencies`."""


def contingencies(events: pd.DataFrame, lane: str = CONTINGENCY_LANE) -> pd.DataFrame:
    """One row per contingency per replication: the date of each step, and the recalls it caused.

    Built from the event log alone, so it works on Parquet read back from a results folder.  A
    step that did not happen (no attack, or the horizon came first) is NaT; ``ongoing`` marks a
    contingency not stood down by the horizon; ``recalls`` counts the deployments terminated with
    the recall's basis ``Art. 6(13); Art. 6(6)`` (``law.Cite.RECALL``) while the contingency was
    active.
    """
    crisis = events[events["deployment"] == lane]
    columns = ["replication", "contingency", *CONTINGENCY_STEPS.values(), "attacked", "ongoing", "recalls"]
    if crisis.empty:
        return pd.DataFrame(columns=columns)
    number = (crisis["event"] == "tension_arose").groupby(crisis["replication"]).cumsum().rename("contingency")
    steps = crisis.assign(contingency=number, step=crisis["event"].astype(str).map(CONTINGENCY_STEPS))
    steps = steps[steps["step"].notna()]
    table = steps.pivot_table(index=["replication", "contingency"], columns="step", values="date", aggfunc="min")
    table = table.reindex(columns=list(CONTINGENCY_STEPS.values())).reset_index()
    table["attacked"] = table["armed_attack"].notna()
    table["ongoing"] = table["stood_down"].isna()
    recall = events["basis"].astype(str) == law.Cite.RECALL
    recalled = events[(events["event"] == "termination_decided") & recall]
    end = table["stood_down"].where(table["stood_down"].notna(), events["date"].max())  # ongoing: to the last day
    table["recalls"] = [
        int(((recalled["replication"] == rep) & recalled["date"].between(start, stop)).sum())
        for rep, start, stop in zip(table["replication"], table["tension"], end, strict=True)
    ]
    return table[columns]
