"""Scenario files that include others: ``include: calibrated.yaml`` beneath a file's own values.

Why: the calibration (``pko-sim calibrate``) writes the parameters it fits into a file of their
own, so that refitting rewrites that file and never the hand-written assumptions and comments
of the scenario that uses it.  The including file keeps the last word: its own values win over
those it includes, so a scenario can take the fitted values and still override one of them.

Merging rules: mappings merge key by key, recursively; the ``deployments`` lists merge by
``id`` (an included entry fills in the fields of the including file's entry with the same id,
and an included id the including file does not have is an error, because it would silently add
a deployment); any other value is replaced whole.  Paths are relative to the including file;
an include may include further files; a cycle is an error.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from sim.config import ConfigError, Issue, read_yaml

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
        included = _read(path.parent / name, (*chain, resolved))
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
