"""Tables from results: metrics and their summaries, durations, survival, and the event log as processes.

Reads pandas frames only — never the model or SimPy — so everything here works the same on a fresh
``sim.simulate`` result and on Parquet read back from a results folder.
"""

from sim.analysis.discovery import cart, feature_scores, outcome_table, prim_boxes
from sim.analysis.durations import DURATIONS, describe, termination_causes
from sim.analysis.logs import CONTINGENCY_STEPS, contingencies, process_mining_log
from sim.analysis.metrics import (
    SUMMARY_COLUMNS,
    Metric,
    mean_interval,
    per_replication,
    quantile_interval,
    summarize,
)
from sim.analysis.survival import kaplan_meier, median_survival, termination_times
from sim.analysis.timeseries import SERIES, bands, trajectories

__all__ = [
    "CONTINGENCY_STEPS",
    "DURATIONS",
    "SERIES",
    "SUMMARY_COLUMNS",
    "Metric",
    "bands",
    "cart",
    "contingencies",
    "describe",
    "feature_scores",
    "kaplan_meier",
    "mean_interval",
    "median_survival",
    "outcome_table",
    "per_replication",
    "prim_boxes",
    "process_mining_log",
    "quantile_interval",
    "summarize",
    "termination_causes",
    "termination_times",
    "trajectories",
]
