"""The Diet's calendar: sessions, recesses, dissolutions and elections, with fast day queries.

Why the simulator needs it
--------------------------
The International Peace Cooperation Act leans on the Diet's calendar without defining it
(docs/law.md, *The Diet's calendar*):

* Art. 6(7): prior approval of an SDF-unit dispatch is sought from the Diet, but if the Diet is
  *not in session* or the House of Representatives is *dissolved*, the dispatch may start first and
  approval is sought without delay at the *first session convened* after it.
* Art. 6(8): each House "must endeavor" to decide within seven days, *excluding the period of
  recess*: the clock counts sitting days, not calendar days.
* Art. 6(10)-(12): continuing a dispatch beyond two years goes to the Diet in the 30 days up to that
  day or, if the Diet is not in session or the House is dissolved, at the first session convened
  after it.

Definitions used here
---------------------
* A **session** runs from its convocation day to its closing day, both inclusive (Diet Act art. 14
  counts the term from the convocation day).  Days between sessions are "not in session"; they are
  *not* recess.
* A **recess** (休会) is a break *inside* a session, voted by the Diet (Diet Act art. 15).  The session
  clock keeps running through it, but the Art. 6(8) clock does not.
* A **sitting day** is a calendar day inside a session and outside any recess; weekends and holidays
  inside a session count.  "Within seven days excluding recess" means within 7 sitting days after the
  day approval was sought, which is :meth:`DietCalendar.add_sitting_days` with ``n = 7``.
* The House of Representatives is **dissolved**, for Art. 6(7) and 6(10), from the dissolution day
  (inclusive) until the day before the next session convenes.  The House has no members from the
  dissolution until the general election, and the Diet cannot meet until the special session that
  the Constitution (art. 54(1)) requires after it, so the whole stretch up to that session counts as
  "dissolved".  On the dissolution day itself the session being dissolved is still in session (it
  closes that day), so both :meth:`~DietCalendar.in_session` and :meth:`~DietCalendar.hr_dissolved`
  are true.  If the calendar holds no session after a dissolution, the House stays dissolved to the
  end of time.

Dates and day numbers
---------------------
Every query takes a :class:`datetime.date`; each has an ``*_ord`` twin that takes and returns day
numbers (``date.toordinal()``) for the simulator's hot path.  Internally the calendar keeps sorted
lists of day numbers and answers every query with one or two bisections (O(log n)).  Sitting
days are counted through "sitting segments" (maximal runs of days inside a session and outside
recesses) with a running total at the start of each, so counting or adding sitting days is a bisect
and a subtraction.

Three ways to build one
-----------------------
* :meth:`DietCalendar.explicit` from plain data (dicts, ISO strings),
* :meth:`DietCalendar.historical` from the real sessions and elections since 1990 shipped in
  ``sim/data/diet_sessions.csv`` and ``sim/data/diet_events.csv`` (sources in ``diet_NOTES.md``),
* :func:`sim.diet.generator.generate_calendar`, a stochastic calendar whose parameters
  (:class:`~sim.diet.generator.CalendarParams`) default to values fitted to that data.
"""

from __future__ import annotations

import csv
import functools
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from importlib import resources
from itertools import pairwise
from typing import Any

__all__ = ["DietCalendar", "Recess", "Session", "new_year_recess_days", "restrict_calendar"]

SESSION_KINDS = ("ordinary", "extraordinary", "special")
ENDINGS = ("closed", "dissolution_hr")

_NEVER = date.max.toordinal()
"""End of a dissolved period that no later session closes."""

_NEW_YEAR_RECESS = ((12, 28), (1, 3))
"""First and last (month, day) of the generated New Year recess."""

# --------------------------------------------------------------------------------------------------
# Records


@dataclass(frozen=True)
class Session:
    """One Diet session, from its convocation day to its closing day (both inclusive).

    ``number`` is the official session number (the 189th ...), or ``None`` for a made-up calendar;
    ``kind`` is one of ``ordinary`` (常会), ``extraordinary`` (臨時会) or ``special`` (特別会);
    ``ended_by`` is ``closed`` (term ran out) or ``dissolution_hr`` (the House of Representatives was
    dissolved on the closing day).
    """

    number: int | None
    kind: str
    convened: date
    closed: date
    ended_by: str = "closed"

    def __post_init__(self) -> None:
        """Reject an unknown kind or ending and a session that closes before it is convened."""
        if self.kind not in SESSION_KINDS:
            raise ValueError(f"{self.label()}: kind must be one of {SESSION_KINDS}, got {self.kind!r}")
        if self.ended_by not in ENDINGS:
            raise ValueError(f"{self.label()}: ended_by must be one of {ENDINGS}, got {self.ended_by!r}")
        if self.closed < self.convened:
            raise ValueError(f"{self.label()}: closes before it is convened")

    @property
    def length_days(self) -> int:
        """Days from convocation to close, both counted (the Diet's own count)."""
        return (self.closed - self.convened).days + 1

    def label(self) -> str:
        """A short name for messages, e.g. ``session 189 (ordinary, 2015-01-26..2015-09-27)``."""
        name = "session" if self.number is None else f"session {self.number}"
        return f"{name} ({self.kind}, {self.convened}..{self.closed})"


@dataclass(frozen=True)
class Recess:
    """A recess (休会) inside one session, first and last day inclusive."""

    start: date
    end: date

    def __post_init__(self) -> None:
        """Reject a recess that ends before it starts."""
        if self.end < self.start:
            raise ValueError(f"{self.label()}: ends before it starts")

    def label(self) -> str:
        """A short name for messages, e.g. ``recess 2025-03-01..2025-03-10``."""
        return f"recess {self.start}..{self.end}"


# --------------------------------------------------------------------------------------------------
# The calendar


class DietCalendar:
    """Sessions, recesses, House of Representatives dissolutions and elections, with day queries.

    Build one with :meth:`explicit`, :meth:`historical` or :meth:`generated`, or directly from
    :class:`Session` and :class:`Recess` records.  It checks on construction that

    * sessions are in chronological order, do not overlap, and close on or after their convocation;
    * each recess lies inside exactly one session, and recesses are in order and do not overlap;
    * a dissolution that falls inside a session falls on its closing day, and that session is
      ``ended_by='dissolution_hr'``; conversely every such session closes on a dissolution date;
    * no dissolution falls while the House is still dissolved by an earlier one;

    and raises :class:`ValueError` naming the offending record otherwise.  Dissolution and election
    dates may be given in any order; they are kept sorted.

    Queries come in pairs: a :class:`datetime.date` version (``in_session(d)``) and a day-number
    version with an ``_ord`` suffix (``in_session_ord(d.toordinal())``).  All are O(log n).
    """

    def __init__(
        self,
        sessions: Iterable[Session],
        recesses: Iterable[Recess] = (),
        dissolutions: Iterable[date] = (),
        elections: Iterable[date] = (),
        hc_elections: Iterable[date] = (),
    ) -> None:
        """Validate the records and precompute the lookup tables (see the class docstring)."""
        self._sessions = tuple(sessions)
        self._recesses = tuple(recesses)
        self._dissolutions = _sorted_unique(dissolutions, "dissolution")
        self._elections = _sorted_unique(elections, "general election")
        self._hc_elections = _sorted_unique(hc_elections, "House of Councillors election")

        self._conv = [s.convened.toordinal() for s in self._sessions]
        self._close = [s.closed.toordinal() for s in self._sessions]
        self._check_sessions()
        recesses_by_session = self._check_recesses()
        self._build_segments(recesses_by_session)
        self._diss_start = [d.toordinal() for d in self._dissolutions]
        self._diss_end = [self._dissolved_until(d) for d in self._diss_start]
        self._check_dissolutions()

    @classmethod
    def _generated(
        cls,
        sessions: list[tuple[str, int, int, str]],
        recesses: list[tuple[int, int]],
        dissolutions: list[int],
        elections: list[int],
        hc_elections: list[int],
    ) -> DietCalendar:
        """The calendar :func:`sim.diet.generator.generate_calendar` made, from its day numbers, unchecked.

        Why: a Diet-heavy run draws a calendar per replication, and building it through the checked
        constructor cost a fifth of drawing it (issue 19).  The generator places sessions in order,
        without overlap, recesses in sessions and dissolutions on closing days by construction;
        ``tests/test_calendar.py`` rebuilds many of its calendars through the checked constructor to
        hold it to that.  ``sessions`` are (kind, convened, closed, ended_by), numbered 1, 2, ...;
        every list is sorted and every day in ``recesses`` lies inside a session.
        """
        calendar = object.__new__(cls)
        calendar._sessions = tuple(_session(n, kind, conv, close, ended_by)
                                   for n, (kind, conv, close, ended_by) in enumerate(sessions, 1))  # fmt: skip
        calendar._recesses = tuple(Recess(date.fromordinal(a), date.fromordinal(b)) for a, b in recesses)
        calendar._dissolutions = tuple(map(date.fromordinal, dissolutions))
        calendar._elections = tuple(map(date.fromordinal, elections))
        calendar._hc_elections = tuple(map(date.fromordinal, hc_elections))
        calendar._conv = [conv for _, conv, _, _ in sessions]
        calendar._close = [close for _, _, close, _ in sessions]
        by_session: list[list[Recess]] = [[] for _ in sessions]
        for recess, (first, _) in zip(calendar._recesses, recesses, strict=True):
            by_session[calendar._session_index(first)].append(recess)  # type: ignore[index]
        calendar._build_segments(by_session)
        calendar._diss_start = list(dissolutions)
        calendar._diss_end = [calendar._dissolved_until(d) for d in dissolutions]
        return calendar

    # -- construction helpers ----------------------------------------------------------------------

    def _check_sessions(self) -> None:
        """Chronological order and no overlap."""
        for prev, cur in pairwise(self._sessions):
            if cur.convened < prev.convened:
                raise ValueError(f"sessions must be in chronological order: {cur.label()} comes after {prev.label()}")
            if cur.convened <= prev.closed:
                raise ValueError(f"{cur.label()} overlaps {prev.label()}")

    def _check_recesses(self) -> list[list[Recess]]:
        """Each recess inside exactly one session, in order, not overlapping; grouped by session."""
        by_session: list[list[Recess]] = [[] for _ in self._sessions]
        for prev, cur in pairwise(self._recesses):
            if cur.start <= prev.end:
                raise ValueError(f"{cur.label()} overlaps or comes before {prev.label()}")
        for recess in self._recesses:
            i = self._session_index(recess.start.toordinal())
            if i is None or recess.end > self._sessions[i].closed:
                where = "is not inside any session" if i is None else f"runs past {self._sessions[i].label()}"
                raise ValueError(f"{recess.label()} {where}; a recess must lie inside exactly one session")
            by_session[i].append(recess)
        return by_session

    def _build_segments(self, recesses_by_session: list[list[Recess]]) -> None:
        """Split every session at its recesses and keep a running count of sitting days."""
        self._seg_start: list[int] = []
        self._seg_end: list[int] = []
        self._cum_before: list[int] = []
        self._cum_through: list[int] = []
        total = 0
        for conv, close, recesses in zip(self._conv, self._close, recesses_by_session, strict=True):
            day = conv
            for recess in recesses:
                total = self._add_segment(day, recess.start.toordinal() - 1, total)
                day = recess.end.toordinal() + 1
            total = self._add_segment(day, close, total)
        self._total = total

    def _add_segment(self, first: int, last: int, total: int) -> int:
        """Append the sitting segment ``[first, last]`` if it is not empty; return the new total."""
        if last < first:
            return total
        self._seg_start.append(first)
        self._seg_end.append(last)
        self._cum_before.append(total)
        total += last - first + 1
        self._cum_through.append(total)
        return total

    def _dissolved_until(self, dissolution: int) -> int:
        """Last dissolved day: the day before the first session convened after the dissolution."""
        i = bisect_right(self._conv, dissolution)
        return self._conv[i] - 1 if i < len(self._conv) else _NEVER

    def _check_dissolutions(self) -> None:
        """Dissolutions end the session they fall in, and the House cannot be dissolved twice."""
        dissolution_days = set(self._diss_start)
        for day, when in zip(self._diss_start, self._dissolutions, strict=True):
            i = self._session_index(day)
            if i is not None:
                s = self._sessions[i]
                if s.closed != when or s.ended_by != "dissolution_hr":
                    raise ValueError(
                        f"dissolution on {when} falls inside {s.label()}, which must then close that day "
                        "with ended_by='dissolution_hr'"
                    )
        for s, close in zip(self._sessions, self._close, strict=True):
            if s.ended_by == "dissolution_hr" and close not in dissolution_days:
                raise ValueError(f"{s.label()} is ended by a dissolution, but no dissolution on {s.closed}")
        for k in range(1, len(self._diss_start)):
            if self._diss_start[k] <= self._diss_end[k - 1]:
                raise ValueError(
                    f"dissolution on {self._dissolutions[k]} falls while the House of Representatives is "
                    f"still dissolved (since {self._dissolutions[k - 1]}, no session convened in between)"
                )

    def _session_index(self, day: int) -> int | None:
        """Index of the session containing day number ``day``, if any."""
        i = bisect_right(self._conv, day) - 1
        return i if i >= 0 and day <= self._close[i] else None

    def _sitting_through(self, day: int) -> int:
        """Sitting days on or before day number ``day``."""
        j = bisect_right(self._seg_start, day) - 1
        if j < 0:
            return 0
        return self._cum_before[j] + min(day, self._seg_end[j]) - self._seg_start[j] + 1

    # -- records -----------------------------------------------------------------------------------

    @property
    def sessions(self) -> tuple[Session, ...]:
        """All sessions, in chronological order."""
        return self._sessions

    @property
    def recesses(self) -> tuple[Recess, ...]:
        """All recesses, in chronological order."""
        return self._recesses

    @property
    def dissolutions(self) -> tuple[date, ...]:
        """Days the House of Representatives was dissolved, sorted."""
        return self._dissolutions

    @property
    def elections(self) -> tuple[date, ...]:
        """House of Representatives general election days, sorted."""
        return self._elections

    @property
    def hc_elections(self) -> tuple[date, ...]:
        """House of Councillors regular election days, sorted."""
        return self._hc_elections

    def to_records(self) -> list[dict[str, Any]]:
        """Everything as rows with the same keys, ready for ``pandas.DataFrame(records)``.

        Keys: ``kind``, ``number``, ``convened``, ``closed``, ``ended_by``.  Session rows carry their
        own values.  A recess row has ``kind='recess'`` and its first and last day in ``convened`` and
        ``closed``; an event row (``hr_dissolution``, ``hr_general_election``, ``hc_election``) has its
        date in both.  ``number`` and ``ended_by`` are ``None`` on non-session rows.  Rows are sorted by
        ``convened``; on a tie sessions come first (a dissolution shares its day with the session it
        ends).
        """
        return [dict(zip(_RECORD_KEYS, row, strict=True)) for row in self.record_rows()]

    def record_rows(self) -> list[tuple[str, int | None, date, date, str | None]]:
        """:meth:`to_records` as tuples of the values of its keys, in its order: the run's calendar
        table takes every generated calendar's records, without a dict per record."""
        rows: list[tuple[date, int, tuple[str, int | None, date, date, str | None]]] = [
            (s.convened, 0, (s.kind, s.number, s.convened, s.closed, s.ended_by)) for s in self._sessions
        ]
        rows.extend((r.start, 1, ("recess", None, r.start, r.end, None)) for r in self._recesses)
        for kind, days in (
            ("hr_dissolution", self._dissolutions),
            ("hr_general_election", self._elections),
            ("hc_election", self._hc_elections),
        ):
            rows.extend((d, 2, (kind, None, d, d, None)) for d in days)
        rows.sort(key=lambda item: (item[0], item[1]))
        return [row for _, _, row in rows]

    def __repr__(self) -> str:
        """Size and span, e.g. ``DietCalendar(105 sessions, 1989-12-25..2026-07-17)``."""
        if not self._sessions:
            return "DietCalendar(no sessions)"
        first, last = self._sessions[0].convened, self._sessions[-1].closed
        return f"DietCalendar({len(self._sessions)} sessions, {first}..{last})"

    # -- queries on day numbers (hot path) ---------------------------------------------------------

    def in_session_ord(self, day: int) -> bool:
        """Whether day number ``day`` lies within some session's [convened, closed]."""
        return self._session_index(day) is not None

    def sitting_ord(self, day: int) -> bool:
        """Whether day number ``day`` is a sitting day (in session and not in a recess)."""
        j = bisect_right(self._seg_start, day) - 1
        return j >= 0 and day <= self._seg_end[j]

    def hr_dissolved_ord(self, day: int) -> bool:
        """Whether the House of Representatives is dissolved on day number ``day`` (module docstring)."""
        k = bisect_right(self._diss_start, day) - 1
        return k >= 0 and day <= self._diss_end[k]

    def session_on_ord(self, day: int) -> Session | None:
        """The session containing day number ``day``, or ``None``."""
        i = self._session_index(day)
        return None if i is None else self._sessions[i]

    def first_session_convened_after_ord(self, day: int) -> Session | None:
        """The first session convened strictly after day number ``day``, or ``None``."""
        i = bisect_right(self._conv, day)
        return self._sessions[i] if i < len(self._sessions) else None

    def first_session_convened_on_or_after_ord(self, day: int) -> Session | None:
        """The first session convened on or after day number ``day``, or ``None``."""
        i = bisect_left(self._conv, day)
        return self._sessions[i] if i < len(self._sessions) else None

    def session_close_after_ord(self, day: int) -> int | None:
        """Closing day number of the session containing day number ``day``, or ``None``."""
        i = self._session_index(day)
        return None if i is None else self._close[i]

    def sitting_days_between_ord(self, a: int, b: int) -> int:
        """Sitting days in the half-open interval (a, b] of day numbers; negative if ``b < a``."""
        return self._sitting_through(b) - self._sitting_through(a)

    def add_sitting_days_ord(self, a: int, n: int) -> int | None:
        """Day number of the n-th sitting day strictly after day number ``a`` (``a`` itself if n == 0).

        ``None`` if the calendar has fewer than ``n`` sitting days after ``a``.
        """
        if n < 0:
            raise ValueError(f"n must not be negative, got {n}")
        if n == 0:
            return a
        target = self._sitting_through(a) + n
        if target > self._total:
            return None
        k = bisect_left(self._cum_through, target)
        return self._seg_start[k] + target - self._cum_before[k] - 1

    # -- queries on dates --------------------------------------------------------------------------

    def in_session(self, d: date) -> bool:
        """Whether ``d`` lies within some session's [convened, closed]."""
        return self.in_session_ord(d.toordinal())

    def sitting(self, d: date) -> bool:
        """Whether ``d`` is a sitting day: in session and not in a recess."""
        return self.sitting_ord(d.toordinal())

    def hr_dissolved(self, d: date) -> bool:
        """Whether the House of Representatives counts as dissolved on ``d``.

        True from a dissolution day (inclusive) to the day before the next session convenes; see the
        module docstring for why the whole stretch up to the special session counts.
        """
        return self.hr_dissolved_ord(d.toordinal())

    def session_on(self, d: date) -> Session | None:
        """The session containing ``d``, or ``None`` if the Diet is not in session."""
        return self.session_on_ord(d.toordinal())

    def first_session_convened_after(self, d: date) -> Session | None:
        """The first session convened strictly after ``d`` (Art. 6(7) proviso), or ``None``."""
        return self.first_session_convened_after_ord(d.toordinal())

    def first_session_convened_on_or_after(self, d: date) -> Session | None:
        """The first session convened on ``d`` or later, or ``None``."""
        return self.first_session_convened_on_or_after_ord(d.toordinal())

    def session_close_after(self, d: date) -> date | None:
        """Closing day of the session containing ``d`` (the end of session discontinuity), or ``None``."""
        close = self.session_close_after_ord(d.toordinal())
        return None if close is None else date.fromordinal(close)

    def sitting_days_between(self, a: date, b: date) -> int:
        """Sitting days in the half-open interval (a, b]: strictly after ``a``, up to and including ``b``.

        So the day approval is sought does not count and the day of decision does.  If ``b < a`` the
        result is ``-sitting_days_between(b, a)``.
        """
        return self.sitting_days_between_ord(a.toordinal(), b.toordinal())

    def add_sitting_days(self, a: date, n: int) -> date | None:
        """The n-th sitting day strictly after ``a``; ``a`` itself when ``n == 0``.

        For ``n >= 1`` the result ``r`` is a sitting day with ``sitting_days_between(a, r) == n``: the
        Art. 6(8) target for approval sought on ``a`` is ``add_sitting_days(a, 7)``.  ``None`` if the
        calendar runs out of sitting days first.
        """
        day = self.add_sitting_days_ord(a.toordinal(), n)
        return None if day is None else date.fromordinal(day)

    # -- constructors ------------------------------------------------------------------------------

    @classmethod
    def explicit(
        cls,
        sessions: Iterable[Mapping[str, Any] | Session],
        recesses: Iterable[Mapping[str, Any] | Recess | tuple[Any, Any]] = (),
        dissolutions: Iterable[date | str] = (),
        elections: Iterable[date | str] = (),
        hc_elections: Iterable[date | str] = (),
    ) -> DietCalendar:
        """A calendar from plain data, e.g. parsed YAML.

        A session is a :class:`Session` or a mapping with ``kind``, ``convened``, ``closed`` and
        optionally ``number`` (default ``None``) and ``ended_by`` (default ``closed``).  A recess is a
        :class:`Recess`, a mapping with ``start`` and ``end``, or a ``(start, end)`` pair.  Dates may be
        :class:`datetime.date` or ISO strings; a trailing ``?`` (an uncertain value) is ignored.  The
        closing day of every session ``ended_by='dissolution_hr'`` is added to ``dissolutions`` if it
        is not listed there.
        """
        parsed = [s if isinstance(s, Session) else _session_from_mapping(s) for s in sessions]
        implied = [s.closed for s in parsed if s.ended_by == "dissolution_hr"]
        return cls(
            parsed,
            [_recess_from_data(r) for r in recesses],
            set(map(_parse_date, dissolutions)) | set(implied),
            map(_parse_date, elections),
            map(_parse_date, hc_elections),
        )

    @classmethod
    def historical(cls, start: date | None = None, end: date | None = None) -> DietCalendar:
        """The real calendar, 117th session (Dec 1989) to the 221st (2026), from the package data.

        Keeps the sessions that overlap [start, end] (all if not given), the recesses inside them
        (the real data has none), the events between the first kept convocation (or ``start``) and the
        last kept close (or ``end``), and the dissolution whose dissolved period covers ``start``.  The
        221st session's close is its scheduled one (2026-07-17); see ``sim/data/diet_NOTES.md``.
        """
        sessions, dissolutions, elections, hc_elections = _historical_tables()
        return restrict_calendar(sessions, (), dissolutions, elections, hc_elections, start, end)


# --------------------------------------------------------------------------------------------------
# Parsing and restriction


def _parse_date(value: date | str) -> date:
    """A date from a :class:`date` or an ISO string; a trailing ``?`` (uncertain value) is dropped."""
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value).strip().rstrip("?").strip())


def _parse_optional_int(value: Any) -> int | None:
    """An int from an int or a string such as ``'189'`` or ``'150?'``; ``None`` for empty or None."""
    if value is None:
        return None
    text = str(value).strip().rstrip("?").strip()
    return int(text) if text else None


def _session(number: int, kind: str, convened: int, closed: int, ended_by: str) -> Session:
    """A :class:`Session` of the generator's, from day numbers, without its checks (see
    :meth:`DietCalendar._generated`): the dataclass's frozen ``__init__`` cost more than the rest of it."""
    session = object.__new__(Session)
    session.__dict__.update(number=number, kind=kind, convened=date.fromordinal(convened),
                            closed=date.fromordinal(closed), ended_by=ended_by)  # fmt: skip
    return session


def _sorted_unique(days: Iterable[date], what: str) -> tuple[date, ...]:
    """Dates sorted; a repeated date raises :class:`ValueError`."""
    ordered = sorted(days)
    for prev, cur in pairwise(ordered):
        if prev == cur:
            raise ValueError(f"{what} on {cur} is listed twice")
    return tuple(ordered)


_SESSION_KEYS = frozenset({"number", "kind", "convened", "closed", "ended_by"})


def _session_from_mapping(row: Mapping[str, Any]) -> Session:
    """A :class:`Session` from a mapping (see :meth:`DietCalendar.explicit`)."""
    unknown = set(row) - _SESSION_KEYS
    if unknown:
        raise ValueError(f"unknown session field(s) {sorted(unknown)} in {dict(row)!r}")
    missing = {"kind", "convened", "closed"} - set(row)
    if missing:
        raise ValueError(f"session {dict(row)!r} lacks {sorted(missing)}")
    ended_by = str(row.get("ended_by") or "closed").strip().rstrip("?")
    return Session(
        _parse_optional_int(row.get("number")),
        str(row["kind"]).strip(),
        _parse_date(row["convened"]),
        _parse_date(row["closed"]),
        ended_by,
    )


def _recess_from_data(value: Mapping[str, Any] | Recess | tuple[Any, Any]) -> Recess:
    """A :class:`Recess` from a record, a mapping with ``start``/``end`` or a pair."""
    if isinstance(value, Recess):
        return value
    if isinstance(value, Mapping):
        return Recess(_parse_date(value["start"]), _parse_date(value["end"]))
    first, last = value
    return Recess(_parse_date(first), _parse_date(last))


_RECORD_KEYS = ("kind", "number", "convened", "closed", "ended_by")
"""The keys of :meth:`DietCalendar.to_records`, in the order of :meth:`DietCalendar.record_rows`."""

_CSV_SESSION_KEYS = ("kind", "convened", "closed", "ended_by")
_EVENT_KINDS = ("hr_dissolution", "hr_general_election", "hc_regular_election")


@functools.cache
def _historical_tables() -> tuple[tuple[Session, ...], tuple[date, ...], tuple[date, ...], tuple[date, ...]]:
    """Sessions, dissolutions, general elections and HC elections from the package CSV files.

    Values ending in ``?`` were derived rather than read (see ``diet_NOTES.md``) and are used as they
    are.  The 221st session, still running, has no ``ended_by``; it is read as ``closed`` on its
    scheduled closing day.
    """
    data = resources.files("sim.data")
    with data.joinpath("diet_sessions.csv").open(encoding="utf-8", newline="") as fh:
        sessions = tuple(
            _session_from_mapping({"number": row["session_number"], **{k: row[k] for k in _CSV_SESSION_KEYS}})
            for row in csv.DictReader(fh)
        )
    events: dict[str, list[date]] = {kind: [] for kind in _EVENT_KINDS}
    with data.joinpath("diet_events.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            kind = row["event"].strip()
            if kind not in events:
                raise ValueError(f"diet_events.csv: unknown event {kind!r} on {row['date']}")
            events[kind].append(_parse_date(row["date"]))
    dissolutions, elections, hc_elections = (tuple(sorted(events[kind])) for kind in _EVENT_KINDS)
    return sessions, dissolutions, elections, hc_elections


def restrict_calendar(
    sessions: Sequence[Session],
    recesses: Sequence[Recess],
    dissolutions: Sequence[date],
    elections: Sequence[date],
    hc_elections: Sequence[date],
    start: date | None,
    end: date | None,
) -> DietCalendar:
    """The part of a full calendar that overlaps [start, end] (see :meth:`DietCalendar.historical`)."""
    full = DietCalendar(sessions, recesses, dissolutions, elections, hc_elections)
    if start is None and end is None:
        return full
    start = start or date.min
    end = end or date.max
    kept = [s for s in full.sessions if s.closed >= start and s.convened <= end]
    lo = min([start, *(s.convened for s in kept[:1])])
    hi = max([end, *(s.closed for s in kept[-1:])])
    if full.hr_dissolved(lo):  # keep the dissolution that still holds on the first day
        lo = full.dissolutions[bisect_right(full.dissolutions, lo) - 1]
    return DietCalendar(
        kept,
        [r for r in full.recesses if r.start >= lo and r.end <= hi],
        [d for d in full.dissolutions if lo <= d <= hi],
        [d for d in full.elections if lo <= d <= hi],
        [d for d in full.hc_elections if lo <= d <= hi],
    )


def new_year_recess_days(convened: int, closed: int) -> list[tuple[int, int]]:
    """A recess from Dec 28 to Jan 3, as (first, last) day numbers, in every year of the session from day
    ``convened`` to day ``closed`` that holds that whole stretch (the generated calendar's assumption)."""
    (m1, d1), (m2, d2) = _NEW_YEAR_RECESS
    out: list[tuple[int, int]] = []
    for year in range(date.fromordinal(convened).year, date.fromordinal(closed).year):
        first, last = date(year, m1, d1).toordinal(), date(year + 1, m2, d2).toordinal()
        if convened <= first and last <= closed:
            out.append((first, last))
    return out
