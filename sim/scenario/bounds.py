"""The bounds of every number and date a scenario may hold, and the types that enforce them.

Why: a value pydantic accepts must also run.  Infinite or absurd numbers (a period of ``.inf``
days, a lognormal whose upper quantiles overflow, a hazard rate of ``inf``), ``true`` where a
number is meant (YAML reads ``seed: true`` as a bool, which Python counts as 1), and dates the
calendar cannot reach (``9999-06-01``: the generated Diet calendar runs years past the horizon)
used to pass validation and fail, hang or mislead at run time.  Each bound here is documented in
the README (*Limits*) and named in the error a user sees.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field

EARLIEST_DATE = dt.date(1900, 1, 1)
"""The first date a scenario may name (the Act is of 1992, the Treaty of 1960)."""
LATEST_DATE = dt.date(2999, 12, 31)
"""The last: the generated Diet calendar and the Treaty's periods run years past the horizon,
and Python's dates end in 9999."""
MAX_HORIZON_YEARS = 1000
"""The longest horizon; ``end`` must also stay on or before :data:`LATEST_DATE`."""
MAX_DAYS = 1_000_000
"""The longest duration (about 2,700 years, longer than any horizon): every distribution's
parameters in days, hand-overs, suspensions.  (A draw from a long tail is capped far beyond, at
:data:`sim.randomness.LONGEST_DAYS`.)"""
MAX_SIGMA = 10.0
"""A lognormal's largest log-scale sigma: beyond it the upper quantiles overflow (e**(10*38) is
still finite; e**(50*15) is not)."""
MAX_SHAPE = 1_000_000.0
"""A gamma's largest shape."""
MAX_WEIGHT = 1e9
"""The largest weight of an empirical distribution or of a ground: their sum must stay finite."""
MAX_RATE = 365.0
"""The highest hazard rate per year: once a day on average, the finest the day-grained clock follows."""
MAX_SEED = 2**63 - 1
"""Seeds are stored in 64-bit integer columns."""
MAX_REPLICATIONS = 10_000_000
"""More replications than any study needs; a typo of a few zeros is refused before it runs for ever."""
MAX_COUNT = 1_000_000
"""The largest count a scenario may give elsewhere (extensions, session numbers, persons)."""


def _not_bool(value: Any) -> Any:
    """YAML reads ``true`` and ``false`` as bools, which Python would accept as 1 and 0."""
    if isinstance(value, bool):
        raise ValueError(f"must be a number, not {str(value).lower()}")
    return value


def in_calendar(day: dt.date) -> dt.date:
    """A date the simulator handles: refused outside :data:`EARLIEST_DATE` to :data:`LATEST_DATE`."""
    if not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValueError(f"{day} is outside the dates the simulator handles ({EARLIEST_DATE} to {LATEST_DATE})")
    return day


Integer = Annotated[int, BeforeValidator(_not_bool)]
"""An integer, not a bool; bounds are given where it is used."""
Number = Annotated[float, BeforeValidator(_not_bool), Field(allow_inf_nan=False), AfterValidator(lambda v: v + 0.0)]
"""A finite number, not a bool; bounds are given where it is used.  ``-0.0`` is read as ``0.0``: it passes
``ge=0``, and NumPy would refuse it as a negative scale in the middle of a run."""
Days = Annotated[Number, Field(ge=0, le=MAX_DAYS)]
"""A duration parameter in days: finite, 0 to :data:`MAX_DAYS`."""
PositiveDays = Annotated[Number, Field(gt=0, le=MAX_DAYS)]
"""A duration parameter in days that must be positive (a mean, a median, a scale)."""
WholeDays = Annotated[Integer, Field(ge=0, le=MAX_DAYS)]
"""Whole days, 0 to :data:`MAX_DAYS`."""
Probability = Annotated[Number, Field(ge=0, le=1)]
"""A chance, 0 to 1."""
Rate = Annotated[Number, Field(ge=0, le=MAX_RATE)]
"""A hazard rate per year, 0 to :data:`MAX_RATE` (a tiny one waits past any horizon, see ``whole_days``)."""
Weight = Annotated[Number, Field(ge=0, le=MAX_WEIGHT)]
"""A relative weight, 0 to :data:`MAX_WEIGHT`."""
Day = Annotated[dt.date, AfterValidator(in_calendar)]
"""A date from :data:`EARLIEST_DATE` to :data:`LATEST_DATE`."""
