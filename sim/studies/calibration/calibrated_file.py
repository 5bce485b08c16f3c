"""The calibration of a scenario and the calibrated file it writes.

Why: a scenario's deployments must be matched to the data groups whose fits they take
(:func:`scenario_targets`), and the fitted values must reach the scenario as a file it includes
(``configs/baseline.calibrated.yaml``, see :mod:`sim.scenario.files`).  :func:`calibrate` gathers the
observations and fits into a :class:`Calibration`; :func:`render` and :func:`write_calibrated` turn
it into that file, with a header saying how it was made.  Same data, same bytes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from sim.scenario import read_yaml
from sim.studies.calibration.fits import Fit, Fits, fit_all, tail_cap
from sim.studies.calibration.observed import AS_OF, Group, Observations, group_label, observations
from sim.sweep.store import write_text

DAYS_PER_YEAR = 365.25
"""The field hazards' rates are a year's (as the model draws them)."""


@dataclass(frozen=True)
class Target:
    """A scenario deployment and the data group whose fits it takes (None, with why, if it takes none)."""

    id: str
    group: Group | None
    reason: str = ""
    ending_rate: float = 0.0


ENDING_HAZARDS = ("mission_end", "policy_termination")
"""The field hazards that always end a deployment (a rate a year, see :func:`ending_rate`)."""


def ending_rate(data: Mapping[str, Any], dep: Mapping[str, Any]) -> float:
    """The yearly rate at which the scenario's field hazards end this deployment outright.

    Each of :data:`ENDING_HAZARDS` from the deployment's ``hazards``, else its operation type's
    (``hazards_by_operation``), else the scenario's, as the model resolves them.  The loss of the
    conditions ends a deployment only when they are not restored within the window, and lost
    consent only for some tasks; neither is counted (in the baseline the first is about 0.003 a year).
    """
    layers = [dep.get("hazards") or {}, (data.get("hazards_by_operation") or {}).get(dep["operation"]) or {}]
    layers.append(data.get("hazards") or {})
    total = 0.0
    for name in ENDING_HAZARDS:
        given = next((layer[name] for layer in layers if isinstance(layer.get(name), Mapping)), {})
        total += float(given.get("rate", 0.0))
    return total


def scenario_targets(data: Mapping[str, Any]) -> tuple[Target, ...]:
    """Each deployment of a scenario's own data, mapped to the group of its largest contingent.

    The largest contingent (the first of equals) is what the deployment is mostly made of, as a
    data row is one contingent.  An Art. 27 officer has no implementation plan, so no plan period
    or extension in the data.
    """
    targets = []
    for dep in data.get("deployments", []):
        if dep.get("dispatch_under") == "article_27":
            targets.append(Target(dep["id"], None, "Art. 27: no implementation plan, so no plan period in the data"))
            continue
        lead = max(dep["contingents"], key=lambda c: c["personnel"])
        targets.append(Target(dep["id"], (dep["operation"], lead["kind"]), ending_rate=ending_rate(data, dep)))
    return tuple(targets)


FIRST_PERIOD_ONLY: Mapping[str, Any] = {
    "extension": {"probability": 0.0, "max_extensions": 0},
    "procedure": {"extension_lead": 0, "withdrawal": 0},
}
"""What a deployment whose real contingents all came home in their first period is written with,
beside its period (:func:`~sim.studies.calibration.fits.first_period`): never extended, and home as
the period runs out (no lead before it, no withdrawal after it)."""


@dataclass(frozen=True)
class Calibration:
    """A scenario's deployments, the observations and the fits: everything the file and report show."""

    scenario_file: Path
    scenario_name: str
    targets: tuple[Target, ...]
    observations: Observations
    fits: Fits
    as_of: pd.Timestamp = AS_OF

    def values(self) -> dict[str, Any]:
        """The fitted keys in scenario syntax: the procedure's lags and the per-deployment ones.

        ``procedure.extension_lead``, ``request_to_decision`` and ``withdrawal`` are written only
        when the record has an observation of them.
        """
        deployments = [entry for t in self.targets if t.group is not None and len(entry := self._entry(t)) > 1]
        procedure = {"decision_to_dispatch": self.fits.lag.scenario_value(median_digits=1)}
        for key, fit in (
            ("extension_lead", self.fits.lead),
            ("request_to_decision", self.fits.request),
            ("withdrawal", self.fits.withdrawal),
        ):
            if fit is not None:
                procedure[key] = fit.scenario_value(median_digits=1)
        return {"procedure": procedure, "deployments": deployments}

    def _entry(self, target: Target) -> dict[str, Any]:
        group = target.group
        assert group is not None
        entry: dict[str, Any] = {"id": target.id}
        if group in self.fits.first_periods:
            return {**entry, **FIRST_PERIOD_ONLY, "period": self.fits.first_periods[group].scenario_value()}
        if group in self.fits.periods:
            entry["period"] = self.fits.periods[group].scenario_value()
        extension: dict[str, Any] = {}
        probability = self.probability(target)
        if probability is not None:
            extension["probability"] = round(probability, 3)
        if group in self.fits.lengths:
            extension["length"] = self.fits.lengths[group].scenario_value()
        if probability is not None:
            fitted = self.fits.probabilities[group].params["max_extensions"]
            tail = tail_cap(probability)
            extension["max_extensions"] = int(max(fitted, tail))
        if extension:
            entry["extension"] = extension
        return entry

    def probability(self, target: Target) -> float | None:
        """The extension probability written for a deployment: the record's, net of the hazards' ends.

        The record's estimate (:func:`~sim.studies.calibration.fits.extension_probability`) reads
        every real ending as a period not extended, whatever ended it.  The model ends deployments
        by its field hazards too, so the chance a period passes without such an end (at the
        deployment's :func:`ending_rate`, over the typical extension, or the period where there is
        none) divides it out: the model's periods then go on as often as the record's did.  At most 1.
        """
        group = target.group
        if group is None or group not in self.fits.probabilities:
            return None
        observed = self.fits.probabilities[group].params["probability"]
        spell = self.fits.lengths.get(group) or self.fits.periods.get(group)
        if observed == 0 or spell is None or target.ending_rate == 0:
            return observed
        survives = math.exp(-target.ending_rate * spell.typical / DAYS_PER_YEAR)
        return min(1.0, observed / survives)

    def not_fitted(self) -> list[str]:
        """What the calibration leaves as the scenario states it, one line per deployment (and the lead)."""
        lines = []
        if self.fits.lead is None:
            lines.append("procedure.extension_lead: no amendment with a known previous end")
        if self.fits.request is None:
            lines.append("procedure.request_to_decision: no dated request in the data")
        if self.fits.withdrawal is None:
            lines.append("procedure.withdrawal: no termination decision with a dated return in the data")
        for t in self.targets:
            if t.group is None:
                lines.append(f"{t.id}: {t.reason}")
                continue
            if t.group in self.fits.first_periods:
                continue
            missing = [
                name
                for name, fits in (("period", self.fits.periods), ("extension.length", self.fits.lengths))
                if t.group not in fits
            ]
            missing += [] if t.group in self.fits.probabilities else ["extension.probability", "max_extensions"]
            if missing:
                lines.append(f"{t.id} ({group_label(t.group)}): {', '.join(missing)} (no observation in the data)")
        return lines


def calibrate(
    scenario: str | Path,
    deployments: pd.DataFrame | None = None,
    plan_events: pd.DataFrame | None = None,
    as_of: pd.Timestamp = AS_OF,
) -> Calibration:
    """Fit the scenario's deployments to the record (the shipped data unless tables are given).

    The scenario's own file is read without its includes: the deployments' operation and
    contingents are all the mapping needs, and the included file is what this calibration writes.
    """
    path = Path(scenario)
    data = read_yaml(path)
    obs = observations(deployments, plan_events, as_of)
    return Calibration(path, str(data.get("name", path.stem)), scenario_targets(data), obs, fit_all(obs), as_of)


def _flow(value: Any) -> str:
    """A value in YAML flow style on one line: ``{dist: lognormal, median: 9.1, sigma: 0.66}``."""
    text = yaml.safe_dump(value, default_flow_style=True, sort_keys=False, width=10_000)
    return text.strip().removesuffix("\n...")  # a bare scalar comes with an end-of-document marker


def _header(cal: Calibration) -> list[str]:
    """The comment block saying how the file was made, from what, and what it leaves alone."""
    obs = cal.observations
    durations = obs.durations
    lines = [
        f"Fitted values for the scenario {cal.scenario_file.name} ({cal.scenario_name}), which includes this file;",
        "its own values win.  Written by `pko-sim calibrate` (sim/calibration/, docs/calibration.md);",
        f"regenerate, do not edit: pko-sim calibrate --scenario <folder>/{cal.scenario_file.name} "
        "--out <this file> --force",
        f"Data: sim/data/deployments.csv and plan_events.csv, as of {cal.as_of.date()} (ongoing deployments",
        "censored there).  Each deployment takes the fits of the data group (operation type / contingent",
        "kind) of its largest contingent.",
        f"Samples: decision-to-dispatch {len(obs.lags)} Cabinet decisions; extension lead "
        f"{int(obs.extensions['lead_days'].notna().sum())} amendments with a known",
        f"previous end; request to decision {len(obs.requests)} requests; withdrawal {len(obs.withdrawals)} "
        "termination decisions;",
        f"initial plan periods {len(obs.periods)}; extension lengths {len(obs.extensions)}; "
        f"durations {len(durations)} contingents",
        f"({int(durations['censored'].sum())} ongoing, censored; month-precision dates read as intervals).",
        "Groups whose contingents all came home in their first period take their period from their",
        "durations, with no extension, lead or withdrawal.",
        "Caveats: tiny samples (many groups rest on 1-5 observations; n per fit in the calibration report);",
        "month-precision dates read as intervals in the withdrawal, first-period and duration fits, as the",
        "1st elsewhere; values the sources mark '?' kept; extension counts are derived from durations",
        "(the amendments on record as a floor); an extension length measured from its decision date",
        "overstates it by the days the old period still ran; the extension lead is measured only on",
        "amendments whose previous end is known; every real ending is read as a period end not extended,",
        "and the probability written divides out the field hazards that end a deployment (mission end,",
        "policy termination); one probability per deployment cannot give a heavy-tailed count (UNDOF).",
        "Not fitted, kept as the scenario states them:",
        *(f"  {line}" for line in cal.not_fitted()),
    ]
    return [f"# {line}".rstrip() for line in lines]


def _sample_note(fit: Fit, group: Group) -> str:
    """``lognormal, n=7`` and, if the fit pools beyond the group, which sample it rests on."""
    pooled = "" if fit.sample == group_label(group) else f" ({fit.sample})"
    return f"{fit.dist}, n={fit.n}{pooled}"


def _entry_lines(cal: Calibration, entry: Mapping[str, Any]) -> list[str]:
    """One deployment's fitted keys, each preceded by a comment naming its fit and sample."""
    group = next(t.group for t in cal.targets if t.id == entry["id"])
    assert group is not None
    lines = [f"  - id: {entry['id']}  # data group {group_label(group)}"]
    if group in cal.fits.first_periods:
        fit = cal.fits.first_periods[group]
        return [
            *lines,
            f"    # period: {_sample_note(fit, group)} on the durations + the lag's median; "
            "every contingent came home in its first period",
            f"    period: {_flow(entry['period'])}",
            f"    extension: {_flow(entry['extension'])}",
            f"    procedure: {_flow(entry['procedure'])}",
        ]
    if "period" in entry:
        lines += [
            f"    # period: {_sample_note(cal.fits.periods[group], group)}",
            f"    period: {_flow(entry['period'])}",
        ]
    if "extension" in entry:
        notes = [
            f"{name} {_sample_note(fits[group], group)}"
            for name, fits in (("length", cal.fits.lengths), ("probability", cal.fits.probabilities))
            if group in fits
        ]
        lines += [f"    # extension: {'; '.join(notes)}", f"    extension: {_flow(entry['extension'])}"]
    return lines


def _lead_lines(cal: Calibration, value: Any) -> list[str]:
    """``procedure.extension_lead`` and the comment naming its fit, if the record has a lead."""
    lead = cal.fits.lead
    if lead is None:
        return []
    sample = f"{lead.n} amendments with a known previous end"
    if lead.dist == "lognormal":
        note = f"lognormal MLE on {sample}, KS D={lead.value:.2f} (p={lead.pvalue:.2f})"
    else:
        note = f"{lead.dist} median of {sample}"
    return [f"  # {note}", f"  extension_lead: {_flow(value)}"]


def _pooled_lines(fit: Fit | None, what: str, key: str, procedure: Mapping[str, Any]) -> list[str]:
    """A pooled procedure lag and the comment naming its fit, if the record has it."""
    if fit is None:
        return []
    how = "lognormal MLE" if fit.dist == "lognormal" else "median"
    intervals = " (intervals where dates are known to the month)" if fit.n_censored else ""
    return [f"  # {how} on {fit.n} {what}{intervals}", f"  {key}: {_flow(procedure[key])}"]


def render(cal: Calibration) -> str:
    """The calibrated file's text: the header, then only the fitted keys.  Same data, same bytes."""
    values = cal.values()
    lag = cal.fits.lag
    lines = [
        *_header(cal),
        "procedure:",
        f"  # lognormal MLE on {lag.n} decisions, KS D={lag.value:.2f} (p={lag.pvalue:.2f})",
        f"  decision_to_dispatch: {_flow(values['procedure']['decision_to_dispatch'])}",
        *_lead_lines(cal, values["procedure"].get("extension_lead")),
        *_pooled_lines(cal.fits.request, "requests", "request_to_decision", values["procedure"]),
        *_pooled_lines(cal.fits.withdrawal, "termination decisions", "withdrawal", values["procedure"]),
        "deployments:",
    ]
    for entry in values["deployments"]:
        lines += _entry_lines(cal, entry)
    return "\n".join(lines) + "\n"


def write_calibrated(cal: Calibration, path: Path) -> Path:
    """Write :func:`render` to ``path`` atomically."""
    write_text(render(cal), Path(path))
    return Path(path)
