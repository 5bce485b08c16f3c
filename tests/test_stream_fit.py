"""Request streams fitted to the record (`pko-sim calibrate`): rates by operation type, real missions as templates."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sim
from sim.record import load_deployments
from sim.studies.calibration import arrivals

STREAMS = Path("configs/baseline.streams.yaml")


@pytest.fixture(scope="module")
def fit() -> arrivals.StreamFit:
    return arrivals.fit_streams()


def test_the_committed_streams_file_is_what_the_fit_writes_now(fit):
    assert arrivals.render(fit) == STREAMS.read_text(encoding="utf-8"), (
        "configs/baseline.streams.yaml is stale: run `pko-sim calibrate --force`"
    )
    assert STREAMS.read_text(encoding="utf-8").splitlines()[2] == "# regenerate, do not edit: pko-sim calibrate --force"


def test_a_mission_is_one_arrival_on_its_first_dispatch():
    table = arrivals.missions(load_deployments())
    assert len(table) == 29 and table["contingents"].sum() == 42
    untac = table.set_index("mission").loc["UNTAC"]
    assert untac["contingents"] == 4 and untac["arrived"] == pd.Timestamp("1992-09-17")
    assert table.groupby("operation").size().to_dict() == {
        "election_monitoring": 9, "humanitarian_relief": 6, "internationally_coordinated": 1, "un_pko": 13,
    }  # fmt: skip


def test_rates_are_poisson_estimates_with_exact_intervals(fit):
    pko = next(r for r in fit.rates if r.operation == "un_pko").whole
    years = (arrivals.AS_OF - arrivals.ACT_IN_FORCE).days / 365.25
    assert pko.n == 13 and pko.years == pytest.approx(years) and pko.rate == pytest.approx(13 / years)
    assert pko.low < pko.rate < pko.high
    none = arrivals.poisson_rate(
        "x", pd.Series(pd.to_datetime([])), pd.Timestamp("2000-01-01"), pd.Timestamp("2010-01-01")
    )
    assert none.rate == 0 and none.low == 0 and none.high == pytest.approx(-np.log(0.025) / none.years, rel=1e-6)


def test_the_record_says_the_rate_changed_and_missions_do_not_cluster_beyond_poisson(fit):
    assert fit.change.at == pd.Timestamp("2012-01-01") and fit.change.p < 0.01
    before, after = fit.all_missions.periods
    assert before.n == 27 and after.n == 2 and before.rate > 5 * after.rate
    assert all(r.dispersion_p > 0.05 for r in fit.rates), "yearly counts within a type: no evidence of bursts"


def test_a_change_point_is_not_found_in_arrivals_at_one_rate():
    rng = np.random.Generator(np.random.PCG64(3))
    start, end = pd.Timestamp("1990-01-01"), pd.Timestamp("2020-01-01")
    days = np.sort(rng.uniform(0, (end - start).days, 40)).astype(int)
    found = arrivals.change_point(pd.Series(start + pd.to_timedelta(days, unit="D")), start, end, draws=300)
    assert found.p > 0.05


def fit_period(fit, mission: str) -> object:
    return next(c for c in fit.templates["un_pko"] if c["mission"] == mission)["period"]


def test_templates_are_the_real_missions_and_say_what_they_leave_out(fit):
    pko = fit.templates["un_pko"]
    assert len(pko) == 13
    untac = next(c for c in pko if c["mission"] == "UNTAC (record)")
    assert [(c["kind"], c["personnel"], c["tasks"]) for c in untac["contingents"]] == [
        ("sdf_personnel", 8, ["a"]), ("sdf_unit", 600, ["s"]), ("officials", 75, ["i"]), ("recruited", 41, ["h"]),
    ]  # fmt: skip
    assert untac["contingents"][1]["rotation"] == 374 // 2
    minustah = next(c for c in pko if c["mission"] == "MINUSTAH (record)")
    engineers = minustah["contingents"][0]
    assert (engineers["label"], engineers["personnel"]) == ("sdf_engineering_unit", 350), "the plan's ceiling"
    assert minustah["period"] == fit_period(fit, "UNTAC (record)"), "its largest contingent's group: un_pko SDF units"
    assert not any(line.startswith("MINUSTAH") for line in fit.left_out)
    assert any(line.startswith("UNMISS: other") for line in fit.left_out)
    elections = fit.templates["election_monitoring"]
    fitted = elections[0]["period"]
    assert fitted["dist"] == "lognormal", "the calibration fits election observers' periods to their durations"


def test_the_baseline_is_the_two_assignments_running_today_and_the_fitted_streams(fit):
    scenario = sim.load_scenario("configs/baseline.yaml")
    assert [d.id for d in scenario.deployments] == ["mfo_staff", "unmiss_staff"]
    assert [s.name for s in scenario.streams] == ["pko", "ico", "relief", "elections"]
    pko = scenario.streams[0].arrivals
    assert pko.process == "piecewise" and [p.start.isoformat() for p in pko.periods] == [
        "1992-08-10", "2012-01-01", "2025-11-08"]  # fmt: skip
    whole = next(r for r in fit.rates if r.operation == "un_pko").whole
    assert pko.periods[-1].rate == round(whole.rate, 4), "after the record: the whole record's rate"
    assert sum(len(s.template) for s in scenario.streams) == 29


@pytest.mark.parametrize(
    ("count", "text", "persons"),
    [
        (210, "approx. 210 (1st); plan ceiling 330", 210),  # the per-rotation count first
        (None, "up to 350 per contingent; cumulative approx. 2,200", 350),
        (None, "40 ceiling (plan); cumulative 93", 40),
        (None, "ceiling 120", 120),
        (None, "cumulative approx. 2,200", None),  # neither: left out
    ],
)
def test_a_contingents_headcount_is_its_per_rotation_count_else_its_plans_ceiling(count, text, persons):
    from sim.record.loaders import _parse_personnel
    from sim.record.tasks import headcount

    ceiling = _parse_personnel(text, None).ceiling  # the loader's reading of the cell: personnel_ceiling
    row = pd.Series({"personnel_per_rotation": pd.NA if count is None else count,
                     "personnel_ceiling": pd.NA if ceiling is None else ceiling})  # fmt: skip
    assert headcount(row) == persons


def test_a_templates_extension_probability_is_net_of_the_including_scenarios_ending_hazards(fit, tmp_path):
    """As a listed deployment's (Calibration.probability): the record's endings are not counted twice."""
    untac = next(c for c in fit.templates["un_pko"] if c["mission"] == "UNTAC (record)")
    calm = tmp_path / "calm.yaml"
    calm.write_text("hazards: {mission_end: {rate: 0.0}}\n", encoding="utf-8")
    raw = arrivals.fit_streams(scenario_file=calm)
    untac_raw = next(c for c in raw.templates["un_pko"] if c["mission"] == "UNTAC (record)")
    typical = 255  # the extension length's median, in days
    netted = untac_raw["extension"]["probability"] / np.exp(-0.05 * typical / 365.25)  # baseline's mission_end
    assert untac["extension"]["probability"] == pytest.approx(netted, abs=5e-4)
    assert untac["extension"]["probability"] > untac_raw["extension"]["probability"]
    elections = fit.templates["election_monitoring"][0]["extension"]
    assert elections == next(iter(raw.templates["election_monitoring"]))["extension"], "no ending hazard there"
    assert "net of the ending hazards of configs/baseline.yaml" in arrivals.render(fit)


def test_the_streams_fitted_with_the_scenarios_calibration_are_the_same_streams(fit):
    """``pko-sim calibrate`` fits the record once and lends the fits to the streams."""
    from sim.studies.calibration import calibrate

    lent = arrivals.fit_streams(calibration=calibrate("configs/baseline.yaml"))
    assert arrivals.render(lent) == arrivals.render(fit)
