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

A duration known only to the month is an interval (:func:`~sim.studies.calibration.observed.duration_observations`
gives ``low`` and ``high``): it is in the band when the interval and the band overlap, and the
``point_in_band`` column says whether the point read with the 1st-of-the-month convention is too.
An ongoing contingent (right-censored) is in the band when the band reaches its days so far.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from sim.studies.calibration.observed import Group, group_label

BAND = (0.05, 0.95)
"""The forecast band's quantiles of the simulated days deployed."""


def _represented_by(group: Group, targets: Mapping[str, Group]) -> tuple[list[str], str]:
    """The scenario deployments that stand for a data group, and how they were chosen."""
    same = [t for t, g in targets.items() if g == group]
    if same:
        return same, "group"
    kind = [t for t, g in targets.items() if g[1] == group[1]]
    return kind, ("kind" if kind else "none")


def simulated_days(deployments: pd.DataFrame, ids: Sequence[str]) -> np.ndarray:
    """The days deployed of the given deployments over all replications; still running at the horizon: +inf.

    A deployment still running at the horizon lasted at least that long, so it can only lift the
    band's top: with more than 5% of them running, the 95% quantile is unbounded.
    """
    mine = deployments[deployments["deployment"].isin(list(ids)) & deployments["days_deployed"].notna()]
    return mine["days_deployed"].to_numpy(dtype=float) + np.where(mine["censored"].to_numpy(dtype=bool), np.inf, 0)


def band_of(values: np.ndarray) -> tuple[float, float]:
    """The :data:`BAND` quantiles of ``values`` (observed values only, so +inf stays +inf, never NaN)."""
    if len(values) == 0:
        return np.nan, np.nan
    low, high = np.quantile(values, BAND, method="inverted_cdf")
    return float(low), float(high)


def forecast_band(durations: pd.DataFrame, targets: Mapping[str, Group], simulated: pd.DataFrame) -> pd.DataFrame:
    """One row per real contingent: its duration, the band of the deployment that represents it, in or out.

    ``durations`` has the columns of :func:`~sim.studies.calibration.observed.duration_observations`
    (``low``/``high`` optional: without them the duration is a point); ``targets`` maps each
    calibrated scenario deployment to its data group; ``simulated`` is the simulation's deployments
    table.  Columns: mission, contingent, group, represented_by, matched_by, days, low, high,
    censored, band_low, band_high, in_band, point_in_band, n_simulated.
    """
    rows = []
    for _, obs in durations.iterrows():
        group = (str(obs["operation"]), str(obs["kind"]))
        ids, how = _represented_by(group, targets)
        values = simulated_days(simulated, ids)
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
                "represented_by": ", ".join(ids),
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
