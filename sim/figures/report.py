"""Figures and a self-contained HTML report from a results folder.

Reads only what ``pko-sim run`` or ``pko-sim sweep`` wrote (Parquet parts, summary tables, the
manifest), so a report can be made later, elsewhere, from copied results.  Figures are the
functions of :mod:`sim.figures`; the report embeds them as PNG data and the tables as HTML, so the
page can be opened or sent as one file.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import json
from collections.abc import Callable, Sequence
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pyarrow.compute as pc
from matplotlib.figure import Figure

from sim import analysis, figures
from sim.eventlog import SHARED_CALENDAR
from sim.figures import page
from sim.figures import points as naming
from sim.figures.kinds import KINDS
from sim.figures.run import DURATIONS as FIGURE_DURATIONS
from sim.figures.run import OKABE_ITO
from sim.scenario.models import horizon_date
from sim.sweep.scan import chunks, points_with_rows
from sim.sweep.store import read_rows, recorded_parts, write_text


class NoSuchFigure(ValueError):
    """The results do not hold what a figure needs (e.g. a tornado without a one-at-a-time design)."""


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


def _manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text())


def _rows(
    folder: Path,
    table: str,
    points: Sequence[int] | None,
    replications: Sequence[int] | None,
    columns: Sequence[str] | None = None,
) -> pd.DataFrame:
    try:
        return read_rows(folder, table, points=points, replications=replications, columns=columns)
    except FileNotFoundError as exc:
        raise NoSuchFigure(str(exc)) from None


# The columns each reader of .deployments needs: a sweep's table is read for these alone.
_DURATION_COLUMNS = ("point", "replication", *FIGURE_DURATIONS)
_SURVIVAL_COLUMNS = ("point", "dispatch_date", "termination_date", "days_deployed")
_POINT_TABLE_COLUMNS = (
    *("deployment", "replication", "outcome", "termination_cause", "dispatch_date", "termination_date"),
    *analysis.DURATIONS,  # days_deployed among them
)
"""What the report's tables of one point read: how deployments ended, durations and counts, median survival."""


def _one_point(manifest: dict, kind: str, chosen: Sequence[int] | None) -> int:
    """The single design point a figure of one run draws (point 0 unless chosen)."""
    if chosen is not None and len(chosen) > 1:
        raise NoSuchFigure(f"a {kind} figure draws one design point; got {len(chosen)}")
    point = chosen[0] if chosen else 0
    try:
        naming.check_point(manifest, point)
    except ValueError as exc:
        raise NoSuchFigure(str(exc)) from None
    return point


def _unfinished(manifest: dict) -> str:
    status = manifest.get("status", "complete")
    return "the run did not finish it" if status != "complete" else "the table has no rows for it"


def _check_replication(manifest: dict, replication: int) -> None:
    if not 0 <= replication < manifest["replications"]:
        last = manifest["replications"] - 1
        raise NoSuchFigure(f"no replication {replication}: the run has replications 0 to {last}")


def figure(
    folder: Path,
    kind: str,
    *,
    replication: int = 0,
    metric: str | None = None,
    points: Sequence[int] | None = None,
    factors: list[str] | None = None,
) -> Figure:
    """One figure of a results folder, of the design points and replication asked for.

    ``points`` picks the design point of a timeline, cap or durations figure (default point 0;
    durations pool every point unless one is chosen) and the curves of a survival or bands figure
    (default: a readable subset); ``metric`` picks the outcome of tornado, sensitivity and
    response; ``factors`` (one or two) are the axes of response (default: every factor).  Only the
    parts holding those points and replications are read, so a figure of replication 500 of point
    37 of a large sweep loads a few thousand rows, not the sweep.
    """
    folder = Path(folder)
    if kind not in KINDS:
        raise NoSuchFigure(f"unknown kind {kind!r}; choose one of {', '.join(KINDS)}")
    manifest = _manifest(folder)
    if kind == "response":
        return _response(folder, metric, factors)
    if kind == "bands":
        return _bands(folder, manifest, points)
    if kind in ("timeline", "cap"):
        point = _one_point(manifest, kind, points)
        _check_replication(manifest, replication)
        label = naming.describe_point(manifest, point)
        if kind == "timeline":
            events = _rows(folder, "events", [point], [replication])
            if events.empty:
                raise NoSuchFigure(f"no events for replication {replication} of point {point}: {_unfinished(manifest)}")
            calendar = None
            if any((folder / "calendar").glob("*.parquet")):
                calendar = read_rows(folder, "calendar", points=[point], replications=[replication, SHARED_CALENDAR])
            return figures.timeline(events, replication=replication, calendar=calendar, subtitle=label)
        engaged = _rows(folder, "engaged", [point], [replication])
        values = naming.point_values(manifest)[point]
        cap = int(values.get("cap.limit", manifest["base_scenario"]["cap"]["limit"]))
        return figures.engaged(engaged, replication=replication, cap=cap, subtitle=label)
    if kind == "durations":
        if points is None:
            return figures.durations(_rows(folder, "deployments", None, None, _DURATION_COLUMNS))
        point = _one_point(manifest, kind, points)
        return figures.durations(_rows(folder, "deployments", [point], None, _DURATION_COLUMNS),
                                 subtitle=naming.describe_point(manifest, point))  # fmt: skip
    if kind == "survival":
        return _survival(folder, manifest, points)
    table = _sensitivity_table(folder)
    chosen = _metric(table, metric)
    if kind == "tornado":
        if "effect" not in table:
            raise NoSuchFigure("a tornado chart needs a one_at_a_time design")
        return figures.tornado(table, chosen)
    if "effect" in table:
        raise NoSuchFigure("a one_at_a_time design gives a tornado chart, not indices")
    return figures.sensitivity(table, chosen)


def _response(folder: Path, metric: str | None, factors: list[str] | None) -> Figure:
    """A metric against its factors, from the summary and points tables of a sweep."""
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


def _bands(folder: Path, manifest: dict, points: Sequence[int] | None) -> Figure:
    """Persons engaged, deployments per state and approvals pending across replications."""
    if not manifest.get("events", True):
        raise NoSuchFigure(f"{folder} was written with --no-events: there are no events to draw bands from")
    shown = list(dict.fromkeys(points)) if points else list(range(min(len(manifest["points"]), 7)))
    for point in shown:  # as many as the figure colours apart
        try:
            naming.check_point(manifest, point)
        except ValueError as exc:
            raise NoSuchFigure(str(exc)) from None
    events = _rows(folder, "events", shown, None, _BANDS_EVENTS)
    engaged = _rows(folder, "engaged", shown, None, _BANDS_ENGAGED)
    return figures.bands(analysis.bands(events, engaged), cap=manifest["base_scenario"]["cap"]["limit"])


_BANDS_EVENTS = ("point", "replication", "deployment", "t", "date", "event", "state")
_BANDS_ENGAGED = ("point", "replication", "t", "total")
"""What :func:`sim.analysis.bands` reads of each table (not the basis and detail texts of every event)."""


def _response_builders(folder: Path, manifest: dict) -> list[tuple[str, Callable[[], Figure]]]:
    """A sweep of a grid or Latin hypercube: each metric against its factors."""
    design = manifest.get("experiment", {}).get("design", {}).get("kind")
    if design not in ("grid", "latin_hypercube") or not (folder / "summary.parquet").exists():
        return []
    if not manifest.get("experiment", {}).get("factors"):
        return []
    metrics = dict.fromkeys(pd.read_parquet(folder / "summary.parquet")["metric"])
    return [(f"{m} against the factors", lambda m=m: figure(folder, "response", metric=m)) for m in metrics]


def _survival(folder: Path, manifest: dict, points: Sequence[int] | None) -> Figure:
    """One Kaplan-Meier curve per chosen design point, labelled with its factor values."""
    if len(manifest["points"]) == 1:
        curve = analysis.kaplan_meier(_rows(folder, "deployments", None, None, _SURVIVAL_COLUMNS))
        return figures.survival({"all deployments": curve}, subtitle=naming.describe_point(manifest, 0))
    chosen = list(dict.fromkeys(points)) if points else naming.default_survival_points(manifest)
    for point in chosen:
        try:
            naming.check_point(manifest, point)
        except ValueError as exc:
            raise NoSuchFigure(str(exc)) from None
    if len(chosen) > len(OKABE_ITO):
        raise NoSuchFigure(f"{len(chosen)} points: a survival figure shows at most {len(OKABE_ITO)}")
    deployments = _rows(folder, "deployments", chosen, None, _SURVIVAL_COLUMNS)
    missing = [p for p in chosen if p not in set(deployments["point"])]
    if points and missing:
        raise NoSuchFigure(f"no results for point {missing[0]}: {_unfinished(manifest)}")
    chosen = [p for p in chosen if p not in missing]
    if not chosen:
        raise NoSuchFigure(f"no deployments of the chosen points: {_unfinished(manifest)}")
    curves = {
        naming.curve_label(manifest, point): analysis.kaplan_meier(deployments[deployments["point"] == point])
        for point in chosen
    }
    count = len(manifest["points"])
    subset = "" if points or len(chosen) == count else f"{len(chosen)} of {count} design points (pick with --point)"
    return figures.survival(curves, subtitle=subset)


def _png(fig: Figure) -> str:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return base64.b64encode(buffer.getvalue()).decode()


def _section(title: str, body: str) -> str:
    return f"<section><h2>{html.escape(title)}</h2>{body}</section>"


def status_note(folder: Path) -> str:
    """What a reader must know before trusting the folder: empty if the run finished.

    An interrupted run leaves a manifest with status ``running`` and only the parts it finished;
    its figures and tables describe those parts, not the whole experiment.
    """
    manifest = _manifest(Path(folder))
    status = manifest.get("status", "complete")
    if status == "complete":
        return ""
    chunk = manifest.get("chunk") or manifest["replications"]
    expected = len(manifest["points"]) * -(-manifest["replications"] // chunk)
    done = sum(key.startswith("deployments/") for key in recorded_parts(Path(folder), manifest))
    return (
        f"this run did not finish (status {status!r}): {done} of {expected} parts are on disk, so the figures and "
        "tables show only those; run the same command again to resume"
    )


def _pooled(manifest: dict) -> str:
    points = len(manifest["points"])
    reps = f"{manifest['replications']:,} replications"
    return f"{reps} x {points:,} design points, pooled" if points > 1 else reps


def _run_fields(manifest: dict) -> dict[str, object]:
    design = manifest.get("experiment", {}).get("design", {})
    points = len(manifest["points"])
    return {
        "name": manifest["name"],
        "status": manifest.get("status", "complete"),
        "design": f"{design.get('kind', 'grid')}, {points:,} design points" if points > 1 else "",
        "replications": f"{manifest['replications']:,}" + (" per design point" if points > 1 else ""),
        "seed": manifest["seed"],
        "started": page.timestamp_text(manifest.get("started")),
        "finished": page.timestamp_text(manifest.get("finished")),
        "time taken": page.duration_text(manifest.get("seconds")),
        "executor": manifest.get("executor"),
        "pko-sim version": manifest["version"],
        "git commit": (manifest.get("git_commit") or "")[:12],
    }


def _design_sections(manifest: dict) -> list[str]:
    """A sweep's factors and its points, the base point marked."""
    factors = manifest.get("experiment", {}).get("factors", [])
    if not factors:
        return []
    table = pd.DataFrame(factors).reindex(columns=["path", "low", "high", "levels", "integer"])
    table = table.dropna(axis="columns", how="all")
    points = pd.DataFrame(manifest["points"])
    points = points[["point", *naming.factor_paths(manifest)]]
    base = naming.base_points(manifest)
    points.insert(1, "base", ["base" if p in base else "" for p in points["point"]])
    note = "<p>The base point has every factor at the base scenario's value.</p>" if base else ""
    return [
        _section("Factors", page.table(table, "factors")),
        _section(f"Design points ({len(points):,})", note + page.table(points, "design points")),
    ]


def _first_point(manifest: dict, done: set[int]) -> int:
    """The point a run's single-point sections describe: the base point, else the first one.

    Of the points with results (``done``): an interrupted sweep may not have reached the base point.
    """
    base = [p for p in naming.base_points(manifest) if p in done]
    return base[0] if base else int(min(done))


_NO_EVENTS = (
    "This folder was written with --no-events: it keeps the deployments table only, so it has no timeline and "
    "no figure of persons engaged against the cap."
)


def report(folder: Path, out: Path | None = None) -> Path:
    """Write one self-contained HTML page with every figure and table the results allow.

    Sections that have nothing to show are left out (a run without factors has no design and no
    metrics per point); a folder without events (``--no-events``) says which figures need them.
    """
    folder = Path(folder)
    manifest = _manifest(folder)
    done = set(points_with_rows(folder, "deployments"))  # from the parts' footers: no rows are read
    if not done:
        raise NoSuchFigure(f"{folder} holds no finished part yet: nothing to report")
    sections = []
    warning = status_note(folder)
    if warning:
        sections.append(f'<p class="warn"><strong>Unfinished run:</strong> {html.escape(warning)}.</p>')
    descriptions = [manifest.get("experiment", {}).get("description", ""), manifest["base_scenario"]["description"]]
    for text in dict.fromkeys(d.strip() for d in descriptions if d.strip()):
        sections.append(f'<p class="description">{html.escape(text)}</p>')
    sections.append(_section("Run", page.fields(_run_fields(manifest))))
    sections += _design_sections(manifest)
    point = _first_point(manifest, done)
    label = naming.describe_point(manifest, point)
    of_point = f" — {label}" if label else ""
    builders: list[tuple[str, Callable[[], Figure]]] = []
    if manifest.get("events", True):
        builders += [
            (f"Timeline of replication 0{of_point}", lambda: figure(folder, "timeline", points=[point])),
            (f"Persons engaged against the cap (Art. 19(1)){of_point}", lambda: figure(folder, "cap", points=[point])),
        ]
    else:
        sections.append(f"<p>{_NO_EVENTS}</p>")
    builders += [
        (f"Durations ({_pooled(manifest)})", lambda: figure(folder, "durations")),
        ("Survival of deployments", lambda: figure(folder, "survival")),
    ]
    if (folder / "sensitivity.parquet").exists():
        table = pd.read_parquet(folder / "sensitivity.parquet")
        kind = "tornado" if "effect" in table else "sensitivity"
        for metric in dict.fromkeys(table["metric"]):
            builders.append((f"Sensitivity: {metric}", lambda m=metric, k=kind: figure(folder, k, metric=m)))
    builders += _response_builders(folder, manifest)
    for title, build in builders:
        try:
            sections.append(_section(title, f'<img alt="{html.escape(title)}" src="data:image/png;base64,'
                                            f'{_png(build())}">'))  # fmt: skip
        except NoSuchFigure as exc:
            sections.append(_section(title, f"<p>{html.escape(str(exc))}</p>"))
    sections += _summary_sections(folder, manifest)
    sections += _portfolio_sections(folder, manifest, point, of_point)
    first = _rows(folder, "deployments", [point], None, _POINT_TABLE_COLUMNS)
    sections.append(_section(f"How deployments ended (share of replications){of_point}",
                             page.table(analysis.termination_causes(first).reset_index(), "causes")))  # fmt: skip
    sections.append(_section(f"Durations and counts (mean, 95% interval, quartiles){of_point}",
                             page.table(analysis.describe(first), "durations and counts")))  # fmt: skip
    curve = analysis.kaplan_meier(first)
    median = analysis.median_survival(curve)
    text = f"{median:,.0f} days from dispatch to termination" if median == median else "not reached"
    note = "Kaplan-Meier, censored at the horizon; not reached while more than half still run"
    sections.append(_section(f"Median survival{of_point}", f"<p>{text} ({note})</p>"))
    page_html = _PAGE.format(title=html.escape(f"pko-sim report: {manifest['name']}"), body="\n".join(sections))
    target = Path(out) if out is not None else folder / "report.html"
    write_text(page_html, target)
    return target


def _portfolio_sections(folder: Path, manifest: dict, point: int, of_point: str) -> list[str]:
    """A scenario with request streams is a portfolio over the years: its measures with 95%
    intervals and its person-days per year (:mod:`sim.analysis.portfolio`), for one design point.

    Read a chunk of replications at a time, and of ``.events`` only the events the measures
    count: every measure is a value per replication, so the chunks' values, concatenated, are
    those of the whole point, and memory holds one chunk, not the point's event log.
    """
    base = manifest["base_scenario"]
    if not base.get("streams") or not manifest.get("events", True):
        return []
    start = dt.date.fromisoformat(base["start"])
    end = horizon_date(start, base.get("end") and dt.date.fromisoformat(base["end"]), base.get("horizon_years"))
    measures, by_year = [], []
    read = {"events": _PORTFOLIO_EVENTS, "deployments": _PORTFOLIO_DEPLOYMENTS, "engaged": _PORTFOLIO_ENGAGED}
    counted = {"events": pc.field("event").isin(list(analysis.PORTFOLIO_EVENTS))}
    for replications, chunk in chunks(folder, read, where=counted, points=[point]):
        events, deployments, engaged = chunk["events"], chunk["deployments"], chunk["engaged"]
        persons = analysis.person_days_by_year(engaged, start, end)
        measures.append(
            analysis.portfolio_per_replication(events, deployments, engaged, start, end, replications, persons=persons)
        )
        by_year.append(persons)
    if not measures:
        return []
    summary = analysis.summarize_portfolio(pd.concat(measures))
    figure_ = figures.person_days(pd.concat(by_year, ignore_index=True), cap=base["cap"]["limit"])
    title = f"The portfolio per year{of_point}"
    return [
        _section(f"The portfolio (mean, 95% interval, 5-95% range){of_point}", page.table(summary, "portfolio")),
        _section(title, f'<img alt="{html.escape(title)}" src="data:image/png;base64,{_png(figure_)}">'),
    ]


_PORTFOLIO_EVENTS = ("replication", "deployment", "date", "event", "detail")
_PORTFOLIO_DEPLOYMENTS = ("replication", "deployment", "dispatch_date", "days_waited_for_cap")
_PORTFOLIO_ENGAGED = ("replication", "t", "total")
"""What :func:`sim.analysis.portfolio_per_replication` reads of each table."""


def _summary_sections(folder: Path, manifest: dict) -> list[str]:
    """Metrics per design point (base point marked) and sensitivity indices, when the run has them."""
    sections = []
    summary_path = folder / "summary.parquet"
    summary = pd.read_parquet(summary_path) if summary_path.exists() else pd.DataFrame()
    if not summary.empty:
        base = naming.base_points(manifest)
        if base:
            summary.insert(1, "base", ["base" if p in base else "" for p in summary["point"]])
        sections.append(_section("Metrics per design point", page.table(summary, "metrics per design point")))
    if (folder / "sensitivity.parquet").exists():
        indices = pd.read_parquet(folder / "sensitivity.parquet")
        sections.append(_section("Sensitivity indices", page.table(indices, "sensitivity indices")))
    return sections


_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 1100px; color: #222; }}
h1 {{ font-size: 1.6rem; }} h2 {{ font-size: 1.2rem; margin-top: 2rem; border-bottom: 1px solid #ddd; }}
img {{ max-width: 100%; }} table.t {{ border-collapse: collapse; font-size: 0.85rem; }}
table.t td, table.t th {{ padding: 0.2rem 0.6rem; border-bottom: 1px solid #eee; text-align: right; }}
table.fields th {{ text-align: left; }} table.fields td {{ text-align: left; }}
div.scroll {{ max-width: 100%; overflow-x: auto; }} div.tall {{ max-height: 28rem; overflow-y: auto; }}
details summary {{ cursor: pointer; color: #0072B2; margin: 0.5rem 0; }}
p.warn {{ background: #FFF4E0; border-left: 4px solid #E69F00; padding: 0.6rem 1rem; }}
p.description {{ font-style: italic; }}
</style></head>
<body><h1>{title}</h1>
<p>Simulated under Act No. 79 of 1992 (International Peace Cooperation Act); every event carries its article.</p>
{body}
</body></html>
"""
