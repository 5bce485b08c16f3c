"""Counterfactuals: Japan's real SDF-unit deployments as if they had needed the Diet's approval.

No source shows Art. 6(7) prior approval ever sought: no real SDF unit did a core task (a)-(g)
(``sim/data/deployments_NOTES.md``).  Here each real SDF-unit deployment is run through the
Diet procedure as if its tasks had been core tasks, on the real calendar of its decision date:
would approval have been sought before dispatch or after it (the proviso), how long would it
have taken, how likely was each House to miss its seven-day target (Art. 6(8)), and would its
two-year renewals (Art. 6(10)) have fallen while the Diet sat.  Humanitarian relief never needs
approval under the Act (Art. 6(7) names PKO and ICO only); those rows are run as if it did, and
the table says so.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from sim.calendar import DietCalendar
from sim.config import Scenario, parse_scenario
from sim.history import load_deployments
from sim.simulation import simulate

COUNTERFACTUAL_TASK = "b"
"""Stationing and patrolling in buffer zones, Art. 3(v)(b): a core task under Art. 6(7)."""
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
    from sim import plots
    from sim.store import write_figure, write_table, write_text

    folder.mkdir(parents=True, exist_ok=True)
    write_table(table, folder / "counterfactuals.parquet")
    write_text(table.to_csv(index=False), folder / "counterfactuals.csv")
    figure = plots.counterfactuals(table)
    write_figure(figure, folder / "counterfactuals.png")
    plots.plt.close(figure)
    return folder / "counterfactuals.csv", folder / "counterfactuals.png"
