"""A check against history: 1992-2025 simulated with the fitted streams on the real Diet calendar.

Why: the request streams are fitted to the record (:mod:`sim.studies.calibration.arrivals`); what
they make of 33 years should look like what Japan did.  :func:`history_scenario` is the baseline's
assumptions (lags, hazards, calibrated periods and the streams) moved to the record's years, with no
listed deployment and the real sessions of the Diet; :func:`check` simulates it and puts each of the
record's figures beside the simulated 5%, 50% and 95% quantiles: missions and contingents per
operation type, person-years engaged, the most persons engaged at once and the most missions out
at once.  docs/portfolio.md reports the table (:func:`markdown`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.law.versions import CURRENT
from sim.model.arrivals import draw_arrivals, plan_streams
from sim.record import load_deployments
from sim.record.tasks import headcount
from sim.run.replications import SimulationResult, simulate
from sim.scenario import Scenario, parse_scenario, read_scenario_file
from sim.studies.calibration.arrivals import ACT_IN_FORCE, STREAM_NAMES, missions
from sim.studies.calibration.observed import AS_OF

BASELINE = Path("configs/baseline.yaml")
REPLICATIONS, SEED = 200, 1992
"""What docs/portfolio.md's table was made with."""

COLUMNS = ("measure", "real", "p05", "median", "p95", "inside")


def history_scenario(baseline: Path = BASELINE, replications: int = REPLICATIONS) -> Scenario:
    """The portfolio's assumptions and streams from the Act's entry into force to the record's end,
    on the historical Diet calendar, with no listed deployment.

    Every arrival is judged under today's text (``law.as_of``: the current text's day of entry into
    force): the templates are the real missions written in today's task letters, and the check
    compares counts and loads, not which text allowed what (docs/portfolio.md)."""
    data: dict[str, Any] = dict(read_scenario_file(baseline))
    data.pop("horizon_years", None)
    diet: Mapping[str, Any] = data.get("diet", {})
    data.update(
        name="history_1992_2025",
        description="The fitted request streams over the record's years, on the real Diet calendar.",
        start=ACT_IN_FORCE.date(),
        end=AS_OF.date(),
        replications=replications,
        deployments=[],
        law={"as_of": CURRENT.in_force.isoformat()},
        diet={**diet, "calendar": {"source": "historical"}},
    )
    return parse_scenario(data, f"history check of {baseline}")


def _peak_at_once(starts: np.ndarray, ends: np.ndarray, weights: np.ndarray) -> float:
    """The largest sum of ``weights`` over intervals ``[start, end)`` open at one moment."""
    if len(starts) == 0:
        return 0.0
    times = np.concatenate([starts, ends])
    deltas = np.concatenate([weights, -weights])
    order = np.lexsort((deltas, times))  # at a tie, leaving comes before arriving
    return float(np.cumsum(deltas[order]).max(initial=0.0))


def real_figures(deployments: pd.DataFrame | None = None) -> dict[str, float]:
    """The record's figures: counts, person-years (headcount times days deployed, ongoing ones up
    to the record's end; rows with no headcount left out) and the peaks at once.

    A contingent's headcount is read as the templates read it (:func:`~sim.record.tasks.headcount`:
    the per-rotation count, else the plan's ceiling), so that both sides of the check count the
    same persons."""
    table = load_deployments() if deployments is None else deployments
    figures: dict[str, float] = {}
    per_mission = missions(table)
    for op in STREAM_NAMES:
        figures[f"missions: {op}"] = float((per_mission["operation"] == op).sum())
        figures[f"contingents: {op}"] = float((table["operation_type"].astype(str) == op).sum())
    end = table["end"].fillna(AS_OF)
    headcounts = pd.Series([headcount(row) for _, row in table.iterrows()], index=table.index, dtype=float)
    sized = headcounts.notna()
    days = (end - table["start"]).dt.days.to_numpy(dtype=float)
    persons = headcounts.fillna(0).to_numpy(dtype=float)
    figures["person-years engaged"] = float((persons * days)[sized.to_numpy()].sum() / 365.25)
    t0, t1 = (table["start"] - ACT_IN_FORCE).dt.days.to_numpy(float), (end - ACT_IN_FORCE).dt.days.to_numpy(float)
    figures["most persons engaged at once"] = _peak_at_once(t0, t1, persons)
    m0 = (per_mission["arrived"] - ACT_IN_FORCE).dt.days.to_numpy(float)
    last = table.assign(end=end).groupby("mission", sort=False)["end"].max()
    m1 = (last.reindex(per_mission["mission"]).to_numpy() - np.datetime64(ACT_IN_FORCE)) / np.timedelta64(1, "D")
    figures["most missions out at once"] = _peak_at_once(m0, m1.astype(float), np.ones(len(m0)))
    return figures


def simulated_figures(scenario: Scenario, result: SimulationResult) -> pd.DataFrame:
    """The same figures for every replication of ``result`` (one row each)."""
    streams = plan_streams(scenario)
    deps = result.deployments
    rows = []
    horizon = float(scenario.horizon_days)
    for rep in range(result.replications):
        row: dict[str, float] = {}
        arrived = draw_arrivals(scenario, streams, result.seed, rep)
        for op in STREAM_NAMES:
            mine = [a for a in arrived if a.spec.operation.value == op]
            row[f"missions: {op}"] = len(mine)
            row[f"contingents: {op}"] = sum(len(a.spec.contingents) for a in mine)
        engaged = result.engaged[result.engaged["replication"] == rep].drop_duplicates("t", keep="last")
        t = np.append(engaged["t"].to_numpy(float), horizon)
        total = engaged["total"].to_numpy(float)
        row["person-years engaged"] = float((np.diff(t) * total).sum() / 365.25)
        row["most persons engaged at once"] = float(total.max(initial=0.0))
        out = deps[(deps["replication"] == rep) & deps["dispatch_date"].notna()]
        start = (out["dispatch_date"] - pd.Timestamp(scenario.start)).dt.days.to_numpy(float)
        end = (out["withdrawal_date"] - pd.Timestamp(scenario.start)).dt.days.fillna(horizon).to_numpy(float)
        row["most missions out at once"] = _peak_at_once(start, end, np.ones(len(start)))
        rows.append(row)
    return pd.DataFrame(rows)


def check(replications: int = REPLICATIONS, seed: int = SEED, baseline: Path = BASELINE) -> pd.DataFrame:
    """Each real figure beside the simulated 5%, 50% and 95% quantiles, and whether it lies inside."""
    scenario = history_scenario(baseline, replications)
    result = simulate(scenario, replications=replications, seed=seed)
    simulated = simulated_figures(scenario, result)
    real = real_figures()
    rows = []
    for measure, value in real.items():
        p05, median, p95 = np.quantile(simulated[measure].to_numpy(float), [0.05, 0.5, 0.95])
        rows.append((measure, value, p05, median, p95, bool(p05 <= value <= p95)))
    return pd.DataFrame(rows, columns=list(COLUMNS))


def markdown(table: pd.DataFrame) -> str:
    """The table as docs/portfolio.md shows it."""
    lines = ["| measure | record | simulated 5% | median | 95% | inside |", "|---|---:|---:|---:|---:|:-:|"]
    for row in table.itertuples(index=False):
        lines.append(
            f"| {row.measure} | {row.real:,.0f} | {row.p05:,.0f} | {row.median:,.0f} | {row.p95:,.0f} | "
            f"{'yes' if row.inside else 'no'} |"
        )
    return "\n".join(lines) + "\n"
