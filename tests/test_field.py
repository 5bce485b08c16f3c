"""In the field: Art. 6(13), 8(1)(vi)-(viii), mission end, policy, and the cap of Art. 19.

Shared lags (tests/conftest.py): decision 10 days after the request, dispatch 14 days after the
decision, withdrawal 30 days, results report 45 days later; plan amendments 7 days after the
Cabinet is seized (the default).  The engineering unit of ``deployment()`` (UN PKO sub-type (b),
item Art. 6(13)(ii)) is requested 2024-03-01, decided 03-11, dispatched 03-25; its 200-day
period runs to 2024-09-27.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

import sim
from tests.conftest import deployment, scenario


def timeline(result: sim.SimulationResult, dep: str, after: str = "2024-03-25") -> list[tuple[str, ...]]:
    ev = result.events[(result.events["deployment"] == dep) & (result.events["date"] >= pd.Timestamp(after))]
    return [
        (d.strftime("%Y-%m-%d"), str(e), str(s), str(b), str(x))
        for d, e, s, b, x in zip(ev["date"], ev["event"], ev["state"], ev["basis"], ev["detail"], strict=True)
    ]


def scripted(day: str, event: str, dep: str = "eng", **extra: Any) -> dict[str, Any]:
    return {"date": day, "deployment": dep, "event": event, **extra}


WINDOW_30 = {"conditions_lost": {"window": 30}}


def test_conditions_lost_and_not_restored_end_the_dispatch() -> None:
    data = scenario(deployment(), hazards=WINDOW_30,
                    scripted=[scripted("2024-05-01", "conditions_lost", ground="consent_lost")])  # fmt: skip
    result = sim.simulate(data)
    assert timeline(result, "eng", after="2024-05-01") == [
        ("2024-05-01", "conditions_lost", "deployed", "Art. 6(13)(ii)", "consent_lost"),
        ("2024-05-01", "interrupted", "interrupted", "Art. 8(1)(vi)", "Art. 6(13)(ii): all tasks"),
        # the 30-day window runs out: 05-01 + 30 = 05-31
        ("2024-05-31", "plan_amended", "interrupted", "Art. 6(13)", "dispatch ended: conditions lost"),
        ("2024-05-31", "plan_reported", "interrupted", "Art. 7(i)", "plan changed"),
        ("2024-05-31", "termination_decided", "withdrawing", "Art. 6(13)(ii)", "conditions_lost"),
        ("2024-06-30", "withdrawal_completed", "ended", "", ""),  # + 30
        ("2024-08-14", "results_reported", "ended", "Art. 7(ii)", ""),  # 06-30 + 45
    ]
    row = result.deployments.iloc[0]
    assert row["termination_cause"] == "conditions_lost"
    assert (row["interruptions"], row["days_interrupted"]) == (1, 30)


def test_conditions_restored_inside_the_window_resume_the_assignments() -> None:
    data = scenario(deployment(), hazards=WINDOW_30,
                    scripted=[scripted("2024-05-01", "conditions_lost"),
                              scripted("2024-05-20", "conditions_restored")])  # fmt: skip
    result = sim.simulate(data)
    assert timeline(result, "eng", after="2024-05-01")[:4] == [
        ("2024-05-01", "conditions_lost", "deployed", "Art. 6(13)(ii)", "consent_lost"),
        ("2024-05-01", "interrupted", "interrupted", "Art. 8(1)(vi)", "Art. 6(13)(ii): all tasks"),
        ("2024-05-20", "resumed", "deployed", "Art. 8(1)(vi)", "conditions restored"),
        ("2024-09-27", "termination_decided", "withdrawing", "Art. 6(2)(ii)(b)", "period_end"),
    ]
    assert result.deployments.iloc[0]["days_interrupted"] == 19


def relief(*contingents: dict[str, Any], dep_id: str = "relief") -> dict[str, Any]:
    return deployment(id=dep_id, operation="humanitarian_relief", subtype=None, contingents=list(contingents))


def test_unstable_consent_removes_only_the_protection_task_and_the_rest_goes_on() -> None:
    data = scenario(relief({"kind": "sdf_unit", "personnel": 200, "tasks": ["m", "s"]},
                           {"kind": "sdf_unit", "personnel": 40, "tasks": ["v"]}),
                    scripted=[scripted("2024-05-01", "consent_unstable", dep="relief")])  # fmt: skip
    result = sim.simulate(data)
    assert timeline(result, "relief", after="2024-05-01")[:5] == [
        ("2024-05-01", "consent_unstable", "deployed", "Art. 6(13)(xi)", ""),
        ("2024-05-01", "interrupted", "deployed", "Art. 8(1)(vii)", "Art. 6(13)(xi): tasks (v)"),
        ("2024-05-08", "plan_amended", "deployed", "Art. 6(13)", "tasks removed: (v)"),  # + 7
        ("2024-05-08", "plan_reported", "deployed", "Art. 7(i)", "plan changed"),
        ("2024-09-27", "termination_decided", "withdrawing", "Art. 6(2)(ii)(b)", "period_end"),
    ]
    engaged = result.engaged
    assert engaged.loc[engaged["date"] == pd.Timestamp("2024-05-08"), "persons"].tolist() == [200]
    assert result.deployments.iloc[0]["tasks_removed"] == 1


def test_a_deployment_left_without_tasks_ends() -> None:
    data = scenario(relief({"kind": "sdf_unit", "personnel": 40, "tasks": ["v"]}),
                    scripted=[scripted("2024-05-01", "consent_unstable", dep="relief")])  # fmt: skip
    result = sim.simulate(data)
    assert timeline(result, "relief", after="2024-05-08")[:3] == [
        ("2024-05-08", "plan_amended", "deployed", "Art. 6(13)", "tasks removed: (v)"),
        ("2024-05-08", "plan_reported", "deployed", "Art. 7(i)", "plan changed"),
        ("2024-05-08", "termination_decided", "withdrawing", "Art. 6(13)(xi)", "conditions_lost"),
    ]


def test_a_suspension_pauses_and_resumes_the_tasks_and_is_counted() -> None:
    data = scenario(deployment(), scripted=[scripted("2024-05-01", "suspended", days=10)])
    result = sim.simulate(data)
    assert timeline(result, "eng", after="2024-05-01")[:2] == [
        ("2024-05-01", "suspended", "suspended", "Art. 8(1)(viii)", "danger"),
        ("2024-05-11", "resumed", "deployed", "Art. 8(1)(viii)", "danger passed"),
    ]
    row = result.deployments.iloc[0]
    assert (row["suspensions"], row["days_suspended"]) == (1, 10)
    performing = result.engaged.set_index("date")["performing"]
    assert performing[pd.Timestamp("2024-05-01")] == False  # noqa: E712
    assert performing[pd.Timestamp("2024-05-11")] == True  # noqa: E712


def test_a_scripted_resumption_ends_a_scripted_suspension() -> None:
    data = scenario(deployment(), scripted=[scripted("2024-05-01", "suspended"), scripted("2024-06-01", "resumed")])
    assert timeline(sim.simulate(data), "eng", after="2024-05-01")[1][:2] == ("2024-06-01", "resumed")


def test_the_second_deployment_waits_for_the_cap_until_the_first_comes_home() -> None:
    first = deployment(id="first", contingents=[{"kind": "sdf_unit", "personnel": 1500, "tasks": ["s"]}])
    second = deployment(id="second", request="2024-04-01", period=400,
                        contingents=[{"kind": "sdf_unit", "personnel": 1000, "tasks": ["s"]}])  # fmt: skip
    result = sim.simulate(scenario(first, second))
    assert timeline(result, "second", after="2024-04-25") == [
        ("2024-04-25", "cap_wait", "decided", "Art. 19(1)", "1000 persons wait; 500 free"),
        # first: period ends 09-27, last personnel home 10-27; second goes that day
        ("2024-10-27", "dispatch_started", "deployed", "Art. 9(1)", ""),
        ("2025-05-16", "termination_decided", "withdrawing", "Art. 6(2)(ii)(b)", "period_end"),  # 04-11 + 400
        ("2025-06-15", "withdrawal_completed", "ended", "", ""),
        ("2025-07-30", "results_reported", "ended", "Art. 7(ii)", ""),
    ]
    assert result.deployments.set_index("deployment").loc["second", "days_waited_for_cap"] == 185
    assert result.engaged["total"].max() == 1500


def test_under_scale_down_the_second_deployment_goes_with_the_headroom_there_is() -> None:
    first = deployment(id="first", contingents=[{"kind": "sdf_unit", "personnel": 1500, "tasks": ["s"]}])
    second = deployment(id="second", request="2024-04-01",
                        contingents=[{"kind": "sdf_unit", "personnel": 1000, "tasks": ["s"]}])  # fmt: skip
    result = sim.simulate(scenario(first, second, cap={"policy": "scale_down"}))
    assert timeline(result, "second", after="2024-04-25")[:2] == [
        ("2024-04-25", "cap_wait", "decided", "Art. 19(1)", "scaled down from 1000 to 500 persons"),
        ("2024-04-25", "dispatch_started", "deployed", "Art. 9(1)", ""),
    ]
    assert result.deployments.set_index("deployment").loc["second", "persons_dispatched"] == 500
    assert result.engaged["total"].max() == 2000


def test_a_hand_over_overlaps_only_as_far_as_the_cap_allows() -> None:
    unit = {"kind": "sdf_unit", "personnel": 800, "tasks": ["s"], "rotation": 60, "handover": 5}
    roomy = sim.simulate(scenario(deployment(contingents=[unit])))
    assert roomy.engaged["total"].max() == 1600  # relief and relieved together for five days
    other = deployment(id="other", contingents=[{"kind": "sdf_unit", "personnel": 1000, "tasks": ["s"]}])
    tight = sim.simulate(scenario(deployment(contingents=[unit]), other))
    assert tight.engaged["total"].max() == 1800, "no overlap once it would pass 2,000"


def test_a_mission_end_date_ends_the_dispatch_and_extensions_run_until_it() -> None:
    dep = deployment(period=100, extension={"until_mission_end": True}, mission_end="2025-01-10")
    result = sim.simulate(scenario(dep))
    tl = timeline(result, "eng")
    assert [s[1] for s in tl].count("plan_amended") == 4  # 3 extensions (06-19, 09-27, 01-05) + the end
    assert tl[-5:-2] == [
        ("2025-01-10", "plan_amended", "deployed", "Art. 6(13)", "dispatch ended: mission ended"),
        ("2025-01-10", "plan_reported", "deployed", "Art. 7(i)", "plan changed"),
        ("2025-01-10", "termination_decided", "withdrawing", "Art. 6(13)", "mission_end"),
    ]


def test_a_policy_decision_ends_the_dispatch() -> None:
    result = sim.simulate(scenario(deployment(), scripted=[scripted("2024-06-01", "policy_termination")]))
    assert result.deployments.iloc[0]["termination_cause"] == "policy"
    assert timeline(result, "eng", after="2024-06-01")[2][1:] == (
        "termination_decided",
        "withdrawing",
        "Art. 6(13)",
        "policy",
    )


def test_a_scripted_event_before_dispatch_is_counted_as_skipped() -> None:
    result = sim.simulate(scenario(deployment(), scripted=[scripted("2024-03-05", "policy_termination")]))
    row = result.deployments.iloc[0]
    assert row["scripted_skipped"] == 1 and row["termination_cause"] == "period_end"


def test_hazards_strike_at_their_rates() -> None:
    hazards = {"danger": {"rate": 6.0, "duration": 3}}
    result = sim.simulate(scenario(deployment(period=3000), hazards=hazards, end="2031-01-01"), replications=20)
    per_year = result.deployments["suspensions"].sum() / (20 * 3000 / 365.25)
    assert 4.5 < per_year < 7.0  # about 6 a year, less the days spent suspended


def test_hazards_by_operation_type_apply_to_that_type_only() -> None:
    data = scenario(deployment(period=3000), relief({"kind": "sdf_unit", "personnel": 10, "tasks": ["s"]}),
                    end="2031-01-01", hazards_by_operation={"un_pko": {"danger": {"rate": 5}}})  # fmt: skip
    result = sim.simulate(data, replications=3)
    by = result.deployments.groupby("deployment", observed=True)["suspensions"].sum()
    assert by["eng"] > 0 and by["relief"] == 0


def test_a_scripted_amendment_moves_the_period_end_on_its_own_date() -> None:
    """Art. 6(13), 7(i), 7(iii): decided 06-01, the period (to 09-27) now runs to 2024-12-31."""
    data = scenario(deployment(), scripted=[scripted("2024-06-01", "period_extended", until="2024-12-31")])
    result = sim.simulate(data)
    assert timeline(result, "eng", after="2024-06-01") == [
        ("2024-06-01", "plan_amended", "deployed", "Art. 6(13)", "period extended to 2024-12-31"),
        ("2024-06-01", "status_reported", "deployed", "Art. 7(iii)", ""),
        ("2024-06-01", "plan_reported", "deployed", "Art. 7(i)", "plan changed"),
        # no extension policy: the new period runs out on 12-31
        ("2024-12-31", "termination_decided", "withdrawing", "Art. 6(2)(ii)(b)", "period_end"),
        ("2025-01-30", "withdrawal_completed", "ended", "", ""),  # + 30
        ("2025-03-16", "results_reported", "ended", "Art. 7(ii)", ""),  # + 45
    ]
    assert result.deployments.iloc[0]["extensions"] == 1


def test_the_extension_policy_still_applies_when_an_amended_period_runs_out() -> None:
    """Scripted to 2024-12-31, then one policy extension of 90 days: 12-31 + 90 = 2025-03-31."""
    dep = deployment(extension={"max_extensions": 1, "probability": 1, "length": 90})
    data = scenario(dep, scripted=[scripted("2024-06-01", "period_extended", until="2024-12-31")])
    ends = timeline(sim.simulate(data), "eng", after="2024-06-01")
    amended = [(d, x) for d, e, _, _, x in ends if e == "plan_amended"]
    assert amended == [("2024-06-01", "period extended to 2024-12-31"), ("2024-12-31", "period extended by 90 days")]
    assert ("2025-03-31", "termination_decided", "withdrawing", "Art. 6(2)(ii)(b)", "period_end") in ends


def test_an_amendment_can_shorten_the_period() -> None:
    data = scenario(deployment(), scripted=[scripted("2024-06-01", "period_extended", until="2024-07-01")])
    ends = timeline(sim.simulate(data), "eng", after="2024-06-01")
    assert ends[0][4] == "period shortened to 2024-07-01"
    assert ("2024-07-01", "termination_decided", "withdrawing", "Art. 6(2)(ii)(b)", "period_end") in ends


def test_with_a_lead_the_cabinet_decides_before_the_period_ends_and_personnel_are_home_by_then() -> None:
    """Period to 2024-09-27; a 30-day lead: the plan lapses on 08-28, the last personnel home on 09-27."""
    data = scenario(deployment(procedure={"extension_lead": 30}))
    assert timeline(sim.simulate(data), "eng", after="2024-08-01") == [
        ("2024-08-28", "termination_decided", "withdrawing", "Art. 6(2)(ii)(b)", "period_end"),
        ("2024-09-27", "withdrawal_completed", "ended", "", ""),  # + 30 = the period's last day
        ("2024-11-11", "results_reported", "ended", "Art. 7(ii)", ""),  # + 45
    ]


def test_with_a_lead_an_extension_is_decided_early_and_runs_from_the_old_end() -> None:
    """Extended on 08-28 by 90 days from 09-27 (to 12-26); the next decision 30 days before, 11-26."""
    dep = deployment(procedure={"extension_lead": 30}, extension={"max_extensions": 1, "probability": 1, "length": 90})
    ends = timeline(sim.simulate(scenario(dep)), "eng", after="2024-08-01")
    assert ends[0] == ("2024-08-28", "plan_amended", "deployed", "Art. 6(13)", "period extended by 90 days")
    assert ("2024-11-26", "termination_decided", "withdrawing", "Art. 6(2)(ii)(b)", "period_end") in ends
    assert ("2024-12-26", "withdrawal_completed", "ended", "", "") in ends
