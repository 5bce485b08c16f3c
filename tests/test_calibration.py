"""Calibration: fits recover known parameters from synthetic records; the shipped fit is what the code writes."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from pydantic import TypeAdapter
from typer.testing import CliRunner

import sim
from sim import record
from sim.cli import app
from sim.scenario.distributions import Distribution
from sim.studies import calibration

AS_OF = pd.Timestamp("2030-01-01")
CALIBRATED = Path("configs/baseline.calibrated.yaml")


def deployments_table(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """A synthetic record with the columns of :func:`sim.record.load_deployments` the calibration reads."""
    defaults: dict[str, Any] = {
        "operation_type": "un_pko",
        "contingent": "sdf_engineering_unit",
        "sdf_unit": True,
        "personnel_per_rotation": 100,
        "cabinet_decision_date": pd.NaT,
        "end": pd.NaT,
        "ongoing": False,
    }
    table = pd.DataFrame([{**defaults, **row} for row in rows])
    for name in ("cabinet_decision_date", "start", "end"):
        table[name] = pd.to_datetime(table[name])
        table[f"{name}_precision"] = np.where(table[name].notna(), "day", "")
        table[f"{name}_uncertain"] = False
    table["days_decision_to_start"] = (table["start"] - table["cabinet_decision_date"]).dt.days.astype("Float64")
    return table


def plan_events_table(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """A synthetic table with the columns of :func:`sim.record.load_plan_events`."""
    columns = ["mission", "contingent", "event", "date", "period_until"]
    table = pd.DataFrame([{"contingent": "", "period_until": pd.NaT, **row} for row in rows], columns=columns)
    for name in ("date", "period_until"):
        table[name] = pd.to_datetime(table[name])
        table[f"{name}_precision"] = np.where(table[name].notna(), "day", "")
        table[f"{name}_uncertain"] = False
    return table


NO_PLAN_EVENTS = plan_events_table([])


def test_lognormal_lag_is_recovered() -> None:
    rng = np.random.default_rng(1)
    lags = np.maximum(1, np.rint(rng.lognormal(math.log(20), 0.6, size=400)))
    decisions = pd.Timestamp("2000-01-01") + pd.to_timedelta(np.arange(400) * 7, unit="D")
    table = deployments_table(
        [
            {"mission": f"m{i}", "cabinet_decision_date": d, "start": d + pd.Timedelta(days=lag), "end": AS_OF}
            for i, (d, lag) in enumerate(zip(decisions, lags, strict=True))
        ]
    )
    fit = calibration.fit_lag(calibration.observations(table, NO_PLAN_EVENTS, AS_OF).lags)
    assert fit.n == 400 and fit.dist == "lognormal"
    # tolerances of about three standard errors (0.6 / sqrt(400) on the log median, 0.6 / sqrt(800) on sigma)
    assert fit.params["median"] == pytest.approx(20, rel=0.1)
    assert fit.params["sigma"] == pytest.approx(0.6, abs=0.065)
    assert fit.statistic == "KS" and fit.pvalue > 0.01


def censored_record(true_days: np.ndarray, rng: np.random.Generator) -> pd.DataFrame:
    """Contingents that started a uniform time before ``AS_OF``: those whose duration outlasts it are ongoing."""
    since_start = rng.uniform(0, 3000, size=len(true_days))
    starts = AS_OF - pd.to_timedelta(np.rint(since_start), unit="D")
    ended = true_days < since_start
    ends = [
        s + pd.Timedelta(days=float(np.rint(d))) if e else pd.NaT
        for s, d, e in zip(starts, true_days, ended, strict=True)
    ]
    return deployments_table(
        [
            {
                "mission": f"m{i}",
                "cabinet_decision_date": s - pd.Timedelta(days=9),
                "start": s,
                "end": e,
                "ongoing": not done,
            }
            for i, (s, e, done) in enumerate(zip(starts, ends, ended, strict=True))
        ]
    )


@pytest.mark.parametrize(
    ("family", "params", "draw"),
    [
        ("weibull", {"shape": 1.5, "scale": 900.0}, lambda rng, n: 900.0 * rng.weibull(1.5, size=n)),
        ("lognormal", {"median": 700.0, "sigma": 0.8}, lambda rng, n: rng.lognormal(math.log(700), 0.8, size=n)),
    ],
)
def test_censored_durations_recover_the_family_and_its_parameters(family: str, params: dict, draw: Any) -> None:
    rng = np.random.default_rng(2)
    obs = calibration.observations(censored_record(np.maximum(1.0, draw(rng, 400)), rng), NO_PLAN_EVENTS, AS_OF)
    assert 0.2 < obs.durations["censored"].mean() < 0.4, "about 30% censored"
    fits = calibration.fit_all(obs).durations[("un_pko", "sdf_unit")]
    chosen = next(f for f in fits if f.chosen)
    assert {f.dist for f in fits} == {"lognormal", "weibull"} and chosen.dist == family
    for name, value in params.items():
        assert chosen.params[name] == pytest.approx(value, rel=0.1), name
    assert chosen.n_censored == obs.durations["censored"].sum() and chosen.statistic == "KS to Kaplan-Meier"


def test_extension_probability_is_recovered_from_durations() -> None:
    """Plans of 365 days extended by 180 with probability 0.8: the counts and the geometric estimate come back.

    Each plan is followed up to a random number of period ends; one still running then is ongoing,
    with the extensions it has had so far.
    """
    rng = np.random.default_rng(3)
    n = 400
    total = rng.geometric(1 - 0.8, size=n) - 1
    followed = rng.integers(0, 16, size=n)
    ongoing = total > followed
    extensions = np.minimum(total, followed)
    days = 365 + 180 * extensions + rng.integers(-40, 41, size=n)
    starts = AS_OF - pd.to_timedelta(days + np.where(ongoing, 0, 1000), unit="D")
    table = deployments_table(
        [
            {"mission": f"m{i}", "cabinet_decision_date": s - pd.Timedelta(days=10), "start": s,
             "end": pd.NaT if o else s + pd.Timedelta(days=int(d)), "ongoing": bool(o)}
            for i, (s, d, o) in enumerate(zip(starts, days, ongoing, strict=True))
        ]
    )  # fmt: skip
    extended = [i for i in range(n) if extensions[i] >= 1][:10]  # a few plans on record, never more than happened
    plans = plan_events_table(
        [
            row
            for i in extended
            for decided in [table.loc[i, "cabinet_decision_date"]]
            for row in (
                {"mission": f"m{i}", "event": "cabinet_decision", "date": decided,
                 "period_until": decided + pd.Timedelta(days=365)},
                {"mission": f"m{i}", "event": "plan_amended", "date": decided + pd.Timedelta(days=300),
                 "period_until": decided + pd.Timedelta(days=365 + 180)},
            )
        ]
    )  # fmt: skip
    fits = calibration.fit_all(calibration.observations(table, plans, AS_OF))
    group = ("un_pko", "sdf_unit")
    assert fits.periods[group].scenario_value() == 365 and fits.lengths[group].scenario_value() == 180
    counts = fits.counts.set_index("mission")["extensions"]
    assert (counts.to_numpy() == extensions).all(), "every count derived exactly"
    probability = fits.probabilities[group]
    assert 0.2 < ongoing.mean() < 0.4, "about 30% censored"
    assert probability.params["probability"] == pytest.approx(0.8, abs=0.03)  # about three standard errors
    tail = math.ceil(math.log(calibration.TAIL) / math.log(probability.params["probability"]))
    assert probability.params["max_extensions"] == max(extensions.max(), tail), "the cap is the geometric's tail"
    assert probability.params["max_extensions"] > extensions.max(), "not the sample's maximum: it would cut the tail"
    assert probability.n_censored == ongoing.sum()


def test_an_extension_is_measured_from_the_end_it_extended_or_else_from_its_decision() -> None:
    table = deployments_table([{"mission": "m", "start": "2020-01-10", "end": "2022-06-30"}])
    plans = plan_events_table(
        [
            {"mission": "m", "event": "cabinet_decision", "date": "2020-01-01", "period_until": "2020-06-30"},
            {"mission": "m", "event": "plan_amended", "date": "2020-06-01", "period_until": "2020-12-31"},
            {"mission": "m", "event": "plan_amended", "date": "2021-06-01"},  # no new end given: left out
            {"mission": "m", "event": "plan_amended", "date": "2022-01-10", "period_until": "2022-06-30"},
        ]
    )
    ext = calibration.observations(table, plans, AS_OF).extensions
    assert ext["measured_from"].tolist() == ["previous_end", "decision"]
    assert ext["days"].tolist() == [184, 171]
    assert ext["lead_days"].tolist()[0] == 29 and math.isnan(ext["lead_days"].tolist()[1]), "the lead: 06-01 to 06-30"


def test_lognormal_extension_lead_is_recovered_pooled_over_groups() -> None:
    """Amendments decided a lognormal lead (median 25, sigma 0.6) before the period they extend runs out.

    Half the plans are UN PKO units, half MFO-like staff officers: the lead is pooled over both.  Each
    plan also has a later amendment whose previous end had long passed (its lead unknown: left out),
    and a tenth of the previous ends are derived (``?``): their leads count as approximate.
    """
    rng = np.random.default_rng(4)
    n = 400
    leads = np.maximum(1, np.rint(rng.lognormal(math.log(25), 0.6, size=n)))
    decisions = pd.Timestamp("2000-01-01") + pd.to_timedelta(np.arange(n) * 7, unit="D")
    staff = {"operation_type": "internationally_coordinated", "contingent": "staff_officers", "sdf_unit": False}
    table = deployments_table(
        [
            {"mission": f"m{i}", "cabinet_decision_date": d, "start": d + pd.Timedelta(days=10), "end": AS_OF,
             **(staff if i % 2 else {})}
            for i, d in enumerate(decisions)
        ]
    )  # fmt: skip
    ends = decisions + pd.Timedelta(days=365)
    plans = plan_events_table(
        [
            row
            for i, (d, end, lead) in enumerate(zip(decisions, ends, leads, strict=True))
            for row in (
                {"mission": f"m{i}", "event": "cabinet_decision", "date": d, "period_until": end},
                {"mission": f"m{i}", "event": "plan_amended", "date": end - pd.Timedelta(days=lead),
                 "period_until": end + pd.Timedelta(days=180)},
                {"mission": f"m{i}", "event": "plan_amended", "date": end + pd.Timedelta(days=1000),
                 "period_until": end + pd.Timedelta(days=1200)},
            )
        ]
    )  # fmt: skip
    derived = (plans["event"] == "cabinet_decision") & (np.arange(len(plans)) % 30 == 0)
    plans["period_until_uncertain"] = derived
    ext = calibration.observations(table, plans, AS_OF).extensions
    assert ext["lead_days"].notna().sum() == n and (ext["measured_from"] == "previous_end").sum() == n
    assert sorted(ext["lead_days"].dropna()) == sorted(leads)
    lead = calibration.fit_all(calibration.observations(table, plans, AS_OF)).lead
    assert lead is not None and lead.n == n and lead.dist == "lognormal" and lead.group == "all"
    assert lead.n_approximate == derived.sum() == int(ext["lead_approximate"].sum())
    # tolerances of about three standard errors (0.6 / sqrt(400) on the log median, 0.6 / sqrt(800) on sigma)
    assert lead.params["median"] == pytest.approx(25, rel=0.1)
    assert lead.params["sigma"] == pytest.approx(0.6, abs=0.065)
    assert lead.statistic == "KS" and lead.pvalue > 0.01
    assert lead.scenario_value(median_digits=1) == {
        "dist": "lognormal",
        "median": round(lead.params["median"], 1),
        "sigma": round(lead.params["sigma"], 2),
    }


def test_without_a_known_previous_end_no_lead_is_fitted_or_written(tmp_path: Path) -> None:
    table = deployments_table([{"mission": "m", "cabinet_decision_date": "2020-01-01", "start": "2020-01-10"}])
    obs = calibration.observations(table, NO_PLAN_EVENTS, AS_OF)
    cal = calibration.Calibration(tmp_path / "s.yaml", "s", (), obs, calibration.fit_all(obs))
    assert cal.fits.lead is None and "extension_lead" not in cal.values()["procedure"]
    assert cal.not_fitted() == [
        "procedure.extension_lead: no amendment with a known previous end",
        "procedure.request_to_decision: no dated request in the data",
        "procedure.withdrawal: no termination decision with a dated return in the data",
    ]
    assert "  extension_lead:" not in calibration.render(cal), "the scenario's lead stays"


def test_every_data_contingent_has_a_model_kind_and_a_new_one_is_an_error() -> None:
    real = record.load_deployments()
    kinds = {calibration.model_kind(c, u) for c, u in zip(real["contingent"], real["sdf_unit"], strict=True)}
    assert kinds == {"sdf_unit", "sdf_personnel", "officials", "recruited"}
    with pytest.raises(ValueError, match="coast_guard_cutter"):
        calibration.model_kind("coast_guard_cutter", False)


def test_ongoing_deployments_are_censored_at_the_latest_dated_source() -> None:
    real, plans = record.load_deployments(), record.load_plan_events()
    latest = max(real[["cabinet_decision_date", "start", "end"]].max().max(), plans["date"].max())
    assert latest == calibration.AS_OF


@pytest.fixture(scope="module")
def baseline_calibration() -> calibration.Calibration:
    return calibration.calibrate(Path(__file__).resolve().parent.parent / "configs" / "baseline.yaml")


def test_the_committed_calibrated_file_is_what_the_calibration_writes_now(
    baseline_calibration: calibration.Calibration,
) -> None:
    assert calibration.render(baseline_calibration) == CALIBRATED.read_text(encoding="utf-8"), (
        "configs/baseline.calibrated.yaml is stale: run `pko-sim calibrate --force`"
    )


def test_the_baseline_validates_and_carries_the_fitted_values(baseline_calibration: calibration.Calibration) -> None:
    scenario = sim.load_scenario("configs/baseline.yaml")
    as_distribution = TypeAdapter(Distribution).validate_python
    values = baseline_calibration.values()
    assert scenario.procedure.decision_to_dispatch == as_distribution(values["procedure"]["decision_to_dispatch"])
    lead = scenario.procedure.extension_lead
    assert lead == as_distribution(values["procedure"]["extension_lead"])
    assert lead.dist == "lognormal" and lead.median > 0, "the baseline decides extensions before the period runs out"
    deployments = {d.id: d for d in scenario.deployments}
    for entry in values["deployments"]:
        dep = deployments[entry["id"]]
        if "period" in entry:
            assert dep.period == as_distribution(entry["period"]), entry["id"]
        extension = entry.get("extension", {})
        if "length" in extension:
            assert dep.extension.length == as_distribution(extension["length"]), entry["id"]
        assert dep.extension.probability == extension.get("probability", dep.extension.probability)
        assert dep.extension.max_extensions == extension.get("max_extensions", dep.extension.max_extensions)
    assert {e["id"] for e in values["deployments"]} == set(deployments) == {"mfo_staff", "unmiss_staff"}


def test_calibrate_refuses_to_overwrite_a_fitted_file_without_force(tmp_path: Path) -> None:
    out, report = tmp_path / "fitted.yaml", tmp_path / "report"
    out.write_text("# a fitted file someone keeps\n")
    streams = tmp_path / "streams.yaml"
    result = CliRunner().invoke(
        app, ["calibrate", "--out", str(out), "--streams", str(streams), "--report", str(report)]
    )
    assert result.exit_code == 1 and "exists" in result.output and "--force" in result.output
    assert out.read_text() == "# a fitted file someone keeps\n" and not report.exists()
    default = CliRunner().invoke(app, ["calibrate", "--report", str(report)])
    assert default.exit_code == 1 and "configs/baseline.calibrated.yaml exists" in default.output
    assert not report.exists()


def test_the_eight_assignments_calibrated_file_is_what_the_calibration_writes_now() -> None:
    """configs/eight_assignments.yaml (the listed deployments, one of each kind) has fitted values of its own."""
    fitted = calibration.calibrate(Path(__file__).resolve().parent.parent / "configs" / "eight_assignments.yaml")
    written = Path("configs/eight_assignments.calibrated.yaml").read_text(encoding="utf-8")
    assert calibration.render(fitted) == written, (
        "configs/eight_assignments.calibrated.yaml is stale: run `pko-sim calibrate --scenario "
        "configs/eight_assignments.yaml --out configs/eight_assignments.calibrated.yaml --streams /tmp/s.yaml --force`"
    )
    scenario = sim.load_scenario("configs/eight_assignments.yaml")
    deployments = {d.id: d for d in scenario.deployments}
    assert deployments["un_hq_officer"].period.value == 730, "the Art. 27 officer is not calibrated"
    assert {e["id"] for e in fitted.values()["deployments"]} == set(deployments) - {"un_hq_officer"}


def test_calibrate_command_writes_the_file_and_the_report(tmp_path: Path) -> None:
    out, report = tmp_path / "fitted.yaml", tmp_path / "report"
    out.write_text("# stale\n")
    streams = tmp_path / "streams.yaml"
    args = ["calibrate", "--out", str(out), "--streams", str(streams), "--report", str(report), "--replications", "3",
            "--seed", "5", "--force"]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == CALIBRATED.read_bytes(), "--force overwrites"
    assert streams.read_bytes() == Path("configs/baseline.streams.yaml").read_bytes()
    for name in ("calibration.md", "qq.png", "fits.csv", "comparison.csv", "band.csv", "observations/durations.csv"):
        assert (report / name).is_file(), name
    assert "forecast band: " in result.output and " of 40 contingents in the 5-95% band" in result.output
    compared = pd.read_csv(report / "comparison.csv")
    assert set(compared["deployment"]) == {"all", "mfo_staff", "unmiss_staff", "arrivals"}
    arrivals = compared[compared["deployment"] == "arrivals"]
    assert "un_pko/sdf_unit" in set(arrivals["group"]), "the arrivals drawn as UN PKO units are compared with theirs"
    text = (report / "calibration.md").read_text(encoding="utf-8")
    assert "## Caveats" in text and "KS" in text and "## Forecast band" in text
