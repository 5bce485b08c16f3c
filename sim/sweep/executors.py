"""Where chunks of replications run: in this process, in local processes, or on Dask.

Each executor takes the same list of tasks and yields ``(task, result)`` as chunks finish, in
whatever order they finish; the caller writes each result to its own file, so the order does
not change what ends up on disk.  Dask is imported only when asked for, and a failing task
fails loudly with the design point and replications it was running.
"""

from __future__ import annotations

import importlib.util
import os
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass
from typing import Any

from sim.model.world import RunawayScenario
from sim.sweep.parent_watch import die_with_parent

EXECUTORS = ("serial", "processes", "dask")


@dataclass(frozen=True)
class Task:
    """Replications ``first`` to ``last - 1`` of each of a run of consecutive design points.

    One point, unless the points have at most half a chunk of replications: then a chunk takes several
    whole points (``scenarios`` holds each one's scenario), so that a sweep of many small points
    pays for writing and reading parts once per chunk, not once per point (issue 19).
    """

    points: range
    first: int
    last: int
    scenarios: tuple[dict[str, Any], ...]
    seed: int

    @property
    def replications(self) -> int:
        """Replications the task simulates, over all its points (what a progress bar counts)."""
        return (self.last - self.first) * len(self.points)

    def describe(self) -> str:
        which = (f"design point {self.points[0]}" if len(self.points) == 1
                 else f"design points {self.points[0]}-{self.points[-1]}")  # fmt: skip
        return f"{which}, replications {self.first}-{self.last - 1}"


class TaskFailed(RuntimeError):
    """A chunk raised in a worker; the message names it."""


def execute(
    tasks: list[Task],
    fn: Callable[[Task], Any],
    *,
    executor: str = "processes",
    workers: int | None = None,
    scheduler: str | None = None,
    announce: Callable[[str], None] | None = None,
) -> Iterator[tuple[Task, Any]]:
    """Run ``fn`` on every task with the chosen executor, yielding results as they finish.

    ``announce`` receives what a person watching should know, such as where the Dask dashboard
    of a local cluster is.
    """
    if executor not in EXECUTORS:
        raise ValueError(f"unknown executor {executor!r}; choose one of {', '.join(EXECUTORS)}")
    if scheduler is not None and executor != "dask":
        raise ValueError(f"a scheduler address ({scheduler}) is for the dask executor, not {executor!r}")
    if not tasks:
        return iter(())
    if executor == "serial":
        return _serial(tasks, fn)
    if executor == "processes":
        return _processes(tasks, fn, workers or os.cpu_count() or 1)
    return _dask(tasks, fn, workers, scheduler, announce or (lambda message: None))


def _serial(tasks: list[Task], fn: Callable[[Task], Any]) -> Iterator[tuple[Task, Any]]:
    for task in tasks:
        yield task, _call(fn, task)


def _call(fn: Callable[[Task], Any], task: Task) -> Any:
    try:
        return fn(task)
    except RunawayScenario:
        raise  # the scenario's fault, not the worker's: running again would loop again
    except Exception as exc:
        raise TaskFailed(f"{task.describe()} failed: {exc!r}") from exc


def _processes(tasks: list[Task], fn: Callable[[Task], Any], workers: int) -> Iterator[tuple[Task, Any]]:
    """A local process pool; at most two chunks in flight per worker keeps memory flat.

    Its workers end with this process however it ends (:mod:`sim.sweep.parent_watch`).
    """
    pool = ProcessPoolExecutor(max_workers=workers, initializer=die_with_parent, initargs=(os.getpid(),))
    pending: dict[Future, Task] = {}
    queue = iter(tasks)
    try:
        for task in queue:
            pending[pool.submit(_call, fn, task)] = task
            if len(pending) >= 2 * workers:
                break
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in sorted(done, key=lambda f: (pending[f].points[0], pending[f].first)):
                task = pending.pop(future)
                result = future.result()
                nxt = next(queue, None)
                if nxt is not None:
                    pending[pool.submit(_call, fn, nxt)] = nxt
                yield task, result
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _dashboard(cluster: Any) -> str:
    """Where the local cluster's dashboard is; Dask draws it only with Bokeh installed."""
    missing = "" if importlib.util.find_spec("bokeh") else " (install bokeh>=3.1 to see it: pip install 'bokeh>=3.1')"
    return f"Dask dashboard: {cluster.dashboard_link}{missing}"


def _dask(
    tasks: list[Task],
    fn: Callable[[Task], Any],
    workers: int | None,
    scheduler: str | None,
    announce: Callable[[str], None],
) -> Iterator[tuple[Task, Any]]:
    """A Dask cluster at ``scheduler``, or a local cluster of ``workers`` single-threaded processes.

    A local cluster serves its dashboard on a free port (when Bokeh is installed) and announces
    where, so a long sweep can be watched; a remote scheduler's dashboard is its owner's to share.
    """
    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler is None:
        cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1, threads_per_worker=1,
                               processes=True, dashboard_address=":0")  # fmt: skip
        announce(_dashboard(cluster))
    client = Client(scheduler or cluster)
    try:
        futures = {client.submit(_call, fn, task, pure=False): task for task in tasks}
        for future in as_completed(futures):
            yield futures[future], future.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
