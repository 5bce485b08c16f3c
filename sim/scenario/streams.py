"""Request streams: deployments that arrive as a process, beside the listed ones.

Why: a 30-year horizon with seven listed requests is empty after a few years; the questions asked
of the Act in time (how often the cap binds, how many Diet approvals a decade) need requests that
keep arriving.  A stream has an arrival process (:class:`Arrivals`: Poisson with a rate, a renewal
process with an inter-arrival distribution, a rate that changes by period, optionally in bursts)
and a template of what arrives (:class:`TemplateChoice`: a deployment without ``id`` and
``request``, one of them drawn by weight per arrival).  The arrival ``k`` of stream ``name`` is the
deployment ``name-k`` (:func:`arrival_id`); its id keys its random streams, so changing one
stream leaves every other deployment's draws alone (docs/architecture.md, *Randomness*).

Shape only here; each template is validated as a deployment, under the rulebook, by the law pass
(:mod:`sim.scenario.checks`), so that every arrival is as lawful as a listed deployment.  The
template's deployment fields stay a mapping in this model (checked there, and built into
:class:`~sim.scenario.models.Deployment` objects by :func:`template_deployment`), which keeps this
module free of the scenario model it is a field of.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import Field, model_validator

from sim.scenario.bounds import MAX_COUNT, MAX_WEIGHT, Day, Integer, Number, Rate
from sim.scenario.distributions import Distribution, Fixed
from sim.scenario.strict import StrictModel

NAME_PATTERN = r"^[A-Za-z][A-Za-z0-9_]*$"
"""A stream's name: an identifier without ``-``, so ``name-k`` is unambiguous."""

TEMPLATE_EXCLUDED = ("id", "request", "mission_end")
"""Deployment fields a template may not set: the arrival gives the id and the request; a dated
mission end belongs to a listed deployment, not to one whose request date is drawn."""

DAYS_PER_YEAR = 365.25


class RatePeriod(StrictModel):
    """From ``start`` on (until the next period), requests arrive at ``rate`` per year."""

    start: Day
    rate: Rate


class Burst(StrictModel):
    """Each arrival of the process brings ``size`` requests, ``spread`` days apart.

    ``size`` is a distribution of counts (rounded to whole numbers, at least 1).  Where the record
    shows clustering (several contingents decided in the same weeks), bursts reproduce it.
    """

    size: Distribution
    spread: Distribution = Fixed(value=0)


class Arrivals(StrictModel):
    """When requests arrive: ``poisson`` (``rate`` per year), ``renewal`` (``interarrival`` days,
    the first counted from the stream's start) or ``piecewise`` (a Poisson rate per period)."""

    process: Literal["poisson", "renewal", "piecewise"]
    rate: Rate | None = None
    interarrival: Distribution | None = None
    periods: list[RatePeriod] = Field(default_factory=list)
    burst: Burst | None = None

    @model_validator(mode="after")
    def _one_shape(self) -> Arrivals:
        needs = {"poisson": "rate", "renewal": "interarrival", "piecewise": "periods"}[self.process]
        given = {"rate": self.rate is not None, "interarrival": self.interarrival is not None,
                 "periods": bool(self.periods)}  # fmt: skip
        if not given[needs]:
            raise ValueError(f"a {self.process} process needs '{needs}'")
        extra = [name for name, there in given.items() if there and name != needs]
        if extra:
            raise ValueError(f"a {self.process} process takes '{needs}', not {', '.join(repr(e) for e in extra)}")
        starts = [p.start for p in self.periods]
        if starts != sorted(set(starts)):
            raise ValueError("periods must start on increasing dates, each once")
        return self


class TemplateChoice(StrictModel):
    """One kind of deployment a stream brings: the fields of a deployment but ``id``, ``request``
    and ``mission_end``, and its ``weight`` among the stream's choices."""

    model_config = StrictModel.model_config | {"extra": "allow"}

    weight: Annotated[Number, Field(gt=0, le=MAX_WEIGHT)] = 1.0

    @model_validator(mode="after")
    def _no_arrival_fields(self) -> TemplateChoice:
        given = [name for name in TEMPLATE_EXCLUDED if name in (self.model_extra or {})]
        if given:
            raise ValueError(f"a template does not set {', '.join(given)}: each arrival gets its own")
        return self

    @property
    def fields(self) -> dict[str, Any]:
        """The deployment's fields, as written."""
        return dict(self.model_extra or {})


class Stream(StrictModel):
    """A process of requests: when they arrive, and what each is."""

    name: str = Field(pattern=NAME_PATTERN)
    description: str = ""
    arrivals: Arrivals
    template: list[TemplateChoice] = Field(min_length=1)
    start: Day | None = None
    """First day requests may arrive (default: the scenario's start)."""
    end: Day | None = None
    """Requests arrive before this day (default: the horizon)."""
    max_arrivals: Annotated[Integer, Field(ge=1, le=MAX_COUNT)] = 100
    """At most this many arrivals per replication: the ids ``name-1`` .. ``name-<max>`` are the
    lanes of the tables; the law pass refuses a stream expected to come near it."""


def arrival_id(stream: str, k: int) -> str:
    """The stable id of the ``k``-th arrival (from 1) of ``stream``: ``name-k``."""
    return f"{stream}-{k}"


def arrival_ids(stream: Stream) -> list[str]:
    """Every id the stream can give, in order: the lanes it adds to the tables."""
    return [arrival_id(stream.name, k) for k in range(1, stream.max_arrivals + 1)]


def is_arrival_of(deployment_id: str, stream: str) -> bool:
    """True if ``deployment_id`` has the form of an arrival of ``stream`` (so it would clash)."""
    return re.fullmatch(rf"{re.escape(stream)}-\d+", deployment_id) is not None


def template_mapping(stream: Stream, choice: TemplateChoice, k: int, request: dt.date) -> dict[str, Any]:
    """The mapping of a deployment for the ``k``-th arrival drawn as ``choice`` on ``request``."""
    return {"id": arrival_id(stream.name, k), "request": request, **choice.fields}
