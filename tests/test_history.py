"""The table of Japan's real deployments: typed, faithful to the CSV, uncertain values flagged rather than dropped."""

from __future__ import annotations

import csv
from importlib import resources
from pathlib import Path

import pandas as pd
import pytest

from sim.record import load_deployments
from sim.record.loaders import _parse_personnel

DATE_COLUMNS = ("cabinet_decision_date", "start", "end")


def csv_rows() -> list[dict[str, str]]:
    """The shipped CSV read independently of the loader, as plain strings."""
    with resources.files("sim.data").joinpath("deployments.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def row(table: pd.DataFrame, mission: str, contingent: str) -> pd.Series:
    match = table[(table["mission"] == mission) & (table["contingent"] == contingent)]
    assert len(match) == 1, f"{mission} / {contingent}: {len(match)} rows"
    return match.iloc[0]


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return load_deployments()


def test_there_is_one_row_per_csv_row(table: pd.DataFrame) -> None:
    assert len(table) == 42 == len(csv_rows())


def test_columns_have_the_documented_types(table: pd.DataFrame) -> None:
    for name in ("mission", "host_country", "personnel_text", "end_reason"):
        assert isinstance(table[name].dtype, pd.StringDtype), name
    for name in ("operation_type", "contingent", *(f"{c}_precision" for c in DATE_COLUMNS)):
        assert isinstance(table[name].dtype, pd.CategoricalDtype), name
    flags = ("operation_type_uncertain", "sdf_unit", "ongoing", "personnel_uncertain", "rotations_uncertain")
    for name in (*flags, "duration_approximate", *(f"{c}_uncertain" for c in DATE_COLUMNS)):
        assert table[name].dtype == bool, name
    for name in DATE_COLUMNS:
        assert pd.api.types.is_datetime64_dtype(table[name]), name
    for name in ("personnel_per_rotation", "personnel_total", "rotations"):
        assert table[name].dtype == "Int64", name
    for name in ("days_decision_to_start", "days_deployed"):
        assert table[name].dtype == "Float64", name
    assert all(isinstance(urls, list) for urls in table["source_urls"])


def test_untac_engineering_battalion_matches_the_csv(table: pd.DataFrame) -> None:
    untac = row(table, "UNTAC", "sdf_engineering_unit")
    assert untac["cabinet_decision_date"] == pd.Timestamp("1992-09-08")
    assert untac["cabinet_decision_date_precision"] == "day"
    assert untac["start"] == pd.Timestamp("1992-09-17")
    assert untac["start_precision"] == "day"
    assert untac["end"] == pd.Timestamp("1993-09-26")
    assert untac["sdf_unit"]
    assert untac["personnel_text"] == "600 x 2 (1,200)"
    assert untac["personnel_per_rotation"] == 600
    assert untac["personnel_total"] == 1200
    assert untac["rotations"] == 2
    assert untac["days_decision_to_start"] == 9
    assert untac["days_deployed"] == 374  # 1992-09-17 to 1993-09-26
    assert not untac["duration_approximate"]


def test_undof_transport_unit_reads_the_mofa_formula(table: pd.DataFrame) -> None:
    undof = row(table, "UNDOF", "transport_unit")
    assert undof["personnel_text"] == "43 x 33 + 44 x 1 (cumulative with HQ staff approx. 1,500)"
    assert undof["start"] == pd.Timestamp("1996-02-01")
    assert undof["start_precision"] == "month"
    assert undof["cabinet_decision_date"] == pd.Timestamp("1995-12-15")  # a court judgment's findings of fact
    assert undof["cabinet_decision_date_precision"] == "day"
    assert pd.isna(undof["days_decision_to_start"])  # the start is known to the month only
    assert undof["personnel_per_rotation"] == 44  # the latest contingent
    assert undof["personnel_total"] == 43 * 33 + 44 * 1 == 1463
    assert undof["rotations"] == 34
    assert undof["personnel_uncertain"]  # the bracketed cumulative figure is "approx."
    assert undof["duration_approximate"]
    assert undof["days_deployed"] == (pd.Timestamp("2013-01-01") - pd.Timestamp("1996-02-01")).days


def test_undof_staff_officers_sum_both_contingent_sizes_and_flag_the_derived_rotation_count(
    table: pd.DataFrame,
) -> None:
    staff = row(table, "UNDOF", "staff_officers")
    assert staff["personnel_per_rotation"] == 3
    assert staff["personnel_total"] == 2 * 13 + 3 * 4 == 38
    assert staff["rotations"] == 17
    assert staff["rotations_uncertain"]


def test_mfo_is_ongoing_with_no_end_date(table: pd.DataFrame) -> None:
    mfo = row(table, "MFO (Multinational Force and Observers)", "staff_officers")
    assert mfo["ongoing"]
    assert pd.isna(mfo["end"])
    assert mfo["end_precision"] == ""
    assert pd.isna(mfo["days_deployed"])
    assert not mfo["duration_approximate"]
    assert mfo["days_decision_to_start"] == 24  # 2019-04-02 to 2019-04-26
    assert table["ongoing"].sum() == 2  # MFO and the UNMISS staff officers


def test_ukraine_relief_started_three_days_after_the_cabinet_decision(table: pd.DataFrame) -> None:
    ukraine = row(table, "Ukrainian displaced persons relief (UNHCR request)", "transport_unit")
    assert ukraine["cabinet_decision_date"] == pd.Timestamp("2022-04-28")
    assert ukraine["start"] == pd.Timestamp("2022-05-01")
    assert ukraine["days_decision_to_start"] == 3
    assert ukraine["days_deployed"] == 75
    assert ukraine["personnel_per_rotation"] == 201
    assert ukraine["personnel_uncertain"]  # "approx. 200 incl. domestic standby"


@pytest.mark.parametrize(
    ("mission", "contingent", "per_rotation", "total"),
    [
        ("UNTAC", "ceasefire_observers", 8, 16),  # "8 x 2 (16 SDF personnel in total)"
        ("UNTAC", "election_observers", 41, 41),  # "41 (5 national govt, 13 local govt, 23 private)"
        ("UNAVEM II", "election_observers", 3, None),  # "3", rotations not stated
        ("UNMISET", "sdf_engineering_unit", 405, 680 + 522 + 405),  # UNTAET's 680 not counted twice
        ("UNMISET", "staff_officers", 7, 7),  # "(10 continued from UNTAET) + 7"
        ("UNMISS", "sdf_engineering_unit", 210, 3912),  # "approx. 210 (1st); ... cumulative 3,912 (MOD) / 3,854"
        ("UNMISS", "staff_officers", 2, 59),  # "2 initially; ... cumulative 29 (...) / 59 as of 2024-10-01"
        ("UNMISS", "other", None, 93),  # "40 ceiling (plan); cumulative 93"
        ("MINUSTAH", "sdf_engineering_unit", None, 2200),  # "up to 350 per contingent; cumulative approx. 2,200"
        ("MINUSTAH", "staff_officers", 2, None),  # "2 (as of July 2010)"
        ("Rwandan refugee relief (UNHCR request)", "refugee_relief_unit", None, None),  # "approx. 20-23" is a range
        ("Iraqi refugee relief (UNHCR request)", "transport_unit", 60, 60),  # "approx. 60 (...) / 56 (...)"
        ("Iraqi victims relief (WFP request)", "transport_unit", 104, 104),  # "98 airlift unit + 6 operations support"
        ("OSCE Mission to Bosnia and Herzegovina (1998 general elections)", "election_observers", 30, 30),
        ("DR Congo 2006 presidential/National Assembly elections (UN request)", "election_observers", 5, 13),
        ("Timor-Leste 2007 presidential, run-off and parliamentary elections", "election_observers", 14, None),
    ],
)
def test_odd_personnel_strings_are_read_by_the_documented_rules(
    table: pd.DataFrame, mission: str, contingent: str, per_rotation: int | None, total: int | None
) -> None:
    deployment = row(table, mission, contingent)
    assert (None if pd.isna(deployment["personnel_per_rotation"]) else deployment["personnel_per_rotation"]) == (
        per_rotation
    )
    assert (None if pd.isna(deployment["personnel_total"]) else deployment["personnel_total"]) == total


@pytest.mark.parametrize(
    ("text", "rotations", "per_rotation", "total", "uncertain"),
    [
        ("43人×33+44人×1", 34, 44, 1463, False),
        ("600 × 2", 2, 600, 1200, False),
        ("約60", 1, 60, 60, True),
        ("3", None, 3, None, False),
    ],
)
def test_japanese_and_multiplication_sign_spellings_are_read(
    text: str, rotations: int | None, per_rotation: int, total: int | None, uncertain: bool
) -> None:
    parsed = _parse_personnel(text, rotations)
    assert (parsed.per_rotation, parsed.total, parsed.uncertain) == (per_rotation, total, uncertain)


def test_personnel_text_is_the_csv_text_unchanged(table: pd.DataFrame) -> None:
    assert table["personnel_text"].tolist() == [r["personnel"] for r in csv_rows()]


def test_uncertain_values_are_flagged_not_dropped(table: pd.DataFrame) -> None:
    rows = csv_rows()
    questioned = [i for i, r in enumerate(rows) if any("?" in v for k, v in r.items() if k != "source_url")]
    assert len(questioned) == 8  # counted by hand in the CSV (URLs aside)
    for i, raw in enumerate(rows):
        parsed = table.iloc[i]
        assert parsed["operation_type_uncertain"] == raw["operation_type"].endswith("?")
        assert parsed["rotations_uncertain"] == raw["rotations"].endswith("?")
        for column in DATE_COLUMNS:
            assert parsed[f"{column}_uncertain"] == raw[column].endswith("?"), (i, column)
            assert pd.isna(parsed[column]) == (raw[column] in ("", "ongoing")), (i, column)
        if "?" in raw["personnel"]:
            assert parsed["personnel_uncertain"]
    flags = [c for c in table.columns if c.endswith("_uncertain")]
    assert table.loc[questioned, flags].any(axis=1).all()
    assert set(table.index[table[flags].any(axis=1)]) >= set(questioned)


def test_flagged_values_are_kept(table: pd.DataFrame) -> None:
    police = row(table, "UNTAC", "civilian_police")
    assert police["cabinet_decision_date"] == pd.Timestamp("1992-09-08")
    assert police["cabinet_decision_date_uncertain"]
    iraq = row(table, "Iraqi refugee relief (UNHCR request)", "transport_unit")
    assert iraq["end"] == pd.Timestamp("2003-04-01")
    assert (iraq["end_precision"], iraq["end_uncertain"], iraq["duration_approximate"]) == ("month", True, True)
    timor = row(table, "UNTAET (2001 Constituent Assembly election)", "election_observers")
    assert timor["operation_type"] == "election_monitoring"
    assert timor["operation_type_uncertain"]


def test_month_only_dates_are_the_first_of_the_month(table: pd.DataFrame) -> None:
    for column in ("start", "end"):  # no cabinet decision date is known to the month only
        months = table[table[f"{column}_precision"] == "month"][column]
        assert not months.empty
        assert (months.dt.day == 1).all(), column


def test_decision_to_start_lag_needs_two_day_precision_dates(table: pd.DataFrame) -> None:
    both_days = (table["cabinet_decision_date_precision"] == "day") & (table["start_precision"] == "day")
    assert table["days_decision_to_start"].notna().tolist() == both_days.tolist()
    assert (table.loc[both_days, "days_decision_to_start"] >= 0).all()


def test_durations_resting_on_month_dates_are_marked_approximate(table: pd.DataFrame) -> None:
    month = (table["start_precision"] == "month") | (table["end_precision"] == "month")
    known = table["days_deployed"].notna()
    assert table.loc[month & known, "duration_approximate"].all()
    assert (table.loc[known, "days_deployed"] >= 0).all()


def test_the_loader_returns_a_copy(table: pd.DataFrame) -> None:
    first = load_deployments()
    first.loc[0, "personnel_per_rotation"] = 999_999
    first.loc[0, "mission"] = "changed"
    first["source_urls"].iloc[0].append("https://example.invalid")
    del first["end"]
    second = load_deployments()
    pd.testing.assert_frame_equal(second, table)


def test_every_row_has_a_source_url(table: pd.DataFrame) -> None:
    for urls in table["source_urls"]:
        assert urls
        assert all(url.startswith("http") for url in urls), urls


# -- the dated procedural steps -------------------------------------------------------------------


@pytest.fixture(scope="module")
def steps() -> pd.DataFrame:
    from sim.record import load_plan_events

    return load_plan_events()


def test_every_step_belongs_to_a_deployment_of_the_table(steps: pd.DataFrame, table: pd.DataFrame) -> None:
    assert set(steps["mission"]) <= set(table["mission"])
    for _, step in steps[steps["contingent"] != ""].iterrows():
        assert ((table["mission"] == step["mission"]) & (table["contingent"] == step["contingent"])).any(), step


def test_steps_carry_their_precision_and_doubts(steps: pd.DataFrame) -> None:
    undof = steps[steps["mission"] == "UNDOF"]
    decision = undof[undof["event"] == "cabinet_decision"].iloc[0]
    assert decision["date"] == pd.Timestamp("1995-12-15") and decision["date_precision"] == "day"
    guessed = undof[undof["event"] == "plan_amended"].iloc[0]  # "2006-07?": a month, and derived
    assert guessed["date"] == pd.Timestamp("2006-07-01") and guessed["date_precision"] == "month"
    assert guessed["date_uncertain"]
    derived = undof[undof["date"] == pd.Timestamp("2009-01-30")].iloc[0]
    assert derived["period_until"] == pd.Timestamp("2009-09-30") and derived["period_until_uncertain"]
    assert not derived["date_uncertain"]


def test_a_plan_period_always_ends_after_the_decision_that_set_it(steps: pd.DataFrame) -> None:
    dated = steps.dropna(subset=["period_until"])
    assert (dated["period_until"] > dated["date"]).all()
    assert set(dated["event"]) <= {"cabinet_decision", "plan_amended", "termination_decided"}


def test_each_mission_steps_in_the_order_of_the_act(steps: pd.DataFrame) -> None:
    order = list(steps["event"].cat.categories)
    for (mission, contingent), group in steps.groupby(["mission", "contingent"]):
        ends = group[group["event"].isin(["termination_decided", "withdrawal_completed", "results_reported"])]
        starts = group[group["event"].isin(["request_received", "cabinet_decision"])]
        if len(ends) and len(starts):
            assert starts["date"].max() < ends["date"].min(), (mission, contingent)
        assert all(e in order for e in group["event"])


def test_a_plan_change_that_keeps_the_period_is_named_as_the_model_logs_it(steps: pd.DataFrame) -> None:
    """Size, task and mission changes are not extensions: they carry no new period end of their own."""
    changes = steps[steps["event"].isin(["size_changed", "tasks_added", "contingent_added", "mission_handed_over"])]
    assert changes["period_until"].isna().all()
    handed_over = changes[changes["event"] == "mission_handed_over"]
    assert list(handed_over["mission"]) == ["UNTAET"], "UNTAET to UNMISET was one plan, handed over, not ended"
    assert not ((steps["mission"] == "UNTAET") & (steps["event"] == "termination_decided")).any()
    assert "tasks_added" in set(changes["event"])


def test_the_loader_names_the_bad_event(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sim.record import loaders

    text = "mission,contingent,event,date,period_until,detail,sources\nUNTAC,,plan_extended,1993-01-01,,,X\n"
    (tmp_path / "plan_events.csv").write_text(text, encoding="utf-8")
    monkeypatch.setattr(loaders.resources, "files", lambda _package: tmp_path)
    loaders._cached_plan_events.cache_clear()
    try:
        with pytest.raises(ValueError, match=r"unknown event\(s\) \['plan_extended'\].*size_changed"):
            loaders._cached_plan_events()
    finally:
        loaders._cached_plan_events.cache_clear()
