"""Request streams: deployments that arrive as a process, validated like listed ones, with their own random streams."""

from __future__ import annotations

import copy
from typing import Any

import numpy as np
import pandas as pd
import pytest

import sim
from sim.randomness import stream as rng_stream
from sim.scenario import ConfigError, load_scenario
from sim.scenario.rates import arrival_days, expected_arrivals
from sim.scenario.templates import deployment_ids
from tests.conftest import deployment, scenario

PKO = {
    "operation": "un_pko",
    "subtype": "a",
    "period": 200,
    "contingents": [{"kind": "sdf_unit", "personnel": 300, "tasks": ["s"]}],
}
RELIEF = {"operation": "humanitarian_relief", "period": 60,
          "contingents": [{"kind": "sdf_unit", "personnel": 100, "tasks": ["o"]}]}  # fmt: skip


def stream(name: str = "pko", arrivals: dict[str, Any] | None = None, *templates: dict[str, Any], **more: Any):
    return {"name": name, "arrivals": arrivals or {"process": "poisson", "rate": 2.0},
            "template": [copy.deepcopy(t) for t in templates or (PKO,)], **more}  # fmt: skip


def streamed(*streams: dict[str, Any], listed: tuple[dict[str, Any], ...] = (), **top: Any) -> dict[str, Any]:
    data = scenario(*listed, end="2036-01-01", **top)
    data["streams"] = list(streams)
    return data


def problems(data: dict[str, Any]) -> str:
    with pytest.raises(ConfigError) as exc:
        load_scenario(data)
    return str(exc.value)


# --- validation -----------------------------------------------------------------------------------


def test_a_scenario_may_have_only_streams_but_needs_something():
    assert load_scenario(streamed(stream())).deployments == []
    empty = scenario()
    del empty["deployments"]
    assert "give at least one of 'deployments' (listed) or 'streams' (arriving)" in problems(empty)


@pytest.mark.parametrize(
    ("arrivals", "message"),
    [
        ({"process": "poisson"}, "a poisson process needs 'rate'"),
        ({"process": "renewal", "rate": 1}, "a renewal process needs 'interarrival'"),
        ({"process": "poisson", "rate": 1, "interarrival": 30}, "a poisson process takes 'rate', not 'interarrival'"),
        (
            {
                "process": "piecewise",
                "periods": [{"start": "2030-01-01", "rate": 1}, {"start": "2028-01-01", "rate": 2}],
            },
            "periods must start on increasing dates",
        ),
        ({"process": "poisson", "rate": -1}, "streams[0].arrivals.rate"),
        ({"process": "hawkes", "rate": 1}, "streams[0].arrivals.process"),
    ],
)
def test_an_arrival_process_names_what_it_needs(arrivals, message):
    assert message in problems(streamed(stream(arrivals=arrivals)))


def test_a_template_is_checked_like_a_listed_deployment_under_the_rulebook():
    unlawful = copy.deepcopy(PKO)
    unlawful["contingents"][0]["kind"] = "recruited"
    unlawful["contingents"][0]["tasks"] = ["b"]
    text = problems(streamed(stream("pko", None, PKO, unlawful)))
    assert "streams[0].template[1].contingents[0].tasks" in text and "Art. 12(1)" in text
    no_subtype = {k: v for k, v in PKO.items() if k != "subtype"}
    assert "streams[0].template[0].subtype: un_pko needs a sub-type" in problems(
        streamed(stream("pko", None, no_subtype))
    )
    misspelt = {**PKO, "perod": 3}
    assert "streams[0].template[0].perod: unknown field; did you mean 'period'?" in problems(
        streamed(stream("pko", None, misspelt))
    )


def test_a_template_leaves_the_id_request_and_dates_to_each_arrival():
    assert "a template does not set id, request" in problems(
        streamed(stream("pko", None, {**PKO, "id": "x", "request": "2030-01-01"}))
    )
    dated = copy.deepcopy(PKO)
    dated["contingents"][0]["dispatch_on"] = "2030-01-01"
    assert "template[0].contingents[0].dispatch_on: a template's arrivals have no fixed dates" in problems(
        streamed(stream("pko", None, dated))
    )


def test_stream_names_are_unique_and_no_listed_id_looks_like_an_arrival():
    assert "streams[1].name: duplicate stream name 'pko'" in problems(streamed(stream(), stream()))
    text = problems(streamed(stream(), listed=(deployment(id="pko-3"),)))
    assert "streams[0].name: listed deployment 'pko-3' has the id of an arrival" in text
    assert "streams[0].name" in problems(streamed(stream("pko-a")))


def test_stream_dates_lie_inside_the_run_and_in_order():
    assert "streams[0].start: 2020-01-01 is outside the scenario" in problems(streamed(stream(start="2020-01-01")))
    assert "streams[0].end: 2027-01-01 is not after the stream's start" in problems(
        streamed(stream(start="2028-01-01", end="2027-01-01"))
    )


def test_a_stream_expected_near_its_max_arrivals_is_refused_with_the_number_to_set():
    text = problems(streamed(stream(arrivals={"process": "poisson", "rate": 9.0}, max_arrivals=150)))
    assert "streams[0].max_arrivals: about 108 arrivals are expected per replication" in text
    assert "set max_arrivals to at least 216" in text


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"arrivals": {"process": "poisson", "rate": float("inf")}}, "streams[0].arrivals.rate"),
        ({"arrivals": {"process": "poisson", "rate": 1000.0}}, "streams[0].arrivals.rate"),
        ({"max_arrivals": True}, "streams[0].max_arrivals"),
        ({"start": "3100-01-01"}, "streams[0].start"),
    ],
)
def test_a_streams_numbers_and_dates_are_held_to_the_scenarios_bounds(change: dict[str, Any], field: str):
    """Issue 18's bounds apply to streams too: finite rates of at most 365 a year, no bools as counts,
    dates the simulator handles."""
    assert field in problems(streamed(stream(**change)))


def test_a_templates_weight_is_finite():
    data = streamed(stream())
    data["streams"][0]["template"][0]["weight"] = float("inf")
    assert "streams[0].template[0].weight" in problems(data)


# --- the processes --------------------------------------------------------------------------------


def _days(data: dict[str, Any], replications: int = 400) -> list[list[int]]:
    sc = load_scenario(data)
    return [arrival_days(sc, sc.streams[0], rng_stream(1, r, 99)) for r in range(replications)]


def test_poisson_arrivals_come_at_the_rate_and_inside_the_stream():
    data = streamed(stream(arrivals={"process": "poisson", "rate": 1.5}, start="2027-01-01", end="2035-01-01"))
    draws = _days(data)
    counts = np.array([len(d) for d in draws])
    sc = load_scenario(data)
    expected = expected_arrivals(sc, sc.streams[0])
    assert expected == pytest.approx(1.5 * 8 * 365 / 365.25, rel=0.01)
    assert counts.mean() == pytest.approx(expected, rel=0.05)
    assert counts.var() == pytest.approx(expected, rel=0.2), "Poisson: variance equals the mean"
    first, last = (pd.Timestamp(d) - pd.Timestamp("2024-01-01") for d in ("2027-01-01", "2035-01-01"))
    assert all(first.days <= day < last.days for d in draws for day in d)
    assert all(d == sorted(d) for d in draws)


def test_a_piecewise_rate_brings_nothing_in_a_period_of_rate_zero():
    periods = [{"start": "2024-01-01", "rate": 3.0}, {"start": "2030-01-01", "rate": 0.0}]
    draws = _days(streamed(stream(arrivals={"process": "piecewise", "periods": periods})))
    cut = (pd.Timestamp("2030-01-01") - pd.Timestamp("2024-01-01")).days
    assert all(day < cut for d in draws for day in d)
    assert np.mean([len(d) for d in draws]) == pytest.approx(3.0 * cut / 365.25, rel=0.05)


def test_a_renewal_process_with_a_fixed_gap_arrives_on_the_day():
    draws = _days(streamed(stream(arrivals={"process": "renewal", "interarrival": 1000})), replications=3)
    assert draws == [[1000, 2000, 3000, 4000]] * 3  # the run has 4,383 days


def test_bursts_bring_several_requests_spread_days_apart():
    arrivals = {"process": "renewal", "interarrival": 1000, "burst": {"size": 3, "spread": 10}}
    draws = _days(streamed(stream(arrivals=arrivals)), replications=1)
    assert draws == [[k * 1000 + gap for k in (1, 2, 3, 4) for gap in (0, 10, 20)]]


def test_max_arrivals_caps_the_count():
    draws = _days(streamed(stream(arrivals={"process": "renewal", "interarrival": 10}, max_arrivals=1000)), 1)
    assert len(draws[0]) == 438  # every ten days for 4,383 days
    capped = streamed(stream(arrivals={"process": "renewal", "interarrival": 1000}, max_arrivals=2))
    with pytest.raises(ConfigError, match="max_arrivals"):
        load_scenario(capped)


# --- in the model ---------------------------------------------------------------------------------


def test_arrivals_become_deployments_named_by_stream_and_number():
    data = streamed(stream(arrivals={"process": "renewal", "interarrival": 1000}), listed=(deployment(),))
    result = sim.simulate(data, replications=2)
    deps = result.deployments
    assert deps.groupby("replication").size().tolist() == [5, 5]
    assert deps["deployment"].astype(str).tolist()[:5] == ["eng", "pko-1", "pko-2", "pko-3", "pko-4"]
    assert list(deps["deployment"].cat.categories) == deployment_ids(result.scenario)
    assert deployment_ids(result.scenario)[:3] == ["eng", "pko-1", "pko-2"]
    requested = deps[deps["deployment"] == "pko-2"]["request_date"].iloc[0]
    assert requested == pd.Timestamp("2024-01-01") + pd.Timedelta(days=2000)
    assert (deps["outcome"] == "ended").all()
    ev = result.events
    assert set(ev.loc[ev["deployment"] == "pko-1", "event"].astype(str)) >= {"request_received", "dispatch_started"}


def test_an_arrival_that_needs_the_diet_gets_a_calendar_and_approval():
    data = streamed(stream(arrivals={"process": "renewal", "interarrival": 1000}),
                    diet={"calendar": {"source": "generated"}})  # fmt: skip
    data["streams"][0]["template"][0]["contingents"][0]["tasks"] = ["b"]
    result = sim.simulate(data, replications=1)
    assert result.deployments["needs_prior_approval"].all()
    assert (result.deployments["approvals_sought"] >= 1).sum() >= 3
    assert not result.calendar.empty


def test_templates_are_drawn_by_weight():
    data = streamed(
        stream("mix", {"process": "poisson", "rate": 8.0}, PKO, {**RELIEF, "weight": 3.0}, max_arrivals=300)
    )
    ops = sim.simulate(data, replications=5).deployments["operation"].astype(str)
    assert (ops == "humanitarian_relief").mean() == pytest.approx(0.75, abs=0.05)


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Rows compared by value: categoricals (whose categories are the values seen) as strings."""
    return frame.astype({c: str for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)}).reset_index(
        drop=True
    )


def _lags(result: sim.SimulationResult, prefix: str) -> pd.Series:
    deps = result.deployments
    mine = deps[deps["deployment"].astype(str).str.startswith(prefix)]
    return mine.set_index(["replication", mine["deployment"].astype(str)])["days_request_to_decision"]


def test_changing_one_stream_leaves_the_other_streams_draws_alone():
    lag = {"request_to_decision": {"dist": "exponential", "mean": 20}}
    relief = {**RELIEF, "procedure": lag}
    pko = {**PKO, "procedure": lag}
    base = streamed(stream("pko", None, pko), stream("relief", {"process": "poisson", "rate": 1.0}, relief))
    changed = copy.deepcopy(base)
    changed["streams"][0]["arrivals"]["rate"] = 0.5
    a, b = sim.simulate(base, replications=4), sim.simulate(changed, replications=4)
    ra, rb = a.deployments, b.deployments
    relief_a, relief_b = (_plain(r[r["deployment"].astype(str).str.startswith("relief")]) for r in (ra, rb))
    assert len(relief_a) > 10
    pd.testing.assert_frame_equal(relief_a, relief_b)
    # the changed stream's arrival k keeps its own lags: only its days moved
    both = _lags(a, "pko").to_frame("a").join(_lags(b, "pko").to_frame("b"), how="inner")
    assert len(both) > 10 and (both["a"] == both["b"]).all()


def test_same_seed_same_arrivals_other_seed_other_arrivals():
    data = streamed(stream(arrivals={"process": "poisson", "rate": 2.0}))
    a, b = sim.simulate(data, replications=3, seed=1), sim.simulate(data, replications=3, seed=1)
    pd.testing.assert_frame_equal(a.events, b.events)
    c = sim.simulate(data, replications=3, seed=2)
    assert (
        not a.deployments["request_date"]
        .reset_index(drop=True)
        .equals(c.deployments["request_date"].reset_index(drop=True))
    )


def test_the_alliance_lanes_follow_every_possible_arrival():
    data = streamed(stream(max_arrivals=60), alliance={})
    result = sim.simulate(data, replications=1)
    cats = list(result.events["deployment"].cat.categories)
    assert cats[:60] == [f"pko-{k}" for k in range(1, 61)] and cats[60:] == [
        "alliance: treaty",
        "alliance: contingency",
    ]


def test_arrival_k_keeps_its_template_when_its_stream_rate_changes():
    big = {**PKO, "contingents": [{"kind": "sdf_unit", "personnel": 500, "tasks": ["s"]}]}
    base = streamed(stream("mix", {"process": "poisson", "rate": 3.0}, PKO, big, RELIEF))
    slower = copy.deepcopy(base)
    slower["streams"][0]["arrivals"]["rate"] = 1.5
    a, b = (sim.simulate(d, replications=3).deployments for d in (base, slower))
    key = ["replication", "deployment"]
    both = _plain(a)[[*key, "personnel"]].merge(_plain(b)[[*key, "personnel"]], on=key)
    assert len(both) > 20 and (both["personnel_x"] == both["personnel_y"]).all()
    assert both["personnel_x"].nunique() == 3


# --- in files, paths and sweeps -------------------------------------------------------------------


def test_a_factor_names_a_stream_by_its_name():
    from sim.scenario.paths import get_path, set_path

    data = streamed(stream("pko"), stream("relief", None, RELIEF))
    assert get_path(data, "streams[relief].arrivals.rate") == 2.0
    set_path(data, "streams[pko].arrivals.rate", 0.5)
    assert data["streams"][0]["arrivals"]["rate"] == 0.5
    with pytest.raises(KeyError, match="no entry with id 'units'"):
        get_path(data, "streams[units].arrivals.rate")


def test_an_including_file_overrides_a_stream_by_name_and_adds_its_own(tmp_path):
    import yaml

    below = streamed(stream("pko"), stream("relief", None, RELIEF))
    (tmp_path / "below.yaml").write_text(yaml.safe_dump(below))
    above = {"include": "below.yaml", "streams": [{"name": "pko", "arrivals": {"rate": 0.25}}, stream("more")]}
    (tmp_path / "above.yaml").write_text(yaml.safe_dump(above))
    scenario = load_scenario(tmp_path / "above.yaml")
    assert [s.name for s in scenario.streams] == ["pko", "relief", "more"]
    assert scenario.streams[0].arrivals.rate == 0.25 and scenario.streams[0].template[0].fields["period"] == 200


def test_the_units_example_adds_a_stream_the_diet_must_approve_to_the_baseline():
    scenario = load_scenario("configs/units_ag_portfolio.yaml")
    assert [s.name for s in scenario.streams] == ["pko", "ico", "relief", "elections", "units_ag"]
    from sim.model.arrivals import plan_streams

    units = plan_streams(scenario)[-1]
    assert units.stream.name == "units_ag" and all(t.needs_prior_approval for t in units.templates)


def test_a_sweep_of_a_streams_rate_gives_a_portfolio_summary_per_point(tmp_path):
    from sim import analysis

    unit = {**PKO, "contingents": [{"kind": "sdf_unit", "personnel": 600, "tasks": ["b", "s"]}]}
    base = streamed(stream("units", {"process": "poisson", "rate": 0.0}, unit), stream("relief", None, RELIEF),
                    diet={"calendar": {"source": "generated"}})  # fmt: skip
    spec = {"name": "units", "scenario": base, "replications": 4, "chunk": 4, "design": {"kind": "grid"},
            "factors": [{"path": "streams[units].arrivals.rate", "levels": [0.0, 1.0]}]}  # fmt: skip
    result = sim.run_experiment(spec, out=tmp_path / "units", executor="serial")
    tables = {name: result.table(name) for name in ("events", "deployments", "engaged")}
    summary = analysis.portfolio_by_point(**tables, start="2024-01-01", end="2036-01-01").set_index(
        ["point", "measure"]
    )
    approvals = summary.xs("Diet approvals sought (Art. 6(7), 6(10))", level="measure")["mean"]
    assert approvals.loc[0] == 0 and approvals.loc[1] > 3
    assert set(tables["deployments"]["deployment"].cat.categories) >= {"units-1", "relief-1"}


def test_an_arrival_is_its_templates_plan_with_its_own_lane_id_request_and_stream() -> None:
    """``PlannedDeployment.arriving`` copies the template's answers: the same plan ``dataclasses.replace`` gives."""
    import dataclasses

    from sim import randomness
    from sim.model.arrivals import plan_streams
    from sim.model.portfolio import _KEPT

    template = plan_streams(load_scenario("configs/baseline.yaml"))[0].templates[1]
    spec = template.spec.model_copy(update={"id": "pko-7", "request": template.spec.request})
    arrival = template.arriving(41, spec, 300)
    replaced = dataclasses.replace(template, index=41, spec=spec, request_day=300,
                                   stream_key=randomness.deployment_key("pko-7"))  # fmt: skip
    fields = [f.name for f in dataclasses.fields(template)]
    assert [getattr(arrival, f) for f in fields] == [getattr(replaced, f) for f in fields]
    assert [getattr(arrival, k) for k in _KEPT] == [getattr(replaced, k) for k in _KEPT]
    assert set(arrival.__dict__) <= {*fields, *_KEPT}, "nothing else is copied: a kept answer must not depend on the id"
