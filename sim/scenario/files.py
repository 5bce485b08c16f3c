"""Scenario files: YAML read safely, files that include others, and the two passes of validation.

A scenario is validated in two passes before anything runs (desmod's lesson: build, validate,
then run): pydantic checks the shape and types (:mod:`sim.scenario.models`), then the law pass
(:mod:`sim.scenario.checks`) asks the rulebook whether the portfolio is lawful.  Every problem is
reported with the file, the field's path and the reason, all at once (:class:`ConfigError`).

Files may include others: ``include: calibrated.yaml`` beneath a file's own values.  Why: the
calibration (``pko-sim calibrate``) writes the parameters it fits into a file of their own, so
that refitting rewrites that file and never the hand-written assumptions and comments of the
scenario that uses it.  The including file keeps the last word: its own values win over those it
includes, so a scenario can take the fitted values and still override one of them.

Merging rules: mappings merge key by key, recursively; the ``deployments`` lists merge by ``id``
(an included entry fills in the fields of the including file's entry with the same id, and an
included id the including file does not have is an error, because it would silently add a
deployment); the ``streams`` lists merge by ``name`` (a stream of the including file completes or
overrides the included one of the same name, key by key, and streams of either file alone are
kept, so a scenario can add a stream to the baseline's); any other value is replaced whole.
Paths are relative to the including file; an include may include further files; a cycle is an
error.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sim.scenario.checks import check_law
from sim.scenario.errors import ConfigError, Issue, pydantic_issues
from sim.scenario.models import Scenario
from sim.scenario.yamlfile import FileProblem, load_file

INCLUDE = "include"


def read_scenario_file(path: Path) -> Any:
    """The data of a scenario file with its includes merged beneath it."""
    return _read(Path(path), ())


def _read(path: Path, chain: tuple[Path, ...]) -> Any:
    resolved = path.resolve()
    if resolved in chain:
        cycle = " -> ".join(p.name for p in (*chain, resolved))
        raise ConfigError(str(path), [Issue(path=INCLUDE, reason=f"files include each other in a cycle: {cycle}")])
    data = read_yaml(path)
    if not isinstance(data, Mapping) or INCLUDE not in data:
        return data
    data = dict(data)
    names = data.pop(INCLUDE)
    if isinstance(names, str):
        names = [names]
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise ConfigError(str(path), [Issue(path=INCLUDE, reason="must be a file name or a list of file names")])
    merged: dict[str, Any] = {}
    for name in names:
        try:
            included = _read(path.parent / name, (*chain, resolved))
        except ConfigError as exc:
            source = exc.source if exc.source != str(path.parent / name) else f"{exc.source} (included by {path})"
            raise ConfigError(source, exc.issues) from None
        if not isinstance(included, Mapping):
            raise ConfigError(str(path), [Issue(path=INCLUDE, reason=f"{name} must hold a mapping of fields")])
        merged = _merge(merged, included, str(path / name))
    return _merge(merged, data, str(path))


def _merge(below: Mapping[str, Any], above: Mapping[str, Any], source: str) -> dict[str, Any]:
    """``above`` over ``below``: mappings key by key, deployments by id, anything else replaced."""
    out = dict(below)
    for key, value in above.items():
        if key in out and isinstance(out[key], Mapping) and isinstance(value, Mapping):
            out[key] = _merge(out[key], value, source)
        elif key == "deployments" and key in out and isinstance(value, list) and isinstance(out[key], list):
            out[key] = _merge_deployments(out[key], value, source)
        elif key == "streams" and key in out and isinstance(value, list) and isinstance(out[key], list):
            out[key] = _merge_streams(out[key], value, source)
        else:
            out[key] = value
    return out


def _merge_deployments(below: list[Any], above: list[Any], source: str) -> list[Any]:
    """The including file's deployments, each completed by the included entry with its id."""
    by_id = {d.get("id"): d for d in below if isinstance(d, Mapping)}
    ids = {d.get("id") for d in above if isinstance(d, Mapping)}
    strays = sorted(str(i) for i in by_id if i not in ids)
    if strays:
        reason = f"an included file sets deployment(s) {', '.join(strays)} that this scenario does not have"
        raise ConfigError(source, [Issue(path="deployments", reason=reason)])
    return [_merge(by_id[d["id"]], d, source) if isinstance(d, Mapping) and d.get("id") in by_id else d for d in above]


def _merge_streams(below: list[Any], above: list[Any], source: str) -> list[Any]:
    """The included file's request streams, each overridden by the including file's stream of the
    same name; the including file's other streams are added after them."""
    names = [s.get("name") for s in above if isinstance(s, Mapping)]
    mine = {name: s for name, s in zip(names, above, strict=True) if name is not None}
    merged = [_merge(s, mine[s["name"]], source) if isinstance(s, Mapping) and s.get("name") in mine else s
              for s in below]  # fmt: skip
    kept = {s.get("name") for s in below if isinstance(s, Mapping)}
    return merged + [s for s in above if not (isinstance(s, Mapping) and s.get("name") in kept)]


def read_yaml(path: Path) -> Any:
    """A YAML file's data; a missing, unreadable or oversized file or bad YAML is a :class:`ConfigError`.

    The file is read within the limits of :mod:`sim.scenario.yamlfile` (a regular file, its size,
    nesting and aliases bounded, no duplicate keys); the error names the file, the line and why.
    """
    try:
        return load_file(path)
    except FileProblem as exc:
        raise ConfigError(str(path), [Issue(path=exc.where, reason=exc.reason)]) from None


def parse_scenario(data: Mapping[str, Any], source: str = "<scenario>") -> Scenario:
    """Validate a mapping as a scenario; raise :class:`ConfigError` listing every problem."""
    if not isinstance(data, Mapping):
        raise ConfigError(source, [Issue(path="", reason="a scenario must be a mapping of fields")])
    try:
        scenario = Scenario.model_validate(dict(data))
    except ValidationError as exc:
        raise ConfigError(source, pydantic_issues(exc)) from None
    issues = check_law(scenario)
    if issues:
        raise ConfigError(source, issues)
    return scenario


def load_scenario(source: str | Path | Mapping[str, Any] | Scenario) -> Scenario:
    """A validated :class:`Scenario` from a YAML path, a mapping, or a scenario itself."""
    if isinstance(source, Scenario):
        return source
    if isinstance(source, Mapping):
        return parse_scenario(source)
    path = Path(source)
    return parse_scenario(read_scenario_file(path), source=str(path))
