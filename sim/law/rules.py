"""The one registry of rules, shared by every rulebook in :mod:`sim.law`.

Each rulebook (the Act, the Treaty, the defence-cooperation guidelines) registers the rules the
simulator applies with the provisions they rest on, so that ``pko-sim rules`` prints them all and
one test resolves every citation against the text it names (:mod:`sim.law.citations`).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    """One rule as the simulator applies it, with its citations and the text they come from."""

    name: str
    citations: tuple[str, ...]
    statement: str
    source: str = "Act No. 79 of 1992"


RULES: list[Rule] = []


def register(name: str, statement: str, *citations: str, source: str = "Act No. 79 of 1992") -> Rule:
    """Add a rule to :data:`RULES` and return it."""
    entry = Rule(name, citations, statement, source)
    RULES.append(entry)
    return entry
