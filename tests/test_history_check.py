"""The check against history: the fitted streams over 1992-2025 on the real Diet calendar, against the record."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sim.record import load_deployments
from sim.studies.calibration import history_check


def test_the_peak_at_once_counts_overlaps_and_lets_a_leaver_go_before_an_arriver():
    peak = history_check._peak_at_once
    assert peak(np.array([0.0, 5, 10]), np.array([10.0, 20, 30]), np.array([1.0, 2, 4])) == 6
    assert peak(np.array([0.0, 10]), np.array([10.0, 20]), np.array([3.0, 3])) == 3
    assert peak(np.array([]), np.array([]), np.array([])) == 0


def test_the_records_figures():
    real = history_check.real_figures()
    assert real["missions: un_pko"] == 13 and real["contingents: un_pko"] == 25
    assert real["missions: humanitarian_relief"] == 6 and real["contingents: humanitarian_relief"] == 7
    assert sum(v for k, v in real.items() if k.startswith("contingents")) == 42
    assert real["most persons engaged at once"] == 777, "UNTAC's 724 with ONUMOZ's 53 in 1993"
    assert 4_900 < real["person-years engaged"] < 5_000, "MINUSTAH's engineers at the plan's ceiling, as templates"
    table = load_deployments()
    unsized = table.assign(personnel_ceiling=table["personnel_ceiling"].where(table["mission"] != "MINUSTAH", pd.NA))
    without = history_check.real_figures(unsized)["person-years engaged"]
    engineers = 350 * (pd.Timestamp("2013-01-01") - pd.Timestamp("2010-02-01")).days / 365.25  # 1,065 days
    assert real["person-years engaged"] - without == pytest.approx(engineers)


def test_the_history_scenario_is_the_baseline_moved_to_the_records_years():
    scenario = history_check.history_scenario()
    assert (scenario.start.isoformat(), scenario.end_date.isoformat()) == ("1992-08-10", "2025-11-07")
    assert scenario.deployments == [] and scenario.diet.calendar.source == "historical"
    assert [s.name for s in scenario.streams] == ["pko", "ico", "relief", "elections"]


@pytest.fixture(scope="module")
def table():
    return history_check.check()


def test_every_real_figure_lies_inside_the_simulated_band(table):
    outside = table.loc[~table["inside"], "measure"].tolist()
    assert not outside, f"outside the simulated 5-95% band: {outside}"


def test_docs_report_the_table_the_check_makes_now(table):
    text = Path("docs/portfolio.md").read_text(encoding="utf-8")
    assert history_check.markdown(table) in text, "docs/portfolio.md is stale: paste history_check.markdown(check())"
