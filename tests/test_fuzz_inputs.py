"""Anything ``validate`` accepts runs to the end (issue 18, item 5).

Hypothesis generates scenarios two ways: small ones built field by field (lawful shapes, numbers
drawn from everything a float can be), and the shipped configs with one value replaced by an odd
one.  Each is written as YAML and read as ``pko-sim`` reads it; it must either be refused with the
project's :class:`ConfigError` or simulate one replication to its horizon.  Any other exception,
at either step, fails.  Few examples and a fixed derandomised search keep it fast and the same on
every run; ``experiments/fuzz_inputs.py`` runs thousands.
"""

from __future__ import annotations

import copy
import datetime as dt
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sim
from sim.scenario import ConfigError, read_scenario_file
from tests.conftest import ROOT

FEW = settings(max_examples=40, derandomize=True, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def mostly(sane: st.SearchStrategy[Any], wild: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Nineteen times in twenty a sane value, so that a scenario of a dozen fields often runs."""
    return st.integers(0, 19).flatmap(lambda k: wild if k == 7 else sane)  # 7: Hypothesis favours the ends


wild_numbers = st.one_of(
    st.integers(min_value=-5, max_value=400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(min_value=0, max_value=2_000_000),
    st.sampled_from([0, 0.4, 1e6, 1e300, 2**64, True]),
)
"""Every kind of number a YAML file can hold, with the edges of the bounds close by."""
numbers = mostly(st.integers(1, 400) | st.floats(0.5, 400), wild_numbers)
rates = mostly(st.floats(0, 20), wild_numbers)
dates = st.dates(min_value=dt.date(1880, 1, 1), max_value=dt.date(3100, 12, 31))

wild_distributions = st.one_of(
    wild_numbers,
    st.builds(lambda m: {"dist": "exponential", "mean": m}, wild_numbers),
    st.builds(lambda m, s: {"dist": "lognormal", "median": m, "sigma": s}, wild_numbers, wild_numbers),
    st.builds(lambda k, t: {"dist": "gamma", "shape": k, "scale": t}, wild_numbers, wild_numbers),
    st.builds(lambda lo, hi: {"dist": "uniform", "low": lo, "high": hi}, wild_numbers, wild_numbers),
    st.builds(lambda lo, m, hi: {"dist": "triangular", "low": lo, "mode": m, "high": hi}, *[wild_numbers] * 3),
    st.builds(
        lambda v, w: {"dist": "empirical", "values": v, "weights": w},
        st.lists(wild_numbers, min_size=1, max_size=3),
        st.none() | st.lists(wild_numbers, min_size=1, max_size=3),
    ),
)
days = st.floats(0, 400)
sane_distributions = st.one_of(
    st.integers(1, 400),
    st.builds(lambda m: {"dist": "exponential", "mean": m}, st.floats(0.5, 400)),
    st.builds(lambda m, s: {"dist": "lognormal", "median": m, "sigma": s}, st.floats(0.5, 400), st.floats(0, 2)),
    st.builds(lambda k, t: {"dist": "gamma", "shape": k, "scale": t}, st.floats(0.1, 20), st.floats(0.5, 100)),
    st.builds(lambda a, b: {"dist": "uniform", "low": min(a, b), "high": max(a, b)}, days, days),
    st.builds(lambda v: {"dist": "empirical", "values": v, "weights": [1] * len(v)}, st.lists(days, min_size=1)),
)
distributions = mostly(sane_distributions, wild_distributions)

CALENDAR_KEYS = ["dissolution_weibull_shape", "ordinary_length_days", "autumn_length_mean_days",
                 "hc_election_anchor_year", "min_gap_days"]  # fmt: skip
calendar_params = mostly(
    st.just({}) | st.fixed_dictionaries({"dissolution_weibull_scale_days": st.floats(300, 3000)}),
    st.dictionaries(st.sampled_from(CALENDAR_KEYS), wild_numbers, max_size=1),
)

UNITS = [
    ("un_pko", "b", "sdf_unit", ["s"]),
    ("un_pko", "a", "sdf_unit", ["b", "s"]),  # Art. 6(7): the Diet's approval, so a calendar
    ("humanitarian_relief", None, "sdf_unit", ["m", "o"]),
    ("election_monitoring", None, "officials", ["h"]),
]


@st.composite
def built_scenarios(draw: st.DrawFn) -> dict[str, Any]:
    """A small scenario whose every number and date comes from the strategies above."""
    start = draw(mostly(st.dates(dt.date(1990, 1, 1), dt.date(2100, 1, 1)), dates))
    deployments = []
    for k in range(draw(st.integers(1, 2))):
        operation, subtype, kind, tasks = draw(st.sampled_from(UNITS))
        unit: dict[str, Any] = {"kind": kind, "personnel": draw(mostly(st.integers(1, 900), st.integers(-1, 3000))),
                                "tasks": tasks}  # fmt: skip
        if draw(st.booleans()):
            unit["rotation"] = draw(distributions)
        deployments.append({
            "id": f"d{k}", "operation": operation, **({"subtype": subtype} if subtype else {}),
            "request": start + dt.timedelta(days=draw(st.integers(0, 400))),
            "period": draw(distributions), "contingents": [unit],
            "extension": {"max_extensions": draw(st.integers(0, 3)), "length": draw(distributions)},
            **({"mission_end": draw(mostly(st.dates(start, start + dt.timedelta(days=2000)), dates))}
               if draw(st.booleans()) else {}),
        })  # fmt: skip
    return {
        "name": "fuzz",
        "start": start,
        "horizon_years": draw(mostly(st.floats(1.2, 3), wild_numbers)),
        "seed": draw(mostly(st.integers(0, 2**32), st.sampled_from([True, -1, 2**64, 1.5]))),
        "replications": 1,
        "procedure": {"decision_to_dispatch": draw(distributions), "extension_lead": draw(distributions)},
        "hazards": {
            "danger": {"rate": draw(rates), "duration": draw(distributions)},
            "conditions_lost": {"rate": draw(rates), "restoration": draw(distributions)},
            "mission_end": {"rate": draw(rates)},
        },
        "diet": {"calendar": {"params": draw(calendar_params)}},
        "deployments": deployments,
    }


CONFIGS = sorted(p for p in (ROOT / "configs").rglob("*.yaml") if not p.name.endswith(".calibrated.yaml"))
SHIPPED = {p.relative_to(ROOT).as_posix(): read_scenario_file(p) for p in CONFIGS}


def _leaves(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    if isinstance(node, dict):
        return [leaf for key, value in node.items() for leaf in _leaves(value, (*prefix, key))]
    if isinstance(node, list):
        return [leaf for index, value in enumerate(node) for leaf in _leaves(value, (*prefix, index))]
    return [prefix]


def _nearby(value: Any) -> st.SearchStrategy[Any]:
    """A value near a config's own: a number scaled, a date moved."""
    if isinstance(value, dt.date):
        return st.integers(-800, 800).map(lambda days: value + dt.timedelta(days=days))
    if isinstance(value, int | float) and not isinstance(value, bool):
        return st.sampled_from([0, 1, value / 2, value * 2, value * 10, value + 1])
    return st.sampled_from(["", "x", None, [], {}, 7])


@st.composite
def mutated_configs(draw: st.DrawFn) -> dict[str, Any]:
    """A shipped config with one or two of its values replaced by one near it or an odd one."""
    data = copy.deepcopy(SHIPPED[draw(st.sampled_from(sorted(SHIPPED)))])
    for _ in range(draw(st.integers(1, 2))):
        *parents, last = draw(st.sampled_from(_leaves(data)))
        node = data
        for key in parents:
            node = node[key]
        node[last] = draw(mostly(_nearby(node[last]), st.one_of(wild_numbers, dates, wild_distributions)))
    return data


def _validated_or_ran(data: dict[str, Any]) -> str:
    """Refused with ConfigError, or simulated to the horizon; anything else propagates and fails."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scenario.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False))
        try:
            scenario = sim.load_scenario(path)
        except ConfigError as exc:
            assert exc.issues and all(issue.reason for issue in exc.issues), "every problem says why"
            return "refused"
    sim.simulate(scenario, replications=1)
    return "ran"


@FEW
@given(built_scenarios())
def test_a_built_scenario_is_refused_or_runs_to_the_end(data: dict[str, Any]) -> None:
    assert _validated_or_ran(data) in {"refused", "ran"}


@FEW
@given(mutated_configs())
def test_a_mutated_shipped_config_is_refused_or_runs_to_the_end(data: dict[str, Any]) -> None:
    assert _validated_or_ran(data) in {"refused", "ran"}


def test_the_strategies_reach_both_outcomes() -> None:
    """A property that only ever saw refusals would prove nothing about runs, and vice versa."""
    outcomes = {"built": set(), "mutated": set()}

    @settings(max_examples=40, derandomize=True, deadline=None, database=None)
    @given(built_scenarios(), mutated_configs())
    def collect(built: dict[str, Any], mutated: dict[str, Any]) -> None:
        outcomes["built"].add(_validated_or_ran(built))
        outcomes["mutated"].add(_validated_or_ran(mutated))

    collect()
    assert outcomes == {"built": {"refused", "ran"}, "mutated": {"refused", "ran"}}
