"""The ``alliance`` section of a scenario: the 1960 Treaty's life and contingencies at home.

Kept apart from :mod:`sim.scenario` because it is a second body of law with its own rulebooks
(:mod:`sim.law.treaty`, :mod:`sim.law.guidelines`).  Every duration is a distribution in days, as
elsewhere; the defaults are assumptions, stated here, because neither text gives numbers other
than the Treaty's ten years and one year (Art. X) and "immediately" (Art. V).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from sim import law
from sim.law.treaty import ENTRY_INTO_FORCE, Party, termination_date
from sim.scenario.bounds import Day, Integer, Probability, Rate
from sim.scenario.distributions import Distribution, Fixed
from sim.scenario.strict import StrictModel


class Treaty(StrictModel):
    """The Treaty's own life: in force on the exchange of ratifications (Art. VIII), ended one year
    after either Party's notice (Art. X), which is open only after ten years in force."""

    in_force: Day = ENTRY_INTO_FORCE
    notice: Day | None = None
    notice_by: Party = Party.JAPAN
    notice_rate: Rate = 0.0
    """Per year, once notice is open (a hazard instead of a scripted ``notice``)."""


class ReadinessStage(StrictModel):
    """A common readiness stage the two governments choose (guidelines), held for ``days``."""

    name: str
    days: Distribution = Fixed(value=7)


def _default_stages() -> list[ReadinessStage]:
    return [ReadinessStage(name=f"stage {n}") for n in (3, 2, 1)]


class Contingencies(StrictModel):
    """How a contingency unfolds (the lags and chances are assumptions; the order is the law's).

    Tension arises (``rate`` per year while the Treaty is in force, or scripted); a Party asks for
    consultation (Art. IV) and the two consult after ``consultation``; they choose the first common
    readiness stage and step through ``stages``; the bilateral coordination mechanism and centre are
    activated ``coordination`` days after the first stage.  With ``attack_probability`` an armed
    attack on the territories under Japan's administration follows the last stage (Art. V): Japan's
    defence operations begin that day with US support, the attack and the measures are reported to
    the Security Council after ``report`` (Art. V: "immediately", so 0), US reinforcements arrive
    after ``reinforcements`` (guidelines: "in due course"), the Security Council acts after
    ``security_council`` and the measures end ``measures_end`` days later (never before it acts).
    Without an attack the tension eases after ``easing``.  Either way the forces stand down after
    ``stand_down``.
    """

    rate: Rate = 0.0
    requested_by: Party = Party.JAPAN
    consultation: Distribution = Fixed(value=2)
    stages: list[ReadinessStage] = Field(default_factory=_default_stages, min_length=1)
    coordination: Distribution = Fixed(value=1)
    attack_probability: Probability = 0.3
    report: Distribution = Fixed(value=0)
    reinforcements: Distribution = Fixed(value=30)
    security_council: Distribution = Fixed(value=60)
    measures_end: Distribution = Fixed(value=0)
    easing: Distribution = Fixed(value=60)
    stand_down: Distribution = Fixed(value=14)


class ScriptedContingency(StrictModel):
    """A contingency on given dates: tension on ``tension``; an armed attack on ``armed_attack``
    (``false`` for none; omitted, the attack is drawn as for any contingency); the Security
    Council's measures on ``security_council`` (omitted, drawn)."""

    tension: Day
    armed_attack: Day | Literal[False] | None = None
    security_council: Day | None = None


class Recall(StrictModel):
    """Art. 6(6): assignments abroad must not hinder the SDF's main missions.

    When a contingency reaches ``trigger``, SDF units serving under the Act are recalled: ``all``,
    only those whose SDF units number at least ``min_personnel`` (``above_size``), or ``none``.
    From the trigger until the contingency stands down, a dispatch the policy would recall is
    held until then (``hold``), abandoned (``abandon``), or goes ahead regardless (``none``).
    """

    policy: Literal["all", "above_size", "none"] = "all"
    min_personnel: Annotated[Integer, Field(ge=0, le=law.PERSONNEL_CAP)] = 0
    trigger: Literal["consultation", "readiness", "armed_attack"] = "readiness"
    new_dispatches: Literal["hold", "abandon", "none"] = "hold"


class Alliance(StrictModel):
    """The alliance section: the Treaty, contingencies (hazard and scripted) and the recall policy."""

    treaty: Treaty = Treaty()
    contingencies: Contingencies = Contingencies()
    scripted: list[ScriptedContingency] = Field(default_factory=list)
    recall: Recall = Recall()

    def is_deterministic(self) -> bool:
        """True if nothing is drawn: no hazards, fixed lags, and every attack scripted (or certain)."""
        c = self.contingencies
        lags = [c.consultation, c.coordination, c.report, c.reinforcements, c.security_council, c.measures_end,
                c.easing, c.stand_down, *(stage.days for stage in c.stages)]  # fmt: skip
        attacks_known = c.attack_probability in (0.0, 1.0) or all(s.armed_attack is not None for s in self.scripted)
        hazards = c.rate > 0 and not self.scripted
        return (
            not hazards and self.treaty.notice_rate == 0 and attacks_known and all(isinstance(d, Fixed) for d in lags)
        )

    def summary(self) -> str:
        """One line for ``pko-sim validate``: the Treaty's dates, the contingencies, the recall."""
        t, c, r = self.treaty, self.contingencies, self.recall
        treaty = f"Treaty in force {t.in_force}"
        if t.notice is not None:
            treaty += f", notice {t.notice} by {t.notice_by.value}, ends {termination_date(t.notice)}"
        elif t.notice_rate:
            treaty += f", notice at {t.notice_rate:g} a year once open"
        crises = (
            f"scripted contingencies: {len(self.scripted)}" if self.scripted else f"contingencies {c.rate:g} a year"
        )
        size = f" of {r.min_personnel}+ persons" if r.policy == "above_size" else ""
        return f"alliance: {treaty}; {crises}; recall {r.policy}{size} at {r.trigger} (Art. 6(6))"
