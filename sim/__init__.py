"""pko-sim: a discrete-event simulator of Japan's International Peace Cooperation Act.

The public interface: :func:`load_scenario`, :func:`simulate` and the tables of
:class:`SimulationResult` (``.events``, ``.deployments``, ``.calendar``, ``.engaged``), and
:func:`run_experiment` for designs of many scenarios run many times.
"""

from importlib.metadata import PackageNotFoundError, version

from sim.run.replications import simulate
from sim.run.tables import SimulationResult
from sim.scenario import ConfigError, Scenario, load_scenario
from sim.sweep.experiment import ExperimentResult, load_experiment, run_experiment

try:
    __version__ = version("pko-sim")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0+unknown"

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
