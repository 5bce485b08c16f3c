"""The ``pko-sim`` command: run, sweep, plot, report, counterfactual, validate, rules, calibrate and replay.

Errors a user can fix (a bad scenario, a folder holding another run) are printed as plain
messages with exit code 1, never as tracebacks; Ctrl-C stops cleanly with exit code 130 and
leaves no half-written file, because every table is written atomically.
"""

from __future__ import annotations

import sys
from pathlib import Path

import matplotlib.pyplot as plt
import typer
from rich.console import Console
from rich.table import Table

from sim import law
from sim.figures import report
from sim.model.portfolio import is_deterministic, plan_portfolio
from sim.scenario import ConfigError, Scenario, load_scenario
from sim.sweep.executors import EXECUTORS, TaskFailed
from sim.sweep.experiment import ExperimentResult, ExperimentSpec, PlannedExperiment, load_experiment, run_experiment
from sim.sweep.store import ResultsFolderConflict, write_figure

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Simulate deployments under Japan's International Peace Cooperation Act (Act No. 79 of 1992).",
)
_WIDTH = None if sys.stdout.isatty() else 160  # tables stay readable when piped to a file
out = Console(width=_WIDTH)
err = Console(stderr=True, width=_WIDTH)

DEFAULT_CONFIG = Path("configs/baseline.yaml")


def _fail(message: str) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(code=1)


def _load(path: Path) -> Scenario:
    try:
        return load_scenario(path)
    except ConfigError as exc:
        raise _fail(str(exc)) from None


EXECUTOR_HELP = "serial, processes (all cores by default) or dask."


@app.command()
def run(
    config: Path = typer.Argument(DEFAULT_CONFIG, help="Scenario YAML file."),
    replications: int | None = typer.Option(
        None, "--replications", "-n", min=1, help="Override the scenario's replications."
    ),
    seed: int | None = typer.Option(None, "--seed", "-s", min=0, help="Override the scenario's seed."),
    out_dir: Path | None = typer.Option(None, "--out", "-o", help="Output folder (default results/<scenario name>)."),
    fresh: bool = typer.Option(False, "--fresh", help="Replace whatever the folder holds instead of resuming."),
    executor: str = typer.Option("processes", "--executor", "-e", help=EXECUTOR_HELP),
    workers: int | None = typer.Option(None, "--workers", "-w", min=1, help="Worker processes."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show a progress bar."),
    figures: bool = typer.Option(True, "--figures/--no-figures", help="Write figures under <out>/figures."),
) -> None:
    """Simulate a scenario: Parquet tables, a manifest and figures under results/<name>/."""
    scenario = _load(config)
    spec = ExperimentSpec(
        name=scenario.name,
        scenario=scenario.model_dump(mode="json"),
        replications=replications or scenario.replications,
        seed=seed,
    )
    plan = load_experiment(spec)
    folder = out_dir or Path("results") / scenario.name
    result = _run(plan, folder, fresh=fresh, executor=executor, workers=workers, events=True, progress=progress)
    if figures:
        _write_figures(result)
    _report(result)


@app.command()
def sweep(
    experiment: Path = typer.Argument(..., help="Experiment YAML file."),
    executor: str = typer.Option("processes", "--executor", "-e", help=EXECUTOR_HELP),
    workers: int | None = typer.Option(None, "--workers", "-w", min=1, help="Workers (default: all cores)."),
    scheduler: str | None = typer.Option(
        None, "--scheduler", help="Dask scheduler address (default: a local cluster)."
    ),
    out_dir: Path | None = typer.Option(None, "--out", "-o", help="Output folder (default results/<experiment name>)."),
    resume: bool = typer.Option(True, "--resume/--fresh", help="Skip finished parts, or start the folder afresh."),
    events: bool = typer.Option(True, "--events/--no-events", help="Keep the event log (or only deployments)."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show a progress bar."),
) -> None:
    """Run an experiment: every design point, every replication, summaries and sensitivity indices."""
    try:
        plan = load_experiment(experiment)
    except ConfigError as exc:
        raise _fail(str(exc)) from None
    folder = out_dir or Path("results") / plan.spec.name
    result = _run(plan, folder, fresh=not resume, executor=executor, workers=workers, events=events,
                  progress=progress, scheduler=scheduler)  # fmt: skip
    _report(result)


def _run(plan: PlannedExperiment, folder: Path, *, fresh: bool, **options: object) -> ExperimentResult:
    if options["executor"] not in EXECUTORS:
        raise _fail(f"unknown executor {options['executor']!r}; choose one of {', '.join(EXECUTORS)}")
    try:
        return run_experiment(plan, out=folder, resume=not fresh, **options)  # type: ignore[arg-type]
    except ResultsFolderConflict as exc:
        raise _fail(str(exc)) from None
    except TaskFailed as exc:
        raise _fail(f"{exc}; finished parts are kept, run the same command again to resume") from None
    except KeyboardInterrupt:
        err.print(f"interrupted: finished parts are kept in {folder}/; run the same command again to resume")
        raise typer.Exit(code=130) from None


def _report(result: ExperimentResult) -> None:
    m = result.manifest
    out.print(
        f"{m['name']}: {len(result.points)} point(s) x {m['replications']} replications, seed {m['seed']}, "
        f"{m['seconds']:.2f} s -> {result.folder}/",
        highlight=False,
    )
    if not result.summary.empty:
        shown = result.summary[["point", "metric", "estimate", "ci_low", "ci_high"]].round(3)
        more = f"\n... {len(shown) - 20} more rows in {result.folder}/summary.parquet" if len(shown) > 20 else ""
        out.print(shown.head(20).to_string(index=False) + more, highlight=False)
    if not result.sensitivity.empty:
        out.print(f"sensitivity indices: {result.folder}/sensitivity.parquet", highlight=False)


def _write_figures(result: ExperimentResult) -> None:
    """The run's standard figures and its HTML report."""
    for kind in ("timeline", "cap", "durations", "survival"):
        fig = report.figure(result.folder, kind)
        write_figure(fig, result.folder / "figures" / f"{kind}.png")
        plt.close(fig)
    report.report(result.folder)


@app.command()
def plot(
    results: Path = typer.Argument(..., help="A results folder written by run or sweep."),
    kind: str = typer.Option("timeline", "--kind", "-k", help=", ".join(report.KINDS)),
    replication: int = typer.Option(0, "--replication", "-r", min=0, help="Replication for timeline and cap."),
    metric: str | None = typer.Option(None, "--metric", "-m", help="Metric for tornado and sensitivity."),
    out_file: Path | None = typer.Option(None, "--out", "-o", help="PNG or SVG file (default <results>/figures/)."),
) -> None:
    """Draw one figure of a results folder."""
    _need_results(results)
    try:
        fig = report.figure(results, kind, replication=replication, metric=metric)
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
    _need_results(results)
    out.print(f"report -> {report.report(results, out_file)}", highlight=False)


def _need_results(folder: Path) -> None:
    if not (folder / "manifest.json").exists():
        raise _fail(f"{folder} is not a results folder (no manifest.json); run pko-sim run or sweep first")


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
def validate(config: Path = typer.Argument(..., help="Scenario YAML file.")) -> None:
    """Check a scenario; print its problems (exit 1) or a one-screen summary (exit 0)."""
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


@app.command()
def rules() -> None:
    """Print the rulebooks: every rule the model applies (the Act, the Treaty, the guidelines, other laws)."""
    table = Table("rule", "source", "citations", "what the model applies", show_lines=True)
    for rule in law.RULES:
        table.add_row(rule.name, rule.source, "\n".join(rule.citations), rule.statement)
    out.print(table)


def main() -> None:  # pragma: no cover - console-script entry point
    """Entry point of the ``pko-sim`` console script."""
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
) -> None:
    """Fit lags, plan periods and extensions to the real deployments; write them and a report comparing the model."""
    from sim.studies import calibration

    try:
        fitted = calibration.calibrate(scenario)
        written = calibration.write_calibrated(fitted, out_file)
        report_file = calibration.write_report(fitted, report_dir, replications=replications, seed=seed)
    except ConfigError as exc:
        raise _fail(str(exc)) from None
    out.print(f"fitted values -> {written}", highlight=False)
    for line in fitted.not_fitted():
        out.print(f"  not fitted: {line}", highlight=False)
    out.print(f"report -> {report_file}", highlight=False)


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
