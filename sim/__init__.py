"""pko-sim: a discrete-event simulator of Japan's International Peace Cooperation Act.

The public interface: :func:`load_scenario`, :func:`simulate` and the tables of
:class:`SimulationResult` (``.events``, ``.deployments``, ``.calendar``, ``.engaged``), and
:func:`run_experiment` for designs of many scenarios run many times.

The names are imported on first use (module ``__getattr__``), not when ``sim`` is imported: the
``pko-sim`` command imports ``sim.cli``, which imports this package first, and ``pko-sim --help``
or ``pko-sim validate`` should not wait for pandas, SciPy, SALib and Dask, which only running and
analysing need.  ``import sim; sim.simulate(...)`` works as before.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sim.lazy import lazy_names

if TYPE_CHECKING:  # the names as type checkers and IDEs see them
    from sim.run.replications import simulate
    from sim.run.tables import SimulationResult
    from sim.scenario import ConfigError, Scenario, load_scenario
    from sim.sweep.experiment import ExperimentResult, load_experiment, run_experiment
    from sim.version import __version__

_PUBLIC = {
    "ConfigError": "sim.scenario",
    "ExperimentResult": "sim.sweep.experiment",
    "Scenario": "sim.scenario",
    "SimulationResult": "sim.run.tables",
    "__version__": "sim.version",
    "load_experiment": "sim.sweep.experiment",
    "load_scenario": "sim.scenario",
    "run_experiment": "sim.sweep.experiment",
    "simulate": "sim.run.replications",
}

__all__ = [
    "ConfigError",
    "ExperimentResult",
    "Scenario",
    "SimulationResult",
    "__version__",
    "load_experiment",
    "load_scenario",
    "run_experiment",
    "simulate",
]

__getattr__, __dir__ = lazy_names("sim", globals(), _PUBLIC)
