"""Replays built from the record: a real deployment's dated steps, run through the model and compared.

``configs/historical/`` holds five replays written by hand.  This module writes one for any mission
of the record (:func:`sim.record.load_deployments`, :func:`sim.record.load_plan_events`) by rule, so
that every mission the record can support is replayed the same way and nothing is chosen per case:

* the request and the Cabinet decision (``request_to_decision`` is their interval; with no dated
  request the request is taken on the decision day, a zero lag, and the request is not compared);
* ``decision_to_dispatch`` to the first dated dispatch, and ``dispatch_on`` for a contingent that left
  on another dated day; ``returns_on`` for a contingent home on a dated day while the plan goes on;
* the first plan period to the decision's ``period_until`` (where the record does not give it, the
  record's usual period, an assumption the replay states); each dated amendment as a scripted
  ``period_extended``, to its new end or, where the record gives none, by the usual period; periods
  the record does not date are extended by the ``extension`` policy (``until_mission_end``), which no
  comparison checks;
* a contingent a dated plan change adds (``contingent_added`` rows) as a scripted
  ``contingent_added``, and a task change naming its letter as a scripted ``tasks_added``;
* a later Cabinet decision naming a contingent (UNMIT's liaison officers, 2010) as a plan of its own:
  a second deployment with its own lags, whose steps are compared with its own events;
* a decision to end as a scripted ``policy_termination``, ``withdrawal`` its interval to the last
  return, and ``results_report_delay`` from the last return to the results report.

A month-only date is the 1st of its month (as the record's loader reads it) and is compared by month.
What the record does not date is never filled in: a mission without a Cabinet decision or a dispatch
date is not built, and says why.  Every lag is fixed, so one replication says everything.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from sim.diet.calendar import DietCalendar
from sim.figures import timeline
from sim.law import OPERATIONS_WITH_SUBTYPES, OperationType
from sim.law.versions import version_on
from sim.record import load_deployments, load_plan_events
from sim.record.tasks import SUBTYPE, TASKS, headcount
from sim.run.replications import simulate
from sim.scenario import ConfigError, Procedure, Scenario, parse_scenario
from sim.studies.calibration.observed import model_kind


def tasks_in_force(contingent: str, decided: dt.date) -> list[str]:
    """The record's contingent's tasks (:data:`TASKS`) as the text in force on the decision's day
    letters them: staff work at a UN headquarters is (t) since 2016-03-29 and, before it, an
    operation a Cabinet Order specified as similar to the listed ones (today's (u))."""
    staff = version_on(decided).staff_work_task()
    return [staff if t == "t" else t for t in TASKS[contingent]]


NOT_COMPARED = {"end_announced"}
"""A decision to prepare the end; the plan change that carried it out is the step of the Act."""

DEFAULT_EXTENSION = 365
"""Days of each extension the record does not date, where its dated periods give no length."""


class UnknownMission(ValueError):
    """A mission name that is not in the record."""


@dataclass(frozen=True)
class Step:
    """One real dated step of a mission, as the comparison sees it."""

    event: str
    contingent: str
    date: pd.Timestamp
    precision: str
    period_until: pd.Timestamp | None = None
    detail: str = ""


@dataclass
class Replay:
    """A mission's replay: its scenario (or why there is none), the steps to compare, and notes."""

    mission: str
    slug: str
    scenario: Scenario | None
    steps: list[Step]
    labels: dict[str, str]
    """Record contingent -> the label it has in the replay's event log."""
    not_built: list[str] = field(default_factory=list)
    """What could not be built, and why: the whole mission, or a contingent or a step of it."""
    not_modelled: dict[Step, str] = field(default_factory=dict)
    """Real steps the replay does not take, and why: compared as ``not modelled``, never by the nearest event."""
    plan_of: dict[str, str] = field(default_factory=dict)
    """Record contingent -> the deployment (plan) of the replay it belongs to, where the mission had
    several plans; a step is compared with its plan's events (plan-wide steps with the first's)."""


def missions() -> list[str]:
    """The record's missions, in the order of deployments.csv."""
    return list(dict.fromkeys(load_deployments()["mission"]))


def find_mission(name: str) -> str:
    """The record's exact mission name for *name*: exact, case-insensitive, or its short name ("MFO")."""
    names = missions()
    for candidate in names:
        if name in (candidate, candidate.casefold()) or name.casefold() == candidate.casefold():
            return candidate
    short = [c for c in names if c.split(" (")[0].casefold() == name.casefold()]
    if len(short) == 1:
        return short[0]
    raise UnknownMission(f"mission {name!r} is not in the record; its missions are: " + "; ".join(names))


def slug(mission: str) -> str:
    """A file-safe name of the mission: its short name (``UNTAC`` -> ``untac``, ``MFO (Multinational
    ...)`` -> ``mfo``) unless another mission shares it (``UNTAET (2001 ...)``), then the whole name."""
    short = mission.split(" (")[0]
    shared = sum(other.split(" (")[0] == short for other in missions()) > 1
    text = mission if shared and short != mission else short
    return re.sub(r"[^a-z0-9]+", "_", text.casefold()).strip("_") or "mission"


def _day(value: pd.Timestamp) -> str:
    return f"{value:%Y-%m-%d}"


def _steps(mission: str, deployments: pd.DataFrame, events: pd.DataFrame) -> list[Step]:
    """The real dated steps: plan_events.csv's, and deployments.csv's dates it does not already give."""
    steps = [
        Step(
            str(row["event"]),
            str(row["contingent"]),
            row["date"],
            str(row["date_precision"]),
            None if pd.isna(row["period_until"]) else row["period_until"],
            str(row["detail"]) if pd.notna(row["detail"]) else "",
        )
        for _, row in events.iterrows()
        if str(row["event"]) not in NOT_COMPARED and pd.notna(row["date"])
    ]
    have = {(s.event, s.contingent) for s in steps}
    decided = {s.date for s in steps if s.event == "cabinet_decision"}
    for _, row in deployments.iterrows():
        name = str(row["contingent"])
        dated = (
            # a decision of its own: the plan's, or a contingent's on another day (UNMISS HQ staff, 2011-11)
            ("cabinet_decision", "cabinet_decision_date", row["cabinet_decision_date"] not in decided),
            ("dispatch_started", "start", True),
            ("withdrawal_completed", "end", True),
        )
        for event, column, wanted in dated:
            if wanted and pd.notna(row[column]) and (event, name) not in have:
                precision = str(row[f"{column}_precision"])
                whose = "" if event == "cabinet_decision" and not decided else name
                steps.append(Step(event, whose, row[column], precision))
                have.add((event, name))
                if event == "cabinet_decision":
                    decided.add(row[column])
    return sorted(steps, key=lambda s: (s.date, s.event, s.contingent))


def _first(steps: list[Step], event: str, contingent: str | None = None) -> Step | None:
    hits = [s for s in steps if s.event == event and (contingent is None or s.contingent == contingent)]
    return min(hits, key=lambda s: s.date) if hits else None


def _not_before(step: Step, decision: Step) -> pd.Timestamp:
    """A dispatch day: a month-only date is the 1st of its month, or the decision day if that comes
    later in the same month (no one is dispatched before the plan is decided)."""
    same_month = (step.date.year, step.date.month) == (decision.date.year, decision.date.month)
    if step.precision == "month" and same_month:
        return max(step.date, decision.date)
    return step.date


def _extension_length(steps: list[Step]) -> int:
    """Length of the undated extensions: the most common gap between the dated period ends, else a year."""
    ends = sorted({s.period_until for s in steps if s.period_until is not None})
    gaps = pd.Series([(b - a).days for a, b in pairwise(ends)])
    gaps = gaps[(gaps >= 150) & (gaps <= 400)]  # half a year to a year: one period, not several
    return int(gaps.mode().min()) if not gaps.empty else DEFAULT_EXTENSION


def build(mission: str) -> Replay:
    """The replay of *mission* (its exact name in the record), or why it cannot be built."""
    table = load_deployments()
    rows = table[table["mission"] == mission]
    if rows.empty:
        raise UnknownMission(f"mission {mission!r} is not in the record")
    events = load_plan_events()
    steps = _steps(mission, rows, events[events["mission"] == mission])
    replay = Replay(mission, slug(mission), None, steps, {})
    decision = _first(steps, "cabinet_decision")
    if decision is None:
        replay.not_built.append("no Cabinet decision date in the record")
        return replay
    contingents, starts, ends = [], {}, {}
    for _, row in rows.iterrows():
        name = str(row["contingent"])
        if name not in TASKS:
            replay.not_built.append(f"contingent {name}: the record does not say which task (Art. 3(v)) it did")
            continue
        personnel = headcount(row)
        if personnel is None:
            replay.not_built.append(f"contingent {name}: no headcount in the record ({row['personnel_text']})")
            continue
        start = _first(steps, "dispatch_started", name)
        if start is None:
            replay.not_built.append(f"contingent {name}: no dispatch date in the record")
            continue
        contingent: dict[str, Any] = {
            "kind": model_kind(name, bool(row["sdf_unit"])),
            "personnel": personnel,
            "tasks": tasks_in_force(name, decision.date.date()),
            "label": name,
        }
        rotations = row["rotations"]
        if pd.notna(rotations) and rotations > 1 and pd.notna(row["days_deployed"]):
            contingent["rotation"] = int(row["days_deployed"]) // int(rotations)
        contingents.append(contingent)
        starts[name] = _not_before(start, _decision_of(steps, name, decision))
        end = _first(steps, "withdrawal_completed", name)
        ends[name] = None if row["ongoing"] or end is None else end.date
        replay.labels[name] = name
    if not contingents:
        replay.not_built.append("no contingent the model can replay")
        return replay
    for step in steps:
        if step.event == "cabinet_decision" and step.date > decision.date and not step.contingent:
            replay.not_built.append(f"a later Cabinet decision ({_day(step.date)}, the plan)")
            replay.not_modelled[step] = (
                "a second plan for the same contingents: the record dates neither its dispatch nor the first "
                "plan's end, so the model cannot tell the two apart"
            )
    for name, start in list(starts.items()):
        own = _decision_of(steps, name, decision)
        if start < own.date:  # sent under an earlier decision the record does not give
            replay.not_built.append(
                f"contingent {name}: dispatched ({_day(start)}) before the plan's decision ({_day(own.date)})"
            )
            contingents = [c for c in contingents if c["label"] != name]
            del starts[name], ends[name], replay.labels[name]
    if not contingents:
        replay.not_built.append("no contingent the model can replay")
        return replay
    left_out = [s for s in steps if s.contingent and s.contingent not in replay.labels]
    if left_out:
        replay.not_built.append(f"{len(left_out)} dated step(s) of contingents left out are not compared")
    replay.steps = [s for s in steps if not s.contingent or s.contingent in replay.labels]
    plans = _plans(replay, decision, [c["label"] for c in contingents])
    mappings = []
    for k, (plan_decision, names) in enumerate(plans):
        ident = replay.slug if k == 0 else f"{replay.slug}_{k + 1}"
        for name in names:
            replay.plan_of[name] = ident
        mine = [c for c in contingents if c["label"] in names]
        plan_steps = [s for s in replay.steps if s.contingent in names or (k == 0 and not s.contingent)]
        mappings.append(_plan(replay, ident, plan_steps, plan_decision, mine, {n: ends[n] for n in names}, starts))
    try:
        replay.scenario = parse_scenario(_scenario(replay, mappings), f"replay of {mission}")
    except ConfigError as exc:
        replay.not_built.append(f"the model refuses the replay: {exc}")
    return replay


def _decision_of(steps: list[Step], name: str, first: Step) -> Step:
    """The Cabinet decision a contingent was sent under: one that names it, else the first."""
    own = [s for s in steps if s.event == "cabinet_decision" and s.contingent == name]
    return min(own, key=lambda s: s.date) if own else first


def _plans(replay: Replay, first: Step, names: list[str]) -> list[tuple[Step, list[str]]]:
    """The mission's implementation plans: one per Cabinet decision that names a contingent of the
    replay (UNMIT: the police in 2007, the liaison officers in 2010, each under a plan of its own), the
    rest under the first decision.  Each plan is a deployment of the replay, with its own lags."""
    named = sorted(
        (s for s in replay.steps if s.event == "cabinet_decision" and s.contingent in names),
        key=lambda s: s.date,
    )
    later = [s for s in named if s.date > first.date or s.contingent != first.contingent]
    claimed = {s.contingent for s in later}
    plans = [(first, [n for n in names if n not in claimed])]
    if not plans[0][1]:  # every contingent has a decision of its own: the first decision's is the first plan
        plans = []
    plans += [(s, [s.contingent]) for s in later]
    return plans


def _plan(
    replay: Replay,
    ident: str,
    steps: list[Step],
    decision: Step,
    contingents: list[dict[str, Any]],
    ends: dict[str, pd.Timestamp | None],
    starts: dict[str, pd.Timestamp],
) -> dict[str, Any]:
    """One plan of a replay as a deployment, its lags, its scripted steps and its last real date."""
    added = _added_by_amendment(steps, replay.labels, decision)
    first_dispatch = min(starts[c["label"]] for c in contingents if c["label"] not in added)
    for contingent in contingents:
        name = contingent["label"]
        if name in added:  # it goes on its own day, never before the change that adds it
            contingent["dispatch_on"] = _day(max(starts[name], added[name].date))
        elif starts[name] != first_dispatch:
            contingent["dispatch_on"] = _day(starts[name])
    request = _first(steps, "request_received")
    request_day = request.date if request is not None and request.date <= decision.date else decision.date
    procedure: dict[str, Any] = {
        "request_to_decision": (decision.date - request_day).days,
        "report_delay": 0,
        "guidelines_delay": 0,
        "decision_to_dispatch": (first_dispatch - decision.date).days,
    }
    scripted: list[dict[str, Any]] = []
    for step in steps:
        if step.event == "tasks_added" and step.date > decision.date:
            scripted += _tasks_added(replay, ident, step, contingents)
        if step.event == "plan_amended" and step.date > decision.date:
            amended: dict[str, Any] = {"date": _day(step.date), "deployment": ident, "event": "period_extended"}
            if step.period_until is not None:
                amended["until"] = _day(step.period_until)
            else:
                replay.not_built.append(
                    f"amendment of {_day(step.date)}: its new period end is not in the record; the period runs "
                    "on by the replay's extension length"
                )
            scripted.append(amended)
    dated_ends = [end for end in ends.values() if end is not None]
    last_return = max(dated_ends) if dated_ends and len(dated_ends) == len(ends) else None
    termination = _plan_termination(steps, ends)
    if termination is not None:
        scripted.append({"date": _day(termination.date), "deployment": ident, "event": "policy_termination"})
        if last_return is not None and last_return >= termination.date:
            procedure["withdrawal"] = (last_return - termination.date).days
    if termination is None and last_return is not None:
        procedure["withdrawal"] = 0  # the plan ends when its last contingent is home: that is the withdrawal
    for contingent in contingents:
        home = ends[contingent["label"]]
        if home is not None and (termination is None or home < termination.date):
            contingent["returns_on"] = _day(home)
    scripted += [_contingent_added(ident, added[c["label"]], c) for c in contingents if c["label"] in added]
    report = _first(steps, "results_reported")
    if report is not None and last_return is not None and report.date >= last_return:
        procedure["results_report_delay"] = (report.date - last_return).days
    real_dates = [s.date for s in steps] + [s.period_until for s in steps if s.period_until is not None]
    length = _extension_length(steps)
    if decision.period_until is not None:
        period = (decision.period_until - decision.date).days
    else:
        period = length
        which = "" if ident == replay.slug else f"{ident}: "
        replay.not_built.append(
            f"{which}the first plan period's end is not in the record: the model's {length} days, then extended"
        )
    operation = _operation(replay.mission)
    deployment = {
        "id": ident,
        "mission": replay.mission,
        "operation": operation,
        **({"subtype": SUBTYPE} if OperationType(operation) in OPERATIONS_WITH_SUBTYPES else {}),
        "request": _day(request_day),
        "period": max(period, 1),
        "extension": {"until_mission_end": True, "length": length},
        "contingents": [c for c in contingents if c["label"] not in added],
    }
    return {
        "deployment": deployment,
        "procedure": procedure,
        "scripted": scripted,
        "open_ended": last_return is None,  # ongoing, or a return the record does not date
        "last_real_date": max(real_dates),
        "request": request_day,
    }


def _added_by_amendment(steps: list[Step], labels: dict[str, str], decision: Step) -> dict[str, Step]:
    """Contingents of a plan that a dated plan change after its decision adds (``contingent_added``
    rows), by name: they are not in the plan the Cabinet decided, and go after the change."""
    return {
        s.contingent: s
        for s in steps
        if s.event == "contingent_added" and s.contingent in labels and s.date > decision.date
    }


def _contingent_added(ident: str, step: Step, contingent: dict[str, Any]) -> dict[str, Any]:
    """A record's contingent added by a plan change (Art. 6(13)) as a scripted ``contingent_added``."""
    return {"date": _day(step.date), "deployment": ident, "event": "contingent_added", "added": contingent}


_TASK = re.compile(r"\(([a-v])\)")


def _tasks_added(replay: Replay, ident: str, step: Step, contingents: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A record's task change as a scripted ``tasks_added``, when it names the task letter and the
    contingent already in the plan; else the step is said to be not modelled, with the reason."""
    letters = sorted(set(_TASK.findall(step.detail)))
    ours = next((c for c in contingents if c["label"] == step.contingent), None)
    new = [x for x in letters if ours is not None and x not in ours["tasks"]]
    if not new:
        why = ("the record names no task the contingent does not already have" if ours is not None
               else "the record names no task letter for a contingent of the plan")  # fmt: skip
        replay.not_modelled[step] = why
        return []
    return [{"date": _day(step.date), "deployment": ident, "event": "tasks_added",
             "contingent": step.contingent, "tasks": new}]  # fmt: skip


def _scenario(replay: Replay, plans: list[dict[str, Any]]) -> dict[str, Any]:
    """The scenario mapping of a replay: its plans as deployments on the historical calendar.

    The first plan's lags are the scenario's ``procedure``; a later plan (a second Cabinet decision)
    carries its own, every lag given (the model's defaults where the record dates none), so that no
    lag of one plan leaks into another.
    """
    calendar_end = pd.Timestamp(DietCalendar.historical().sessions[-1].closed)
    open_ended = any(p["open_ended"] for p in plans)
    last = max(p["last_real_date"] for p in plans)
    end = calendar_end if open_ended else min(calendar_end, last + pd.Timedelta(days=366))
    deployments = [plans[0]["deployment"]]
    for later in plans[1:]:
        defaults = {name: getattr(Procedure(), name).value for name in ("withdrawal", "results_report_delay")}
        deployments.append({**later["deployment"], "procedure": {**defaults, **later["procedure"]}})
    return {
        "name": f"replay_{replay.slug}",
        "description": f"{replay.mission}: replayed from the record (sim.studies.replay).",
        "start": _day(min(p["request"] for p in plans).replace(day=1)),
        "end": _day(end),
        "seed": 0,
        "replications": 1,
        "procedure": plans[0]["procedure"],
        "diet": {"calendar": {"source": "historical"}},
        "deployments": deployments,
        "scripted": [event for p in plans for event in p["scripted"]],
    }


def _operation(mission: str) -> str:
    """The mission's operation type (Art. 3), as its first row in deployments.csv gives it."""
    rows = load_deployments()
    return str(rows.loc[rows["mission"] == mission, "operation_type"].iloc[0])


def _plan_termination(steps: list[Step], ends: dict[str, pd.Timestamp | None]) -> Step | None:
    """The decision that ended the whole plan: a plan-wide one, or one for the contingent home last."""
    for step in steps:
        if step.event != "termination_decided":
            continue
        if not step.contingent or step.contingent not in ends:
            return step
        own = ends[step.contingent]
        others = [end for name, end in ends.items() if name != step.contingent]
        if own is not None and all(end is not None and end <= own for end in others):
            return step
    return None


COLUMNS = ["step", "contingent", "real_date", "precision", "simulated_date", "days_off", "agreement", "note"]


LOGGED_AS = {
    "size_changed": "plan_amended",
    "tasks_added": "plan_amended",
    "tasks_removed": "plan_amended",
    "contingent_added": "plan_amended",
    "mission_handed_over": "plan_amended",
}
"""The record's words for plan changes that are not of the period, and the event the model logs for them."""


def _simulated(events: pd.DataFrame, step: Step, label: str | None) -> pd.Timestamp | None:
    """The day the replay logged *step*: the logged one nearest the real date, for its contingent."""
    logged = events[events["event"] == LOGGED_AS.get(step.event, step.event)]
    if label is not None and step.event == "dispatch_started":
        detail = logged["detail"].astype(str)
        logged = logged[(detail == "") | detail.str.contains(label, regex=False)]
    if label is not None and step.event == "withdrawal_completed":
        returned = events[(events["event"] == "contingent_returned") & (events["detail"].astype(str) == label)]
        logged = returned if not returned.empty else logged
    if logged.empty:
        return None
    return min(logged["date"], key=lambda d: (abs((d - step.date).days), d))


def _days_off(simulated: pd.Timestamp, step: Step) -> tuple[int | None, str]:
    """Days between the logged and the real step; for a month-only date, none within the month (the
    real day is unknown), else to the nearest day of the month."""
    if step.precision != "month":
        off = (simulated - step.date).days
        return off, "exact" if off == 0 else "off"
    first = step.date.replace(day=1)
    last = first + pd.offsets.MonthEnd(0)
    if first <= simulated <= last:
        return None, "same month"
    return (simulated - first).days if simulated < first else (simulated - last).days, "off"


def _of_plan(replay: Replay, events: pd.DataFrame, step: Step) -> pd.DataFrame:
    """The events of the plan a step belongs to, where the replay has several (else all of them)."""
    if len(set(replay.plan_of.values())) < 2:
        return events
    ident = replay.plan_of.get(step.contingent, replay.slug)
    return events[events["deployment"].astype(str) == ident]


def compare(replay: Replay, events: pd.DataFrame) -> pd.DataFrame:
    """One row per real dated step: the real date, the replay's, and how far apart they are."""
    rows = []
    for step in replay.steps:
        label = replay.labels.get(step.contingent) if step.contingent else None
        simulated = None if step in replay.not_modelled else _simulated(_of_plan(replay, events, step), step, label)
        off, agreement = (None, "not logged") if simulated is None else _days_off(simulated, step)
        if step in replay.not_modelled:
            agreement = "not modelled"
        rows.append(
            {
                "step": step.event,
                "contingent": step.contingent,
                "real_date": step.date,
                "precision": step.precision,
                "simulated_date": simulated,
                "days_off": off,
                "agreement": agreement,
                "note": replay.not_modelled.get(step, ""),
            }
        )
    table = pd.DataFrame(rows, columns=COLUMNS)
    table["real_date"] = pd.to_datetime(table["real_date"])
    table["simulated_date"] = pd.to_datetime(table["simulated_date"])
    table["days_off"] = table["days_off"].astype("Int64")
    return table


@dataclass
class ReplayRun:
    """A built replay, its event log and its comparison with the record."""

    replay: Replay
    events: pd.DataFrame
    table: pd.DataFrame


def run(mission: str) -> ReplayRun:
    """Build *mission*'s replay from the record and run it (one replication: every lag is fixed)."""
    replay = build(mission)
    if replay.scenario is None:
        raise ValueError(f"{mission}: cannot be replayed: " + "; ".join(replay.not_built))
    events = simulate(replay.scenario, replications=1).events
    return ReplayRun(replay, events, compare(replay, events))


def figure(result: ReplayRun) -> Figure:
    """The replay's timeline (:func:`sim.figures.timeline`) with a red mark on each real dated step.

    A filled triangle is a day-precision date, a hollow one the 1st of a month-only date; both sit
    just above the lane of the step's plan, so each can be read against the step the replay logged.
    """
    fig = timeline(result.events)
    ax = fig.axes[0]
    deployments = result.events["deployment"]
    lanes = [str(d) for d in deployments.cat.categories if (deployments == d).any()]
    replay = result.replay
    lane = [lanes.index(replay.plan_of.get(c, replay.slug)) if len(lanes) > 1 else 0
            for c in result.table["contingent"]]  # fmt: skip
    table = result.table.assign(y=[y - 0.42 for y in lane])  # above the lane of the step's own plan
    for precision, face in (("day", "red"), ("month", "none")):
        rows = table[table["precision"] == precision]
        ax.scatter(
            rows["real_date"], rows["y"], marker="v", s=40, facecolors=face, edgecolors="red", zorder=4,
            label=f"real date ({precision})",
        )  # fmt: skip
    ax.legend(loc="upper right", fontsize="small", frameon=False)
    ax.set_title(f"{result.replay.mission}: the replay and the real dates (red)")
    return fig


def write(result: ReplayRun, folder: Path) -> list[Path]:
    """``steps.csv``, ``steps.parquet`` and ``timeline.png`` of one replay under *folder*."""
    folder.mkdir(parents=True, exist_ok=True)
    csv, parquet, png = folder / "steps.csv", folder / "steps.parquet", folder / "timeline.png"
    result.table.to_csv(csv, index=False, date_format="%Y-%m-%d")
    result.table.to_parquet(parquet, index=False)
    fig = figure(result)
    fig.savefig(png, dpi=120)
    plt.close(fig)
    return [csv, parquet, png]


SUMMARY_COLUMNS = [
    "mission", "built", "steps", "exact", "same_month", "off", "not_logged", "not_modelled", "max_days_off",
    "not_built",
]  # fmt: skip


def summary_row(mission: str, result: ReplayRun | None, replay: Replay) -> dict[str, Any]:
    """One mission's line of the summary: counts of agreement, and what could not be built and why."""
    row: dict[str, Any] = {"mission": mission, "built": result is not None, "not_built": "; ".join(replay.not_built)}
    if result is None:
        return {**row, "steps": len(replay.steps)}
    agreement = result.table["agreement"]
    off = result.table["days_off"].abs()
    return {
        **row,
        "steps": len(result.table),
        "exact": int((agreement == "exact").sum()),
        "same_month": int((agreement == "same month").sum()),
        "off": int((agreement == "off").sum()),
        "not_logged": int((agreement == "not logged").sum()),
        "not_modelled": int((agreement == "not modelled").sum()),
        "max_days_off": None if off.dropna().empty else int(off.max()),
    }


def replay_all(out: Path) -> pd.DataFrame:
    """Every mission of the record: each one built is run and written; ``summary.csv`` lists them all."""
    rows = []
    for mission in missions():
        replay = build(mission)
        result = None
        if replay.scenario is not None:
            events = simulate(replay.scenario, replications=1).events
            result = ReplayRun(replay, events, compare(replay, events))
            write(result, out / replay.slug)
        rows.append(summary_row(mission, result, replay))
    table = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    for column in ("steps", "exact", "same_month", "off", "not_logged", "not_modelled", "max_days_off"):
        table[column] = table[column].astype("Int64")
    out.mkdir(parents=True, exist_ok=True)
    table.to_csv(out / "summary.csv", index=False)
    return table
