"""Results on disk: Parquet tables and a manifest, written so nothing half-written is read.

Every file goes to a temporary name in the target folder and is renamed into place
(``os.replace`` is atomic on one filesystem).  The manifest is written last and removed first
when a folder is overwritten, so a folder with a manifest always holds complete tables that
match it.  A folder that already holds a different run (other config, seed or replication
count) is refused unless the caller asks to overwrite it: results are never silently mixed.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import tempfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from sim.results import SimulationResult

MANIFEST = "manifest.json"


class ResultsFolderConflict(RuntimeError):
    """The output folder holds results of a different run."""


def fingerprint(config: dict[str, Any], seed: int, replications: int, version: str) -> str:
    """A hash of everything that determines a run's output."""
    blob = json.dumps(
        {"config": config, "seed": seed, "replications": replications, "version": version},
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """The folder's manifest, or None if it has none."""
    path = folder / MANIFEST
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def _atomic_write(path: Path, write: Callable[[Path], None]) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
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


def claim_folder(folder: Path, run_fingerprint: str, overwrite: bool) -> None:
    """Make ``folder`` ready for a run, refusing one that holds a different run."""
    folder.mkdir(parents=True, exist_ok=True)
    existing = read_manifest(folder)
    if existing is not None and existing.get("fingerprint") != run_fingerprint and not overwrite:
        raise ResultsFolderConflict(
            f"{folder} already holds results of another run "
            f"(scenario {existing.get('name')!r}, seed {existing.get('seed')}, "
            f"{existing.get('replications')} replications, fingerprint "
            f"{existing.get('fingerprint')}); choose another --out or pass --overwrite"
        )
    (folder / MANIFEST).unlink(missing_ok=True)


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


def save_result(
    result: SimulationResult,
    folder: Path,
    *,
    overwrite: bool = False,
    config_file: str | None = None,
    started: str | None = None,
    seconds: float | None = None,
) -> dict[str, Any]:
    """Write a run's tables and manifest under ``folder``; return the manifest."""
    from sim import __version__

    config = result.scenario.model_dump(mode="json")
    run_fingerprint = fingerprint(config, result.seed, result.replications, __version__)
    claim_folder(folder, run_fingerprint, overwrite)
    tables = {
        "events": result.events,
        "deployments": result.deployments,
        "calendar": result.calendar,
        "engaged": result.engaged,
    }
    for name, frame in tables.items():
        write_table(frame, folder / f"{name}.parquet")
    manifest = {
        "name": result.scenario.name,
        "config_file": config_file,
        "config": config,
        "seed": result.seed,
        "replications": result.replications,
        "version": __version__,
        "git_commit": git_commit(),
        "fingerprint": run_fingerprint,
        "started": started,
        "finished": datetime.now(UTC).isoformat(timespec="seconds"),
        "seconds": seconds,
        "tables": {name: {"file": f"{name}.parquet", "rows": len(frame)} for name, frame in tables.items()},
    }
    write_json(manifest, folder / MANIFEST)
    return manifest


def write_figure(figure: Any, path: Path) -> None:
    """A matplotlib figure as PNG or SVG (by the path's suffix), atomically."""
    fmt = path.suffix.lstrip(".") or "png"
    path.parent.mkdir(parents=True, exist_ok=True)
    _atomic_write(path, lambda tmp: figure.savefig(tmp, format=fmt, dpi=120))
