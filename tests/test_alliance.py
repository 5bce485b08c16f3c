"""The alliance: the Treaty's life (Art. VIII-X), a contingency (Art. IV, V and the guidelines), and
where the two laws meet, the recall of SDF units abroad: a plan change ending the dispatch
(Art. 6(13)) because assignments may not hinder the SDF's main missions (Art. 6(6)).

Dates by hand.  In ``configs/alliance_contingency.yaml`` the engineering unit is requested
2030-01-01, decided 01-11 (+10) and dispatched 01-25 (+14).  Tension arises 06-01; consultation two
days later (06-03) with the first readiness stage, which triggers the recall; coordination +1
(06-04); stages of 7 and 7 days (06-10, 06-17); the scripted attack 06-25, reported the same day;
reinforcements +30 (07-25); the Security Council acts 08-01 and the measures end that day; stand-down
+14 (08-15).  The recalled unit is home 30 days after the recall (07-03), its results reported 45
days later (08-17).
"""

from __future__ import annotations

from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import sim
from sim import analysis, figures
from sim.cli import app
from sim.eventlog import CONTINGENCY_LANE, TREATY_LANE
from sim.law import treaty
from sim.model.portfolio import is_deterministic
from sim.scenario import ConfigError
from tests.conftest import deployment, scenario


def lane(result: sim.SimulationResult, name: str, replication: int = 0) -> list[tuple[str, str, str, str]]:
    ev = result.events[(result.events["deployment"] == name) & (result.events["replication"] == replication)]
    columns = zip(ev["date"], ev["event"], ev["state"], ev["basis"], strict=True)
    return [(f"{d:%Y-%m-%d}", str(e), str(s), str(b)) for d, e, s, b in columns]


READINESS = 'Guidelines "the two governments will agree to choose a common guard stage"'
COORDINATION = (
    'Guidelines "Under such a bilateral coordination mechanism"; Guidelines "prepare a bilateral coordination centre"'
)
DEFENCE = (
    'Guidelines "Japan will have primary responsibility for taking immediate action"; '
    'Guidelines "The United States will provide adequate support to Japan"'
)
REINFORCEMENTS = 'Guidelines "The United States will put in place reinforcements in due course"'


@pytest.fixture(scope="module")
def contingency() -> sim.SimulationResult:
    return sim.simulate("configs/alliance_contingency.yaml")


def test_a_contingency_walks_the_treaty_and_the_guidelines_in_order(contingency: sim.SimulationResult) -> None:
    assert lane(contingency, CONTINGENCY_LANE) == [
        ("2030-06-01", "tension_arose", "tension", ""),
        ("2030-06-01", "consultation_requested", "tension", "Treaty Art. IV"),
        ("2030-06-03", "consultation_held", "consulting", "Treaty Art. IV"),  # +2
        ("2030-06-03", "readiness_stage_chosen", "readiness", READINESS),
        ("2030-06-04", "coordination_activated", "readiness", COORDINATION),  # +1
        ("2030-06-10", "readiness_stage_chosen", "readiness", READINESS),  # +7
        ("2030-06-17", "readiness_stage_chosen", "readiness", READINESS),  # +7
        ("2030-06-25", "armed_attack", "defence", "Treaty Art. V"),  # scripted
        ("2030-06-25", "defence_operations_started", "defence", DEFENCE),
        ("2030-06-25", "security_council_reported", "defence", "Treaty Art. V"),  # "immediately"
        ("2030-07-25", "reinforcements_arrived", "defence", REINFORCEMENTS),  # +30
        ("2030-08-01", "security_council_acted", "defence", ""),  # scripted
        ("2030-08-01", "measures_terminated", "standing_down", "Treaty Art. V"),
        ("2030-08-15", "stood_down", "stood_down", ""),  # +14
    ]


def test_the_first_readiness_stage_recalls_the_sdf_unit_under_article_6_6(contingency: sim.SimulationResult) -> None:
    ev = contingency.events
    unit = ev[(ev["deployment"] == "pko_engineers") & (ev["date"] >= pd.Timestamp("2030-06-03"))]
    columns = zip(unit["date"], unit["event"], unit["basis"], unit["detail"], strict=True)
    # the Act ends the dispatch (Art. 6(13) read with 6(6)); the Treaty article that prompted it is
    # named in the plan change's detail, the termination's detail stays its cause
    recalled_detail = "dispatch ended: 350 SDF unit personnel recalled for a contingency (Treaty Art. IV)"
    assert [(f"{d:%Y-%m-%d}", str(e), str(b), str(x)) for d, e, b, x in columns] == [
        ("2030-06-03", "plan_amended", "Art. 6(13)", recalled_detail),
        ("2030-06-03", "plan_reported", "Art. 7(i)", "plan changed"),
        ("2030-06-03", "termination_decided", "Art. 6(13); Art. 6(6)", "policy"),
        ("2030-07-03", "withdrawal_completed", "", ""),  # +30
        ("2030-08-17", "results_reported", "Art. 7(ii)", ""),  # +45
    ]
    row = contingency.deployments.set_index("deployment").loc["pko_engineers"]
    assert row["termination_cause"] == "recall"


def test_an_article_27_officer_is_not_an_sdf_unit_and_stays(contingency: sim.SimulationResult) -> None:
    row = contingency.deployments.set_index("deployment").loc["un_hq_officer"]
    assert row["outcome"] == "deployed" and row["censored"]  # still serving at the horizon


def test_recalls_are_their_own_cause_in_the_analysis_tables(contingency: sim.SimulationResult) -> None:
    causes = analysis.termination_causes(contingency.deployments)
    assert causes.loc["pko_engineers", "recall"] == 1.0


def test_the_timeline_shows_the_contingency_in_its_own_lane(contingency: sim.SimulationResult) -> None:
    fig = figures.timeline(contingency.events)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels == ["pko_engineers", "un_hq_officer", CONTINGENCY_LANE]


# -- the recall trigger and policy -----------------------------------------------------------------


def with_alliance(alliance: dict[str, Any], *deps: dict[str, Any], **top: Any) -> dict[str, Any]:
    big = deployment(id="big", request="2030-01-01", period=500,
                     contingents=[{"kind": "sdf_unit", "personnel": 300, "tasks": ["s"]}])  # fmt: skip
    small = deployment(id="small", request="2030-01-01", period=500,
                       contingents=[{"kind": "sdf_unit", "personnel": 40, "tasks": ["s"]},
                                    {"kind": "officials", "personnel": 200, "tasks": ["i"]}])  # fmt: skip
    top = {"start": "2030-01-01", "end": "2032-01-01", **top}
    return scenario(*(deps or (big, small)), alliance=alliance, **top)


ATTACK = {"tension": "2030-06-01", "armed_attack": "2030-06-25", "security_council": "2030-08-01"}
RECALL = "Art. 6(13); Art. 6(6)"


def recalled(data: dict[str, Any]) -> dict[str, str]:
    result = sim.simulate(data)
    rows, ev = result.deployments, result.events
    ends = ev[(ev["event"] == "termination_decided") & (ev["basis"] == RECALL)]
    assert set(ends["deployment"].astype(str)) == set(
        rows[rows["termination_cause"] == "recall"]["deployment"].astype(str)
    )
    return {str(d): f"{t:%Y-%m-%d}" for d, t in zip(ends["deployment"], ends["date"], strict=True)}


def test_policy_all_recalls_every_sdf_unit_and_none_recalls_nothing() -> None:
    everyone = {"scripted": [ATTACK], "recall": {"policy": "all"}}
    assert recalled(with_alliance(everyone)) == {"big": "2030-06-03", "small": "2030-06-03"}
    nobody = {"scripted": [ATTACK], "recall": {"policy": "none"}}
    assert recalled(with_alliance(nobody)) == {}


def test_above_size_counts_only_the_sdf_units_persons() -> None:
    # "small" has 240 persons, but only 40 in its SDF unit
    policy = {"scripted": [ATTACK], "recall": {"policy": "above_size", "min_personnel": 100}}
    assert recalled(with_alliance(policy)) == {"big": "2030-06-03"}


def test_the_trigger_chooses_the_stage_and_the_treaty_article() -> None:
    on_attack = {"scripted": [ATTACK], "recall": {"policy": "all", "trigger": "armed_attack"}}
    ev = sim.simulate(with_alliance(on_attack)).events
    end = ev[(ev["deployment"] == "big") & (ev["event"] == "termination_decided")].iloc[0]
    assert (f"{end['date']:%Y-%m-%d}", end["basis"]) == ("2030-06-25", RECALL)
    amended = ev[(ev["deployment"] == "big") & (ev["event"] == "plan_amended")].iloc[-1]
    assert str(amended["detail"]).endswith("recalled for a contingency (Treaty Art. V)")  # attacked: Art. V
    no_attack = {"scripted": [{**ATTACK, "armed_attack": False, "security_council": None}],
                 "recall": {"policy": "all", "trigger": "armed_attack"}}  # fmt: skip
    assert recalled(with_alliance(no_attack)) == {}


def test_a_unit_not_yet_dispatched_is_not_recalled() -> None:
    late = deployment(id="late", request="2030-05-25", period=500)  # dispatched 06-18, after the recall
    policy = {"scripted": [ATTACK], "recall": {"policy": "all"}}
    assert recalled(with_alliance(policy, late)) == {}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    policy=st.sampled_from(["all", "above_size", "none"]),
    trigger=st.sampled_from(["consultation", "readiness", "armed_attack"]),
)
def test_a_recall_happens_only_while_a_contingency_is_active_and_only_under_the_policy(
    seed: int, policy: str, trigger: str
) -> None:
    hazards = {"rate": 1.5, "attack_probability": 0.5, "consultation": {"dist": "uniform", "low": 0, "high": 5}}
    hazards["easing"] = {"dist": "uniform", "low": 5, "high": 60}
    alliance = {"contingencies": hazards, "recall": {"policy": policy, "min_personnel": 100, "trigger": trigger}}
    result = sim.simulate(with_alliance(alliance, seed=seed, replications=3))
    ev = result.events
    for _, log in ev.groupby("replication"):
        crisis = log[log["deployment"] == CONTINGENCY_LANE]
        triggers = {
            "consultation": "consultation_held",
            "readiness": "readiness_stage_chosen",
            "armed_attack": "armed_attack",
        }
        trigger_days = set(crisis[crisis["event"] == triggers[trigger]]["t"])
        recalls = log[(log["event"] == "termination_decided") & (log["basis"] == RECALL)]
        for _, r in recalls.iterrows():
            assert policy != "none"
            assert policy == "all" or r["deployment"] == "big"
            assert r["t"] in trigger_days
            began = crisis[(crisis["event"] == "tension_arose") & (crisis["t"] <= r["t"])]["t"].max()
            over = crisis[(crisis["event"] == "stood_down") & (crisis["t"] >= began)]["t"].min()
            assert began <= r["t"] and (pd.isna(over) or r["t"] <= over)


# -- Art. V: the Security Council ---------------------------------------------------------------


def attacks(report: dict[str, Any], seed: int = 5) -> pd.DataFrame:
    alliance = {"contingencies": {"rate": 2.0, "attack_probability": 1.0, "report": report,
                                  "security_council": {"dist": "exponential", "mean": 40},
                                  "measures_end": {"dist": "uniform", "low": 0, "high": 10}}}  # fmt: skip
    ev = sim.simulate(with_alliance(alliance, seed=seed, replications=30)).events
    return ev[ev["deployment"] == CONTINGENCY_LANE]


def steps_per_contingency(crisis: pd.DataFrame) -> pd.DataFrame:
    crisis = crisis.assign(n=(crisis["event"] == "tension_arose").groupby(crisis["replication"]).cumsum())
    return crisis.pivot_table(index=["replication", "n"], columns="event", values="t", aggfunc="first", observed=True)


def test_the_security_council_report_is_never_later_than_its_lag_after_the_measures_start() -> None:
    steps = steps_per_contingency(attacks({"dist": "uniform", "low": 0, "high": 3}))
    reported = steps.dropna(subset=["armed_attack", "security_council_reported"])
    assert len(reported) > 20
    lag = reported["security_council_reported"] - reported["armed_attack"]
    assert lag.between(0, 3).all()
    immediately = steps_per_contingency(attacks(0)).dropna(subset=["armed_attack"])
    assert (immediately["security_council_reported"] == immediately["armed_attack"]).all()


def test_the_measures_never_end_before_the_security_council_acts() -> None:
    steps = steps_per_contingency(attacks(0)).dropna(subset=["measures_terminated"])
    assert len(steps) > 20
    assert (steps["measures_terminated"] >= steps["security_council_acted"]).all()
    assert (steps["security_council_acted"] >= steps["armed_attack"]).all()


# -- the Treaty's life ------------------------------------------------------------------------------


def test_the_treaty_enters_into_force_on_the_exchange_of_ratifications_and_ends_a_year_after_notice() -> None:
    # a deployment in 1960 under today's Act (which took effect in 1992): a counterfactual, as_of today
    data = scenario(deployment(request="1960-02-01"), start="1960-01-01", end="1972-01-01",
                    alliance={"treaty": {"notice": "1970-06-23", "notice_by": "united_states"}},
                    law={"as_of": "2026-01-01"})  # fmt: skip
    result = sim.simulate(data)
    assert lane(result, TREATY_LANE) == [
        ("1960-06-23", "treaty_in_force", "in_force", "Treaty Art. VIII"),
        ("1960-06-23", "treaty_1951_expired", "in_force", "Treaty Art. IX"),
        ("1970-06-23", "treaty_notice_given", "notice_given", "Treaty Art. X"),  # ten years in force
        ("1971-06-23", "treaty_terminated", "terminated", "Treaty Art. X"),  # one year after notice
        ("1971-06-23", "facilities_ended", "terminated", "Treaty Art. VI"),
    ]


@settings(max_examples=40, deadline=None)
@given(notice=st.dates(min_value=pd.Timestamp("2030-01-01").date(), max_value=pd.Timestamp("2032-03-31").date()))
@example(notice=pd.Timestamp("2032-02-29").date())
def test_the_treaty_terminates_exactly_one_year_after_notice(notice: Any) -> None:
    data = with_alliance({"treaty": {"notice": notice.isoformat()}}, end="2033-06-01")
    ev = sim.simulate(data).events
    treaty_lane = ev[ev["deployment"] == TREATY_LANE].set_index("event")["date"]
    ends = treaty_lane["treaty_terminated"]
    expected = (
        notice.replace(year=notice.year + 1)
        if (notice.month, notice.day) != (2, 29)
        else notice.replace(year=notice.year + 1, day=28)  # no 29 February: the month's last day (sim.law.periods)
    )
    assert ends.date() == expected == treaty.termination_date(notice)


def test_notice_drawn_as_a_hazard_never_comes_before_ten_years_in_force() -> None:
    data = with_alliance({"treaty": {"in_force": "2025-01-01", "notice_rate": 5.0}}, end="2040-01-01", replications=30)
    ev = sim.simulate(data).events
    notices = ev[ev["event"] == "treaty_notice_given"]["date"]
    assert len(notices) == 30
    assert (notices >= pd.Timestamp("2035-01-01")).all()


def test_no_contingency_arises_under_the_treaty_after_it_has_ended() -> None:
    alliance = {"treaty": {"notice": "2030-02-01"}, "contingencies": {"rate": 3.0}}
    data = with_alliance(alliance, end="2033-01-01", replications=10)
    ev = sim.simulate(data).events
    tensions = ev[ev["event"] == "tension_arose"]["date"]
    assert (tensions < pd.Timestamp("2031-02-01")).all()


# Treaty Art. X: notice on 2030-02-01, so "the Treaty shall terminate one year after such notice has
# been given", on 2031-02-01.  A contingency under way then stops: nothing more is done under the
# Treaty (no Art. IV consultation, no Art. V report or measures), nor under the guidelines' bilateral
# cooperation, and no recall follows; the lane stands down that day.
ENDING = {"treaty": {"notice": "2030-02-01"}}


def test_a_contingency_under_way_when_the_treaty_ends_stands_down_that_day() -> None:
    # tension 01-20; consultation +2 (01-22) with the first stage (recall) and coordination +1 (01-23);
    # the second stage +7 (01-29); the scripted attack 01-30, reported at once; the Treaty ends 02-01,
    # before the third stage (02-05), reinforcements (03-01) and the Council's measures (03-01).
    crisis = {"tension": "2031-01-20", "armed_attack": "2031-01-30", "security_council": "2031-03-01"}
    result = sim.simulate(with_alliance({**ENDING, "scripted": [crisis]}))
    assert lane(result, CONTINGENCY_LANE) == [
        ("2031-01-20", "tension_arose", "tension", ""),
        ("2031-01-20", "consultation_requested", "tension", "Treaty Art. IV"),
        ("2031-01-22", "consultation_held", "consulting", "Treaty Art. IV"),
        ("2031-01-22", "readiness_stage_chosen", "readiness", READINESS),
        ("2031-01-23", "coordination_activated", "readiness", COORDINATION),
        ("2031-01-29", "readiness_stage_chosen", "readiness", READINESS),
        ("2031-01-30", "armed_attack", "defence", "Treaty Art. V"),
        ("2031-01-30", "defence_operations_started", "defence", DEFENCE),
        ("2031-01-30", "security_council_reported", "defence", "Treaty Art. V"),
        ("2031-02-01", "stood_down", "stood_down", ""),  # the Treaty ends
    ]
    assert lane(result, TREATY_LANE)[-2:] == [
        ("2031-02-01", "treaty_terminated", "terminated", "Treaty Art. X"),
        ("2031-02-01", "facilities_ended", "terminated", "Treaty Art. VI"),
    ]
    ev = result.events
    [detail] = ev.loc[ev["event"] == "stood_down", "detail"].astype(str)
    assert detail == "the Treaty ended; no further steps under it"
    table = analysis.contingencies(ev)
    assert not table.iloc[0]["ongoing"] and table.iloc[0]["recalls"] == 2  # both recalled on 01-22


def test_no_recall_follows_once_the_treaty_has_ended() -> None:
    # the attack that would trigger the recall is scripted for 02-10, after the Treaty ends (02-01)
    crisis = {"tension": "2031-01-25", "armed_attack": "2031-02-10"}
    alliance = {**ENDING, "scripted": [crisis], "recall": {"policy": "all", "trigger": "armed_attack"}}
    assert recalled(with_alliance(alliance)) == {}
    ev = sim.simulate(with_alliance(alliance)).events
    assert "armed_attack" not in set(ev["event"].astype(str))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    seed=st.integers(0, 10_000),
    notice=st.dates(min_value=pd.Timestamp("2030-01-01").date(), max_value=pd.Timestamp("2031-06-30").date()),
    trigger=st.sampled_from(["consultation", "readiness", "armed_attack"]),
)
def test_nothing_rests_on_the_treaty_after_it_has_ended(seed: int, notice: Any, trigger: str) -> None:
    contingencies = {"rate": 4.0, "attack_probability": 0.7, "easing": {"dist": "uniform", "low": 5, "high": 90},
                     "security_council": {"dist": "exponential", "mean": 60}}  # fmt: skip
    alliance = {"treaty": {"notice": notice.isoformat()}, "contingencies": contingencies,
                "recall": {"policy": "all", "trigger": trigger}}  # fmt: skip
    ev = sim.simulate(with_alliance(alliance, seed=seed, replications=3, end="2033-01-01")).events
    for _, log in ev.groupby("replication"):
        log = log.reset_index(drop=True)
        [ended] = log.index[log["event"] == "treaty_terminated"]
        # in the order things happened, not only on later days; the grant of facilities (Art. VI)
        # ends with the Treaty, in the same step
        after = log.iloc[ended + 1 :]
        after = after[after["event"] != "facilities_ended"]
        assert not after["basis"].astype(str).str.contains("Treaty").any()
        assert not (after["basis"] == RECALL).any()
        assert (log.loc[log["date"] > log.loc[ended, "date"], "deployment"] != CONTINGENCY_LANE).all()
        crisis = after[after["deployment"] == CONTINGENCY_LANE]
        assert set(crisis["event"].astype(str)) <= {"stood_down"}


def test_without_an_alliance_section_the_log_has_no_alliance_lanes() -> None:
    ev = sim.simulate(scenario(deployment())).events
    assert list(ev["deployment"].cat.categories) == ["eng"]


# -- configuration errors ---------------------------------------------------------------------------


def one_problem(data: dict[str, Any]) -> str:
    with pytest.raises(ConfigError) as caught:
        sim.load_scenario(data)
    assert len(caught.value.issues) == 1, caught.value.issues
    issue = caught.value.issues[0]
    return f"{issue.path}: {issue.reason}"


def test_notice_before_ten_years_in_force_is_a_clear_configuration_error() -> None:
    data = with_alliance({"treaty": {"in_force": "2025-01-01", "notice": "2030-06-01"}})
    assert one_problem(data) == (
        "alliance.treaty.notice: notice on 2030-06-01 comes before the Treaty has been in force ten years "
        "(in force 2025-01-01; notice is open from 2035-01-01, Treaty Art. X)"
    )


@pytest.mark.parametrize(
    ("scripted", "expected"),
    [
        ({"tension": "2030-06-01", "armed_attack": "2030-05-01"},
         "alliance.scripted[0].armed_attack: the armed attack (2030-05-01) comes before the tension that leads to it"),
        ({"tension": "2030-06-01", "armed_attack": "2030-06-10", "security_council": "2030-06-05"},
         "alliance.scripted[0].security_council: the Security Council (2030-06-05) cannot act before the armed attack"),
        ({"tension": "2030-06-01", "armed_attack": False, "security_council": "2030-06-05"},
         "alliance.scripted[0].security_council: the Security Council acts on an armed attack (Treaty Art. V)"),
        ({"tension": "2029-06-01"}, "alliance.scripted[0].tension: 2029-06-01 is outside the scenario"),
    ],
)  # fmt: skip
def test_scripted_contingency_dates_out_of_order_are_named(scripted: dict[str, Any], expected: str) -> None:
    assert one_problem(with_alliance({"scripted": [scripted]})).startswith(expected)


def test_a_contingency_after_the_treaty_has_ended_is_refused() -> None:
    data = with_alliance({"treaty": {"notice": "2030-02-01"}, "scripted": [{"tension": "2031-03-01"}]})
    assert one_problem(data).startswith(
        "alliance.scripted[0].tension: 2031-03-01 is after the Treaty ended (2031-02-01, one year after notice"
    )


def test_above_size_needs_a_size() -> None:
    data = with_alliance({"recall": {"policy": "above_size"}})
    assert one_problem(data).startswith("alliance.recall.min_personnel: above_size recalls units of at least")


def test_an_unknown_alliance_field_is_named() -> None:
    data = with_alliance({"contingencies": {"rates": 1}})
    assert one_problem(data).startswith("alliance.contingencies.rates: unknown field; did you mean 'rate'?")


def test_a_run_is_deterministic_only_if_the_alliance_leaves_nothing_to_chance() -> None:
    assert is_deterministic(sim.load_scenario("configs/alliance_contingency.yaml"))
    assert not is_deterministic(sim.load_scenario(with_alliance({"contingencies": {"rate": 0.1}})))
    drawn_attack = {"scripted": [{"tension": "2030-06-01"}], "contingencies": {"attack_probability": 0.5}}
    assert not is_deterministic(sim.load_scenario(with_alliance(drawn_attack)))


def test_validate_summarises_the_alliance() -> None:
    result = CliRunner().invoke(app, ["validate", "configs/treaty_notice.yaml"])
    assert result.exit_code == 0
    assert "notice 2031-03-01 by japan, ends 2032-03-01" in " ".join(result.output.split())


def test_the_contingencies_table_has_one_row_per_contingency_with_its_dates_and_recalls(
    contingency: sim.SimulationResult,
) -> None:
    table = analysis.contingencies(contingency.events)
    assert len(table) == 1
    row = table.iloc[0]
    dates = {step: f"{row[step]:%Y-%m-%d}" for step in ("tension", "first_readiness", "armed_attack", "stood_down")}
    assert dates == {
        "tension": "2030-06-01",
        "first_readiness": "2030-06-03",
        "armed_attack": "2030-06-25",
        "stood_down": "2030-08-15",
    }
    assert row["attacked"] and not row["ongoing"] and row["recalls"] == 1
    assert pd.isna(row["tension_eased"])


def test_without_contingencies_the_table_is_empty() -> None:
    table = analysis.contingencies(sim.simulate(scenario(deployment())).events)
    assert table.empty and "recalls" in table.columns


def test_every_contingency_and_every_recall_is_in_the_table() -> None:
    alliance = {"contingencies": {"rate": 2.0, "attack_probability": 0.5}, "recall": {"policy": "all"}}
    result = sim.simulate(with_alliance(alliance, seed=11, replications=8, end="2033-01-01"))
    table = analysis.contingencies(result.events)
    assert len(table) == (result.events["event"] == "tension_arose").sum() > 8
    assert table["recalls"].sum() == (result.deployments["termination_cause"] == "recall").sum() > 0
    assert (table["attacked"] == table["armed_attack"].notna()).all()


# -- a contingency holds new dispatches (Art. 6(6)) -----------------------------------------------

LATE = deployment(id="late", request="2030-05-25", period=500)  # decided 06-04, dispatch planned 06-18


def late_unit(new_dispatches: str) -> list[tuple[str, str, str, str]]:
    policy = {"scripted": [ATTACK], "recall": {"policy": "all", "new_dispatches": new_dispatches}}
    ev = sim.simulate(with_alliance(policy, LATE)).events
    ev = ev[(ev["deployment"] == "late") & ev["event"].isin(["dispatch_held", "dispatch_started",
                                                             "termination_decided"])]  # fmt: skip
    return [(f"{d:%Y-%m-%d}", str(e), str(b), str(x)) for d, e, b, x in
            zip(ev["date"], ev["event"], ev["basis"], ev["detail"], strict=True)]  # fmt: skip


def test_a_dispatch_the_recall_would_call_home_is_held_until_the_contingency_stands_down() -> None:
    # the recall stands from the first readiness stage (06-03) until stand-down (08-15)
    assert late_unit("hold")[:2] == [
        ("2030-06-18", "dispatch_held", "Art. 6(6)", "100 SDF unit personnel held for a contingency"),
        ("2030-08-15", "dispatch_started", "Art. 9(1)", ""),
    ]


def test_a_dispatch_the_recall_would_call_home_can_be_abandoned_or_go_ahead() -> None:
    assert late_unit("abandon") == [("2030-06-18", "termination_decided", "Art. 6(6)", "policy")]
    assert late_unit("none")[0] == ("2030-06-18", "dispatch_started", "Art. 9(1)", "")


def test_a_dispatch_the_policy_would_not_recall_is_not_held() -> None:
    policy = {"scripted": [ATTACK], "recall": {"policy": "above_size", "min_personnel": 101}}
    ev = sim.simulate(with_alliance(policy, LATE)).events
    started = ev[(ev["deployment"] == "late") & (ev["event"] == "dispatch_started")]
    assert f"{started['date'].iloc[0]:%Y-%m-%d}" == "2030-06-18"  # 100 persons: under the threshold
    assert "dispatch_held" not in set(ev["event"].astype(str))
