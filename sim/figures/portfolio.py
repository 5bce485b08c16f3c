"""Figures of a portfolio over the years: person-days engaged and the cap, per calendar year.

Why: a portfolio with request streams runs for decades, and its first questions are per year (how
much Japan has engaged abroad, and whether the 2,000-person cap of Art. 19(1) was reached).  Reads
the tables of :func:`sim.analysis.person_days_by_year` only.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from sim.figures.run import OKABE_ITO


def person_days(by_year: pd.DataFrame, cap: int | None = None, subtitle: str = "") -> Figure:
    """Person-days engaged per calendar year (mean and 5-95% range across replications, left) and
    the most persons engaged at once in the year (mean and range, right, against ``cap``)."""
    if by_year.empty:
        raise ValueError("by_year: the table is empty; pass sim.analysis.person_days_by_year(...)")
    years = by_year.groupby("year")
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 3.8), layout="constrained")
    for ax, column, unit in ((left, "person_days", "person-days engaged"), (right, "peak", "most persons at once")):
        stats = years[column].agg(["mean", lambda s: s.quantile(0.05), lambda s: s.quantile(0.95)])
        stats.columns = ["mean", "low", "high"]
        ax.fill_between(stats.index, stats["low"], stats["high"], color=OKABE_ITO[1], alpha=0.3, label="5-95%")
        ax.plot(stats.index, stats["mean"], color=OKABE_ITO[1], label="mean")
        ax.set_xlabel("calendar year")
        ax.set_ylabel(unit)
    if cap is not None:
        right.axhline(cap, color=OKABE_ITO[5], linestyle="--", label=f"cap {cap:,} (Art. 19(1))")
    right.legend(loc="upper right", fontsize="small")
    n = by_year["replication"].nunique()
    title = f"The portfolio per year ({n:,} replications)"
    fig.suptitle(f"{title}\n{subtitle}" if subtitle else title)
    return fig
