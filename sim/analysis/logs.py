"""The event log read as processes: a process-mining export, and one row per contingency.

Reads the ``.events`` table only, so it works the same on Parquet read back from a results folder.
"""

from __future__ import annotations

import pandas as pd

from sim import law
from sim.eventlog import CONTINGENCY_LANE


def process_mining_log(
    events: pd.DataFrame, timezone: str = "Asia/Tokyo", points: pd.DataFrame | None = None
) -> pd.DataFrame:
    """The event log in the columns process-mining tools read (pm4py, ProM, Disco).

    ``case:concept:name`` is one deployment in one replication, ``concept:name`` the event,
    ``time:timestamp`` a timezone-aware date; state, basis and detail ride along.  A sweep's log
    (with a ``point`` column) has one case per design point too, ``point:replication:deployment``,
    since replication ``k`` of every point is a different run: without the point, the cases of a
    70-point sweep would merge 70 runs each.  ``points`` (a sweep's ``points.parquet``: ``point``
    and one column per factor) adds each case's factor values as ``case:<factor path>``.
    """
    case = events["replication"].astype(str) + ":" + events["deployment"].astype(str)
    sweep = "point" in events.columns
    if sweep:
        case = events["point"].astype(str) + ":" + case
    log = pd.DataFrame(
        {
            "case:concept:name": case,
            "concept:name": events["event"].astype(str),
            "time:timestamp": pd.to_datetime(events["date"]).dt.tz_localize(timezone),
            "state": events["state"].astype(str),
            "basis": events["basis"].astype(str),
            "detail": events["detail"].astype(str),
        }
    )
    if not sweep:
        return log
    log["case:point"] = events["point"].to_numpy()
    if points is None:
        return log
    factors = points.set_index("point")
    unknown = sorted(set(events["point"]) - set(factors.index))
    if unknown:
        raise ValueError(f"the points table has no row for design point(s) {', '.join(map(str, unknown))}")
    for column in factors.columns:
        log[f"case:{column}"] = events["point"].map(factors[column]).to_numpy()
    return log


CONTINGENCY_STEPS = {
    "tension_arose": "tension",
    "consultation_held": "consultation",
    "readiness_stage_chosen": "first_readiness",
    "coordination_activated": "coordination",
    "armed_attack": "armed_attack",
    "security_council_reported": "council_reported",
    "reinforcements_arrived": "reinforcements",
    "security_council_acted": "council_acted",
    "measures_terminated": "measures_terminated",
    "tension_eased": "tension_eased",
    "stood_down": "stood_down",
}
"""The contingency lane's events and the column each gives in :func:`contingencies`."""


def contingencies(events: pd.DataFrame, lane: str = CONTINGENCY_LANE) -> pd.DataFrame:
    """One row per contingency per replication: the date of each step, and the recalls it caused.

    Built from the event log alone, so it works on Parquet read back from a results folder.  A
    step that did not happen (no attack, or the horizon came first) is NaT; ``ongoing`` marks a
    contingency not stood down by the horizon; ``recalls`` counts the deployments terminated with
    the recall's basis ``Art. 6(13); Art. 6(6)`` (``law.Cite.RECALL``) while the contingency was
    active.
    """
    crisis = events[events["deployment"] == lane]
    columns = ["replication", "contingency", *CONTINGENCY_STEPS.values(), "attacked", "ongoing", "recalls"]
    if crisis.empty:
        return pd.DataFrame(columns=columns)
    number = (crisis["event"] == "tension_arose").groupby(crisis["replication"]).cumsum().rename("contingency")
    steps = crisis.assign(contingency=number, step=crisis["event"].astype(str).map(CONTINGENCY_STEPS))
    steps = steps[steps["step"].notna()]
    table = steps.pivot_table(index=["replication", "contingency"], columns="step", values="date", aggfunc="min")
    table = table.reindex(columns=list(CONTINGENCY_STEPS.values())).reset_index()
    table["attacked"] = table["armed_attack"].notna()
    table["ongoing"] = table["stood_down"].isna()
    recall = events["basis"].astype(str) == law.Cite.RECALL
    recalled = events[(events["event"] == "termination_decided") & recall]
    end = table["stood_down"].where(table["stood_down"].notna(), events["date"].max())  # ongoing: to the last day
    table["recalls"] = [
        int(((recalled["replication"] == rep) & recalled["date"].between(start, stop)).sum())
        for rep, start, stop in zip(table["replication"], table["tension"], end, strict=True)
    ]
    return table[columns]
