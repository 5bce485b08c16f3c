"""One writer per results folder: a lock file held by the operating system for the writer's life.

Two runs writing one folder destroy each other's work: ``--fresh`` deletes the other's parts
while it writes them, and each rewrites the manifest.  So a run takes ``.pko-sim.lock`` in the
folder before it reads or changes anything, and a second run is refused with the process that
holds it.  The lock is a kernel record lock (``fcntl.lockf``; on Windows ``msvcrt.locking``), not
the file's existence: it ends with the process however the process ends (SIGKILL, a crash, a
power cut), so a lock file left by a dead run is *stale* and the next run takes it over, saying
so.  POSIX record locks are not inherited by forked workers, so a worker outliving its parent
cannot keep the folder locked.

A POSIX record lock is dropped when its process closes *any* descriptor of the file, so the
holding process never opens the lock file a second time: the holders of this process are kept
in a table, and a second claim from another thread of the same process is refused from it.
"""

from __future__ import annotations

import json
import os
import socket
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

LOCK_FILE = ".pko-sim.lock"

_FAR = 1 << 30
"""Windows locks bytes, and a locked byte cannot be read: lock one far past the holder's description."""


class FolderInUse(RuntimeError):
    """Another process (or another thread of this one) is writing the results folder."""


@dataclass
class _Held:
    """A lock this process holds: its descriptor, the thread that took it, how many times it was taken."""

    fd: int
    thread: int
    depth: int = 1


_held: dict[Path, _Held] = {}
_table_lock = threading.Lock()


def _try_lock(fd: int) -> bool:
    """Take the kernel lock on ``fd`` without waiting; False if another process holds it."""
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        os.lseek(fd, _FAR, os.SEEK_SET)
        try:
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # EAGAIN or EACCES, by platform
        return False
    return True


def _read(fd: int) -> dict[str, Any]:
    """The holder's description in an open lock file ({} if empty or unreadable)."""
    os.lseek(fd, 0, os.SEEK_SET)
    chunks = []
    while chunk := os.read(fd, 65536):
        chunks.append(chunk)
    try:
        data = json.loads(b"".join(chunks).decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _describe_holder(holder: dict[str, Any]) -> str:
    """ "process 1234" (with its host when it is another machine, and when it started)."""
    pid = holder.get("pid", "?")
    host = holder.get("host")
    where = f" on {host}" if host and host != socket.gethostname() else ""
    since = f", running since {holder['started']}" if holder.get("started") else ""
    return f"process {pid}{where}{since}"


def _in_use(folder: Path, holder: dict[str, Any]) -> FolderInUse:
    return FolderInUse(
        f"results folder {folder} is in use by {_describe_holder(holder)}; wait for it to finish, "
        "or choose another --out (--fresh cannot replace a folder another run is writing)"
    )


def _open_locked(folder: Path, path: Path) -> tuple[int, dict[str, Any]]:
    """Open and lock the lock file; also what a previous holder left in it.

    A releasing holder unlinks the file while it still holds the lock, so a run that opened the
    file just before may lock an unlinked file: it checks that the path still names what it
    locked, and tries again if not.
    """
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
        if not _try_lock(fd):
            holder = _read(fd)
            os.close(fd)
            raise _in_use(folder, holder)
        try:
            same = os.path.samestat(os.fstat(fd), os.stat(path))
        except FileNotFoundError:
            same = False
        if same:
            return fd, _read(fd)
        os.close(fd)


def _write_holder(fd: int) -> None:
    """Describe this process in the lock file, for the message a refused run prints."""
    text = json.dumps({
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "started": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": sys.argv,
    })  # fmt: skip
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, os.SEEK_SET)
    os.write(fd, text.encode("utf-8"))


@contextmanager
def locked(folder: Path, notify: Callable[[str], None] | None = None) -> Iterator[None]:
    """Hold the folder's lock while the block runs; raise :class:`FolderInUse` if another run holds it.

    The folder is created if need be.  The same thread may take the lock again inside the block
    (``pko-sim run`` holds it across the experiment and its figures); another thread may not.
    ``notify`` hears of a stale lock taken over from a run that died.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise FolderInUse(f"{folder} is a file, not a results folder; choose another --out")
    folder.mkdir(parents=True, exist_ok=True)
    path = (folder / LOCK_FILE).resolve()
    me = threading.get_ident()
    with _table_lock:
        mine = _held.get(path)
        if mine is not None and mine.thread != me:
            raise _in_use(folder, {"pid": os.getpid()})
        if mine is not None:
            mine.depth += 1
        else:
            fd, previous = _open_locked(folder, path)
            if previous.get("pid") is not None:
                (notify or (lambda message: None))(
                    f"results folder {folder}: taking over the lock left by {_describe_holder(previous)}, "
                    "which is no longer running"
                )
            _write_holder(fd)
            _held[path] = _Held(fd, me)
    try:
        yield
    finally:
        with _table_lock:
            mine = _held[path]
            mine.depth -= 1
            if mine.depth == 0:
                del _held[path]
                with suppress(PermissionError):  # Windows cannot unlink an open file; the next run takes it over
                    path.unlink(missing_ok=True)  # while still locked: see _open_locked
                os.close(mine.fd)
