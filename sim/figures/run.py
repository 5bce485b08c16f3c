"""Figures from the result tables; each function returns a matplotlib Figure to restyle.

Reads only the pandas tables (never SimPy), uses a colour-blind-safe palette (Okabe-Ito) and
labels axes with units, so that a figure can be read without the code that made it.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from sim.diet.calendar import SESSION_KINDS
from sim.eventlog import SHARED_CALENDAR

STATE_COLOURS = {
    "requested": "#BBBBBB",
    "decided": "#E69F00",
    "awaiting_approval": "#F0E442",
    "deployed": "#009E73",
    "interrupted": "#D55E00",
    "suspended": "#CC79A7",
    "withdrawing": "#56B4E9",
    # the alliance's lanes: the Treaty, and a contingency's stages from pale to dark
    "in_force": "#C6DBEF",
    "notice_given": "#FDAE6B",
    "tension": "#FEE391",
    "consulting": "#FEC44F",
    "readiness": "#FE9929",
    "defence": "#993404",
    "standing_down": "#999999",
}
MARKED_EVENTS = {
    "cabinet_decision": ("D", "Cabinet decision (Art. 6(1))"),
    "dispatch_started": ("^", "dispatch (Art. 9(1))"),
    "plan_amended": ("s", "plan amended (Art. 6(13))"),
    "termination_decided": ("X", "termination decided"),
    "armed_attack": ("*", "armed attack (Treaty Art. V)"),
    "treaty_notice_given": ("v", "notice (Treaty Art. X)"),
}


def _titled(title: str, subtitle: str, width: int = 100) -> str:
    """A title with its subtitle (a design point's factor values) wrapped below it to fit a figure."""
    return "\n".join([title, *textwrap.wrap(subtitle, width)])


def timeline(
    events: pd.DataFrame, replication: int = 0, calendar: pd.DataFrame | None = None, subtitle: str = ""
) -> Figure:
    """One swimlane per deployment, coloured by state, key events marked, dates on the axis.

    A scenario with an ``alliance`` section adds the Treaty's and the contingencies' lanes below
    the deployments, coloured by stage, so a recall lines up with the stage that caused it.
    ``calendar`` (the run's ``.calendar`` table) shades the Diet's sessions behind the lanes and
    marks when approval was sought and granted, so a wait for the Diet reads against its
    sittings; ``subtitle`` adds a second title line (the design point of a sweep).
    """
    ev = events[events["replication"] == replication]
    if ev.empty:
        raise ValueError(f"no events for replication {replication}")
    lanes = [d for d in ev["deployment"].cat.categories if (ev["deployment"] == d).any()]
    fig, ax = plt.subplots(figsize=(11, 0.6 * len(lanes) + 2.2))
    end = ev["date"].max()
    marked = dict(MARKED_EVENTS)
    sessions = False
    if calendar is not None:
        sessions = _shade_sessions(ax, _sessions_of(calendar, replication), ev["date"].min(), end)
        marked.update(APPROVAL_EVENTS)
    for y, dep in enumerate(lanes):
        rows = ev[ev["deployment"] == dep]
        dates = [*list(rows["date"]), end]
        for i, state in enumerate(rows["state"].astype(str)):
            colour = STATE_COLOURS.get(state)
            if colour is None or dates[i + 1] <= dates[i]:
                continue
            span = mdates.date2num(dates[i + 1]) - mdates.date2num(dates[i])
            ax.barh(y, span, left=mdates.date2num(dates[i]), height=0.6, color=colour, gid=f"lane:{dep}")
        for event, (marker, _) in marked.items():
            hits = rows[rows["event"] == event]
            ax.scatter(hits["date"], [y] * len(hits), marker=marker, color="black", s=28, zorder=3,
                       gid=f"{event}:{dep}")  # fmt: skip
    ax.set_yticks(range(len(lanes)), lanes)
    ax.invert_yaxis()
    ax.xaxis_date()
    ax.set_xlabel("date")
    alliance = any(lane.startswith("alliance: ") for lane in lanes)
    title = f"Deployments{' and the alliance' if alliance else ''} over time, replication {replication}"
    ax.set_title(_titled(title, subtitle))
    handles = [Patch(color=c, label=s) for s, c in STATE_COLOURS.items() if (ev["state"] == s).any()]
    if sessions:
        handles.append(Patch(color=SESSION_COLOUR, label="the Diet in session"))
    handles += [
        plt.Line2D([], [], marker=m, color="black", linestyle="", label=label)
        for event, (m, label) in marked.items()
        if (ev["event"] == event).any()
    ]
    fig.legend(handles=handles, loc="lower center", ncol=4, frameon=False)
    rows = -(-len(handles) // 4)
    fig.tight_layout(rect=(0, 0.24 * rows / fig.get_figheight(), 1, 1))
    return fig


SESSION_COLOUR = "#E8E8F4"
APPROVAL_EVENTS = {
    "approval_sought": ("o", "Diet approval sought (Art. 6(7))"),
    "approval_granted": ("P", "Diet approval granted (Art. 6(7))"),
}
"""Marked on a timeline drawn with its calendar."""


def _sessions_of(calendar: pd.DataFrame, replication: int) -> pd.DataFrame:
    """The sessions one replication sat through: its own generated calendar, else the shared one."""
    sessions = calendar[calendar["kind"].astype(str).isin(SESSION_KINDS)]
    own = sessions[sessions["replication"] == replication]
    return own if not own.empty else sessions[sessions["replication"] == SHARED_CALENDAR]


def _shade_sessions(ax: plt.Axes, sessions: pd.DataFrame, first: pd.Timestamp, last: pd.Timestamp) -> bool:
    """Shade each session (closing day inclusive) inside the timeline's span; True if any shows."""
    shown = False
    for convened, closed in zip(sessions["convened"], sessions["closed"], strict=True):
        start, stop = max(pd.Timestamp(convened), first), min(pd.Timestamp(closed) + pd.Timedelta(days=1), last)
        if stop <= start:
            continue
        ax.axvspan(mdates.date2num(start), mdates.date2num(stop), color=SESSION_COLOUR, zorder=0, gid="session")
        shown = True
    return shown


DURATIONS = {
    "days_request_to_decision": "request to Cabinet decision",
    "days_decision_to_dispatch": "Cabinet decision to dispatch",
    "days_deployed": "days deployed (censored at horizon)",
}


def durations(deployments: pd.DataFrame, subtitle: str = "") -> Figure:
    """Histograms of the key durations over all replications, one panel per duration.

    The title says what the histograms pool: a sweep's table has every design point's
    replications, so 100 replications of 70 points are 7,000 runs, not 100.
    """
    fig, axes = plt.subplots(1, len(DURATIONS), figsize=(12, 3.6))
    for ax, (column, title) in zip(axes, DURATIONS.items(), strict=True):
        values = deployments[column].dropna()
        ax.hist(values, bins=30, color="#0072B2")
        ax.set_title(title)
        ax.set_xlabel("days")
        ax.set_ylabel("deployments x replications")
    replications = deployments["replication"].nunique()
    points = deployments["point"].nunique() if "point" in deployments else 1
    pooled = f"{replications:,} replications" + (f" x {points:,} design points (pooled)" if points > 1 else "")
    fig.suptitle(_titled(f"Durations over {pooled}", subtitle))
    fig.tight_layout()
    return fig


# Okabe-Ito, in the order series take them; vermillion is kept for the cap and for "lowers".
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#56B4E9", "#CC79A7", "#F0E442", "#000000"]
CAP_COLOUR = "#D55E00"
RAISES_COLOUR = "#0072B2"
LOWERS_COLOUR = "#D55E00"
NO_EFFECT_COLOUR = "#999999"


def engaged(engaged: pd.DataFrame, replication: int = 0, cap: int = 2000, subtitle: str = "") -> Figure:
    """Persons engaged over time, stacked by deployment, against the cap of Art. 19(1).

    The stack shows who holds the headroom; the black step line is the table's own ``total``,
    so a queue for the cap (policy ``wait``) shows as the line running flat just under it.
    """
    rows = engaged[engaged["replication"] == replication]
    if rows.empty:
        return _nobody_engaged(replication, cap, subtitle)
    rows = rows.sort_values("t", kind="stable")
    is_category = isinstance(rows["deployment"].dtype, pd.CategoricalDtype)
    deployments = list(rows["deployment"].cat.categories) if is_category else []
    present = [d for d in deployments if (rows["deployment"] == d).any()] or list(dict.fromkeys(rows["deployment"]))
    # One value per deployment and moment: the last change at a date wins, then hold it until the next.
    persons = (
        rows.pivot_table(index="date", columns="deployment", values="persons", aggfunc="last", observed=True)
        .reindex(columns=present)
        .ffill()
        .fillna(0)
    )
    fig, ax = plt.subplots(figsize=(11, 4.8))
    x = mdates.date2num(persons.index.to_pydatetime())
    # Colour by place among all deployments, so a deployment keeps its colour across replications.
    order = deployments or present
    colours = {d: OKABE_ITO[order.index(d) % len(OKABE_ITO)] for d in present}
    ax.stackplot(
        x,
        *[persons[d].to_numpy(dtype=float) for d in present],
        step="post",
        colors=[colours[d] for d in present],
        alpha=0.55,
        labels=[str(d) for d in present],
    )
    ax.step(
        mdates.date2num(rows["date"].dt.to_pydatetime()),
        rows["total"].to_numpy(dtype=float),
        where="post",
        color="black",
        linewidth=1.6,
        label="total engaged",
        gid="total",
    )
    ax.axhline(
        cap, color=CAP_COLOUR, linestyle="--", linewidth=1.5, label=f"cap of {cap:,} persons (Art. 19(1))", gid="cap"
    )
    ax.set_ylim(0, max(cap, float(rows["total"].max())) * 1.12)
    ax.xaxis_date()
    ax.set_xlabel("date")
    ax.set_ylabel("persons engaged")
    title = f"Persons engaged against the cap, replication {replication}"
    ax.set_title(_titled(title, subtitle))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=min(len(present) + 2, 6), frameon=False)
    fig.tight_layout()
    return fig


def _nobody_engaged(replication: int, cap: int, subtitle: str = "") -> Figure:
    """The cap figure of a replication in which no one was engaged under the cap.

    Art. 27 officers serve the UN and do not count; a run may also dispatch no one (consents
    lacking, approval denied, the horizon reached first): the figure says so instead of failing.
    """
    fig, ax = plt.subplots(figsize=(11, 4.8))
    ax.axhline(
        cap, color=CAP_COLOUR, linestyle="--", linewidth=1.5, label=f"cap of {cap:,} persons (Art. 19(1))", gid="cap"
    )
    ax.set_ylim(0, cap * 1.12)
    ax.set_xticks([])
    ax.text(0.5, 0.45, "no persons engaged under the cap", transform=ax.transAxes, ha="center", va="center",
            fontsize=13, color="#555555", gid="nobody")  # fmt: skip
    ax.set_ylabel("persons engaged")
    title = f"Persons engaged against the cap, replication {replication}"
    ax.set_title(_titled(title, subtitle))
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.06), frameon=False)
    fig.tight_layout()
    return fig


def survival(curves: Mapping[str, pd.DataFrame], subtitle: str = "") -> Figure:
    """Kaplan-Meier curves with their confidence bands, one per scenario or design point.

    Deployments still running at the horizon are censored, not counted as ended, so the curves
    compare how long deployments last without the bias of cutting them off at the horizon.  Each
    curve has a colour of its own: more curves than the palette's seven colours are refused.
    """
    if not curves:
        raise ValueError("no survival curves to plot")
    if len(curves) > len(OKABE_ITO):
        raise ValueError(f"{len(curves)} survival curves: at most {len(OKABE_ITO)} keep a colour of their own")
    # room for long legend labels (a design point's factor values): wider for long lines, taller for many
    lines = [line for key in curves for line in str(key).splitlines()]
    width = 9 + 0.08 * max(0, max(len(line) for line in lines) - 20)
    fig, ax = plt.subplots(figsize=(width, max(4.8, 0.2 * len(lines) + 0.3 * len(curves) + 1.2)))
    for i, (key, curve) in enumerate(curves.items()):
        colour = OKABE_ITO[i % len(OKABE_ITO)]
        ax.step(
            curve["days"],
            curve["survival"],
            where="post",
            color=colour,
            linewidth=1.6,
            label=str(key),
            gid=f"survival:{key}",
        )
        ax.fill_between(
            curve["days"], curve["ci_low"], curve["ci_high"], step="post", alpha=0.2, color=colour, linewidth=0
        )
    if all(len(curve) <= 1 for curve in curves.values()):  # only the starting point (0, 1)
        note = "no termination after a dispatch observed\n(nothing dispatched, or all running at the horizon)"
        ax.text(0.5, 0.5, note, transform=ax.transAxes, ha="center", va="center", color="#555555", gid="nothing")
    ax.set_ylim(0, 1.05)
    ax.set_xlim(left=0)
    ax.set_xlabel("days from dispatch to the termination decision")
    ax.set_ylabel("share of deployments still running")
    title = "Survival of deployments (Kaplan-Meier, censored at the horizon)"
    ax.set_title(_titled(title, subtitle))
    ax.legend(title="shaded: confidence band", loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    fig.tight_layout()
    return fig
