"""Figures of time series across replications: median lines inside their 5-95% bands.

Draws the table of :func:`sim.analysis.timeseries.bands` (never SimPy): persons engaged against
the cap, deployments in each state, approvals pending — one panel each, so a modeller sees when
the cap binds or approvals pile up, and how much the replications disagree about it.
"""

from __future__ import annotations

from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")  # files, not windows: the CLI and tests run without a display

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from sim.figures.run import CAP_COLOUR, OKABE_ITO, STATE_COLOURS

ACTIVE_STATES = ("requested", "decided", "awaiting_approval", "deployed", "interrupted", "suspended", "withdrawing")
"""States drawn by default: a deployment still in the law's process (ended and abandoned only grow)."""


def _band(ax: Axes, rows: pd.DataFrame, colour: str, label: str, gid: str, alpha: float) -> None:
    ax.fill_between(rows["date"], rows["low"], rows["high"], step="post", color=colour, alpha=alpha, linewidth=0)
    ax.step(rows["date"], rows["median"], where="post", color=colour, linewidth=1.6, label=label, gid=gid)


def bands(
    table: pd.DataFrame,
    *,
    points: Sequence[int] | None = None,
    states: Sequence[str] | None = None,
    cap: int | None = None,
) -> Figure:
    """Three panels: persons engaged, deployments per state, approvals pending (median and band).

    One design point colours the states; several (at most seven, ``points`` picks them) colour
    the points instead and draw only ``states`` (default ``deployed``) so the lines stay legible.
    ``cap`` draws the Art. 19(1) limit on the first panel.
    """
    if table.empty:
        raise ValueError("no time series to draw: the table is empty")
    low, high = table.attrs.get("levels", (0.05, 0.95))
    if "point" in table:
        available = sorted(int(p) for p in table["point"].unique())
        chosen = list(points) if points is not None else available[:7]
        unknown = [p for p in chosen if p not in available]
        if unknown:
            raise ValueError(f"points: no design point {unknown[0]}; the table has points {available}")
        if len(chosen) > len(OKABE_ITO):
            raise ValueError(f"points: at most {len(OKABE_ITO)} points fit one figure, not {len(chosen)}")
    else:
        table, chosen = table.assign(point=0), [0]
    several = len(chosen) > 1
    alpha = 0.12 if several else 0.25  # overlapping bands of several points must stay see-through
    shown = list(states) if states is not None else (["deployed"] if several else list(ACTIVE_STATES))
    unknown_states = [s for s in shown if s not in STATE_COLOURS]
    if unknown_states:
        raise ValueError(f"states: {unknown_states[0]!r} is not a deployment state ({', '.join(ACTIVE_STATES)}, ...)")
    fig, (engaged, states_ax, pending) = plt.subplots(3, 1, figsize=(11, 9), sharex=True)
    n = int(table["replications"].max())
    for i, point in enumerate(chosen):
        rows = table[table["point"] == point]
        colour = OKABE_ITO[i]
        suffix = f"point {point}" if several else "median"
        _band(engaged, rows[rows["series"] == "engaged"], colour, suffix, f"engaged:{point}", alpha)
        _band(pending, rows[rows["series"] == "approvals_pending"], colour, suffix, f"pending:{point}", alpha)
        for state in shown:
            part = rows[rows["series"] == f"state:{state}"]
            if not several and part["high"].max() == 0:
                continue  # a state no replication reached: nothing to draw
            label = f"point {point}: {state}" if several else state
            _band(states_ax, part, colour if several else STATE_COLOURS[state], label, f"state:{state}:{point}", alpha)
    if cap is not None:
        engaged.axhline(cap, color=CAP_COLOUR, linestyle="--", linewidth=1.2, label=f"cap {cap:,} (Art. 19(1))")
    engaged.set_ylabel("persons engaged")
    states_ax.set_ylabel("deployments")
    pending.set_ylabel("approvals pending")
    pending.set_xlabel("date")
    for ax in (engaged, states_ax, pending):
        ax.set_ylim(0, max(ax.get_ylim()[1], 1))  # counts: an empty panel still reads 0 to 1
        if ax.get_legend_handles_labels()[0]:
            ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False, fontsize=8)
    fig.suptitle(f"Median and {low:.0%}-{high:.0%} band across {n} replications")
    fig.tight_layout()
    return fig
