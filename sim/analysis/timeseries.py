"""Time series across replications: persons engaged, deployments per state, approvals pending.

One replication's trajectory is a step function read from the tables: ``.engaged``'s ``total``
after each change, each deployment's ``state`` after each event of ``.events``, and an approval
pending from ``approval_sought`` to the next ``approval_granted``, ``approval_denied`` or
``approval_lapsed``.  Sampled on a daily, weekly or monthly grid, the replications become bands
(median and a 5-95% range by default) per design point, which say what a modeller can expect
over time, not only at the end.

Reads pandas frames only (never SimPy); each design point is computed on its own, so memory
grows with the replications of one point, not with the sweep.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

import numpy as np
import pandas as pd

from sim.eventlog import ALLIANCE_LANES, Event, State

Every = Literal["day", "week", "month"]

ENGAGED = "engaged"
PENDING = "approvals_pending"
STATE_SERIES = tuple(f"state:{s.value}" for s in State)
SERIES = (ENGAGED, *STATE_SERIES, PENDING)
"""Every series, in the order of the tables: persons engaged, deployments in each state, approvals pending."""

_OPENS = (Event.APPROVAL_SOUGHT.value,)
_CLOSES = (Event.APPROVAL_GRANTED.value, Event.APPROVAL_DENIED.value, Event.APPROVAL_LAPSED.value)


def grid(events: pd.DataFrame, every: Every = "day", end: float | None = None) -> pd.DataFrame:
    """The sampling moments: ``t`` (days from the scenario's start) and its ``date``.

    ``end`` defaults to the last event; months start on the first of each month, so a monthly
    series reads like a calendar.
    """
    if events.empty:
        raise ValueError("events: the table is empty, so there is no time axis to sample")
    if every not in ("day", "week", "month"):
        raise ValueError(f"every: {every!r} is not one of day, week, month")
    first = events.iloc[0]
    start = pd.Timestamp(first["date"]) - pd.to_timedelta(float(first["t"]), unit="D")
    last = float(events["t"].max()) if end is None else float(end)
    if every == "month":
        dates = pd.date_range(start.to_period("M").to_timestamp(), start + pd.to_timedelta(last, unit="D"), freq="MS")
        dates = dates[dates >= start]
        t = ((dates - start) / pd.Timedelta(days=1)).to_numpy(dtype=float)
    else:
        t = np.arange(0.0, last + 1, 7.0 if every == "week" else 1.0)
        dates = start + pd.to_timedelta(t, unit="D")
    return pd.DataFrame({"t": t, "date": pd.DatetimeIndex(dates).as_unit("ms")})


def _steps(
    rep: np.ndarray, t: np.ndarray, key: np.ndarray, delta: np.ndarray, shape: tuple[int, int], at: np.ndarray
) -> np.ndarray:
    """Sums of step changes: ``out[r, k, i]`` adds the ``delta`` of key ``k`` in replication ``r`` up to ``at[i]``.

    One vectorised pass per design point, where a loop over replications and lanes would crawl.
    """
    n_rep, n_key = shape
    out = np.zeros((n_rep, n_key, len(at) + 1))
    column = np.searchsorted(at, t, side="left")  # a change at t counts from the first moment at or after t
    np.add.at(out, (rep, key, column), delta)
    return np.cumsum(out, axis=2)[:, :, :-1]


def _lanes(events: pd.DataFrame) -> pd.DataFrame:
    """The deployments' rows only (the alliance's lanes have their own states), in log order."""
    lane = events["deployment"].astype(str)
    return events[~lane.isin(ALLIANCE_LANES)]


def _state_changes(rows: pd.DataFrame, value: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Each row's new value and the value it replaces in the same lane (NaN for a lane's first row)."""
    lane = [rows["replication"].to_numpy(), rows["deployment"].astype(str).to_numpy()]
    previous = value.groupby(lane, sort=False).shift(1)
    return value, previous


def _point(events: pd.DataFrame, engaged: pd.DataFrame, replications: np.ndarray, at: np.ndarray) -> np.ndarray:
    """Every series of one design point: an array of replications x series x moments."""
    position = {int(r): i for i, r in enumerate(replications)}
    n_rep = len(replications)
    out = np.zeros((n_rep, len(SERIES), len(at)))
    if not engaged.empty:
        rows = engaged.sort_values(["replication", "t"], kind="stable")
        total = rows["total"].astype(float)
        delta = total - total.groupby(rows["replication"].to_numpy()).shift(1).fillna(0.0)
        rep = rows["replication"].map(position).to_numpy()
        zero = np.zeros(len(rows), int)
        out[:, 0] = _steps(rep, rows["t"].to_numpy(float), zero, delta.to_numpy(), (n_rep, 1), at)[:, 0]
    lanes = _lanes(events)
    if lanes.empty:
        return out
    code = {s.value: k for k, s in enumerate(State)}
    new, old = _state_changes(lanes, lanes["state"].astype(str).map(code).astype(float))
    keep = new.notna()
    rep = lanes["replication"].map(position).to_numpy()
    t = lanes["t"].to_numpy(float)
    on = np.flatnonzero(keep.to_numpy())
    off = np.flatnonzero((keep & old.notna()).to_numpy())
    states = _steps(
        np.concatenate([rep[on], rep[off]]),
        np.concatenate([t[on], t[off]]),
        np.concatenate([new.to_numpy()[on], old.to_numpy()[off]]).astype(int),
        np.concatenate([np.ones(len(on)), -np.ones(len(off))]),
        (n_rep, len(State)),
        at,
    )
    out[:, 1 : 1 + len(State)] = states
    event = lanes["event"].astype(str)
    approvals = lanes[event.isin(_OPENS + _CLOSES)]
    if not approvals.empty:
        flag = approvals["event"].astype(str).isin(_OPENS).astype(float)
        now, before = _state_changes(approvals, flag)
        delta = (now - before.fillna(0.0)).to_numpy()
        rep = approvals["replication"].map(position).to_numpy()
        pending = _steps(rep, approvals["t"].to_numpy(float), np.zeros(len(approvals), int), delta, (n_rep, 1), at)
        out[:, -1] = pending[:, 0]
    return out


def _points(events: pd.DataFrame, engaged: pd.DataFrame) -> Iterator[tuple[int | None, pd.DataFrame, pd.DataFrame]]:
    for name, frame in (("events", events), ("engaged", engaged)):
        missing = {"replication", "t"} - set(frame.columns)
        if missing:
            raise ValueError(f"{name}: no column {', '.join(sorted(missing))}; pass the .{name} table of a run")
    if "point" not in events:
        yield None, events, engaged
        return
    for point, rows in events.groupby("point", sort=True):
        yield int(point), rows, engaged[engaged["point"] == point] if "point" in engaged else engaged.iloc[0:0]


def trajectories(
    events: pd.DataFrame, engaged: pd.DataFrame, *, every: Every = "day", end: float | None = None
) -> pd.DataFrame:
    """Every replication's value of every series at every moment of the grid (a long table).

    Columns: ``point`` (when the tables have one), ``replication``, ``series``, ``t``, ``date``,
    ``value``.  Large: prefer :func:`bands` for a sweep.
    """
    moments = grid(events, every, end)
    frames = []
    for point, ev, en in _points(events, engaged):
        replications = np.sort(ev["replication"].unique())
        values = _point(ev, en, replications, moments["t"].to_numpy())
        n_rep, n_series, n_t = values.shape
        frame = pd.DataFrame(
            {
                "replication": np.repeat(replications, n_series * n_t),
                "series": pd.Categorical(np.tile(np.repeat(SERIES, n_t), n_rep), categories=SERIES),
                "t": np.tile(moments["t"].to_numpy(), n_rep * n_series),
                "date": np.tile(moments["date"].to_numpy(), n_rep * n_series),
                "value": values.reshape(-1),
            }
        )
        if point is not None:
            frame.insert(0, "point", np.int32(point))
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)


def bands(
    events: pd.DataFrame,
    engaged: pd.DataFrame,
    *,
    every: Every = "day",
    end: float | None = None,
    levels: tuple[float, float] = (0.05, 0.95),
) -> pd.DataFrame:
    """Median and a range (5% and 95% by default) across replications, per point, series and moment.

    Columns: ``point`` (when the tables have one), ``series``, ``t``, ``date``, ``low``,
    ``median``, ``high``, ``mean`` and ``replications``.  With one replication (or a
    deterministic scenario) the band is that trajectory.
    """
    low, high = levels
    if not 0 <= low <= 0.5 <= high <= 1:
        raise ValueError(f"levels: {levels!r} must be two quantiles with low <= 0.5 <= high, e.g. (0.05, 0.95)")
    moments = grid(events, every, end)
    frames = []
    for point, ev, en in _points(events, engaged):
        replications = np.sort(ev["replication"].unique())
        values = _point(ev, en, replications, moments["t"].to_numpy())
        q = np.quantile(values, [low, 0.5, high], axis=0)  # quantiles x series x moments
        n_series, n_t = values.shape[1:]
        frame = pd.DataFrame(
            {
                "series": pd.Categorical(np.repeat(SERIES, n_t), categories=SERIES),
                "t": np.tile(moments["t"].to_numpy(), n_series),
                "date": np.tile(moments["date"].to_numpy(), n_series),
                "low": q[0].reshape(-1),
                "median": q[1].reshape(-1),
                "high": q[2].reshape(-1),
                "mean": values.mean(axis=0).reshape(-1),
                "replications": len(replications),
            }
        )
        if point is not None:
            frame.insert(0, "point", np.int32(point))
        frames.append(frame)
    table = pd.concat(frames, ignore_index=True)
    table.attrs["levels"] = (low, high)  # the figure's legend says which band it draws
    return table
