"""Counterfactuals: Japan's real SDF-unit deployments as if they had needed the Diet's approval.

No source shows Art. 6(7) prior approval ever sought: no real SDF unit did a core task (a)-(g)
(``sim/data/deployments_NOTES.md``).  Here each real SDF-unit deployment is run through the
Diet procedure as if its tasks had been core tasks, on the real calendar of its decision date:
would approval have been sought before dispatch or after it (the proviso), how long would it
have taken, how likely was each House to miss its seven-day target (Art. 6(8)), and would its
two-year renewals (Art. 6(10)) have fallen while the Diet sat.  Humanitarian relief never needs
approval under the Act (Art. 6(7) names PKO and ICO only); those rows are run as if it did, and
the table says so.  Every case is judged under today's text (:data:`COUNTERFACTUAL_LAW`): until
2001 the SDF units' core tasks were frozen, so under the text then in force the premise itself is
refused; the Art. 6(7)-(12) procedure the study measures reads the same in every text.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch

from sim.diet.calendar import DietCalendar
from sim.law import versions
from sim.record import load_deployments
from sim.run.replications import simulate
from sim.scenario import Scenario, parse_scenario

COUNTERFACTUAL_TASK = "b"
"""Stationing and patrolling in buffer zones, Art. 3(v)(b): a core task under Art. 6(7)."""
COUNTERFACTUAL_LAW = versions.CURRENT.in_force.isoformat()
"""The ``law.as_of`` of every case: today's text (docs/law.md, *The Act over time*)."""
ASSUMED_DISPATCH_LAG = 14
"""Days from decision to dispatch where the sources give no day-precision dates."""


def real_cases() -> pd.DataFrame:
    """The real SDF-unit deployments with a decision day (exact, or the month's start less a lag)."""
    table = load_deployments()
    units = table[table["sdf_unit"] & table["start"].notna()].copy()
    exact = units["cabinet_decision_date"].notna()
    units["decision"] = units["cabinet_decision_date"].where(
        exact, units["start"] - pd.Timedelta(days=ASSUMED_DISPATCH_LAG)
    )
    units["decision_approximate"] = ~exact | (units["cabinet_decision_date_precision"] != "day")
    lag = units["days_decision_to_start"].astype("Float64")
    units["lag"] = lag.where(lag.notna() & (lag >= 0), ASSUMED_DISPATCH_LAG).astype(int)
    units["label"] = units["mission"].str.split(" \\(").str[0] + ": " + units["contingent"].astype(str)
    return units.reset_index(drop=True)


def scenario_for(case: pd.Series, replications: int, seed: int, diet: dict[str, Any] | None = None) -> Scenario:
    """A one-deployment scenario on the historical calendar around a real decision day.

    Each case is its own deployment id, so each draws its own deliberations rather than the
    same numbers for every case.
    """
    decision = case["decision"].date()
    last = DietCalendar.historical().sessions[-1].closed
    days = case["days_deployed"]
    period = int(days) + int(case["lag"]) if pd.notna(days) and days > 0 else 365
    end = min(decision + dt.timedelta(days=max(period, 2 * 365) + 400), last)
    data = {
        "name": "counterfactual",
        "start": (decision - dt.timedelta(days=1)).isoformat(),
        "end": end.isoformat(),
        "seed": seed,
        "replications": replications,
        "procedure": {"request_to_decision": 0, "guidelines_delay": 0, "decision_to_dispatch": int(case["lag"])},
        "diet": {"calendar": {"source": "historical"}, **(diet or {})},
        "law": {"as_of": COUNTERFACTUAL_LAW},
        "deployments": [{
            "id": f"case{case.name}", "mission": str(case["mission"]), "operation": "un_pko", "subtype": "a",
            "request": decision.isoformat(), "period": period,
            "contingents": [{"kind": "sdf_unit", "personnel": 100, "tasks": [COUNTERFACTUAL_TASK, "s"]}],
        }],
    }  # fmt: skip
    return parse_scenario(data, source=f"counterfactual for {case['label']}")


def _renewals_out_of_window(events: pd.DataFrame) -> float:
    """Share of renewals sought only after their two-year day (the window fell between sessions)."""
    sought = events[(events["event"] == "approval_sought") & events["detail"].astype(str).str.startswith("renewal")]
    due = events[events["event"] == "renewal_due"]
    if sought.empty:
        return np.nan
    first = sought.groupby(["replication", sought["detail"].astype(str).str.split().str[1]])["t"].min()
    dues = due.groupby(["replication", due["detail"].astype(str).str.split().str[1]])["t"].min()
    joined = pd.concat([first.rename("sought"), dues.rename("due")], axis=1).dropna()
    return float((joined["sought"] > joined["due"]).mean()) if len(joined) else np.nan


def counterfactuals(replications: int = 200, seed: int = 1992, diet: dict[str, Any] | None = None) -> pd.DataFrame:
    """One row per real SDF-unit deployment: the approval path and timing it would have had."""
    rows = []
    for _, case in real_cases().iterrows():
        result = simulate(scenario_for(case, replications, seed, diet))
        d, ev = result.deployments, result.events
        sought = ev[(ev["event"] == "approval_sought") & ev["detail"].isin(["prior", "post"])]
        first_sought = sought.groupby("replication")["date"].min()
        due = ev[ev["event"] == "renewal_due"]
        rows.append({
            "deployment": case["label"],
            "operation_type": str(case["operation_type"]),
            "approval_under_the_act": str(case["operation_type"]) in ("un_pko", "internationally_coordinated"),
            "decision_date": case["decision"].date(),
            "decision_approximate": bool(case["decision_approximate"]),
            "share_after_the_fact": float((d["approval_path"] == "post").mean()),
            "first_sought": first_sought.min().date() if len(first_sought) else None,
            "days_sought_to_decision_median": float(d["days_sought_to_decision"].median()),
            "share_representatives_missed_7_days": float((d["targets_missed_representatives"] > 0).mean()),
            "share_councillors_missed_7_days": float((d["targets_missed_councillors"] > 0).mean()),
            "share_lapsed": float((d["lapses"] > 0).mean()),
            "first_renewal_due": due["date"].min().date() if len(due) else None,
            "share_renewals_sought_after_due": _renewals_out_of_window(ev),
        })  # fmt: skip
    return pd.DataFrame(rows)


def write(table: pd.DataFrame, folder: Path) -> tuple[Path, Path]:
    """The table (CSV and Parquet) and its figure, written atomically under ``folder``."""
    from sim.sweep.store import write_figure, write_table, write_text

    folder.mkdir(parents=True, exist_ok=True)
    write_table(table, folder / "counterfactuals.parquet")
    write_text(table.to_csv(index=False), folder / "counterfactuals.csv")
    fig = figure(table)
    write_figure(fig, folder / "counterfactuals.png")
    plt.close(fig)
    return folder / "counterfactuals.csv", folder / "counterfactuals.png"


def figure(table: pd.DataFrame) -> Figure:
    """Real SDF-unit deployments as if they had needed approval: path, time, seven-day misses."""
    rows = table.sort_values("decision_date").reset_index(drop=True)
    labels = [
        f"{'≈' if approx else ''}{day}  {name}{'' if under_act else ' *'}"
        for day, name, approx, under_act in zip(
            rows["decision_date"],
            rows["deployment"],
            rows["decision_approximate"],
            rows["approval_under_the_act"],
            strict=True,
        )
    ]
    y = np.arange(len(rows))
    fig, (left, right) = plt.subplots(1, 2, figsize=(13, 0.45 * len(rows) + 2.2), sharey=True)
    post = rows["share_after_the_fact"] > 0.5
    colours = np.where(post, "#D55E00", "#0072B2")
    left.barh(y, rows["days_sought_to_decision_median"], color=colours)
    left.set_yticks(y, labels)
    left.invert_yaxis()
    left.set_xlabel("days from approval sought to decided (median)")
    left.set_title("Approval path on the real calendar")
    left.legend(
        handles=[Patch(color="#0072B2", label="prior approval (Art. 6(7))"),
                 Patch(color="#D55E00", label="after dispatch (proviso of Art. 6(7))")],
        loc="upper center", bbox_to_anchor=(0.5, -0.1), frameon=False,
    )  # fmt: skip
    width = 0.4
    right.barh(y - width / 2, rows["share_representatives_missed_7_days"], height=width, color="#009E73",
               label="House of Representatives")  # fmt: skip
    right.barh(y + width / 2, rows["share_councillors_missed_7_days"], height=width, color="#CC79A7",
               label="House of Councillors")  # fmt: skip
    right.set_xlim(0, 1)
    right.set_xlabel("share of replications missing the 7-day target (Art. 6(8))")
    right.set_title("Seven-day targets (prior approval only)")
    right.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), frameon=False)
    fig.suptitle("Counterfactual: real SDF-unit deployments as if their tasks needed Diet approval")
    fig.text(0.01, 0.01, "≈ decision date estimated from the start month;  * humanitarian relief: "
             "Art. 6(7) never applies, run as if it did", fontsize=8, color="#555555")  # fmt: skip
    fig.tight_layout()
    return fig
