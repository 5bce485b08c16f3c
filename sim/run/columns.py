"""Rows gathered into typed NumPy columns as replications finish, not kept as Python rows to the end.

Why: a run of many replications logs millions of events.  Kept as named tuples until the tables are
built, each cost about 140 bytes (the tuple, its float, the list's slot), and the finished SimPy
environments stayed alive behind them: about 365 MiB per million events (issue 19).  Each
replication's rows are turned into columns when it ends (strings into integer codes through a
:class:`Vocabulary`), so a run holds about 20 bytes per event and the rows of one replication.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

FLUSH_ROWS = 4_096
"""Rows buffered as Python tuples before they become arrays: large enough that NumPy's per-call
cost is spread over many rows, small enough that the buffer's memory stays a few MiB."""


class Vocabulary:
    """Strings (or ``None``) as integer codes, numbered in order of first appearance."""

    def __init__(self, fixed: Sequence[str] = (), dtype: str = "int32"):
        self.index: dict[Any, int] = {value: code for code, value in enumerate(fixed)}
        self.dtype = dtype
        """The codes' storage: int32 for open-ended strings; a small fixed vocabulary may take less."""

    def codes(self, values: Sequence[Any]) -> np.ndarray:
        """The codes of ``values``; a value not seen before gets the next free code (the order new
        values are numbered in does not matter: :meth:`categorical` orders the categories)."""
        index = self.index
        try:  # most batches hold no new string: one C loop, without first hashing every value into a set
            return np.fromiter(map(index.__getitem__, values), dtype=self.dtype, count=len(values))
        except KeyError:
            for value in set(values).difference(index):  # the new strings numbered, then the same loop
                index[value] = len(index)
        return np.fromiter(map(index.__getitem__, values), dtype=self.dtype, count=len(values))

    def categorical(self, codes: np.ndarray, categories: Sequence[str] | None = None) -> pd.Categorical:
        """The codes as a categorical: over ``categories`` if given (``None`` values missing), else
        over the sorted strings seen (as ``astype("category")`` would order them)."""
        values = list(self.index)
        if categories is None:
            categories = sorted(v for v in values if v is not None)
        position = {c: i for i, c in enumerate(categories)}
        unknown = sorted(str(v) for v in values if v is not None and v not in position)
        if unknown:
            raise ValueError(f"values outside the fixed categories: {', '.join(unknown)}")
        remap = np.asarray([position.get(v, -1) for v in values], dtype="int32")
        return pd.Categorical.from_codes(remap[codes] if len(codes) else codes, dtype=category_dtype(tuple(categories)))


@functools.lru_cache(maxsize=256)
def category_dtype(categories: tuple[str, ...]) -> pd.CategoricalDtype:
    """The categorical dtype over ``categories``, made once: pandas checks the categories each time a
    dtype is made, which cost a sweep of small chunks more than encoding them."""
    return pd.CategoricalDtype(list(categories))


class ColumnLog:
    """Rows of a fixed shape appended in batches and stored column by column.

    ``kinds`` gives each field's storage: a NumPy dtype, or a :class:`Vocabulary` for strings.
    """

    def __init__(self, kinds: dict[str, Any]):
        self.kinds = kinds
        self.buffer: list[tuple[Any, ...]] = []
        self.chunks: dict[str, list[np.ndarray]] = {name: [] for name in kinds}
        self.groups: list[int] = []
        self.counts: list[int] = []

    def extend(self, rows: Sequence[tuple[Any, ...]], group: int = 0) -> None:
        """Append rows (tuples with one value per field, in order), all of one ``group`` (a replication)."""
        self.buffer.extend(rows)
        self.groups.append(group)
        self.counts.append(len(rows))
        if len(self.buffer) >= FLUSH_ROWS:
            self.flush()

    def group_column(self) -> np.ndarray:
        """Each row's group, as int32."""
        return np.repeat(np.asarray(self.groups, dtype="int32"), np.asarray(self.counts, dtype="int64"))

    def flush(self) -> None:
        """Turn the buffered rows into arrays."""
        if not self.buffer:
            return
        for (name, kind), values in zip(self.kinds.items(), zip(*self.buffer, strict=True), strict=True):
            store = kind.codes(values) if isinstance(kind, Vocabulary) else np.asarray(values, dtype=kind)
            self.chunks[name].append(store)
        self.buffer = []

    def column(self, name: str) -> np.ndarray:
        """One field's values over every row appended (codes for a vocabulary), taken out of the log:
        its chunks are let go as the column is made, so the two are never both held (asked once)."""
        self.flush()
        chunks = self.chunks.pop(name)
        kind = self.kinds[name]
        dtype = kind.dtype if isinstance(kind, Vocabulary) else kind
        return np.concatenate(chunks) if chunks else np.empty(0, dtype=dtype)
