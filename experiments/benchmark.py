"""Speed and memory of the model, against a hand-written SimPy model, bare SimPy and at scale.

    python experiments/benchmark.py                      # baseline and eight_assignments against the yardsticks
    python experiments/benchmark.py --scale              # also the sweep measurements below
    python experiments/benchmark.py --config configs/routine_approvals.yaml --replications 1000
    python experiments/benchmark.py --instructions --against /path/to/older/checkout   # needs valgrind

The fair yardstick is the plain SimPy model a user would write by hand for the same lifecycle
(experiments/handwritten.py): for each scenario (configs/baseline.yaml, the 30-year portfolio, and
configs/eight_assignments.yaml,
or ``--config``) it runs ``sim.simulate`` and the hand-written model on the same scenario and
replication count in one process, alternating in ``--rounds`` chunks so that a neighbour's load
falls on both alike, and compares their CPU time (``time.process_time``): "pko-sim speed" above 1.0x
means pko-sim is the faster.  Also printed: bare SimPy timeouts per second, pko-sim's logged events
per CPU second (the whole of ``sim.simulate``: building worlds, running them, making the
DataFrames), and peak memory per million logged events (tracemalloc, in a separate pass so that its
overhead does not touch the timings).  With ``--scale``: 10,000 replications of the baseline over a
30-year horizon with ``processes`` (wall time and peak resident memory of the whole process
tree), parallel efficiency from 1 to 2 workers, a Dask LocalCluster against ``processes``, and
bytes per event of the event log on disk; then the store's costs (:func:`store_costs`): the run's
own share of the CPU with 2 workers, which bounds their efficiency, and the sweep's overhead per
design point.  With ``--portfolio``: the issue of request streams'
target, 10,000 replications of a 30-year portfolio of about 40 deployments each (configs/baseline.yaml's
streams with their rates after the record scaled up to that many) with ``processes``, wall time and
peak resident memory.  Tests never assert on any of these.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
import tracemalloc
from pathlib import Path

import simpy

import sim

try:
    from experiments import handwritten
except ModuleNotFoundError:  # run as a script: experiments/ is on the path itself
    import handwritten  # type: ignore[no-redef]

BASELINE = Path(__file__).resolve().parent.parent / "configs" / "baseline.yaml"
EIGHT = Path(__file__).resolve().parent.parent / "configs" / "eight_assignments.yaml"


def bare_simpy(timeouts: int, processes: int = 100) -> float:
    """Timeouts per second of plain SimPy processes that do nothing else."""
    env = simpy.Environment()
    per_process = timeouts // processes

    def ticker(env: simpy.Environment):
        for _ in range(per_process):
            yield env.timeout(1)

    for _ in range(processes):
        env.process(ticker(env))
    clock = time.perf_counter()
    env.run()
    return per_process * processes / (time.perf_counter() - clock)


def against_handwritten(config: Path, replications: int, rounds: int) -> tuple[float, float, int]:
    """CPU seconds of pko-sim and of the hand-written model for ``replications`` of a scenario, and the
    events pko-sim logged: the replications run in ``rounds`` chunks, the two models alternating."""
    from sim.run.replications import simulate_tables

    scenario = sim.load_scenario(config)
    ours = theirs = 0.0
    events = 0
    for part in _split(range(replications), rounds):  # each round its own replications, as one run would
        clock = time.process_time()
        events += len(simulate_tables(scenario, part, scenario.seed)["events"])
        ours += time.process_time() - clock
        clock = time.process_time()
        handwritten.simulate(scenario, part)
        theirs += time.process_time() - clock
    return ours, theirs, events


def _split(indices: range, parts: int) -> list[range]:
    """``indices`` in ``parts`` nearly equal runs (none empty)."""
    size = -(-len(indices) // max(1, parts))
    return [indices[i : i + size] for i in range(0, len(indices), size)]


def peak_bytes_per_million_events(config: Path, replications: int) -> float:
    """Peak traced memory of a run, scaled to one million logged events."""
    scenario = sim.load_scenario(config)
    tracemalloc.start()
    result = sim.simulate(scenario, replications=replications)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / len(result.events) * 1_000_000


def sweep(config: Path, replications: int, out: Path, **options: object) -> tuple[float, sim.ExperimentResult]:
    """Seconds to run ``replications`` of a scenario as a one-point experiment."""
    scenario = sim.load_scenario(config)
    spec = {"name": "bench", "scenario": scenario.model_dump(mode="json"), "replications": replications,
            "chunk": 250}  # fmt: skip
    clock = time.perf_counter()
    result = sim.run_experiment(spec, out=out, resume=False, **options)
    return time.perf_counter() - clock, result


def peak_rss_mib() -> float:
    """Peak resident memory of this process and of its finished children, in MiB."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return max(own, children) / 1024


def scale(config: Path) -> None:
    """The sweep measurements of the experiments issue."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        seconds, result = sweep(config, 10_000, root / "big", executor="processes")
        events = len(result.table("events"))
        size = sum(p.stat().st_size for p in (result.folder / "events").glob("*.parquet"))
        print(f"10,000 replications, processes: {seconds:8.1f} s   peak RSS {peak_rss_mib():,.0f} MiB")
        print(f"event log on disk:              {size / events:8.1f} bytes per event ({events:,} events)")
        one, _ = sweep(config, 6_000, root / "w1", executor="processes", workers=1)
        two, _ = sweep(config, 6_000, root / "w2", executor="processes", workers=2)
        print(f"parallel efficiency 1 -> 2:     {one / (2 * two):8.0%}  ({one:.1f} s -> {two:.1f} s, 6,000 reps)")
        dask, _ = sweep(config, 6_000, root / "d2", executor="dask", workers=2)
        print(f"dask LocalCluster / processes:  {dask / two:8.2f}x ({dask:.1f} s vs {two:.1f} s, 2 workers)")
    store_costs(config)


TINY = {
    "name": "tiny", "start": "2024-01-01", "end": "2027-01-01", "seed": 7, "replications": 1,
    "procedure": {"request_to_decision": 10, "report_delay": 0, "guidelines_delay": 2, "decision_to_dispatch": 14,
                  "withdrawal": 30, "results_report_delay": 45},
    "deployments": [{"id": "eng", "operation": "un_pko", "subtype": "b", "request": "2024-03-01", "period": 300,
                     "contingents": [{"kind": "sdf_unit", "personnel": 100, "tasks": ["s"]}]}],
}  # fmt: skip
"""One deployment with fixed lags: a design point whose simulation is as small as it gets."""


def store_costs(config: Path, replications: int = 2_000, points: int = 200) -> None:
    """The goals of the store (issue 19): the run's process does little, and a design point costs little.

    With ``processes`` and 2 workers the run's process competes with them for the cores; its
    share of the CPU time (its own against its workers', imports paid beforehand by a small
    warm-up run) bounds 2-worker efficiency on 2 idle cores at one minus that share.  The wall
    time efficiency is printed too, but on a shared machine it measures the neighbours as well.
    """
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        sweep(config, 4, root / "warm", executor="processes", workers=2)
        share, wall = parent_share(config, replications, root / "w2")
        one, _ = sweep(config, replications, root / "w1", executor="processes", workers=1)
        print(f"run's process share of CPU:     {share:8.1%}  (2 workers, {replications:,} reps; efficiency <= "
              f"{1 - share:.0%} on 2 idle cores)")  # fmt: skip
        print(f"parallel efficiency 1 -> 2:     {one / (2 * wall):8.0%}  ({one:.1f} s -> {wall:.1f} s wall)")
        per_point, simulated = overhead_per_point(points, root / "tiny")
        print(f"sweep overhead per design point: {per_point * 1000:7.1f} ms  ({points} points x 1 replication, "
              f"serial, CPU time less {simulated * 1000:.1f} ms simulating each)")  # fmt: skip


def parent_share(config: Path, replications: int, out: Path) -> tuple[float, float]:
    """The run's own share of the CPU time of a 2-worker ``processes`` sweep, and its wall seconds."""
    own, workers = _cpu_split()
    seconds, _ = sweep(config, replications, out, executor="processes", workers=2)
    own_after, workers_after = _cpu_split()
    own, workers = own_after - own, workers_after - workers
    return own / (own + workers), seconds


def _cpu_split() -> tuple[float, float]:
    """CPU seconds (user and system) of this process, and of its finished children (the pool's workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime, children.ru_utime + children.ru_stime


def overhead_per_point(points: int, out: Path) -> tuple[float, float]:
    """CPU seconds a serial sweep spends per design point beyond simulating it, and simulating it.

    ``points`` design points of :data:`TINY`, one replication each; the simulation's share is
    the CPU time spent inside ``simulate_tables`` during that same sweep, so neighbours' load
    does not enter twice.  A warm-up sweep pays the imports first.
    """
    from sim.sweep import experiment

    spec = {"name": "tiny", "scenario": TINY, "replications": 1,
            "factors": [{"path": "deployments[0].contingents[0].personnel", "levels": list(range(10, 10 + points))}],
            "metrics": [{"name": "deployed", "stat": "mean", "column": "days_deployed"}]}  # fmt: skip
    sim.run_experiment({**spec, "factors": [{**spec["factors"][0], "levels": [10, 20]}]}, out=out / "warm",
                       executor="serial")  # fmt: skip
    real, inside = experiment.simulate_tables, [0.0]

    def timed(*args: object, **kwargs: object) -> object:  # the benchmark's probe, not the library's
        clock = time.process_time()
        try:
            return real(*args, **kwargs)
        finally:
            inside[0] += time.process_time() - clock

    experiment.simulate_tables = timed
    try:
        clock = time.process_time()
        sim.run_experiment(spec, out=out / "sweep", executor="serial")
        total = time.process_time() - clock
    finally:
        experiment.simulate_tables = real
    return (total - inside[0]) / points, inside[0] / points


def portfolio_scenario(config: Path, deployments: float = 40.0) -> dict:
    """The scenario with its streams' rates after the record scaled to ``deployments`` per replication."""
    from sim.scenario.rates import expected_arrivals

    scenario = sim.load_scenario(config)
    expected = sum(expected_arrivals(scenario, s) for s in scenario.streams)
    factor = (deployments - len(scenario.deployments)) / expected
    data = scenario.model_dump(mode="json")
    for stream in data["streams"]:
        arrivals = stream["arrivals"]
        if arrivals["process"] == "piecewise":
            arrivals["periods"][-1]["rate"] *= factor
        elif arrivals["process"] == "poisson":
            arrivals["rate"] *= factor
    return data


def portfolio(config: Path, replications: int = 10_000) -> None:
    """A 30-year portfolio of about 40 deployments per replication, with ``processes``."""
    data = portfolio_scenario(config)
    with tempfile.TemporaryDirectory() as tmp:
        spec = {"name": "portfolio", "scenario": data, "replications": replications, "chunk": 250}
        clock, cpu = time.perf_counter(), _cpu_seconds()
        result = sim.run_experiment(spec, out=Path(tmp) / "portfolio", resume=False, executor="processes")
        seconds, cpu = time.perf_counter() - clock, _cpu_seconds() - cpu
        per = result.table("deployments").groupby("replication").size().mean()
        print(f"portfolio, {replications:,} replications x {per:.1f} deployments, processes: {seconds:8.1f} s wall, "
              f"{cpu:.1f} s CPU of the process tree   peak RSS {peak_rss_mib():,.0f} MiB")  # fmt: skip


def _cpu_seconds() -> float:
    """User and system CPU time of this process and its finished children: on a machine shared with
    other work, wall time measures the neighbours too, CPU time the run."""
    return sum(_cpu_split())


# --- analysis at scale: summaries, the report and a figure of a large sweep, each in its own process ---

ANALYSIS_METRICS = [
    {"name": "days_deployed", "stat": "mean", "column": "days_deployed"},
    {"name": "ended_early", "stat": "probability", "where": "days_deployed < 730"},
    {"name": "p90_request_to_decision", "stat": "quantile", "column": "days_request_to_decision", "q": 0.9},
]
"""The metrics the analysis benchmark summarises: a mean, a probability and a quantile (one column per point)."""


def analysis_sweep(out: Path, replications: int) -> tuple[Path, int]:
    """A one-point sweep of the ~40-deployment portfolio (made once, reused), and its logged events.

    The events are counted from the part records in the manifest, not by reading the table: the
    point of this benchmark is what reading it costs.
    """
    from sim.sweep.store import read_manifest

    stored = read_manifest(out) or {}
    same = stored.get("replications") == replications
    if not same or stored.get("status") != "complete":  # another size starts afresh; an unfinished one resumes
        spec = {"name": "analysis", "scenario": portfolio_scenario(BASELINE), "replications": replications,
                "chunk": 250, "metrics": ANALYSIS_METRICS}  # fmt: skip
        clock = time.perf_counter()
        sim.run_experiment(spec, out=out, resume=same, executor="processes", progress=True)
        print(f"sweep written in {time.perf_counter() - clock:,.0f} s -> {out}")
    parts = (read_manifest(out) or {})["parts"]
    return out, sum(record["rows"] for key, record in parts.items() if key.startswith("events/"))


def _child_peak(code: str) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MiB) of a fresh Python process running ``code``.

    The child reports its own high-water mark (``VmHWM`` of ``/proc/self/status``, reset when the
    process starts its program) as it exits: the rusage a parent gets from ``wait4`` starts from
    the parent's own resident memory at the fork, which here holds a sweep's worth.  The steps run
    one after another, never beside each other.
    """
    import subprocess
    import sys

    with tempfile.NamedTemporaryFile(suffix=".txt") as report:
        probe = (
            "import atexit\n"
            "def _peak():\n"
            "    line = [x for x in open('/proc/self/status') if x.startswith('VmHWM')][0]\n"
            f"    open({report.name!r}, 'w').write(line.split()[1])\n"
            "atexit.register(_peak)\n"
        )
        clock = time.perf_counter()
        done = subprocess.run([sys.executable, "-c", probe + code], check=False)
        seconds = time.perf_counter() - clock
        if done.returncode != 0:
            raise SystemExit(f"step failed (exit {done.returncode}): {code}")
        return seconds, int(Path(report.name).read_text()) / 1024


def _cli(*arguments: str) -> str:
    """Python code running ``pko-sim`` with ``arguments`` (as the installed command does)."""
    return f"import sys; from sim.cli import main; sys.argv = ['pko-sim', *{list(arguments)!r}]; main()"


def analysis(out: Path, replications: int) -> None:
    """Peak resident memory of summarising, reporting and plotting a sweep of ~10 million events."""
    folder, events = analysis_sweep(out, replications)
    target = Path(tempfile.mkdtemp(prefix="pko-analysis-"))
    steps = [
        ("imports only", "import pandas, pyarrow.dataset, matplotlib.pyplot, sim.cli, sim.sweep.experiment, "
                         "sim.figures.report"),
        ("pko-sim summarize", _cli("summarize", str(folder))),
        ("pko-sim report", _cli("report", str(folder), "--out", str(target / "report.html"))),
        ("pko-sim plot --kind durations", _cli("plot", str(folder), "--kind", "durations", "--out",
                                                str(target / "durations.png"))),
        ("pko-sim plot --kind survival", _cli("plot", str(folder), "--kind", "survival", "--out",
                                               str(target / "survival.png"))),
    ]  # fmt: skip
    print(f"{folder}: {replications:,} replications, {events:,} events")
    for name, code in steps:
        seconds, peak = _child_peak(code)
        print(f"{name:32s} peak RSS {peak:8,.0f} MiB   {seconds:7.1f} s wall")


_COUNTED = """
import sys
sys.path.insert(0, {source!r})
sys.path.insert(0, {experiments!r})
import sim
from sim.run.replications import simulate_tables
import handwritten
scenario = sim.load_scenario({config!r})
run = handwritten.simulate if {model!r} == "hand-written" else lambda s, reps: simulate_tables(s, reps, s.seed)
run(scenario, range(2))
if {replications}:
    run(scenario, range(100, 100 + {replications}))
"""


def instructions(config: Path, replications: int, sources: list[Path]) -> dict[str, float]:
    """Machine instructions per replication (valgrind's callgrind) of pko-sim from each source folder (a
    checkout holding a ``sim`` package: this one, or an older version's to compare with) and of the
    hand-written model.

    Why: on this virtual machine CPU time moves by a fifth between runs, more than most single changes
    gain; an instruction count repeats (string hashing fixed, ``PYTHONHASHSEED=0``).  Each is the count
    of a run of ``replications`` less that of a run of none, so imports and two warm-up replications
    are left out.  Instructions are not seconds (a cache miss costs more than an add), so a CPU-time
    ratio is still the goal's measure; this one says which way a change moves and by how much.
    """
    import os
    import re
    import shutil
    import subprocess
    import sys
    from concurrent.futures import ThreadPoolExecutor

    if shutil.which("valgrind") is None:
        raise SystemExit("--instructions needs valgrind (apt-get install valgrind)")
    env = {**os.environ, "PYTHONHASHSEED": "0"}

    def count(source: Path, model: str, n: int) -> int:
        code = _COUNTED.format(source=str(source.resolve()), experiments=str(Path(__file__).resolve().parent),
                               config=str(config.resolve()), model=model, replications=n)  # fmt: skip
        run = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable,
                              "-c", code], capture_output=True, text=True, env=env)  # fmt: skip
        found = re.search(r"Collected : (\d+)", run.stderr)
        if run.returncode or found is None:
            raise SystemExit(f"counting {model} from {source} failed:\n{run.stderr[-3000:]}")
        return int(found.group(1))

    if replications < 1:
        raise SystemExit(f"--instructions needs at least 1 replication, got {replications}")
    runs = [(str(source), source, "pko-sim") for source in sources] + [("hand-written", sources[0], "hand-written")]
    with ThreadPoolExecutor(os.cpu_count() or 1) as pool:
        counted = {(name, n): pool.submit(count, source, model, n) for name, source, model in runs
                   for n in (0, replications)}  # fmt: skip
        return {name: (counted[(name, replications)].result() - counted[(name, 0)].result()) / replications
                for name, _, _ in runs}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=None, help="one scenario (default: both shipped)")
    parser.add_argument(
        "--replications", type=int, default=2000, help="default 2,000; 30 with --instructions (valgrind is slow)"
    )
    parser.add_argument("--timeouts", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=4, help="alternating chunks of the replications")
    parser.add_argument("--scale", action="store_true", help="also run the sweep measurements")
    parser.add_argument("--portfolio", action="store_true", help="only the 30-year portfolio of ~40 deployments")
    parser.add_argument("--analysis", action="store_true", help="only the analysis of a ~10-million-event sweep")
    parser.add_argument("--out", type=Path, default=Path("results/benchmark-analysis"), help="the --analysis sweep")
    parser.add_argument("--instructions", action="store_true", help="only instructions per replication (valgrind)")
    parser.add_argument(
        "--against", type=Path, action="append", default=[], help="with --instructions: another checkout to count too"
    )
    args = parser.parse_args()
    if args.instructions:
        replications = args.replications if args.replications != 2000 else 30  # 2,000 under valgrind: hours
        for config in [args.config] if args.config else [BASELINE, EIGHT]:
            counts = instructions(config, replications, [Path(__file__).resolve().parent.parent, *args.against])
            ours = next(iter(counts.values()))
            print(f"{config.stem}, instructions per replication ({replications} replications):")
            for name, n in counts.items():
                print(f"  {name:40s} {n / 1e6:8.2f} M   {n / ours:5.3f}x this checkout's")
        return
    if args.analysis:
        analysis(args.out, args.replications if args.replications != 2000 else 15_000)
        return
    if args.portfolio:
        portfolio(
            args.config or BASELINE,
            args.replications if args.replications != 2000 else 10_000,
        )
        return

    bare = bare_simpy(args.timeouts)
    print(f"bare SimPy: {bare:12,.0f} timeouts/s   (pko-sim {sim.__version__})")
    for config in [args.config] if args.config else [BASELINE, EIGHT]:
        ours, theirs, events = against_handwritten(config, args.replications, args.rounds)
        peak = peak_bytes_per_million_events(config, max(1, args.replications // 4))
        print(f"{config.stem}, {args.replications:,} replications, {events:,} events:")
        print(f"  pko-sim       {ours:8.2f} s CPU   {events / ours:10,.0f} logged events per CPU second")
        print(f"  hand-written  {theirs:8.2f} s CPU   pko-sim speed {theirs / ours:5.2f}x the hand-written model's")
        print(f"  pko-sim per event {ours / events * 1e6:6.1f} us; bare SimPy timeout {1e6 / bare:6.2f} us")
        print(f"  peak memory   {peak / 2**20:8,.0f} MiB per million logged events")
    if args.scale:
        scale(args.config or BASELINE)


if __name__ == "__main__":
    main()
