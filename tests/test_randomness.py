"""Every stream depends on (seed, replication, source) and nothing else (sim/randomness.py).

This is what common random numbers and "any replication computable alone, on any worker" rest on;
the streams are seeded by a hash of the three (CHANGELOG 0.2.0) rather than a NumPy SeedSequence.
"""

from __future__ import annotations

import numpy as np
import pytest

from sim.randomness import HashedSeed, stream, stream_key


def test_the_same_three_give_the_same_draws_whatever_was_made_before() -> None:
    first = stream(7, 3, stream_key("deployment:a")).random(5)
    for key in range(50):  # other streams made and used in between change nothing
        stream(7, 3, key).random(10)
    assert np.array_equal(stream(7, 3, stream_key("deployment:a")).random(5), first)


@pytest.mark.parametrize("other", [(8, 3, "deployment:a"), (7, 4, "deployment:a"), (7, 3, "deployment:b")])
def test_changing_any_one_of_the_three_gives_another_stream(other: tuple[int, int, str]) -> None:
    seed, replication, name = other
    base = stream(7, 3, stream_key("deployment:a")).random(5)
    assert not np.array_equal(stream(seed, replication, stream_key(name)).random(5), base)


def test_replication_and_key_are_not_interchangeable() -> None:
    assert not np.array_equal(stream(1, 12, 3).random(5), stream(1, 1, 23).random(5))


def test_the_seed_is_a_256_bit_hash_read_the_same_on_any_machine() -> None:
    seed = HashedSeed(1992, 0, 42)
    words = seed.generate_state(4, np.uint64)
    assert words.dtype == np.uint64 and len(set(words.tolist())) == 4
    halves = seed.generate_state(8, np.uint32)
    assert np.array_equal(halves.astype("<u4").view("<u8"), words.astype("<u8"))  # the same 32 bytes
    with pytest.raises(ValueError, match="words"):
        seed.generate_state(5, np.uint64)


def test_a_streams_draws_are_pinned_to_the_hash_of_seed_replication_and_key() -> None:
    """Outputs stay byte-identical only while a stream's seed is made the same way: these draws are 0.2.0's."""
    assert stream(7, 3, 12345).random() == 0.7512731893108505
    assert stream(2**40, 10**6, 2**32 - 1).random() == 0.8327739702907331
    assert stream(np.int64(7), np.int64(3), 12345).random() == 0.7512731893108505, "NumPy integers hash as ints"


@pytest.mark.parametrize("seed", [5.0, 5.5, True, -1, "5"])
def test_simulate_takes_only_a_whole_seed(seed: object) -> None:
    import sim

    with pytest.raises(ValueError, match="seed must be a whole number"):
        sim.simulate("configs/eight_assignments.yaml", replications=1, seed=seed)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("dist", "numpy_draw"),
    [
        ({"dist": "lognormal", "median": 45, "sigma": 0.6}, lambda rng: rng.lognormal(np.log(45), 0.6)),
        ({"dist": "lognormal", "median": 7.5, "sigma": 0}, lambda rng: rng.lognormal(np.log(7.5), 0)),
        ({"dist": "triangular", "low": 2, "mode": 9, "high": 40}, lambda rng: rng.triangular(2, 9, 40)),
        ({"dist": "triangular", "low": 0.5, "mode": 0.5, "high": 3.25}, lambda rng: rng.triangular(0.5, 0.5, 3.25)),
        ({"dist": "triangular", "low": 1, "mode": 30, "high": 30}, lambda rng: rng.triangular(1, 30, 30)),
        ({"dist": "uniform", "low": 3, "high": 17.5}, lambda rng: rng.uniform(3, 17.5)),
    ],
)
def test_a_distribution_draws_numpys_own_number(dist: dict, numpy_draw) -> None:
    """The durations are computed from NumPy's underlying draw (a standard normal, a uniform) by
    NumPy's own formula, for speed (issue 19): each draw must be the very number NumPy's method gives
    from the same stream, or every generated scenario's outputs would change."""
    from pydantic import TypeAdapter

    from sim.scenario.distributions import Distribution

    model = TypeAdapter(Distribution).validate_python(dist)
    ours, theirs = stream(11, 2, stream_key("a")), stream(11, 2, stream_key("a"))
    for _ in range(20_000):
        assert model.draw(ours) == float(numpy_draw(theirs))


def test_the_calendars_clipped_normal_is_numpys_normal() -> None:
    """The generated Diet calendar's normal draws are NumPy's ``normal(mean, sd)``, computed from its
    standard normal (issue 19)."""
    from sim.diet.generator import CalendarParams, _Generator

    gen = _Generator(CalendarParams(), stream(5, 0, stream_key("calendar")), 2020)
    gen.rng, theirs = stream(5, 1, stream_key("calendar")), stream(5, 1, stream_key("calendar"))
    for _ in range(5_000):
        got = gen._clipped_normal(18.0, 6.5, -1_000, 1_000)
        assert got == min(1_000, max(-1_000, int(np.floor(float(theirs.normal(18.0, 6.5)) + 0.5))))


def test_where_numpy_computes_otherwise_its_own_methods_are_called(monkeypatch: pytest.MonkeyPatch) -> None:
    """Where NumPy's C fuses a multiply-add (aarch64, ppc64le) the formulas could differ from it in the last
    bit: the check at import then fails, and each draw is NumPy's own method call."""
    from sim import randomness

    monkeypatch.setattr(randomness, "_uniform", lambda rng, low, high: low + (high - low) * rng.random() + 1e-9)
    assert not randomness._formulas_match_numpy()
    normal, lognormal, uniform, triangular = randomness._draws(exact=False)
    ours, theirs = stream(3, 1, stream_key("b")), stream(3, 1, stream_key("b"))
    for _ in range(1_000):
        assert uniform(ours, 2, 9.5) == theirs.uniform(2, 9.5)
        assert normal(ours, 4, 1.5) == theirs.normal(4, 1.5)
        assert lognormal(ours, 1.2, 0.4) == theirs.lognormal(1.2, 0.4)
        assert triangular(ours, 1, 4, 30) == theirs.triangular(1, 4, 30)


def test_a_negative_zero_spread_is_read_as_zero() -> None:
    """``-0.0`` passes ``ge=0``; NumPy refused it as a negative scale mid-run, the formulas would not: it is
    read as 0.0 at validation, so both agree and the run goes on."""
    import math

    from pydantic import TypeAdapter

    from sim.scenario.distributions import Distribution

    model = TypeAdapter(Distribution).validate_python({"dist": "lognormal", "median": 5, "sigma": -0.0})
    assert math.copysign(1.0, model.sigma) == 1.0
    assert model.days(stream(1, 1, 1)) == 5
