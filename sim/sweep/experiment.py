"""Experiments: a base scenario, factors by dotted path, a design, replications, metrics.

An experiment is resolved completely before anything runs: every design point's scenario is
built and validated, so a bad factor path or a value the scenario rejects is an error naming
the point, not a crash an hour into a sweep.  Work is cut into fixed chunks of replications
(independent of the executor and worker count); each chunk becomes one Parquet part per table,
written atomically by the worker that simulated it (:func:`store_chunk`), so the same seed gives
byte-identical parts whatever runs them, and the run's process only records each chunk's parts
as done.  An interrupted sweep resumes by skipping the parts that match their recorded checksums
(:mod:`sim.sweep.records`).  One run writes a folder at a time (:mod:`sim.sweep.lock`).

Randomness: replication ``k`` of every design point uses the same seed and index, so the
design points share their random numbers (common random numbers) by construction.

Metrics are checked against ``.deployments`` when the experiment is loaded, and they are not part
of the fingerprint that decides whether stored parts can be reused: a corrected metric costs a
re-summary (:func:`summarize_results`, or the same sweep again), never a re-simulation.
"""

from __future__ import annotations

import copy
import difflib
import functools
import hashlib
import json
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

import numpy as np
import pandas as pd
from pydantic import Field, ValidationError, model_validator
from tqdm import tqdm

from sim.analysis import Metric
from sim.analysis.metrics import check_metric, metric_columns, summarize_by_point
from sim.run.replications import simulate_tables
from sim.run.tables import lanes
from sim.scenario import ConfigError, Issue, Scenario, load_scenario, parse_scenario, pydantic_issues, read_yaml
from sim.scenario.bounds import MAX_COUNT, MAX_REPLICATIONS, MAX_SEED, Integer, Number
from sim.scenario.paths import get_path, set_path
from sim.scenario.strict import StrictModel
from sim.sweep import designs
from sim.sweep.executors import Task, execute
from sim.sweep.lock import locked
from sim.sweep.records import dump_parts
from sim.sweep.scan import scan
from sim.sweep.store import (
    MANIFEST,
    PartTarget,
    ResultsFolder,
    StoredPart,
    read_manifest_safely,
    read_table,
    warn,
)

TABLES = ResultsFolder.TABLES
SUMMARY_ONLY = {"metrics", "description", "scenario"}
"""Experiment fields that change no simulated table (``scenario`` enters resolved, as the base)."""


Count = Annotated[Integer, Field(ge=1, le=MAX_COUNT)]
"""A positive count (samples, levels, a chunk's replications): an integer, never a bool."""
Seed = Annotated[Integer, Field(ge=0, le=MAX_SEED)]
"""A seed as a scenario's (:data:`~sim.scenario.bounds.MAX_SEED`): an integer, never a bool."""


class FactorSpec(StrictModel):
    """A factor: a dotted path into the scenario and the values it takes (words or booleans make it categorical)."""

    path: str
    low: Number | None = None
    high: Number | None = None
    levels: list[bool | float | str] | None = None
    integer: bool = False


class DesignSpec(StrictModel):
    """How design points are chosen (SALib for Morris and Sobol)."""

    kind: Literal["grid", "one_at_a_time", "latin_hypercube", "morris", "sobol"] = "grid"
    samples: Count = 8
    levels: Count = 3
    morris_levels: Count = 4
    seed: Seed = 0


class ExperimentSpec(StrictModel):
    """The top level of an experiment YAML file."""

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_\-.]*$")
    description: str = ""
    scenario: str | dict[str, Any]
    replications: Annotated[Integer, Field(ge=1, le=MAX_REPLICATIONS)] = 20
    seed: Seed | None = None
    chunk: Count = 100
    design: DesignSpec = DesignSpec()
    factors: list[FactorSpec] = Field(default_factory=list)
    metrics: list[Metric] = Field(default_factory=list)

    @model_validator(mode="after")
    def _factors_for_design(self) -> ExperimentSpec:
        if not self.factors and self.design.kind != "grid":
            raise ValueError(f"a {self.design.kind} design needs factors")
        return self


# --- resolution --------------------------------------------------------------------------


@dataclass(frozen=True)
class Point:
    """One design point: its factor values and its validated scenario as JSON data."""

    index: int
    values: dict[str, float | str | bool]
    scenario: dict[str, Any]
    lanes: tuple[str, ...]
    """The categories of its tables' ``deployment`` column (:func:`~sim.run.tables.lanes`): points share
    a chunk only if these agree, so a point read from a shared part keeps its own."""


@dataclass(frozen=True)
class PlannedExperiment:
    """An experiment resolved and validated, ready to run."""

    spec: ExperimentSpec
    base: Scenario
    design: designs.Design | None
    points: tuple[Point, ...]
    seed: int
    source: str

    @property
    def fingerprint(self) -> str:
        """A hash of everything that determines the simulated tables, and nothing else.

        The metrics and the description are left out, so that a corrected or added metric
        reuses every stored part and only the summaries are recomputed; the scenario enters
        resolved (``base``), so a file and the same scenario inline give the same fingerprint.
        """
        from sim import __version__

        blob = json.dumps(
            {
                "spec": self.spec.model_dump(mode="json", exclude=SUMMARY_ONLY),
                "base": self.base.model_dump(mode="json"),
                "seed": self.seed,
                "version": __version__,
            },
            sort_keys=True,
            default=str,
        )
        return hashlib.sha256(blob.encode()).hexdigest()[:16]

    @property
    def warnings(self) -> list[str]:
        """What is known before running to make the design's indices unreliable (too small a sample)."""
        return designs.sample_size_warnings(self.design) if self.design is not None else []

    def tasks(self) -> list[Task]:
        """Every chunk of work, in a fixed order (independent of executor and workers).

        A point's replications are cut into chunks of ``chunk``; points with at most half a chunk
        of replications are taken whole, as many consecutive points as fit in a chunk, so that a
        chunk is about ``chunk`` replications of work whatever the design (issue 19: a sweep of
        many one-replication points paid for four parts written and read per point).  Points
        share chunks only as far as the sweep keeps :data:`MIN_CHUNKS` of them, and only points
        with the same deployments (:attr:`Point.lanes`).
        """
        n, size = self.spec.replications, self.spec.chunk
        together = max(1, min(size // n, len(self.points) // MIN_CHUNKS))
        tasks = []
        for group in _sharing(self.points, together):
            span = range(group[0].index, group[-1].index + 1)
            scenarios = tuple(point.scenario for point in group)
            tasks += [Task(span, first, min(first + size, n), scenarios, self.seed) for first in range(0, n, size)]
        return tasks


MIN_CHUNKS = 16
"""Points share chunks only while a sweep keeps at least this many, so that a small sweep still
spreads over the workers; a number, not the worker count, so that the parts never depend on how
the sweep is run."""


def _sharing(points: Sequence[Point], most: int) -> list[list[Point]]:
    """Runs of at most ``most`` consecutive points with the same deployments: the points of one chunk."""
    groups: list[list[Point]] = []
    for point in points:
        if groups and len(groups[-1]) < most and groups[-1][0].lanes == point.lanes:
            groups[-1].append(point)
        else:
            groups.append([point])
    return groups


def load_experiment(source: str | Path | Mapping[str, Any] | ExperimentSpec) -> PlannedExperiment:
    """Resolve an experiment file or mapping; raise :class:`ConfigError` listing its problems."""
    where = "<experiment>"
    base_dir = Path.cwd()
    if isinstance(source, str | Path):
        where = str(source)
        base_dir = Path(source).resolve().parent
        source = read_yaml(Path(source))
    if isinstance(source, ExperimentSpec):
        spec = source
    else:
        if not isinstance(source, Mapping):
            raise ConfigError(where, [Issue(path="", reason="an experiment must be a mapping of fields")])
        try:
            spec = ExperimentSpec.model_validate(dict(source))
        except ValidationError as exc:
            raise ConfigError(where, pydantic_issues(exc, ExperimentSpec)) from None
    if isinstance(spec.scenario, str):
        path = Path(spec.scenario)
        base = load_scenario(path if path.is_absolute() else base_dir / path)
    else:
        base = parse_scenario(spec.scenario, source=f"{where}: scenario")
    return _resolve(spec, base, where)


def _resolve(spec: ExperimentSpec, base: Scenario, where: str) -> PlannedExperiment:
    base_json = base.model_dump(mode="json")
    issues = []
    for k, factor in enumerate(spec.factors):
        try:
            value = get_path(base_json, factor.path)
        except (KeyError, ValueError) as exc:
            issues.append(Issue(path=f"factors[{k}].path", reason=f"{factor.path}: {exc.args[0]}"))
            continue
        categorical = any(isinstance(v, str | bool) for v in factor.levels or ())
        if not categorical and (not isinstance(value, int | float) or isinstance(value, bool)):
            hint = "; list its levels to sweep it as a categorical factor" if isinstance(value, str | bool) else ""
            issues.append(Issue(path=f"factors[{k}].path", reason=f"{factor.path} holds {value!r}, not a number{hint}"))
    issues.extend(metric_issues(spec.metrics, [d.id for d in base.deployments]))
    if issues:
        raise ConfigError(where, issues)
    design = None
    values: list[dict[str, float | str | bool]] = [{}]
    if spec.factors:
        factors = [designs.Factor(f.path, f.low, f.high, tuple(f.levels) if f.levels else None, f.integer)
                   for f in spec.factors]  # fmt: skip
        d = spec.design
        try:
            design = designs.make_design(
                d.kind, factors, base={f.path: get_path(base_json, f.path) for f in spec.factors},
                samples=d.samples, grid_levels=d.levels, morris_levels=d.morris_levels, seed=d.seed,
            )  # fmt: skip
        except ValueError as exc:
            raise ConfigError(where, [Issue(path="design", reason=str(exc))]) from None
        values = [dict(p) for p in design.points]
    points = []
    for index, point_values in enumerate(values):
        data = copy.deepcopy(base_json)
        for path, value in point_values.items():
            set_path(data, path, value)
        shown = ", ".join(f"{p}={v}" for p, v in point_values.items()) or "base"
        scenario = parse_scenario(data, source=f"{where}: design point {index} ({shown})")
        points.append(Point(index, point_values, scenario.model_dump(mode="json"), tuple(lanes(scenario))))
    seed = spec.seed if spec.seed is not None else base.seed
    return PlannedExperiment(spec, base, design, tuple(points), seed, where)


def metric_issues(metrics: list[Metric], deployment_ids: list[str]) -> list[Issue]:
    """Every problem of the metrics against ``.deployments`` and the scenario's deployments.

    Checked when the experiment is loaded, before anything is simulated: a typo in a column, a
    condition or a deployment id would otherwise fail only after the whole sweep.
    """
    issues = []
    seen: set[str] = set()
    for k, metric in enumerate(metrics):
        label = f"metrics[{k}] ({metric.name})"
        if metric.name in seen:
            issues.append(Issue(path=label, reason=f"another metric is already named {metric.name!r}"))
        seen.add(metric.name)
        issues.extend(Issue(path=label, reason=reason) for reason in check_metric(metric))
        for dep in metric.deployments or ():
            if dep not in deployment_ids:
                close = difflib.get_close_matches(dep, deployment_ids, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else f"; the scenario has {', '.join(deployment_ids)}"
                issues.append(Issue(path=label, reason=f"deployments: the scenario has no deployment {dep!r}{hint}"))
    return issues


# --- running -----------------------------------------------------------------------------


def run_chunk(task: Task) -> dict[str, pd.DataFrame]:
    """Simulate one chunk (runs in a worker): its replications of each of its design points, in point order."""
    per_point = []
    for data in task.scenarios:
        tables = simulate_tables(Scenario.model_validate(data), range(task.first, task.last), task.seed)
        if task.first > 0:  # a shared calendar is listed once per point, with its first chunk
            cal = tables["calendar"]
            tables["calendar"] = cal[cal["replication"] >= 0].reset_index(drop=True)
        per_point.append(tables)
    stacked = {}
    for name in per_point[0]:
        frames = [tables[name] for tables in per_point]
        frame = stack_points(frames)
        # one column for the chunk, not one per point: DataFrame.insert costs about a millisecond
        rows = np.repeat(np.asarray(task.points, dtype=np.int32), [len(f) for f in frames])
        frame.insert(0, "point", rows)
        stacked[name] = frame
    return stacked


def stack_points(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Several design points' rows of one table, one point after another, categoricals kept.

    ``pd.concat`` turns a categorical into plain strings when its categories differ between the
    frames.  The fixed vocabularies and the deployments (the points of a chunk have the same,
    :func:`_sharing`) never differ; the texts each point logged can, and are categories sorted
    (:meth:`~sim.run.columns.Vocabulary.categorical`), so such a column gets their sorted union.
    """
    if len(frames) == 1:
        return frames[0]
    kinds = [frame.dtypes for frame in frames]  # once per frame: a column looked up per frame costs more
    for name, dtype in kinds[0].items():
        if isinstance(dtype, pd.CategoricalDtype) and any(k[name] != dtype for k in kinds):
            union = sorted(set().union(*(k[name].categories for k in kinds)))
            frames = [frame.assign(**{name: frame[name].cat.set_categories(union)}) for frame in frames]
    return pd.concat(frames, ignore_index=True)


def store_chunk(target: PartTarget, tables: Sequence[str], task: Task) -> list[StoredPart]:
    """Simulate one chunk and write its parts from the worker; what the run's process records.

    Only records (rows, bytes, checksum) travel back, not the tables, so the run's process does
    almost no work per chunk and does not hold back the workers.
    """
    frames = run_chunk(task)
    return target.store(task.points, task.first, {name: frames[name] for name in tables})


@dataclass(frozen=True)
class ExperimentResult:
    """What a finished experiment left in its folder, with its summary tables loaded."""

    folder: Path
    points: pd.DataFrame
    summary: pd.DataFrame
    sensitivity: pd.DataFrame
    manifest: dict[str, Any]

    def table(self, name: str) -> pd.DataFrame:
        """A result table (``events``, ``deployments``, ``calendar``, ``engaged``) read from its parts."""
        return read_table(self.folder, name)


def run_experiment(
    source: str | Path | Mapping[str, Any] | ExperimentSpec | PlannedExperiment,
    *,
    out: str | Path | None = None,
    executor: str = "processes",
    workers: int | None = None,
    scheduler: str | None = None,
    resume: bool = True,
    events: bool = True,
    progress: bool = False,
    announce: Callable[[str], None] | None = None,
) -> ExperimentResult:
    """Run (or resume) an experiment into ``out`` (default ``results/<name>``) and summarise it.

    The folder is locked for the run (:class:`sim.sweep.lock.FolderInUse` if another run holds
    it); stored parts that fail their recorded checksum are simulated again.  ``announce``
    receives the notices a person watching should see: the Dask dashboard, a stale lock taken
    over, a damaged part or a lost manifest repaired (without it, the store's notices are
    :class:`sim.sweep.store.StoreNotice` warnings).
    """
    plan = source if isinstance(source, PlannedExperiment) else load_experiment(source)
    folder = ResultsFolder(Path(out) if out is not None else Path("results") / plan.spec.name)
    with locked(folder.path, announce or warn):
        return _run_locked(plan, folder, executor, workers, scheduler, resume, events, progress, announce)


def _run_locked(
    plan: PlannedExperiment,
    folder: ResultsFolder,
    executor: str,
    workers: int | None,
    scheduler: str | None,
    resume: bool,
    events: bool,
    progress: bool,
    announce: Callable[[str], None] | None,
) -> ExperimentResult:
    """:func:`run_experiment` once the folder is this run's alone; what the store repairs is announced (or warned)."""
    started = datetime.now(UTC).isoformat(timespec="seconds")
    folder.prepare(plan.fingerprint, fresh=not resume, describe=f"experiment {plan.spec.name!r}",
                   notify=announce or warn)  # fmt: skip
    tables = TABLES if events else ("deployments",)
    todo = [t for t in plan.tasks() if not all(folder.has_part(name, t.points, t.first) for name in tables)]
    manifest = _manifest(plan, started, executor, workers)
    folder.write_manifest({**manifest, **_contents(plan, folder), "status": "running"})
    clock = time.perf_counter()
    bar = tqdm(total=plan.spec.replications * len(plan.points), initial=0, unit="rep",
               desc=plan.spec.name, disable=not progress, smoothing=0.1)  # fmt: skip
    bar.update(plan.spec.replications * len(plan.points) - sum(t.replications for t in todo))
    chunks_left = Counter(point for t in todo for point in t.points)
    work = functools.partial(store_chunk, folder.target(), tables)
    try:
        for task, stored in execute(
            todo, work, executor=executor, workers=workers, scheduler=scheduler, announce=announce
        ):
            folder.record(stored)
            chunks_left.subtract(task.points)
            bar.update(task.replications)
            done = len(plan.points) - sum(1 for n in chunks_left.values() if n)
            bar.set_postfix_str(f"{done}/{len(plan.points)} points")
    finally:
        bar.close()
    return _finish(plan, folder, manifest, time.perf_counter() - clock)


def _contents(plan: PlannedExperiment, folder: ResultsFolder) -> dict[str, Any]:
    """What the folder holds, as the manifest states it: every part's record and the complete tables.

    ``events`` says whether the event tables (events, engaged, calendar) are there for every
    chunk, whatever the last run asked for: a ``--no-events`` run resumed with events writes
    them, and a ``--no-events`` run over complete tables keeps them.
    """
    tasks = plan.tasks()
    complete = [name for name in TABLES if all(folder.has_part(name, t.points, t.first) for t in tasks)]
    return {"parts": dump_parts(folder.parts), "tables": complete, "events": set(TABLES) <= set(complete)}


def _manifest(plan: PlannedExperiment, started: str, executor: str, workers: int | None) -> dict:
    from sim import __version__
    from sim.sweep.store import git_commit

    return {
        "name": plan.spec.name,
        "experiment_file": plan.source,
        "experiment": plan.spec.model_dump(mode="json"),
        "base_scenario": plan.base.model_dump(mode="json"),
        "points": [{"point": p.index, **p.values} for p in plan.points],
        "seed": plan.seed,
        "replications": plan.spec.replications,
        "chunk": plan.spec.chunk,
        "version": __version__,
        "git_commit": git_commit(),
        "fingerprint": plan.fingerprint,
        "started": started,
        "executor": executor,
        "workers": workers,
    }


def _finish(plan: PlannedExperiment, folder: ResultsFolder, manifest: dict, seconds: float) -> ExperimentResult:
    points, summary, sensitivity, warnings = _write_summaries(plan, folder)
    status = {str(p.index): "complete" for p in plan.points}
    final = {**manifest, **_contents(plan, folder), "status": "complete", "point_status": status, "warnings": warnings,
             "finished": datetime.now(UTC).isoformat(timespec="seconds"), "seconds": round(seconds, 3)}  # fmt: skip
    folder.write_manifest(final)
    return ExperimentResult(folder.path, points, summary, sensitivity, final)


def _write_summaries(
    plan: PlannedExperiment, folder: ResultsFolder
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, list[str]]:
    """Points, summary and sensitivity tables from the stored deployments parts, written; and the warnings."""
    points = pd.DataFrame([{"point": p.index, **p.values} for p in plan.points])
    summary = _summary(plan, folder.path, points)
    sensitivity = _sensitivity(plan, summary)
    folder.write_table("summary", summary)
    folder.write_table("points", points)
    if sensitivity.empty:
        (folder.path / "sensitivity.parquet").unlink(missing_ok=True)  # left by earlier metrics
    else:
        folder.write_table("sensitivity", sensitivity)
    return points, summary, sensitivity, plan.warnings + _index_warnings(sensitivity)


def _index_warnings(sensitivity: pd.DataFrame) -> list[str]:
    """One line per index whose interval makes it unreliable (the design-size reason is said once, apart)."""
    if "note" not in sensitivity:
        return []
    lines = []
    for _, row in sensitivity[~sensitivity["stable"]].iterrows():
        reasons = [r for r in str(row["note"]).split("; ") if r != "design too small"]
        if reasons:
            lines.append(f"{row['metric']}: {row['factor']}: {'; '.join(reasons)}")
    return lines


def _summary(plan: PlannedExperiment, folder: Path, points: pd.DataFrame) -> pd.DataFrame:
    """One row per design point and metric: estimate, standard error, 95% interval.

    Read part by part, only the columns the metrics use (:func:`sim.analysis.metric_columns`), each
    part once whatever number of points it holds, so memory holds one part, the per-replication
    values and each quantile's column, never the sweep's table.
    """
    if not plan.spec.metrics:
        return pd.DataFrame()
    columns = metric_columns(plan.spec.metrics)
    parts = scan(folder, "deployments", columns=None if columns is None else ["point", *columns])
    table = summarize_by_point(parts, plan.spec.metrics)
    if table.empty:  # no point has a deployment (every part empty): nothing to summarise
        return pd.DataFrame()
    return table.merge(points, on="point", how="left")


def _sensitivity(plan: PlannedExperiment, summary: pd.DataFrame) -> pd.DataFrame:
    """Indices per metric for Morris, Sobol and one-at-a-time designs (SALib's analysers)."""
    if plan.design is None or plan.design.kind not in ("morris", "sobol", "one_at_a_time") or summary.empty:
        return pd.DataFrame()
    tables = []
    for metric in plan.spec.metrics:
        y = summary.loc[summary["metric"] == metric.name].sort_values("point")["estimate"].to_numpy()
        table = designs.stability(plan.design, designs.analyze(plan.design, y, seed=plan.spec.design.seed))
        table.insert(0, "metric", metric.name)
        tables.append(table)
    return pd.concat(tables, ignore_index=True)


# --- summaries from stored parts, and how long a sweep will take --------------------------


class StoredResultsMismatch(ValueError):
    """A results folder that cannot be summarised with the given experiment (another design, missing parts)."""


def summarize_results(folder: str | Path, experiment: str | Path | Mapping[str, Any] | None = None) -> ExperimentResult:
    """Recompute the summary and sensitivity tables of a results folder from its deployments parts.

    Nothing is simulated.  ``experiment`` (default: the one recorded in the folder's manifest)
    supplies the metrics, so an edited experiment file with new or corrected metrics can be
    summarised as long as its design (everything in the fingerprint: factors, design, seed,
    replications, chunk, base scenario) is unchanged.  Raises :class:`StoredResultsMismatch`
    when it is not, or when some chunks were never simulated, and :class:`ConfigError` for a bad
    experiment (a metric typo included).
    """
    store = ResultsFolder(Path(folder))
    if not (store.path / MANIFEST).is_file():
        raise StoredResultsMismatch(f"{store.path} is not a results folder (no manifest.json); run pko-sim sweep first")
    with locked(store.path):
        return _summarize_locked(store, experiment)


def _summarize_locked(store: ResultsFolder, experiment: str | Path | Mapping[str, Any] | None) -> ExperimentResult:
    """:func:`summarize_results` once the folder is this process's alone."""
    manifest, why = read_manifest_safely(store.path)
    if manifest is None:
        raise StoredResultsMismatch(
            f"{store.path}: {MANIFEST} is {why}; run the same pko-sim sweep again to check the parts and rebuild it"
        )
    if experiment is None:
        plan = load_experiment({**manifest["experiment"], "scenario": manifest["base_scenario"]})
    else:
        plan = load_experiment(experiment)
    if plan.fingerprint != manifest.get("fingerprint"):
        changed = _changed_fields(plan, manifest) or ["the fingerprint's recipe (written by another pko-sim)"]
        raise StoredResultsMismatch(
            f"{store.path} holds another design than {plan.source}: {', '.join(changed)} differ; "
            f"only metrics can change without simulating again (run pko-sim sweep for the new design)"
        )
    store.load_parts(manifest)
    missing = [t for t in plan.tasks() if not store.has_part("deployments", t.points, t.first)]
    if missing:
        raise StoredResultsMismatch(
            f"{store.path}: {len(missing)} of {len(plan.tasks())} chunks have not been simulated yet (or their "
            "parts failed their check); run the same pko-sim sweep again to finish them"
        )
    points, summary, sensitivity, warnings = _write_summaries(plan, store)
    recorded = {**manifest["experiment"], "metrics": plan.spec.model_dump(mode="json")["metrics"]}
    final = {**manifest, "experiment": recorded, "warnings": warnings,
             "summarized": datetime.now(UTC).isoformat(timespec="seconds")}  # fmt: skip
    store.write_manifest(final)
    return ExperimentResult(store.path, points, summary, sensitivity, final)


def _changed_fields(plan: PlannedExperiment, manifest: dict[str, Any]) -> list[str]:
    """The fingerprinted fields in which ``plan`` differs from the run recorded in ``manifest``."""
    stored = manifest.get("experiment", {})
    now = plan.spec.model_dump(mode="json", exclude=SUMMARY_ONLY)
    changed = [key for key in sorted(now) if now[key] != stored.get(key)]
    if plan.base.model_dump(mode="json") != manifest.get("base_scenario"):
        changed.append("base scenario")
    if plan.seed != manifest.get("seed") and "seed" not in changed:
        changed.append("seed")
    return changed


def seconds_per_replication(plan: PlannedExperiment, replications: int = 3) -> float:
    """Wall-clock seconds one replication of the base scenario takes here, from a short calibration run.

    An estimate for planning (``pko-sim validate``): design points that change sizes or rates
    run faster or slower than the base, and the first replications pay some warm-up.
    """
    clock = time.perf_counter()
    simulate_tables(plan.base, range(replications), plan.seed)
    return (time.perf_counter() - clock) / replications
