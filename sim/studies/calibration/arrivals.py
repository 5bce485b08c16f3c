"""Request streams fitted to the record: arrival rates by operation type, and templates from real missions.

Why: a 30-year portfolio needs requests that keep arriving (:mod:`sim.scenario.streams`), at the
rate Japan has received and accepted them, and shaped like the deployments it has made.

What is fitted from what
------------------------
* An *arrival* is a mission of the record (``sim/data/deployments.csv``, one row per contingent):
  its first dispatch is the day it arrived (the request came a few weeks earlier; a shift of all
  arrivals does not change a rate).  A mission's contingents, however many years apart they
  left (UNMIT's police in 2007, its observers in 2010), are one arrival: one plan.
* The rate of each operation type is the Poisson maximum-likelihood estimate, missions per year
  of exposure from the Act's entry into force (:data:`ACT_IN_FORCE`) to the record's
  :data:`~sim.studies.calibration.observed.AS_OF`, with its exact 95% interval (chi-square limits).
* Clustering: the record's yearly counts are tested against Poisson (index of dispersion, variance
  over mean, with its chi-square p-value).  Contingents do come in bursts, several to a mission,
  which the templates carry; whether *missions* cluster beyond Poisson is what the test says, and
  the generated file states the answer (:func:`dispersion`).
* A template is a real mission resampled (each mission weight 1): its contingents with the model's
  kind (:func:`~sim.studies.calibration.observed.model_kind`), the task the record's contingent did
  (:data:`sim.record.tasks.TASKS`), its size as the replays read it (:func:`sim.record.tasks.headcount`:
  the per-rotation count, else the plan's ceiling) and its term (days deployed over rotations); its
  plan period, extensions and (for a group home in its first period: no extension lead, no
  withdrawal) procedure from the calibration's fits of its largest carried contingent's data group,
  or, where there is no fit, its period resampled from the group's real durations (an
  ``empirical`` distribution).  Contingents the record does not give a task or a
  headcount for are left out and listed.

:func:`fit_streams` gathers it all; :func:`render` and :func:`write_streams` write the file the
portfolio includes (``configs/baseline.streams.yaml``).  Same data, same bytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml
from scipy import stats

from sim.law import OPERATIONS_WITH_SUBTYPES, OperationType
from sim.record import load_deployments, load_plan_events
from sim.record.tasks import SUBTYPE, TASKS, headcount
from sim.scenario import read_yaml
from sim.studies.calibration.calibrated_file import Calibration, scenario_targets
from sim.studies.calibration.fits import fit_all
from sim.studies.calibration.observed import AS_OF, model_kind, observations
from sim.sweep.store import write_text

ACT_IN_FORCE = pd.Timestamp("1992-08-10")
"""Act No. 79 of 1992 entered into force on 10 August 1992: the start of the record's exposure."""

STREAM_NAMES = {
    "un_pko": "pko",
    "internationally_coordinated": "ico",
    "humanitarian_relief": "relief",
    "election_monitoring": "elections",
}
"""Each operation type's stream (Art. 3(i)-(iv)), in the order the file lists them."""

STREAMS_FILE = Path("configs/baseline.streams.yaml")
BASELINE_FILE = Path("configs/baseline.yaml")
"""The scenario that includes the streams: its field hazards end arrivals as they end its listed deployments."""
COMMAND = "pko-sim calibrate --force"


@dataclass(frozen=True)
class Rate:
    """Missions ``n`` in ``years`` of exposure from ``start``: a Poisson rate and its exact 95% interval."""

    operation: str
    start: pd.Timestamp
    n: int
    years: float
    low: float
    high: float

    @property
    def rate(self) -> float:
        """Missions per year (the Poisson MLE)."""
        return self.n / self.years


@dataclass(frozen=True)
class ChangePoint:
    """The rate's single change, placed by maximum likelihood on all missions (a year's first day).

    ``lr`` is the likelihood-ratio statistic of two rates against one; ``p`` its Monte Carlo p-value
    under one constant rate (arrival days uniform given their number), which allows for the search.
    """

    at: pd.Timestamp
    lr: float
    p: float


@dataclass(frozen=True)
class TypeFit:
    """One operation type: its rate over the whole record, by period, and its yearly clustering."""

    operation: str
    whole: Rate
    periods: tuple[Rate, Rate]
    dispersion: float
    dispersion_p: float


@dataclass(frozen=True)
class StreamFit:
    """Everything the streams file says: the rates, the templates, and what was left out."""

    rates: tuple[TypeFit, ...]
    templates: dict[str, list[dict[str, Any]]]
    left_out: tuple[str, ...]
    all_missions: TypeFit
    change: ChangePoint
    as_of: pd.Timestamp = AS_OF
    scenario_file: Path = BASELINE_FILE
    """The scenario whose ending hazards the extension probabilities are net of."""


def missions(deployments: pd.DataFrame) -> pd.DataFrame:
    """One row per mission: ``mission``, ``operation``, ``arrived`` (first dispatch), ``contingents``."""
    table = deployments.assign(operation=deployments["operation_type"].astype(str))
    grouped = table.groupby("mission", sort=False)
    return pd.DataFrame(
        {
            "operation": grouped["operation"].first(),
            "arrived": grouped["start"].min(),
            "contingents": grouped.size(),
        }
    ).reset_index()


def _years(start: pd.Timestamp, end: pd.Timestamp) -> float:
    return float((end - start).days / 365.25)


def dispersion(
    arrived: pd.Series, start: pd.Timestamp = ACT_IN_FORCE, end: pd.Timestamp = AS_OF
) -> tuple[float, float]:
    """Index of dispersion of the yearly counts (variance over mean; 1 for Poisson) and the p-value
    of the chi-square test of more variance than Poisson (small: the arrivals cluster)."""
    years = np.arange(start.year, end.year + 1)
    counts = pd.Series(pd.DatetimeIndex(arrived).year).value_counts().reindex(years, fill_value=0).to_numpy()
    mean = counts.mean()
    if mean == 0:
        return float("nan"), float("nan")
    index = counts.var(ddof=1) / mean
    p = float(stats.chi2.sf(index * (len(counts) - 1), len(counts) - 1))
    return float(index), p


def poisson_rate(operation: str, arrived: pd.Series, start: pd.Timestamp, end: pd.Timestamp) -> Rate:
    """The MLE and exact 95% interval of a Poisson rate from the arrivals in ``[start, end)``."""
    n, years = int(((arrived >= start) & (arrived < end)).sum()), _years(start, end)
    low = 0.0 if n == 0 else float(stats.chi2.ppf(0.025, 2 * n) / 2 / years)
    high = float(stats.chi2.ppf(0.975, 2 * n + 2) / 2 / years)
    return Rate(operation, start, n, years, low, high)


def _split_loglik(days: np.ndarray, total: float, cuts: np.ndarray) -> np.ndarray:
    """Log-likelihood of two Poisson rates split at each cut, less that of one rate (days sorted)."""
    n = len(days)
    before = np.searchsorted(days, cuts, side="left").astype(float)
    after = n - before

    def term(k: np.ndarray, t: np.ndarray) -> np.ndarray:
        return np.where(k > 0, k * np.log(np.where(k > 0, k, 1) / t), 0.0)

    return term(before, cuts) + term(after, total - cuts) - (n * np.log(n / total) if n else 0.0)


def change_point(arrived: pd.Series, start: pd.Timestamp, end: pd.Timestamp, draws: int = 2000) -> ChangePoint:
    """The first day of the year at which two Poisson rates fit best, with a Monte Carlo p-value."""
    total = float((end - start).days)
    years = range(start.year + 2, end.year - 1)
    cuts = np.array([(pd.Timestamp(f"{y}-01-01") - start).days for y in years], dtype=float)
    days = np.sort(((arrived - start).dt.days).to_numpy(dtype=float))
    observed = _split_loglik(days, total, cuts)
    best = int(np.argmax(observed))
    rng = np.random.Generator(np.random.PCG64(1992))
    null = np.array([_split_loglik(np.sort(rng.uniform(0, total, len(days))), total, cuts).max() for _ in range(draws)])
    p = float((1 + (null >= observed[best]).sum()) / (draws + 1))
    return ChangePoint(pd.Timestamp(f"{years[best]}-01-01"), float(2 * observed[best]), p)


def type_fit(operation: str, arrived: pd.Series, change: pd.Timestamp, as_of: pd.Timestamp) -> TypeFit:
    """An operation type's rate over the record and on each side of ``change``, and its clustering."""
    index, p = dispersion(arrived, ACT_IN_FORCE, as_of)
    periods = (poisson_rate(operation, arrived, ACT_IN_FORCE, change), poisson_rate(operation, arrived, change, as_of))
    return TypeFit(operation, poisson_rate(operation, arrived, ACT_IN_FORCE, as_of), periods, index, p)


def _contingent(row: pd.Series) -> dict[str, Any] | str:
    """A record row as a template contingent, or why it cannot be one."""
    name = str(row["contingent"])
    if name not in TASKS:
        return f"{row['mission']}: {name} (the record does not say which task, Art. 3(v))"
    personnel = headcount(row)  # the replays' reading: the per-rotation count, else the plan's ceiling
    if personnel is None:
        return f"{row['mission']}: {name} (no headcount in the record: {row['personnel_text']})"
    contingent: dict[str, Any] = {
        "kind": model_kind(name, bool(row["sdf_unit"])),
        "personnel": personnel,
        "tasks": TASKS[name],
        "label": name,
    }
    rotations = row["rotations"]
    if pd.notna(rotations) and rotations > 1 and pd.notna(row["days_deployed"]):
        contingent["rotation"] = int(row["days_deployed"]) // int(rotations)
    return contingent


def _real_durations(deployments: pd.DataFrame, operation: str) -> dict[str, Any]:
    """The operation type's real days deployed (at least 1), resampled: where no period is fitted."""
    rows = deployments[(deployments["operation_type"].astype(str) == operation) & deployments["days_deployed"].notna()]
    values = sorted({max(1, int(d)) for d in rows["days_deployed"]})
    return {"dist": "empirical", "values": values}


Carried = dict[str, tuple[pd.DataFrame, list[dict[str, Any]]]]
"""Each mission with a contingent the model can carry: its record rows and its template contingents."""


def _carried(deployments: pd.DataFrame) -> tuple[Carried, list[str]]:
    """Every mission's contingents as the templates carry them, and what was left out."""
    carried: Carried = {}
    left_out: list[str] = []
    for mission, rows in deployments.groupby("mission", sort=False):
        made = [_contingent(row) for _, row in rows.iterrows()]
        left_out += [m for m in made if isinstance(m, str)]
        contingents = [m for m in made if isinstance(m, dict)]
        if not contingents:
            left_out.append(f"{mission}: no contingent the model can carry, so no template (still counted in the rate)")
            continue
        carried[str(mission)] = (rows, contingents)
    return carried, left_out


def _templates(carried: Carried, deployments: pd.DataFrame, cal: Calibration) -> dict[str, list[dict[str, Any]]]:
    """Every carried mission as a template choice, by operation type."""
    fitted = {e["id"]: e for e in cal.values()["deployments"]}
    templates: dict[str, list[dict[str, Any]]] = {op: [] for op in STREAM_NAMES}
    for mission, (rows, contingents) in carried.items():
        operation = str(rows["operation_type"].iloc[0])
        choice: dict[str, Any] = {
            "mission": f"{mission} (record)",
            "receiving_country": str(rows["host_country"].iloc[0]),
        }
        choice["operation"] = operation
        if OperationType(operation) in OPERATIONS_WITH_SUBTYPES:  # the rulebook's, not a list here
            choice["subtype"] = SUBTYPE
        choice["contingents"] = contingents
        entry = fitted.get(mission, {})
        choice["period"] = entry.get("period", _real_durations(deployments, operation))
        for key in ("extension", "procedure"):  # a group home in its first period: no lead, no withdrawal
            if key in entry:
                choice[key] = entry[key]
        templates[operation].append(choice)
    return templates


def scenario_hazards(path: Path) -> dict[str, Any]:
    """A scenario file's own field hazards (``hazards``, ``hazards_by_operation``), as
    :func:`~sim.studies.calibration.calibrated_file.ending_rate` reads them.

    Read from the file itself, not through its includes: the streams file it includes may be the one
    being written.
    """
    data = read_yaml(Path(path))  # a missing or malformed file is a ConfigError naming it
    if not isinstance(data, Mapping):
        return {}
    return {key: data[key] for key in ("hazards", "hazards_by_operation") if isinstance(data.get(key), Mapping)}


def fit_streams(
    deployments: pd.DataFrame | None = None,
    plan_events: pd.DataFrame | None = None,
    as_of: pd.Timestamp = AS_OF,
    scenario_file: Path = BASELINE_FILE,
    calibration: Calibration | None = None,
) -> StreamFit:
    """Rates and templates from the record (the shipped data unless tables are given).

    A template's extension probability is the record's net of the ending hazards its arrivals
    face (those of ``scenario_file``, the scenario that includes the streams), as a listed
    deployment's is (:meth:`Calibration.probability`): the record's endings are not counted twice.
    ``calibration``, that scenario's own on the shipped data (:func:`calibrate`), lends its
    observations and fits (the same record's; fitting them costs seconds) and its file.
    """
    if calibration is not None:
        scenario_file, as_of = calibration.scenario_file, calibration.as_of
    deployments = load_deployments() if deployments is None else deployments
    plan_events = load_plan_events() if plan_events is None else plan_events
    hazards = scenario_hazards(scenario_file)
    table = missions(deployments)
    change = change_point(table["arrived"], ACT_IN_FORCE, as_of)
    rates = tuple(type_fit(op, table.loc[table["operation"] == op, "arrived"], change.at, as_of) for op in STREAM_NAMES)
    obs = observations(deployments, plan_events, as_of) if calibration is None else calibration.observations
    fits = fit_all(obs) if calibration is None else calibration.fits
    carried, left_out = _carried(deployments)
    # each mission as a scenario deployment of its template's contingents: the group of its largest one, and
    # the ending hazards it faces, by the rule a listed deployment's fits follow
    missions_as_deployments = [
        {"id": mission, "operation": str(rows["operation_type"].iloc[0]), "contingents": contingents}
        for mission, (rows, contingents) in carried.items()
    ]
    targets = scenario_targets({**hazards, "deployments": missions_as_deployments})
    cal = Calibration(STREAMS_FILE, "streams", targets, obs, fits, as_of)
    templates = _templates(carried, deployments, cal)
    every = type_fit("all", table["arrived"], change.at, as_of)
    return StreamFit(rates, templates, tuple(left_out), every, change, as_of, Path(scenario_file))


def stream_values(fit: StreamFit) -> list[dict[str, Any]]:
    """The streams in scenario syntax: per operation type with a mission, a piecewise Poisson rate:
    the record's rate on each side of the change point, then, after the record, the whole record's
    rate (an assumption: the long run, not the recent lull, is what a 30-year portfolio faces)."""
    streams = []
    for typed in fit.rates:
        if not fit.templates[typed.operation]:
            continue
        periods = [{"start": r.start.date(), "rate": round(r.rate, 4)} for r in typed.periods]
        periods.append({"start": (fit.as_of + pd.Timedelta(days=1)).date(), "rate": round(typed.whole.rate, 4)})
        streams.append(
            {
                "name": STREAM_NAMES[typed.operation],
                "arrivals": {"process": "piecewise", "periods": periods},
                "template": fit.templates[typed.operation],
            }
        )
    return streams


def _flow(value: Any) -> str:
    text = yaml.safe_dump(value, default_flow_style=True, sort_keys=False, width=10_000, allow_unicode=True)
    return text.strip().removesuffix("\n...")


def _describe(r: Rate) -> str:
    return f"{r.n} in {r.years:.1f} years, {r.rate:.3f}/year (95% {r.low:.3f}-{r.high:.3f})"


def _header(fit: StreamFit) -> list[str]:
    every, change = fit.all_missions, fit.change
    lines = [
        "Request streams for configs/baseline.yaml, which includes this file; its own values win.",
        "Written by `pko-sim calibrate` (sim/studies/calibration/arrivals.py, docs/portfolio.md);",
        f"regenerate, do not edit: {COMMAND}",
        f"Data: sim/data/deployments.csv, {every.whole.n} missions from {ACT_IN_FORCE.date()} (the Act in force) "
        f"to {fit.as_of.date()}.",
        "A mission is one arrival, on its first dispatch; its contingents (the record's bursts) are its template.",
        f"Change of rate: all missions fit two Poisson rates best split at {change.at.date()} "
        f"(likelihood ratio {change.lr:.1f},",
        f"Monte Carlo p={change.p:.3f} allowing for the search); each type's rate is fitted on each side of it.",
        "After the record (the third period) each type arrives at its whole-record rate: an assumption, the",
        "long run rather than the recent lull; set that period's rate to sweep it.  Missions per year (MLE,",
        "exact 95% interval);",
        "clustering: index of dispersion of yearly counts over the record (1 for Poisson) and the p-value of",
        "more variance than Poisson (the change of rate inflates it):",
    ]
    for r in (*fit.rates, every):
        lines += [
            f"  {r.operation}: before {_describe(r.periods[0])}; after {_describe(r.periods[1])};",
            f"    whole record {_describe(r.whole)}; dispersion {r.dispersion:.2f} (p={r.dispersion_p:.2f})",
        ]
    lines += [
        "Templates: each real mission resampled with weight 1; periods and extensions from the calibration's",
        "fits of its largest contingent's group, else its type's real durations (empirical); extension",
        f"probabilities net of the ending hazards of {fit.scenario_file.as_posix()} (docs/calibration.md).  Left out:",
        *(f"  {line}" for line in fit.left_out),
    ]
    return [f"# {line}".rstrip() for line in lines]


def render(fit: StreamFit) -> str:
    """The streams file's text: the header, then ``streams:``, one template choice per line."""
    lines = [*_header(fit), "streams:"]
    by_name = {STREAM_NAMES[r.operation]: r for r in fit.rates}
    for stream in stream_values(fit):
        typed = by_name[stream["name"]]
        lines += [
            f"  - name: {stream['name']}  # {typed.operation}: {typed.whole.n} missions",
            f"    arrivals: {_flow(stream['arrivals'])}",
            "    template:",
            *(f"      - {_flow(choice)}" for choice in stream["template"]),
        ]
    return "\n".join(lines) + "\n"


def write_streams(fit: StreamFit, path: Path) -> Path:
    """Write the streams file (atomically) and return its path."""
    write_text(render(fit), path)
    return path
