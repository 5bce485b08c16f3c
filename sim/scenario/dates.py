"""Dates of real steps, known to the day or only to the month.

The record often dates a step only to its month ("the first unit left in May 1993"), so a scenario
may write ``1993-05`` wherever it gives the date of a real step: a scripted event's ``date``, a
contingent's ``dispatch_on`` and ``returns_on``, a deployment's ``request`` and ``mission_end``, the
scenario's ``start`` and ``end``.

The convention: ``1993-05`` stands for the **1st of the month** (1993-05-01).  That is the day
:mod:`sim.record` reads a month-only date of the record as, so a scenario written from the record
places the step on the same day as the record's tables do; and it is a day the step can have taken
place on, never one after the month.  The day is an assumption, so the precision is kept with the
date (:class:`MonthDate`) and travels into the output: every row the model logs for such a step says
``dated to the month YYYY-MM`` in its ``detail`` (:func:`dated`), so a comparison with the real date
is "within the month", not to the day.  A date written to the day stays a plain :class:`datetime.date`,
so files without month-only dates run exactly as before.

A plan period's end (``until``) is not such a date: a plan states its last day, so it must be a day.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import AfterValidator, PlainSerializer, ValidatorFunctionWrapHandler, WrapValidator

from sim.scenario.bounds import in_calendar

_MONTH = re.compile(r"(\d{4})-(\d{1,2})")


class MonthDate(dt.date):
    """A date known only to its month: the 1st of that month, which says it is only a month."""

    def __add__(self, other: dt.timedelta) -> dt.date:
        """A day counted from the month's 1st is a day, not a month: a plain date."""
        return _plain(super().__add__(other))

    __radd__ = __add__

    def __sub__(self, other: Any) -> Any:
        return _plain(super().__sub__(other))

    def replace(self, *args: Any, **kwargs: Any) -> dt.date:
        return _plain(super().replace(*args, **kwargs))

    def text(self) -> str:
        """The month as written in a scenario file: ``YYYY-MM``."""
        return f"{self.year:04d}-{self.month:02d}"

    def __repr__(self) -> str:
        return f"MonthDate({self.text()})"


def _plain(value: Any) -> Any:
    """A date as a plain :class:`datetime.date` (date arithmetic keeps the subclass otherwise)."""
    return dt.date(value.year, value.month, value.day) if isinstance(value, dt.date) else value


def _month_or_day(value: Any, handler: ValidatorFunctionWrapHandler) -> dt.date:
    """``YYYY-MM`` as a :class:`MonthDate`; anything else as pydantic reads a date."""
    if isinstance(value, MonthDate):
        return value
    if isinstance(value, str) and (match := _MONTH.fullmatch(value.strip())):
        year, month = int(match[1]), int(match[2])
        if not 1 <= month <= 12:
            raise ValueError(f"{value!r} is not a month: give YYYY-MM with a month 01-12, or a day YYYY-MM-DD")
        return MonthDate(year, month, 1)
    return handler(value)


def _day_only(value: Any, handler: ValidatorFunctionWrapHandler) -> dt.date:
    """A day, never a month: a plan states its period's last day (Art. 6(2)(ii)(b))."""
    if isinstance(value, MonthDate) or (isinstance(value, str) and _MONTH.fullmatch(value.strip())):
        shown = value.text() if isinstance(value, MonthDate) else value
        raise ValueError(f"{shown!r} is a month: a plan period's end is a day (give YYYY-MM-DD)")
    return handler(value)


def _as_text(value: dt.date) -> str:
    """JSON keeps the precision: ``YYYY-MM`` for a month, ISO for a day (as pydantic writes it)."""
    return value.text() if isinstance(value, MonthDate) else value.isoformat()


StepDate = Annotated[
    dt.date, WrapValidator(_month_or_day), AfterValidator(in_calendar), PlainSerializer(_as_text, when_used="json")
]
"""The date of a real step: ``YYYY-MM-DD``, or ``YYYY-MM`` for a date known only to the month (within
the dates the simulator handles, :func:`~sim.scenario.bounds.in_calendar`)."""

DayDate = Annotated[dt.date, WrapValidator(_day_only), AfterValidator(in_calendar)]
"""A date that must be a day (a plan period's end): ``YYYY-MM`` is refused with the reason."""


def dated(detail: str, *dates: dt.date | None) -> str:
    """*detail* with ``dated to the month YYYY-MM`` for each month-only date among *dates*.

    Unchanged when every date is known to the day, so the log of a file without month-only dates
    is exactly what it was.
    """
    months = sorted({d.text() for d in dates if isinstance(d, MonthDate)})
    if not months:
        return detail
    note = "dated to the month " + ", ".join(months)
    return f"{detail}; {note}" if detail else note
