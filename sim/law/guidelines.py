"""The guidelines' rulebook: bilateral defence cooperation, as the shipped text states it.

The guidelines give the order of bilateral action that the contingency model walks: under normal
circumstances the two governments keep common standards of preparation and a bilateral
coordination mechanism; when an armed attack is imminent they choose a common readiness stage
(the shipped text says "common guard stage"); once Japan is attacked, Japan has primary
responsibility for immediate action and the SDF conduct defence operations, while US forces
support and complement them and reinforcements come "in due course".

The shipped file is a damaged copy: its title names the 1954 Mutual Defense Assistance Agreement,
and it carries a sentence about a 2007 Okinawa Times survey and one on amending "this agreement"
that are not guideline text.  Citations quote only the passages that state the guidelines'
mechanics (:mod:`sim.law.citations` checks that each quotation is in the file); stage names and
their durations are not in the text at all and are configurable assumptions.
"""

from __future__ import annotations

from sim.law.rules import register

SOURCE = "US-Japan defence-cooperation guidelines"


class GuidelinesCite:
    """Quoted passages the model gives as an event's ``basis``; a test finds each one in the text."""

    READINESS_STAGE = 'Guidelines "the two governments will agree to choose a common guard stage"'
    COORDINATION_MECHANISM = 'Guidelines "Under such a bilateral coordination mechanism"'
    COORDINATION_CENTRE = 'Guidelines "prepare a bilateral coordination centre"'
    PRIMARY_RESPONSIBILITY = 'Guidelines "Japan will have primary responsibility for taking immediate action"'
    US_SUPPORT = 'Guidelines "The United States will provide adequate support to Japan"'
    DEFENCE_OPERATIONS = 'Guidelines "Self-defense forces will primarily conduct defence operations"'
    REINFORCEMENTS = 'Guidelines "The United States will put in place reinforcements in due course"'
    PREVENT_DETERIORATION = 'Guidelines "measures to prevent further deterioration of the situation"'


register(
    "readiness_stage",
    "When an armed attack on Japan is imminent, the two governments agree on a common readiness "
    "stage, reflected in the readiness of US forces, the SDF and other authorities.",
    GuidelinesCite.READINESS_STAGE, source=SOURCE,
)  # fmt: skip
register(
    "bilateral_coordination",
    "The bilateral coordination mechanism and the coordination centre prepared under normal "
    "circumstances coordinate the two forces' activities.",
    GuidelinesCite.COORDINATION_MECHANISM, GuidelinesCite.COORDINATION_CENTRE, source=SOURCE,
)  # fmt: skip
register(
    "defence_of_japan",
    "Japan has primary responsibility for immediate action against an armed attack; the SDF "
    "conduct defence operations and US forces support them; US reinforcements follow in due course.",
    GuidelinesCite.PRIMARY_RESPONSIBILITY, GuidelinesCite.US_SUPPORT, GuidelinesCite.DEFENCE_OPERATIONS,
    GuidelinesCite.REINFORCEMENTS, source=SOURCE,
)  # fmt: skip
