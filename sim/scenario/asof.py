"""Which text of the Act judges a scenario's decisions: the one in force on each date, or one fixed date.

A scenario's ``law: {as_of: auto}`` (the default) judges each decision under the text in force on
its date, so that a replay of 1992 uses the 1992 text; ``law: {as_of: 2015-09-30}`` judges every
decision under the text in force on that day (a counterfactual).  The versions themselves are
:mod:`sim.law.versions`; this module only says which one applies to what.

A plan is judged on the day of its Cabinet decision: the request plus ``request_to_decision`` when
that lag is fixed (every replay's is); when it is drawn, the decision's day is not known before the
run, and the plan is judged on the day of the request (docs/law.md, *The Act over time*).  A scripted
plan change is judged on its own date.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import field_validator

from sim.law.versions import ActVersion, LawClock, version_on
from sim.scenario.bounds import Day
from sim.scenario.distributions import Fixed
from sim.scenario.strict import StrictModel


class LawSpec(StrictModel):
    """``as_of``: ``auto`` (each decision under the text in force on its date) or a date (every
    decision under the text in force that day: a counterfactual)."""

    as_of: Literal["auto"] | Day = "auto"

    @field_validator("as_of")
    @classmethod
    def _in_force(cls, value: str | dt.date) -> str | dt.date:
        """A counterfactual date must have a text of the Act in force: one message, not one per deployment."""
        if isinstance(value, dt.date):
            version_on(value)  # ValueError before the Act took effect (1992-08-10)
        return value

    @property
    def fixed(self) -> dt.date | None:
        """The counterfactual's date, or None under ``auto``."""
        return None if self.as_of == "auto" else self.as_of  # type: ignore[return-value]


def decision_day(start_lag: object, request: dt.date) -> dt.date:
    """The day a plan is judged: request + the fixed ``request_to_decision`` lag, else the request."""
    if isinstance(start_lag, Fixed):
        return request + dt.timedelta(days=round(start_lag.value))
    return request


def law_on(spec: LawSpec, day: dt.date) -> ActVersion:
    """The text judging what happens on ``day`` (ValueError before the Act took effect)."""
    return version_on(spec.fixed or day)


def law_clock(spec: LawSpec, start: dt.date) -> LawClock | None:
    """The clock re-citing a run's events under the text governing each day; None when every day of
    the run is governed by the current text (nothing to re-cite, the log as it always was)."""
    clock = LawClock(start, spec.fixed)
    return None if clock.always_current() else clock
