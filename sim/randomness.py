"""Randomness in one place: where every stream comes from, and how a draw becomes whole days.

One ``SeedSequence`` per run: replication ``r`` is the child with spawn key ``(r, key)``, where
``key`` is a stable hash of the name of one source of randomness (``deployment:<id>``, ``diet``,
``calendar``, ``field``, ``alliance``).  Adding a deployment or changing one parameter therefore
leaves every other stream's draws untouched (common random numbers), and any replication can be
computed alone, on any worker, with the same result (docs/architecture.md).

The clock ticks in whole days because the Act and the Diet count calendar days; every drawn
duration is rounded to the nearest day, halves up (:func:`whole_days`).
"""

from __future__ import annotations

import math
import zlib

import numpy as np


def stream_key(name: str) -> int:
    """The stable key of a named source of randomness (CRC-32 of its name)."""
    return zlib.crc32(name.encode())


DIET = stream_key("diet")
CALENDAR = stream_key("calendar")
FIELD = stream_key("field")
ALLIANCE = stream_key("alliance")


def deployment_key(deployment_id: str) -> int:
    """The key of one deployment's own stream: its lags, period, rotations and extensions."""
    return stream_key(f"deployment:{deployment_id}")


def stream(seed: int, replication: int, key: int) -> np.random.Generator:
    """The generator for one source of randomness in one replication."""
    seq = np.random.SeedSequence(seed, spawn_key=(replication, key))
    return np.random.Generator(np.random.PCG64(seq))


LONGEST_DAYS = 1_000_000_000
"""A draw this long or longer (an infinite one too: a rate of 1e-320 a year has a mean wait of
``inf`` days) is taken as this many days.  It lies past any horizon, so nothing a run observes changes."""


def whole_days(value: float) -> int:
    """A drawn duration in whole days: the nearest day, halves up (the one rounding rule), at most
    :data:`LONGEST_DAYS`."""
    if value >= LONGEST_DAYS:
        return LONGEST_DAYS
    return math.floor(value + 0.5)
