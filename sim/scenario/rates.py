"""When a stream's requests arrive: arrival days drawn from its process, and how many to expect.

Why here, beside the distributions: the arrival process is part of what the user wrote, and its
draws are plain NumPy (no SimPy), so the law pass can ask how many arrivals to expect and the model
can draw them, each from the stream's own random stream, before a replication runs.

Times are continuous while drawn; a request arriving at any moment of a day arrives on that day
(the time rounded down), so every arrival falls inside the stream and inside its rate's period.
"""

from __future__ import annotations

import math

import numpy as np

from sim.randomness import whole_days
from sim.scenario.distributions import Distribution
from sim.scenario.models import Scenario
from sim.scenario.streams import DAYS_PER_YEAR, Stream
from sim.scenario.templates import stream_end, stream_start

Segment = tuple[float, float, float]
"""``(from day, to day, rate per day)`` of a piecewise-constant rate."""


def rate_segments(scenario: Scenario, stream: Stream, start: float, end: float) -> list[Segment]:
    """The stream's rate as constant pieces covering ``[start, end)`` (Poisson and piecewise)."""
    arrivals = stream.arrivals
    if arrivals.process == "poisson":
        return [(start, end, (arrivals.rate or 0.0) / DAYS_PER_YEAR)]
    bounds = [(p.start - scenario.start).days for p in arrivals.periods]
    pieces = []
    for k, period in enumerate(arrivals.periods):
        lo = max(start, bounds[k])
        hi = min(end, bounds[k + 1] if k + 1 < len(bounds) else end)
        if lo < hi:
            pieces.append((lo, hi, period.rate / DAYS_PER_YEAR))
    return pieces


def _mean(dist: Distribution, floor: float = 0.0) -> float:
    """A distribution's mean, estimated on a fixed sample (the same answer every time)."""
    rng = np.random.Generator(np.random.PCG64(0))
    return float(np.mean([max(floor, dist.draw(rng)) for _ in range(4000)]))


def _burst_size(stream: Stream, rng: np.random.Generator) -> int:
    burst = stream.arrivals.burst
    return 1 if burst is None else max(1, whole_days(burst.size.draw(rng)))


def expected_arrivals(scenario: Scenario, stream: Stream) -> float:
    """Arrivals expected per replication: epochs expected times the mean burst size."""
    start, end = stream_start(scenario, stream), stream_end(scenario, stream)
    arrivals = stream.arrivals
    if arrivals.process == "renewal":
        assert arrivals.interarrival is not None
        gap = _mean(arrivals.interarrival)
        epochs = math.inf if gap <= 0 else (end - start) / gap
    else:
        epochs = sum((hi - lo) * rate for lo, hi, rate in rate_segments(scenario, stream, start, end))
    size = 1.0 if arrivals.burst is None else _mean(arrivals.burst.size, floor=1.0)
    return epochs * size


def _epochs(scenario: Scenario, stream: Stream, rng: np.random.Generator, start: int, end: int) -> list[float]:
    """The process's arrival epochs in ``[start, end)``, at most ``max_arrivals`` of them."""
    out: list[float] = []
    arrivals = stream.arrivals
    if arrivals.process == "renewal":
        assert arrivals.interarrival is not None
        t = float(start)
        while len(out) < stream.max_arrivals:
            t += arrivals.interarrival.draw(rng)
            if t >= end:
                break
            out.append(t)
        return out
    segments = rate_segments(scenario, stream, start, end)
    k, t = 0, float(start)
    while k < len(segments) and len(out) < stream.max_arrivals:
        need = rng.exponential()  # unit-rate time, spent through the segments' cumulative rate
        while k < len(segments):
            lo, hi, rate = segments[k]
            t = max(t, lo)
            if rate > 0 and need <= (hi - t) * rate:
                t += need / rate
                out.append(t)
                break
            need -= (hi - t) * rate
            t = hi
            k += 1
    return out


def arrival_days(scenario: Scenario, stream: Stream, rng: np.random.Generator) -> list[int]:
    """The days (of the run) of one replication's arrivals, in order, at most ``max_arrivals``."""
    start, end = stream_start(scenario, stream), stream_end(scenario, stream)
    burst = stream.arrivals.burst
    times: list[float] = []
    for epoch in _epochs(scenario, stream, rng, start, end):
        t = epoch
        for member in range(_burst_size(stream, rng)):
            if member:
                assert burst is not None
                t += burst.spread.draw(rng)
            times.append(t)
    days = sorted(math.floor(t) for t in times)
    return [d for d in days if d < end][: stream.max_arrivals]
