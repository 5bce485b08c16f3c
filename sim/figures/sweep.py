"""Figures of a sweep: what moves a metric, from the sensitivity tables (tornado, Morris, Sobol).

Reads only the pandas tables a sweep wrote (never SimPy), with the palette and conventions of
:mod:`sim.figures.run`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from sim.figures.run import LOWERS_COLOUR, NO_EFFECT_COLOUR, OKABE_ITO, RAISES_COLOUR

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


def _setting(value: object) -> str:
    """A factor's low or high setting: a number as ``:g``, a categorical level (text) as it is."""
    return f"{value:g}" if isinstance(value, int | float) else str(value)


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
                f"no change (low {_setting(row['low'])}, high {_setting(row['high'])})",
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
                f"{name} {_setting(setting)}",
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


# --- a metric against its factors (grid and Latin-hypercube designs) ----------------------

_MAX_LINES = 7  # lines (one per setting of the other factors) before points are drawn without lines


def resolve_factor(name: str, factors: Sequence[str]) -> str:
    """A factor by its full dotted path or a unique ending of it (``decision_to_dispatch.median``)."""
    if name in factors:
        return name
    matches = [f for f in factors if f.endswith("." + name) or f.endswith("]" + name)]
    if len(matches) == 1:
        return matches[0]
    listed = ", ".join(factors) or "none (a design without factors)"
    reason = "matches several" if matches else "is not one"
    raise ValueError(f"factor {name!r} {reason} of the experiment's factors: {listed}")


def response(points: pd.DataFrame, summary: pd.DataFrame, metric: str, factors: Sequence[str] | None = None) -> Figure:
    """A metric against one factor (lines with 95% intervals) or two (a heat map), per design point.

    One factor: the point estimates and their confidence intervals against the factor, one line
    per setting of the other factors when a grid has few of them, otherwise points only (a Latin
    hypercube moves every factor at once).  Two factors: a heat map of the estimate over a grid's
    levels (averaged over any other factors), or a scatter coloured by the estimate for a Latin
    hypercube.  No ``factors``: one factor or two when the design has them, else one panel per factor.
    """
    names = [c for c in points.columns if c != "point"]
    if not names:
        raise ValueError("this experiment has no factors: a metric against its factors needs a grid or LHS design")
    if summary.empty or "metric" not in summary:
        raise ValueError("the experiment has no metrics: add metrics to the experiment to plot them")
    metrics = list(dict.fromkeys(summary["metric"]))
    if metric not in metrics:
        raise ValueError(f"metric {metric!r} is not in the summary; the experiment has {', '.join(metrics)}")
    rows = summary.loc[summary["metric"] == metric, ["point", "estimate", "ci_low", "ci_high"]]
    table = rows.merge(points, on="point", how="left", validate="one_to_one")
    if factors and len(factors) > 2:
        raise ValueError(f"factors: give one factor (lines) or two (a heat map), not {len(factors)}")
    chosen = [resolve_factor(f, names) for f in factors] if factors else names
    if len(set(chosen)) != len(chosen):
        raise ValueError(f"factors: {', '.join(chosen)} names one factor twice")
    if len(chosen) == 2:
        return _heat(table, metric, chosen[0], chosen[1])
    fig, axes = plt.subplots(1, len(chosen), figsize=(min(5.2 * len(chosen), 16), 4.4), squeeze=False)
    for ax, factor in zip(axes[0], chosen, strict=True):
        _lines(ax, table, metric, factor, [n for n in names if n != factor])
    fig.suptitle(f"{metric} against {'its factors' if len(chosen) > 1 else short_labels(chosen)[0]}")
    fig.tight_layout()
    return fig


def _lines(ax: Axes, table: pd.DataFrame, metric: str, factor: str, others: list[str]) -> None:
    settings = table.groupby(others, sort=True) if others else [((), table)]
    groups = list(settings)
    label = dict(zip(others, short_labels(others), strict=True))
    joined = len(groups) <= _MAX_LINES and all(len(g) > 1 for _, g in groups)
    for i, (key, rows) in enumerate(groups):
        rows = rows.sort_values(factor)
        colour = OKABE_ITO[i % len(OKABE_ITO)] if joined else OKABE_ITO[0]
        key = key if isinstance(key, tuple) else (key,)
        name = ", ".join(f"{label[o]}={v:g}" for o, v in zip(others, key, strict=True)) if joined and others else None
        x, y = rows[factor].to_numpy(float), rows["estimate"].to_numpy(float)
        if joined and len(groups) > 1:  # dodge a little, so lines that coincide (common random numbers) both show
            x = x + (i - (len(groups) - 1) / 2) * 0.01 * (float(np.ptp(table[factor])) or 1.0)
        err = np.vstack([y - rows["ci_low"].to_numpy(float), rows["ci_high"].to_numpy(float) - y])
        ax.errorbar(x, y, yerr=np.nan_to_num(err), fmt="o-" if joined else "o", color=colour, capsize=3,
                    markersize=4, label=name, gid=f"line:{i}")  # fmt: skip
    ax.set_xlabel(short_labels([factor])[0])
    ax.set_ylabel(f"{metric} (estimate, 95% interval)")
    if joined and others and len(groups) > 1:
        ax.legend(fontsize=8, frameon=False)
    elif others:
        ax.set_title("each point: one design point (other factors vary)", fontsize=9)


def _is_grid(table: pd.DataFrame, x: str, y: str) -> bool:
    """Whether the points lie on a grid of the two factors: every pair of levels occurs, equally often."""
    counts = table.groupby([x, y]).size()
    nx, ny = table[x].nunique(), table[y].nunique()
    return len(counts) == nx * ny and max(nx, ny) <= 20 and counts.min() == counts.max()


def _heat(table: pd.DataFrame, metric: str, x: str, y: str) -> Figure:
    xl, yl = short_labels([x, y])
    fig, ax = plt.subplots(figsize=(7.5, 5.6))
    if _is_grid(table, x, y):
        grid = table.pivot_table(index=y, columns=x, values="estimate", aggfunc="mean").sort_index()
        image = ax.imshow(grid.to_numpy(float), origin="lower", aspect="auto", cmap="viridis", gid="heatmap")
        ax.set_xticks(range(grid.shape[1]), [f"{v:g}" for v in grid.columns])
        ax.set_yticks(range(grid.shape[0]), [f"{v:g}" for v in grid.index])
        low, high = np.nanmin(grid.to_numpy(float)), np.nanmax(grid.to_numpy(float))
        for (i, j), value in np.ndenumerate(grid.to_numpy(float)):
            light = value < low + 0.5 * (high - low)
            ax.text(j, i, f"{value:.3g}", ha="center", va="center", fontsize=8, color="white" if light else "black")
        averaged = len(table) > grid.size
        title = f"{metric} by {xl} and {yl}" + (" (mean over the other factors)" if averaged else "")
    else:
        image = ax.scatter(table[x], table[y], c=table["estimate"], cmap="viridis", s=60, edgecolor="black",
                           gid="scatter")  # fmt: skip
        title = f"{metric} at each design point"
    fig.colorbar(image, ax=ax, label=f"{metric} (estimate)")
    ax.set_xlabel(xl)
    ax.set_ylabel(yl)
    ax.set_title(title)
    fig.tight_layout()
    return fig
