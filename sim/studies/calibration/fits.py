"""The fits: the calibration's observations fitted with ``scipy.stats``.

Why: the scenario takes distributions, the record gives days.  This module fits the lag, the
extension lead, the plan periods, the extension lengths, the extension probabilities and (for the
report) the total durations of each data group, every :class:`Fit` saying which sample it rests on
and how well it fits (:func:`fit_all`).  The observations come from :mod:`sim.studies.calibration.observed`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
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

MIN_SIGMA = 0.05
"""An interval-censored lognormal with a smaller sigma has collapsed onto a point the intervals
share (three election teams known only as "one month" and one of 9 days): it says nothing of the spread."""

TAIL = 0.001
"""``max_extensions`` reaches at least where the fitted geometric's tail is this thin: the cap is there
to end a loop, not to cut the record's heavy tail (UNDOF's 33 six-month extensions)."""


def tail_cap(probability: float) -> int:
    """The extensions a geometric count with this ``probability`` exceeds with chance :data:`TAIL` (0 if certain)."""
    return math.ceil(math.log(TAIL) / math.log(probability)) if 0 < probability < 1 else 0


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


def interval_data(low: pd.Series, high: pd.Series) -> Any:
    """Durations as ``scipy.stats.CensoredData``: exact, interval, left- or right-censored.

    ``low == high`` is an exact value; ``high`` infinite is right-censored at ``low`` (still running);
    ``low`` 0 is left-censored at ``high`` (some day up to it: both dates in one month); anything else
    is the interval ``[low, high]`` the dates' precision allows.
    """
    lo, hi = low.to_numpy(dtype=float), high.to_numpy(dtype=float)
    exact = lo == hi
    right = ~exact & np.isinf(hi)
    left = ~exact & ~right & (lo <= 0)
    interval = ~(exact | right | left)
    return stats.CensoredData(
        uncensored=lo[exact], left=hi[left], right=lo[right], interval=np.column_stack([lo[interval], hi[interval]])
    )


def fit_interval(quantity: str, group: str, sample: str, rows: pd.DataFrame, note: str = "") -> Fit:
    """A lognormal (``floc=0``) on days known exactly, to an interval or censored (``low``, ``high``).

    Maximum likelihood on :func:`interval_data`.  With fewer than :data:`MIN_FIT` rows, or too few
    distinct values to fix a spread, the median of the rows' midpoints is written as a fixed value.
    When every interval holds one common point, a point mass there fits them all and the spread
    collapses (sigma below :data:`MIN_SIGMA`): the median of the midpoints is written, fixed, instead.
    A likelihood over intervals has no Kolmogorov-Smirnov test, so the statistic is ``none``.
    """
    if rows.empty:
        raise ValueError(f"{quantity} ({sample}): no observations to fit")
    if (rows["high"] <= 0).any():
        raise ValueError(f"{quantity} ({sample}): a lognormal needs some positive days in every observation")
    data = interval_data(rows["low"], rows["high"])
    n_inexact = len(rows) - int((rows["low"] == rows["high"]).sum())
    counts = {"n": len(rows), "n_censored": n_inexact, "n_approximate": int(rows["approximate"].sum())}
    middle = ((rows["low"] + rows["high"].where(np.isfinite(rows["high"]), rows["low"])) / 2).median()
    if len(rows) < MIN_FIT or rows["low"].nunique() + rows["high"].nunique() <= 2:
        why = f"fewer than {MIN_FIT} observations, or all equal: the median, fixed"
        return Fit(
            quantity, group, sample, **counts, dist="fixed", params={"value": float(middle)},
            note="; ".join(filter(None, [why, note])),
        )  # fmt: skip
    sigma, _, median = stats.lognorm.fit(data, floc=0)
    if sigma < MIN_SIGMA:
        why = f"the spread collapses (sigma {sigma:.2g}): the intervals share a point; the median, fixed"
        return Fit(
            quantity, group, sample, **counts, dist="fixed", params={"value": float(middle)},
            note="; ".join(filter(None, [why, note])),
        )  # fmt: skip
    return Fit(
        quantity,
        group,
        sample,
        **counts,
        dist="lognormal",
        params={"median": float(median), "sigma": float(sigma)},
        note="; ".join(filter(None, [f"{n_inexact} known to an interval or censored", note])),
    )


def fit_request(requests: pd.DataFrame) -> Fit | None:
    """``procedure.request_to_decision``: the days from each formal request to its Cabinet decision, pooled.

    A lognormal (``floc=0``) whenever two distinct values fix one: the record dates the requests of
    two missions only (UNTAC 5 days, Rwanda 1), and a lognormal, unlike a fixed value, keeps the
    lag a distribution whose median the experiments can vary.  Its n says how little it rests on.
    The median, fixed, when all values are equal; None (the scenario's lag stays) with no request.
    """
    if requests.empty:
        return None
    if requests["days"].nunique() > 1:
        return _lognormal("request_to_decision", "all", "all requests", requests["days"], requests["approximate"])
    return fit_length("request_to_decision", "all", "all requests", requests)


def fit_withdrawal(withdrawals: pd.DataFrame) -> Fit | None:
    """``procedure.withdrawal``: the days from each termination decision to the last return, pooled.

    Interval-censored lognormal (:func:`fit_interval`): most of these dates are known to the month.
    Pooled like the other procedure lags: the record has a handful of termination decisions.
    None (the scenario's withdrawal stays) when it has none.
    """
    if withdrawals.empty:
        return None
    return fit_interval("withdrawal", "all", "all termination decisions", withdrawals)


def first_period_only(counts: pd.DataFrame, group: Group) -> bool:
    """True when every contingent of the group came home in its first period, as far as the record tells.

    No plan amendment on record, and no extension derivable from a duration (a count of 0, or none
    where the group has no plan period): the election observers, the relief airlifts, the election
    observers sent with a UN PKO.  Their durations are then their periods.
    """
    rows = counts[(counts["operation"] == group[0]) & (counts["kind"] == group[1])]
    derived = rows["extensions"].fillna(0)
    never = (derived == 0).all() and (rows["recorded_extensions"] == 0).all()
    return bool(never) and not rows.empty and not rows["censored"].any()


def first_period(group: Group, rows: pd.DataFrame, lag: Fit) -> Fit:
    """The plan period of a group whose contingents came home in their first period: fitted to their durations.

    The model runs a period from the Cabinet decision and dispatches ``decision_to_dispatch`` after
    it; such a contingent, with no extension lead and no withdrawal, is home when the period runs
    out (the Ukraine airlift unit was disbanded the day its period expired).  So each duration, plus
    the pooled lag's median, is the period the model needs: an interval where the dates are known to
    the month (:func:`fit_interval`).  The plan periods the record gives for such operations (Iraq
    2003: 94 days for 26 deployed) are upper bounds: they ended when the task was done.
    """
    shift = lag.typical
    implied = rows.assign(low=rows["low"] + shift, high=rows["high"] + shift)
    return fit_interval(
        "period", group_label(group), group_label(group), implied,
        note=f"durations + the lag's median ({shift:.1f} days): home as the period ends",
    )  # fmt: skip


def no_extension(counts: pd.DataFrame, group: Group) -> Fit:
    """The extension probability of a first-period-only group: 0, its contingents were never extended."""
    rows = counts[(counts["operation"] == group[0]) & (counts["kind"] == group[1])]
    return Fit(
        "extension_probability", group_label(group), group_label(group), n=len(rows), n_censored=0,
        n_approximate=int(rows["approximate"].sum()), dist="geometric",
        params={"probability": 0.0, "max_extensions": 0.0},
        note="no extension on record: every contingent came home in its first period",
    )  # fmt: skip


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


def _loglik(family: Any, args: tuple[float, ...], low: np.ndarray, high: np.ndarray) -> float:
    """The log-likelihood of days known exactly, to an interval, or censored (as :func:`interval_data` reads them)."""
    exact = low == high
    right = ~exact & np.isinf(high)
    left = ~exact & ~right & (low <= 0)
    interval = ~(exact | right | left)
    between = family.cdf(high[interval], *args) - family.cdf(low[interval], *args)
    return float(
        family.logpdf(low[exact], *args).sum()
        + family.logsf(low[right], *args).sum()
        + family.logcdf(high[left], *args).sum()
        + np.log(between).sum()
    )


def fit_durations(group: str, rows: pd.DataFrame) -> tuple[Fit, ...]:
    """Total durations of a group: lognormal and Weibull, censored MLE, the lower AIC chosen.

    Each duration counts as what the record knows of it (``low``, ``high``; see
    :func:`~sim.studies.calibration.observed.duration_observations`): exact, an interval where the
    dates are known to the month (both in one month: up to a month, left-censored), or at least its
    days so far where the contingent is still out (right-censored).  The goodness of fit compares
    the fitted CDF with the 1st-of-the-month reading of the positive durations (:func:`_goodness`).
    With fewer than :data:`MIN_FIT` durations that have ended, or when the lognormal's spread
    collapses onto a point every interval holds (:data:`MIN_SIGMA`), nothing is fitted: one ``none`` row.
    """
    censored_all = rows["censored"].to_numpy(dtype=bool)
    low = rows["low"].to_numpy(dtype=float) if "low" in rows else rows["days"].to_numpy(dtype=float)
    high = rows["high"].to_numpy(dtype=float) if "high" in rows else np.where(censored_all, np.inf, low)
    inexact = int(((low != high) & ~censored_all).sum())
    note = f"{inexact} known to an interval (month-precision dates)" if inexact else ""
    counts = {"n": len(rows), "n_censored": int(censored_all.sum()), "n_approximate": int(rows["approximate"].sum())}
    if len(rows) - censored_all.sum() < MIN_FIT:
        why = f"not fitted: fewer than {MIN_FIT} uncensored durations"
        return (
            Fit("duration", group, group, **counts, dist="none", params={}, note="; ".join(filter(None, [why, note]))),
        )
    data = interval_data(pd.Series(low), pd.Series(high))
    positive = rows["days"].to_numpy(dtype=float) > 0
    x, censored = rows["days"].to_numpy(dtype=float)[positive], censored_all[positive]
    fits = []
    for name, family in DURATION_FAMILIES.items():
        shape, _, scale = family.fit(data, floc=0)
        loglik = _loglik(family, (shape, 0, scale), low, high)
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
    if fits[0].params["sigma"] < MIN_SIGMA:  # the lognormal's: a point every interval holds fits them all
        why = "not fitted: the intervals share a point and the spread collapses"
        return (Fit("duration", group, group, **counts, dist="none", params={}, note=f"{why}; {note}"),)
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
    the larger of the most any deployment of the sample was extended and the count the fitted
    geometric exceeds with probability :data:`TAIL`: capping at the sample's maximum would put the
    longest real deployment at the very edge of what the model can do.
    Every real ending counts as a period end not extended, whatever its cause.
    """
    rows, sample = _count_sample(counts, group)
    if rows.empty:
        return None
    extended = int(rows["extensions"].sum())
    ended = int(rows["ended"].sum())
    probability = extended / (extended + ended)
    tail = tail_cap(probability)
    return Fit(
        "extension_probability",
        group_label(group),
        sample,
        n=len(rows),
        n_censored=len(rows) - ended,
        n_approximate=int(rows["approximate"].sum()),
        dist="geometric",
        params={"probability": probability, "max_extensions": float(max(rows["extensions"].max(), tail))},
        note=f"{extended} derived extensions, {ended} endings",
    )


@dataclass(frozen=True)
class Fits:
    """Every fit of a calibration, keyed by data group (extension probabilities included).

    ``lag``, ``lead``, ``request`` and ``withdrawal`` are the procedure's, one for all groups;
    ``lead``, ``request`` and ``withdrawal`` are None when the record has no observation of them.
    ``first_periods`` are the periods of the groups whose contingents all came home in their first
    period (:func:`first_period_only`), fitted to their durations; such a group has no entry in
    ``periods`` and ``lengths`` is not used for it.
    """

    lag: Fit
    lead: Fit | None
    durations: dict[Group, tuple[Fit, ...]]
    periods: dict[Group, Fit]
    lengths: dict[Group, Fit]
    probabilities: dict[Group, Fit]
    counts: pd.DataFrame
    request: Fit | None = None
    withdrawal: Fit | None = None
    first_periods: dict[Group, Fit] = field(default_factory=dict)

    def table(self) -> pd.DataFrame:
        """All fits as one table, one row per fit (both duration families, ``chosen`` marking the one by AIC)."""
        fits = [
            self.lag,
            *(f for f in (self.lead, self.request, self.withdrawal) if f is not None),
            *(f for group in sorted(self.durations) for f in self.durations[group]),
            *(self.periods[g] for g in sorted(self.periods)),
            *(self.first_periods[g] for g in sorted(self.first_periods)),
            *(self.lengths[g] for g in sorted(self.lengths)),
            *(self.probabilities[g] for g in sorted(self.probabilities)),
        ]
        rows = [{**asdict(f), "params": _describe_params(f.params)} for f in fits]
        return pd.DataFrame(rows)


def _describe_params(params: Mapping[str, float]) -> str:
    return ", ".join(f"{k}={v:.4g}" for k, v in params.items())


def fit_all(obs: Observations) -> Fits:
    """Fit every quantity for every data group found in the durations.

    A group whose contingents all came home in their first period (:func:`first_period_only`) gets
    its period from its durations (:func:`first_period`) and an extension probability of 0, in
    place of the plan periods and the derived counts.
    """
    groups = sorted(set(zip(obs.durations["operation"], obs.durations["kind"], strict=True)))
    periods = plan_fits(obs.periods, groups, "period")
    lengths = plan_fits(obs.extensions, groups, "extension_length")
    counts = extension_counts(obs.durations, periods, lengths)
    lag = fit_lag(obs.lags)
    short = [g for g in groups if first_period_only(counts, g)]
    first_periods = {
        g: first_period(g, obs.durations[(obs.durations["operation"] == g[0]) & (obs.durations["kind"] == g[1])], lag)
        for g in short
    }
    probabilities = {g: f for g in groups if (f := extension_probability(counts, g)) is not None}
    probabilities.update({g: no_extension(counts, g) for g in short})
    durations = {
        g: fit_durations(
            group_label(g), obs.durations[(obs.durations["operation"] == g[0]) & (obs.durations["kind"] == g[1])]
        )
        for g in groups
    }
    return Fits(
        lag,
        fit_lead(obs.extensions),
        durations,
        {g: f for g, f in periods.items() if g not in first_periods},
        lengths,
        probabilities,
        counts,
        request=fit_request(obs.requests),
        withdrawal=fit_withdrawal(obs.withdrawals),
        first_periods=first_periods,
    )
