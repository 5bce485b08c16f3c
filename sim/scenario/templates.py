"""A stream's templates as deployments, and the lanes a scenario's tables have.

Why: each template choice of a request stream (:mod:`sim.scenario.streams`) is a deployment
without its id and request.  It is built into a :class:`~sim.scenario.models.Deployment` once, on
the stream's start day with the id of its first arrival, so that the law pass checks it exactly as
it checks a listed deployment, and the model copies it for every arrival with only the id and the
request changed.
"""

from __future__ import annotations

from pydantic import ValidationError

from sim.scenario.errors import Issue, pydantic_issues
from sim.scenario.models import Deployment, Scenario
from sim.scenario.streams import Stream, TemplateChoice, arrival_ids, template_mapping


def stream_start(scenario: Scenario, stream: Stream) -> int:
    """The stream's first day as a day of the run."""
    return 0 if stream.start is None else (stream.start - scenario.start).days


def stream_end(scenario: Scenario, stream: Stream) -> int:
    """The day (of the run) before which the stream's requests arrive."""
    end = scenario.horizon_days if stream.end is None else (stream.end - scenario.start).days
    return min(end, scenario.horizon_days)


def template_deployment(scenario: Scenario, stream: Stream, choice: TemplateChoice) -> Deployment:
    """The choice as a deployment: the stream's first arrival id, requested on its first day.

    Raises pydantic's ``ValidationError`` if the template is not a deployment's fields.
    """
    request = stream.start or scenario.start
    return Deployment.model_validate(template_mapping(stream, choice, 1, request))


def template_issues(scenario: Scenario, stream: Stream, choice: TemplateChoice, where: str) -> list[Issue]:
    """Pydantic's problems with one template choice, at its place in the scenario."""
    try:
        template_deployment(scenario, stream, choice)
    except ValidationError as exc:
        return [Issue(path=f"{where}.{i.path}", reason=i.reason) for i in pydantic_issues(exc, Deployment)]
    return []


def stream_templates(scenario: Scenario) -> dict[str, tuple[Deployment, ...]]:
    """Each stream's template choices as deployments (of a scenario the law pass accepted)."""
    return {s.name: tuple(template_deployment(scenario, s, c) for c in s.template) for s in scenario.streams}


def deployment_ids(scenario: Scenario) -> list[str]:
    """Every deployment id a run of the scenario can have: the listed ones, then each stream's arrivals.

    These are the categories of the tables' ``deployment`` column, the same in every replication
    and design point, so Parquet parts written by different workers read back as one table.
    """
    ids = [d.id for d in scenario.deployments]
    for stream in scenario.streams:
        ids += arrival_ids(stream)
    return ids
