"""The calibration report: the calibrated model simulated against the record.

Why: a fit can be good and the model still wrong (the field hazards end deployments too), so the
report simulates the scenario with the calibration laid over it (:func:`calibrated_scenario`) and
compares the simulated lags and durations with the observed ones (:func:`comparisons`, two-sample
KS and QQ plots, :func:`qq_figure`).  :func:`write_report` writes the Markdown report, the figure
and the tables under one folder.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import yaml
from matplotlib import ticker
from matplotlib.figure import Figure
from scipy import stats

from sim.law import ContingentKind
from sim.model.arrivals import draw_arrivals, plan_streams
from sim.run.replications import simulate
from sim.run.tables import SimulationResult
from sim.scenario import Scenario, parse_scenario
from sim.scenario.files import read_scenario_file
from sim.studies.calibration.band import ARRIVAL_COLUMNS, BAND, forecast_band, representing, why_outside
from sim.studies.calibration.calibrated_file import Calibration
from sim.studies.calibration.fits import MIN_FIT
from sim.studies.calibration.observed import INDIVIDUAL_KINDS, group_label
from sim.sweep.store import write_figure, write_text


def calibrated_scenario(cal: Calibration) -> Scenario:
    """The scenario (with its includes) with this calibration's values over it: what the report simulates.

    The values are laid over the merged data rather than read back from the included file, so the
    report checks this calibration even when it was written elsewhere than where the scenario
    includes it.
    """
    data = copy.deepcopy(read_scenario_file(cal.scenario_file))
    values = cal.values()
    data.setdefault("procedure", {}).update(values["procedure"])
    fitted = {entry["id"]: entry for entry in values["deployments"]}
    for dep in data["deployments"]:
        entry = fitted.get(dep["id"], {})
        if "period" in entry:
            dep["period"] = entry["period"]
        if "extension" in entry:
            dep["extension"] = {**dep.get("extension", {}), **entry["extension"]}
        if "procedure" in entry:
            dep["procedure"] = {**dep.get("procedure", {}), **entry["procedure"]}
    return parse_scenario(data, source=str(cal.scenario_file))


@dataclass(frozen=True)
class Comparison:
    """Observed against simulated values of one quantity for one deployment (or all, for the lag)."""

    quantity: str
    deployment: str
    group: str
    observed: np.ndarray
    simulated: np.ndarray
    simulated_censored: int

    def row(self) -> dict[str, Any]:
        """Sizes, medians and the two-sample KS statistic (observed uncensored against simulated)."""
        testable = len(self.observed) > 0 and len(self.simulated) > 0
        test = stats.ks_2samp(self.observed, self.simulated) if testable else None
        return {
            "quantity": self.quantity,
            "deployment": self.deployment,
            "group": self.group,
            "n_observed": len(self.observed),
            "n_simulated": len(self.simulated),
            "n_simulated_censored": self.simulated_censored,
            "median_observed": float(np.median(self.observed)) if len(self.observed) else math.nan,
            "median_simulated": float(np.median(self.simulated)) if len(self.simulated) else math.nan,
            "ks": float(test.statistic) if test else math.nan,
            "pvalue": float(test.pvalue) if test else math.nan,
        }


def comparisons(cal: Calibration, result: SimulationResult, arrivals: pd.DataFrame | None = None) -> list[Comparison]:
    """The lag over every planned deployment, and each fitted deployment's days deployed against its group's.

    A scenario's arrivals are compared group by group (deployment ``arrivals``): those drawn as a
    real mission of the group, whose fits they took, against the group's real durations.

    Observed durations are the uncensored, positive ones; simulated are those that ended before the
    horizon (the censored are counted).  The simulation includes the scenario's field hazards, so
    this compares the whole calibrated model with the record, not the fits alone.
    """
    sims = result.deployments
    planned = sims[(sims["route"] == "implementation_plan") & sims["days_decision_to_dispatch"].notna()]
    found = [
        Comparison(
            "decision_to_dispatch",
            "all",
            "all",
            cal.observations.lags["days"].to_numpy(dtype=float),
            planned["days_decision_to_dispatch"].to_numpy(dtype=float),
            0,
        )
    ]
    durations = cal.observations.durations
    observed_ok = ~durations["censored"] & (durations["days"] > 0)
    for target in cal.targets:
        if target.group is None:
            continue
        mine = sims[(sims["deployment"] == target.id) & sims["days_deployed"].notna()]
        in_group = (durations["operation"] == target.group[0]) & (durations["kind"] == target.group[1])
        found.append(
            Comparison(
                "days_deployed",
                target.id,
                group_label(target.group),
                durations.loc[in_group & observed_ok, "days"].to_numpy(dtype=float),
                mine.loc[~mine["censored"], "days_deployed"].to_numpy(dtype=float),
                int(mine["censored"].sum()),
            )
        )
    drawn = representing(sims, {}, drawn_arrivals(result) if arrivals is None else arrivals)
    drawn = drawn[drawn["days_deployed"].notna()]
    for group in sorted(set(drawn["group"])):
        mine = drawn[[g == group for g in drawn["group"]]]
        in_group = (durations["operation"] == group[0]) & (durations["kind"] == group[1])
        found.append(
            Comparison(
                "days_deployed",
                "arrivals",
                group_label(group),
                durations.loc[in_group & observed_ok, "days"].to_numpy(dtype=float),
                mine.loc[~mine["censored"], "days_deployed"].to_numpy(dtype=float),
                int(mine["censored"].sum()),
            )
        )
    return found


def qq_figure(found: Sequence[Comparison]) -> Figure:
    """Quantile-quantile panels: observed quantiles against simulated ones at the same probabilities."""
    drawable = [c for c in found if len(c.observed) and len(c.simulated)]
    columns = 3
    rows = max(1, math.ceil(len(drawable) / columns))
    fig, axes = plt.subplots(rows, columns, figsize=(4 * columns, 3.6 * rows), squeeze=False)
    for ax, comp in zip(axes.flat, drawable, strict=False):
        observed = np.sort(comp.observed)
        probabilities = (np.arange(1, len(observed) + 1) - 0.5) / len(observed)
        simulated = np.quantile(comp.simulated, probabilities)
        ax.scatter(observed, simulated, color="#0072B2", zorder=3)
        low = max(0.5, min(observed.min(), simulated.min()) * 0.8)
        high = max(observed.max(), simulated.max()) * 1.25
        ax.plot([low, high], [low, high], color="#999999", linestyle="--", linewidth=1)
        ax.set(xscale="log", yscale="log", xlim=(low, high), ylim=(low, high))
        for axis in (ax.xaxis, ax.yaxis):
            axis.set_major_formatter(ticker.FuncFormatter(lambda value, _: f"{value:g}"))
            axis.set_minor_formatter(ticker.NullFormatter())
        ax.set_title(f"{comp.deployment}: {comp.quantity}\n{comp.group}, n obs={len(observed)}", fontsize=9)
        ax.set_xlabel("observed (days)")
        ax.set_ylabel("simulated (days)")
    for ax in list(axes.flat)[len(drawable) :]:
        ax.set_visible(False)
    fig.tight_layout()
    return fig


def _markdown(frame: pd.DataFrame) -> str:
    """A DataFrame as a Markdown table (numbers to 3 significant digits, NaN blank)."""

    def cell(value: Any) -> str:
        if isinstance(value, float):
            return "" if math.isnan(value) else f"{value:.3g}"
        return str(value)

    header = "| " + " | ".join(frame.columns) + " |"
    rule = "|" + "---|" * len(frame.columns)
    body = ["| " + " | ".join(cell(v) for v in row) + " |" for row in frame.itertuples(index=False)]
    return "\n".join([header, rule, *body])


CAVEATS = (
    "Tiny samples: several groups rest on one to five observations (see n); a fixed median from one "
    "or two plan periods is a record, not an estimate.",
    "Censoring: ongoing deployments are right-censored at the as-of date; groups with fewer than "
    f"{MIN_FIT} uncensored durations are not fitted.",
    "Month-precision dates are intervals in the withdrawal, first-period and duration fits and in the forecast "
    "band; elsewhere (derived counts, KS statistics) they are taken as the 1st of the month; lags use "
    "day-precision pairs only.",
    "Values the sources mark with '?' (derived or uncertain) are kept and counted in n_approximate.",
    "Extension counts are derived from durations (nearest whole number of extensions after the initial "
    "period), with the amendments on record as a floor: most amendments are missing from the sources.",
    "Extension lengths measured from the amendment's date (no known previous end) overstate the "
    "extension by the days the old period still ran.",
    "The extension lead (procedure.extension_lead) is measured only on the amendments whose previous "
    "period end is known and had not yet passed (n in the fits table), pooled over all groups; the other "
    "amendments' dates say nothing about how early they came.",
    "The geometric extension probability reads every real ending as a period end not extended; the probability "
    "written divides out the field hazards that always end a deployment (mission end, policy termination), not "
    "the loss of the conditions or of consent. One probability per deployment gives a geometric count, which "
    "cannot hold a plan renewed 33 times (UNDOF) among plans renewed a few times.",
    "Groups whose contingents all came home in their first period (no amendment on record, no derivable "
    "extension) take their period from their durations plus the lag's median and are written with no lead and "
    "no withdrawal; the plan periods the record gives for them are upper bounds (they ended when the task was done).",
    "The request lag rests on two dated requests, the withdrawal on four termination decisions (three of them "
    "known to the month).",
    "KS p-values against a distribution fitted to the same points flatter the fit; two-sample KS p-values "
    "with a handful of observations can reject only gross misfits.",
)


def _lead_kind(contingents: Sequence[Any]) -> str:
    """The kind of the largest contingent (the first of equals), whose group's fits a template takes."""
    return max(contingents, key=lambda c: c.personnel).kind.value


def drawn_arrivals(result: SimulationResult) -> pd.DataFrame:
    """Which real mission each arrival of ``result`` was drawn as, and its group (:data:`ARRIVAL_COLUMNS`).

    The draws are made again from the run's seed: an arrival's template depends only on the seed,
    the replication and its stream (:mod:`sim.model.arrivals`), so nothing needs to be logged for it.
    """
    scenario = result.scenario
    streams = plan_streams(scenario)
    rows = [
        (rep, a.spec.id, a.spec.mission, a.spec.operation.value, _lead_kind(a.spec.contingents))
        for rep in range(result.replications) if streams
        for a in draw_arrivals(scenario, streams, result.seed, rep)
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=list(ARRIVAL_COLUMNS))


def band_table(cal: Calibration, result: SimulationResult, arrivals: pd.DataFrame | None = None) -> pd.DataFrame:
    """The forecast band of every real contingent (:func:`~sim.studies.calibration.band.forecast_band`), and why out.

    ``arrivals`` is :func:`drawn_arrivals` of ``result`` if the caller has it already.
    """
    targets = {t.id: t.group for t in cal.targets if t.group is not None}
    arrivals = drawn_arrivals(result) if arrivals is None else arrivals
    band = forecast_band(cal.observations.durations, targets, result.deployments, arrivals)
    return band.assign(why=[why_outside(row) for row in band.to_dict("records")])


def band_summary(band: pd.DataFrame) -> str:
    """``38 of 40 contingents in the 5-95% band (37 at the 1st-of-the-month reading)``."""
    low, high = (round(100 * q) for q in BAND)
    return (
        f"{int(band['in_band'].sum())} of {len(band)} contingents in the {low}-{high}% band "
        f"({int(band['point_in_band'].sum())} with month-precision dates read as the 1st)"
    )


def read_band(folder: Path) -> pd.DataFrame:
    """The forecast band table a report wrote (``band.csv``), as :func:`band_table` made it."""
    return pd.read_csv(Path(folder) / "band.csv", dtype={"in_band": bool, "point_in_band": bool}, keep_default_na=False)


def _band_section(band: pd.DataFrame) -> list[str]:
    """The band's Markdown: the figure, the contingents outside and the whole table."""
    columns = ["mission", "contingent", "group", "represented_by", "days", "low", "high", "band_low", "band_high"]
    shown = band[[*columns, "in_band", "why"]]
    outside = band[~band["in_band"]]
    return [
        "## Forecast band",
        "",
        "Each real contingent's duration (first departure to last return; an interval `low`-`high` where "
        "the dates are known to the month, open-ended for the ongoing) against the 5-95% band of the "
        "simulated days deployed of the calibrated deployment that represents it (its data group, else "
        "its kind). In the band when they overlap.",
        "",
        f"**{band_summary(band)}.**",
        "",
        *(
            [f"Outside: {'; '.join(f'{r.mission} {r.contingent} ({r.why})' for r in outside.itertuples())}.", ""]
            if len(outside)
            else []
        ),
        _markdown(shown),
        "",
    ]


def _report_text(
    cal: Calibration, table: pd.DataFrame, compared: pd.DataFrame, band: pd.DataFrame, replications: int, seed: int
) -> str:
    """The Markdown report: how it was made, the fits, the comparisons, the caveats."""
    obs = cal.observations
    values = yaml.safe_dump(cal.values(), sort_keys=False, default_flow_style=None, width=110)
    fits = table[
        [
            "quantity",
            "group",
            "sample",
            "n",
            "n_censored",
            "n_approximate",
            "dist",
            "params",
            "chosen",
            "aic",
            "statistic",
            "value",
            "pvalue",
            "note",
        ]
    ]
    mapping = pd.DataFrame(
        [{"contingent": k, "model kind": v.value} for k, v in INDIVIDUAL_KINDS.items()]
        + [{"contingent": "any SDF unit (sdf_unit true)", "model kind": ContingentKind.SDF_UNIT.value}]
    )
    parts = [
        f"# Calibration of {cal.scenario_name}",
        "",
        f"Data as of {cal.as_of.date()}: {len(obs.lags)} decision-to-dispatch lags, "
        f"{int(obs.extensions['lead_days'].notna().sum())} extension leads, {len(obs.periods)} initial "
        f"plan periods, {len(obs.extensions)} extension lengths, {len(obs.durations)} contingent durations "
        f"({int(obs.durations['censored'].sum())} ongoing, censored). Simulated: {replications} replications, "
        f"seed {seed}. Method and assumptions: docs/calibration.md.",
        "",
        "## Fitted values written",
        "",
        "```yaml",
        values.rstrip(),
        "```",
        "",
        "Not fitted (kept as the scenario states them):",
        "",
        *(f"- {line}" for line in cal.not_fitted()),
        "",
        "## Fits",
        "",
        _markdown(fits),
        "",
        "## Simulated against observed",
        "",
        "Two-sample KS of the observed (uncensored) against the simulated values; QQ plots in `qq.png`.",
        "",
        _markdown(compared),
        "",
        "![quantile-quantile plots](qq.png)",
        "",
        *_band_section(band),
        "## Data contingents and model kinds",
        "",
        _markdown(mapping),
        "",
        "## Caveats",
        "",
        *(f"- {c}" for c in CAVEATS),
        "",
    ]
    return "\n".join(parts)


def write_report(cal: Calibration, folder: Path, replications: int | None = None, seed: int | None = None) -> Path:
    """Simulate the calibrated scenario and write the report under ``folder``; returns ``calibration.md``.

    Writes ``calibration.md``, ``qq.png``, ``fits.csv``, ``comparison.csv``, ``band.csv`` (the forecast
    band, :func:`band_table`) and the observations (``observations/*.csv``: lags, durations with
    derived extension counts, periods, extensions with their leads, requests, withdrawals).
    """
    folder = Path(folder)
    scenario = calibrated_scenario(cal)
    result = simulate(scenario, replications=replications, seed=seed)
    arrivals = drawn_arrivals(result)  # drawn again from the seed once, for both tables
    found = comparisons(cal, result, arrivals)
    compared = pd.DataFrame([c.row() for c in found])
    band = band_table(cal, result, arrivals)
    table = cal.fits.table()
    fig = qq_figure(found)
    write_figure(fig, folder / "qq.png")
    plt.close(fig)
    write_text(table.to_csv(index=False), folder / "fits.csv")
    write_text(compared.to_csv(index=False), folder / "comparison.csv")
    write_text(band.to_csv(index=False), folder / "band.csv")
    tables = {
        "lags": cal.observations.lags,
        "durations": cal.fits.counts,
        "periods": cal.observations.periods,
        "extensions": cal.observations.extensions,
        "requests": cal.observations.requests,
        "withdrawals": cal.observations.withdrawals,
    }
    for name, frame in tables.items():
        write_text(frame.to_csv(index=False), folder / "observations" / f"{name}.csv")
    report = folder / "calibration.md"
    write_text(_report_text(cal, table, compared, band, result.replications, result.seed), report)
    return report
