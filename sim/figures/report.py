"""Figures and a self-contained HTML report from a results folder.

Reads only what ``pko-sim run`` or ``pko-sim sweep`` wrote (Parquet parts, summary tables, the
manifest), so a report can be made later, elsewhere, from copied results.  Figures are the
functions of :mod:`sim.figures`; the report embeds them as PNG data and the tables as HTML, so the
page can be opened or sent as one file.
"""

from __future__ import annotations

import base64
import html
import io
import json
from collections.abc import Callable
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from sim import analysis, figures
from sim.sweep.store import read_table, write_text

KINDS = ("timeline", "cap", "durations", "survival", "tornado", "sensitivity", "response", "bands")


class NoSuchFigure(ValueError):
    """The results do not hold what a figure needs (e.g. a tornado without a one-at-a-time design)."""


def _first_part(folder: Path, table: str) -> pd.DataFrame:
    parts = sorted((folder / table).glob("*.parquet"))
    if not parts:
        raise NoSuchFigure(f"{folder} has no {table} table (was it run with --no-events?)")
    return pd.read_parquet(parts[0])


def _figure_table(folder: Path, table: str) -> pd.DataFrame:
    try:
        return read_table(folder, table)
    except FileNotFoundError as exc:
        raise NoSuchFigure(str(exc)) from None


def _sensitivity_table(folder: Path) -> pd.DataFrame:
    path = folder / "sensitivity.parquet"
    if not path.exists():
        raise NoSuchFigure(f"{folder} has no sensitivity indices: run a morris, sobol or one_at_a_time design")
    return pd.read_parquet(path)


def _metric(table: pd.DataFrame, metric: str | None) -> str:
    names = list(dict.fromkeys(table["metric"]))
    if metric is None:
        return names[0]
    if metric not in names:
        raise NoSuchFigure(f"no metric {metric!r}; the results have {', '.join(names)}")
    return metric


def figure(
    folder: Path, kind: str, *, replication: int = 0, metric: str | None = None, factors: list[str] | None = None
) -> Figure:
    """One figure of a results folder; ``metric`` picks the outcome of tornado, sensitivity and response.

    ``factors`` (one or two) are the axes of ``response``; the default is every factor of the design.
    """
    folder = Path(folder)
    if kind == "response":
        return _response(folder, metric, factors)
    if kind == "bands":
        return _bands(folder)
    if kind == "timeline":
        return figures.timeline(_first_part(folder, "events"), replication=replication)
    if kind == "cap":
        manifest = json.loads((folder / "manifest.json").read_text())
        if not 0 <= replication < manifest["replications"]:
            raise NoSuchFigure(
                f"no replication {replication}: the run has replications 0 to {manifest['replications'] - 1}"
            )
        engaged = _figure_table(folder, "engaged")
        cap = manifest["base_scenario"]["cap"]["limit"]
        return figures.engaged(engaged.query("point == 0"), replication=replication, cap=cap)
    deployments = read_table(folder, "deployments")
    if kind == "durations":
        return figures.durations(deployments)
    if kind == "survival":
        curves = {f"point {p}": analysis.kaplan_meier(rows) for p, rows in deployments.groupby("point")}
        if len(curves) == 1:
            curves = {"all deployments": next(iter(curves.values()))}
        return figures.survival(dict(list(curves.items())[:8]))
    table = _sensitivity_table(folder)
    chosen = _metric(table, metric)
    if kind == "tornado":
        if "effect" not in table:
            raise NoSuchFigure("a tornado chart needs a one_at_a_time design")
        return figures.tornado(table, chosen)
    if kind == "sensitivity":
        if "effect" in table:
            raise NoSuchFigure("a one_at_a_time design gives a tornado chart, not indices")
        return figures.sensitivity(table, chosen)
    raise NoSuchFigure(f"unknown kind {kind!r}; choose one of {', '.join(KINDS)}")


def _response(folder: Path, metric: str | None, factors: list[str] | None) -> Figure:
    summary_file, points_file = folder / "summary.parquet", folder / "points.parquet"
    if not summary_file.exists() or not points_file.exists():
        raise NoSuchFigure(f"{folder} has no summary of its design points: run an experiment with metrics")
    summary, points = pd.read_parquet(summary_file), pd.read_parquet(points_file)
    if summary.empty:
        raise NoSuchFigure(f"{folder} has no metrics: add metrics to the experiment")
    try:
        return figures.response(points, summary, _metric(summary, metric), factors)
    except ValueError as exc:
        raise NoSuchFigure(str(exc)) from None


def _bands(folder: Path) -> Figure:
    """Persons engaged, deployments per state and approvals pending across replications (first points)."""
    manifest = json.loads((folder / "manifest.json").read_text())
    events, engaged = _figure_table(folder, "events"), _figure_table(folder, "engaged")
    shown = sorted(events["point"].unique())[:7]  # as many as the figure colours apart
    events, engaged = events[events["point"].isin(shown)], engaged[engaged["point"].isin(shown)]
    return figures.bands(analysis.bands(events, engaged), cap=manifest["base_scenario"]["cap"]["limit"])


def _png(fig: Figure) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode()


def _section(title: str, body: str) -> str:
    return f"<section><h2>{html.escape(title)}</h2>{body}</section>"


def _table(frame: pd.DataFrame) -> str:
    return frame.to_html(index=False, float_format=lambda v: f"{v:,.3g}", border=0, classes="t")


def _response_builders(folder: Path) -> list[tuple[str, Callable[[], Figure]]]:
    """A sweep of a grid or Latin hypercube: each metric against its factors."""
    manifest = json.loads((folder / "manifest.json").read_text())
    design = manifest.get("experiment", {}).get("design", {}).get("kind")
    if design not in ("grid", "latin_hypercube") or not (folder / "summary.parquet").exists():
        return []
    if not manifest.get("experiment", {}).get("factors"):
        return []
    metrics = dict.fromkeys(pd.read_parquet(folder / "summary.parquet")["metric"])
    return [(f"{m} against the factors", lambda m=m: figure(folder, "response", metric=m)) for m in metrics]


def report(folder: Path, out: Path | None = None) -> Path:
    """Write one self-contained HTML page with every figure and table the results allow."""
    folder = Path(folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    deployments = read_table(folder, "deployments")
    sections = [_section("Run", _table(pd.DataFrame([{
        "name": manifest["name"], "design points": len(manifest["points"]),
        "replications": manifest["replications"], "seed": manifest["seed"],
        "version": manifest["version"], "finished": manifest.get("finished"),
    }])))]  # fmt: skip
    builders: list[tuple[str, Callable[[], Figure]]] = [
        ("Timeline of replication 0", lambda: figure(folder, "timeline")),
        ("Persons engaged against the cap (Art. 19(1))", lambda: figure(folder, "cap")),
        ("Durations", lambda: figure(folder, "durations")),
        ("Survival of deployments", lambda: figure(folder, "survival")),
    ]
    if (folder / "sensitivity.parquet").exists():
        table = pd.read_parquet(folder / "sensitivity.parquet")
        kind = "tornado" if "effect" in table else "sensitivity"
        for metric in dict.fromkeys(table["metric"]):
            builders.append((f"Sensitivity: {metric}", lambda m=metric, k=kind: figure(folder, k, metric=m)))
    builders += _response_builders(folder)
    for title, build in builders:
        try:
            sections.append(_section(title, f'<img alt="{html.escape(title)}" src="data:image/png;base64,'
                                            f'{_png(build())}">'))  # fmt: skip
        except NoSuchFigure as exc:
            sections.append(_section(title, f"<p>{html.escape(str(exc))}</p>"))
    if (folder / "summary.parquet").exists():
        sections.append(_section("Metrics per design point", _table(pd.read_parquet(folder / "summary.parquet"))))
    if (folder / "sensitivity.parquet").exists():
        sections.append(_section("Sensitivity indices", _table(pd.read_parquet(folder / "sensitivity.parquet"))))
    first = deployments[deployments["point"] == deployments["point"].min()]
    sections.append(_section("How deployments ended (share of replications, point 0)",
                             _table(analysis.termination_causes(first).reset_index())))  # fmt: skip
    sections.append(_section("Durations and counts (mean, 95% interval, quartiles; point 0)",
                             _table(analysis.describe(first))))  # fmt: skip
    curve = analysis.kaplan_meier(first)
    median = analysis.median_survival(curve)
    text = f"{median:,.0f} days from dispatch to termination" if median == median else "not reached"
    note = "Kaplan-Meier, censored at the horizon; not reached while more than half still run"
    sections.append(_section("Median survival (point 0)", f"<p>{text} ({note})</p>"))
    page = _PAGE.format(title=html.escape(f"pko-sim report: {manifest['name']}"), body="\n".join(sections))
    target = Path(out) if out is not None else folder / "report.html"
    write_text(page, target)
    return target


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; color: #222; }}
h1 {{ font-size: 1.6rem; }} h2 {{ font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #ddd; }}
img {{ max-width: 100%; }} table.t {{ border-collapse: collapse; font-size: 0.85rem; }}
table.t td, table.t th {{ padding: 0.2rem 0.6rem; border-bottom: 1px solid #eee; text-align: right; }}
</style></head>
<body><h1>{title}</h1>
<p>Simulated under Act No. 79 of 1992 (International Peace Cooperation Act); every event carries its article.</p>
{body}
</body></html>
"""
