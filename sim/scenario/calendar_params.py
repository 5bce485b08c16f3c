"""``diet.calendar.params``: overrides of the generated calendar's parameters, every one typed.

Why a model of its own rather than a free mapping: a free mapping (``dict[str, Any]``) let a
string, a list or a YAML bomb through validation to fail or hang in the generator.  Each field
here mirrors one field of :class:`~sim.diet.generator.CalendarParams` (its docstring says what it
means and where its default comes from), with its type and bounds; the relations between them
(a minimum above its maximum, probabilities that do not sum to 1) are the dataclass's own checks,
which the law pass runs (:mod:`sim.scenario.checks`).  Only the fields given are overrides.
"""

from __future__ import annotations

import dataclasses
from typing import Annotated, Any

from pydantic import Field, create_model, model_serializer

from sim.diet.generator import CalendarParams
from sim.scenario.bounds import Integer, Number
from sim.scenario.strict import StrictModel

MAX_PARAM_DAYS = 36_525
"""A calendar parameter in days (or a day of a month) is at most a century: the generator steps
year by year, and longer sessions, terms or gaps would carry its dates past any horizon."""

_BOUNDS: dict[str, tuple[float, float]] = {
    "hc_election_interval_years": (1, 100),
    "hc_election_anchor_year": (1900, 2999),
    "dissolution_weibull_shape": (0.5, 50.0),
}
"""Bounds other than 0 to :data:`MAX_PARAM_DAYS`: years, and a Weibull shape whose small values
overflow the time to dissolution (``scale * E ** (1 / shape)``)."""


def _field_type(name: str, annotation: Any) -> Any:
    low, high = _BOUNDS.get(name, (0, MAX_PARAM_DAYS))
    if annotation in (bool, "bool"):
        return bool
    if annotation in (int, "int"):
        return Annotated[Integer, Field(ge=low, le=high)]
    if annotation in (float, "float"):
        return Annotated[Number, Field(ge=low, le=high)]
    if annotation in (tuple[float, ...], "tuple[float, ...]"):
        return tuple[Annotated[Number, Field(ge=0, le=1)], ...]
    raise TypeError(f"CalendarParams.{name}: no scenario type for {annotation!r}")  # a new kind of parameter


class _Overrides(StrictModel):
    """Serialised with only the fields given, so a scenario's dump (and its fingerprint) is unchanged."""

    @model_serializer(mode="wrap")
    def _given_only(self, handler: Any) -> dict[str, Any]:
        return {k: v for k, v in handler(self).items() if v is not None}

    def overrides(self) -> dict[str, Any]:
        """The parameters given, for ``dataclasses.replace(CalendarParams(), **...)``."""
        return {k: v for k, v in self.__dict__.items() if v is not None}


CalendarParamsOverride = create_model(
    "CalendarParamsOverride",
    __base__=_Overrides,
    __doc__="Overrides of :class:`~sim.diet.generator.CalendarParams`, each typed and bounded; omitted, fitted.",
    **{f.name: (_field_type(f.name, f.type) | None, None) for f in dataclasses.fields(CalendarParams)},
)
