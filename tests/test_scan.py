"""Analysis at scale: a results folder read part by part gives the numbers of the whole table read at once."""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd
import pyarrow.compute as pc
import pytest

import sim
from sim import analysis
from sim.analysis import Metric
from sim.figures import report
from sim.sweep import scan
from sim.sweep.store import read_table
from tests.conftest import deployment
from tests.test_streams import PKO, RELIEF, stream, streamed

METRICS = [
    {"name": "deployed", "stat": "mean", "column": "days_deployed"},
    {"name": "short", "stat": "probability", "where": "days_deployed < 150 and renewals == 0"},
    {"name": "p80", "stat": "quantile", "column": "days_request_to_decision", "q": 0.8},
    {"name": "eng_only", "stat": "mean", "column": "days_deployed", "deployments": ["eng"]},
]


@pytest.fixture(scope="module")
def portfolio(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two design points of a portfolio with streams, 9 replications in chunks of 2: five parts per point."""
    base = streamed(stream("pko", {"process": "poisson", "rate": 2.0}, PKO), stream("relief", None, RELIEF),
                    listed=(deployment(),), diet={"calendar": {"source": "generated"}})  # fmt: skip
    base["procedure"]["request_to_decision"] = {"dist": "triangular", "low": 5, "mode": 20, "high": 60}
    spec = {"name": "scan", "scenario": base, "replications": 9, "chunk": 2, "design": {"kind": "grid"},
            "factors": [{"path": "streams[pko].arrivals.rate", "levels": [1.0, 3.0]}], "metrics": METRICS}  # fmt: skip
    result = sim.run_experiment(spec, out=tmp_path_factory.mktemp("scan") / "scan", executor="serial")
    assert len(scan.part_files(result.folder, "deployments", points=[1])) == 5
    return result.folder


def test_the_summary_read_part_by_part_is_the_summary_of_the_whole_table(portfolio: Path) -> None:
    stored = pd.read_parquet(portfolio / "summary.parquet")
    whole = read_table(portfolio, "deployments")
    metrics = [Metric(**m) for m in METRICS]
    for point, rows in whole.groupby("point"):
        in_memory = analysis.summarize(rows, metrics)
        scanned = stored[stored["point"] == point][in_memory.columns].reset_index(drop=True)
        pd.testing.assert_frame_equal(scanned, in_memory, check_exact=True, check_dtype=False)
    assert stored["n"].tolist() == [9] * 8


def test_batches_in_any_order_give_the_same_numbers_and_a_split_replication_is_refused(portfolio: Path) -> None:
    metrics = [Metric(**m) for m in METRICS]
    columns = analysis.metric_columns(metrics)
    batches = list(scan.scan(portfolio, "deployments", columns=columns, points=[0]))
    assert all(list(b.columns) == columns for b in batches), "only the columns the metrics read"
    whole = analysis.summarize(pd.concat(batches, ignore_index=True), metrics)
    shuffled = batches[:]
    random.Random(3).shuffle(shuffled)
    pd.testing.assert_frame_equal(analysis.summarize(iter(shuffled), metrics), whole, check_exact=True)
    first = batches[0]
    halves = [first.iloc[: len(first) // 2], first.iloc[len(first) // 2 :]]
    with pytest.raises(ValueError, match="replication 0 is in two batches"):
        analysis.summarize(halves, metrics)


def test_every_point_summarised_at_once_is_each_point_summarised_alone(portfolio: Path) -> None:
    metrics = [Metric(**m) for m in METRICS]
    whole = read_table(portfolio, "deployments")
    parts = list(scan.scan(portfolio, "deployments"))
    random.Random(5).shuffle(parts)
    for batches in ([whole], parts):
        at_once = analysis.summarize_by_point(batches, metrics)
        assert at_once["point"].tolist() == [0] * 4 + [1] * 4
        for point, rows in whole.groupby("point"):
            alone = analysis.summarize(rows, metrics)
            got = at_once[at_once["point"] == point].drop(columns="point").reset_index(drop=True)
            pd.testing.assert_frame_equal(got, alone, check_exact=True)
    with pytest.raises(ValueError, match="several design points"):
        analysis.summarize(parts, metrics)
    per_rep = analysis.per_replication(whole, metrics[0])
    assert per_rep.index.names == ["point", "replication"] and len(per_rep) == 18, "replication k of each point"


def test_metric_columns_are_the_columns_a_metric_reads() -> None:
    metrics = [Metric(**m) for m in METRICS]
    assert analysis.metric_columns(metrics) == [
        "replication", "deployment", "days_request_to_decision", "days_deployed", "renewals",
    ]  # fmt: skip
    assert analysis.metric_columns([Metric(name="x", stat="probability", where="days_deployed <")]) is None


def test_the_portfolio_read_chunk_by_chunk_is_the_portfolio_of_the_whole_point(portfolio: Path) -> None:
    start, end = "2024-01-01", "2036-01-01"
    tables = {name: read_table(portfolio, name) for name in ("events", "deployments", "engaged")}
    at_once = analysis.portfolio_by_point(**tables, start=start, end=end)
    wanted = {"events": pc.field("event").isin(list(analysis.PORTFOLIO_EVENTS))}
    for point in (0, 1):
        per_rep = [
            analysis.portfolio_per_replication(c["events"], c["deployments"], c["engaged"], start, end, reps)
            for reps, c in scan.chunks(portfolio, dict.fromkeys(tables), where=wanted, points=[point])
        ]
        chunked = analysis.summarize_portfolio(pd.concat(per_rep))
        expected = at_once[at_once["point"] == point].drop(columns="point").reset_index(drop=True)
        pd.testing.assert_frame_equal(chunked, expected, check_exact=True)


def test_a_table_missing_parts_reads_as_no_rows(portfolio: Path, tmp_path: Path) -> None:
    import shutil

    copy = tmp_path / "copy"
    shutil.copytree(portfolio, copy)
    (copy / "engaged" / "p00001-r0000002.parquet").unlink()  # a chunk that wrote no engaged rows
    shutil.rmtree(copy / "calendar")  # a table never written
    assert list(scan.scan(copy, "calendar")) == []
    assert list(scan.read_columns(copy, "calendar", ["replication", "kind"]).columns) == ["replication", "kind"]
    read = {"engaged": ["replication", "t"], "deployments": ["replication"]}
    found = list(scan.chunks(copy, read, points=[1]))
    assert len(found) == 5, "a chunk is listed when any of its tables has a part"
    replications, missing = found[1]
    assert missing["engaged"].empty and list(missing["engaged"].columns) == ["replication", "t"]
    assert replications.tolist() == [2, 3], "its replications come from the tables that have the part"
    page = report.report(copy).read_text()
    assert "The portfolio" in page
    assert scan.points_with_rows(copy, "deployments") == [0, 1]


def test_the_report_and_figures_read_only_the_columns_they_draw(portfolio: Path, monkeypatch) -> None:
    asked: list[tuple[str, tuple[str, ...] | None]] = []
    real = report.read_rows

    def spy(folder, name, **options):
        asked.append((name, tuple(options["columns"]) if options.get("columns") is not None else None))
        return real(folder, name, **options)

    monkeypatch.setattr(report, "read_rows", spy)
    report.report(portfolio)
    for kind in ("durations", "survival", "bands"):
        report.figure(portfolio, kind)
    unprojected = [name for name, columns in asked if columns is None]
    assert set(unprojected) <= {"events", "engaged", "calendar"}, "deployments are always read by column"
    assert ("events", report._BANDS_EVENTS) in asked


def test_scenario_discovery_reads_the_columns_its_condition_names_with_the_same_outcomes(portfolio: Path) -> None:
    from sim.analysis import discovery

    where = "days_deployed > 150 and renewals == 0"
    tables = {
        "deployments": read_table(portfolio, "deployments"),
        "points": pd.read_parquet(portfolio / "points.parquet"),
    }
    pd.testing.assert_frame_equal(discovery.outcome_table(portfolio, where), discovery.outcome_table(tables, where))
    with pytest.raises(ValueError, match="cannot be evaluated"):
        discovery.outcome_table(portfolio, "no_such_column > 1")


def test_read_rows_reads_only_the_columns_asked_for_even_when_nothing_matches(portfolio: Path) -> None:
    from sim.sweep.store import read_rows

    rows = read_rows(portfolio, "events", points=[1], replications=[4], columns=["replication", "event"])
    assert list(rows.columns) == ["replication", "event"] and set(rows["replication"]) == {4}
    none = read_rows(portfolio, "events", points=[7], columns=["replication", "event"])
    assert none.empty and list(none.columns) == ["replication", "event"]
