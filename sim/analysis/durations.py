"""Durations and endings per deployment (or design point), with confidence intervals.

Reads the ``.deployments`` table only.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sim.analysis.metrics import mean_interval

DURATIONS = {
    "days_request_to_decision": "request to Cabinet decision (days)",
    "days_decision_to_dispatch": "decision to dispatch (days)",
    "days_sought_to_decision": "approval sought to decided (days)",
    "days_dispatched_before_approval": "dispatched before approval (days, proviso)",
    "targets_missed_representatives": "7-day targets missed, Representatives",
    "targets_missed_councillors": "7-day targets missed, Councillors",
    "renewals": "renewals granted",
    "interruptions": "interruptions",
    "days_suspended": "days suspended",
    "days_waited_for_cap": "days waited for the cap",
    "days_deployed": "days deployed",
}


def describe(deployments: pd.DataFrame, by: str = "deployment") -> pd.DataFrame:
    """Per group (deployment, or design point): mean with 95% interval and quartiles of each
    duration and count, over the replications in which it applies."""
    records = []
    for key, rows in deployments.groupby(by, observed=True, sort=True):
        for column, label in DURATIONS.items():
            per_rep = rows.groupby("replication")[column].mean().dropna().to_numpy(dtype=float)
            if not len(per_rep):
                continue
            mean, se, low, high = mean_interval(per_rep)
            q25, q50, q75 = np.quantile(rows[column].dropna().to_numpy(dtype=float), [0.25, 0.5, 0.75])
            records.append((key, column, label, mean, se, low, high, q25, q50, q75, len(per_rep)))
    columns = [by, "measure", "label", "mean", "se", "ci_low", "ci_high", "q25", "median", "q75", "n"]
    return pd.DataFrame.from_records(records, columns=columns)


def termination_causes(deployments: pd.DataFrame, by: str = "deployment") -> pd.DataFrame:
    """Share of replications ending each way, per group: causes, abandoned, still running."""
    outcome = deployments["termination_cause"].astype(str).where(deployments["termination_cause"].notna(), "")
    outcome = outcome.mask(outcome.eq("") & deployments["outcome"].astype(str).eq("abandoned"), "abandoned")
    outcome = outcome.mask(outcome.eq(""), "running at horizon")
    return pd.crosstab(deployments[by], outcome, normalize="index").rename_axis(columns="ending")
