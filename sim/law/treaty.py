"""The Treaty's rulebook: the 1960 Treaty of Mutual Cooperation and Security, as pure rules.

The simulator applies the Treaty where it makes dates and steps: its entry into force on the
exchange of ratifications (Art. VIII) and the 1951 treaty's expiry with it (Art. IX); notice of
termination, open to either Party only after ten years in force, and the end one year after
notice (Art. X), taking the grant of facilities and areas (Art. VI) with it; consultation at
either Party's request when Japan's security is threatened (Art. IV); and Art. V's armed attack
in the territories under the administration of Japan, with the measures taken reported to the
Security Council immediately and terminated once it has acted.  The model's armed attack is always
one on those territories: an attack elsewhere is not an Art. V case and is outside the model.
Nothing here knows SimPy.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum

from sim.law.periods import years_after
from sim.law.rules import register

SOURCE = "Treaty of Mutual Cooperation and Security (1960)"


class Party(StrEnum):
    """The two Parties (preamble); either may request consultation or give notice."""

    JAPAN = "japan"
    UNITED_STATES = "united_states"


class TreatyCite:
    """Named provisions the model gives as an event's ``basis``; a test resolves each one."""

    CONSULTATION = "Treaty Art. IV"
    ARMED_ATTACK = "Treaty Art. V"
    FACILITIES = "Treaty Art. VI"
    ENTRY_INTO_FORCE = "Treaty Art. VIII"
    EXPIRY_OF_1951_TREATY = "Treaty Art. IX"
    NOTICE = "Treaty Art. X"


ENTRY_INTO_FORCE = dt.date(1960, 6, 23)
"""Art. VIII: in force on the exchange of ratifications in Tokyo, which took place on 23 June 1960."""
register(
    "treaty_entry_into_force",
    "The Treaty enters into force when the instruments of ratification are exchanged (23 June "
    "1960); the 1951 Security Treaty expires on that day.",
    TreatyCite.ENTRY_INTO_FORCE, TreatyCite.EXPIRY_OF_1951_TREATY, source=SOURCE,
)  # fmt: skip

NOTICE_AFTER_YEARS = 10
TERMINATION_AFTER_NOTICE_YEARS = 1
register(
    "treaty_notice",
    "After ten years in force either Party may give notice; the Treaty ends one year after the "
    "notice, and with it the use of facilities and areas in Japan granted to the United States.",
    TreatyCite.NOTICE, TreatyCite.FACILITIES, source=SOURCE,
)  # fmt: skip


def earliest_notice(in_force: dt.date) -> dt.date:
    """Art. X: the first day notice may be given, when the Treaty has been in force ten years."""
    return years_after(in_force, NOTICE_AFTER_YEARS)


def notice_allowed(in_force: dt.date, notice: dt.date) -> bool:
    """Art. X: notice is open to either Party only "after the Treaty has been in force for ten years"."""
    return notice >= earliest_notice(in_force)


def termination_date(notice: dt.date) -> dt.date:
    """Art. X: "the Treaty shall terminate one year after such notice has been given"."""
    return years_after(notice, TERMINATION_AFTER_NOTICE_YEARS)


register(
    "consultation",
    "At the request of either Party the two consult whenever the security of Japan or "
    "international peace and security in the Far East is threatened.",
    TreatyCite.CONSULTATION, source=SOURCE,
)  # fmt: skip

register(
    "armed_attack",
    "An armed attack against either Party in the territories under the administration of Japan "
    "is met by both in accordance with their constitutional processes; the attack and the "
    "measures taken are reported to the Security Council immediately, and the measures are "
    "terminated when the Security Council has taken the measures necessary.",
    TreatyCite.ARMED_ATTACK, source=SOURCE,
)  # fmt: skip


def recall_article(armed_attack: bool) -> str:
    """The Treaty article a recall for a contingency rests on beside Art. 6(6) of the Act: consultation
    because Japan's security is threatened (Art. IV) until an armed attack, then Art. V."""
    return TreatyCite.ARMED_ATTACK if armed_attack else TreatyCite.CONSULTATION
