"""Japan's real deployments under the International Peace Cooperation Act, as a typed table.

What the table is
-----------------
:func:`load_deployments` reads ``sim/data/deployments.csv``: the 42 personnel assignments Japan has
made under Act No. 79 of 1992, from UNAVEM II (Angola, 1992) to the Sinai MFO (2019-, ongoing).  A
row is one contingent type of one assignment (the UNTAC engineering battalion, the UNTAC ceasefire
observers, ...), covering all its rotations.  UN peacekeeping, humanitarian relief, election
monitoring and internationally coordinated operations are included; liaison and coordination
personnel and material cooperation (goods without personnel) are not.

Sources
-------
Every row carries the URLs it rests on (``source_urls``): the Ministry of Foreign Affairs' master
record of assignments, the Cabinet Office's per-assignment pages (cao.go.jp / pko.go.jp), Ministry
of Defense releases and Defence White Papers, and a few press items.  ``sim/data/deployments_NOTES.md``
explains each row, lists the conflicts between sources and the gaps (for instance the MOFA master
list was seen only up to MINUSTAH, and many cabinet decision dates were not found).

Uncertain values are flagged, not dropped
-----------------------------------------
The compiler marked a value that is uncertain or derived with a trailing ``?``; some dates are known
to the month only; personnel is free text ("8 x 2 (16 SDF personnel in total)", "approx. 210 (1st);
plan ceiling 330 ...").  The loader keeps every such value and says how firm it is in a companion
column (``*_uncertain``, ``*_precision``, ``duration_approximate``) instead of discarding it.  Dropping
would bias the table towards the best-documented deployments (early UN missions with full dates) and
hide the fact that a figure exists at all; a flag lets each analysis decide, for example to fit lags
only on ``days_decision_to_start`` (which needs two day-precision dates) or to exclude uncertain
personnel counts.  The original personnel text is kept unchanged in ``personnel_text``.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

import pandas as pd

_PRECISION = pd.CategoricalDtype(["day", "month", ""])
_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTH = re.compile(r"\d{4}-\d{2}")
_BOOLEANS = {"true": True, "false": False}
_URL_SEPARATOR = " | "

_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}\b)")
_NOTE = re.compile(r"\([^()]*\)")
_TERM_SEPARATOR = re.compile(r"\s*[+,]\s*")
_TERM = re.compile(r"(?:approx\.\s*)?(\d+)(?:\s*x\s*(\d+))?(?:\s+[a-z][a-z -]*)?", re.IGNORECASE)
_CEILING = re.compile(r"\b(?:ceiling|up to)\b", re.IGNORECASE)
_CEILING_COUNT = re.compile(r"(?:up to|ceiling)\s*(\d+)|(\d+)\s*ceiling", re.IGNORECASE)
_LEADING_COUNT = re.compile(r"(?:approx\.\s*)?(\d+)")
_UNCERTAIN_MARKERS = ("?", "approx", "約", "/")


@dataclass(frozen=True)
class _Date:
    """One parsed date cell."""

    value: pd.Timestamp
    precision: str
    uncertain: bool
    ongoing: bool


@dataclass(frozen=True)
class _Personnel:
    """What could be read from one personnel cell."""

    per_rotation: int | None
    total: int | None
    uncertain: bool
    ceiling: int | None = None


def _split_flag(text: str) -> tuple[str, bool]:
    """Split the compiler's trailing ``?`` (an uncertain or derived value) off *text*."""
    text = text.strip()
    if text.endswith("?"):
        return text[:-1].rstrip(), True
    return text, False


def _parse_date(text: str) -> _Date:
    """Read ``YYYY-MM-DD``, ``YYYY-MM`` (as the 1st of the month), ``ongoing`` or blank, each maybe with ``?``."""
    value, uncertain = _split_flag(text)
    if value in ("", "ongoing"):
        return _Date(pd.NaT, "", uncertain, value == "ongoing")
    if _DAY.fullmatch(value):
        return _Date(pd.Timestamp(value), "day", uncertain, False)
    if _MONTH.fullmatch(value):
        return _Date(pd.Timestamp(f"{value}-01"), "month", uncertain, False)
    raise ValueError(f"deployments.csv: unreadable date {text!r} (expected YYYY-MM-DD, YYYY-MM, 'ongoing' or blank)")


def _normalise_personnel(text: str) -> str:
    """Personnel text in one spelling: ``x`` for ``×``, no ``人``, ``approx.`` for ``約``, no notes in brackets."""
    text = text.replace("×", " x ").replace("人", "").replace("約", "approx. ")
    text = _THOUSANDS.sub("", text)
    text = _NOTE.sub("", text)
    return " ".join(text.split())


def _read_term(term: str) -> tuple[int, int] | None:
    """``(size, contingents)`` from "600 x 2", "approx. 210" or "98 airlift unit".

    None for what is not a headcount: a ceiling ("up to 350", "40 ceiling"), a range ("20-23") or ``?``.
    """
    match = None if _CEILING.search(term) else _TERM.fullmatch(term)
    if match is None:
        return None
    return int(match[1]), int(match[2] or 1)


def _combine_terms(headcount: str, rotations: int | None) -> tuple[int | None, int | None]:
    """Per-rotation size and total from the headcount clause.

    In a single-rotation row, terms joined by ``+`` are parts of one contingent and add up.
    Otherwise they are successive contingents: the last one gives the per-rotation size, their sum
    the total.  A lone count (no ``x``, no ``+``) in a row with several or unknown rotations is the
    size of one contingent, not a total.  A term dropped as a note ("(680 continued from UNTAET) +
    ...") leaves its ``+`` behind, so what follows still reads as the later contingents.
    """
    pieces = _TERM_SEPARATOR.split(headcount.strip())
    terms = [_read_term(piece.strip()) for piece in pieces if piece.strip()]
    if not terms:
        return None, None
    readable = all(term is not None for term in terms)
    summed = sum(size * times for size, times in terms) if readable else None
    if rotations == 1:
        return summed, summed
    last = terms[-1]
    per_rotation = last[0] if last is not None else None
    is_lone_count = len(pieces) == 1 and last is not None and last[1] == 1
    return per_rotation, None if is_lone_count else summed


def _stated_cumulative(clauses: list[str]) -> int | None:
    """The largest count in a "cumulative N / M ..." clause (cumulative counts only grow), if there is one."""
    counts = [
        int(match[1])
        for clause in clauses
        if clause.startswith("cumulative")
        for alternative in clause.removeprefix("cumulative").split("/")
        if (match := _LEADING_COUNT.match(alternative.strip()))
    ]
    return max(counts, default=None)


def _parse_personnel(text: str, rotations: int | None) -> _Personnel:
    """Read the per-rotation size and the total from a free-text personnel cell.

    The headcount is the first ``;``-separated clause, and its first ``/``-separated alternative;
    notes in brackets are ignored.  A stated cumulative figure, when there is one, is the total.
    """
    clauses = [clause.strip() for clause in _normalise_personnel(text).split(";")]
    per_rotation, total = _combine_terms(clauses[0].split("/")[0], rotations)
    cumulative = _stated_cumulative(clauses)
    uncertain = any(marker in text.lower() for marker in _UNCERTAIN_MARKERS)
    ceiling = _CEILING_COUNT.search(text)
    size = None if ceiling is None else int(ceiling[1] or ceiling[2])
    return _Personnel(per_rotation, cumulative if cumulative is not None else total, uncertain, size)


def _parse_bool(text: str) -> bool:
    """``true`` or ``false``, as written in the CSV."""
    try:
        return _BOOLEANS[text.strip().lower()]
    except KeyError:
        raise ValueError(f"deployments.csv: expected true or false, got {text!r}") from None


def _date_columns(name: str, cells: pd.Series) -> dict[str, pd.Series]:
    """The datetime, ``_precision`` and ``_uncertain`` columns for the date column *name*."""
    dates = [_parse_date(cell) for cell in cells]
    return {
        name: pd.Series(pd.to_datetime([d.value for d in dates]), index=cells.index),
        f"{name}_precision": pd.Series([d.precision for d in dates], index=cells.index, dtype=_PRECISION),
        f"{name}_uncertain": pd.Series([d.uncertain for d in dates], index=cells.index, dtype=bool),
    }


def _days_between(
    first: pd.Series, last: pd.Series, first_precision: pd.Series, last_precision: pd.Series, precisions: set[str]
) -> pd.Series:
    """``last - first`` in days where both dates have a precision in *precisions*, else <NA>."""
    known = first_precision.isin(precisions) & last_precision.isin(precisions)
    return (last - first).dt.days.astype("Float64").where(known)


def _build_table(raw: pd.DataFrame) -> pd.DataFrame:
    """The typed table from the CSV read as strings."""
    operation = [_split_flag(cell) for cell in raw["operation_type"]]
    rotation = [_split_flag(cell) for cell in raw["rotations"]]
    rotations = pd.array([int(value) if value else None for value, _ in rotation], dtype="Int64")
    personnel = [
        _parse_personnel(text, None if pd.isna(count) else int(count))
        for text, count in zip(raw["personnel"], rotations, strict=True)
    ]
    end = [_parse_date(cell) for cell in raw["end"]]
    columns: dict[str, pd.Series | list] = {
        "mission": raw["mission"].astype("string"),
        "host_country": raw["host_country"].astype("string"),
        "operation_type": pd.Categorical([value for value, _ in operation]),
        "operation_type_uncertain": [flag for _, flag in operation],
        "contingent": pd.Categorical(raw["contingent"]),
        "sdf_unit": [_parse_bool(cell) for cell in raw["sdf_unit"]],
        **_date_columns("cabinet_decision_date", raw["cabinet_decision_date"]),
        **_date_columns("start", raw["start"]),
        **_date_columns("end", raw["end"]),
        "ongoing": [d.ongoing for d in end],
        "personnel_text": raw["personnel"].astype("string"),
        "personnel_per_rotation": pd.array([p.per_rotation for p in personnel], dtype="Int64"),
        "personnel_total": pd.array([p.total for p in personnel], dtype="Int64"),
        "personnel_uncertain": [p.uncertain for p in personnel],
        "personnel_ceiling": pd.array([p.ceiling for p in personnel], dtype="Int64"),
        "rotations": rotations,
        "rotations_uncertain": [flag for _, flag in rotation],
        "end_reason": raw["end_reason"].astype("string"),
        "source_urls": [cell.split(_URL_SEPARATOR) for cell in raw["source_url"]],
    }
    table = pd.DataFrame(columns, index=raw.index)
    table["days_decision_to_start"] = _days_between(
        table["cabinet_decision_date"],
        table["start"],
        table["cabinet_decision_date_precision"],
        table["start_precision"],
        {"day"},
    )
    table["days_deployed"] = _days_between(
        table["start"], table["end"], table["start_precision"], table["end_precision"], {"day", "month"}
    )
    approximate = (table["start_precision"] == "month") | (table["end_precision"] == "month")
    approximate |= table["start_uncertain"] | table["end_uncertain"]
    table["duration_approximate"] = table["days_deployed"].notna().to_numpy(dtype=bool) & approximate
    return table


def _fresh(table: pd.DataFrame, lists: str) -> pd.DataFrame:
    """A deep copy of a cached table, its column of lists copied too, so a caller cannot change the cache."""
    copy = table.copy(deep=True)
    copy[lists] = pd.Series([list(items) for items in copy[lists]], index=copy.index, dtype=object)
    return copy


@functools.cache
def _cached_table() -> pd.DataFrame:
    """The table, parsed once per process."""
    with resources.files("sim.data").joinpath("deployments.csv").open(encoding="utf-8", newline="") as handle:
        raw = pd.read_csv(handle, dtype=str, keep_default_na=False)
    return _build_table(raw)


def load_deployments() -> pd.DataFrame:
    """Japan's deployments under the Act, one row per row of ``sim/data/deployments.csv`` (42 rows).

    Each call returns a fresh copy (the URL lists included), so changing it cannot affect later calls.

    Columns
    -------
    mission : string
        The mission or relief operation ("UNTAC", "MFO (Multinational Force and Observers)", ...).
    host_country : string
        Where the contingent served, as written in the sources.
    operation_type : category
        ``un_pko``, ``humanitarian_relief``, ``election_monitoring`` or ``internationally_coordinated``,
        with the compiler's ``?`` removed.
    operation_type_uncertain : bool
        The classification carried ``?`` (three election dispatches that may count as UN PKO cooperation).
    contingent : category
        The kind of contingent: ``sdf_engineering_unit``, ``staff_officers``, ``election_observers``, ...
    sdf_unit : bool
        Whether the contingent is an SDF unit (the Art. 6(7) question), as opposed to individuals.
    cabinet_decision_date, start, end : datetime64
        Cabinet decision on the implementation plan, first departure or start of duty, and return or end
        of duty.  NaT when blank (not found) or ``ongoing``; a month-only date is the 1st of that month.
    cabinet_decision_date_precision, start_precision, end_precision : category
        ``"day"``, ``"month"``, or ``""`` when the date is missing.
    cabinet_decision_date_uncertain, start_uncertain, end_uncertain : bool
        The date carried ``?`` (uncertain or derived); the date itself is kept.
    ongoing : bool
        ``end`` reads "ongoing": the assignment continued in the latest source seen.
    personnel_text : string
        The personnel cell exactly as in the CSV.
    personnel_per_rotation : Int64
        Persons in one contingent: the latest size in a formula ("43 x 33 + 44 x 1" -> 44), the first
        stated count in prose ("approx. 210 (1st); ..." -> 210), the sum of the parts of a single
        contingent ("98 airlift unit + 6 operations support" -> 104).  <NA> when the headcount is only a
        ceiling ("up to 350", "40 ceiling") or a range.
    personnel_total : Int64
        Persons dispatched over all rotations (a person sent twice counts twice): a stated cumulative
        figure (the largest, if several), else the sum of the formula ("8 x 2" -> 16).  <NA> when neither
        can be read, including a lone count in a row whose rotations are several or unknown.  Contingents
        carried over from an earlier mission ("(680 continued from UNTAET) + ...") are not counted again.
        For an ongoing row the total is as of the latest source seen.
    personnel_uncertain : bool
        The text contains ``?``, "approx", "約" or alternatives separated by ``/``.
    personnel_ceiling : Int64
        The plan's ceiling on the contingent's size, where the text states one ("up to 350",
        "40 ceiling", "plan ceiling 330"): the implementation plan's own figure (Art. 6(2)(ii)).
    rotations : Int64
        Number of contingents sent in turn, ``?`` removed; <NA> if not stated.
    rotations_uncertain : bool
        The rotation count carried ``?`` (derived rather than read).
    end_reason : string
        Why the assignment ended, as summarised from the sources; empty when none was recorded.
    source_urls : object (list of str)
        The sources for the row, in the order given.
    days_decision_to_start : Float64
        ``start - cabinet_decision_date`` in days when both are day-precision, else <NA>.
    days_deployed : Float64
        ``end - start`` in days when both dates are known (month-only dates taken as the 1st), else <NA>.
    duration_approximate : bool
        ``days_deployed`` rests on a month-only or uncertain date.
    """
    return _fresh(_cached_table(), "source_urls")


_PLAN_EVENTS = pd.CategoricalDtype(
    [
        "request_received",
        "cabinet_decision",
        "dispatch_started",
        "plan_amended",
        "size_changed",
        "tasks_added",
        "tasks_removed",
        "contingent_added",
        "mission_handed_over",
        "end_announced",
        "termination_decided",
        "withdrawal_completed",
        "results_reported",
    ]
)


@functools.cache
def _cached_plan_events() -> pd.DataFrame:
    with resources.files("sim.data").joinpath("plan_events.csv").open(encoding="utf-8", newline="") as handle:
        raw = pd.read_csv(handle, dtype=str, keep_default_na=False)
    unknown = sorted(set(raw["event"]) - set(_PLAN_EVENTS.categories))
    if unknown:
        expected = list(_PLAN_EVENTS.categories)
        raise ValueError(f"plan_events.csv: unknown event(s) {unknown}; expected one of {expected}")
    return pd.DataFrame(
        {
            "mission": raw["mission"].astype("string"),
            "contingent": raw["contingent"].astype("string"),
            "event": raw["event"].astype(_PLAN_EVENTS),
            **_date_columns("date", raw["date"]),
            **_date_columns("period_until", raw["period_until"]),
            "detail": raw["detail"].astype("string"),
            "sources": [cell.split(_URL_SEPARATOR) for cell in raw["sources"]],
        },
        index=raw.index,
    )


def load_plan_events() -> pd.DataFrame:
    """The dated procedural steps of real deployments: ``sim/data/plan_events.csv``, one row per step.

    Where :func:`load_deployments` gives each contingent's first departure and last return, this table
    gives the law's steps in between as the sources date them (``deployments_NOTES.md`` sections 2 and
    4): the request, the Cabinet decision on the implementation plan and its period, each amendment
    extending the period (Art. 6(13), reported under Art. 7(i)), the decision to end, the withdrawal and
    the results report (Art. 7(ii)).  The replays in ``configs/historical/`` are tested against it, and
    the calibration fits plan periods and extensions from it.  Missing steps are missing from the
    sources, not from the law: most extensions before 2006 were never found, for example.

    Columns
    -------
    mission, contingent : string
        As in :func:`load_deployments`; ``contingent`` is empty when the step is the whole plan's.
    event : category
        The step, named as in the simulator's event log (``cabinet_decision``, ``plan_amended``, ...),
        plus ``end_announced`` for a decision to end (or to prepare the end) that a later plan change carried out.
        ``plan_amended`` is a change of the plan's period; a change that leaves the period alone has the
        name of the model's scripted event for it (``size_changed``, ``tasks_added``, ``tasks_removed``,
        ``contingent_added``, ``mission_handed_over``), which the model logs as ``plan_amended`` with that
        detail.  Keeping them apart keeps them out of the extensions the calibration counts.
    date : datetime64
        When the step was taken, with ``date_precision`` (``day``/``month``) and ``date_uncertain``.
    period_until : datetime64
        For a decision or an amendment, the plan period's new last day; NaT when no source gives it.
        ``period_until_uncertain`` marks an end derived from the pattern of neighbouring periods.
    detail : string
        What the source says about the step.
    sources : object (list of str)
        Source keys from ``deployments_NOTES.md`` section 1 (or the outlet, for press items).
    """
    return _fresh(_cached_plan_events(), "sources")
