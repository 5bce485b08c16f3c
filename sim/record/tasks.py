"""What the record leaves to a reading: the task each of its contingents did, and the sub-type.

Why here: a replay of one mission and the request streams' templates both turn the record's
contingents into the model's, and must read them the same way.
"""

from __future__ import annotations

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
