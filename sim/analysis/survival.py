"""How long deployments last once dispatched: Kaplan-Meier curves with right-censoring at the horizon.

Reads the ``.deployments`` table only (scipy.stats.ecdf on censored data).
"""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
from scipy import stats


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
