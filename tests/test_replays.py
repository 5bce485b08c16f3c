"""The replays in configs/historical/ reproduce the real dates of the data, step by step.

Each real date in ``sim/data/plan_events.csv`` and ``deployments.csv`` for a replayed deployment is
one test: the replay must log the same step on the same day (or in the same month, where the
sources give only the month).  What the sources do not date is an assumption of the replay file,
stated in its comments, and is not tested here.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd
import pytest

import sim
from sim.model.portfolio import is_deterministic
from sim.record import load_deployments, load_plan_events
from sim.studies.replay import LOGGED_AS  # plan changes the data names by their scripted event: plan_amended

HISTORICAL = Path("configs/historical")


@dataclass(frozen=True)
class Replay:
    """Which real deployment a replay file follows, and which of its contingents it models."""

    file: str
    mission: str
    contingents: dict[str, str]
    """Contingent in the data -> the label of the contingent in the replay."""


REPLAYS = (
    Replay(
        "untac_cambodia.yaml",
        "UNTAC",
        {"sdf_engineering_unit": "engineering battalion", "ceasefire_observers": "ceasefire observers"},
    ),
    Replay("undof_golan.yaml", "UNDOF", {"transport_unit": "transport unit", "staff_officers": "HQ staff"}),
    Replay("minustah_haiti.yaml", "MINUSTAH", {"sdf_engineering_unit": "engineering unit"}),
    Replay("unmiss_south_sudan.yaml", "UNMISS", {"sdf_engineering_unit": "engineering unit"}),
    Replay("mfo_sinai.yaml", "MFO (Multinational Force and Observers)", {"staff_officers": "staff officers"}),
)
NOT_A_STEP_OF_THE_ACT = {"end_announced"}  # a decision to prepare the end; the plan change that followed is the step


@cache
def replayed(file: str) -> sim.SimulationResult:
    return sim.simulate(HISTORICAL / file, replications=1)


def same_day(simulated: pd.Timestamp, real: pd.Timestamp, precision: str) -> bool:
    if precision == "month":
        return (simulated.year, simulated.month) == (real.year, real.month)
    return simulated == real


def real_steps() -> list:
    steps = load_plan_events()
    cases = []
    for replay in REPLAYS:
        mine = steps[(steps["mission"] == replay.mission) & steps["contingent"].isin(["", *replay.contingents])]
        for _, step in mine[~mine["event"].isin(NOT_A_STEP_OF_THE_ACT)].iterrows():
            name = f"{replay.mission.split()[0]} {step['event']} {step['date']:%Y-%m-%d}"
            cases.append(pytest.param(replay, step, id=name))
    return cases


@pytest.mark.parametrize(("replay", "step"), real_steps())
def test_the_replay_takes_each_real_step_on_its_real_date(replay: Replay, step: pd.Series) -> None:
    events = replayed(replay.file).events
    logged = events[events["event"] == LOGGED_AS.get(step["event"], step["event"])]
    on_the_day = logged[[same_day(d, step["date"], step["date_precision"]) for d in logged["date"]]]
    assert len(on_the_day), f"{step['event']} on {step['date']:%Y-%m-%d}; logged on {list(logged['date'])}"
    if step["event"] == "plan_amended" and not pd.isna(step["period_until"]):
        assert f"period extended to {step['period_until']:%Y-%m-%d}" in set(on_the_day["detail"])


@pytest.mark.parametrize("replay", REPLAYS, ids=[r.file for r in REPLAYS])
def test_the_first_plan_period_runs_to_its_real_end(replay: Replay) -> None:
    steps = load_plan_events()
    decision = steps[(steps["mission"] == replay.mission) & (steps["event"] == "cabinet_decision")]
    events = replayed(replay.file).events
    logged = events[events["event"] == "cabinet_decision"].iloc[0]
    days = int(str(logged["detail"]).split()[1])  # "period 418 days"
    until = decision["period_until"].dropna()
    if until.empty:
        pytest.skip(f"the data gives no end for {replay.mission}'s first period")
    assert logged["date"] + pd.Timedelta(days=days) == until.iloc[0]


def contingent_rows() -> list:
    table = load_deployments()
    return [
        pytest.param(replay, data_kind, label, id=f"{replay.mission.split()[0]} {data_kind}")
        for replay in REPLAYS
        for data_kind, label in replay.contingents.items()
        if len(table[(table["mission"] == replay.mission) & (table["contingent"] == data_kind)]) == 1
    ]


@pytest.mark.parametrize(("replay", "data_kind", "label"), contingent_rows())
def test_decision_dispatch_and_end_match_the_deployments_table(replay: Replay, data_kind: str, label: str) -> None:
    table = load_deployments()
    real = table[(table["mission"] == replay.mission) & (table["contingent"] == data_kind)].iloc[0]
    row = replayed(replay.file).deployments.iloc[0]
    if real["cabinet_decision_date_precision"]:
        assert same_day(row["decision_date"], real["cabinet_decision_date"], real["cabinet_decision_date_precision"])
    if real["start_precision"] and data_kind != "ceasefire_observers":  # they left two days after the battalion
        assert same_day(row["dispatch_date"], real["start"], real["start_precision"])
    if real["ongoing"]:
        assert row["censored"] and row["outcome"] == "deployed"
    elif real["end_precision"] and data_kind != "ceasefire_observers":
        assert same_day(row["withdrawal_date"], real["end"], real["end_precision"])


@pytest.mark.parametrize(("replay", "data_kind", "label"), contingent_rows())
def test_each_contingent_is_relieved_as_often_as_the_record_says(replay: Replay, data_kind: str, label: str) -> None:
    table = load_deployments()
    real = table[(table["mission"] == replay.mission) & (table["contingent"] == data_kind)].iloc[0]
    if pd.isna(real["rotations"]):
        pytest.skip(f"the data gives no number of contingents for {replay.mission} {data_kind}")
    events = replayed(replay.file).events
    reliefs = int(((events["event"] == "rotation") & (events["detail"] == label)).sum())
    assert reliefs + 1 == real["rotations"]


@pytest.mark.parametrize("replay", REPLAYS, ids=[r.file for r in REPLAYS])
def test_a_replay_is_deterministic_and_runs_on_the_real_diet_calendar(replay: Replay) -> None:
    scenario = sim.load_scenario(HISTORICAL / replay.file)
    assert is_deterministic(scenario)
    assert scenario.diet.calendar.source == "historical"
    assert not scenario.hazards.danger.rate and not scenario.hazards.conditions_lost.rate
