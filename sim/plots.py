"""Figures from the result tables; each function returns a matplotlib Figure to restyle.

Reads only the pandas tables (never SimPy), uses a colour-blind-safe palette (Okabe-Ito) and
labels axes with units, so that a figure can be read without the code that made it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import matplotlib

matplotlib.use("Agg")  # files, not windows: the CLI and tests run without a display

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.text import Text
from matplotlib.transforms import Bbox

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


def timeline(events: pd.DataFrame, replication: int = 0) -> Figure:
    """One swimlane per deployment, coloured by state, key events marked, dates on the axis.

    A scenario with an ``alliance`` section adds the Treaty's and the contingencies' lanes below
    the deployments, coloured by stage, so a recall lines up with the stage that caused it.
    """
    ev = events[events["replication"] == replication]
    if ev.empty:
        raise ValueError(f"no events for replication {replication}")
    lanes = [d for d in ev["deployment"].cat.categories if (ev["deployment"] == d).any()]
    fig, ax = plt.subplots(figsize=(11, 0.6 * len(lanes) + 2.2))
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
    alliance = any(lane.startswith("alliance: ") for lane in lanes)
    ax.set_title(f"Deployments{' and the alliance' if alliance else ''} over time, replication {replication}")
    handles = [Patch(color=c, label=s) for s, c in STATE_COLOURS.items() if (ev["state"] == s).any()]
    handles += [
        plt.Line2D([], [], marker=m, color="black", linestyle="", label=label)
        for event, (m, label) in MARKED_EVENTS.items()
        if (ev["event"] == event).any()
    ]
    fig.legend(handles=handles, loc="lower center", ncol=4, frameon=False)
    rows = -(-len(handles) // 4)
    fig.tight_layout(rect=(0, 0.24 * rows / fig.get_figheight(), 1, 1))
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


# Okabe-Ito, in the order series take them; vermillion is kept for the cap and for "lowers".
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#56B4E9", "#CC79A7", "#F0E442", "#000000"]
CAP_COLOUR = "#D55E00"
RAISES_COLOUR = "#0072B2"
LOWERS_COLOUR = "#D55E00"
NO_EFFECT_COLOUR = "#999999"


def engaged(engaged: pd.DataFrame, replication: int = 0, cap: int = 2000) -> Figure:
    """Persons engaged over time, stacked by deployment, against the cap of Art. 19(1).

    The stack shows who holds the headroom; the black step line is the table's own ``total``,
    so a queue for the cap (policy ``wait``) shows as the line running flat just under it.
    """
    rows = engaged[engaged["replication"] == replication]
    if rows.empty:
        return _nobody_engaged(replication, cap)
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
    ax.set_title(f"Persons engaged against the cap, replication {replication}")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=min(len(present) + 2, 6), frameon=False)
    fig.tight_layout()
    return fig


def _nobody_engaged(replication: int, cap: int) -> Figure:
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
    ax.set_title(f"Persons engaged against the cap, replication {replication}")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.06), frameon=False)
    fig.tight_layout()
    return fig


def survival(curves: Mapping[str, pd.DataFrame]) -> Figure:
    """Kaplan-Meier curves with their confidence bands, one per scenario or design point.

    Deployments still running at the horizon are censored, not counted as ended, so the curves
    compare how long deployments last without the bias of cutting them off at the horizon.
    """
    if not curves:
        raise ValueError("no survival curves to plot")
    fig, ax = plt.subplots(figsize=(9, 4.8))
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
    ax.set_title("Survival of deployments (Kaplan-Meier, censored at the horizon)")
    ax.legend(title="shaded: confidence band", loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    fig.tight_layout()
    return fig


_PATH_PARTS = re.compile(r"\.(?![^\[]*\])")  # dots outside brackets: deployments[a.b].period stays whole


def short_labels(factors: Sequence[str], keep: int = 2) -> list[str]:
    """Last ``keep`` components of each dotted factor path, longer where two would read the same.

    ``procedure.request_to_decision.median`` reads ``request_to_decision.median``; a label that
    would collide with another keeps more components until the labels differ.
    """
    parts = [_PATH_PARTS.split(str(f)) for f in factors]
    depth = [keep] * len(parts)
    while True:
        labels = [".".join(p[-d:]) for p, d in zip(parts, depth, strict=True)]
        clashes = [i for i, lab in enumerate(labels) if labels.count(lab) > 1 and depth[i] < len(parts[i])]
        if not clashes:
            return labels
        for i in clashes:
            depth[i] += 1


def _metric_rows(sensitivity: pd.DataFrame, metric: str) -> pd.DataFrame:
    rows = sensitivity[sensitivity["metric"] == metric] if "metric" in sensitivity else sensitivity.iloc[0:0]
    if rows.empty:
        raise ValueError(f"no sensitivity rows for metric {metric!r}")
    return rows


def tornado(sensitivity: pd.DataFrame, metric: str) -> Figure:
    """One-at-a-time effects: each factor's bar spans the metric at its low and high setting.

    Sorted by the size of the effect, largest on top, so the assumptions that matter most are read
    first; the colour says whether raising the factor raises or lowers the metric.
    """
    rows = _metric_rows(sensitivity, metric)
    rows = rows.assign(_size=rows["effect"].abs()).sort_values("_size", ascending=True, kind="stable")
    labels = short_labels(list(rows["factor"]))
    base = float(rows["y_base"].iloc[0])
    fig, ax = plt.subplots(figsize=(10, 0.55 * len(rows) + 2.2))
    for y, (_, row) in enumerate(rows.iterrows()):
        lo, hi = float(row["y_low"]), float(row["y_high"])
        effect = float(row["effect"])
        colour = RAISES_COLOUR if effect > 0 else LOWERS_COLOUR if effect < 0 else NO_EFFECT_COLOUR
        ax.barh(y, hi - lo, left=lo, height=0.6, color=colour, gid=f"factor:{row['factor']}")
        if lo == hi:  # a zero-width bar is invisible: say so beside the base line instead
            ax.annotate(
                f"no change (low {row['low']:g}, high {row['high']:g})",
                (lo, y),
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
                fontsize=8,
                color="#555555",
            )
            continue
        for value, setting, name in ((lo, row["low"], "low"), (hi, row["high"], "high")):
            right = value > min(lo, hi)
            ax.annotate(
                f"{name} {setting:g}",
                (value, y),
                xytext=(4 if right else -4, 0),
                textcoords="offset points",
                ha="left" if right else "right",
                va="center",
                fontsize=8,
                color="#333333",
            )
    ax.axvline(base, color="black", linewidth=1, gid="base")
    ax.set_yticks(range(len(rows)), labels)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    # Explicit limits: bars stick to their left edge, so margins alone leave no room for the settings.
    values = [base, *rows["y_low"], *rows["y_high"]]
    span = (max(values) - min(values)) or abs(base) or 1.0
    ax.set_xlim(min(values) - 0.2 * span, max(values) + 0.25 * span)
    ax.set_xlabel(metric)
    ax.set_title(f"What moves {metric} (one at a time)")
    handles = [
        Patch(color=colour, label=label)
        for colour, label, present in (
            (RAISES_COLOUR, "high setting raises it", (rows["effect"] > 0).any()),
            (LOWERS_COLOUR, "high setting lowers it", (rows["effect"] < 0).any()),
        )
        if present
    ]
    handles.append(plt.Line2D([], [], color="black", linewidth=1, label=f"base value {base:.4g}"))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=len(handles), frameon=False)
    fig.tight_layout()
    return fig


def sensitivity(sensitivity: pd.DataFrame, metric: str) -> Figure:
    """Morris screening (mu*, sigma) or Sobol indices (S1, ST) of one metric, with their intervals.

    Morris: a large mu* means the factor matters; a large sigma beside it means its effect depends
    on the other factors (non-linear or interacting). Sobol: S1 is the share of variance a factor
    explains alone, ST with its interactions; intervals are SALib's bootstrap half-widths.
    """
    if "mu_star" in sensitivity:
        return _morris(_metric_rows(sensitivity, metric), metric)
    if "S1" in sensitivity:
        return _sobol(_metric_rows(sensitivity, metric), metric)
    raise ValueError(f"sensitivity table for {metric!r} has neither Morris (mu_star) nor Sobol (S1) columns")


def _morris(rows: pd.DataFrame, metric: str) -> Figure:
    rows = rows.sort_values("mu_star", ascending=True, kind="stable")
    labels = short_labels(list(rows["factor"]))
    fig, (bars, scatter) = plt.subplots(
        1, 2, figsize=(12, 0.45 * len(rows) + 2.6), gridspec_kw={"width_ratios": [1.1, 1]}
    )
    y = range(len(rows))
    bars.barh(y, rows["mu_star"], xerr=rows["mu_star_conf"], height=0.6, color=RAISES_COLOUR, capsize=3, ecolor="black")
    bars.set_yticks(y, labels)
    bars.set_xlabel(f"mu* (mean |elementary effect| on {metric})")
    bars.set_title("importance, with 95% interval")
    bars.set_xlim(left=0)
    scatter.scatter(rows["mu_star"], rows["sigma"], color=OKABE_ITO[1], edgecolor="black", zorder=3)
    scatter.set_xlabel(f"mu* ({metric})")
    scatter.set_ylabel(f"sigma ({metric})")
    scatter.set_title("high sigma: non-linear or interacting")
    scatter.set_xlim(0, (float(rows["mu_star"].max()) or 1.0) * 1.3)
    scatter.set_ylim(0, (float(rows["sigma"].max()) or 1.0) * 1.2)
    fig.suptitle(f"Morris screening: {metric}")
    fig.tight_layout()
    _label_points(scatter, list(rows["mu_star"]), list(rows["sigma"]), labels)
    return fig


# Offsets (points) tried in turn for a point's label: beside it first, then further up or down with a leader line.
_LABEL_OFFSETS = [
    (6, 0, "left"),
    (-6, 0, "right"),
    (6, 10, "left"),
    (6, -10, "left"),
    (10, 20, "left"),
    (10, -20, "left"),
    (10, 30, "left"),
    (-10, 20, "right"),
    (10, 40, "left"),
    (-10, 30, "right"),
]
_LEADER = {"arrowstyle": "-", "color": "#777777", "linewidth": 0.6, "shrinkA": 0, "shrinkB": 3}


def _label_points(ax: Axes, xs: Sequence[float], ys: Sequence[float], labels: Sequence[str]) -> None:
    """Label scatter points where the label overlaps no earlier label and stays inside the axes.

    Screening plots crowd the unimportant factors near the origin; a fixed offset would print
    their names over each other.
    """
    renderer = ax.figure.canvas.get_renderer()
    inside = ax.get_window_extent(renderer)
    # The markers themselves are taken: a label must not hide another factor's point.
    points = ax.transData.transform(np.column_stack([xs, ys]))
    half = 4 * ax.figure.dpi / 72
    markers = [Bbox.from_extents(x - half, y - half, x + half, y + half) for x, y in points]
    placed: list[Bbox] = []
    order = sorted(range(len(labels)), key=lambda i: -xs[i])
    for i in order:
        for dx, dy, ha in _LABEL_OFFSETS:
            text = ax.annotate(
                labels[i],
                (xs[i], ys[i]),
                xytext=(dx, dy),
                textcoords="offset points",
                ha=ha,
                va="center",
                fontsize=8,
                arrowprops=_LEADER if abs(dy) > 15 else None,
            )
            text.update_positions(renderer)
            box = Text.get_window_extent(text, renderer).padded(2)  # the words, not the leader line
            fits = inside.x0 <= box.x0 and box.x1 <= inside.x1 and inside.y0 <= box.y0 and box.y1 <= inside.y1
            others = placed + markers[:i] + markers[i + 1 :]
            if fits and not any(box.overlaps(other) for other in others):
                break
            text.remove()
        else:  # nowhere free: fall back to the first place
            text = ax.annotate(
                labels[i], (xs[i], ys[i]), xytext=(6, 0), textcoords="offset points", va="center", fontsize=8
            )
            box = text.get_window_extent(renderer)
        placed.append(box)


def _sobol(rows: pd.DataFrame, metric: str) -> Figure:
    rows = rows.sort_values("ST", ascending=True, kind="stable")
    labels = short_labels(list(rows["factor"]))
    fig, ax = plt.subplots(figsize=(10, 0.7 * len(rows) + 2.2))
    y = np.arange(len(rows))
    height = 0.38
    ax.barh(
        y + height / 2,
        rows["S1"],
        xerr=rows["S1_conf"],
        height=height,
        color=OKABE_ITO[0],
        capsize=3,
        label="S1 (alone)",
    )
    ax.barh(
        y - height / 2,
        rows["ST"],
        xerr=rows["ST_conf"],
        height=height,
        color=OKABE_ITO[1],
        capsize=3,
        label="ST (with interactions)",
    )
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_yticks(y, labels)
    ax.set_xlabel(f"share of the variance of {metric}")
    ax.set_title(f"Sobol indices: {metric}")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2, frameon=False, title="bars: 95% interval")
    fig.tight_layout()
    return fig


def counterfactuals(table: pd.DataFrame) -> Figure:
    """Real SDF-unit deployments as if they had needed approval: path, time, seven-day misses."""
    rows = table.sort_values("decision_date").reset_index(drop=True)
    labels = [
        f"{'≈' if approx else ''}{day}  {name}{'' if under_act else ' *'}"
        for day, name, approx, under_act in zip(
            rows["decision_date"],
            rows["deployment"],
            rows["decision_approximate"],
            rows["approval_under_the_act"],
            strict=True,
        )
    ]
    y = np.arange(len(rows))
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 0.45 * len(rows) + 2.2), sharey=True)
    post = rows["share_after_the_fact"] > 0.5
    colours = np.where(post, "#D55E00", "#0072B2")
    left.barh(y, rows["days_sought_to_decision_median"], color=colours)
    left.set_yticks(y, labels)
    left.invert_yaxis()
    left.set_xlabel("days from approval sought to decided (median)")
    left.set_title("Approval path on the real calendar")
    left.legend(
        handles=[Patch(color="#0072B2", label="prior approval (Art. 6(7))"),
                 Patch(color="#D55E00", label="after dispatch (proviso of Art. 6(7))")],
        loc="upper center", bbox_to_anchor=(0.5, -0.1), frameon=False,
    )  # fmt: skip
    width = 0.4
    right.barh(y - width / 2, rows["share_representatives_missed_7_days"], height=width, color="#009E73",
               label="House of Representatives")  # fmt: skip
    right.barh(y + width / 2, rows["share_councillors_missed_7_days"], height=width, color="#CC79A7",
               label="House of Councillors")  # fmt: skip
    right.set_xlim(0, 1)
    right.set_xlabel("share of replications missing the 7-day target (Art. 6(8))")
    right.set_title("Seven-day targets (prior approval only)")
    right.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), frameon=False)
    fig.suptitle("Counterfactual: real SDF-unit deployments as if their tasks needed Diet approval")
    fig.text(0.01, 0.01, "≈ decision date estimated from the start month;  * humanitarian relief: "
             "Art. 6(7) never applies, run as if it did", fontsize=8, color="#555555")  # fmt: skip
    fig.tight_layout()
    return fig
