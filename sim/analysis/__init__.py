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
    metric_columns,
    per_replication,
    quantile_interval,
    summarize,
    summarize_by_point,
)
from sim.analysis.portfolio import (
    PORTFOLIO_EVENTS,
    approvals_by_decade,
    cap_by_year,
    person_days_by_year,
    portfolio_by_point,
    portfolio_per_replication,
    portfolio_summary,
    states_over_time,
    summarize_portfolio,
    targets_missed,
)
from sim.analysis.portfolio import SUMMARY as PORTFOLIO_SUMMARY
from sim.analysis.survival import kaplan_meier, median_survival, termination_times
from sim.analysis.timeseries import SERIES, bands, trajectories

__all__ = [
    "CONTINGENCY_STEPS",
    "DURATIONS",
    "PORTFOLIO_EVENTS",
    "PORTFOLIO_SUMMARY",
    "SERIES",
    "SUMMARY_COLUMNS",
    "Metric",
    "approvals_by_decade",
    "bands",
    "cap_by_year",
    "cart",
    "contingencies",
    "describe",
    "feature_scores",
    "kaplan_meier",
    "mean_interval",
    "median_survival",
    "metric_columns",
    "outcome_table",
    "per_replication",
    "person_days_by_year",
    "portfolio_by_point",
    "portfolio_per_replication",
    "portfolio_summary",
    "prim_boxes",
    "process_mining_log",
    "quantile_interval",
    "states_over_time",
    "summarize",
    "summarize_by_point",
    "summarize_portfolio",
    "targets_missed",
    "termination_causes",
    "termination_times",
    "trajectories",
]
