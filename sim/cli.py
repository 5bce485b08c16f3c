"""The ``pko-sim`` command: run, validate and rules.

Errors a user can fix (a bad scenario, a folder holding another run) are printed as plain
messages with exit code 1, never as tracebacks; Ctrl-C stops cleanly with exit code 130 and
leaves no half-written file, because every table is written atomically.
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from sim import law, plots
from sim.config import ConfigError, Scenario, load_scenario
from sim.model.portfolio import is_deterministic, plan_portfolio
from sim.results import SimulationResult
from sim.simulation import simulate
from sim.store import ResultsFolderConflict, save_result, write_figure

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


@app.command()
def run(
    config: Path = typer.Argument(DEFAULT_CONFIG, help="Scenario YAML file."),
    replications: int | None = typer.Option(
        None, "--replications", "-n", min=1, help="Override the scenario's replications."
    ),
    seed: int | None = typer.Option(None, "--seed", "-s", min=0, help="Override the scenario's seed."),
    out_dir: Path | None = typer.Option(None, "--out", "-o", help="Output folder (default results/<scenario name>)."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace results of a different run in the folder."),
    progress: bool = typer.Option(True, "--progress/--no-progress", help="Show a progress bar."),
    figures: bool = typer.Option(True, "--figures/--no-figures", help="Write figures under <out>/figures."),
) -> None:
    """Simulate a scenario and write events, deployments and a manifest as Parquet/JSON."""
    scenario = _load(config)
    folder = out_dir or Path("results") / scenario.name
    started = datetime.now(UTC).isoformat(timespec="seconds")
    clock = time.perf_counter()
    try:
        result = simulate(scenario, replications=replications, seed=seed, progress=progress)
        manifest = save_result(
            result,
            folder,
            overwrite=overwrite,
            config_file=str(config),
            started=started,
            seconds=round(time.perf_counter() - clock, 3),
        )
        if figures:
            _write_figures(result, folder / "figures")
    except ResultsFolderConflict as exc:
        raise _fail(str(exc)) from None
    except KeyboardInterrupt:
        err.print("interrupted: no table was left half-written")
        raise typer.Exit(code=130) from None
    tables = ", ".join(f"{k} ({v['rows']:,} rows)" for k, v in manifest["tables"].items())
    out.print(
        f"{scenario.name}: {result.replications} replications, seed {result.seed}, "
        f"{manifest['seconds']:.2f} s -> {folder}/ [{tables}]",
        highlight=False,
    )


def _write_figures(result: SimulationResult, folder: Path) -> None:
    """The run's standard figures: replication 0's timeline and the duration histograms."""
    for name, figure in (
        ("timeline.png", plots.timeline(result.events, replication=0)),
        ("durations.png", plots.durations(result.deployments)),
    ):
        write_figure(figure, folder / name)
        plots.plt.close(figure)


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
    """Print the rulebook: every rule the model applies, with its citations."""
    table = Table("rule", "citations", "what the model applies", show_lines=True)
    for rule in law.RULES:
        table.add_row(rule.name, ", ".join(rule.citations), rule.statement)
    out.print(table)


def main() -> None:  # pragma: no cover - console-script entry point
    """Entry point of the ``pko-sim`` console script."""
    app()
