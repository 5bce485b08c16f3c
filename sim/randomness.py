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
from collections.abc import Callable

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


# -- NumPy's draws by NumPy's own formulas --------------------------------------------------------
# A scalar ``rng.lognormal(mu, sigma)`` spends most of its ~1 us checking its parameters (the scenario's
# validation has checked them); computed from NumPy's underlying draw by NumPy's own C formula, it is the
# very same number at about half the cost, and a triangular draw likewise (issue 19).  Where NumPy's C
# fuses ``loc + scale * z`` into one multiply-add (linux-aarch64, ppc64le: numpy issue 22993) the last bit
# can differ: a check at import then chooses NumPy's own methods instead (:data:`FORMULAS_EXACT`), so that
# a run's outputs never depend on which of the two computed them.  The choice is made once, not per draw.


def _normal(rng: np.random.Generator, loc: float, scale: float) -> float:
    return loc + scale * rng.standard_normal()  # random_normal


def _lognormal(rng: np.random.Generator, mean: float, sigma: float) -> float:
    return math.exp(mean + sigma * rng.standard_normal())  # random_lognormal


def _uniform(rng: np.random.Generator, low: float, high: float) -> float:
    return low + (high - low) * rng.random()  # random_uniform


def _triangular(rng: np.random.Generator, low: float, mode: float, high: float) -> float:
    base = high - low  # random_triangular
    u = rng.random()
    if u <= (mode - low) / base:
        return low + math.sqrt(u * ((mode - low) * base))
    return high - math.sqrt((1.0 - u) * ((high - mode) * base))


def _numpy_normal(rng: np.random.Generator, loc: float, scale: float) -> float:
    return float(rng.normal(loc, scale))


def _numpy_lognormal(rng: np.random.Generator, mean: float, sigma: float) -> float:
    return float(rng.lognormal(mean, sigma))


def _numpy_uniform(rng: np.random.Generator, low: float, high: float) -> float:
    return float(rng.uniform(low, high))


def _numpy_triangular(rng: np.random.Generator, low: float, mode: float, high: float) -> float:
    return float(rng.triangular(low, mode, high))


def _draws(exact: bool) -> tuple[Callable[..., float], ...]:
    """normal, lognormal, uniform and triangular: by the formulas if ``exact``, else NumPy's methods."""
    if exact:
        return _normal, _lognormal, _uniform, _triangular
    return _numpy_normal, _numpy_lognormal, _numpy_uniform, _numpy_triangular


def _formulas_match_numpy() -> bool:
    """Whether this machine's NumPy gives, for many parameters, exactly what the formulas give."""
    ours, theirs = stream(1992, 79, 0), stream(1992, 79, 0)
    for k in range(200):
        loc, scale = 0.37 * k - 9.1, 0.013 * k + 0.05
        low, mode, high = 0.5 * k, 0.51 * k + 1.3, 0.6 * k + 7.9
        if (
            _normal(ours, loc, scale) != theirs.normal(loc, scale)
            or _lognormal(ours, loc / 4, scale) != theirs.lognormal(loc / 4, scale)
            or _uniform(ours, low, high) != theirs.uniform(low, high)
            or _triangular(ours, low, mode, high) != theirs.triangular(low, mode, high)
        ):
            return False
    return True


FORMULAS_EXACT = _formulas_match_numpy()
"""True where NumPy computes its normal, lognormal, uniform and triangular draws as the formulas do."""

normal, lognormal, uniform, triangular = _draws(FORMULAS_EXACT)
"""``rng.normal(loc, scale)``, ``rng.lognormal(mean, sigma)``, ``rng.uniform(low, high)`` and
``rng.triangular(low, mode, high)`` as functions of ``rng`` first: the same numbers, faster where
:data:`FORMULAS_EXACT`; the parameters as NumPy's methods take them, checked by the scenario's validation."""
