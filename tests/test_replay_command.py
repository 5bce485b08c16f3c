"""`pko-sim replay`: a real deployment rebuilt from the record, run, and compared step by step.

The replay is written by rule from sim/data/deployments.csv and plan_events.csv
(:mod:`sim.studies.replay`), not by hand; it must take every step that the hand-written replays of
configs/historical/ are tested on (tests/test_replays.py) on its real date, and say plainly which
missions, contingents and steps the record cannot support.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import sim
from sim.cli import app
from sim.studies import replay
from tests.test_replays import HISTORICAL, NOT_A_STEP_OF_THE_ACT, REPLAYS, Replay

runner = CliRunner()
AGREE = {"exact", "same month"}


@cache
def generated(mission: str) -> replay.ReplayRun:
    return replay.run(mission)


def checked_steps(hand: Replay, table: pd.DataFrame) -> pd.DataFrame:
    """The rows of a comparison that tests/test_replays.py checks for the hand-written replay."""
    mine = table["contingent"].isin(["", *hand.contingents])
    events = sim.record.load_plan_events()
    theirs = events[(events["mission"] == hand.mission) & ~events["event"].isin(NOT_A_STEP_OF_THE_ACT)]
    keys = set(zip(theirs["event"].astype(str), theirs["contingent"], theirs["date"], strict=True))
    from_plan_events = [(row.step, row.contingent, row.real_date) in keys for row in table.itertuples(index=False)]
    return table[mine & pd.Series(from_plan_events, index=table.index)]


def test_replay_untac_writes_the_table_and_the_figure_with_no_day_off(tmp_path: Path) -> None:
    result = runner.invoke(app, ["replay", "UNTAC", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    folder = tmp_path / "untac"
    table = pd.read_parquet(folder / "steps.parquet")
    assert (folder / "steps.csv").read_text().startswith("step,contingent,real_date,precision,simulated_date")
    assert (folder / "timeline.png").stat().st_size > 10_000
    checked = checked_steps(REPLAYS[0], table)
    assert set(checked["step"]) == {
        "request_received", "cabinet_decision", "dispatch_started", "withdrawal_completed", "results_reported",
    }  # fmt: skip
    assert (checked["agreement"] == "exact").all() and (checked["days_off"] == 0).all(), checked
    assert "1993-11-12" in result.output


@pytest.mark.parametrize("hand", REPLAYS, ids=[r.file for r in REPLAYS])
def test_the_generated_replay_takes_every_step_the_hand_written_one_is_tested_on(hand: Replay) -> None:
    ours = checked_steps(hand, generated(hand.mission).table)
    assert len(ours), "the record dates steps of this mission"
    assert ours["agreement"].isin(AGREE).all(), ours[~ours["agreement"].isin(AGREE)]


@pytest.mark.parametrize("hand", REPLAYS, ids=[r.file for r in REPLAYS])
def test_the_shipped_config_agrees_with_the_generated_replay_on_each_dated_step(hand: Replay) -> None:
    built = generated(hand.mission).replay
    labelled = replay.Replay(
        built.mission, built.slug, None, built.steps, dict(hand.contingents), not_modelled=built.not_modelled
    )
    shipped = replay.compare(labelled, sim.simulate(HISTORICAL / hand.file, replications=1).events)
    ours = checked_steps(hand, generated(hand.mission).table).reset_index(drop=True)
    theirs = checked_steps(hand, shipped).reset_index(drop=True)
    pd.testing.assert_series_equal(ours["agreement"], theirs["agreement"])
    exact = ours["agreement"] == "exact"
    pd.testing.assert_series_equal(ours.loc[exact, "simulated_date"], theirs.loc[exact, "simulated_date"])


def test_replay_all_writes_one_summary_and_builds_the_five_hand_written_missions(tmp_path: Path) -> None:
    result = runner.invoke(app, ["replay", "--all", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    summary = pd.read_csv(tmp_path / "summary.csv", keep_default_na=False)
    assert list(summary["mission"]) == replay.missions()
    built = set(summary.loc[summary["built"], "mission"])
    assert {hand.mission for hand in REPLAYS} <= built
    for mission in built:
        assert (tmp_path / replay.slug(mission) / "steps.parquet").exists()
    refused = summary[~summary["built"]]
    assert (refused["not_built"] != "").all(), "every mission not built says why"
    onusal = summary.set_index("mission").loc["ONUSAL"]  # the record gives it no Cabinet decision
    assert not onusal["built"] and "no Cabinet decision date" in onusal["not_built"]


def test_a_mission_not_in_the_record_is_an_error_listing_the_names() -> None:
    result = runner.invoke(app, ["replay", "UNPROFOR"])
    assert result.exit_code == 1
    assert "'UNPROFOR' is not in the record" in result.output
    assert "UNTAC" in result.output and "MINUSTAH" in result.output and "Traceback" not in result.output


def test_replay_needs_a_mission_or_all_but_not_both() -> None:
    assert "give a MISSION or --all" in runner.invoke(app, ["replay"]).output
    assert runner.invoke(app, ["replay", "UNTAC", "--all"]).exit_code == 1


def test_a_short_name_finds_the_record_s_mission() -> None:
    assert replay.find_mission("mfo") == "MFO (Multinational Force and Observers)"
    assert replay.find_mission("untaet") == "UNTAET"
    assert replay.slug("UNTAET (2001 Constituent Assembly election)") == "untaet_2001_constituent_assembly_election"


def test_a_contingent_the_record_does_not_describe_is_left_out_and_said_so() -> None:
    built = replay.build("UNMISS")
    assert built.scenario is not None
    assert any(line.startswith("contingent other: the record does not say") for line in built.not_built)
    labels = [c.label for d in built.scenario.deployments for c in d.contingents]
    assert labels == ["staff_officers", "sdf_engineering_unit"]
    assert all(step.contingent in ("", "sdf_engineering_unit", "staff_officers") for step in built.steps)


def test_unmiss_hq_staff_sent_under_their_own_earlier_decision_are_a_plan_of_their_own() -> None:
    # deployments.csv dates their decision 2011-11-15 (flagged), the engineers' plan 2011-12-20: two plans,
    # so the HQ staff's amendments of 2017-2024 are compared with the HQ staff's plan
    result = generated("UNMISS")
    assert [d.id for d in result.replay.scenario.deployments] == ["unmiss", "unmiss_2"]
    staff = result.table[result.table["contingent"] == "staff_officers"]
    assert list(staff["step"]).count("plan_amended") == 5
    assert staff["agreement"].isin(AGREE).all(), staff


def test_a_month_only_date_agrees_within_its_month_and_is_measured_to_it_outside() -> None:
    step = replay.Step("dispatch_started", "", pd.Timestamp("1996-02-01"), "month")
    built = replay.Replay("X", "x", None, [step], {})

    def logged(day: str) -> pd.DataFrame:
        return pd.DataFrame({"event": ["dispatch_started"], "date": [pd.Timestamp(day)], "detail": [""]})

    inside = replay.compare(built, logged("1996-02-29")).iloc[0]
    assert inside["agreement"] == "same month" and pd.isna(inside["days_off"])
    after = replay.compare(built, logged("1996-03-03")).iloc[0]
    assert after["agreement"] == "off" and after["days_off"] == 3
    before = replay.compare(built, logged("1996-01-30")).iloc[0]
    assert before["days_off"] == -2


def test_untac_s_election_observers_are_a_contingent_added_by_the_1993_plan_change() -> None:
    # the Cambodia plan was changed on 1993-04-27 to add them (Art. 6(13)); they left 05-23, home 06-01
    result = generated("UNTAC")
    added = [ev for ev in result.replay.scenario.scripted if ev.event == "contingent_added"]
    assert [(f"{ev.date}", ev.added.label, ev.added.tasks) for ev in added] == [
        ("1993-04-27", "election_observers", ["h"])
    ]
    table = result.table.set_index(["step", "contingent"])
    for step in ("contingent_added", "dispatch_started", "withdrawal_completed"):
        assert table.loc[(step, "election_observers"), "agreement"] == "exact", step
    assert "election_observers" not in [c.label for c in result.replay.scenario.deployments[0].contingents]
    assert "contingent added: election_observers (41 persons)" in set(result.events["detail"].astype(str))


def _compared_steps() -> list:
    """Every dated step of every mission the record lets the command build, one test each."""
    cases = []
    for mission in replay.missions():
        built = replay.build(mission)
        if built.scenario is None:
            continue
        for k, step in enumerate(built.steps):
            name = f"{built.slug} {step.event} {step.contingent or 'plan'} {step.date:%Y-%m-%d}"
            cases.append(pytest.param(mission, k, id=name))
    return cases


@pytest.mark.parametrize(("mission", "k"), _compared_steps())
def test_each_dated_step_is_taken_on_its_day_or_within_its_month(mission: str, k: int) -> None:
    row = generated(mission).table.iloc[k]
    if row["agreement"] == "not modelled":  # the one step the model cannot take yet, with its reason
        assert (mission, row["step"]) == ("Timor-Leste 2007 presidential, run-off and parliamentary elections",
                                          "cabinet_decision"), row.to_dict()  # fmt: skip
        assert row["note"].startswith("a second plan for the same contingents")
        return
    expected = "exact" if row["precision"] == "day" else "same month"
    assert row["agreement"] == expected, row.to_dict()


def test_unmit_s_two_cabinet_decisions_are_two_plans_each_compared_with_its_own_events() -> None:
    result = generated("UNMIT")
    assert [d.id for d in result.replay.scenario.deployments] == ["unmit", "unmit_2"]
    assert [c.label for d in result.replay.scenario.deployments for c in d.contingents] == [
        "civilian_police", "ceasefire_observers",
    ]  # fmt: skip
    decided = result.events[result.events["event"] == "cabinet_decision"]
    assert [(str(d), f"{t:%Y-%m-%d}") for d, t in zip(decided["deployment"], decided["date"], strict=True)] == [
        ("unmit", "2007-01-26"), ("unmit_2", "2010-09-10"),
    ]  # fmt: skip
    assert (result.table["agreement"] != "not modelled").all()


def test_an_amendment_whose_new_end_the_record_lacks_is_taken_on_its_day() -> None:
    # UNMIN 2009-03-06 "+6 months": scripted without until, the period runs on by the usual period
    result = generated("UNMIN")
    amended = result.events[result.events["event"] == "plan_amended"]
    on_the_day = amended[amended["date"] == pd.Timestamp("2009-03-06")]
    assert list(on_the_day["detail"].astype(str)) == ["period extended by 365 days"]
    row = result.table.set_index("real_date").loc[pd.Timestamp("2009-03-06")]
    assert row["agreement"] == "exact"


def test_a_first_period_the_record_does_not_end_is_the_record_s_usual_period_and_said_so() -> None:
    built = replay.build("UNDOF")
    assert built.scenario.deployments[0].period.value == 182
    assert "the first plan period's end is not in the record: the model's 182 days, then extended" in built.not_built


def test_each_real_date_is_marked_above_the_lane_of_its_own_plan() -> None:
    import matplotlib.pyplot as plt

    fig = replay.figure(generated("UNMIT"))
    marks = [c for c in fig.axes[0].collections if str(c.get_label()).startswith("real date")]
    heights = sorted({round(float(y), 2) for c in marks for _, y in c.get_offsets()})
    plt.close(fig)
    assert heights == [-0.42, 0.58]  # above the first plan's lane (0) and the second's (1)
