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
