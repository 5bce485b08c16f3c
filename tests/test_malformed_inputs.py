"""Every malformed input of issue 18 gets exit 1 and a one-screen message naming the file, the
field (or line) and the reason, never a traceback, a hang or a silent acceptance.

The corpus is built here, one case per input the issue lists; each is fed to ``pko-sim validate``
(and the ones that used to pass validation to ``pko-sim run`` as well).
"""

from __future__ import annotations

import copy
import json
import os
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from sim.cli import app
from sim.scenario import yamlfile
from tests.conftest import deployment, scenario

runner = CliRunner()
SCREEN = 25
"""Lines of a terminal: a message longer than this is not one screen."""

BASE = """\
name: corpus
start: 2024-01-01
end: 2027-01-01
seed: 7
replications: 1
deployments:
  - id: eng
    operation: un_pko
    subtype: b
    request: 2024-03-01
    period: 200
    contingents:
      - {kind: sdf_unit, personnel: 100, tasks: [s]}
"""


def _laughs(levels: int = 9) -> str:
    """A billion laughs: each level an alias list of the level below, nine times over."""
    lines = ["lol0: &l0 [ha, ha, ha, ha, ha, ha, ha, ha, ha]"]
    lines += [f"lol{k}: &l{k} [{', '.join([f'*l{k - 1}'] * 9)}]" for k in range(1, levels)]
    return "{" + ", ".join(lines) + "}"


def _with(**fields: Any) -> dict[str, Any]:
    """The base scenario as a mapping, with dotted fields (``deployments.0.period``) replaced."""
    data = scenario(deployment())
    for dotted, value in fields.items():
        node: Any = data
        *parents, last = dotted.split(".")
        for part in parents:
            node = node[int(part)] if part.isdigit() else node.setdefault(part, {})
        node[int(last) if last.isdigit() else last] = value
    return data


def _yaml(data: dict[str, Any]) -> str:
    return yaml.safe_dump(data, sort_keys=False)


TEXT_CASES: dict[str, tuple[str | bytes, list[str]]] = {
    # 1. resource exhaustion
    "billion laughs in calendar params": (
        BASE + "diet:\n  calendar:\n    params: " + _laughs() + "\n",
        ["more than 1,000,000 values, counting each alias as the values it stands for", "line"],
    ),
    "include /dev/zero": (BASE + "include: /dev/zero\n", ["/dev/zero", "not a regular file"]),
    "include a folder": (BASE + "include: .\n", ["not a regular file"]),
    "a 20,000-deep nested list": (BASE + "description: " + "[" * 20000 + "]" * 20000 + "\n", ["nest"]),
    "3,000 nested maps": (BASE + "description: " + "{a: " * 3000 + "1" + "}" * 3000 + "\n", ["nest"]),
    "65 nested lists": (BASE + "description: " + "[" * 65 + "]" * 65 + "\n", ["nest deeper than 64 levels"]),
    "a 3 MB file": (BASE + "# " + "x" * (3 * 1024 * 1024) + "\n", ["larger than 2 MiB"]),
    "an alias inside itself": (BASE + "description: &d [1, *d]\n", ["an alias refers to a list or mapping"]),
    # 2. tracebacks instead of messages
    "2026-02-30": (BASE.replace("end: 2027-01-01", "end: 2026-02-30"), ["line 3", "'2026-02-30' is not a date"]),
    "0000-01-01": (BASE.replace("start: 2024-01-01", "start: 0000-01-01"), ["line 2", "'0000-01-01' is not a date"]),
    "invalid UTF-8": (BASE.encode() + b"description: caf\xe9\n", ["line 14", "not UTF-8 text (byte 0xe9)"]),
    # 4. silently accepted
    "duplicate keys": (BASE.replace("seed: 7\n", "seed: 1\nseed: 99\n"), ["line 5", "duplicate key 'seed'"]),
    "a Python object tag": (BASE + "description: !!python/object/apply:os.system [echo]\n", ["line 14", "tag"]),
    "an integer of 5,000 digits": (BASE.replace("seed: 7", "seed: " + "9" * 5000), ["line 4", "cannot be read"]),
    "not a mapping": ("- just\n- a list\n", ["a scenario must be a mapping"]),
}

VALUE_CASES: dict[str, tuple[dict[str, Any], list[str]]] = {
    # 1. every field typed
    "calendar params of the wrong type": (
        _with(**{"diet.calendar.params": {"ordinary_day_mean": "soon"}}),
        ["diet.calendar.params.ordinary_day_mean", "valid number"],
    ),
    "calendar params, a list for a number": (
        _with(**{"diet.calendar.params": {"dissolution_weibull_scale_days": [1, 2]}}),
        ["diet.calendar.params.dissolution_weibull_scale_days"],
    ),
    "a Weibull shape that overflows": (
        _with(**{"diet.calendar.params": {"dissolution_weibull_shape": 0.001}}),
        ["diet.calendar.params.dissolution_weibull_shape", "greater than or equal to 0.5"],
    ),
    # 2. tracebacks instead of messages
    "horizon_years: .inf": (_with(end=None, horizon_years=float("inf")), ["horizon_years", "finite number"]),
    "horizon_years: 1e6": (_with(end=None, horizon_years=1e6), ["horizon_years", "less than or equal to 1000"]),
    "start: 9999-06-01": (_with(start="9999-06-01"), ["start", "outside the dates the simulator handles"]),
    "a Treaty notice in 9999": (_with(**{"alliance.treaty.notice": "9999-01-01"}), ["alliance.treaty.notice"]),
    # 3. validated, then failing at run time
    "period: .inf": (_with(**{"deployments.0.period": float("inf")}), ["deployments[0].period.value", "finite"]),
    "exponential mean: .inf": (
        _with(**{"deployments.0.period": {"dist": "exponential", "mean": float("inf")}}),
        ["deployments[0].period.mean", "finite"],
    ),
    "uniform high: .inf": (
        _with(**{"deployments.0.period": {"dist": "uniform", "low": 1, "high": float("inf")}}),
        ["deployments[0].period.high", "finite"],
    ),
    "empirical weights with inf": (
        _with(**{"deployments.0.period": {"dist": "empirical", "values": [1, 2], "weights": [1, float("inf")]}}),
        ["deployments[0].period.weights[1]", "finite"],
    ),
    "lognormal median 1e300, sigma 50": (
        _with(**{"deployments.0.period": {"dist": "lognormal", "median": 1e300, "sigma": 50}}),
        ["deployments[0].period.median", "deployments[0].period.sigma", "less than or equal to 10"],
    ),
    "a start before the calendar": (_with(start="1899-12-31"), ["start", "1900-01-01"]),
    "a horizon past the calendar": (
        _with(start="2990-01-01", end=None, horizon_years=20, **{"deployments.0.request": "2990-03-01"}),
        ["horizon_years", "past the last date the simulator handles (2999-12-31)"],
    ),
    # 4. silently accepted
    "seed: true": (_with(seed=True), ["seed", "must be a number, not true"]),
    "a hazard rate of inf": (_with(**{"hazards.danger.rate": float("inf")}), ["hazards.danger.rate", "finite"]),
    "a hazard rate above one a day": (_with(**{"hazards.mission_end.rate": 1000}), ["hazards.mission_end.rate"]),
    "rotation: 0": (
        _with(**{"deployments.0.contingents.0.rotation": 0}),
        ["deployments[0].contingents[0].rotation", "0 days", "Art. 14(2)"],
    ),
    "a mission_end before the request": (
        _with(**{"deployments.0.mission_end": "2024-02-01"}),
        ["deployments[0].mission_end", "not after the request (2024-03-01)"],
    ),
    "a unit larger than cap.limit": (
        _with(cap={"limit": 50}),
        ["deployments[0].contingents", "exceed cap.limit of 50", "Art. 19(1)"],
    ),
    "a PKO without a sub-type, with a scripted event (found by fuzzing)": (
        {
            **_with(**{"deployments.0.subtype": None}),
            "scripted": [{"date": "2024-06-01", "deployment": "eng", "event": "conditions_lost"}],
        },
        ["deployments[0].subtype", "needs a sub-type a, b or c (Art. 3(i))"],
    ),
    "period: true": (_with(**{"deployments.0.period": True}), ["deployments[0].period", "not true"]),
    "personnel: true": (_with(**{"deployments.0.contingents.0.personnel": True}), ["personnel", "not true"]),
}


def _check(output: str, file: Path, expected: list[str]) -> None:
    assert "Traceback" not in output, output
    assert output.startswith("error:"), output
    flat = output.replace("\n", "")  # the console wraps long lines at a space, or inside a long path
    assert str(file) in flat, f"the message names the file:\n{output}"
    for words in expected:
        assert words in flat, f"{words!r} missing from:\n{output}"
    assert len(output.splitlines()) <= SCREEN, f"more than one screen:\n{output}"


@pytest.mark.parametrize("case", TEXT_CASES)
def test_a_malformed_file_is_one_clear_message(case: str, tmp_path: Path) -> None:
    content, expected = TEXT_CASES[case]
    file = tmp_path / "scenario.yaml"
    file.write_bytes(content if isinstance(content, bytes) else content.encode())
    result = runner.invoke(app, ["validate", str(file)])
    assert result.exit_code == 1, result.output
    _check(result.output, file, expected)


@pytest.mark.parametrize("case", VALUE_CASES)
def test_a_bad_value_is_refused_by_validate_and_by_run(case: str, tmp_path: Path) -> None:
    data, expected = VALUE_CASES[case]
    file = tmp_path / "scenario.yaml"
    file.write_text(_yaml(data))
    for command in (["validate", str(file)], ["run", str(file), "--out", str(tmp_path / "out"), "-e", "serial"]):
        result = runner.invoke(app, command)
        assert result.exit_code == 1, result.output
        _check(result.output, file, expected)
    assert not (tmp_path / "out").exists(), "nothing was written"


def test_an_include_that_is_a_pipe_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe")
    file = tmp_path / "scenario.yaml"
    file.write_text(BASE + "include: pipe\n")
    result = runner.invoke(app, ["validate", str(file)])
    assert result.exit_code == 1
    _check(result.output, file, ["pipe", "(included by", "not a regular file"])


def test_duplicate_keys_from_a_merge_key_are_overrides_not_duplicates(tmp_path: Path) -> None:
    """``<<: *defaults`` then a key of the defaults is YAML's way to override it: not an error."""
    text = BASE.replace("      - {kind: sdf_unit, personnel: 100, tasks: [s]}",
                        "      - &unit {kind: sdf_unit, personnel: 100, tasks: [s]}\n"
                        "      - {<<: *unit, personnel: 50, label: second}")  # fmt: skip
    file = tmp_path / "scenario.yaml"
    file.write_text(text)
    result = runner.invoke(app, ["validate", str(file)])
    assert result.exit_code == 0, result.output


def test_the_c_loader_reads_scenarios_when_libyaml_is_installed() -> None:
    if yaml.__with_libyaml__:
        assert issubclass(yamlfile._Loader, yaml.CSafeLoader)
    assert yamlfile.parse("a: 2024-01-01\nb: [1, 2]\n") == {"a": __import__("datetime").date(2024, 1, 1), "b": [1, 2]}


def test_out_pointing_at_a_file_is_refused(tmp_path: Path) -> None:
    file = tmp_path / "results.txt"
    file.write_text("not a folder")
    for out in (file, file / "inside"):
        result = runner.invoke(app, ["run", "configs/baseline.yaml", "-n", "1", "--out", str(out), "-e", "serial"])
        assert result.exit_code == 1 and "Traceback" not in result.output
        assert str(file) in result.output and "a file, not a folder" in result.output
    assert file.read_text() == "not a folder"


@pytest.mark.parametrize("content", ["{not json", "[1, 2]", ""])
@pytest.mark.parametrize("command", ["summarize", "plot", "report"])
def test_a_corrupt_manifest_is_named_not_a_traceback(content: str, command: str, tmp_path: Path) -> None:
    (tmp_path / "manifest.json").write_text(content)
    result = runner.invoke(app, [command, str(tmp_path)])
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    flat = result.output.replace("\n", " ")
    assert "manifest.json is unreadable" in flat and "again to rebuild it" in flat


def test_the_corpus_covers_every_input_the_issue_lists() -> None:
    """Issue 18 items 1-4, input by input; a case dropped from the corpus fails here."""
    listed = {
        "billion laughs in calendar params", "include /dev/zero", "a 20,000-deep nested list", "3,000 nested maps",
        "a 3 MB file", "2026-02-30", "0000-01-01", "horizon_years: .inf", "horizon_years: 1e6", "start: 9999-06-01",
        "a Treaty notice in 9999", "invalid UTF-8", "period: .inf", "exponential mean: .inf", "uniform high: .inf",
        "empirical weights with inf", "lognormal median 1e300, sigma 50", "calendar params of the wrong type",
        "a horizon past the calendar", "duplicate keys", "seed: true", "a hazard rate of inf", "rotation: 0",
        "a mission_end before the request", "a unit larger than cap.limit",
    }  # fmt: skip
    assert listed <= set(TEXT_CASES) | set(VALUE_CASES)


def test_a_scenario_dumped_after_validation_keeps_its_calendar_params_as_given() -> None:
    """Typed params serialise only what was given, so a scenario's fingerprint does not change."""
    import sim

    data = copy.deepcopy(_with(**{"diet.calendar.params": {"dissolution_weibull_scale_days": 900}}))
    dumped = sim.load_scenario(data).model_dump(mode="json")
    assert dumped["diet"]["calendar"]["params"] == {"dissolution_weibull_scale_days": 900.0}
    assert sim.load_scenario(scenario(deployment())).model_dump(mode="json")["diet"]["calendar"]["params"] == {}
    assert json.loads(json.dumps(dumped))["diet"]["calendar"]["params"]


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ("replications: true\nfactors: []", "replications: must be a number, not true"),
        ("seed: true\nfactors: []", "seed: must be a number, not true"),
        ("chunk: 0\nfactors: []", "chunk: Input should be greater than or equal to 1"),
        ("factors: [{path: hazards.danger.rate, low: 0, high: .inf}]", "factors[0].high: must be a finite number"),
        ("design: {kind: grid, levels: 1e300}", "design.levels"),
    ],
)
def test_an_experiment_file_is_held_to_the_same_bounds(line: str, field: str, tmp_path: Path) -> None:
    """Issue 18: experiment files are inputs too (bools are not counts, bounds are finite)."""
    path = tmp_path / "experiment.yaml"
    path.write_text(f"name: bad\nscenario: {Path('configs/baseline.yaml').resolve()}\n{line}\n")
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 1 and "Traceback" not in result.output, result.output
    assert field in result.output.replace("\n", " "), result.output
