"""Design points with few replications share their chunks, and their parts (issue 19).

A chunk is about ``chunk`` replications of work whatever the design: a point's replications are
cut into chunks, and points with at most half a chunk of replications are taken whole, as many
consecutive points with the same deployments as fit, while the sweep keeps ``MIN_CHUNKS`` chunks.
A sweep of many small points then writes and reads a few parts, not four per point, and every
reader gives each point the rows it would have had in parts of its own.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.compute as pc
import pytest

from sim import analysis
from sim.analysis import Metric
from sim.figures import report
from sim.sweep import experiment, scan
from sim.sweep.experiment import TABLES, load_experiment, run_chunk, run_experiment, stack_points, summarize_results
from sim.sweep.store import PartTarget, read_rows, read_table, write_bytes
from tests.conftest import deployment
from tests.test_experiment import parts, toy
from tests.test_streams import PKO, RELIEF, stream, streamed

RATES = [1.0, 2.0, 3.0]


@pytest.fixture
def few_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let points share chunks however few chunks are left, so that small sweeps show the layout."""
    monkeypatch.setattr(experiment, "MIN_CHUNKS", 1)


def personnel(levels: int, **changes: Any) -> dict[str, Any]:
    """The toy experiment over ``levels`` design points (personnel 10, 20, ...)."""
    factor = {"path": "deployments[0].contingents[0].personnel", "levels": [10 * (k + 1) for k in range(levels)]}
    return toy(factors=[factor], **changes)


def chunking(spec: dict[str, Any]) -> list[tuple[list[int], int, int]]:
    return [(list(t.points), t.first, t.last) for t in load_experiment(spec).tasks()]


def test_points_with_at_most_half_a_chunk_of_replications_share_it_whole(few_chunks: None) -> None:
    assert chunking(personnel(7, replications=3, chunk=10)) == [([0, 1, 2], 0, 3), ([3, 4, 5], 0, 3), ([6], 0, 3)]
    assert chunking(personnel(2, replications=25, chunk=10)) == [
        ([0], 0, 10), ([0], 10, 20), ([0], 20, 25), ([1], 0, 10), ([1], 10, 20), ([1], 20, 25),
    ]  # fmt: skip
    assert chunking(personnel(3, replications=6, chunk=10)) == [([0], 0, 6), ([1], 0, 6), ([2], 0, 6)]
    plan = load_experiment(personnel(7, replications=3, chunk=10))
    assert [t.scenarios for t in plan.tasks()][1] == tuple(plan.points[k].scenario for k in (3, 4, 5))
    assert [t.replications for t in plan.tasks()] == [9, 9, 3], "what the progress bar counts"


def test_a_sweep_keeps_min_chunks_chunks_so_a_small_one_still_spreads_over_the_workers() -> None:
    assert experiment.MIN_CHUNKS == 16
    assert chunking(personnel(4, replications=20, chunk=100)) == [([k], 0, 20) for k in range(4)], "4 points: 4 chunks"
    shared = chunking(personnel(40, replications=1, chunk=100))
    assert [len(points) for points, _, _ in shared] == [2] * 20, "40 points: 2 a chunk, 20 chunks"
    lags = toy(
        replications=1, chunk=10, factors=[{"path": "procedure.decision_to_dispatch.value", "levels": list(range(320))}]
    )
    assert [len(points) for points, _, _ in chunking(lags)] == [10] * 32, "many points: a full chunk each"


def test_only_points_with_the_same_deployments_share_a_chunk(few_chunks: None) -> None:
    base = streamed(stream("pko", {"process": "poisson", "rate": 0.5}, PKO, max_arrivals=20))
    spec = {"name": "lanes", "scenario": base, "replications": 1, "chunk": 10,
            "factors": [{"path": "streams[pko].max_arrivals", "levels": [20, 20, 30, 30, 30, 20]}]}  # fmt: skip
    assert [points for points, _, _ in chunking(spec)] == [[0, 1], [2, 3, 4], [5]]
    plan = load_experiment(spec)
    assert plan.points[0].lanes != plan.points[2].lanes


def test_a_shared_chunk_holds_each_points_own_replications_one_point_after_another(few_chunks: None) -> None:
    plan = load_experiment(personnel(3, replications=2, chunk=6))
    (task,) = plan.tasks()
    shared = run_chunk(task)["deployments"]
    assert shared["point"].tolist() == [0, 0, 1, 1, 2, 2] and shared["replication"].tolist() == [0, 1] * 3
    alone = load_experiment(personnel(3, replications=2, chunk=2)).tasks()
    expected = pd.concat([run_chunk(t)["deployments"] for t in alone], ignore_index=True)
    pd.testing.assert_frame_equal(shared, expected)


def test_stacked_points_keep_their_texts_as_categoricals_over_the_sorted_union() -> None:
    one = pd.DataFrame({"point": [0], "detail": pd.Categorical(["b"], categories=["b", "d"])})
    two = pd.DataFrame({"point": [1, 1], "detail": pd.Categorical(["c", "a"], categories=["a", "c"])})
    stacked = stack_points([one, two])
    assert list(stacked["detail"].cat.categories) == ["a", "b", "c", "d"]
    assert stacked["detail"].astype(str).tolist() == ["b", "c", "a"]
    assert list(one["detail"].cat.categories) == ["b", "d"], "the frames given are not changed"
    assert list(stack_points([one, one])["detail"].cat.categories) == ["b", "d"]


def test_rows_of_several_points_are_not_summarised_as_one() -> None:
    rows = pd.DataFrame({"point": [0, 1], "replication": [0, 0], "days_deployed": [1.0, 2.0]})
    with pytest.raises(ValueError, match="several design points"):
        analysis.summarize(rows, [Metric(name="d", stat="mean", column="days_deployed")])


def test_the_first_shared_part_of_empty_tables_still_gives_point_0_its_empty_chunk(tmp_path: Path) -> None:
    frames = run_chunk(load_experiment(personnel(2, replications=1, chunk=1)).tasks()[0])
    empty = {"engaged": frames["engaged"].iloc[:0]}
    for name, points in (("alone", range(0, 1)), ("shared", range(0, 3))):
        (tmp_path / name / "engaged").mkdir(parents=True)
        for part in PartTarget(tmp_path / name, run="x").store(points, 0, empty):  # not the run's: bytes back
            write_bytes(part.data, tmp_path / name / part.key)
    found = {name: list(scan.chunks(tmp_path / name, {"engaged": ["replication"]})) for name in ("alone", "shared")}
    assert len(found["alone"]) == len(found["shared"]) == 1, "the part kept for the columns is point 0's"
    assert found["shared"][0][0].tolist() == [] and list(found["shared"][0][1]["engaged"].columns) == ["replication"]


@pytest.fixture(scope="module")
def layouts(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One portfolio sweep (3 arrival rates, 3 replications each) stored a part per point, and all in one part."""
    base = streamed(stream("pko", {"process": "poisson", "rate": 2.0}, PKO), stream("relief", None, RELIEF),
                    listed=(deployment(),), diet={"calendar": {"source": "generated"}})  # fmt: skip
    spec = {"name": "layout", "scenario": base, "replications": 3, "design": {"kind": "grid"},
            "factors": [{"path": "streams[pko].arrivals.rate", "levels": RATES}],
            "metrics": [{"name": "deployed", "stat": "mean", "column": "days_deployed"},
                        {"name": "p80", "stat": "quantile", "column": "days_deployed", "q": 0.8}]}  # fmt: skip
    root = tmp_path_factory.mktemp("layouts")
    folders = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(experiment, "MIN_CHUNKS", 1)
        for name, chunk in (("alone", 3), ("shared", 9)):
            folders[name] = run_experiment({**spec, "chunk": chunk}, out=root / name, executor="serial").folder
    return folders


def test_the_shared_layout_names_its_points_and_reads_as_the_layout_of_a_part_per_point(
    layouts: dict[str, Path],
) -> None:
    alone, shared = layouts["alone"], layouts["shared"]
    assert [p.name for p in scan.part_files(shared, "deployments")] == ["p00000-p00002-r0000000.parquet"]
    assert [p.name for p in scan.part_files(alone, "deployments")] == [f"p0000{k}-r0000000.parquet" for k in range(3)]
    for name in TABLES:
        pd.testing.assert_frame_equal(plain(read_table(shared, name)), plain(read_table(alone, name)))
    for name in ("summary", "sensitivity", "points"):
        if (alone / f"{name}.parquet").exists():
            pd.testing.assert_frame_equal(
                pd.read_parquet(shared / f"{name}.parquet"), pd.read_parquet(alone / f"{name}.parquet")
            )
    for k in range(3):
        own = read_rows(alone, "deployments", points=[k], columns=["deployment"])["deployment"].cat.categories
        assert list(
            read_rows(shared, "deployments", points=[k], columns=["deployment"])["deployment"].cat.categories
        ) == list(own), "a point keeps its own deployments, the lanes and colours of its figures"
    texts = {tuple(pd.read_parquet(p)["detail"].cat.categories) for p in scan.part_files(alone, "events")}
    assert len(texts) > 1, "the points logged different details, so the shared part had to join their categories"


def plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Text columns as plain strings: a table read from several parts gets categoricals only where their
    categories agree, so two layouts of the same rows may differ in that alone."""
    text = [c for c, kind in frame.dtypes.items() if isinstance(kind, pd.CategoricalDtype) or kind == "string"]
    return frame.astype(dict.fromkeys(text, object))


def by_point(folder: Path, **options: Any) -> dict[int, pd.DataFrame]:
    return {point: pd.concat(frames, ignore_index=True) for point, frames in scan.by_point(folder, **options)}


def test_every_reader_gives_a_point_the_rows_it_has_in_a_part_of_its_own(layouts: dict[str, Path]) -> None:
    alone, shared = layouts["alone"], layouts["shared"]
    same = {"check_categorical": False}
    assert scan.points_with_rows(shared, "deployments") == scan.points_with_rows(alone, "deployments") == [0, 1, 2]
    columns, where = ["replication", "days_deployed"], pc.field("days_deployed") > 30
    one, other = (
        by_point(shared, name="deployments", columns=columns, where=where),
        by_point(alone, name="deployments", columns=columns, where=where),
    )
    assert one.keys() == other.keys() == {0, 1, 2}
    for point in one:
        assert list(one[point].columns) == columns
        pd.testing.assert_frame_equal(one[point], other[point], **same)
    for point in (1, 2):
        found = pd.concat(scan.scan(shared, "events", columns=["point", "t"], points=[point]), ignore_index=True)
        assert set(found["point"]) == {point}
        expected = scan.read_columns(alone, "events", ["point", "t"], points=[point])
        pd.testing.assert_frame_equal(found, expected, **same)
        asked = {"replications": [1], "columns": ["replication", "deployment", "event"]}
        pd.testing.assert_frame_equal(
            read_rows(shared, "events", points=[point], **asked), read_rows(alone, "events", points=[point], **asked),
            **same,
        )  # fmt: skip


def test_chunks_hand_out_a_shared_part_point_by_point(layouts: dict[str, Path]) -> None:
    read = {"events": ["replication", "event"], "deployments": None, "engaged": ["replication", "persons"]}
    wanted = {"events": pc.field("event").isin(["dispatch_order"])}
    for point in (0, 2):
        shared = list(scan.chunks(layouts["shared"], read, where=wanted, points=[point]))
        alone = list(scan.chunks(layouts["alone"], read, where=wanted, points=[point]))
        assert len(shared) == len(alone) == 1
        (reps, tables), (expected_reps, expected) = shared[0], alone[0]
        assert reps.tolist() == expected_reps.tolist() == [0, 1, 2]
        for name in read:
            pd.testing.assert_frame_equal(tables[name], expected[name], check_categorical=False)
    every = list(scan.chunks(layouts["shared"], {"deployments": ["replication"]}))
    assert [reps.tolist() for reps, _ in every] == [[0, 1, 2]] * 3, "one chunk per point, never the points pooled"


def test_the_report_of_a_shared_layout_has_its_portfolio_and_timeline(layouts: dict[str, Path]) -> None:
    page = report.report(layouts["shared"]).read_text()
    assert "The portfolio" in page and "Timeline of replication 0" in page
    start, end = "2024-01-01", "2036-01-01"
    tables = {name: read_table(layouts["shared"], name) for name in ("events", "deployments", "engaged")}
    at_once = analysis.portfolio_by_point(**tables, start=start, end=end)
    assert sorted(at_once["point"].unique()) == [0, 1, 2]


def test_a_sweep_of_shared_parts_interrupted_resumes_to_the_bytes_of_an_undisturbed_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, few_chunks: None
) -> None:
    spec = personnel(7, replications=2, chunk=6)
    clean = parts(run_experiment(spec, out=tmp_path / "clean", executor="serial").folder)
    real = experiment.run_chunk

    def interrupted(task):  # Ctrl-C lands in the second chunk, points 3-5
        if 3 in task.points:
            raise KeyboardInterrupt
        return real(task)

    monkeypatch.setattr(experiment, "run_chunk", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run_experiment(spec, out=tmp_path / "cut", executor="serial")
    monkeypatch.setattr(experiment, "run_chunk", real)
    resumed = run_experiment(spec, out=tmp_path / "cut", executor="serial")
    assert parts(resumed.folder) == clean
    assert [p.name for p in scan.part_files(tmp_path / "cut", "deployments")] == [
        "p00000-p00002-r0000000.parquet", "p00003-p00005-r0000000.parquet", "p00006-r0000000.parquet",
    ]  # fmt: skip
    assert summarize_results(tmp_path / "cut").summary.equals(resumed.summary)
