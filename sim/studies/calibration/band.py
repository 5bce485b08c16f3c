"""The forecast band: does the calibrated model's 5-95% band hold each real contingent's duration?

Why: a fit can match its own sample and the model still miss the record (the lags, the withdrawal
and the field hazards all shape a duration).  The honest test of the calibrated baseline is a
forecast: simulate the calibrated scenario, take the 5% and 95% quantiles of the days deployed of
the scenario deployment that represents each real contingent, and count the contingents whose
duration lies inside (:func:`forecast_band`).  Nothing in the band is fitted to the contingent:
the band is the simulation's, the duration is the record's.

Which deployment represents a contingent: the scenario deployments of its data group (operation
type and model kind, their simulations pooled: they take the same fits), else those of its kind in
any operation type (election observers sent with a UN PKO are compared with the election observers
of an election monitoring plan: the same job on the same calendar), else none (the row says so).
In a scenario with request streams the arrivals stand for a group too: each was drawn as one real
mission, whose largest contingent's group gave it its period and extensions
(:mod:`sim.studies.calibration.arrivals`), so the baseline's band pools every arrival drawn as a
mission of the contingent's group with the listed deployments of that group (:func:`representing`).

A duration known only to the month is an interval (:func:`~sim.studies.calibration.observed.duration_observations`
gives ``low`` and ``high``): it is in the band when the interval and the band overlap, and the
``point_in_band`` column says whether the point read with the 1st-of-the-month convention is too.
An ongoing contingent (right-censored) is in the band when the band reaches its days so far.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from sim.studies.calibration.observed import Group, group_label

BAND = (0.05, 0.95)
"""The forecast band's quantiles of the simulated days deployed."""


ARRIVAL_COLUMNS = ("replication", "deployment", "mission", "operation", "kind")
"""The columns of the arrivals :func:`forecast_band` is given: which template each arrival took and its group."""


def representing(
    deployments: pd.DataFrame, targets: Mapping[str, Group], arrivals: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The simulated deployments that stand for a data group: ``group`` (a :data:`Group`) and ``name`` added.

    A listed deployment stands for its target's group under its own id; an arrival (a row of
    ``arrivals``, :data:`ARRIVAL_COLUMNS`) for the group of the real mission it was drawn as
    (its template's operation and largest contingent's kind, as the streams' fits take it), under
    the mission's name.  Deployments of neither kind stand for nothing and are left out.
    """
    listed = deployments[deployments["deployment"].isin(list(targets))]
    listed = listed.assign(group=[targets[d] for d in listed["deployment"]], name=listed["deployment"].astype(str))
    if arrivals is None or arrivals.empty:
        return listed
    keys = ["replication", "deployment"]
    drawn = deployments.astype({"deployment": str}).merge(arrivals.astype({"deployment": str}), on=keys)
    drawn = drawn.assign(
        group=list(zip(drawn["operation_y"], drawn["kind"], strict=True)),
        name=drawn["mission"].str.removesuffix(" (record)"),
    ).rename(columns={"operation_x": "operation"})
    return pd.concat([listed, drawn[[*listed.columns]]], ignore_index=True)


def _represented_by(group: Group, represented: pd.DataFrame) -> tuple[pd.DataFrame, str]:
    """The simulated deployments that stand for a data group, and how they were chosen."""
    same = represented[[g == group for g in represented["group"]]]
    if len(same):
        return same, "group"
    kind = represented[[g[1] == group[1] for g in represented["group"]]]
    return kind, ("kind" if len(kind) else "none")


def simulated_days(deployments: pd.DataFrame) -> np.ndarray:
    """The days deployed of the given deployments over all replications; still running at the horizon: +inf.

    A deployment still running at the horizon lasted at least that long, so it can only lift the
    band's top: with more than 5% of them running, the 95% quantile is unbounded.
    """
    mine = deployments[deployments["days_deployed"].notna()]
    return mine["days_deployed"].to_numpy(dtype=float) + np.where(mine["censored"].to_numpy(dtype=bool), np.inf, 0)


def band_of(values: np.ndarray) -> tuple[float, float]:
    """The :data:`BAND` quantiles of ``values`` (observed values only, so +inf stays +inf, never NaN)."""
    if len(values) == 0:
        return np.nan, np.nan
    low, high = np.quantile(values, BAND, method="inverted_cdf")
    return float(low), float(high)


def forecast_band(
    durations: pd.DataFrame,
    targets: Mapping[str, Group],
    simulated: pd.DataFrame,
    arrivals: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per real contingent: its duration, the band of the deployment that represents it, in or out.

    ``durations`` has the columns of :func:`~sim.studies.calibration.observed.duration_observations`
    (``low``/``high`` optional: without them the duration is a point); ``targets`` maps each
    calibrated scenario deployment to its data group; ``simulated`` is the simulation's deployments
    table; ``arrivals`` says which real mission each arriving deployment was drawn as
    (:func:`representing`).  Columns: mission, contingent, group, represented_by, matched_by, days, low, high,
    censored, band_low, band_high, in_band, point_in_band, n_simulated.
    """
    represented = representing(simulated, targets, arrivals)
    rows = []
    for _, obs in durations.iterrows():
        group = (str(obs["operation"]), str(obs["kind"]))
        mine, how = _represented_by(group, represented)
        values = simulated_days(mine)
        q_low, q_high = band_of(values)
        days = float(obs["days"])
        censored = bool(obs["censored"])
        low = float(obs["low"]) if "low" in obs else days
        high = np.inf if censored else (float(obs["high"]) if "high" in obs else days)
        known = len(values) > 0
        rows.append(
            {
                "mission": obs["mission"],
                "contingent": obs["contingent"],
                "group": group_label(group),
                "represented_by": ", ".join(dict.fromkeys(mine["name"])),
                "matched_by": how,
                "days": days,
                "low": low,
                "high": high,
                "censored": censored,
                "band_low": q_low,
                "band_high": q_high,
                "in_band": known and low <= q_high and high >= q_low,
                "point_in_band": known and days <= q_high and (censored or days >= q_low),
                "n_simulated": len(values),
            }
        )
    return pd.DataFrame(rows)


def why_outside(row: Mapping[str, object]) -> str:
    """Which side of the band a contingent falls on, in words."""
    if not row["n_simulated"]:
        return "no scenario deployment represents it"
    if row["in_band"]:
        return ""
    return "longer than the band" if float(row["low"]) > float(row["band_high"]) else "shorter than the band"
