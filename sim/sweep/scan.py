"""A results folder's tables read part by part: only the columns and the rows asked for.

Why: a sweep of ten million events is a few hundred MiB of Parquet but several GiB as one pandas
frame, and no summary, figure or report section needs all of it at once.  Each function here
reads one part at a time (a design point's chunk of replications, :func:`~sim.sweep.store.part_key`),
only the columns named (Parquet is columnar: the others are never decoded) and only the rows a
pyarrow filter keeps, so what is held is one part's projection, and what a caller keeps of it
(counts, per-replication values, one column) is up to the caller.

Every part holds whole replications of one point, so anything computed per replication can be
computed part by part and concatenated with the same numbers as on the whole table.  A table
folder may lack parts (a run that wrote no rows to a table need not write a file; ``--no-events``
writes no event tables): a missing part reads as no rows, never as an error.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

_PART = re.compile(r"^p(\d{5})-r(\d{7})\.parquet$")
"""A part's name: its design point and first replication (:func:`~sim.sweep.store.part_key`)."""


def part_files(folder: Path, name: str, points: Sequence[int] | None = None) -> list[Path]:
    """The parts of table ``name`` (of ``points`` only, if given), in point and replication order.

    Empty if the table has no parts: a caller that needs rows says so in its own words.
    """
    found = sorted(p for p in (Path(folder) / name).glob("*.parquet") if _PART.match(p.name))
    if points is None:
        return found
    wanted = {int(p) for p in points}
    return [p for p in found if point_of(p) in wanted]


def point_of(part: Path) -> int:
    """The design point a part holds, from its name (:func:`~sim.sweep.store.part_key`)."""
    found = _PART.match(part.name)
    if found is None:
        raise ValueError(f"{part.name} is not the name of a part (p<point>-r<first replication>.parquet)")
    return int(found.group(1))


def points_with_rows(folder: Path, name: str) -> list[int]:
    """The design points that have at least one row of table ``name``, from the parts' footers alone."""
    return [point for point, _ in by_point(folder, name)]  # its parts are listed, not read


def _empty(folder: Path, name: str, columns: Sequence[str] | None) -> pd.DataFrame:
    """No rows, with the table's columns and types when any part shows them (else the names asked for)."""
    for part in part_files(folder, name):
        schema = pq.read_schema(part)
        if columns is not None:
            schema = pa.schema([schema.field(c) for c in columns])
        return schema.empty_table().to_pandas()
    return pd.DataFrame({c: pd.Series(dtype=object) for c in columns or ()})


def _read(part: Path, columns: Sequence[str] | None, where: pc.Expression | None) -> pd.DataFrame:
    return pq.read_table(part, columns=list(columns) if columns is not None else None, filters=where).to_pandas()


def scan(
    folder: Path,
    name: str,
    *,
    columns: Sequence[str] | None = None,
    where: pc.Expression | None = None,
    points: Sequence[int] | None = None,
) -> Iterator[pd.DataFrame]:
    """Table ``name`` one part at a time: ``columns`` only (None: all), the rows ``where`` keeps.

    ``where`` is a pyarrow expression (``pc.field("event").isin([...])``); ``points`` skips the
    other points' parts unopened.  Parts are read lazily, so only one is held at a time.
    """
    for part in part_files(folder, name, points):
        yield _read(part, columns, where)


def by_point(
    folder: Path, name: str, *, columns: Sequence[str] | None = None, where: pc.Expression | None = None
) -> Iterator[tuple[int, Iterator[pd.DataFrame]]]:
    """Each design point with rows of table ``name``, in order, and its parts read lazily (as :func:`scan`).

    The folder is listed once for all points (a sweep summarised point by point with :func:`scan`
    would list it once per point, quadratic in the points), and a part without rows is skipped
    from its footer.
    """
    grouped: dict[int, list[Path]] = {}
    for part in part_files(folder, name):
        if pq.read_metadata(part).num_rows:
            grouped.setdefault(point_of(part), []).append(part)
    for point, parts in grouped.items():
        yield point, (_read(part, columns, where) for part in parts)


def read_columns(
    folder: Path,
    name: str,
    columns: Sequence[str] | None,
    *,
    where: pc.Expression | None = None,
    points: Sequence[int] | None = None,
) -> pd.DataFrame:
    """The ``columns`` of table ``name`` (None: all; rows ``where`` keeps, of ``points``) as one frame.

    For what needs every value of a few columns at once (a histogram's bins, a survival curve, a
    quantile): the frame holds those columns only.  No rows: empty, with the columns' types.
    """
    frames = [frame for frame in scan(folder, name, columns=columns, where=where, points=points) if len(frame)]
    return pd.concat(frames, ignore_index=True) if frames else _empty(folder, name, columns)


def chunks(
    folder: Path,
    columns: Mapping[str, Sequence[str] | None],
    *,
    where: Mapping[str, pc.Expression] | None = None,
    points: Sequence[int] | None = None,
) -> Iterator[tuple[np.ndarray, dict[str, pd.DataFrame]]]:
    """Several tables together, one chunk of replications at a time: its replications and ``{table: rows}``.

    The tables' parts of one chunk share a name, so a chunk's events, deployments and engaged
    rows are the same replications.  A table without a part for a chunk (no rows there) gives an
    empty frame with its columns.  ``columns`` maps each table to the columns to read (None: all),
    ``where`` a table to its row filter.  The replications are every one any of the tables
    mentions in the chunk, before filtering: a replication whose rows a filter drops still counts.
    """
    names = sorted({p.name for table in columns for p in part_files(folder, table, points)})
    empty = {table: _empty(folder, table, wanted) for table, wanted in columns.items()}  # made once, not per chunk
    for part in names:
        chunk, seen = {}, []
        for table, wanted in columns.items():
            path = Path(folder) / table / part
            if not path.is_file():
                chunk[table] = empty[table].copy()
                continue
            filter_ = (where or {}).get(table)
            chunk[table] = _read(path, wanted, filter_)
            ids = chunk[table]["replication"] if filter_ is None and "replication" in chunk[table] else None
            if ids is None:
                ids = pq.read_table(path, columns=["replication"]).column("replication").to_numpy()
            seen.append(np.asarray(ids))
        yield np.unique(np.concatenate(seen)) if seen else np.array([], dtype=np.int64), chunk
