"""Figures from the result tables, and the HTML report of a results folder.

Every function returns a matplotlib ``Figure`` to restyle or save; none reads SimPy, only the
tables (:mod:`sim.figures.run` for one run, :mod:`sim.figures.sweep` for a sweep's sensitivity
and summary tables, :mod:`sim.figures.bands` for time series across replications);
:mod:`sim.figures.report` puts a folder's figures and tables on one page.
"""

from sim.figures.bands import bands
from sim.figures.run import DURATIONS, durations, engaged, survival, timeline
from sim.figures.sweep import resolve_factor, response, sensitivity, short_labels, tornado

__all__ = [
    "DURATIONS",
    "bands",
    "durations",
    "engaged",
    "resolve_factor",
    "response",
    "sensitivity",
    "short_labels",
    "survival",
    "timeline",
    "tornado",
]
