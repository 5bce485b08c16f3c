"""Figures from the result tables, and the HTML report of a results folder.

Every function returns a matplotlib ``Figure`` to restyle or save; none reads SimPy, only the
tables (:mod:`sim.figures.run` for one run, :mod:`sim.figures.sweep` for a sweep's sensitivity
and summary tables, :mod:`sim.figures.bands` for time series across replications, :mod:`sim.figures.portfolio` for a
portfolio per year);
:mod:`sim.figures.report` puts a folder's figures and tables on one page.

No backend is chosen here: in Jupyter the figures show inline, in a script ``plt.show()`` opens
them, and the ``pko-sim`` command picks the file-only Agg backend itself.  The functions are
imported on first use (``figures.timeline``), so that the command's light paths (``--help``,
``validate``, ``plot --help``) never import matplotlib.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.lazy import lazy_names

if TYPE_CHECKING:  # the names as type checkers and IDEs see them
    from sim.figures.bands import bands
    from sim.figures.portfolio import person_days
    from sim.figures.run import DURATIONS, durations, engaged, survival, timeline
    from sim.figures.sweep import resolve_factor, response, sensitivity, short_labels, tornado

_PUBLIC = {
    "bands": "sim.figures.bands",
    "person_days": "sim.figures.portfolio",
    "resolve_factor": "sim.figures.sweep",
    "response": "sim.figures.sweep",
    "DURATIONS": "sim.figures.run",
    "durations": "sim.figures.run",
    "engaged": "sim.figures.run",
    "survival": "sim.figures.run",
    "timeline": "sim.figures.run",
    "sensitivity": "sim.figures.sweep",
    "short_labels": "sim.figures.sweep",
    "tornado": "sim.figures.sweep",
}

__all__ = [
    "DURATIONS",
    "bands",
    "durations",
    "engaged",
    "person_days",
    "resolve_factor",
    "response",
    "sensitivity",
    "short_labels",
    "survival",
    "timeline",
    "tornado",
]

__getattr__, __dir__ = lazy_names("sim.figures", globals(), _PUBLIC)
