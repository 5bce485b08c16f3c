"""Reading a YAML file a person wrote, safely: bounded in size, depth and alias expansion.

Why: ``yaml.safe_load`` refuses code but not exhaustion.  A "billion laughs" document (aliases of
aliases) is a few hundred bytes that expand to billions of values when anything walks them; a
path such as ``/dev/zero`` reads for ever; a 20,000-deep list overflows the stack; and the
pure-Python loader takes minutes on a large file.  So a file must be a regular file of at most
:data:`MAX_FILE_BYTES`, is parsed by libyaml when it is installed (``yaml.CSafeLoader``), and its
node graph is checked for depth (:data:`MAX_DEPTH`), alias expansion (:data:`MAX_VALUES`) and
cycles before anything is built from it.  Duplicate keys, which YAML would let the last one win
(``seed: 1`` then ``seed: 99``), are errors naming the key and both lines; impossible dates
(``2026-02-30``), oversized integers and invalid UTF-8 are errors naming the line, never
tracebacks.  Every problem is a :class:`FileProblem` with a line and a reason; the caller turns
it into the project's :class:`~sim.scenario.errors.ConfigError`.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError
from yaml.nodes import MappingNode, Node, SequenceNode

MAX_FILE_BYTES = 2 * 1024 * 1024
"""The largest file read (2 MiB); the shipped scenarios are a few kilobytes."""
MAX_DEPTH = 64
"""The deepest nesting of lists and mappings; a scenario nests about six deep."""
MAX_VALUES = 1_000_000
"""The most values (scalars, lists, mappings) a document may hold, each alias counted as the values
it stands for: about as many as a file of :data:`MAX_FILE_BYTES` can spell out without aliases."""

_BaseLoader: type = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's parser when PyYAML was built with it (it parses some fifty times faster), else PyYAML's."""


class FileProblem(Exception):
    """A file that cannot be read as data: where (``line N, column M`` or ``""``) and why."""

    def __init__(self, where: str, reason: str):
        self.where = where
        self.reason = reason
        super().__init__(f"{where}: {reason}" if where else reason)


def _at(mark: Any) -> str:
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """The safe loader, refusing duplicate keys and turning a scalar's ValueError into a YAML error."""

    def construct_mapping(self, node: MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue  # ``<<: *defaults`` merges; its keys may be overridden on purpose
            key = self.construct_object(key_node, deep=True)
            try:
                first = seen.get(key)
            except TypeError:
                continue  # an unhashable key: the base class reports it
            if first is not None:
                reason = f"duplicate key {key!r} (first on line {first}; YAML would silently keep only the last)"
                raise ConstructorError(None, None, reason, key_node.start_mark)
            seen[key] = key_node.start_mark.line + 1
        return super().construct_mapping(node, deep=deep)

    def construct_object(self, node: Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, OverflowError) as exc:
            shown = repr(node.value[:40]) if isinstance(node.value, str) else node.tag
            what = "is not a date" if node.tag == "tag:yaml.org,2002:timestamp" else "cannot be read"
            raise ConstructorError(None, None, f"{shown} {what}: {exc}", node.start_mark) from None


def _check_graph(root: Node) -> None:
    """Depth, expanded size and cycles of a composed document, without recursion.

    Aliases make the node graph a DAG whose nodes are shared; the expanded size of a node is
    computed once (memoised by identity), so a billion laughs is measured, not expanded.
    """
    size: dict[int, int] = {}
    on_path: set[int] = set()
    stack: list[tuple[Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, done = stack.pop()
        key = id(node)
        children = _children(node)
        if done:
            on_path.discard(key)
            size[key] = 1 + sum(size[id(c)] for c in children)
            if size[key] > MAX_VALUES:
                raise FileProblem(
                    _at(node.start_mark),
                    f"more than {MAX_VALUES:,} values, counting each alias as the values it stands for",
                )
            continue
        if key in size:
            continue
        if key in on_path:
            raise FileProblem(_at(node.start_mark), "an alias refers to a list or mapping that contains it")
        if depth > MAX_DEPTH:
            raise FileProblem(_at(node.start_mark), f"lists and mappings nest deeper than {MAX_DEPTH} levels")
        on_path.add(key)
        stack.append((node, depth, True))
        stack.extend((c, depth + 1, False) for c in children if id(c) not in size)


def _children(node: Node) -> list[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def read_bytes(path: Path) -> bytes:
    """A regular file's bytes, at most :data:`MAX_FILE_BYTES`; anything else is a :class:`FileProblem`."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):  # before opening: opening a pipe waits for a writer
            raise FileProblem("", "not a regular file (a folder, device or pipe); only files are read")
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise FileProblem("", f"cannot read file: {exc.strerror or exc}") from None
    if len(data) > MAX_FILE_BYTES:
        raise FileProblem("", f"larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB, the most a scenario file may be")
    return data


def decode(data: bytes) -> str:
    """UTF-8 text; an invalid byte is a :class:`FileProblem` naming its line and column."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise FileProblem(f"line {line}, column {column}", f"not UTF-8 text (byte 0x{data[exc.start]:02x})") from None


def parse(text: str) -> Any:
    """The data of one YAML document, checked before it is built (module docstring)."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        _check_graph(node)
        return loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        raise FileProblem(_at(mark), f"not valid YAML: {problem}") from None
    except RecursionError:
        raise FileProblem("", f"lists and mappings nest deeper than {MAX_DEPTH} levels") from None
    finally:
        loader.dispose()


def load_file(path: Path) -> Any:
    """A YAML file's data, read and parsed within the limits."""
    return parse(decode(read_bytes(path)))
