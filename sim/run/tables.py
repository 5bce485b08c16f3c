"""The tables a run produces: the event log, one row per deployment, persons engaged, the calendar.

Rows come from the model as the named tuples of :mod:`sim.eventlog` (cheap to append in the hot
loop) and become typed pandas frames here, once per run: categoricals with the fixed vocabulary for events, states
and bases, compact integers, and dates computed from the day offsets in one vectorised step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from sim.diet.calendar import DietCalendar
from sim.eventlog import (
    ALLIANCE_LANES,
    CALENDAR_COLUMNS,
    CAUSES,
    DATE_COLUMNS,
    DEPLOYMENT_COLUMNS,
    ENGAGED_COLUMNS,
    EVENT_COLUMNS,
    EVENTS,
    FINAL_STATES,
    SHARED_CALENDAR,
    STATES,
    DeploymentRow,
    EngagedRow,
    LogRow,
)
from sim.law import RequestKind
from sim.model.world import DeploymentRun
from sim.scenario import Scenario
from sim.scenario.templates import deployment_ids


@dataclass(frozen=True)
class ReplicationOutput:
    """What one replication hands back: its log rows, deployment records, and own calendar."""

    replication: int
    rows: list[LogRow]
    runs: list[DeploymentRun]
    engaged: list[EngagedRow]
    calendar: DietCalendar | None = None


@dataclass(frozen=True)
class SimulationResult:
    """The outcome of :func:`sim.simulate`: three tidy pandas tables and what made them."""

    scenario: Scenario
    seed: int
    replications: int
    events: pd.DataFrame
    deployments: pd.DataFrame
    calendar: pd.DataFrame
    engaged: pd.DataFrame


def _dates(start: dt.date, days: np.ndarray) -> np.ndarray:
    """Day offsets (NaN for never) as dates at day resolution."""
    out = np.full(days.shape, np.datetime64("NaT"), dtype="datetime64[ms]")
    ok = ~np.isnan(days)
    base = np.datetime64(start, "D")
    out[ok] = (base + days[ok].astype("int64").astype("timedelta64[D]")).astype("datetime64[ms]")
    return out


def _categorical(values: list[str], categories: Sequence[str] | None = None) -> pd.Categorical:
    """Strings as a categorical, coded through a dict (far faster than hashing by pandas)."""
    cats = list(categories) if categories is not None else sorted(set(values))
    index = {c: i for i, c in enumerate(cats)}
    codes = np.fromiter(map(index.__getitem__, values), dtype="int16", count=len(values))
    return pd.Categorical.from_codes(codes, cats)


def lanes(scenario: Scenario) -> list[str]:
    """The ``deployment`` column's categories: the deployments, then the alliance's two lanes."""
    ids = deployment_ids(scenario)
    return ids if scenario.alliance is None else [*ids, *ALLIANCE_LANES]


def _timed_rows(
    scenario: Scenario, outputs: Sequence[ReplicationOutput], field: str, fields: Sequence[str]
) -> tuple[dict[str, Any], list[list[Any]]]:
    """The key columns (replication, deployment, t, date) of a per-replication row log, and the
    remaining columns (after the row type's ``deployment`` and ``t``) as lists."""
    logs = [getattr(o, field) for o in outputs]
    rows = [row for log in logs for row in log]
    columns = [[row[i] for row in rows] for i in range(len(fields))]
    t = np.asarray(columns[1], dtype="float64")
    keys = {
        "replication": np.repeat(np.asarray([o.replication for o in outputs], dtype="int32"), [len(g) for g in logs]),
        "deployment": pd.Categorical.from_codes(np.asarray(columns[0], dtype="int16"), lanes(scenario)),
        "t": t,
        "date": _dates(scenario.start, t),
    }
    return keys, columns[2:]


def events_frame(scenario: Scenario, outputs: Sequence[ReplicationOutput]) -> pd.DataFrame:
    """The event log: one row per event, columns and names as :mod:`sim.eventlog` fixes them."""
    keys, (event, state, basis, detail) = _timed_rows(scenario, outputs, "rows", LogRow._fields)
    columns = {
        "event": _categorical(event, EVENTS),
        "state": _categorical(state, STATES),
        "basis": _categorical(basis),
        "detail": _categorical(detail),
    }
    return pd.DataFrame({**keys, **columns}, columns=list(EVENT_COLUMNS))


def _span(first: float | None, last: float | None) -> float:
    """Days from ``first`` to ``last``, NaN if either never happened."""
    return np.nan if first is None or last is None else last - first


def _open(since: float | None, horizon: float) -> float:
    """Days of an interval still open at the horizon."""
    return 0.0 if since is None else horizon - since


def _dispatched_persons(run: DeploymentRun) -> int:
    """Persons sent: the (possibly scaled-down) engagement, or the plan's size for Art. 27."""
    if run.dispatch_t is None:
        return 0
    return sum(run.contingent_persons) if run.plan.counts_toward_cap else run.plan.spec.personnel


def deployments_frame(scenario: Scenario, outputs: Sequence[ReplicationOutput]) -> pd.DataFrame:
    """One row per deployment per replication: path, outcome, dates and durations."""
    horizon = float(scenario.horizon_days)
    records = []
    for out in outputs:
        for run in out.runs:
            spec = run.plan.spec
            censored = run.state not in FINAL_STATES
            request = float(run.plan.request_day)
            decided = np.nan if run.decision_t is None else run.decision_t
            dispatched = np.nan if run.dispatch_t is None else run.dispatch_t
            home = horizon if censored else run.withdrawal_t
            records.append(DeploymentRow(
                replication=out.replication, deployment=spec.id, operation=spec.operation.value,
                subtype=spec.subtype or "", route=spec.dispatch_under, personnel=spec.personnel,
                needs_prior_approval=run.plan.needs_prior_approval, approval_path=run.approval_path,
                outcome=run.state.value, termination_cause=run.cause.value if run.cause else None,
                request_date=request, decision_date=decided, dispatch_date=dispatched,
                termination_date=np.nan if run.termination_t is None else run.termination_t,
                withdrawal_date=np.nan if run.withdrawal_t is None else run.withdrawal_t,
                days_request_to_decision=decided - request, days_decision_to_dispatch=dispatched - decided,
                days_deployed=np.nan if run.dispatch_t is None or home is None else home - run.dispatch_t,
                extensions=run.extensions, rotations=run.rotations, censored=censored,
                approvals_sought=run.approvals_sought, lapses=run.lapses, renewals=run.renewals,
                days_sought_to_decision=_span(run.sought_t, run.decided_t),
                targets_missed_representatives=run.targets_missed["representatives"],
                targets_missed_councillors=run.targets_missed["councillors"],
                days_dispatched_before_approval=(
                    _span(run.dispatch_t, run.approval_t) if run.approval_path == RequestKind.POST else np.nan),
                persons_dispatched=_dispatched_persons(run), days_waited_for_cap=run.cap_wait_days,
                interruptions=run.interruptions,
                days_interrupted=run.days_interrupted + _open(run.interrupted_since, horizon),
                suspensions=run.suspensions,
                days_suspended=run.days_suspended + _open(run.suspended_since, horizon),
                tasks_removed=run.tasks_removed, scripted_skipped=run.scripted_skipped,
            ))  # fmt: skip
    frame = pd.DataFrame.from_records(records, columns=list(DEPLOYMENT_COLUMNS))
    for col in DATE_COLUMNS:
        frame[col] = _dates(scenario.start, frame[col].to_numpy(dtype="float64"))
    frame["replication"] = frame["replication"].astype("int32")
    frame["deployment"] = pd.Categorical(frame["deployment"], categories=deployment_ids(scenario))
    for col in ("operation", "subtype", "route", "approval_path", "outcome"):
        frame[col] = frame[col].astype("category")
    frame["termination_cause"] = pd.Categorical(frame["termination_cause"], categories=CAUSES)
    for col in ("personnel", "extensions", "rotations", "approvals_sought", "lapses", "renewals",
                "targets_missed_representatives", "targets_missed_councillors", "persons_dispatched",
                "interruptions", "suspensions", "tasks_removed", "scripted_skipped"):  # fmt: skip
        frame[col] = frame[col].astype("int32")
    frame["needs_prior_approval"] = frame["needs_prior_approval"].astype(bool)
    frame["censored"] = frame["censored"].astype(bool)
    return frame


def engaged_frame(scenario: Scenario, outputs: Sequence[ReplicationOutput]) -> pd.DataFrame:
    """Persons engaged over time (Art. 19): one row per change, per deployment.

    ``persons`` is the deployment's count after the change, ``performing`` whether it is
    performing tasks (not interrupted, suspended or withdrawing), ``total`` the persons engaged
    across all deployments of the replication at that moment.  Art. 27 officers are not counted.
    """
    keys, (persons, performing, total) = _timed_rows(scenario, outputs, "engaged", EngagedRow._fields)
    columns = {
        "persons": np.asarray(persons, dtype="int32"),
        "performing": np.asarray(performing, dtype=bool),
        "total": np.asarray(total, dtype="int32"),
    }
    return pd.DataFrame({**keys, **columns}, columns=list(ENGAGED_COLUMNS))


def calendar_frame(outputs: Sequence[ReplicationOutput], shared: DietCalendar | None) -> pd.DataFrame:
    """The Diet calendar each replication used: sessions, recesses, dissolutions, elections.

    A generated calendar is drawn per replication and listed under its index; an explicit or
    historical calendar is the same for all and listed once, under :data:`SHARED_CALENDAR`.  No
    calendar is built (and none listed) when no deployment needs the Diet's approval.
    """
    parts = [(out.replication, out.calendar) for out in outputs if out.calendar is not None]
    if shared is not None:
        parts.insert(0, (SHARED_CALENDAR, shared))
    records = [{"replication": rep, **rec} for rep, cal in parts for rec in cal.to_records()]
    frame = pd.DataFrame.from_records(records, columns=list(CALENDAR_COLUMNS))
    frame["replication"] = frame["replication"].astype("int32")
    frame["number"] = frame["number"].astype("Int32")
    frame["kind"] = frame["kind"].astype("category")
    frame["ended_by"] = frame["ended_by"].astype("category")
    for col in ("convened", "closed"):
        frame[col] = pd.to_datetime(frame[col]).astype("datetime64[ms]")
    return frame
