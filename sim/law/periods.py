"""Reckoning periods in years: the one rule for "N years after" a day, for every rulebook.

The Act's two-year continuations (Art. 6(10), 6(12)) and the Treaty's ten years in force and
one year after notice (Treaty Art. X) all fall on the corresponding calendar day.  A day with no
correspondent — 29 February in a common year — falls to the last day of that month, 28
February, as Japan's Civil Code reckons periods in years (art. 143(2): "if there is no
corresponding day in the last month, the period expires on the last day of that month").
"""

from __future__ import annotations

import datetime as dt


def years_after(day: dt.date, years: int) -> dt.date:
    """The corresponding day ``years`` later; 29 February falls to 28 February in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)
