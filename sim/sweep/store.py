"""Results on disk: Parquet parts, summary tables and a manifest, never half-written.

Every file goes to a temporary name in the target folder and is renamed into place
(``os.replace`` is atomic on one filesystem), so a part that exists is complete: an interrupted
run leaves whole parts and nothing else, and running it again resumes by skipping them.  The
manifest carries a fingerprint of what determines the results; a folder holding a different
run is refused unless the caller asks to start afresh, so results are never silently mixed.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.compute as pc
import pyarrow.dataset as ds

MANIFEST = "manifest.json"


class ResultsFolderConflict(RuntimeError):
    """The output folder holds results of a different run."""


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The folder's manifest, or None if it has none."""
    path = folder / MANIFEST
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


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
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    os.chmod(tmp, new_file_mode())
    try:
        write(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_table(frame: pd.DataFrame, path: Path) -> None:
    """One table as Parquet (zstd), atomically."""
    _atomic_write(path, lambda tmp: frame.to_parquet(tmp, index=False, compression="zstd"))


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
    """One results folder: table parts under ``<table>/``, summary tables, the manifest."""

    SUBFOLDERS = ("events", "deployments", "calendar", "engaged", "figures")
    FILES = ("summary.parquet", "points.parquet", "sensitivity.parquet", "report.html", MANIFEST)

    def __init__(self, path: Path):
        self.path = Path(path)

    def prepare(self, run_fingerprint: str, *, fresh: bool, describe: str) -> None:
        """Make the folder ready: resume the same run, clear it if ``fresh``, refuse another run."""
        existing = read_manifest(self.path) if self.path.exists() else None
        foreign = existing is None and self.path.exists() and any(self.path.iterdir())
        other = existing is not None and existing.get("fingerprint") != run_fingerprint
        if (foreign or other) and not fresh:
            held = (
                "files that are not pko-sim results"
                if foreign
                else (f"results of another run ({existing.get('name')!r}, fingerprint {existing.get('fingerprint')})")
            )
            raise ResultsFolderConflict(
                f"{self.path} holds {held}, not of {describe}; choose another --out or pass --fresh to replace it"
            )
        for stray in self.path.rglob(".*.tmp") if self.path.exists() else ():
            stray.unlink()  # left by a killed run; never read, since parts are renamed when complete
        if fresh:
            for name in self.SUBFOLDERS:
                shutil.rmtree(self.path / name, ignore_errors=True)
            for name in self.FILES:
                (self.path / name).unlink(missing_ok=True)
        self.path.mkdir(parents=True, exist_ok=True)

    def part_path(self, table: str, point: int, first: int) -> Path:
        """Where one chunk of one table lives; names sort in point and replication order."""
        return self.path / table / f"p{point:05d}-r{first:07d}.parquet"

    def has_part(self, table: str, point: int, first: int) -> bool:
        return self.part_path(table, point, first).exists()

    def write_part(self, table: str, point: int, first: int, frame: pd.DataFrame) -> None:
        path = self.part_path(table, point, first)
        path.parent.mkdir(exist_ok=True)
        write_table(frame, path)

    def write_table(self, name: str, frame: pd.DataFrame) -> None:
        write_table(frame, self.path / f"{name}.parquet")

    def write_manifest(self, data: dict[str, Any]) -> None:
        write_json(data, self.path / MANIFEST)


def read_rows(
    folder: Path, name: str, *, points: Sequence[int] | None = None, replications: Sequence[int] | None = None
) -> pd.DataFrame:
    """The rows of one table for some design points and replications (None: all), reading only those.

    A sweep's tables hold every point and replication in many parts; a figure of one replication
    needs a few rows of one part.  The parts of other points are not opened (a part's name says
    its point, :meth:`ResultsFolder.part_path`), and pyarrow's dataset filter reads only the
    matching rows of the rest.  Empty (with the table's columns) if nothing matches.
    """
    path = Path(folder) / name
    parts = sorted(path.glob("*.parquet"))
    if not parts:
        raise FileNotFoundError(f"{folder} has no {name} table (was it run with --no-events?)")
    condition = None
    if points is not None:
        condition = pc.field("point").isin(list(points))
        prefixes = tuple(f"p{int(p):05d}-" for p in points)
        chosen = [part for part in parts if part.name.startswith(prefixes)]
        if not chosen:
            return ds.dataset(parts[0], format="parquet").schema.empty_table().to_pandas()
        parts = chosen
    if replications is not None:
        wanted = pc.field("replication").isin(list(replications))
        condition = wanted if condition is None else condition & wanted
    table = ds.dataset([str(part) for part in parts], format="parquet").to_table(filter=condition)
    return table.to_pandas()


def read_table(folder: Path, name: str) -> pd.DataFrame:
    """All parts of one table of a results folder, in point and replication order."""
    parts = sorted((Path(folder) / name).glob("*.parquet"))
    if not parts:
        raise FileNotFoundError(f"{folder} has no {name} table (was it run with --no-events?)")
    return pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True)
