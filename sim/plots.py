"""Figures from the result tables; each function returns a matplotlib Figure to restyle.

Reads only the pandas tables (never SimPy), uses a colour-blind-safe palette (Okabe-Ito) and
labels axes with units, so that a figure can be read without the code that made it.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")  # files, not windows: the CLI and tests run without a display

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

STATE_COLOURS = {
    "requested": "#BBBBBB",
    "decided": "#E69F00",
    "awaiting_approval": "#F0E442",
    "deployed": "#009E73",
    "interrupted": "#D55E00",
    "suspended": "#CC79A7",
    "withdrawing": "#56B4E9",
}
MARKED_EVENTS = {
    "cabinet_decision": ("D", "Cabinet decision (Art. 6(1))"),
    "dispatch_started": ("^", "dispatch (Art. 9(1))"),
    "plan_amended": ("s", "plan amended (Art. 6(13))"),
    "termination_decided": ("X", "termination decided"),
}


def timeline(events: pd.DataFrame, replication: int = 0) -> Figure:
    """One swimlane per deployment, coloured by state, key events marked, dates on the axis."""
    ev = events[events["replication"] == replication]
    if ev.empty:
        raise ValueError(f"no events for replication {replication}")
    lanes = [d for d in ev["deployment"].cat.categories if (ev["deployment"] == d).any()]
    fig, ax = plt.subplots(figsize=(11, 0.6 * len(lanes) + 1.8))
    end = ev["date"].max()
    for y, dep in enumerate(lanes):
        rows = ev[ev["deployment"] == dep]
        dates = [*list(rows["date"]), end]
        for i, state in enumerate(rows["state"].astype(str)):
            colour = STATE_COLOURS.get(state)
            if colour is None or dates[i + 1] <= dates[i]:
                continue
            span = mdates.date2num(dates[i + 1]) - mdates.date2num(dates[i])
            ax.barh(y, span, left=mdates.date2num(dates[i]), height=0.6, color=colour, gid=f"lane:{dep}")
        for event, (marker, _) in MARKED_EVENTS.items():
            hits = rows[rows["event"] == event]
            ax.scatter(hits["date"], [y] * len(hits), marker=marker, color="black", s=28, zorder=3)
    ax.set_yticks(range(len(lanes)), lanes)
    ax.invert_yaxis()
    ax.xaxis_date()
    ax.set_xlabel("date")
    ax.set_title(f"Deployments over time, replication {replication}")
    handles = [Patch(color=c, label=s) for s, c in STATE_COLOURS.items() if (ev["state"] == s).any()]
    handles += [
        plt.Line2D([], [], marker=m, color="black", linestyle="", label=label) for m, label in MARKED_EVENTS.values()
    ]
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=4, frameon=False)
    fig.tight_layout()
    return fig


DURATIONS = {
    "days_request_to_decision": "request to Cabinet decision",
    "days_decision_to_dispatch": "Cabinet decision to dispatch",
    "days_deployed": "days deployed (censored at horizon)",
}


def durations(deployments: pd.DataFrame) -> Figure:
    """Histograms of the key durations over all replications, one panel per duration."""
    fig, axes = plt.subplots(1, len(DURATIONS), figsize=(12, 3.6))
    for ax, (column, title) in zip(axes, DURATIONS.items(), strict=True):
        values = deployments[column].dropna()
        ax.hist(values, bins=30, color="#0072B2")
        ax.set_title(title)
        ax.set_xlabel("days")
        ax.set_ylabel("deployments x replications")
    fig.suptitle(f"Durations over {deployments['replication'].nunique()} replications")
    fig.tight_layout()
    return fig
