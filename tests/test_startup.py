"""Importing the package is cheap and neutral: ``import sim`` and ``import sim.cli`` pull in no
plotting or sweep libraries, choose no matplotlib backend (so notebooks show figures inline) and
warn about nothing; the ``pko-sim`` entry point alone chooses the file-only Agg backend."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import ROOT

HEAVY = ("matplotlib", "SALib", "dask", "scipy")


def _python(code: str) -> str:
    """Run ``code`` in a fresh interpreter with warnings as errors and no backend in the environment."""
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    done = subprocess.run([sys.executable, "-W", "error", "-c", code], cwd=ROOT, env=env,
                          capture_output=True, text=True, check=False)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return done.stdout


def test_the_command_line_module_imports_no_heavy_library() -> None:
    loaded = json.loads(
        _python(f"import json, sys, sim.cli; print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))")
    )
    assert loaded == []


def test_the_command_line_module_defers_the_model_and_the_scenario_models() -> None:
    """``pko-sim --help`` needs neither SimPy, the pydantic scenario models nor the rulebook (about 1 s of imports):
    each command imports what it uses."""
    deferred = ("simpy", "numpy", "sim.scenario.models", "sim.model.portfolio", "sim.law.versions")
    loaded = json.loads(
        _python(f"import json, sys, sim.cli; print(json.dumps([m for m in {deferred!r} if m in sys.modules]))")
    )
    assert loaded == []


def test_import_sim_imports_no_heavy_library_until_a_name_is_used() -> None:
    code = (
        "import json, sys, sim\n"
        f"before = [m for m in {HEAVY!r} if m in sys.modules]\n"
        "sim.run_experiment, sim.simulate, sim.load_scenario\n"
        "print(json.dumps([before, 'SALib' in sys.modules]))"
    )
    before, salib_after = json.loads(_python(code))
    assert before == [] and salib_after


def test_the_public_names_are_the_modules_own() -> None:
    code = (
        "import sim\n"
        "from sim.run.replications import simulate\n"
        "from sim.sweep.experiment import run_experiment\n"
        "from sim import figures\n"
        "from sim.figures.run import timeline\n"
        "assert sim.simulate is simulate and sim.run_experiment is run_experiment and figures.timeline is timeline\n"
        "assert set(sim.__all__) <= set(dir(sim))\n"
        "try:\n    sim.no_such_name\nexcept AttributeError as exc:\n    print(exc)"
    )
    assert "no_such_name" in _python(code)


def test_importing_sim_and_its_figures_chooses_no_backend_and_warns_of_nothing() -> None:
    code = (
        "import sim, matplotlib\n"
        "from sim import figures\n"
        "figures.timeline, figures.tornado, sim.simulate, sim.run_experiment\n"
        "print(matplotlib.rcParams._get_backend_or_none())"
    )
    assert _python(code).strip() == "None"  # matplotlib's own choice: inline in Jupyter, a window in a script


def test_the_pko_sim_entry_point_chooses_agg_before_drawing() -> None:
    code = (
        "import sys\n"
        "from sim import cli\n"
        "sys.argv = ['pko-sim', 'plot', '--help']\n"
        "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
        "import matplotlib\n"
        "print(matplotlib.rcParams._get_backend_or_none())"
    )
    assert _python(code).strip().endswith("Agg")


def test_help_is_printed_without_rich_help_renderer() -> None:
    """``pko-sim --help`` in click's plain format: typer's rich renderer costs about 0.2 s of imports."""
    code = (
        "import io, json, sys, contextlib\n"
        "from sim import cli\n"
        "sys.argv = ['pko-sim', '--help']\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        "    try:\n        cli.main()\n    except SystemExit:\n        pass\n"
        "print(json.dumps(['typer.rich_utils' in sys.modules, out.getvalue()]))"
    )
    rich_loaded, text = json.loads(_python(code))
    assert not rich_loaded
    assert text.startswith("Usage: pko-sim") and "sweep" in text and "validate" in text


def test_the_version_is_looked_up_only_when_asked_for() -> None:
    """``importlib.metadata`` costs about 60 ms: ``import sim`` leaves it to ``sim.__version__``."""
    code = (
        "import json, sys, sim\n"
        "before = 'importlib.metadata' in sys.modules\n"
        "version = sim.__version__\n"
        "print(json.dumps([before, version]))"
    )
    before, version = json.loads(_python(code))
    assert not before
    assert version.count(".") >= 2
