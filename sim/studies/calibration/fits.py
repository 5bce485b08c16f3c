"""The fits: the calibration's observations fitted with ``scipy.stats``.

Why: the scenario takes distributions, the record gives days.  This module fits the lag, the
extension lead, the plan periods, the extension lengths, the extension probabilities and (for the
report) the total durations of each data group, every :class:`Fit` saying which sample it rests on
and how well it fits (:func:`fit_all`).  The observations come from :mod:`sim.studies.calibration.observed`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, replace
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from sim.studies.calibration.observed import Group, Observations, group_label

MIN_FIT = 3
"""Uncensored observations needed to fit a two-parameter duration distribution: with fewer the
maximum-likelihood fit is degenerate or fits the points exactly."""

MIN_LOGNORMAL = 5
"""Plan periods and extension lengths are fitted as lognormal from this many observations; with
fewer, their median is written as a fixed value (a spread from two or three points is noise)."""

DURATION_FAMILIES: Mapping[str, Any] = {"lognormal": stats.lognorm, "weibull": stats.weibull_min}


@dataclass(frozen=True)
class Fit:
    """One fitted quantity: the sample it rests on, its parameters and how well they fit.

    ``statistic`` names the goodness-of-fit measure: ``KS`` (one-sample Kolmogorov-Smirnov against
    the fitted distribution; its p-value ignores that the parameters were fitted to the same points,
    so it flatters the fit), ``KS to Kaplan-Meier`` under censoring (the largest gap between the
    fitted CDF and the Kaplan-Meier estimate, no p-value), or ``none`` (a fixed median; the
    extension probability, whose counts are derived rather than observed).
    """

    quantity: str
    group: str
    sample: str
    n: int
    n_censored: int
    n_approximate: int
    dist: str
    params: Mapping[str, float]
    statistic: str = "none"
    value: float = math.nan
    pvalue: float = math.nan
    aic: float = math.nan
    chosen: bool = True
    note: str = ""

    @property
    def typical(self) -> float:
        """The middle of the fitted distribution (its median), for derivations."""
        return self.params["value"] if self.dist == "fixed" else self.params["median"]

    def scenario_value(self, median_digits: int = 0) -> Any:
        """The fit in the scenario's distribution syntax, rounded so the written file is stable."""
        if self.dist == "fixed":
            return _round(self.params["value"], median_digits)
        if self.dist == "lognormal":
            median = _round(self.params["median"], median_digits)
            return {"dist": "lognormal", "median": median, "sigma": round(self.params["sigma"], 2)}
        raise ValueError(f"a {self.dist} fit is not a scenario distribution")


def _round(value: float, digits: int) -> float | int:
    """``value`` to ``digits`` decimals, as an int when ``digits`` is 0 (days)."""
    return round(value) if digits == 0 else round(value, digits)


def _lognormal(quantity: str, group: str, sample: str, days: pd.Series, approximate: pd.Series) -> Fit:
    """Lognormal maximum likelihood with the location fixed at 0, and its KS statistic."""
    x = days.to_numpy(dtype=float)
    if len(x) == 0:
        raise ValueError(f"{quantity} ({sample}): no observations to fit")
    if (x <= 0).any():
        raise ValueError(f"{quantity} ({sample}): a lognormal needs positive days, got {sorted(x[x <= 0])}")
    sigma, _, median = stats.lognorm.fit(x, floc=0)
    test = stats.kstest(x, stats.lognorm.cdf, args=(sigma, 0, median))
    return Fit(
        quantity,
        group,
        sample,
        n=len(x),
        n_censored=0,
        n_approximate=int(approximate.sum()),
        dist="lognormal",
        params={"median": float(median), "sigma": float(sigma)},
        statistic="KS",
        value=float(test.statistic),
        pvalue=float(test.pvalue),
    )


def fit_lag(lags: pd.DataFrame) -> Fit:
    """``procedure.decision_to_dispatch``: a lognormal (``floc=0``) on every decision's lag."""
    return _lognormal("decision_to_dispatch", "all", "all decisions", lags["days"], lags["approximate"])


def fit_lead(extensions: pd.DataFrame) -> Fit | None:
    """``procedure.extension_lead``: a lognormal (``floc=0``) on the leads of every amendment, pooled.

    The lead is how many days before the period it extended ran out an amendment was decided
    (``lead_days``, see :func:`~sim.studies.calibration.observed.extension_observations`): only amendments
    whose previous end is known and had not yet passed have one.  Like the lag it is one value for
    the whole procedure, so the leads of all operation types and contingent kinds are pooled: when
    to put an extension to the Cabinet is one practice of the Cabinet's, not of an operation or a
    contingent, and no group has more than a couple.  Even pooled the sample is small (a handful
    of amendments in the record), so the KS p-value can reject only a gross misfit.  With fewer than
    :data:`MIN_FIT` leads the median is written as a fixed value; with none, nothing (None: the
    scenario's lead stays).
    """
    rows = extensions.dropna(subset=["lead_days"])
    if rows.empty:
        return None
    days, approximate = rows["lead_days"], rows["lead_approximate"]
    sample = "all amendments with a known previous end"
    if len(rows) >= MIN_FIT and days.nunique() > 1:
        return _lognormal("extension_lead", "all", sample, days, approximate)
    return Fit(
        "extension_lead",
        "all",
        sample,
        n=len(rows),
        n_censored=0,
        n_approximate=int(approximate.sum()),
        dist="fixed",
        params={"value": float(days.median())},
        note=f"fewer than {MIN_FIT} observations, or all equal: the median, fixed",
    )


def fit_length(quantity: str, group: str, sample: str, rows: pd.DataFrame) -> Fit | None:
    """A plan period or extension length: lognormal from :data:`MIN_LOGNORMAL` distinct points, else the median."""
    if rows.empty:
        return None
    if len(rows) >= MIN_LOGNORMAL and rows["days"].nunique() > 1:
        return _lognormal(quantity, group, sample, rows["days"], rows["approximate"])
    return Fit(
        quantity,
        group,
        sample,
        n=len(rows),
        n_censored=0,
        n_approximate=int(rows["approximate"].sum()),
        dist="fixed",
        params={"value": float(rows["days"].median())},
        note=f"fewer than {MIN_LOGNORMAL} observations, or all equal: the median, fixed",
    )


def _goodness(family: Any, args: tuple[float, ...], x: np.ndarray, censored: np.ndarray) -> tuple[str, float, float]:
    """KS against the fitted distribution; under censoring, the largest gap to the Kaplan-Meier CDF."""
    if not censored.any():
        test = stats.kstest(x, family.cdf, args=args)
        return "KS", float(test.statistic), float(test.pvalue)
    km = stats.ecdf(stats.CensoredData.right_censored(x, censored)).cdf
    fitted = family.cdf(km.quantiles, *args)
    before = np.concatenate([[0.0], km.probabilities[:-1]])  # the estimate just left of each step
    gap = max(np.abs(km.probabilities - fitted).max(), np.abs(before - fitted).max())
    return "KS to Kaplan-Meier", float(gap), math.nan


def fit_durations(group: str, rows: pd.DataFrame) -> tuple[Fit, ...]:
    """Total durations of a group: lognormal and Weibull, right-censored MLE, the lower AIC chosen.

    Durations of 0 days (both dates the same month at month precision: the span is unknown within
    that month) cannot come from a positive distribution and are left out, which the note says.
    With fewer than :data:`MIN_FIT` uncensored durations nothing is fitted: one ``none`` row.
    """
    positive = rows[rows["days"] > 0]
    excluded = len(rows) - len(positive)
    note = f"{excluded} of 0 days (same-month dates) left out" if excluded else ""
    x = positive["days"].to_numpy(dtype=float)
    censored = positive["censored"].to_numpy(dtype=bool)
    counts = {"n": len(x), "n_censored": int(censored.sum()), "n_approximate": int(positive["approximate"].sum())}
    if len(x) - censored.sum() < MIN_FIT:
        why = f"not fitted: fewer than {MIN_FIT} uncensored durations"
        return (
            Fit("duration", group, group, **counts, dist="none", params={}, note="; ".join(filter(None, [why, note]))),
        )
    data = stats.CensoredData.right_censored(x, censored)
    fits = []
    for name, family in DURATION_FAMILIES.items():
        shape, _, scale = family.fit(data, floc=0)
        loglik = family.logpdf(x[~censored], shape, 0, scale).sum() + family.logsf(x[censored], shape, 0, scale).sum()
        statistic, value, pvalue = _goodness(family, (shape, 0, scale), x, censored)
        params = {"median": scale, "sigma": shape} if name == "lognormal" else {"shape": shape, "scale": scale}
        fits.append(
            Fit(
                "duration",
                group,
                group,
                **counts,
                dist=name,
                params={k: float(v) for k, v in params.items()},
                statistic=statistic,
                value=value,
                pvalue=pvalue,
                aic=float(4 - 2 * loglik),
                note=note,
            )
        )
    best = min(fits, key=lambda f: f.aic)
    return tuple(replace(f, chosen=f is best) for f in fits)


def _plan_sample(frame: pd.DataFrame, group: Group) -> tuple[pd.DataFrame, str]:
    """The group's plan observations, else its operation type's over all kinds (plans are per operation)."""
    operation, kind = group
    own = frame[(frame["operation"] == operation) & (frame["kind"] == kind)]
    if not own.empty:
        return own, group_label(group)
    return frame[frame["operation"] == operation], f"{operation}, all kinds"


def plan_fits(frame: pd.DataFrame, groups: Sequence[Group], quantity: str) -> dict[Group, Fit]:
    """Plan periods or extension lengths for each group that has a sample (see :func:`_plan_sample`)."""
    fits = {}
    for group in groups:
        rows, sample = _plan_sample(frame, group)
        fit = fit_length(quantity, group_label(group), sample, rows)
        if fit is not None:
            fits[group] = fit
    return fits


def extension_counts(
    durations: pd.DataFrame, periods: Mapping[Group, Fit], lengths: Mapping[Group, Fit]
) -> pd.DataFrame:
    """How many times each contingent's plan was extended, derived from its duration.

    The sources record only some plan amendments (most before 2006 were never found), so the count
    is derived: a duration is read as the group's initial period plus the nearest whole number of
    extension lengths (medians), ``max(0, round((days - period) / length))``, the length defaulting
    to the period as in the model.  Nearest, not next, because ends part-way through a period (a
    mission ends, an early termination) and the days of travel blur an exact count.  The amendments
    on record (``recorded_extensions``, see :func:`~sim.studies.calibration.observed.recorded_extensions`)
    are a floor: UNMIT's police ran little longer than a typical first period, yet their plan is
    known to have been extended.
    An ongoing contingent has its extensions so far and no ending.  Groups with no plan period get
    no count.  Columns: those of ``durations`` plus period, length, extensions (<NA> when
    underivable) and ended.
    """
    groups = list(zip(durations["operation"], durations["kind"], strict=True))
    period = pd.Series([periods[g].typical if g in periods else math.nan for g in groups], index=durations.index)
    length = pd.Series([lengths[g].typical if g in lengths else math.nan for g in groups], index=durations.index)
    length = length.fillna(period)
    derived = np.floor((durations["days"] - period) / length + 0.5).clip(lower=0)
    extensions = np.maximum(derived, durations["recorded_extensions"]).where(derived.notna())
    return durations.assign(
        period=period, length=length, extensions=extensions.astype("Int64"), ended=~durations["censored"]
    )


def _count_sample(counts: pd.DataFrame, group: Group) -> tuple[pd.DataFrame, str]:
    """Derived counts of the group, else its operation type, else its kind: the first with an ending.

    A sample without an ending estimates a probability of 1 (never stop), which says nothing: the
    MFO, the only internationally coordinated operation, is still running.
    """
    operation, kind = group
    usable = counts[counts["extensions"].notna()]
    candidates = (
        (usable[(usable["operation"] == operation) & (usable["kind"] == kind)], group_label(group)),
        (usable[usable["operation"] == operation], f"{operation}, all kinds"),
        (usable[usable["kind"] == kind], f"{kind}, all operation types"),
    )
    return next(((rows, sample) for rows, sample in candidates if rows["ended"].any()), (usable.iloc[:0], ""))


def extension_probability(counts: pd.DataFrame, group: Group) -> Fit | None:
    """The chance of extending at a period end: extensions / (extensions + completed endings).

    The maximum-likelihood estimate of a geometric number of extensions, with ongoing deployments
    right-censored (their extensions count, their ending has not happened).  ``max_extensions`` is
    the most any deployment of the sample was extended, so the model never goes beyond the record.
    Every real ending counts as a period end not extended, whatever its cause.
    """
    rows, sample = _count_sample(counts, group)
    if rows.empty:
        return None
    extended = int(rows["extensions"].sum())
    ended = int(rows["ended"].sum())
    return Fit(
        "extension_probability",
        group_label(group),
        sample,
        n=len(rows),
        n_censored=len(rows) - ended,
        n_approximate=int(rows["approximate"].sum()),
        dist="geometric",
        params={"probability": extended / (extended + ended), "max_extensions": float(rows["extensions"].max())},
        note=f"{extended} derived extensions, {ended} endings",
    )


@dataclass(frozen=True)
class Fits:
    """Every fit of a calibration, keyed by data group (extension probabilities included).

    ``lag`` and ``lead`` are the procedure's, one for all groups; ``lead`` is None when no amendment
    has a known previous end.
    """

    lag: Fit
    lead: Fit | None
    durations: dict[Group, tuple[Fit, ...]]
    periods: dict[Group, Fit]
    lengths: dict[Group, Fit]
    probabilities: dict[Group, Fit]
    counts: pd.DataFrame

    def table(self) -> pd.DataFrame:
        """All fits as one table, one row per fit (both duration families, ``chosen`` marking the one by AIC)."""
        fits = [
            self.lag,
            *([self.lead] if self.lead is not None else []),
            *(f for group in sorted(self.durations) for f in self.durations[group]),
            *(self.periods[g] for g in sorted(self.periods)),
            *(self.lengths[g] for g in sorted(self.lengths)),
            *(self.probabilities[g] for g in sorted(self.probabilities)),
        ]
        rows = [{**asdict(f), "params": _describe_params(f.params)} for f in fits]
        return pd.DataFrame(rows)


def _describe_params(params: Mapping[str, float]) -> str:
    return ", ".join(f"{k}={v:.4g}" for k, v in params.items())


def fit_all(obs: Observations) -> Fits:
    """Fit every quantity for every data group found in the durations."""
    groups = sorted(set(zip(obs.durations["operation"], obs.durations["kind"], strict=True)))
    periods = plan_fits(obs.periods, groups, "period")
    lengths = plan_fits(obs.extensions, groups, "extension_length")
    counts = extension_counts(obs.durations, periods, lengths)
    probabilities = {g: f for g in groups if (f := extension_probability(counts, g)) is not None}
    durations = {
        g: fit_durations(
            group_label(g), obs.durations[(obs.durations["operation"] == g[0]) & (obs.durations["kind"] == g[1])]
        )
        for g in groups
    }
    return Fits(fit_lag(obs.lags), fit_lead(obs.extensions), durations, periods, lengths, probabilities, counts)
