"""What a user writes: a scenario, validated against the law before anything runs.

:func:`load_scenario` reads a YAML file (with its includes), a mapping or a :class:`Scenario` and
returns a validated scenario, or raises :class:`ConfigError` listing every problem with its field
and reason.  The parts: the models (:mod:`~sim.scenario.models`), distributions, the alliance
section, the law pass (:mod:`~sim.scenario.checks`), errors, files, dotted paths.
"""

from sim.scenario.calendars import explicit_calendar
from sim.scenario.checks import check_law, scripted_contingent
from sim.scenario.errors import ConfigError, Issue, pydantic_issues
from sim.scenario.files import load_scenario, parse_scenario, read_scenario_file, read_yaml
from sim.scenario.models import (
    Cap,
    Consents,
    Contingent,
    Deployment,
    Diet,
    DietCalendarSpec,
    Extension,
    Hazards,
    HazardsOverride,
    Procedure,
    ProcedureOverride,
    Scenario,
    ScriptedEvent,
    added_contingents,
    with_added,
)

__all__ = [
    "Cap",
    "ConfigError",
    "Consents",
    "Contingent",
    "Deployment",
    "Diet",
    "DietCalendarSpec",
    "Extension",
    "Hazards",
    "HazardsOverride",
    "Issue",
    "Procedure",
    "ProcedureOverride",
    "Scenario",
    "ScriptedEvent",
    "added_contingents",
    "check_law",
    "explicit_calendar",
    "load_scenario",
    "parse_scenario",
    "pydantic_issues",
    "read_scenario_file",
    "read_yaml",
    "scripted_contingent",
    "with_added",
]
