"""What the record leaves to a reading: the task each of its contingents did, its size, and the sub-type.

Why here: a replay of one mission and the request streams' templates both turn the record's
contingents into the model's, and must read them the same way.
"""

from __future__ import annotations

import pandas as pd

TASKS: dict[str, list[str]] = {
    "sdf_engineering_unit": ["s"],
    "transport_unit": ["s"],
    "staff_officers": ["t"],
    "ceasefire_observers": ["a"],
    "civilian_police": ["i"],
    "election_observers": ["h"],
}
"""The task (Art. 3(v)) each of the record's contingents did: construction and transport (s), staff
work at headquarters (t), ceasefire monitoring (a), police advice (i), election monitoring (h).
A contingent of another kind ("other") cannot be carried: the record does not say what it did."""

SUBTYPE = "a"
"""Art. 3(i)/(ii) sub-type for PKO and ICO: the record does not give it; (a), as the hand-written replays."""


def headcount(row: pd.Series) -> int | None:
    """Persons in one contingent of the record: its per-rotation count, else the plan's ceiling ("up to 350").

    The implementation plan states its size as a ceiling (Art. 6(2)(ii)), so a ceiling is the
    plan's own figure for the contingent, not a guess.  None if the record gives neither.
    """
    for column in ("personnel_per_rotation", "personnel_ceiling"):  # both read by the loader
        if pd.notna(row[column]):
            return int(row[column])
    return None
