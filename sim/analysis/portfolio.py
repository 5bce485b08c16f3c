"""A portfolio over the years: person-days, the cap, states over time, approvals, with intervals.

Why: with requests that arrive as a process (request streams), a run is a portfolio over decades,
and the questions asked of it are per year and per decade: how many person-days a year Japan has
engaged abroad, how often the 2,000-person cap of Art. 19(1) binds in a year and how long
dispatches waited for it, how many deployments are in each state over time, how many times a
decade the Diet's approval is sought (Art. 6(7), 6(10)) and what share of the seven-day targets of
Art. 6(8) are missed.

Every measure is first a value per replication (replications are independent); the summaries give
its mean with a t confidence interval across replications (:func:`sim.analysis.mean_interval`,
clipped to the values the measure can take: no negative counts, no probability above 1) and its
5-95% range.  Reads the run's tables only (``.events``, ``.deployments``, ``.engaged``),
so it works on a fresh result and on Parquet read back from a folder alike; ``start`` and ``end``
are the scenario's start and horizon (``result.scenario.start``, ``.end_date``).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from sim.analysis.metrics import mean_interval
from sim.analysis.timeseries import STATE_SERIES, Every, trajectories
from sim.eventlog import Event

DateLike = dt.date | str | pd.Timestamp

SUMMARY = ("measure", "unit", "mean", "ci_low", "ci_high", "p05", "p95", "replications")
"""Columns of :func:`portfolio_summary`: a measure's mean with its 95% interval, and its 5-95% range."""


def _day(start: DateLike, date: DateLike) -> float:
    return float((pd.Timestamp(date) - pd.Timestamp(start)) / pd.Timedelta(days=1))


def _check_run(start: DateLike, end: DateLike) -> None:
    if pd.Timestamp(end) <= pd.Timestamp(start):
        raise ValueError(f"end: {end} is not after start {start}")


def _replications(*frames: pd.DataFrame, given: np.ndarray | None = None) -> np.ndarray:
    """The replications ``given``, else every replication any of the tables mentions, in order."""
    if given is not None:
        return np.asarray(given)
    found = [f["replication"].to_numpy() for f in frames if "replication" in f and not f.empty]
    return np.unique(np.concatenate(found)) if found else np.array([], dtype=int)


def years(start: DateLike, end: DateLike) -> pd.DataFrame:
    """The calendar years of the run: ``year``, its first and last+1 day as days of the run, and
    ``days`` inside the run (less than a full year at either end of a run that starts or ends mid-year)."""
    _check_run(start, end)
    first, last = pd.Timestamp(start), pd.Timestamp(end)
    rows = []
    for year in range(first.year, (last - pd.Timedelta(days=1)).year + 1):
        lo = max(_day(start, f"{year}-01-01"), 0.0)
        hi = min(_day(start, f"{year + 1}-01-01"), _day(start, end))
        rows.append((year, lo, hi, hi - lo))
    return pd.DataFrame(rows, columns=["year", "from_t", "to_t", "days"])


def _event_year(rows: pd.DataFrame) -> np.ndarray:
    return pd.DatetimeIndex(rows["date"]).year.to_numpy()


def person_days_by_year(engaged: pd.DataFrame, start: DateLike, end: DateLike) -> pd.DataFrame:
    """Person-days engaged under the cap (Art. 19(1)) in each calendar year, per replication.

    Integrates ``.engaged``'s ``total`` (persons engaged across the portfolio after each change)
    over time.  Columns: ``replication``, ``year``, ``days`` (of the year inside the run),
    ``person_days``, ``peak`` (the most persons engaged at once that year).
    """
    span = years(start, end)
    horizon = _day(start, end)
    rows = engaged.sort_values(["replication", "t"], kind="stable")
    out = []
    for rep, one in rows.groupby("replication", sort=True):
        last = one.drop_duplicates("t", keep="last")
        t = np.append(last["t"].to_numpy(float), horizon)
        total = last["total"].to_numpy(float)
        cumulative = np.concatenate([[0.0], np.cumsum(np.diff(t) * total)])
        at = np.interp(np.append(span["from_t"], span["to_t"].iloc[-1]), t, cumulative, left=0.0)
        peaks = [float(total[(t[1:] > lo) & (t[:-1] < hi)].max(initial=0.0))
                 for lo, hi in zip(span["from_t"], span["to_t"], strict=True)]  # fmt: skip
        out.append(pd.DataFrame({"replication": rep, "year": span["year"], "days": span["days"],
                                 "person_days": np.diff(at), "peak": peaks}))  # fmt: skip
    columns = ["replication", "year", "days", "person_days", "peak"]
    return pd.concat(out, ignore_index=True)[columns] if out else pd.DataFrame(columns=columns)


def cap_by_year(
    events: pd.DataFrame,
    deployments: pd.DataFrame,
    start: DateLike,
    end: DateLike,
    replications: np.ndarray | None = None,
) -> pd.DataFrame:
    """Whether the cap bound in each calendar year, per replication, and the days dispatches waited.

    The cap *binds* in a year when some dispatch (or reinforcement) of that year could not go in
    full because the persons engaged would pass the limit: a ``cap_wait`` event (Art. 19(1)).  A
    deployment's ``days_waited_for_cap`` counts in the year of its first ``cap_wait``.  Columns:
    ``replication``, ``year``, ``binds``, ``waits`` (cap_wait events), ``days_waited``.
    ``replications`` lists the replications to report (default: those the tables mention), for
    ``events`` read with only the events counted here.
    """
    span = years(start, end)
    reps = _replications(events, deployments, given=replications)
    grid = pd.MultiIndex.from_product([reps, span["year"]], names=["replication", "year"])
    waits = events[events["event"].astype(str) == Event.CAP_WAIT.value]
    waits = waits.assign(year=_event_year(waits))
    counted = waits.groupby(["replication", "year"]).size()
    first = waits.drop_duplicates(["replication", "deployment"], keep="first")
    columns = ["replication", "deployment", "days_waited_for_cap"]
    waited = deployments.loc[deployments["days_waited_for_cap"] > 0, columns]
    keyed = first[["replication", "deployment", "year"]].astype({"deployment": str})
    joined = waited.astype({"deployment": str}).merge(keyed, on=["replication", "deployment"], how="inner")
    days = joined.groupby(["replication", "year"])["days_waited_for_cap"].sum()
    frame = pd.DataFrame(index=grid)
    frame["waits"] = counted.reindex(grid, fill_value=0).astype(int)
    frame["binds"] = frame["waits"] > 0
    frame["days_waited"] = days.reindex(grid, fill_value=0.0).astype(float)
    return frame.reset_index()[["replication", "year", "binds", "waits", "days_waited"]]


def approvals_by_decade(
    events: pd.DataFrame, start: DateLike, end: DateLike, replications: np.ndarray | None = None
) -> pd.DataFrame:
    """Diet approvals sought (prior, after the fact and renewals, Art. 6(7), 6(10)) per calendar decade.

    Columns: ``replication``, ``decade`` (its first year), ``years`` (of the decade inside the run),
    ``sought``, ``per_decade`` (``sought`` scaled to ten years, so a partial decade compares).
    ``replications`` as for :func:`cap_by_year`.
    """
    span = years(start, end)
    span["decade"] = span["year"] // 10 * 10
    covered = span.groupby("decade")["days"].sum() / 365.25
    reps = _replications(events, given=replications)
    grid = pd.MultiIndex.from_product([reps, covered.index], names=["replication", "decade"])
    sought = events[events["event"].astype(str) == Event.APPROVAL_SOUGHT.value]
    counts = sought.assign(decade=_event_year(sought) // 10 * 10).groupby(["replication", "decade"]).size()
    frame = pd.DataFrame(index=grid)
    frame["sought"] = counts.reindex(grid, fill_value=0).astype(int)
    frame = frame.reset_index()
    frame["years"] = frame["decade"].map(covered).to_numpy()
    frame["per_decade"] = frame["sought"] * 10 / frame["years"]
    return frame[["replication", "decade", "years", "sought", "per_decade"]]


def targets_missed(events: pd.DataFrame, replications: np.ndarray | None = None) -> pd.DataFrame:
    """Each replication's House decisions under the seven-day targets of Art. 6(8), and the share missed.

    Only decisions the targets apply to count (``house_decided`` with ``target met`` or ``target
    missed``; not ``target n/a``).  Columns: ``replication``, ``decisions``, ``missed``, ``share``
    (NaN for a replication with no such decision).  ``replications`` as for :func:`cap_by_year`.
    """
    decided = events[events["event"].astype(str) == Event.HOUSE_DECIDED.value]
    detail = decided["detail"].astype(str)
    counted = decided.assign(decisions=detail.str.contains("target m").astype(int),
                             missed=detail.str.contains("target missed").astype(int))  # fmt: skip
    reps = pd.Index(_replications(events, given=replications), name="replication")
    frame = counted.groupby("replication")[["decisions", "missed"]].sum().reindex(reps, fill_value=0)
    frame["share"] = frame["missed"] / frame["decisions"].where(frame["decisions"] > 0)
    return frame.reset_index()


def states_over_time(events: pd.DataFrame, engaged: pd.DataFrame, *, every: Every = "month") -> pd.DataFrame:
    """Deployments in each state over time: mean across replications with a 95% interval.

    Columns: ``state``, ``t``, ``date``, ``mean``, ``ci_low``, ``ci_high``, ``p05``, ``p95``.
    """
    paths = trajectories(events, engaged, every=every)
    paths = paths[paths["series"].astype(str).isin(STATE_SERIES)]
    rows = []
    for (series, t), one in paths.groupby([paths["series"].astype(str), "t"], sort=False):
        values = one["value"].to_numpy(float)
        mean, lo, hi = _interval(values)
        rows.append((series.removeprefix("state:"), t, one["date"].iloc[0], mean, lo, hi,
                     float(np.quantile(values, 0.05)), float(np.quantile(values, 0.95))))  # fmt: skip
    return pd.DataFrame(rows, columns=["state", "t", "date", "mean", "ci_low", "ci_high", "p05", "p95"])


def _interval(values: np.ndarray, top: float = np.inf) -> tuple[float, float, float]:
    """Mean and 95% t interval, clipped to the values a count, day or share can take (0 up to ``top``)."""
    mean, _, lo, hi = mean_interval(values)
    return mean, float(np.clip(lo, 0.0, top)), float(np.clip(hi, 0.0, top))


MEASURES = (
    ("requested", "deployments requested", "per replication", np.inf),
    ("dispatched", "deployments dispatched", "per replication", np.inf),
    ("person_days", "person-days engaged", "per year", np.inf),
    ("peak", "peak persons engaged", "per year", np.inf),
    ("cap_binds", "cap binds (Art. 19(1))", "probability in a year", 1.0),
    ("days_waited", "days dispatches waited for the cap", "per year", np.inf),
    ("approvals_sought", "Diet approvals sought (Art. 6(7), 6(10))", "per decade", np.inf),
    ("targets_missed", "7-day targets missed (Art. 6(8))", "share of House decisions", 1.0),
)
"""The portfolio's measures: column of :func:`portfolio_per_replication`, name, unit, and the most it can be."""

PORTFOLIO_EVENTS = (Event.CAP_WAIT.value, Event.APPROVAL_SOUGHT.value, Event.HOUSE_DECIDED.value)
"""The only events :func:`portfolio_per_replication` reads: a scan may read just these (and pass ``replications``)."""


def _row(measure: str, unit: str, values: pd.Series, top: float = np.inf) -> tuple:
    array = values.to_numpy(float)
    mean, lo, hi = _interval(array, top)
    finite = array[~np.isnan(array)]
    p05, p95 = np.quantile(finite, [0.05, 0.95]) if len(finite) else (np.nan, np.nan)
    return (measure, unit, mean, lo, hi, float(p05), float(p95), len(finite))


def portfolio_per_replication(
    events: pd.DataFrame,
    deployments: pd.DataFrame,
    engaged: pd.DataFrame,
    start: DateLike,
    end: DateLike,
    replications: np.ndarray | None = None,
    *,
    persons: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Each replication's value of every portfolio measure: one row per replication, a column each (:data:`MEASURES`).

    Per full calendar year of the run for person-days and the cap, per decade scaled to ten years
    for approvals.  Replications are independent, so a sweep's tables can be given a part at a time
    and the rows concatenated (what ``pko-sim report`` does); ``events`` then need only the
    :data:`PORTFOLIO_EVENTS`, with ``replications`` naming every replication of the part.
    ``persons`` is :func:`person_days_by_year` of ``engaged`` if the caller has it already.
    """
    full = years(start, end)
    full_years = full.loc[full["days"] >= 365, "year"]
    reps = _replications(events, deployments, engaged, given=replications)
    persons = person_days_by_year(engaged, start, end) if persons is None else persons
    persons = persons[persons["year"].isin(full_years)].groupby("replication")
    cap = cap_by_year(events, deployments, start, end, replications=replications)
    cap = cap[cap["year"].isin(full_years)].groupby("replication")
    approvals = approvals_by_decade(events, start, end, replications=replications)
    weighted = approvals.assign(w=approvals["years"]).groupby("replication")
    targets = targets_missed(events, replications=replications).set_index("replication")["share"]
    per_decade = weighted.apply(lambda g: g["sought"].sum() * 10 / g["w"].sum())
    dispatched = deployments[deployments["dispatch_date"].notna()].groupby("replication").size()
    columns = {
        "requested": deployments.groupby("replication").size().reindex(reps, fill_value=0),
        "dispatched": dispatched.reindex(reps, fill_value=0),
        "person_days": persons["person_days"].mean().reindex(reps, fill_value=0.0),
        "peak": persons["peak"].mean().reindex(reps, fill_value=0.0),
        "cap_binds": cap["binds"].mean().reindex(reps),
        "days_waited": cap["days_waited"].mean().reindex(reps),
        "approvals_sought": per_decade.reindex(reps) if len(per_decade) else pd.Series(np.nan, index=reps),
        "targets_missed": targets.reindex(reps),
    }
    table = pd.DataFrame({name: values.to_numpy(float) for name, values in columns.items()}, index=reps)
    return table.rename_axis("replication")


def summarize_portfolio(per_replication: pd.DataFrame) -> pd.DataFrame:
    """The measures of :func:`portfolio_per_replication` averaged over replications: mean, 95% interval,
    5-95% range (columns :data:`SUMMARY`), clipped to the values each can take."""
    rows = [_row(name, unit, per_replication[column], top) for column, name, unit, top in MEASURES]
    return pd.DataFrame(rows, columns=list(SUMMARY))


def portfolio_summary(
    events: pd.DataFrame, deployments: pd.DataFrame, engaged: pd.DataFrame, start: DateLike, end: DateLike
) -> pd.DataFrame:
    """The portfolio's measures, one row each, averaged over replications with a 95% interval.

    Per replication first (person-days and cap figures per full calendar year of the run, approvals
    per decade scaled to ten years), then the mean across replications (columns :data:`SUMMARY`).
    """
    return summarize_portfolio(portfolio_per_replication(events, deployments, engaged, start, end))


def portfolio_by_point(
    events: pd.DataFrame, deployments: pd.DataFrame, engaged: pd.DataFrame, start: DateLike, end: DateLike
) -> pd.DataFrame:
    """:func:`portfolio_summary` for each design point of a sweep (tables with a ``point`` column),
    with ``point`` first; for one run's tables, the summary itself."""
    if "point" not in events:
        return portfolio_summary(events, deployments, engaged, start, end)
    frames = []
    for point, rows in events.groupby("point", sort=True):
        mine = deployments[deployments["point"] == point]
        summary = portfolio_summary(rows, mine, engaged[engaged["point"] == point], start, end)
        summary.insert(0, "point", int(point))
        frames.append(summary)
    return pd.concat(frames, ignore_index=True)
