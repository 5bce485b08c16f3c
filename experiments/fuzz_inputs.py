"""Fuzz the scenario reader and validator: mutate the shipped configs and count what happens.

    python experiments/fuzz_inputs.py -n 3000 --timeout 20 --workers 2 --seed 1

Each case is a shipped config (``configs/*.yaml``, ``configs/historical/*.yaml``) with one to
three mutations, either of its data (a value replaced by an odd one: ``.inf``, ``-1``, ``true``,
a date past the calendar, a string, a list; a field deleted, added or duplicated) or of its YAML
text (a line deleted or repeated, so keys appear twice; bytes that are not UTF-8; the file cut
short; an alias bomb; a deep nest).  The case is written to a file, read and validated as
``pko-sim validate`` does, and, if accepted, simulated for one replication.  Every case ends in
one of five outcomes:

* ``clear error``: refused with the project's :class:`~sim.scenario.ConfigError` (as ``validate``
  prints it: file, field and reason);
* ``ran``: accepted and simulated to its horizon;
* ``traceback``: refused with any other exception (a bug: the user would see a traceback);
* ``accepted, then failed``: validated, then the simulation raised (a bug: validate said yes);
* ``hang``: no answer within ``--timeout`` seconds, or more than ``--memory`` MB (a bug).

Cases run in worker processes that are replaced when one hangs or dies, each with an address-space
limit, so a bomb cannot take the machine.  The counts are printed, and each bug's case is written
to ``--keep`` (default ``results/fuzz_inputs/``) with what happened, to replay by hand.
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import multiprocessing as mp
import random
import resource
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
OUTCOMES = ("clear error", "ran", "traceback", "accepted, then failed", "hang")
BUGS = ("traceback", "accepted, then failed", "hang")

ODD_VALUES: list[Any] = [
    0, -1, 1, 0.4, 1e6, 1e9, 1e300, -1e300, float("inf"), float("-inf"), float("nan"), True, False, None,
    2**64, 10**30, "", "x", "2026-02-30", "0000-01-01", "30", [], {}, [1, 2], {"dist": "lognormal"},
    {"dist": "lognormal", "median": 1e300, "sigma": 50}, {"dist": "uniform", "low": 5, "high": 1},
    {"dist": "exponential", "mean": float("inf")}, {"dist": "empirical", "values": [1], "weights": [0]},
    {"dist": "triangular", "low": 1, "mode": 1, "high": 1}, {"dist": "gamma", "shape": 1e-300, "scale": 1e6},
    dt.date(1, 1, 1), dt.date(9999, 12, 31), dt.date(1899, 12, 31), dt.date(3000, 1, 1), dt.date(2024, 2, 29),
]  # fmt: skip
"""Replacements for a value: each is wrong somewhere, or right but at an edge."""


def shipped_configs() -> list[Path]:
    """Every shipped scenario (the calibrated values are an include, not a scenario)."""
    found = sorted((ROOT / "configs").glob("*.yaml")) + sorted((ROOT / "configs" / "historical").glob("*.yaml"))
    return [p for p in found if not p.name.endswith(".calibrated.yaml")]


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into a nested mapping/list, containers and leaves alike."""
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, value in node.items():
            out += _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out += _paths(value, (*prefix, index))
    return out


def _parent(data: Any, path: tuple[Any, ...]) -> Any:
    for key in path[:-1]:
        data = data[key]
    return data


def _shifted(value: Any, rng: random.Random) -> Any:
    """A value near the one given: a date moved, a number scaled or negated."""
    if isinstance(value, dt.date):
        try:
            return value + dt.timedelta(days=rng.choice([-36500, -3650, -400, -30, -1, 1, 30, 400, 3650, 36500]))
        except OverflowError:
            return value
    if isinstance(value, bool):
        return not value
    if isinstance(value, int | float):
        return rng.choice([value * 10, value * 1000, -value, value / 1000, value + 0.5])
    return rng.choice(ODD_VALUES)


def mutate_data(data: dict[str, Any], rng: random.Random, gentle: bool = False) -> str:
    """One mutation of the data in place; returns what was done.  ``gentle``: only shift a number
    or a date (most such cases validate, so they test that what validates runs)."""
    paths = _paths(data)
    if gentle:
        paths = [p for p in paths if isinstance(_parent(data, p)[p[-1]], int | float | dt.date)] or paths
    path = rng.choice(paths)
    parent, key = _parent(data, path), path[-1]
    kind = "shift" if gentle else rng.choice(["odd", "odd", "shift", "shift", "delete", "add", "duplicate", "swap"])
    if kind == "odd":
        parent[key] = copy.deepcopy(rng.choice(ODD_VALUES))
    elif kind == "shift":
        parent[key] = _shifted(parent[key], rng)
    elif kind == "delete":
        del parent[key]
    elif kind == "add":
        target = parent[key] if isinstance(parent[key], dict) else parent
        if isinstance(target, dict):
            target[rng.choice(["unknown", "rate", "dist", "params", "seed", "value"])] = rng.choice(ODD_VALUES)
    elif kind == "duplicate" and isinstance(parent, list):
        parent.append(copy.deepcopy(parent[key]))
    elif kind == "swap":
        other = rng.choice(paths)
        try:
            other_parent = _parent(data, other)
            parent[key], other_parent[other[-1]] = copy.deepcopy(other_parent[other[-1]]), copy.deepcopy(parent[key])
        except (KeyError, IndexError, TypeError):
            return f"swap {path} failed"
    return f"{kind} {'.'.join(map(str, path))}"


def mutate_text(text: bytes, rng: random.Random) -> tuple[bytes, str]:
    """One mutation of the YAML text."""
    lines = text.split(b"\n")
    k = rng.randrange(len(lines))
    kind = rng.choice(["delete line", "repeat line", "bad bytes", "cut", "bomb", "nest", "indent", "tab"])
    if kind == "delete line":
        del lines[k]
    elif kind == "repeat line":
        lines.insert(k, lines[k])
    elif kind == "bad bytes":
        lines[k] = lines[k] + bytes([rng.choice([0x80, 0xC3, 0xE9, 0xFF, 0x00, 0x1B])])
    elif kind == "cut":
        return text[: rng.randrange(len(text))], f"cut at {k}"
    elif kind == "bomb":
        levels = ", ".join(f"b{i}: &b{i} [{', '.join([f'*b{i - 1}'] * 9)}]" for i in range(1, 10))
        lines.append(f"description: {{b0: &b0 [ha, ha, ha, ha, ha, ha, ha, ha, ha], {levels}}}".encode())
    elif kind == "nest":
        depth = rng.choice([50, 70, 500, 5000])
        lines.append(b"description: " + b"[" * depth + b"]" * depth)
    elif kind == "indent":
        lines[k] = b"   " + lines[k]
    elif kind == "tab":
        lines[k] = b"\t" + lines[k]
    return b"\n".join(lines), f"{kind} (line {k + 1})"


def make_case(config: Path, rng: random.Random, gentle: bool = False) -> tuple[bytes, str]:
    """A mutated copy of a config (its includes merged in), as YAML bytes, and what was done."""
    from sim.scenario import read_scenario_file

    data = read_scenario_file(config)
    done = [config.relative_to(ROOT).as_posix()]
    for _ in range(rng.choice([1, 1, 2, 3])):
        if gentle or rng.random() < 0.75:
            done.append(mutate_data(data, rng, gentle))
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True).encode()
    if not gentle and (rng.random() < 0.3 or len(done) == 1):
        text, what = mutate_text(text, rng)
        done.append(what)
    return text, "; ".join(done)


# -- the worker ---------------------------------------------------------------------------------


def _worker(conn: Any, memory_mb: int) -> None:
    """Read cases from the pipe and answer with their outcome, under an address-space limit."""
    limit = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    import sim
    from sim.scenario import ConfigError

    while True:
        path = conn.recv()
        if path is None:
            return
        try:
            scenario = sim.load_scenario(path)
        except ConfigError as exc:
            conn.send(("clear error", str(exc).splitlines()[-1][:200]))
            continue
        except BaseException:
            conn.send(("traceback", traceback.format_exc(limit=-3)[-1500:]))
            continue
        try:
            sim.simulate(scenario, replications=1)
        except BaseException:
            conn.send(("accepted, then failed", traceback.format_exc(limit=-3)[-1500:]))
            continue
        conn.send(("ran", ""))


class Worker:
    """One worker process and its pipe; replaced when a case hangs or kills it."""

    def __init__(self, memory_mb: int):
        self.memory_mb = memory_mb
        context = mp.get_context("spawn")  # a fresh interpreter: workers are replaced from threads
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker, args=(child, memory_mb), daemon=True)
        self.process.start()

    def run(self, path: Path, timeout: float) -> tuple[str, str]:
        self.conn.send(str(path))
        if self.conn.poll(timeout):
            try:
                return self.conn.recv()
            except EOFError:
                pass
        self.process.kill()
        self.process.join()
        code = self.process.exitcode
        return "hang", f"no answer in {timeout:g} s (worker exit code {code}; killed or out of memory)"

    def stop(self) -> None:
        if self.process.is_alive():
            self.conn.send(None)
            self.process.join(5)


def fuzz(
    cases: int, seed: int, timeout: float, memory_mb: int, keep: Path, workers: int, gentle: bool = False
) -> Counter[str]:
    """Run ``cases`` mutations; print and return the count of each outcome."""
    rng = random.Random(seed)
    configs = shipped_configs()
    keep.mkdir(parents=True, exist_ok=True)
    work = keep / "cases"
    work.mkdir(exist_ok=True)
    pool = [Worker(memory_mb) for _ in range(workers)]
    counts: Counter[str] = Counter()
    bugs = []
    started = time.monotonic()
    pending: list[tuple[int, Path, str]] = []
    for n in range(cases):
        text, what = make_case(rng.choice(configs), rng, gentle)
        path = work / f"case_{n:05d}.yaml"
        path.write_bytes(text)
        pending.append((n, path, what))
    import concurrent.futures as cf

    def one(slot: int, items: list[tuple[int, Path, str]]) -> list[tuple[int, Path, str, str, str]]:
        answers = []
        for n, path, what in items:
            outcome, detail = pool[slot].run(path, timeout)
            if outcome == "hang":
                pool[slot] = Worker(memory_mb)
            answers.append((n, path, what, outcome, detail))
        return answers

    with cf.ThreadPoolExecutor(workers) as threads:
        shares = [pending[i::workers] for i in range(workers)]
        for answers in threads.map(one, range(workers), shares):
            for n, path, what, outcome, detail in answers:
                counts[outcome] += 1
                if outcome in BUGS:
                    bugs.append({"case": n, "file": str(path), "mutations": what, "outcome": outcome, "detail": detail})
                else:
                    path.unlink()
    for worker in pool:
        worker.stop()
    seconds = time.monotonic() - started
    summary = {"cases": cases, "seed": seed, "gentle": gentle, "timeout": timeout, "seconds": round(seconds, 1),
               **counts}  # fmt: skip
    (keep / "summary.json").write_text(json.dumps({**summary, "bugs": bugs}, indent=1, default=str))
    print(f"{cases} {'gently ' if gentle else ''}mutated configs (seed {seed}) in {seconds:.0f} s:")
    for outcome in OUTCOMES:
        print(f"  {outcome:22s} {counts[outcome]:6d}")
    for bug in bugs[:20]:
        print(f"\n[{bug['outcome']}] {bug['file']}: {bug['mutations']}\n{bug['detail']}")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("-n", "--cases", type=int, default=2000, help="mutated configs to try")
    parser.add_argument("--seed", type=int, default=1, help="seed of the mutations")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds a case may take before it is a hang")
    parser.add_argument("--memory", type=int, default=2048, help="MB of address space a worker may use")
    parser.add_argument("--workers", type=int, default=2, help="worker processes")
    parser.add_argument("--gentle", action="store_true", help="only shift numbers and dates (most cases validate)")
    parser.add_argument("--keep", type=Path, default=ROOT / "results" / "fuzz_inputs", help="folder for the bugs")
    args = parser.parse_args()
    counts = fuzz(args.cases, args.seed, args.timeout, args.memory, args.keep, args.workers, args.gentle)
    raise SystemExit(1 if any(counts[b] for b in BUGS) else 0)


if __name__ == "__main__":
    main()
