"""The Diet calendar a scenario lists (``diet.calendar.source: explicit``), built for the model."""

from __future__ import annotations

from sim.diet.calendar import DietCalendar
from sim.scenario.models import DietCalendarSpec


def explicit_calendar(spec: DietCalendarSpec) -> DietCalendar:
    """The :class:`DietCalendar` an explicit calendar spec lists."""
    return DietCalendar.explicit(
        [s.model_dump() for s in spec.sessions],
        [(r.start, r.end) for r in spec.recesses],
        spec.dissolutions,
        spec.elections,
        spec.hc_elections,
    )
