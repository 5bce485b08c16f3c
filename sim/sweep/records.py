"""What each stored part holds: its row count and checksum, so a damaged part is found, not trusted.

A part that exists was renamed into place whole, but it can be damaged afterwards (a full disk,
a copy cut short, a hand that truncated it), and existence alone would report a truncated part
as complete.  So every part's rows, size and SHA-256 are recorded when it is written, and a
resumed run keeps only the parts that still match their record.

Records live in two places on purpose.  The manifest lists them for people and tools; it is
rewritten only when a run starts and ends, because rewriting it after each of thousands of
chunks would cost the square of their number.  The part record (``.parts.jsonl``) is appended
to as each part is written, one JSON line per part after a header naming the run's fingerprint,
so it survives a kill mid-run, and it is what a deleted or corrupt manifest is rebuilt from.
Its header also carries a token of the run that wrote it, so that a worker can tell it sees the
folder its run is writing (:class:`sim.sweep.store.PartTarget`).

A chunk's table with no rows (the calendar of a scenario without a Diet, or of every chunk but a
point's first when the calendar is shared) is recorded as empty -- rows 0, bytes 0, sha256
null -- and has no file: writing, checksumming and reading back thousands of files of no rows
was most of a small sweep's cost.  The first chunk of the first design point is the exception
(:data:`SCHEMA_PART`): its parts are always written, so every table keeps its columns on disk.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

JOURNAL = ".parts.jsonl"
_BLOCK = 1 << 20
SCHEMA_PART = (0, 0)
"""(point, first replication) of the chunk whose parts are written even with no rows: the tables' columns."""


@dataclass(frozen=True)
class PartRecord:
    """A part as written: its rows, its size in bytes and the SHA-256 of its bytes (None: empty, no file)."""

    rows: int
    bytes: int
    sha256: str | None

    @classmethod
    def of_bytes(cls, data: bytes, rows: int) -> PartRecord:
        """The record of a part about to be written as ``data``: hashed in memory, not read back from disk."""
        return cls(rows, len(data), hashlib.sha256(data).hexdigest())

    @classmethod
    def empty(cls) -> PartRecord:
        """The record of a chunk's table with no rows, which has no file."""
        return cls(0, 0, None)

    @property
    def has_file(self) -> bool:
        return self.sha256 is not None

    @classmethod
    def parse(cls, data: Any) -> PartRecord | None:
        """A record read back from JSON, or None if it is not one (a hand-edited or cut-off entry)."""
        if not isinstance(data, dict):
            return None
        rows, size, digest = data.get("rows"), data.get("bytes"), data.get("sha256")
        if not (isinstance(rows, int) and isinstance(size, int) and (isinstance(digest, str) or digest is None)):
            return None
        if digest is None and (rows, size) != (0, 0):
            return None
        return cls(rows, size, digest)

    def problem(self, path: Path) -> str | None:
        """Why the file at ``path`` is not this part (missing, truncated, altered), or None if it is."""
        if not self.has_file:
            return "a file where the part was recorded empty" if path.exists() else None
        if not path.is_file():
            return "missing"
        size = path.stat().st_size
        if size != self.bytes:
            return f"{size:,} bytes instead of {self.bytes:,}" + (" (emptied)" if size == 0 else " (truncated)")
        if _checksum(path) != self.sha256:  # the same bytes: the same rows too
            return "checksum differs (altered)"
        return None


def _checksum(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while block := f.read(_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def parse_parts(data: Any) -> dict[str, PartRecord]:
    """The manifest's ``parts`` mapping (part path under the folder -> record), skipping malformed entries."""
    if not isinstance(data, dict):
        return {}
    parsed = {key: PartRecord.parse(value) for key, value in data.items() if isinstance(key, str)}
    return {key: record for key, record in parsed.items() if record is not None}


def dump_parts(parts: dict[str, PartRecord]) -> dict[str, dict[str, Any]]:
    """The ``parts`` mapping as JSON data, in part order."""
    return {key: asdict(parts[key]) for key in sorted(parts)}


def journal_header(fingerprint: str, run: str) -> str:
    """The part record's first line: which run its parts belong to, and the token of the run writing it now."""
    return json.dumps({"fingerprint": fingerprint, "run": run}) + "\n"


def journal_run(header: bytes) -> str | None:
    """The run token of a part record's first line, or None if it has none."""
    try:
        entry = json.loads(header)
    except ValueError:
        return None
    run = entry.get("run") if isinstance(entry, dict) else None
    return run if isinstance(run, str) else None


def journal_line(key: str, record: PartRecord) -> str:
    """One part's line of the part record."""
    return json.dumps({"part": key, **asdict(record)}) + "\n"


def read_journal(path: Path) -> tuple[str | None, dict[str, PartRecord]]:
    """The fingerprint and part records of a part record file (None and {} if it is missing or unreadable).

    A line cut off by a kill, or otherwise unreadable, is skipped: its part then has no record
    and is simulated again.
    """
    try:
        lines = path.read_bytes().decode("utf-8", errors="replace").splitlines()
    except OSError:
        return None, {}
    entries = []
    for line in lines:
        try:
            entries.append(json.loads(line))
        except ValueError:
            continue
    if not entries or not isinstance(entries[0], dict) or not isinstance(entries[0].get("fingerprint"), str):
        return None, {}
    parts = {}
    for entry in entries[1:]:
        record = PartRecord.parse(entry)
        if record is not None and isinstance(entry.get("part"), str):
            parts[entry["part"]] = record
    return entries[0]["fingerprint"], parts
