"""What a user writes: the scenario's pydantic models, one per section of a scenario file.

Shape and types only (pydantic rejects unknown fields and wrong types); whether the portfolio is
lawful is :mod:`sim.scenario.checks`, and reading files is :mod:`sim.scenario.files`.  Every field
is documented in the README's *Scenario files*.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import Field, create_model, model_validator

from sim import law
from sim.law import ContingentKind, Ground, OperationType
from sim.scenario.alliance import Alliance
from sim.scenario.asof import LawSpec
from sim.scenario.bounds import (
    MAX_COUNT,
    MAX_DAYS,
    MAX_HORIZON_YEARS,
    MAX_REPLICATIONS,
    MAX_SEED,
    Day,
    Integer,
    Number,
    Probability,
    Rate,
    Weight,
    WholeDays,
)
from sim.scenario.calendar_params import CalendarParamsOverride
from sim.scenario.dates import DayDate, StepDate
from sim.scenario.distributions import Distribution, Exponential, Fixed, Lognormal
from sim.scenario.streams import Stream
from sim.scenario.strict import StrictModel

Persons = Annotated[Integer, Field(ge=1, le=MAX_COUNT)]
"""A number of persons: at least 1 (the cap of Art. 19(1) is checked by the law pass)."""


class Procedure(StrictModel):
    """Lags of the lifecycle in days, each a distribution (defaults: assumptions, see README).

    Art. 7 asks for reports "without delay", so the report lags default to zero days.
    """

    request_to_decision: Distribution = Fixed(value=30)
    report_delay: Distribution = Fixed(value=0)
    guidelines_delay: Distribution = Fixed(value=0)
    decision_to_dispatch: Distribution = Fixed(value=21)
    withdrawal: Distribution = Fixed(value=30)
    results_report_delay: Distribution = Fixed(value=60)
    amendment_delay: Distribution = Fixed(value=7)
    extension_lead: Distribution = Fixed(value=0)
    approval_to_dispatch: Distribution = Fixed(value=0)


ProcedureOverride = create_model(
    "ProcedureOverride",
    __base__=StrictModel,
    __doc__="Per-deployment replacements for any of the scenario's :class:`Procedure` lags.",
    **{name: (Distribution | None, None) for name in Procedure.model_fields},
)


class Contingent(StrictModel):
    """One body of personnel within a deployment, Art. 6(2)(ii)(c)-(e)."""

    kind: ContingentKind
    personnel: Persons
    tasks: list[str] = Field(min_length=1)
    u_similar_to: str | None = None
    rotation: Distribution | None = None
    handover: WholeDays = 0
    label: str = ""
    dispatch_on: StepDate | None = None
    """Its own dispatch date, where the plan's units leave on different days (else the plan's)."""
    dispatch_lag: Distribution | None = None
    """Its own days from the Cabinet decision to its dispatch (else ``decision_to_dispatch``)."""
    returns_on: StepDate | None = None
    """The day its personnel are home while the rest of the plan goes on (else with the plan)."""

    @model_validator(mode="after")
    def _one_dispatch_day(self) -> Contingent:
        if self.dispatch_on is not None and self.dispatch_lag is not None:
            raise ValueError("give at most one of dispatch_on (a date) or dispatch_lag (days after the decision)")
        return self


class Consents(StrictModel):
    """What the Government finds at the time of the Cabinet decision (Art. 6(1)), or of the Prime
    Minister's consent to an Art. 27 dispatch (Art. 27(2)); and, for Art. 27 only, the chance that
    the officer consents (Art. 27(3)), drawn at that time unless it is 1."""

    host: bool = True
    parties: bool = True
    no_clear_opposition: bool = True
    stable: bool = True
    officer: Probability | None = None
    """Art. 27(3): the chance the officer consents; not given, 1 (certain).  Art. 27 only."""

    @property
    def officer_probability(self) -> float:
        """The chance the Art. 27 officer consents (Art. 27(3)): 1 unless ``officer`` says otherwise."""
        return 1.0 if self.officer is None else self.officer


class Extension(StrictModel):
    """Extension policy at each end of the plan period (a Cabinet decision, Art. 6(13))."""

    max_extensions: Annotated[Integer, Field(ge=0, le=MAX_COUNT)] = 0
    probability: Probability = 1.0
    length: Distribution | None = None
    until_mission_end: bool = False


class ConditionsHazard(StrictModel):
    """Loss of the conditions of Art. 6(13)(i)-(viii), and how long the Government waits.

    ``rate`` is per year; ``grounds`` weights the grounds the deployment's item names (equal
    weights by default).  After a loss the conditions return after ``restoration`` days; if that
    is longer than ``window`` (the wait government practice allows), the dispatch is ended.
    """

    rate: Rate = 0.0
    grounds: dict[Ground, Weight] = Field(default_factory=dict)
    restoration: Distribution = Exponential(dist="exponential", mean=30)
    window: Distribution = Fixed(value=90)


class RateHazard(StrictModel):
    """An event that strikes at a constant rate per year."""

    rate: Rate = 0.0


class DangerHazard(StrictModel):
    """Danger prompting a temporary suspension (Art. 8(1)(viii)), and how long it lasts."""

    rate: Rate = 0.0
    duration: Distribution = Fixed(value=7)


class Hazards(StrictModel):
    """What can happen to a deployment in the field; rates per year, durations in days."""

    conditions_lost: ConditionsHazard = ConditionsHazard()
    consent_unstable: RateHazard = RateHazard()
    danger: DangerHazard = DangerHazard()
    mission_end: RateHazard = RateHazard()
    policy_termination: RateHazard = RateHazard()


HazardsOverride = create_model(
    "HazardsOverride",
    __base__=StrictModel,
    __doc__="""Hazard sections replacing inherited ones (a deployment's, or an operation type's).

    A section left out (``None``) is inherited, section by section: from the operation type's
    sections, else the scenario's :class:`Hazards`.  ``None`` survives ``model_dump`` and
    ``model_validate``, so a scenario sent to a worker as JSON keeps its meaning, and a sweep
    setting ``hazards.danger.rate`` reaches every deployment that does not override ``danger``.
    """,
    **{name: (field.annotation | None, None) for name, field in Hazards.model_fields.items()},
)


ScriptedKind = Literal[
    "conditions_lost",
    "conditions_restored",
    "consent_unstable",
    "suspended",
    "resumed",
    "mission_end",
    "policy_termination",
    "period_extended",
    "tasks_added",
    "tasks_removed",
    "size_changed",
    "relieved",
    "contingent_ended",
    "contingent_added",
    "mission_handed_over",
]


class ScriptedEvent(StrictModel):
    """On a date, for a deployment, something that happens for certain (a what-if, or history).

    ``period_extended`` is a Cabinet decision amending the plan (Art. 6(13)) so that its period
    runs until ``until``; it is how a replay follows the real plan periods.  Without ``until`` (the
    record dates the change, not its new end) the period runs on by the extension's length.  ``tasks_added``
    amends the plan to give ``contingent`` (its label, or its index in the list) the ``tasks``
    listed; an SDF unit given (a)-(g) needs the Diet's approval first (Art. 6(7)).  ``tasks_removed``
    amends it to take ``tasks`` from ``contingent``: one left without tasks comes home, and once no
    contingent carries an Art. 6(7) task nothing is left for the Diet's approval to cover.
    ``size_changed`` amends the plan's size of ``contingent`` to ``personnel`` persons (Art. 6(13);
    the size is an item of the plan, Art. 6(2)(ii)), up only as far as the cap allows (Art. 19(1)).
    ``relieved`` relieves ``contingent`` on the date (a dated relief, Art. 12(1), 13(2), 14);
    ``contingent_ended`` amends the plan to end its assignments while the rest goes on (Art. 6(13));
    ``mission_handed_over`` records the plan amended to serve the successor ``mission`` (UNTAET to
    UNMISET) with the same units.  ``contingent_added`` amends the plan to add the contingent
    ``added`` (its kind, size, tasks, term, own dates), which then goes under the cap (Art. 19(1))
    and, an SDF unit doing (a)-(g), once the Diet approves (Art. 6(7)).
    """

    date: StepDate
    deployment: str
    event: ScriptedKind
    ground: Ground | None = None
    item: str | None = None
    days: Annotated[Integer, Field(ge=1, le=MAX_DAYS)] | None = None
    until: DayDate | None = None
    contingent: str | Integer | None = None
    tasks: list[str] | None = None
    personnel: Persons | None = None
    mission: str | None = None
    added: Contingent | None = None
    """For ``contingent_added``: the contingent the plan change adds.  Its ``dispatch_on`` is a date
    on or after the change, its ``dispatch_lag`` counts from the change (else the plan's
    ``decision_to_dispatch`` does)."""


def added_contingents(scenario: Scenario, deployment: str) -> list[ScriptedEvent]:
    """The scripted ``contingent_added`` events of one deployment, in date order (ties as listed).

    Their contingents follow the plan's own in this order: the first added is number
    ``len(contingents)``, as a later scripted event may name it by index (or by its label).
    """
    mine = [ev for ev in scenario.scripted if ev.deployment == deployment and ev.event == "contingent_added"]
    return sorted((ev for ev in mine if ev.added is not None), key=lambda ev: ev.date)


def with_added(scenario: Scenario, dep: Deployment) -> Deployment:
    """The deployment with the contingents its plan changes add, after its own (:func:`added_contingents`)."""
    added = [ev.added for ev in added_contingents(scenario, dep.id)]
    return dep.model_copy(update={"contingents": [*dep.contingents, *added]}) if added else dep


class Cap(StrictModel):
    """The personnel cap of Art. 19(1) and what a deployment does when it would exceed it."""

    limit: Persons = law.PERSONNEL_CAP
    policy: Literal["wait", "scale_down"] = "wait"


class Deployment(StrictModel):
    """One implementation under the Act: a plan with its contingents, or an Art. 27 dispatch."""

    id: str = Field(pattern=r"^[A-Za-z][A-Za-z0-9_\-]*$")
    mission: str = ""
    receiving_country: str = ""
    operation: OperationType
    subtype: Literal["a", "b", "c"] | None = None
    dispatch_under: Literal["implementation_plan", "article_27"] = "implementation_plan"
    request: StepDate
    contingents: list[Contingent] = Field(min_length=1)
    period: Distribution
    extension: Extension = Extension()
    consent: Consents = Consents()
    procedure: ProcedureOverride = ProcedureOverride()
    hazards: HazardsOverride | None = None
    mission_end: StepDate | None = None

    @property
    def personnel(self) -> int:
        """Persons engaged at once when fully deployed."""
        return sum(c.personnel for c in self.contingents)


class ExplicitSession(StrictModel):
    """One Diet session of an explicit calendar (closing day inclusive)."""

    kind: Literal["ordinary", "extraordinary", "special"]
    convened: Day
    closed: Day
    number: Annotated[Integer, Field(ge=1, le=MAX_COUNT)] | None = None
    ended_by: Literal["closed", "dissolution_hr"] = "closed"


class ExplicitRecess(StrictModel):
    """A recess inside a session: no sitting days from ``start`` to ``end`` inclusive."""

    start: Day
    end: Day


class DietCalendarSpec(StrictModel):
    """Where the Diet's sessions come from (docs/law.md, *The Diet's calendar*).

    ``generated`` draws a new calendar for every replication from parameters fitted to the real
    one (override any of them under ``params``); ``historical`` replays the real sessions since
    1990; ``explicit`` takes sessions, recesses, dissolutions and elections as listed.
    """

    source: Literal["generated", "historical", "explicit"] = "generated"
    params: CalendarParamsOverride = CalendarParamsOverride()
    sessions: list[ExplicitSession] = Field(default_factory=list)
    recesses: list[ExplicitRecess] = Field(default_factory=list)
    dissolutions: list[Day] = Field(default_factory=list)
    elections: list[Day] = Field(default_factory=list)
    hc_elections: list[Day] = Field(default_factory=list)


class Deliberation(StrictModel):
    """Sitting days each House takes to decide (Art. 6(8) asks for at most 7)."""

    first_house: Distribution = Lognormal(dist="lognormal", median=5, sigma=0.6)
    second_house: Distribution = Lognormal(dist="lognormal", median=5, sigma=0.6)


class ApprovalProbability(StrictModel):
    """Chance that each House approves when it decides; both must approve."""

    representatives: Probability = 0.97
    councillors: Probability = 0.95


class Diet(StrictModel):
    """The Diet's calendar and its procedure on approvals (Art. 6(7)-(12)); assumptions."""

    calendar: DietCalendarSpec = DietCalendarSpec()
    first_house: Literal["representatives", "councillors"] = "representatives"
    deliberation: Deliberation = Deliberation()
    approval_probability: ApprovalProbability = ApprovalProbability()
    carry_over: bool = False
    after_lapse: Literal["seek_again", "abandon"] = "seek_again"
    post_approval_lag: Distribution = Fixed(value=0)
    renewal_lead: Distribution = Fixed(value=30)


def horizon_date(start: dt.date, end: dt.date | None, horizon_years: float | None) -> dt.date:
    """A scenario's horizon as a date: ``end``, or ``start`` plus ``horizon_years`` of 365.25 days.

    A function of the fields, so that a reader of a results folder's stored scenario (the report)
    uses the same rule without validating the scenario again.
    """
    if end is not None:
        return end
    assert horizon_years is not None
    return start + dt.timedelta(days=round(horizon_years * 365.25))


class Scenario(StrictModel):
    """Everything one simulation needs; the top level of a scenario YAML file."""

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9_\-.]*$")
    description: str = ""
    start: StepDate
    end: StepDate | None = None
    horizon_years: Annotated[Number, Field(gt=0, le=MAX_HORIZON_YEARS)] | None = None
    seed: Annotated[Integer, Field(ge=0, le=MAX_SEED)] = 1992
    replications: Annotated[Integer, Field(ge=1, le=MAX_REPLICATIONS)] = 100
    procedure: Procedure = Procedure()
    diet: Diet = Diet()
    cap: Cap = Cap()
    hazards: Hazards = Hazards()
    hazards_by_operation: dict[OperationType, HazardsOverride] = Field(default_factory=dict)
    deployments: list[Deployment] = Field(default_factory=list)
    scripted: list[ScriptedEvent] = Field(default_factory=list)
    alliance: Alliance | None = None
    law: LawSpec = LawSpec()
    """Which text of the Act judges the decisions: ``auto`` (the one in force on each date) or a date."""
    streams: list[Stream] = Field(default_factory=list)
    """Requests that arrive as a process (:mod:`sim.scenario.streams`), beside ``deployments``."""

    @model_validator(mode="after")
    def _one_horizon(self) -> Scenario:
        if (self.end is None) == (self.horizon_years is None):
            raise ValueError("give exactly one of 'end' (a date) or 'horizon_years'")
        if not self.deployments and not self.streams:
            raise ValueError("give at least one of 'deployments' (listed) or 'streams' (arriving)")
        return self

    @property
    def end_date(self) -> dt.date:
        """The horizon as a date (:func:`horizon_date`)."""
        return horizon_date(self.start, self.end, self.horizon_years)

    @property
    def horizon_days(self) -> int:
        """Days from ``start`` to the horizon."""
        return (self.end_date - self.start).days
