"""Speed and memory of the model against bare SimPy, measured in one process.

Prints bare SimPy timeouts per second, the baseline model's logged events per second (the
whole of ``sim.simulate``: building worlds, running them and making the DataFrames), their
ratio, and peak memory per million logged events (tracemalloc, in a separate pass so that its
overhead does not touch the timings).

    python experiments/benchmark.py [--config configs/baseline.yaml] [--replications 2000]
                                    [--timeouts 1000000]
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from pathlib import Path

import simpy

import sim

BASELINE = Path(__file__).resolve().parent.parent / "configs" / "baseline.yaml"


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


def model(config: Path, replications: int) -> tuple[float, int, float]:
    """Logged events per second of a scenario, the events logged, and seconds taken."""
    scenario = sim.load_scenario(config)
    clock = time.perf_counter()
    result = sim.simulate(scenario, replications=replications)
    seconds = time.perf_counter() - clock
    return len(result.events) / seconds, len(result.events), seconds


def peak_bytes_per_million_events(config: Path, replications: int) -> float:
    """Peak traced memory of a run, scaled to one million logged events."""
    scenario = sim.load_scenario(config)
    tracemalloc.start()
    result = sim.simulate(scenario, replications=replications)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / len(result.events) * 1_000_000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=BASELINE)
    parser.add_argument("--replications", type=int, default=2000)
    parser.add_argument("--timeouts", type=int, default=1_000_000)
    args = parser.parse_args()

    bare = bare_simpy(args.timeouts)
    rate, events, seconds = model(args.config, args.replications)
    peak = peak_bytes_per_million_events(args.config, max(1, args.replications // 4))
    print(f"bare SimPy:        {bare:12,.0f} timeouts/s")
    print(f"{args.config.stem + ' model:':18} {rate:12,.0f} logged events/s "
          f"({events:,} events, {args.replications:,} replications in {seconds:.2f} s)")  # fmt: skip
    print(f"ratio model/bare:  {rate / bare:12.2f}")
    print(f"peak memory:       {peak / 2**20:12,.0f} MiB per million logged events")


if __name__ == "__main__":
    main()
