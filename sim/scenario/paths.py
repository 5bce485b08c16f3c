"""Dotted paths into a scenario's data: how an experiment's factor names the field it varies.

``procedure.request_to_decision.median``, ``deployments[0].period.value``,
``deployments[pko_engineers].contingents[1].personnel`` (a deployment by its id) and
``streams[pko].arrivals.rate`` (a request stream by its name) all name one field; an unknown field,
index, id or name is an error that says what is there instead.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_TOKEN = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)|\[([^\]]+)\]")


def _tokens(path: str) -> list[str | int]:
    out: list[str | int] = []
    for part in path.split("."):
        pos = 0
        for match in _TOKEN.finditer(part):
            if match.start() != pos:
                raise ValueError(f"cannot read {part!r}")
            name, index = match.groups()
            out.append(name if name is not None else (int(index) if index.lstrip("-").isdigit() else index))
            pos = match.end()
        if pos != len(part) or not part:
            raise ValueError(f"cannot read {part!r}")
    return out


def _step(node: Any, token: str | int, where: str) -> Any:
    if isinstance(node, list):
        if isinstance(token, int):
            if not -len(node) <= token < len(node):
                raise KeyError(f"{where} has {len(node)} entries, no [{token}]")
            return token
        ids = [item.get("id", item.get("name")) for item in node if isinstance(item, dict)]
        if token not in ids:
            raise KeyError(f"{where} has no entry with id {token!r} (ids: {', '.join(map(str, ids))})")
        return ids.index(token)
    if isinstance(node, dict) and isinstance(token, str):
        if token not in node:
            raise KeyError(f"{where or 'the scenario'} has no field {token!r} (fields: {', '.join(node)})")
        return token
    raise KeyError(f"{where} is a value, not a mapping or list")


def _locate(data: Mapping[str, Any], path: str) -> tuple[Any, str | int]:
    """The container holding the field a dotted path names, and its key there."""
    tokens = _tokens(path)
    node: Any = data
    where = ""
    for token in tokens[:-1]:
        key = _step(node, token, where)
        node = node[key]
        where += f"[{token}]" if isinstance(key, int) else f".{token}" if where else token
    return node, _step(node, tokens[-1], where)


def get_path(data: Mapping[str, Any], path: str) -> Any:
    """The value at a dotted path such as ``deployments[0].period.value``."""
    node, key = _locate(data, path)
    return node[key]


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    """Set the value at a dotted path (which must exist) in place."""
    node, key = _locate(data, path)
    node[key] = value
