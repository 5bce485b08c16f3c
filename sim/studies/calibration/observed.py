"""The observations the calibration fits, read from Japan's real deployments.

Why: the fits (:mod:`sim.studies.calibration.fits`) need tidy tables, one row per observation, each row in
its data group (operation type and the model's contingent kind, :func:`model_kind`).  This module
turns the shipped record (:func:`sim.record.load_deployments`, :func:`sim.record.load_plan_events`)
into those tables: lags, durations (ongoing ones censored at :data:`AS_OF`), plan periods and
extension lengths (:func:`observations`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from sim import record
from sim.law import ContingentKind

AS_OF = pd.Timestamp("2025-11-07")
"""Ongoing deployments are censored here: the date of the latest dated source in the data (the MFO
plan amendment of 2025-11-07), the last day the record is known to be complete."""

INDIVIDUAL_KINDS: Mapping[str, ContingentKind] = {
    "staff_officers": ContingentKind.SDF_PERSONNEL,
    "ceasefire_observers": ContingentKind.SDF_PERSONNEL,
    "civilian_police": ContingentKind.OFFICIALS,
    "election_observers": ContingentKind.RECRUITED,
}
"""The model's kind of each data contingent that is not an SDF unit (see :func:`model_kind`)."""

Group = tuple[str, str]
"""A data group: (operation type, the model's contingent kind)."""


def group_label(group: Group) -> str:
    """A data group as text: ``operation/kind``."""
    return f"{group[0]}/{group[1]}"


PLAN_EVENTS_WITH_PERIOD = ("cabinet_decision", "plan_amended")


def model_kind(contingent: str, sdf_unit: bool) -> str:
    """The model's contingent kind (:class:`sim.law.ContingentKind`) of a data contingent.

    An SDF unit is ``sdf_unit`` (Art. 6(6)) whatever its trade.  Staff officers, ceasefire observers
    and military liaison officers are individual SDF personnel (Art. 13(1)).  Civilian police are
    officials of administrative organs other than the SDF (Art. 13(1)).  Election observer teams
    were mixed: private citizens recruited for the term (Art. 12(1)), the majority wherever the
    notes give the split (Nepal 2008: 18 of 24), with national and local government officials who
    travelled with them on the same dates; the team is coded ``recruited``.  A new contingent in the
    data must be mapped here before it can be calibrated: an error, not a guess.
    """
    if sdf_unit:
        return ContingentKind.SDF_UNIT.value
    try:
        return INDIVIDUAL_KINDS[contingent].value
    except KeyError:
        raise ValueError(
            f"no model contingent kind for data contingent {contingent!r}: add it to INDIVIDUAL_KINDS"
        ) from None


def _grouped(deployments: pd.DataFrame) -> pd.DataFrame:
    """The deployments table with its data group: ``operation`` and the model's ``kind``."""
    kinds = [
        model_kind(c, bool(u))
        for c, u in zip(deployments["contingent"].astype(str), deployments["sdf_unit"], strict=True)
    ]
    return deployments.assign(operation=deployments["operation_type"].astype(str), kind=kinds)


def _approximate(frame: pd.DataFrame, *dates: str) -> pd.Series:
    """True where any of the date columns is month-precision or carries the sources' ``?``."""
    flags = [(frame[f"{d}_precision"] == "month") | frame[f"{d}_uncertain"] for d in dates]
    return pd.concat(flags, axis=1).any(axis=1)


def lag_observations(deployments: pd.DataFrame) -> pd.DataFrame:
    """Days from each Cabinet decision to its first departure: ``procedure.decision_to_dispatch``.

    One row per decision (mission and decision date), taken from its earliest-leaving contingent,
    because the model's lag ends at the deployment's first dispatch.  Only pairs of day-precision
    dates count (``days_decision_to_start``): at month precision the error is as large as the lag.
    Columns: mission, contingent, operation, kind, decision_date, dispatch_date, days, approximate.
    """
    rows = _grouped(deployments).dropna(subset=["days_decision_to_start"])
    rows = rows.sort_values(["mission", "cabinet_decision_date", "start"], kind="stable")
    first = rows.drop_duplicates(["mission", "cabinet_decision_date"])
    frame = pd.DataFrame(
        {
            "mission": first["mission"].astype(str),
            "contingent": first["contingent"].astype(str),
            "operation": first["operation"],
            "kind": first["kind"],
            "decision_date": first["cabinet_decision_date"],
            "dispatch_date": first["start"],
            "days": first["days_decision_to_start"].astype(float),
            "approximate": first["cabinet_decision_date_uncertain"] | first["start_uncertain"],
        }
    )
    return frame.reset_index(drop=True)


def _month_end(dates: pd.Series, precision: pd.Series) -> pd.Series:
    """The last day a date can be: its month's last day at month precision, else the date itself."""
    return dates.where(precision != "month", dates + pd.offsets.MonthEnd(0))


def interval_days(
    start: pd.Series, start_precision: pd.Series, end: pd.Series, end_precision: pd.Series
) -> tuple[pd.Series, pd.Series]:
    """The shortest and longest span from ``start`` to ``end`` that their precision allows, in days.

    A month-precision date (read as the 1st) can be any day of its month, so the span is an interval:
    from the start month's last day to the end month's first, to the start month's first day to the
    end month's last (never below 0).  Between day-precision dates both bounds are the span itself.
    """
    low = (end - _month_end(start, start_precision)).dt.days.clip(lower=0).astype(float)
    high = (_month_end(end, end_precision) - start).dt.days.astype(float)
    return low, high


HANDED_OVER = re.compile(r"handed over to (?P<successor>[^\s:;,]+)")
"""How a ``mission_handed_over`` row of the record names the successor mission."""


def handovers(plan_events: pd.DataFrame, deployments: pd.DataFrame) -> dict[str, str]:
    """Each mission handed over to a successor within the same plan: predecessor -> successor.

    The record says it with a ``mission_handed_over`` step whose detail names the successor
    ("mission handed over to UNMISET at independence"): UNTAET's engineers and HQ staff went on
    under UNMISET in one plan, so the hand-over is not an end.  A successor the deployments table
    does not have is an error, not a guess.
    """
    found: dict[str, str] = {}
    steps = plan_events[plan_events["event"] == "mission_handed_over"]
    if steps.empty:
        return found
    missions = set(deployments["mission"].astype(str))
    for mission, detail in steps[["mission", "detail"]].values:
        named = HANDED_OVER.search(str(detail))
        if named is None or named["successor"] not in missions:
            raise ValueError(
                f"mission_handed_over of {mission!r}: the detail must name the successor mission "
                f"('handed over to <mission>'), got {detail!r}"
            )
        found[str(mission)] = named["successor"]
    return found


def _join_handovers(rows: pd.DataFrame, handed: Mapping[str, str]) -> pd.DataFrame:
    """A contingent that went on under the successor mission is one row: the successor's, from its first start.

    Its mission reads ``UNTAET -> UNMISET``.  A contingent the successor does not have keeps its own row.
    """
    rows = rows.copy()
    keep = pd.Series(True, index=rows.index)
    for before, after in handed.items():
        for i in rows.index[rows["mission"].astype(str) == before]:
            same = rows["contingent"] == rows.at[i, "contingent"]
            later = rows.index[(rows["mission"].astype(str) == after) & same]
            if len(later) == 0:
                continue
            j = later[0]
            for column in ("start", "start_precision", "start_uncertain"):
                rows.at[j, column] = rows.at[i, column]
            rows.at[j, "mission"] = f"{before} -> {after}"
            keep[i] = False
    return rows[keep]


def duration_observations(
    deployments: pd.DataFrame, as_of: pd.Timestamp = AS_OF, plan_events: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Days from first departure to last return of every contingent, ongoing ones censored at ``as_of``.

    A contingent that went on under a successor mission in the same plan (``mission_handed_over`` in
    ``plan_events``, see :func:`handovers`) is one duration, from its first departure under the
    first mission to its last return under the last.
    A month-precision date is the 1st of its month (the loader's reading), so a contingent that left
    and returned in the same month shows 0 days; ``low`` and ``high`` give the shortest and longest
    span the dates allow (:func:`interval_days`; ``high`` is +inf for an ongoing contingent), and the
    fits read such a duration as the interval it is.
    Columns: mission, contingent, operation, kind, start, end, days, low, high, censored, approximate.
    """
    rows = _grouped(deployments)
    if plan_events is not None:
        rows = _join_handovers(rows, handovers(plan_events, deployments))
    ongoing = rows["ongoing"].astype(bool)
    if (rows.loc[ongoing, "start"] > as_of).any():
        raise ValueError(f"an ongoing deployment starts after the censoring date {as_of.date()}")
    end = rows["end"].mask(ongoing, as_of)
    end_precision = rows["end_precision"].astype(str).mask(ongoing, "day")
    low, high = interval_days(rows["start"], rows["start_precision"].astype(str), end, end_precision)
    days = (end - rows["start"]).dt.days.astype(float)
    frame = pd.DataFrame(
        {
            "mission": rows["mission"].astype(str),
            "contingent": rows["contingent"].astype(str),
            "operation": rows["operation"],
            "kind": rows["kind"],
            "start": rows["start"],
            "end": end,
            "days": days,
            "low": low.where(~ongoing, days),
            "high": high.mask(ongoing, np.inf),
            "censored": ongoing,
            "approximate": _approximate(rows, "start", "end"),
        }
    )
    return frame.dropna(subset=["days"]).reset_index(drop=True)


def _plan_events_grouped(plan_events: pd.DataFrame, deployments: pd.DataFrame) -> pd.DataFrame:
    """The plan events with the data group of the contingent they concern.

    A step of the whole plan (empty ``contingent``) belongs to the mission's lead contingent: its SDF
    unit if it had one (units number hundreds, individuals a handful; some unit rows give only a
    ceiling, so size alone cannot rank them), else its largest contingent.
    """
    rows = _grouped(deployments)
    own = {(m, c): (o, k) for m, c, o, k in rows[["mission", "contingent", "operation", "kind"]].astype(str).values}
    ranked = rows.assign(size=rows["personnel_per_rotation"].fillna(0))
    ranked = ranked.sort_values(["sdf_unit", "size"], ascending=False, kind="stable").drop_duplicates("mission")
    lead = {m: (o, k) for m, o, k in ranked[["mission", "operation", "kind"]].astype(str).values}
    groups = []
    for mission, contingent in zip(
        plan_events["mission"].astype(str), plan_events["contingent"].astype(str), strict=True
    ):
        group = own.get((mission, contingent)) if contingent else lead.get(mission)
        if group is None:
            raise ValueError(f"plan event of {mission!r} {contingent!r} matches no row of the deployments table")
        groups.append(group)
    operation, kind = zip(*groups, strict=True) if groups else ((), ())
    return plan_events.assign(operation=list(operation), kind=list(kind))


def plan_period_observations(plan_events: pd.DataFrame, deployments: pd.DataFrame) -> pd.DataFrame:
    """Initial plan periods: a Cabinet decision's ``period_until`` minus its date, in days.

    The model's ``period`` runs from the Cabinet decision (Art. 6(2)(ii)(b)), so the decision date,
    not the first day of the plan period, is the start.
    Columns: mission, contingent, operation, kind, decision_date, period_until, days, approximate.
    """
    events = _plan_events_grouped(plan_events, deployments)
    rows = events[(events["event"] == "cabinet_decision") & events["period_until"].notna()]
    frame = pd.DataFrame(
        {
            "mission": rows["mission"].astype(str),
            "contingent": rows["contingent"].astype(str),
            "operation": rows["operation"],
            "kind": rows["kind"],
            "decision_date": rows["date"],
            "period_until": rows["period_until"],
            "days": (rows["period_until"] - rows["date"]).dt.days.astype(float),
            "approximate": _approximate(rows, "date", "period_until"),
        }
    )
    return frame.reset_index(drop=True)


def extension_observations(plan_events: pd.DataFrame, deployments: pd.DataFrame) -> pd.DataFrame:
    """Extension lengths: each plan amendment's new period end minus the end it extended.

    The periods of one plan (mission and contingent) are chained in date order.  When the previous
    known end had not yet passed on the amendment's date, the amendment extended that very period
    and its length is the difference of the two ends (``measured_from == "previous_end"``).  When
    the previous end is unknown, or passed long before (the extensions in between are missing from
    the sources), the length is the new end minus the amendment's date (``"decision"``): an
    overestimate by the days the old period still had to run, typically one to four weeks.
    Amendments that give no new end are left out.

    The same rows give ``procedure.extension_lead``: an amendment measured from the previous end
    was decided ``lead_days = previous_until - decision_date`` days before the period it extended ran
    out.  Elsewhere ``lead_days`` is NaN: with the previous end unknown or long passed, how early
    the decision came is unknown.  ``lead_approximate`` flags a lead whose amendment date or
    previous end is month-precision or marked ``?`` (a derived end, as the MFO's first 2019-11-30?);
    ``approximate`` flags the length, which also rests on the new end.
    Columns: mission, contingent, operation, kind, decision_date, previous_until, period_until, days,
    measured_from, approximate, lead_days, lead_approximate.
    """
    events = _plan_events_grouped(plan_events, deployments)
    known = events[events["event"].isin(PLAN_EVENTS_WITH_PERIOD) & events["period_until"].notna()]
    known = known.sort_values(["mission", "contingent", "date"], kind="stable")
    chain = known.groupby(["mission", "contingent"], sort=False)
    previous = chain["period_until"].shift()
    previous_uncertain = chain["period_until_uncertain"].shift(fill_value=False).astype(bool)
    extends_previous = previous.notna() & (previous >= known["date"])
    start = previous.where(extends_previous, known["date"])
    frame = pd.DataFrame(
        {
            "mission": known["mission"].astype(str),
            "contingent": known["contingent"].astype(str),
            "operation": known["operation"],
            "kind": known["kind"],
            "decision_date": known["date"],
            "previous_until": previous.where(extends_previous),
            "period_until": known["period_until"],
            "days": (known["period_until"] - start).dt.days.astype(float),
            "measured_from": np.where(extends_previous, "previous_end", "decision"),
            "approximate": _approximate(known, "date", "period_until") | (extends_previous & previous_uncertain),
            "lead_days": (previous - known["date"]).dt.days.astype(float).where(extends_previous),
            "lead_approximate": extends_previous & (_approximate(known, "date") | previous_uncertain),
        }
    )
    return frame[known["event"] == "plan_amended"].reset_index(drop=True)


def recorded_extensions(durations: pd.DataFrame, plan_events: pd.DataFrame) -> pd.Series:
    """Plan amendments on record for each contingent: its own and its whole plan's (an empty ``contingent``).

    A lower bound on its extensions: the sources miss most amendments, but those they give happened.
    A contingent that went on under a successor mission (``UNTAET -> UNMISET``) counts those of both.
    """
    amended = plan_events[plan_events["event"] == "plan_amended"]
    own = amended.groupby(["mission", "contingent"]).size()
    whole = amended[amended["contingent"] == ""].groupby("mission").size()
    pairs = zip(durations["mission"], durations["contingent"], strict=True)
    counts = [sum(own.get((m, c), 0) + whole.get(m, 0) for m in joined.split(" -> ")) for joined, c in pairs]
    return pd.Series(counts, index=durations.index, dtype=int)


def request_observations(plan_events: pd.DataFrame) -> pd.DataFrame:
    """Days from each formal request to the Cabinet decision that answered it: ``procedure.request_to_decision``.

    One row per request (``request_received``), paired with the mission's first ``cabinet_decision``
    on or after it; day-precision pairs only, as for the decision-to-dispatch lag.
    Columns: mission, request_date, decision_date, days, approximate.
    """
    events = plan_events[plan_events["date_precision"] == "day"]
    decisions = events[events["event"] == "cabinet_decision"].sort_values("date", kind="stable")
    rows = []
    for _, request in events[events["event"] == "request_received"].iterrows():
        answers = decisions[(decisions["mission"] == request["mission"]) & (decisions["date"] >= request["date"])]
        if answers.empty:
            continue
        decision = answers.iloc[0]
        rows.append(
            {
                "mission": str(request["mission"]),
                "request_date": request["date"],
                "decision_date": decision["date"],
                "days": float((decision["date"] - request["date"]).days),
                "approximate": bool(request["date_uncertain"] or decision["date_uncertain"]),
            }
        )
    columns = ["mission", "request_date", "decision_date", "days", "approximate"]
    return pd.DataFrame(rows, columns=columns)


def withdrawal_observations(plan_events: pd.DataFrame) -> pd.DataFrame:
    """Days from each termination decision to the last return it ended: ``procedure.withdrawal``.

    A ``termination_decided`` of the whole plan (empty ``contingent``) ends at the mission's last
    ``withdrawal_completed`` after it; one of a contingent at that contingent's.  Month-precision
    dates make the span an interval (``low``, ``high``, :func:`interval_days`).  An announcement that
    the end is being prepared (``end_announced``, MINUSTAH's of 2012-07-17) is not the decision, so
    it is not a withdrawal's start.
    Columns: mission, contingent, decided, returned, days, low, high, approximate.
    """
    returns = plan_events[plan_events["event"] == "withdrawal_completed"]
    rows = []
    for _, decided in plan_events[plan_events["event"] == "termination_decided"].iterrows():
        mine = returns[(returns["mission"] == decided["mission"]) & (returns["date"] >= decided["date"])]
        if decided["contingent"]:
            mine = mine[mine["contingent"] == decided["contingent"]]
        if mine.empty:
            continue
        last = mine.sort_values("date", kind="stable").iloc[-1]
        rows.append(
            {
                "mission": str(decided["mission"]),
                "contingent": str(decided["contingent"]),
                "decided": decided["date"],
                "decided_precision": str(decided["date_precision"]),
                "returned": last["date"],
                "returned_precision": str(last["date_precision"]),
                "approximate": bool(
                    decided["date_uncertain"]
                    or last["date_uncertain"]
                    or "month" in (decided["date_precision"], last["date_precision"])
                ),
            }
        )
    columns = ["mission", "contingent", "decided", "decided_precision", "returned", "returned_precision", "approximate"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["decided"] = pd.to_datetime(frame["decided"])
    frame["returned"] = pd.to_datetime(frame["returned"])
    low, high = interval_days(
        frame["decided"], frame["decided_precision"], frame["returned"], frame["returned_precision"]
    )
    frame = frame.assign(days=(frame["returned"] - frame["decided"]).dt.days.astype(float), low=low, high=high)
    return frame[["mission", "contingent", "decided", "returned", "days", "low", "high", "approximate"]]


@dataclass(frozen=True)
class Observations:
    """The tidy tables the fits rest on, one row per observation (see each function for columns)."""

    lags: pd.DataFrame
    durations: pd.DataFrame
    periods: pd.DataFrame
    extensions: pd.DataFrame
    requests: pd.DataFrame
    withdrawals: pd.DataFrame


def observations(
    deployments: pd.DataFrame | None = None, plan_events: pd.DataFrame | None = None, as_of: pd.Timestamp = AS_OF
) -> Observations:
    """Every observation the calibration uses, from the shipped data unless tables are given.

    Passing tables (with the columns of :func:`sim.record.load_deployments` and
    :func:`sim.record.load_plan_events`) is how the tests calibrate synthetic records.
    """
    deployments = record.load_deployments() if deployments is None else deployments
    plan_events = record.load_plan_events() if plan_events is None else plan_events
    durations = duration_observations(deployments, as_of, plan_events)
    return Observations(
        lags=lag_observations(deployments),
        durations=durations.assign(recorded_extensions=recorded_extensions(durations, plan_events)),
        periods=plan_period_observations(plan_events, deployments),
        extensions=extension_observations(plan_events, deployments),
        requests=request_observations(plan_events),
        withdrawals=withdrawal_observations(plan_events),
    )
