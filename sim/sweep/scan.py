"""A results folder's tables read part by part: only the columns and the rows asked for.

Why: a sweep of ten million events is a few hundred MiB of Parquet but several GiB as one pandas
frame, and no summary, figure or report section needs all of it at once.  Each function here
reads one part at a time (a design point's chunk of replications, or several whole points'
replications, :func:`~sim.sweep.store.part_key`),
only the columns named (Parquet is columnar: the others are never decoded) and only the rows a
pyarrow filter keeps, so what is held is one part's projection, and what a caller keeps of it
(counts, per-replication values, one column) is up to the caller.

Every part holds whole replications of one point, or of each of a run of points one point after
another, so anything computed per replication of a point can be computed part by part (a shared
part split by its ``point`` column) and concatenated with the same numbers as on the whole table.  A table
folder may lack parts (a run that wrote no rows to a table need not write a file; ``--no-events``
writes no event tables): a missing part reads as no rows, never as an error.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

_PART = re.compile(r"^p(\d{5})(?:-p(\d{5}))?-r(\d{7})\.parquet$")
"""A part's name: its design point (or first and last points) and first replication
(:func:`~sim.sweep.store.part_key`)."""


def part_files(folder: Path, name: str, points: Sequence[int] | None = None) -> list[Path]:
    """The parts of table ``name`` (holding rows of ``points`` only, if given), in point and replication order.

    Empty if the table has no parts: a caller that needs rows says so in its own words.
    """
    found = sorted(p for p in (Path(folder) / name).glob("*.parquet") if _PART.match(p.name))
    return found if points is None else holding(found, points)


def holding(parts: Sequence[Path], points: Sequence[int]) -> list[Path]:
    """The ``parts`` that hold rows of any of ``points``, judged by their names alone."""
    wanted = {int(p) for p in points}
    return [part for part in parts if not wanted.isdisjoint(points_of(part))]


def points_of(part: Path) -> range:
    """The design points a part holds, from its name (:func:`~sim.sweep.store.part_key`): one, or a run of them."""
    found = _PART.match(part.name)
    if found is None:
        raise ValueError(
            f"{part.name} is not the name of a part (p<point>[-p<last point>]-r<first replication>.parquet)"
        )
    first = int(found.group(1))
    return range(first, int(found.group(2) or first) + 1)


def points_with_rows(folder: Path, name: str) -> list[int]:
    """The design points that have at least one row of table ``name``: from the parts' footers, and the
    ``point`` column alone of a part of several points."""
    return [point for point, _ in by_point(folder, name)]  # no part's rows are read


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


def _of_points(part: Path, where: pc.Expression | None, points: Sequence[int] | None) -> pc.Expression | None:
    """``where``, and the rows of ``points`` only when the part also holds other points."""
    if points is None or set(points_of(part)) <= {int(p) for p in points}:
        return where
    wanted = pc.field("point").isin([int(p) for p in points])
    return wanted if where is None else where & wanted


def _with_point(columns: Sequence[str] | None) -> list[str] | None:
    """The columns to read to split a part by point: those asked, and ``point``."""
    return None if columns is None else list(dict.fromkeys([*columns, "point"]))


def _by_point(frame: pd.DataFrame, columns: Sequence[str] | None) -> Callable[[int], pd.DataFrame]:
    """One point's rows of a part (its points stored one after another), with the columns asked."""
    points = frame["point"].to_numpy()
    body = frame if columns is None or "point" in columns else frame.drop(columns="point")

    def rows(point: int) -> pd.DataFrame:
        lo, hi = np.searchsorted(points, [point, point + 1])
        return body.iloc[lo:hi].reset_index(drop=True)

    return rows


def _point_column(part: Path) -> np.ndarray:
    return pq.read_table(part, columns=["point"]).column("point").to_numpy()


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
    other points' parts unopened, and their rows in a part of several points.  Parts are read
    lazily, so only one is held at a time.
    """
    for part in part_files(folder, name, points):
        yield _read(part, columns, _of_points(part, where, points))


def by_point(
    folder: Path, name: str, *, columns: Sequence[str] | None = None, where: pc.Expression | None = None
) -> Iterator[tuple[int, Iterator[pd.DataFrame]]]:
    """Each design point with rows of table ``name``, in order, and its rows read lazily (as :func:`scan`).

    The folder is listed once for all points (a sweep summarised point by point with :func:`scan`
    would list it once per point, quadratic in the points), and a part without rows is skipped
    from its footer.  A part of several points is read once and handed out point by point.
    """
    entries: list[Path | tuple[int, list[Path]]] = []
    for part in part_files(folder, name):
        if not pq.read_metadata(part).num_rows:
            continue
        span = points_of(part)
        if len(span) > 1:
            entries.append(part)
        elif entries and isinstance(entries[-1], tuple) and entries[-1][0] == span[0]:
            entries[-1][1].append(part)
        else:
            entries.append((span[0], [part]))
    for entry in entries:
        if isinstance(entry, Path):
            yield from _split(entry, columns, where)
        else:
            point, parts = entry
            yield point, (_read(part, columns, where) for part in parts)


def _split(
    part: Path, columns: Sequence[str] | None, where: pc.Expression | None
) -> Iterator[tuple[int, Iterator[pd.DataFrame]]]:
    """The points of a part of several points, each with its rows; the part is read once, when first asked."""
    split: list[Callable[[int], pd.DataFrame]] = []

    def rows(point: int) -> Iterator[pd.DataFrame]:
        if not split:
            split.append(_by_point(_read(part, _with_point(columns), where), columns))
        yield split[0](point)

    for point in np.unique(_point_column(part)).tolist():
        yield point, rows(point)


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
    """Several tables together, a chunk of one point's replications at a time: its replications and ``{table: rows}``.

    The tables' parts of one chunk share a name, so a chunk's events, deployments and engaged
    rows are the same replications; a part of several points is handed out point by point.  A
    table without a part for a chunk (no rows there) gives an empty frame with its columns.
    ``columns`` maps each table to the columns to read (None: all), ``where`` a table to its row
    filter.  The replications are every one any of the tables mentions in the chunk, before
    filtering: a replication whose rows a filter drops still counts.
    """
    names = sorted({p.name for table in columns for p in part_files(folder, table, points)})
    empty = {table: _empty(folder, table, wanted) for table, wanted in columns.items()}  # made once, not per chunk
    asked = None if points is None else {int(p) for p in points}
    keys = ["point", "replication"]
    for name in names:
        read: dict[str, Callable[[int], pd.DataFrame]] = {}
        mentioned: list[pd.DataFrame] = []
        for table, wanted in columns.items():
            path = Path(folder) / table / name
            if not path.is_file():
                continue
            filter_ = (where or {}).get(table)
            frame = _read(path, _with_point(wanted), _of_points(path, filter_, points))
            read[table] = _by_point(frame, wanted)
            if filter_ is not None or "replication" not in frame:
                frame = pq.read_table(path, columns=keys).to_pandas()  # before the filter
            mentioned.append(frame[keys])
        ids = pd.concat(mentioned, ignore_index=True)  # a name is listed because some table has the part
        present = np.unique(ids["point"]).tolist()
        if points_of(Path(name))[0] == 0 and 0 not in present:  # the first part is written even with no rows
            present.insert(0, 0)
        for point in present:
            if asked is not None and point not in asked:
                continue
            chunk = {table: read[table](point) if table in read else empty[table].copy() for table in columns}
            yield np.unique(ids["replication"].to_numpy()[ids["point"].to_numpy() == point]), chunk
