"""Randomness in one place: where every stream comes from, and how a draw becomes whole days.

Each source of randomness in each replication has its own PCG64 generator, whose 256-bit seed
is the BLAKE2b hash of ``(seed, replication, key)``, where ``key`` is a stable hash of the
source's name (``deployment:<id>``, ``diet``, ``calendar``, ``field``, ``alliance``).  A stream
therefore depends on nothing but those three: adding a deployment or changing one parameter
leaves every other stream's draws untouched (common random numbers), and any replication can be
computed alone, on any worker, with the same result (docs/architecture.md).

Why a hash and not NumPy's ``SeedSequence`` (used up to version 0.2): a replication of a
portfolio makes dozens of generators, and a ``SeedSequence`` cost about 20 us each to build,
a tenth of a run (issue 19); the hash costs about 1 us, and a cryptographic hash of distinct
inputs gives seeds as unrelated as ``SeedSequence``'s mixing does.

The clock ticks in whole days because the Act and the Diet count calendar days; every drawn
duration is rounded to the nearest day, halves up (:func:`whole_days`).
"""

from __future__ import annotations

import hashlib
import math
import zlib

import numpy as np
from numpy.random.bit_generator import ISeedSequence


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


_UINT64 = np.dtype(np.uint64)
_NATIVE_LITTLE_ENDIAN = np.dtype("<u8") == _UINT64


class HashedSeed(ISeedSequence):
    """The seed of one stream: PCG64's four 64-bit words, the BLAKE2b digest of (seed, replication, key).

    NumPy's bit generators take any :class:`ISeedSequence` as their seed; this one only hashes.
    """

    __slots__ = ("digest",)

    def __init__(self, seed: int, replication: int, key: int):
        self.digest = hashlib.blake2b(b"%d/%d/%d" % (seed, replication, key), digest_size=32).digest()

    def generate_state(self, n_words: int, dtype: type = np.uint32) -> np.ndarray:
        """The digest as ``n_words`` little-endian words of ``dtype`` (PCG64 asks for four uint64)."""
        if n_words == 4 and dtype is np.uint64 and _NATIVE_LITTLE_ENDIAN:
            # PCG64's own request, without the copy: a replication makes a stream per source
            return np.frombuffer(self.digest, _UINT64)  # a dtype object, not the type: half the call
        words = np.frombuffer(self.digest, dtype=np.dtype(dtype).newbyteorder("<"))
        if n_words > len(words):
            raise ValueError(f"a hashed seed has {len(words)} words of {np.dtype(dtype).name}, not {n_words}")
        return words[:n_words].astype(dtype)


def stream(seed: int, replication: int, key: int) -> np.random.Generator:
    """The generator for one source of randomness in one replication."""
    return np.random.Generator(np.random.PCG64(HashedSeed(seed, replication, key)))


LONGEST_DAYS = 1_000_000_000
"""A draw this long or longer (an infinite one too: a rate of 1e-320 a year has a mean wait of
``inf`` days) is taken as this many days.  It lies past any horizon, so nothing a run observes changes."""


def whole_days(value: float) -> int:
    """A drawn duration in whole days: the nearest day, halves up (the one rounding rule), at most
    :data:`LONGEST_DAYS`."""
    if value >= LONGEST_DAYS:
        return LONGEST_DAYS
    return math.floor(value + 0.5)
