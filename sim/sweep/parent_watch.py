"""Worker processes end with the run that started them.

A process pool's workers wait for chunks on a pipe whose writing end they hold themselves, so
when the run is killed (SIGKILL, or SIGTERM, which Python leaves to its default of dying at once)
they never see the pipe close: they would wait forever, each holding a simulation's memory.
Each worker therefore watches its parent.  On Linux the kernel sends it SIGKILL the moment the
parent dies (``prctl(PR_SET_PDEATHSIG)``); everywhere, a daemon thread polls and ends the worker
once the parent is gone.  The thread is the portable way (macOS, Windows), and on Linux it also
covers a parent that died before ``prctl`` took effect.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import os
import signal
import sys
import threading
import time

POLL_SECONDS = 0.5
"""How often a worker looks for its parent: a killed run's workers are gone within about this long."""

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def die_with_parent(parent: int) -> None:
    """Make this worker end when process ``parent`` does (a process pool's ``initializer``)."""
    if sys.platform.startswith("linux"):
        _kernel_signal_on_parent_death()
    threading.Thread(target=_watch, args=(parent,), name="pko-sim-parent-watch", daemon=True).start()


def _kernel_signal_on_parent_death() -> None:
    """Ask Linux to SIGKILL this process when its parent dies; silently nothing if libc will not say."""
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return
    libc = ctypes.CDLL(libc_name, use_errno=True)
    libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def parent_gone(parent: int) -> bool:
    """True once process ``parent`` has ended.

    On POSIX an orphan is adopted by another process, so its parent id changes.  On Windows the
    recorded parent id never changes, but multiprocessing hands each child a handle on its parent
    that tells whether the parent is still alive.
    """
    if os.getppid() != parent:
        return True
    handle = multiprocessing.parent_process()
    return sys.platform == "win32" and handle is not None and not handle.is_alive()


def _watch(parent: int) -> None:
    while not parent_gone(parent):
        time.sleep(POLL_SECONDS)
    os._exit(1)
