"""Results on disk: Parquet parts, summary tables and a manifest, never half-written.

Every file goes to a temporary name in the target folder and is renamed into place
(``os.replace`` is atomic on one filesystem), so a part is never seen half-written: an
interrupted run leaves whole parts and nothing else, and running it again resumes by skipping
them.  Each part's rows and checksum are recorded (:mod:`sim.sweep.records`) and checked on
resume, so a part damaged afterwards is simulated again rather than trusted.  The manifest
carries a fingerprint of what determines the results; a folder holding a different run is
refused unless the caller asks to start afresh, so results are never silently mixed.  One run
writes a folder at a time (:mod:`sim.sweep.lock`).

Temporary files carry the id of the process writing them, so a run clears only those of
processes that have ended, never the live temporary file of another (``pko-sim plot`` or
``report`` writing beside a run).

Workers write their own parts (:class:`PartTarget`) and hand back only each part's record; the
run's process appends the records to the part record (:meth:`ResultsFolder.record`).  Encoding
Parquet was most of the parent's work when it wrote every part, and it capped how many workers
could be kept busy.  A worker that cannot see the folder (a Dask worker on a machine without
the shared filesystem) hands back the encoded bytes instead, and the parent writes them.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import tempfile
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import psutil
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from sim.sweep.lock import LOCK_FILE
from sim.sweep.records import (
    JOURNAL,
    SCHEMA_PART,
    PartRecord,
    journal_header,
    journal_line,
    journal_run,
    parse_parts,
    read_journal,
)
from sim.sweep.scan import holding, part_files, read_columns

MANIFEST = "manifest.json"
_TEMPORARY = re.compile(r"^\..*\.pid(\d+)\.\w+\.tmp$")
"""A temporary file's name: ``.<target>.pid<writer's process id>.<random>.tmp``."""


class ResultsFolderConflict(RuntimeError):
    """The output folder holds results of a different run."""


class StoreNotice(UserWarning):
    """What the store repaired in a results folder (a damaged part, a rebuilt manifest), for a library caller."""


def warn(message: str) -> None:
    """Tell a library caller (no ``announce`` given) what the store repaired."""
    warnings.warn(message, StoreNotice, stacklevel=3)


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The folder's manifest, or None if it has none."""
    path = folder / MANIFEST
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def read_manifest_safely(folder: Path) -> tuple[dict[str, Any] | None, str]:
    """The folder's manifest, or None and why not ("missing", or what makes it unreadable)."""
    try:
        manifest = read_manifest(folder)
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return None, f"unreadable ({type(exc).__name__}: {exc})"
    if manifest is None:
        return None, "missing"
    if not isinstance(manifest, dict):
        return None, f"unreadable (a JSON {type(manifest).__name__}, not an object)"
    return manifest, ""


def new_file_mode() -> int:
    """The mode ``open()`` gives a new file: 0o666 less the process's umask.

    ``mkstemp`` creates its file 0o600 (private to the owner); renamed into place, results would
    be unreadable to the group a shared results folder is for.  The umask can only be read by
    setting it, so it is set back at once.
    """
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def _atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.pid{os.getpid()}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    os.chmod(tmp, new_file_mode())
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_table(frame: pd.DataFrame, path: Path) -> None:
    """One table as Parquet (zstd), atomically: the bytes :func:`encode_table` makes, as for a part."""
    write_bytes(encode_table(frame), path)


def encode_table(frame: pd.DataFrame) -> bytes:
    """One table as Parquet bytes, so a part's checksum is taken before it is on disk.

    pyarrow directly, not ``DataFrame.to_parquet``: the same bytes without pandas' wrapper, which
    cost a tenth of a small part's encoding.
    """
    sink = pa.BufferOutputStream()
    pq.write_table(pa.Table.from_pandas(frame, preserve_index=False), sink, compression="zstd")
    return sink.getvalue().to_pybytes()


def write_bytes(data: bytes, path: Path) -> None:
    """Encoded bytes, atomically, in a folder made if missing."""
    path.parent.mkdir(exist_ok=True)
    _atomic_write(path, lambda tmp: tmp.write_bytes(data))


def part_key(table: str, points: range, first: int) -> str:
    """Where one chunk of one table lives under the folder; names sort in point and replication order.

    A chunk of one point is ``p<point>-r<first>``; a chunk of several whole points names its first
    and last, ``p<first point>-p<last point>-r0000000`` (:func:`~sim.sweep.scan.points_of`).
    """
    last = f"-p{points[-1]:05d}" if len(points) > 1 else ""
    return f"{table}/p{points[0]:05d}{last}-r{first:07d}.parquet"


@dataclass(frozen=True)
class StoredPart:
    """What a worker hands back for one part: its key and record, and its bytes if the worker could not write them."""

    key: str
    record: PartRecord
    data: bytes | None = None


@dataclass(frozen=True)
class PartTarget:
    """A run's results folder as its workers see it: where to put parts, and the token that proves it is the run's.

    Small and picklable, it travels with every chunk.  A worker writes its parts only if the part
    record there carries ``run`` (:meth:`visible`): a folder at the same path on another machine,
    or an earlier copy, never does, so a part is never written where the run's process cannot see it.
    A remote worker still finishing a chunk of a killed run finds the next run's token and writes
    nothing, unless that run starts between its check and its rename (microseconds); such a part
    has no record and is removed when the folder is next prepared.
    """

    path: Path
    run: str

    def visible(self) -> bool:
        """True if this process sees the run's folder: its part record's header names this run."""
        try:
            with (self.path / JOURNAL).open("rb") as journal:
                return journal_run(journal.readline()) == self.run
        except OSError:
            return False

    def store(self, points: range, first: int, frames: Mapping[str, pd.DataFrame]) -> list[StoredPart]:
        """Encode, checksum and (when the folder is visible) write one chunk's tables; their records.

        A table with no rows gets an empty record and no file, except in :data:`SCHEMA_PART`.
        """
        here = self.visible()
        stored = []
        for table, frame in frames.items():
            key = part_key(table, points, first)
            if frame.empty and (points[0], first) != SCHEMA_PART:
                stored.append(StoredPart(key, PartRecord.empty()))
                continue
            data = encode_table(frame)
            record = PartRecord.of_bytes(data, len(frame))
            if here:
                write_bytes(data, self.path / key)
            stored.append(StoredPart(key, record, None if here else data))
        return stored


def write_json(data: dict[str, Any], path: Path) -> None:
    """A JSON document, atomically."""
    text = json.dumps(data, indent=2, sort_keys=True, default=str)
    _atomic_write(path, lambda tmp: tmp.write_text(text + "\n", encoding="utf-8"))


def git_commit() -> str | None:
    """The commit of the working tree the package runs from, if it is a git checkout."""
    try:
        out = subprocess.run(
            ["git", "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            cwd=Path(__file__).parent,
            timeout=5,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return out.stdout.strip() or None


def write_text(text: str, path: Path) -> None:
    """A text file (an HTML report), atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    _atomic_write(path, lambda tmp: tmp.write_text(text, encoding="utf-8"))


def write_figure(figure: Any, path: Path) -> None:
    """A matplotlib figure as PNG or SVG (by the path's suffix), atomically."""
    fmt = path.suffix.lstrip(".") or "png"
    path.parent.mkdir(parents=True, exist_ok=True)
    _atomic_write(path, lambda tmp: figure.savefig(tmp, format=fmt, dpi=120))


class ResultsFolder:
    """One results folder: table parts under ``<table>/``, summary tables, the manifest.

    ``parts`` holds the records of the parts known to be whole (checked by :meth:`prepare` or
    :meth:`load_parts`, or written by this run), keyed by their path under the folder.
    """

    TABLES = ("events", "deployments", "calendar", "engaged")
    SUBFOLDERS = (*TABLES, "figures")
    FILES = ("summary.parquet", "points.parquet", "sensitivity.parquet", "report.html", MANIFEST)
    OURS = frozenset((*SUBFOLDERS, *FILES, "discovery", JOURNAL, LOCK_FILE))
    """What pko-sim writes in a results folder; anything else makes it someone else's."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.parts: dict[str, PartRecord] = {}
        self.run = secrets.token_hex(8)
        """This run's token in the part record's header, by which workers know they see the folder."""

    def prepare(
        self, run_fingerprint: str, *, fresh: bool, describe: str, notify: Callable[[str], None] = warn
    ) -> None:
        """Make the folder ready: resume the same run, clear it if ``fresh``, refuse another run.

        Call it holding the folder's lock (:func:`sim.sweep.lock.locked`).  On resume only parts
        that match their record are kept; every other part file is removed, to be simulated
        again.  A missing or unreadable manifest is not a reason to lose the parts: their records
        are rebuilt from the part record when it belongs to this run.  ``notify`` hears what was
        repaired.
        """
        existing, why = read_manifest_safely(self.path) if self.path.is_dir() else (None, "missing")
        journal_run, journaled = read_journal(self.path / JOURNAL)
        entries = [p.name for p in self.path.iterdir()] if self.path.is_dir() else []
        foreign = sorted(n for n in entries if n not in self.OURS and not _TEMPORARY.match(n))
        records: dict[str, PartRecord] = {}
        explained = False
        if not fresh:
            if existing is not None and existing.get("fingerprint") != run_fingerprint:
                held = f"results of another run ({existing.get('name')!r}, fingerprint {existing.get('fingerprint')})"
                raise self._conflict(held, describe)
            if existing is None and foreign:
                raise self._conflict(f"files that are not pko-sim results ({', '.join(foreign[:3])})", describe)
            if journal_run is not None and journal_run != run_fingerprint and existing is None:
                raise self._conflict(f"results of another run (fingerprint {journal_run}; its {MANIFEST} is {why})",
                                     describe)  # fmt: skip
            if existing is not None:
                records = parse_parts(existing.get("parts"))
            if journal_run == run_fingerprint:
                records.update(journaled)
            if existing is None and self._part_files():
                notify(self._rebuilt_message(why, journal_run == run_fingerprint))
                explained = journal_run != run_fingerprint
        self._clear_temporary_files()
        if fresh:
            for name in self.SUBFOLDERS:
                shutil.rmtree(self.path / name, ignore_errors=True)
            for name in (*self.FILES, JOURNAL):
                (self.path / name).unlink(missing_ok=True)
        self.path.mkdir(parents=True, exist_ok=True)
        self._keep_verified(records, notify, explained=explained)
        kept = "".join(journal_line(key, record) for key, record in sorted(self.parts.items()))
        journal = journal_header(run_fingerprint, self.run) + kept
        _atomic_write(self.path / JOURNAL, lambda tmp: tmp.write_text(journal, encoding="utf-8"))

    def _conflict(self, held: str, describe: str) -> ResultsFolderConflict:
        return ResultsFolderConflict(
            f"{self.path} holds {held}, not of {describe}; choose another --out or pass --fresh to replace it"
        )

    def _rebuilt_message(self, why: str, journaled: bool) -> str:
        if journaled:
            return (f"{self.path}: {MANIFEST} is {why}; the parts are checked against the part record ({JOURNAL}) "
                    f"and {MANIFEST} is written anew")  # fmt: skip
        return (f"{self.path}: {MANIFEST} is {why} and there is no part record ({JOURNAL}), so no stored part can be "
                "checked: every part is simulated again (the same seed gives the same parts)")  # fmt: skip

    def _part_files(self) -> list[Path]:
        return [p for table in self.TABLES for p in sorted((self.path / table).glob("*.parquet"))]

    def _keep_verified(self, records: dict[str, PartRecord], notify: Callable[[str], None], *, explained: bool) -> None:
        """Keep the parts that match their records; remove every other part file, saying why (unless ``explained``).

        A part recorded empty is kept while no file stands at its path.
        """
        self.parts = {key: r for key, r in records.items() if not r.has_file and not (self.path / key).exists()}
        damaged, unrecorded = [], 0
        for path in self._part_files():
            key = path.relative_to(self.path).as_posix()
            record = records.get(key)
            problem = record.problem(path) if record is not None else "no record"
            if problem is None:
                self.parts[key] = record
                continue
            path.unlink()
            if record is None:
                unrecorded += 1
            else:
                damaged.append(f"{key} ({problem})")
        if damaged:
            shown = "; ".join(damaged[:5]) + (f"; and {len(damaged) - 5} more" if len(damaged) > 5 else "")
            notify(f"{self.path}: {len(damaged)} stored part(s) failed their check and are simulated again: {shown}")
        if unrecorded and not explained:
            notify(f"{self.path}: {unrecorded} part(s) without a record (being written when the last run stopped, or "
                   "written by a pko-sim that kept no records) are simulated again")  # fmt: skip

    def load_parts(self, manifest: dict[str, Any]) -> None:
        """Read the records of ``manifest``'s run (and its part record) and keep those whose parts match.

        For readers that change nothing (:func:`sim.sweep.experiment.summarize_results`): a part
        that fails its check is left on disk and counted as missing.
        """
        records = recorded_parts(self.path, manifest)
        self.parts = {key: r for key, r in records.items() if r.problem(self.path / key) is None}

    def _clear_temporary_files(self) -> None:
        """Remove the temporary files of processes that have ended (a killed run's); keep live ones."""
        for stray in self.path.rglob(".*.tmp") if self.path.is_dir() else ():
            found = _TEMPORARY.match(stray.name)
            if found and not _running(int(found.group(1))):
                stray.unlink(missing_ok=True)  # never read: parts are renamed into place when complete

    def has_part(self, table: str, points: range, first: int) -> bool:
        """True if the part matched its record when checked (or was recorded by this run); an empty one has no file."""
        return part_key(table, points, first) in self.parts

    def target(self) -> PartTarget:
        """Where this run's workers write their parts (after :meth:`prepare`)."""
        return PartTarget(self.path, self.run)

    def record(self, stored: Iterable[StoredPart]) -> None:
        """Record one chunk's parts, written by a worker, in the part record at once (one append).

        The bytes of a worker that could not see the folder are written here first; a stale file
        where a part is now recorded empty (left by an older pko-sim) is removed.
        """
        lines = []
        for part in stored:
            path = self.path / part.key
            if part.data is not None:
                write_bytes(part.data, path)
            elif not part.record.has_file:
                path.unlink(missing_ok=True)
            self.parts[part.key] = part.record
            lines.append(journal_line(part.key, part.record))
        with (self.path / JOURNAL).open("a", encoding="utf-8") as journal:
            journal.write("".join(lines))

    def write_table(self, name: str, frame: pd.DataFrame) -> None:
        write_table(frame, self.path / f"{name}.parquet")

    def write_manifest(self, data: dict[str, Any]) -> None:
        write_json(data, self.path / MANIFEST)


def recorded_parts(folder: Path, manifest: dict[str, Any]) -> dict[str, PartRecord]:
    """The parts ``manifest``'s run has recorded, unchecked: the manifest's, and the part record's if of that run.

    Parts recorded empty have no file, so a count of chunks done counts records, not files.
    """
    records = parse_parts(manifest.get("parts"))
    journal_run, journaled = read_journal(Path(folder) / JOURNAL)
    if journal_run == manifest.get("fingerprint"):
        records.update(journaled)
    return records


def _running(pid: int) -> bool:
    """True if process ``pid`` exists and has not ended (a zombie has ended)."""
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def read_rows(
    folder: Path,
    name: str,
    *,
    points: Sequence[int] | None = None,
    replications: Sequence[int] | None = None,
    columns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """The rows of one table for some design points and replications (None: all), reading only those.

    A sweep's tables hold every point and replication in many parts; a figure of one replication
    needs a few rows of one part.  The parts of other points are not opened (a part's name says
    its points, :func:`part_key`), and pyarrow's dataset filter reads only the
    matching rows of the rest, and of those only ``columns`` (None: all).  Empty (with the table's
    columns) if nothing matches.
    """
    every = part_files(folder, name)
    if not every:
        raise FileNotFoundError(f"{folder} has no {name} table (was it run with --no-events?)")
    condition = None
    parts = every
    if points is not None:
        condition = pc.field("point").isin(list(points))
        parts = holding(every, points)
    if replications is not None:
        wanted = pc.field("replication").isin(list(replications))
        condition = wanted if condition is None else condition & wanted
    projected = list(columns) if columns is not None else None
    schema = _common_schema((parts or every)[0])  # a part asked for; another's only when none is
    dataset = ds.dataset([str(part) for part in parts], format="parquet", schema=schema)
    return dataset.to_table(columns=projected, filter=condition).to_pandas()


def _common_schema(part: Path) -> pa.Schema:
    """A part's schema with every categorical's codes as int32, the schema all parts of its table are read as.

    Each part stores a categorical's codes as narrow as its own categories allow (int8 for a few,
    int16 for more), and a dataset of parts refuses to join different widths.
    """
    schema = pq.read_schema(part)
    fields = [
        f.with_type(pa.dictionary(pa.int32(), f.type.value_type, f.type.ordered)) if pa.types.is_dictionary(f.type)
        else f
        for f in schema
    ]  # fmt: skip
    return pa.schema(fields, metadata=schema.metadata)


def read_table(folder: Path, name: str) -> pd.DataFrame:
    """All parts of one table of a results folder, in point and replication order.

    Chunks recorded empty have no file; a part of no rows (the first chunk's, kept for the
    columns) joins the others only when every part is empty.
    """
    if not part_files(folder, name):
        raise FileNotFoundError(f"{folder} has no {name} table (was it run with --no-events?)")
    return read_columns(folder, name, None)
