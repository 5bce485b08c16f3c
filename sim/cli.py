"""The ``pko-sim`` command: run, sweep, summarize, plot, report, discover, replay, counterfactual, validate, rules,
calibrate.

Errors a user can fix (a bad scenario, a folder holding another run) are printed as plain
messages with exit code 1, never as tracebacks; Ctrl-C stops cleanly with exit code 130 and
leaves no half-written file, because every table is written atomically.

Heavy libraries (pandas, matplotlib, SciPy, SALib, Dask) are imported inside the commands that
use them, so that ``pko-sim --help`` and ``pko-sim validate`` start at once.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from sim.figures.kinds import KINDS

if TYPE_CHECKING:
    import pandas as pd

    from sim import law
    from sim.scenario import Scenario
    from sim.sweep.experiment import ExperimentResult, PlannedExperiment

app = typer.Typer(
    add_completion=False,
    rich_markup_mode=None,
    no_args_is_help=True,
    help="Simulate deployments under Japan's International Peace Cooperation Act (Act No. 79 of 1992).",
)
_WIDTH = None if sys.stdout.isatty() else 160  # tables stay readable when piped to a file
out = Console(width=_WIDTH)
err = Console(stderr=True, width=_WIDTH)

DEFAULT_CONFIG = Path("configs/baseline.yaml")


def _fail(message: str) -> typer.Exit:
    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False)  # paths like deployments[x] are not markup
    return typer.Exit(code=1)


def _load(path: Path) -> Scenario:
    from sim.scenario import ConfigError, load_scenario

    try:
        return load_scenario(path)
    except ConfigError as exc:
        raise _fail(str(exc)) from None


EXECUTOR_HELP = "serial, processes (the default: all cores) or dask (implied by --scheduler)."
POINT_HELP = (
    "Design point of a sweep for timeline, cap and durations (default 0; durations pool all points unless one "
    "is given); repeat it to choose the curves of survival."
)
SCHEDULER_HELP = "Address of a Dask scheduler to run on (implies --executor dask; default: a local cluster)."


def _executor(executor: str | None, scheduler: str | None) -> str:
    """The executor asked for: a scheduler address means Dask, and contradicts any other executor."""
    if scheduler is None:
        return executor or "processes"
    if executor in (None, "dask"):
        return "dask"
    raise _fail(f"--scheduler {scheduler} runs on a Dask cluster; drop --executor {executor} or use --executor dask")


@app.command()
def run(
    config: Path = typer.Argument(DEFAULT_CONFIG, help="Scenario YAML file."),
    replications: int | None = typer.Option(
        None, "--replications", "-n", min=1, help="Override the scenario's replications."
    ),
    seed: int | None = typer.Option(None, "--seed", "-s", min=0, help="Override the scenario's seed."),
    out_dir: Path | None = typer.Option(None, "--out", "-o", help="Output folder (default results/<scenario name>)."),
    fresh: bool = typer.Option(False, "--fresh", help="Replace whatever the folder holds instead of resuming."),
    executor: str | None = typer.Option(None, "--executor", "-e", help=EXECUTOR_HELP),
    workers: int | None = typer.Option(None, "--workers", "-w", min=1, help="Worker processes."),
    scheduler: str | None = typer.Option(None, "--scheduler", help=SCHEDULER_HELP),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show a progress bar."),
    figures: bool = typer.Option(True, "--figures/--no-figures", help="Write figures under <out>/figures."),
) -> None:
    """Simulate a scenario: Parquet tables, a manifest and figures under results/<name>/."""
    from sim.sweep.experiment import ExperimentSpec, load_experiment

    scenario = _load(config)
    spec = ExperimentSpec(
        name=scenario.name,
        scenario=scenario.model_dump(mode="json"),
        replications=replications or scenario.replications,
        seed=seed,
    )
    plan = load_experiment(spec)
    folder = out_dir or Path("results") / scenario.name
    with _holding(folder):  # the figures too: a --fresh run beside them would delete what they read
        result = _run(plan, folder, fresh=fresh, executor=executor, workers=workers, events=True, progress=progress,
                      scheduler=scheduler)  # fmt: skip
        if figures:
            _write_figures(result)
    _report(result)


@app.command()
def sweep(
    experiment: Path = typer.Argument(..., help="Experiment YAML file."),
    executor: str | None = typer.Option(None, "--executor", "-e", help=EXECUTOR_HELP),
    workers: int | None = typer.Option(None, "--workers", "-w", min=1, help="Workers (default: all cores)."),
    scheduler: str | None = typer.Option(None, "--scheduler", help=SCHEDULER_HELP),
    out_dir: Path | None = typer.Option(None, "--out", "-o", help="Output folder (default results/<experiment name>)."),
    resume: bool = typer.Option(True, "--resume/--fresh", help="Skip finished parts, or start the folder afresh."),
    events: bool = typer.Option(True, "--events/--no-events", help="Keep the event log (or only deployments)."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show a progress bar."),
) -> None:
    """Run an experiment: every design point, every replication, summaries and sensitivity indices."""
    from sim.scenario import ConfigError
    from sim.sweep.experiment import load_experiment

    try:
        plan = load_experiment(experiment)
    except ConfigError as exc:
        raise _fail(str(exc)) from None
    folder = out_dir or Path("results") / plan.spec.name
    result = _run(plan, folder, fresh=not resume, executor=executor, workers=workers, events=events,
                  progress=progress, scheduler=scheduler)  # fmt: skip
    _report(result)


@app.command()
def summarize(
    results: Path = typer.Argument(..., help="A results folder written by sweep or run."),
    experiment: Path | None = typer.Option(
        None, "--experiment", "-x", help="Experiment file with the metrics to use (default: the folder's own)."
    ),
) -> None:
    """Recompute summaries and sensitivity indices from stored parts, without simulating again."""
    from sim.scenario import ConfigError
    from sim.sweep.experiment import StoredResultsMismatch, summarize_results
    from sim.sweep.lock import FolderInUse

    _need_results(results)
    try:
        result = summarize_results(results, experiment)
    except (ConfigError, StoredResultsMismatch, FolderInUse) as exc:
        raise _fail(str(exc)) from None
    m = result.manifest
    out.print(
        f"{m['name']}: {len(result.points)} point(s) x {m['replications']} replications, "
        f"summaries recomputed from the stored parts (nothing simulated) -> {result.folder}/",
        highlight=False,
    )
    _report(result, header=False)


@contextmanager
def _holding(folder: Path) -> Iterator[None]:
    """Hold the results folder's lock for the block; another run holding it is a plain error."""
    from sim.sweep.lock import FolderInUse, locked

    _need_folder(folder)
    try:
        with locked(folder, lambda message: err.print(message, highlight=False)):
            yield
    except FolderInUse as exc:
        raise _fail(str(exc)) from None


def _run(plan: PlannedExperiment, folder: Path, *, fresh: bool, **options: object) -> ExperimentResult:
    from sim.model.world import RunawayScenario
    from sim.sweep.executors import EXECUTORS, TaskFailed
    from sim.sweep.experiment import run_experiment
    from sim.sweep.store import ResultsFolderConflict

    options["executor"] = _executor(options["executor"], options["scheduler"])  # type: ignore[arg-type]
    options["announce"] = lambda message: err.print(message, highlight=False)
    if options["executor"] not in EXECUTORS:
        raise _fail(f"unknown executor {options['executor']!r}; choose one of {', '.join(EXECUTORS)}")
    try:
        with _holding(folder):
            return run_experiment(plan, out=folder, resume=not fresh, **options)  # type: ignore[arg-type]
    except ResultsFolderConflict as exc:
        raise _fail(str(exc)) from None
    except RunawayScenario as exc:
        raise _fail(str(exc)) from None
    except TaskFailed as exc:
        raise _fail(f"{exc}; finished parts are kept, run the same command again to resume") from None
    except KeyboardInterrupt:
        err.print(f"interrupted: finished parts are kept in {folder}/; run the same command again to resume")
        raise typer.Exit(code=130) from None


def _report(result: ExperimentResult, *, header: bool = True) -> None:
    from sim.figures import short_labels

    m = result.manifest
    if header:
        out.print(
            f"{m['name']}: {len(result.points)} point(s) x {m['replications']} replications, seed {m['seed']}, "
            f"{m['seconds']:.2f} s -> {result.folder}/",
            highlight=False,
        )
    if not result.summary.empty:
        factors = [c for c in result.points.columns if c != "point"]
        shown = result.summary[["point", *factors, "metric", "estimate", "ci_low", "ci_high"]].round(3)
        shown = shown.rename(columns=dict(zip(factors, short_labels(factors), strict=True)))
        more = f"\n... {len(shown) - 20} more rows in {result.folder}/summary.parquet" if len(shown) > 20 else ""
        out.print(shown.head(20).to_string(index=False) + more, highlight=False)
    if not result.sensitivity.empty:
        out.print(_sensitivity_table(result.sensitivity))
        out.print(f"sensitivity indices: {result.folder}/sensitivity.parquet", highlight=False)
    for warning in m.get("warnings", []):
        err.print(f"[bold yellow]warning:[/] {warning}", highlight=False)


def _sensitivity_table(sensitivity: pd.DataFrame) -> Table:
    """The sensitivity indices per metric and factor, numbers to four significant digits."""
    table = Table(*[str(c) for c in sensitivity.columns], title="Sensitivity indices")
    for row in sensitivity.itertuples(index=False):
        table.add_row(*[f"{v:,.4g}" if isinstance(v, float) else escape(str(v)) for v in row])
    return table


def _write_figures(result: ExperimentResult) -> None:
    """The run's standard figures and its HTML report."""
    import matplotlib.pyplot as plt

    from sim.figures import report
    from sim.sweep.store import write_figure

    for kind in ("timeline", "cap", "durations", "survival"):
        fig = report.figure(result.folder, kind)
        write_figure(fig, result.folder / "figures" / f"{kind}.png")
        plt.close(fig)
    report.report(result.folder)


@app.command()
def plot(
    results: Path = typer.Argument(..., help="A results folder written by run or sweep."),
    kind: str = typer.Option("timeline", "--kind", "-k", help=", ".join(KINDS)),
    replication: int = typer.Option(0, "--replication", "-r", min=0, help="Replication for timeline and cap."),
    point: list[int] | None = typer.Option(None, "--point", "-p", min=0, help=POINT_HELP),
    metric: str | None = typer.Option(None, "--metric", "-m", help="Metric for tornado, sensitivity and response."),
    factor: list[str] | None = typer.Option(
        None, "--factor", "-f", help="Factor for response (once: lines; twice: a heat map); path or its ending."
    ),
    out_file: Path | None = typer.Option(None, "--out", "-o", help="PNG or SVG file (default <results>/figures/)."),
) -> None:
    """Draw one figure of a results folder."""
    from sim.figures import report
    from sim.sweep.store import write_figure

    _need_results(results)
    try:
        fig = report.figure(results, kind, replication=replication, metric=metric, points=point or None,
                            factors=factor)  # fmt: skip
    except ValueError as exc:
        raise _fail(str(exc)) from None
    target = out_file or results / "figures" / f"{kind}.png"
    if target.suffix.lower() not in (".png", ".svg"):
        raise _fail(f"{target}: the figure is written as .png or .svg")
    write_figure(fig, target)
    out.print(f"{kind} -> {target}", highlight=False)


@app.command(name="report")
def report_command(
    results: Path = typer.Argument(..., help="A results folder written by run or sweep."),
    out_file: Path | None = typer.Option(None, "--out", "-o", help="HTML file (default <results>/report.html)."),
) -> None:
    """Write one self-contained HTML page with the figures and tables of a results folder."""
    from sim.figures import report

    _need_results(results)
    warning = report.status_note(results)
    if warning:
        err.print(f"[bold yellow]warning:[/] {warning}", highlight=False)
    try:
        written = report.report(results, out_file)
    except ValueError as exc:
        raise _fail(str(exc)) from None
    out.print(f"report -> {written}", highlight=False)


def _need_results(folder: Path) -> None:
    """A results folder with a manifest that reads as one, or a message saying what is wrong."""
    from sim.sweep.store import read_manifest_safely

    if not (folder / "manifest.json").exists():
        raise _fail(f"{folder} is not a results folder (no manifest.json); run pko-sim run or sweep first")
    manifest, why = read_manifest_safely(folder)
    if manifest is None:
        raise _fail(f"{folder}: manifest.json is {why}; run the same pko-sim run or sweep again to rebuild it")


def _need_folder(folder: Path) -> None:
    """``--out`` must be a folder, or a path where one can be made: not a file, nor inside one."""
    for path in (folder, *folder.parents):
        if path.exists():
            if not path.is_dir():
                where = "is" if path == folder else f"is inside {path}, which is"
                raise _fail(f"--out {folder} {where} a file, not a folder; give a folder (it is made if missing)")
            return


@app.command()
def counterfactual(
    replications: int = typer.Option(200, "--replications", "-n", min=1, help="Replications per deployment."),
    seed: int = typer.Option(1992, "--seed", "-s", min=0),
    out_dir: Path = typer.Option(Path("results/counterfactuals"), "--out", "-o", help="Output folder."),
) -> None:
    """Real SDF-unit deployments as if their tasks had needed Diet approval (Art. 6(7)), on the real calendar."""
    from sim.studies.counterfactual import counterfactuals, write

    table = counterfactuals(replications=replications, seed=seed)
    csv, png = write(table, out_dir)
    shown = table[
        ["deployment", "decision_date", "share_after_the_fact", "first_sought", "days_sought_to_decision_median"]
    ]
    out.print(shown.to_string(index=False), highlight=False)
    out.print(f"-> {csv}, {png}", highlight=False)


@app.command()
def validate(
    config: Path = typer.Argument(..., help="Scenario or experiment YAML file."),
    calibrate_replications: int = typer.Option(
        3, "--calibration", min=0, help="Experiments: replications of the base timed for the estimate (0: none)."
    ),
) -> None:
    """Check a scenario or an experiment; print its problems (exit 1) or a one-screen summary (exit 0)."""
    from sim.model.portfolio import is_deterministic, plan_portfolio

    if _is_experiment(config):
        _validate_experiment(config, calibrate_replications)
        return
    scenario = _load(config)
    out.print(
        f"[bold]{scenario.name}[/]  {scenario.start} -> {scenario.end_date} "
        f"({scenario.horizon_days:,} days), seed {scenario.seed}, "
        f"{scenario.replications} replications, "
        f"{'deterministic' if is_deterministic(scenario) else 'stochastic'}"
    )
    if scenario.description:
        out.print(scenario.description.strip(), highlight=False)
    if scenario.alliance is not None:
        out.print(scenario.alliance.summary(), highlight=False)
    table = Table(
        "id",
        "operation",
        "route",
        "request",
        "persons",
        "tasks",
        "prior approval",
        "Art. 6(13) item",
        "consent",
    )
    for plan in plan_portfolio(scenario):
        dep = plan.spec
        op = dep.operation.value + (f" ({dep.subtype})" if dep.subtype else "")
        tasks = "; ".join(f"{c.kind.value}: {','.join(c.tasks)}" for c in dep.contingents)
        lacking = ", ".join(name for name, _ in plan.missing_consent) or "ok"
        table.add_row(
            dep.id, op, "Art. 27" if plan.is_article_27 else "plan", str(dep.request),
            f"{dep.personnel:,}", tasks, "needed (Art. 6(7))" if plan.needs_prior_approval else "no",
            plan.conditions_item.removeprefix("Art. "), lacking,
        )  # fmt: skip
    out.print(table)
    if scenario.streams:
        out.print(_streams_table(scenario))


def _streams_table(scenario: Scenario) -> Table:
    """The request streams: how requests arrive, how many to expect, and what they are."""
    from sim.model.arrivals import plan_streams
    from sim.scenario.rates import expected_arrivals

    table = Table("stream", "arrivals", "expected per replication", "templates", "prior approval (Art. 6(7))")
    for planned in plan_streams(scenario):
        stream = planned.stream
        needing = sum(t.needs_prior_approval for t in planned.templates)
        table.add_row(
            stream.name, stream.arrivals.process, f"{expected_arrivals(scenario, stream):.1f}",
            str(len(planned.templates)), f"{needing} of {len(planned.templates)} templates",
        )  # fmt: skip
    return table


def _is_experiment(path: Path) -> bool:
    """An experiment file has ``scenario:`` and ``factors:`` or ``design:`` at its top level; a scenario has neither."""
    from sim.scenario import ConfigError, read_yaml

    try:
        data = read_yaml(path)
    except ConfigError as exc:
        raise _fail(str(exc)) from None
    return isinstance(data, Mapping) and "scenario" in data and ("factors" in data or "design" in data)


def _validate_experiment(path: Path, calibrate_replications: int) -> None:
    """Print an experiment's size, its warnings and an estimate of its time, or every problem (exit 1)."""
    from sim.scenario import ConfigError
    from sim.sweep.experiment import load_experiment, seconds_per_replication

    try:
        plan = load_experiment(path)
    except ConfigError as exc:
        raise _fail(str(exc)) from None
    spec = plan.spec
    chunks = len(plan.tasks())
    design = plan.design.kind if plan.design is not None else "grid"
    out.print(
        f"[bold]{spec.name}[/]  {design} design over {len(spec.factors)} factor(s): {len(plan.points)} point(s) x "
        f"{spec.replications} replications = {len(plan.points) * spec.replications:,} replications in {chunks} "
        f"chunk(s) of up to {spec.chunk}; seed {plan.seed}; base scenario {plan.base.name}"
    )
    for factor in spec.factors:
        values = factor.levels if factor.levels is not None else f"[{factor.low:g}, {factor.high:g}]"
        out.print(f"  factor {factor.path}: {values}", highlight=False)
    for metric in spec.metrics:
        what = metric.where if metric.stat == "probability" else metric.column
        out.print(f"  metric {metric.name}: {metric.stat} of {what}", highlight=False)
    for warning in plan.warnings:
        err.print(f"[bold yellow]warning:[/] {warning}", highlight=False)
    if calibrate_replications:
        per = seconds_per_replication(plan, calibrate_replications)
        total = per * len(plan.points) * spec.replications
        cores = os.cpu_count() or 1
        busy = min(cores, chunks)  # a chunk runs on one core: fewer chunks than cores leave some idle
        idle = f" (its {chunks} chunk(s) keep no more busy)" if busy < cores else ""
        out.print(
            f"  estimate: {per:.3g} s per replication of the base scenario ({calibrate_replications} timed here) "
            f"-> about {_duration(total)} on one core, {_duration(total / busy)} on {busy} core(s){idle}",
            highlight=False,
        )


def _duration(seconds: float) -> str:
    """Seconds as a rough, readable duration."""
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


@app.command()
def rules(
    as_of: str | None = typer.Option(None, "--as-of", help="Print the rulebook in force on this date (YYYY-MM-DD)."),
    diff: tuple[str, str] | None = typer.Option(None, "--diff", help="Print what changed between two dates."),
    html_out: Path | None = typer.Option(None, "--html", help="Write the rulebook a lawyer can read to this file."),
) -> None:
    """Print the rulebooks: every rule the model applies (the Act, the Treaty, the guidelines, other laws).

    Then the tasks (a)-(v) of Art. 3(v), the letters a contingent's ``tasks`` name.  ``--as-of`` gives
    the Act's text in force on a date (docs/law.md, *The Act over time*), ``--diff D1 D2`` what changed
    between two dates, ``--html FILE`` one page with each provision's words beside its rule.
    """
    from sim import law

    version = _version_on(as_of)
    if diff is not None:
        _print_diff(_version_on(diff[0]), _version_on(diff[1]))
        return
    if html_out is not None:
        from sim.law import lawbook

        html_out.write_text(lawbook.render(version, Path(__file__).resolve().parent.parent), encoding="utf-8")
        out.print(f"wrote {html_out} ({version.title})")
        return
    if not version.is_current or as_of is not None:
        out.print(f"The Act as in force on {as_of}: {version.title}")
    table = Table("rule", "source", "citations", "what the model applies", show_lines=True)
    for rule in version.rules if as_of is not None else law.RULES:
        table.add_row(rule.name, rule.source, "\n".join(rule.citations), rule.statement)
    out.print(table)
    out.print(_task_table() if version is law.versions.CURRENT else _task_table_of(version))


def _version_on(day: str | None) -> law.versions.ActVersion:
    """The Act's version in force on ``day`` (today's if None); a clear error for a bad date."""
    import datetime as dt

    from sim import law

    if day is None:
        return law.versions.CURRENT
    try:
        return law.versions.version_on(dt.date.fromisoformat(day))
    except ValueError as exc:
        raise _fail(f"--as-of/--diff: {day!r}: {exc}") from None


def _print_diff(old: law.versions.ActVersion, new: law.versions.ActVersion) -> None:
    """What changed between two versions' rulebooks, rule by rule."""
    from sim import law

    out.print(f"From {old.title}\nto   {new.title}")
    changes = law.versions.diff(old, new)
    if not changes:
        out.print("nothing changed")
        return
    table = Table("rule", "change", "before", "after", show_lines=True)
    for name, change, before, after in changes:
        shown = [f"{r.statement}\n[{'; '.join(r.citations)}]" if r is not None else "" for r in (before, after)]
        table.add_row(name, change, *shown)
    out.print(table)


def _task_table_of(version: law.versions.ActVersion) -> Table:
    """The task letters (today's) and how the earlier text ``version`` cites each, or that it lacks it."""
    from sim import law

    table = Table("task", "provision", "meaning", title=f"Tasks in {version.title} (today's letters)")
    for letter, meaning in law.TASKS.items():
        shown = version.cite(law.task_citation(letter)) if letter in version.tasks else "does not exist"
        table.add_row(f"({letter})", shown, meaning)
    return table


def _task_table() -> Table:
    """The lettered tasks of Art. 3(v) that a scenario's ``tasks`` lists name."""
    from sim import law

    table = Table("task", "article", "meaning", title="Tasks (the letters of a contingent's tasks)")
    for letter, meaning in law.TASKS.items():
        table.add_row(f"({letter})", law.task_citation(letter), meaning)
    return table


def main() -> None:  # pragma: no cover - console-script entry point
    """Entry point of the ``pko-sim`` console script.

    The command writes figures to files and never opens a window, so it chooses matplotlib's
    Agg backend here, before any figure is drawn (matplotlib reads ``MPLBACKEND`` when it is
    first imported); the library itself chooses none, so that notebooks show figures inline.
    """
    os.environ["MPLBACKEND"] = "Agg"
    app()


@app.command()
def calibrate(
    scenario: Path = typer.Option(DEFAULT_CONFIG, "--scenario", help="Scenario whose deployments are fitted."),
    out_file: Path = typer.Option(
        Path("configs/baseline.calibrated.yaml"), "--out", "-o", help="Fitted values: a file the scenario includes."
    ),
    report_dir: Path = typer.Option(Path("results/calibration"), "--report", help="Folder of the calibration report."),
    replications: int | None = typer.Option(
        None, "--replications", "-n", min=1, help="Replications simulated for the report (default: the scenario's)."
    ),
    seed: int | None = typer.Option(None, "--seed", "-s", min=0, help="Seed of the report's simulation."),
    force: bool = typer.Option(False, "--force", help="Overwrite the fitted-values file if it exists."),
    streams_file: Path = typer.Option(
        Path("configs/baseline.streams.yaml"),
        "--streams",
        help="Request streams fitted to the record: a file it includes.",
    ),
) -> None:
    """Fit lags, plan periods and extensions to the real deployments; write them and a report comparing the model."""
    from sim.scenario import ConfigError
    from sim.studies import calibration
    from sim.studies.calibration import arrivals

    for path in (out_file, streams_file):
        if path.exists() and not force:
            raise _fail(
                f"{path} exists (the default is a calibration the baseline includes, tracked in git); "
                "pass --force to overwrite it, or name another file"
            )
    try:
        fitted = calibration.calibrate(scenario)
        streams_written = arrivals.write_streams(arrivals.fit_streams(calibration=fitted), streams_file)
        written = calibration.write_calibrated(fitted, out_file)
        report_file = calibration.write_report(fitted, report_dir, replications=replications, seed=seed)
    except ConfigError as exc:
        raise _fail(str(exc)) from None
    out.print(f"fitted values -> {written}", highlight=False)
    out.print(f"request streams -> {streams_written}", highlight=False)
    for line in fitted.not_fitted():
        out.print(f"  not fitted: {line}", highlight=False)
    out.print(f"report -> {report_file}", highlight=False)
    band = calibration.read_band(report_file.parent)
    out.print(f"  forecast band: {calibration.band_summary(band)}", highlight=False)


@app.command()
def discover(
    results: Path = typer.Argument(..., help="A results folder written by sweep."),
    where: str = typer.Option(
        ..., "--where", help='Outcome of interest, a condition on .deployments, e.g. "days_decision_to_dispatch > 60".'
    ),
    threshold: float = typer.Option(0.8, "--threshold", help="PRIM: the least share of a box's rows with the outcome."),
    boxes: int = typer.Option(3, "--boxes", min=1, help="PRIM: at most this many boxes."),
    depth: int = typer.Option(3, "--depth", min=1, help="CART: the tree's depth."),
    deployment: list[str] | None = typer.Option(
        None, "--deployment", "-d", help="Only these deployments count for the outcome (default: any)."
    ),
) -> None:
    """Scenario discovery: which regions of the factors give the outcome (PRIM boxes, a CART tree, scores)."""
    from sim.analysis import discovery
    from sim.sweep.store import write_json, write_table, write_text

    _need_results(results)
    try:
        outcomes = discovery.outcome_table(results, where, deployments=deployment)
        found = discovery.prim_boxes(outcomes, threshold=threshold, boxes=boxes)
        tree = discovery.cart(outcomes, max_depth=depth)
        scores = discovery.feature_scores(outcomes)
    except discovery.MissingDiscoveryLibraries as exc:
        raise _fail(str(exc)) from None
    except ValueError as exc:
        raise _fail(str(exc)) from None
    hits = int(outcomes[discovery.OUTCOME].sum())
    out.print(f"{escape(where)}: {hits} of {len(outcomes)} replications ({hits / len(outcomes):.1%})", highlight=False)
    out.print(_boxes_table(found, threshold))
    out.print(f"CART tree (depth {depth}; weights: replications without, with the outcome)", highlight=False)
    out.print(tree.text, highlight=False, markup=False)
    scores_table = Table("factor", "importance", title="Feature scores (extra trees)")
    for row in scores.itertuples(index=False):
        scores_table.add_row(escape(row.factor), f"{row.importance:.3f}")
    out.print(scores_table)
    folder = results / "discovery"
    folder.mkdir(exist_ok=True)
    for name, frame in (("outcomes", outcomes), ("boxes", found), ("tree", tree.leaves), ("scores", scores)):
        write_table(frame, folder / f"{name}.parquet")
    write_text(tree.text, folder / "tree.txt")
    write_json({"where": where, "deployments": deployment, "threshold": threshold, "boxes": boxes, "depth": depth},
               folder / "query.json")  # fmt: skip
    out.print(f"-> {folder}/", highlight=False)


def _boxes_table(found: pd.DataFrame, threshold: float) -> Table | str:
    """The PRIM boxes: the limits of the factors each restricts, and its coverage, density and mass."""
    if found.empty:
        return f"PRIM: no box restricting a factor reaches density {threshold:g} (try a lower --threshold)"
    table = Table("box", "restricts", "coverage", "density", "mass", title=f"PRIM boxes (density >= {threshold:g})")
    for number, rows in found.groupby("box", sort=True):
        limits = rows[rows["restricted"]]
        text = "\n".join(f"{r.min:,.4g} <= {escape(r.factor)} <= {r.max:,.4g}" for r in limits.itertuples(index=False))
        first = rows.iloc[0]
        table.add_row(str(number), text, f"{first.coverage:.2f}", f"{first.density:.2f}", f"{first.mass:.2f}")
    return table


@app.command()
def replay(
    mission: str | None = typer.Argument(None, help="A mission of the record (UNTAC, UNDOF, MFO, ...)."),
    all_missions: bool = typer.Option(False, "--all", help="Every mission of the record that can be built."),
    out_dir: Path = typer.Option(Path("results/replays"), "--out", "-o", help="Output folder."),
) -> None:
    """Replay a real deployment from the record on the real calendar; compare each dated step with the real date."""
    from sim.studies import replay as replays

    if all_missions == (mission is not None):
        raise _fail("give a MISSION or --all (not both)")
    if all_missions:
        summary = replays.replay_all(out_dir)
        out.print(summary.drop(columns="not_built").to_string(index=False), highlight=False)
        for _, row in summary[summary["not_built"] != ""].iterrows():
            out.print(f"  {row['mission']}: {row['not_built']}", highlight=False)
        out.print(f"-> {out_dir / 'summary.csv'}", highlight=False)
        return
    try:
        result = replays.run(replays.find_mission(mission or ""))
    except ValueError as exc:
        raise _fail(str(exc)) from None
    same_month = result.table["agreement"] == "same month"
    table = result.table.assign(days_off=result.table["days_off"].astype(object).mask(same_month, "same month"))
    out.print(table.to_string(index=False), highlight=False)
    for line in result.replay.not_built:
        out.print(f"  not built: {line}", highlight=False)
    written = replays.write(result, out_dir / result.replay.slug)
    out.print("-> " + ", ".join(str(path) for path in written), highlight=False)
