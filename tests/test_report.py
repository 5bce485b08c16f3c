"""Figures from a results folder on the command line, and the self-contained HTML report."""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from typer.testing import CliRunner

import sim
from sim.cli import app
from sim.figures import page, report

runner = CliRunner()


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("runs") / "cap"
    done = runner.invoke(app, ["run", "configs/cap_stress.yaml", "-n", "3", "--out", str(out), "--no-progress",
                               "--executor", "serial"])  # fmt: skip
    assert done.exit_code == 0, done.output
    return out


@pytest.fixture(scope="module")
def oat_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    spec = {
        "name": "oat", "scenario": "configs/eight_assignments.yaml", "replications": 2, "chunk": 2,
        "design": {"kind": "one_at_a_time"},
        "factors": [{"path": "procedure.decision_to_dispatch.median", "low": 3, "high": 30},
                    {"path": "hazards.mission_end.rate", "low": 0, "high": 0.2}],
        "metrics": [{"name": "lag", "stat": "mean", "column": "days_decision_to_dispatch"}],
    }  # fmt: skip
    return sim.run_experiment(spec, out=tmp_path_factory.mktemp("oat") / "oat", executor="serial").folder


def test_run_writes_its_figures_and_report(run_folder: Path) -> None:
    for kind in ("timeline", "cap", "durations", "survival"):
        assert (run_folder / "figures" / f"{kind}.png").read_bytes().startswith(b"\x89PNG")
    assert (run_folder / "report.html").exists()


def test_the_report_embeds_every_figure_and_table(run_folder: Path) -> None:
    page = report.report(run_folder, run_folder / "again.html").read_text()
    images = page.count('src="data:image/png;base64,')
    assert images == 4  # timeline, cap, durations, survival
    for title in (
        "Timeline of replication 0",
        "Persons engaged against the cap",
        "Durations",
        "Survival of deployments",
        "How deployments ended",
        "Durations and counts",
        "Median survival",
    ):
        assert title in page  # fmt: skip
    first = page.split('src="data:image/png;base64,')[1].split('"')[0]
    assert base64.b64decode(first).startswith(b"\x89PNG")
    assert "<table" in page and "http" not in page.split("<body>")[1].split("Simulated under")[0]


def test_the_report_of_a_one_at_a_time_experiment_has_its_tornado(oat_folder: Path) -> None:
    page = report.report(oat_folder).read_text()
    assert "Sensitivity: lag" in page and "Metrics per design point" in page and "Sensitivity indices" in page
    assert page.count('src="data:image/png;base64,') == 5


@pytest.mark.parametrize("kind", ["timeline", "cap", "durations", "survival"])
def test_plot_draws_each_kind_of_a_run(run_folder: Path, kind: str, tmp_path: Path) -> None:
    target = tmp_path / f"{kind}.svg"
    done = runner.invoke(app, ["plot", str(run_folder), "--kind", kind, "--out", str(target)])
    assert done.exit_code == 0, done.output
    assert target.read_text().lstrip().startswith("<?xml")


def test_plot_draws_a_tornado_and_refuses_indices_it_does_not_have(oat_folder: Path, tmp_path: Path) -> None:
    drawn = runner.invoke(app, ["plot", str(oat_folder), "--kind", "tornado", "--out", str(tmp_path / "t.png")])
    assert drawn.exit_code == 0
    refused = runner.invoke(app, ["plot", str(oat_folder), "--kind", "sensitivity"])
    assert refused.exit_code == 1 and "tornado chart, not indices" in refused.output


def test_plot_of_a_folder_without_results_is_a_clear_error(tmp_path: Path) -> None:
    done = runner.invoke(app, ["plot", str(tmp_path), "--kind", "timeline"])
    assert done.exit_code == 1 and "not a results folder" in done.output


def sections_of(page: str) -> dict[str, str]:
    """Each section's heading and body."""
    found = re.findall(r"<section><h2>(.*?)</h2>(.*?)</section>", page, flags=re.S)
    return {html.unescape(title): body for title, body in found}


def test_a_single_runs_report_has_no_empty_section_and_no_sweep_sections(run_folder: Path) -> None:
    page = report.report(run_folder, run_folder / "single.html").read_text()
    sections = sections_of(page)
    for title, body in sections.items():
        text = re.sub(r"<[^>]+>", "", body).strip()
        assert "<img" in body or text, f"section {title!r} is empty"
    assert not {"Metrics per design point", "Factors", "Sensitivity indices"} & set(sections)
    assert not any("point" in title for title in sections), "a run of one point does not speak of points"


def test_times_read_as_a_person_says_them() -> None:
    assert page.duration_text(125) == "2 min 5 s"
    assert page.duration_text(3.25) == "3.2 s" and page.duration_text(42) == "42 s"
    assert page.duration_text(7385) == "2 h 3 min"
    assert page.timestamp_text("2026-11-29T14:13:52+00:00") == "2026-11-29 14:13:52 UTC"


def test_the_report_shows_times_readably(run_folder: Path) -> None:
    page_text = report.report(run_folder, run_folder / "times.html").read_text()
    run = sections_of(page_text)["Run"]
    assert re.search(r"<th>started</th><td>\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC</td>", run)
    assert re.search(r"<th>time taken</th><td>[\d.]+ s</td>", run) or "min" in run
    assert "+00:00" not in run


def test_a_sweeps_report_describes_the_design_and_folds_long_tables(oat_folder: Path) -> None:
    page_text = report.report(oat_folder).read_text()
    sections = sections_of(page_text)
    assert "Eight assignments of the kinds Japan has sent" in page_text, "the scenario's description"
    factors = sections["Factors"]
    assert "procedure.decision_to_dispatch.median" in factors and "hazards.mission_end.rate" in factors
    points = next(body for title, body in sections.items() if title.startswith("Design points"))
    base_rows = [row for row in re.findall(r"<tr>(.*?)</tr>", points, flags=re.S) if "<td>base</td>" in row]
    assert len(base_rows) == 1 and re.search(r"<td>0</td>", base_rows[0]), "point 0 is the base, marked"
    timeline = next(title for title in sections if title.startswith("Timeline"))
    assert "point 0 of 5 [base]: decision_to_dispatch.median=" in timeline
    assert "Durations (2 replications x 5 design points, pooled)" in sections
    long_tables = 0
    for title, body in sections.items():
        for table in re.finditer(r"<table.*?</table>", body, flags=re.S):
            rows = table.group().count("<tr") - 1  # less the header
            if rows > page.FOLD_ROWS:
                long_tables += 1
                before = body[: table.start()]
                assert re.search(
                    r'<details><summary>[^<]*\(click to show\)</summary><div class="scroll tall">$', before
                ), f"{title}: {rows} rows unfolded"
    assert long_tables, "the durations and counts of seven deployments run long"


def test_a_long_table_is_folded_into_a_scrolling_section() -> None:
    long = page.table(pd.DataFrame({"point": range(280)}), "metrics per design point")
    assert long.startswith("<details><summary>metrics per design point: 280 rows")
    assert 'class="scroll tall"' in long
    short = page.table(pd.DataFrame({"point": range(3)}))
    assert "<details>" not in short and 'class="scroll"' in short


def test_the_report_of_a_folder_without_events_says_what_it_lacks(tmp_path: Path) -> None:
    spec = {"name": "lean", "scenario": "configs/eight_assignments.yaml", "replications": 2, "chunk": 1}
    folder = sim.run_experiment(spec, out=tmp_path / "lean", executor="serial", events=False).folder
    done = runner.invoke(app, ["report", str(folder)])
    assert done.exit_code == 0, done.output
    text = (folder / "report.html").read_text()
    assert "written with --no-events" in text and "Timeline" not in text
    assert "Durations (2 replications)" in sections_of(text)


def test_an_interrupted_folder_says_so_on_the_page_and_in_the_command(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sim.sweep import experiment

    real = experiment.run_chunk

    def interrupted(task):  # the second point's first chunk is where Ctrl-C lands
        if 1 in task.points:
            raise KeyboardInterrupt
        return real(task)

    monkeypatch.setattr(experiment, "run_chunk", interrupted)
    spec = {"name": "cut", "scenario": "configs/eight_assignments.yaml", "replications": 2, "chunk": 1,
            "factors": [{"path": "hazards.mission_end.rate", "levels": [0, 0.2]}]}  # fmt: skip
    with pytest.raises(KeyboardInterrupt):
        sim.run_experiment(spec, out=tmp_path / "cut", executor="serial")
    done = runner.invoke(app, ["report", str(tmp_path / "cut")])
    assert done.exit_code == 0, done.output
    assert "this run did not finish (status 'running'): 2 of 4 parts are on disk" in done.output
    text = (tmp_path / "cut" / "report.html").read_text()
    assert "Unfinished run:" in text and "2 of 4 parts are on disk" in text


def test_a_finished_folder_has_no_warning(run_folder: Path) -> None:
    done = runner.invoke(app, ["report", str(run_folder), "--out", str(run_folder / "w.html")])
    assert done.exit_code == 0 and "did not finish" not in done.output
    assert "Unfinished run" not in (run_folder / "w.html").read_text()


def test_the_durations_heading_says_what_it_pools(oat_folder: Path) -> None:
    pooled = report.figure(oat_folder, "durations")
    assert pooled._suptitle.get_text() == "Durations over 2 replications x 5 design points (pooled)"
    one = report.figure(oat_folder, "durations", points=[3])
    assert one._suptitle.get_text().startswith("Durations over 2 replications\npoint 3 of 5:")
    plt.close("all")
