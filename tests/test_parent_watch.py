"""A run's worker processes end with it, however it is killed (SIGKILL, SIGTERM), on every executor."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from tests.conftest import ROOT

WAIT = 60.0
"""Seconds the test waits for the workers to end before it fails: generous, never a measurement."""


def ended(process: psutil.Process) -> bool:
    """True once a process has exited (a zombie waiting for an adoptive parent to reap it has)."""
    try:
        return process.status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


@pytest.mark.parametrize(("executor", "how"), [("processes", "SIGKILL"), ("processes", "SIGTERM"), ("dask", "SIGKILL")])
def test_the_workers_of_a_killed_run_end_with_it(tmp_path: Path, executor: str, how: str) -> None:
    command = [sys.executable, "-c", "from sim.cli import main; main()", "run", "configs/baseline.yaml",
               "-n", "1000000", "--executor", executor, "--workers", "2", "--no-progress", "--no-figures",
               "--out", str(tmp_path / "x")]  # fmt: skip
    proc = subprocess.Popen(command, cwd=ROOT, stderr=subprocess.DEVNULL)
    try:
        run_process = psutil.Process(proc.pid)
        deadline = time.monotonic() + WAIT
        while len(workers := run_process.children()) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert len(workers) >= 2, "the run started its workers"
    finally:
        proc.send_signal(getattr(signal, how))
        proc.wait()
    deadline = time.monotonic() + WAIT
    while not all(ended(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = [w.pid for w in workers if not ended(w)]
    for pid in left:  # do not leave them to the next test
        psutil.Process(pid).kill()
    assert not left, f"workers {left} outlived the run killed with {how}"
