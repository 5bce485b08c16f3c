"""The tables a run produces: the event log, one row per deployment, persons engaged, the calendar.

Rows come from the model as the named tuples of :mod:`sim.eventlog` (cheap to append in the hot
loop), become typed columns as each replication ends (:class:`TableBuilder`, :mod:`sim.run.columns`)
and pandas frames once per run: categoricals with the fixed vocabulary for events, states and
lanes, compact integers, and dates computed from the day offsets in one vectorised step.
"""

from __future__ import annotations

import datetime as dt
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
from sim.run.columns import ColumnLog, Vocabulary, category_dtype
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


def lanes(scenario: Scenario) -> list[str]:
    """The ``deployment`` column's categories: the deployments, then the alliance's two lanes."""
    ids = deployment_ids(scenario)
    return ids if scenario.alliance is None else [*ids, *ALLIANCE_LANES]


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


def deployment_row(replication: int, run: DeploymentRun, horizon: float) -> tuple[Any, ...]:
    """What became of one deployment in one replication, as the values of a :class:`DeploymentRow`
    (day offsets for the dates, NaN for never)."""
    spec = run.plan.spec
    censored = run.state not in FINAL_STATES
    request = float(run.plan.request_day)
    decided = np.nan if run.decision_t is None else run.decision_t
    dispatched = np.nan if run.dispatch_t is None else run.dispatch_t
    home = horizon if censored else run.withdrawal_t
    return DeploymentRow(
        replication=replication, deployment=spec.id, operation=spec.operation.value,
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
    )  # fmt: skip


_STRINGS = ("deployment", "operation", "subtype", "route", "approval_path", "outcome", "termination_cause")
_BOOLS = ("needs_prior_approval", "censored")
_INTS = ("replication", "personnel", "extensions", "rotations", "approvals_sought", "lapses", "renewals",
         "targets_missed_representatives", "targets_missed_councillors", "persons_dispatched",
         "interruptions", "suspensions", "tasks_removed", "scripted_skipped")  # fmt: skip


class TableBuilder:
    """The tables of a run, gathered replication by replication as typed columns (:mod:`sim.run.columns`).

    Each replication's rows become columns as soon as it has run, and its SimPy world and generated
    calendar are let go, so that a run's memory grows by its tables' size, not by the model's objects
    (issue 19).  The calendar every replication shares, if any, is listed first.
    """

    def __init__(self, scenario: Scenario, shared: DietCalendar | None = None):
        self.scenario = scenario
        self.horizon = float(scenario.horizon_days)
        self.lanes = category_dtype(tuple(lanes(scenario)))
        """The ``deployment`` column's dtype, made once (pandas checks the categories each time)."""
        self.events = ColumnLog({"deployment": "int16", "t": "float64", "event": Vocabulary(EVENTS, "int16"),
                                 "state": Vocabulary(STATES, "int16"), "basis": Vocabulary(),
                                 "detail": Vocabulary()})  # fmt: skip
        self.engaged = ColumnLog({"deployment": "int16", "t": "float64", "persons": "int32", "performing": bool,
                                  "total": "int32"})  # fmt: skip
        kinds = {name: "float64" for name in DEPLOYMENT_COLUMNS}
        kinds |= {name: Vocabulary() for name in _STRINGS} | {name: bool for name in _BOOLS}
        self.deployments = ColumnLog(kinds | {name: "int32" for name in _INTS})
        self.calendar = ColumnLog({"kind": Vocabulary(), "number": "float64", "convened": "int32",
                                   "closed": "int32", "ended_by": Vocabulary()})  # fmt: skip
        if shared is not None:
            self.calendar.extend(calendar_rows(shared), SHARED_CALENDAR)

    def add(self, out: ReplicationOutput) -> None:
        """One replication's records: its rows become columns; nothing of its world is kept."""
        self.events.extend(out.rows, out.replication)
        self.engaged.extend(out.engaged, out.replication)
        self.deployments.extend([deployment_row(out.replication, run, self.horizon) for run in out.runs])
        if out.calendar is not None:
            self.calendar.extend(calendar_rows(out.calendar), out.replication)

    def tables(self) -> dict[str, pd.DataFrame]:
        """The four result tables, keyed as :class:`SimulationResult`."""
        return {
            "events": self.events_frame(),
            "deployments": self.deployments_frame(),
            "calendar": calendar_frame(self.calendar),
            "engaged": self.engaged_frame(),
        }

    def _timed(self, log: ColumnLog) -> dict[str, Any]:
        """The key columns (replication, deployment, t, date) of a per-replication row log."""
        t = log.column("t")
        return {
            "replication": log.group_column(),
            "deployment": pd.Categorical.from_codes(log.column("deployment"), dtype=self.lanes),
            "t": t,
            "date": _dates(self.scenario.start, t),
        }

    def events_frame(self) -> pd.DataFrame:
        """The event log: one row per event, columns and names as :mod:`sim.eventlog` fixes them."""
        log = self.events
        keys = self._timed(log)
        columns = {
            "event": log.kinds["event"].categorical(log.column("event"), EVENTS),
            "state": log.kinds["state"].categorical(log.column("state"), STATES),
            "basis": log.kinds["basis"].categorical(log.column("basis")),
            "detail": log.kinds["detail"].categorical(log.column("detail")),
        }
        return pd.DataFrame({**keys, **columns}, columns=list(EVENT_COLUMNS), copy=False)  # no second copy

    def engaged_frame(self) -> pd.DataFrame:
        """Persons engaged over time (Art. 19): one row per change, per deployment.

        ``persons`` is the deployment's count after the change, ``performing`` whether it is
        performing tasks (not interrupted, suspended or withdrawing), ``total`` the persons engaged
        across all deployments of the replication at that moment.  Art. 27 officers are not counted.
        """
        log = self.engaged
        columns = {name: log.column(name) for name in ("persons", "performing", "total")}
        return pd.DataFrame({**self._timed(log), **columns}, columns=list(ENGAGED_COLUMNS), copy=False)

    def deployments_frame(self) -> pd.DataFrame:
        """One row per deployment per replication: path, outcome, dates and durations."""
        log = self.deployments
        fixed = {"deployment": deployment_ids(self.scenario), "termination_cause": CAUSES}
        columns: dict[str, Any] = {}
        for name in DEPLOYMENT_COLUMNS:
            values = log.column(name)
            if name in _STRINGS:
                columns[name] = log.kinds[name].categorical(values, fixed.get(name))
            elif name in DATE_COLUMNS:
                columns[name] = _dates(self.scenario.start, values)
            else:
                columns[name] = values
        return pd.DataFrame(columns, columns=list(DEPLOYMENT_COLUMNS), copy=False)


_EPOCH = dt.date(1970, 1, 1).toordinal()


def calendar_rows(calendar: DietCalendar) -> list[tuple[Any, ...]]:
    """A calendar's records (:meth:`DietCalendar.record_rows`) as rows of the calendar table's fields,
    dates as days since 1970 (NumPy converts those a hundred times faster than ``date`` objects)."""
    return [(kind, np.nan if number is None else number, convened.toordinal() - _EPOCH,
             closed.toordinal() - _EPOCH, ended_by)
            for kind, number, convened, closed, ended_by in calendar.record_rows()]  # fmt: skip


def calendar_frame(log: ColumnLog) -> pd.DataFrame:
    """The Diet calendar each replication used: sessions, recesses, dissolutions, elections.

    A generated calendar is drawn per replication and listed under its index; an explicit or
    historical calendar is the same for all and listed once, under :data:`SHARED_CALENDAR`.  No
    calendar is built (and none listed) when no deployment needs the Diet's approval.
    """
    columns = {
        "replication": log.group_column(),
        "kind": log.kinds["kind"].categorical(log.column("kind")),
        "number": pd.array(log.column("number"), dtype="Int32"),
        "convened": log.column("convened").astype("datetime64[D]").astype("datetime64[ms]"),
        "closed": log.column("closed").astype("datetime64[D]").astype("datetime64[ms]"),
        "ended_by": log.kinds["ended_by"].categorical(log.column("ended_by")),
    }
    return pd.DataFrame(columns, columns=list(CALENDAR_COLUMNS))
