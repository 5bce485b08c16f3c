"""Durations as distributions, in days.

Every waiting time in a scenario (the lag from request to Cabinet decision, a plan period, a
withdrawal) is one of these.  A bare number in YAML means ``fixed``, so a fully fixed scenario
reads naturally and runs deterministically.  The model's clock ticks in whole days, because the
Act and the Diet count calendar days; :meth:`Distribution.days` rounds a draw to the nearest
day (halves up) and never below zero.
"""

from __future__ import annotations

import math
from abc import ABC, abstractmethod
from typing import Annotated, Any, Literal

import numpy as np
from pydantic import BeforeValidator, Field, model_validator

from sim import randomness
from sim.randomness import whole_days
from sim.scenario.bounds import MAX_SHAPE, MAX_SIGMA, Days, Number, PositiveDays, Weight
from sim.scenario.strict import StrictModel


class _Dist(StrictModel, ABC):
    @abstractmethod
    def draw(self, rng: np.random.Generator) -> float:
        """One value, in days."""

    def days(self, rng: np.random.Generator) -> int:
        """One draw rounded to whole days, at least 0 (and at most :data:`~sim.randomness.LONGEST_DAYS`)."""
        return max(0, whole_days(self.draw(rng)))

    def describe(self) -> str:
        """A short human reading, e.g. ``lognormal(median=30, sigma=0.5)``."""
        fields = ", ".join(f"{k}={v}" for k, v in self.model_dump(exclude={"dist"}).items())
        return f"{self.dist}({fields})"  # type: ignore[attr-defined]


class Fixed(_Dist):
    """Always the same value."""

    dist: Literal["fixed"] = "fixed"
    value: Days

    def draw(self, rng: np.random.Generator) -> float:
        return self.value

    def describe(self) -> str:
        return f"{self.value:g}"


class Exponential(_Dist):
    """Memoryless waiting time with the given mean."""

    dist: Literal["exponential"]
    mean: PositiveDays

    def draw(self, rng: np.random.Generator) -> float:
        return float(rng.exponential(self.mean))


class Lognormal(_Dist):
    """Right-skewed durations, parameterised by median and log-scale sigma."""

    dist: Literal["lognormal"]
    median: PositiveDays
    sigma: Annotated[Number, Field(ge=0, le=MAX_SIGMA)]

    def draw(self, rng: np.random.Generator) -> float:
        return randomness.lognormal(rng, math.log(self.median), self.sigma)  # rng.lognormal's number, faster


class Gamma(_Dist):
    """Gamma with shape k and scale theta (mean k*theta)."""

    dist: Literal["gamma"]
    shape: Annotated[Number, Field(gt=0, le=MAX_SHAPE)]
    scale: PositiveDays

    def draw(self, rng: np.random.Generator) -> float:
        return float(rng.gamma(self.shape, self.scale))


class Uniform(_Dist):
    """Any value between low and high, equally likely."""

    dist: Literal["uniform"]
    low: Days
    high: Days

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        if self.high < self.low:
            raise ValueError(f"high ({self.high}) must not be below low ({self.low})")
        return self

    def draw(self, rng: np.random.Generator) -> float:
        return randomness.uniform(rng, self.low, self.high)  # rng.uniform's number, faster


class Triangular(_Dist):
    """Between low and high, most likely at mode."""

    dist: Literal["triangular"]
    low: Days
    mode: Days
    high: Days

    @model_validator(mode="after")
    def _ordered(self) -> Triangular:
        if not self.low <= self.mode <= self.high:
            raise ValueError(f"need low <= mode <= high, got {self.low}, {self.mode}, {self.high}")
        if self.low == self.high:
            raise ValueError("low and high must differ (use a fixed value instead)")
        return self

    def draw(self, rng: np.random.Generator) -> float:
        return randomness.triangular(rng, self.low, self.mode, self.high)  # rng.triangular's number, faster


class Empirical(_Dist):
    """Resampling of observed values, with optional weights."""

    dist: Literal["empirical"]
    values: list[Days] = Field(min_length=1)
    weights: list[Weight] | None = None

    @model_validator(mode="after")
    def _weights_match(self) -> Empirical:
        if self.weights is not None:
            if len(self.weights) != len(self.values):
                raise ValueError("weights must have one entry per value")
            if sum(self.weights) <= 0:
                raise ValueError("weights must not all be zero")
        return self

    def draw(self, rng: np.random.Generator) -> float:
        if self.weights is None:
            return self.values[int(rng.integers(len(self.values)))]
        total = sum(self.weights)
        return float(rng.choice(self.values, p=[w / total for w in self.weights]))


DIST_NAMES = ("fixed", "exponential", "lognormal", "gamma", "uniform", "triangular", "empirical")
DIST_MODELS: dict[str, type[_Dist]] = {
    "fixed": Fixed,
    "exponential": Exponential,
    "lognormal": Lognormal,
    "gamma": Gamma,
    "uniform": Uniform,
    "triangular": Triangular,
    "empirical": Empirical,
}
"""Each ``dist`` tag's model, so an error inside one names that distribution's fields."""


def _shorthand(value: Any) -> Any:
    """A bare number is a fixed duration; an unknown ``dist`` gets a clear message."""
    if isinstance(value, bool):
        raise ValueError(f"a duration is a number of days or a distribution, not {str(value).lower()}")
    if isinstance(value, int | float):
        return {"dist": "fixed", "value": value}
    if isinstance(value, dict) and "dist" not in value and set(value) == {"value"}:
        return {"dist": "fixed", **value}
    if isinstance(value, dict) and value.get("dist") not in DIST_NAMES and "dist" in value:
        raise ValueError(f"unknown distribution {value['dist']!r}; choose one of {', '.join(DIST_NAMES)}")
    return value


Distribution = Annotated[
    Annotated[
        Fixed | Exponential | Lognormal | Gamma | Uniform | Triangular | Empirical,
        Field(discriminator="dist"),
    ],
    BeforeValidator(_shorthand),
]
