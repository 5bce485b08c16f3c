"""Real SDF-unit deployments run through the Diet procedure as if they had needed approval."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sim.run.replications import simulate
from sim.studies.counterfactual import counterfactuals, real_cases, scenario_for, write


def case(label: str) -> pd.Series:
    cases = real_cases()
    return cases[cases["label"] == label].iloc[0]


def test_a_decision_between_sessions_takes_the_after_the_fact_path_at_the_next_session() -> None:
    # UNMISS engineers: Cabinet decision 2011-12-20; the 179th session closed 2011-12-09 and the
    # 180th (ordinary) convened 2012-01-24 (sim/data/diet_sessions.csv)
    result = simulate(scenario_for(case("UNMISS: sdf_engineering_unit"), replications=3, seed=1))
    assert set(result.deployments["approval_path"]) == {"post"}
    ev = result.events
    sought = ev[(ev["event"] == "approval_sought") & (ev["detail"] == "post")]
    assert set(sought.groupby("replication")["date"].min()) == {pd.Timestamp("2012-01-24")}
    dispatched = ev.loc[ev["event"] == "dispatch_started", "date"]
    assert (dispatched < pd.Timestamp("2012-01-24")).all(), "the units went first"


def test_a_decision_in_session_takes_the_prior_path() -> None:
    # MINUSTAH: decided 2010-02-05, inside the 174th ordinary session (2010-01-18 to 2010-06-16)
    result = simulate(scenario_for(case("MINUSTAH: sdf_engineering_unit"), replications=3, seed=1))
    assert set(result.deployments["approval_path"]) == {"prior"}


def test_the_table_covers_every_real_sdf_unit_and_says_where_the_act_applies(tmp_path: Path) -> None:
    table = counterfactuals(replications=2)
    assert len(table) == len(real_cases()) >= 10
    assert not table.loc[table["operation_type"] == "humanitarian_relief", "approval_under_the_act"].any()
    assert table["share_after_the_fact"].between(0, 1).all()
    csv, png = write(table, tmp_path)
    assert pd.read_csv(csv).shape[0] == len(table) and png.read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize("label", ["UNTAC: sdf_engineering_unit"])
def test_untac_was_decided_between_sessions(label: str) -> None:
    # 1992-09-08: the 124th session had closed on 1992-08-11; the 125th convened 1992-10-30
    row = counterfactuals(replications=2).set_index("deployment").loc[label]
    assert row["share_after_the_fact"] == 1.0 and str(row["first_sought"]) == "1992-10-30"
