"""A replication's arriving deployments: each stream's arrivals drawn, their templates chosen.

Why before the run, not inside it: a replication is built in full and then run (the world wires
nothing up mid-run), and drawing the arrivals first keeps every arrival's lifecycle the same
process as a listed deployment's, waiting until its request day.

Common random numbers (docs/architecture.md): a stream's arrival days come from its own random
stream (``stream:<name>``); which template the ``k``-th arrival takes, from the ``k``-th draw of
the stream's choices (``choices:<name>``), whatever the days; its lifecycle, from
``deployment:<name>-<k>`` as for any deployment.  Changing one stream's rate therefore moves its
own arrivals and nothing else, and arrival ``k`` keeps its template and its lags when only the
days change.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from sim import randomness
from sim.model.portfolio import PlannedDeployment, plan_deployment
from sim.scenario import Scenario
from sim.scenario.rates import arrival_days
from sim.scenario.streams import Stream, arrival_id
from sim.scenario.templates import stream_templates


@dataclass(frozen=True)
class PlannedStream:
    """A stream with its templates resolved against the rulebook once, for the whole run."""

    stream: Stream
    templates: tuple[PlannedDeployment, ...]
    cumulative_weights: np.ndarray
    first_lane: int
    """The lane (``deployment`` code) of the stream's first arrival."""

    @property
    def needs_diet(self) -> bool:
        """True if some template's dispatch needs the Diet's approval (Art. 6(7))."""
        return any(t.needs_diet for t in self.templates)


def plan_streams(scenario: Scenario) -> tuple[PlannedStream, ...]:
    """Every stream's templates planned like listed deployments; lanes after the listed ones."""
    templates = stream_templates(scenario)
    lane = len(scenario.deployments)
    planned = []
    for stream in scenario.streams:
        weights = np.cumsum([c.weight for c in stream.template])
        tpl = tuple(plan_deployment(scenario, dep, lane) for dep in templates[stream.name])
        planned.append(PlannedStream(stream, tpl, weights / weights[-1], lane))
        lane += stream.max_arrivals
    return tuple(planned)


def _choices(planned: PlannedStream, seed: int, replication: int, count: int) -> np.ndarray:
    """Which template each of ``count`` arrivals takes, by weight: the ``k``-th draw of the stream's
    choices for arrival ``k`` (nothing drawn for a single template)."""
    if len(planned.templates) == 1:
        return np.zeros(count, dtype=int)
    rng = randomness.stream(seed, replication, randomness.stream_key(f"choices:{planned.stream.name}"))
    return np.searchsorted(planned.cumulative_weights, rng.random(count), side="right")


def draw_arrivals(
    scenario: Scenario, streams: tuple[PlannedStream, ...], seed: int, replication: int
) -> list[PlannedDeployment]:
    """One replication's arriving deployments, stream by stream, each in order of arrival."""
    arrivals = []
    for planned in streams:
        name = planned.stream.name
        rng = randomness.stream(seed, replication, randomness.stream_key(f"stream:{name}"))
        days = arrival_days(scenario, planned.stream, rng)
        choices = _choices(planned, seed, replication, len(days))
        for k, day in enumerate(days, start=1):
            deployment_id = arrival_id(name, k)
            template = planned.templates[int(choices[k - 1])]
            request = scenario.start + dt.timedelta(days=day)
            spec = template.spec.model_copy(update={"id": deployment_id, "request": request})
            arrivals.append(template.arriving(planned.first_lane + k - 1, spec, day))
    return arrivals
