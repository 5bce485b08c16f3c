"""The results store survives damage: checked parts, a rebuilt manifest, one writer per folder.

Each test damages a results folder the way it happens to users (a truncated or emptied part, a
deleted or corrupt manifest, a second run beside a live one, a run killed with its lock held)
and checks that the next run repairs it to the bytes an undisturbed run writes.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq
import pytest
import yaml
from typer.testing import CliRunner

from sim.cli import app
from sim.eventlog import CALENDAR_COLUMNS
from sim.sweep import experiment
from sim.sweep.experiment import TABLES, StoredResultsMismatch, run_experiment, summarize_results
from sim.sweep.lock import LOCK_FILE, FolderInUse, locked
from sim.sweep.records import JOURNAL, PartRecord
from sim.sweep.scan import scan
from sim.sweep.store import (
    PartTarget,
    ResultsFolder,
    ResultsFolderConflict,
    StoreNotice,
    read_rows,
    read_table,
)
from tests.conftest import ROOT
from tests.test_experiment import parts, toy

runner = CliRunner()
WAIT = 60.0
"""Seconds a test waits for another process before it fails: generous, never a measurement."""


def run(folder: Path, **options: Any) -> experiment.ExperimentResult:
    """The toy experiment (2 x 2 points, 2 chunks each) run serially into ``folder``."""
    return run_experiment(toy(), out=folder, executor="serial", **options)


@pytest.fixture
def clean(tmp_path: Path) -> dict[str, bytes]:
    """The parts of an undisturbed run: what every repaired folder must hold, byte for byte."""
    return parts(run(tmp_path / "clean").folder)


@pytest.fixture
def simulated(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    """The chunks the serial executor simulates from here on, as (point, first replication)."""
    calls: list[tuple[int, int]] = []
    real = experiment.run_chunk

    def counting(task):
        calls.append((task.points[0], task.first))
        return real(task)

    monkeypatch.setattr(experiment, "run_chunk", counting)
    return calls


def manifest(folder: Path) -> dict[str, Any]:
    return json.loads((folder / "manifest.json").read_text())


# --- 6: every part's rows and checksum, checked on resume ---------------------------------


def test_the_manifest_records_every_parts_rows_and_checksum(tmp_path: Path) -> None:
    folder = run(tmp_path / "x").folder
    recorded = manifest(folder)["parts"]
    on_disk = sorted(p.relative_to(folder).as_posix() for t in ("events", "deployments", "calendar", "engaged")
                     for p in (folder / t).glob("*.parquet"))  # fmt: skip
    assert len(recorded) == 4 * 8, "every chunk's every table is recorded, empty or not"
    assert sorted(k for k, r in recorded.items() if r["sha256"] is not None) == on_disk
    for key, record in recorded.items():
        if record["sha256"] is None:
            assert record["rows"] == record["bytes"] == 0 and not (folder / key).exists()
            continue
        data = (folder / key).read_bytes()
        assert record["bytes"] == len(data) and record["sha256"] == hashlib.sha256(data).hexdigest()
        assert record["rows"] == pq.read_metadata(folder / key).num_rows


@pytest.mark.parametrize(("damage", "said"), [("truncate", "(truncated)"), ("empty", "(emptied)")])
def test_a_damaged_part_is_simulated_again_never_reported_complete(
    tmp_path: Path, clean: dict[str, bytes], simulated: list, damage: str, said: str
) -> None:
    folder = run(tmp_path / "x").folder
    part = folder / "events" / "p00001-r0000002.parquet"
    data = part.read_bytes()
    part.write_bytes(data[: len(data) // 2] if damage == "truncate" else b"")
    simulated.clear()
    with pytest.warns(StoreNotice, match=rf"events/p00001-r0000002\.parquet .*{said[1:-1]}"):
        again = run(folder)
    assert simulated == [(1, 2)], "only the damaged chunk is simulated again"
    assert parts(folder) == clean
    assert again.manifest["status"] == "complete" and again.manifest["events"] is True


def test_a_part_altered_in_place_is_simulated_again(tmp_path: Path, clean: dict[str, bytes]) -> None:
    folder = run(tmp_path / "x").folder
    part = folder / "deployments" / "p00000-r0000000.parquet"
    data = bytearray(part.read_bytes())
    data[len(data) // 2] ^= 0xFF
    part.write_bytes(bytes(data))
    with pytest.warns(StoreNotice, match="checksum differs"):
        run(folder)
    assert parts(folder) == clean


def test_summarize_refuses_a_damaged_part_instead_of_reading_it(tmp_path: Path) -> None:
    folder = run(tmp_path / "x").folder
    (folder / "deployments" / "p00000-r0000002.parquet").write_bytes(b"")
    with pytest.raises(StoredResultsMismatch, match=r"1 of 8 chunks .* failed their check"):
        summarize_results(folder)


# --- 19: workers write their own parts; a chunk's empty table has no file -------------------


def test_a_worker_writes_its_parts_and_hands_back_only_their_records(tmp_path: Path) -> None:
    folder = ResultsFolder(tmp_path / "x")
    folder.prepare("f" * 16, fresh=False, describe="a test")
    plan = experiment.load_experiment(toy())
    task = plan.tasks()[3]  # point 1, replications 2-3: no calendar of its own
    stored = experiment.store_chunk(folder.target(), TABLES, task)
    assert [s.key for s in stored] == [f"{t}/p00001-r0000002.parquet" for t in TABLES]
    assert all(s.data is None for s in stored), "nothing but records travels back to the run's process"
    for part in stored:
        path = folder.path / part.key
        if part.key.startswith("calendar/"):
            assert part.record == PartRecord(0, 0, None) and not path.exists(), "an empty table is not written"
            continue
        data = path.read_bytes()
        assert part.record == PartRecord(len(pq.read_table(path)), len(data), hashlib.sha256(data).hexdigest())


def test_a_worker_that_cannot_see_the_folder_hands_back_bytes_and_the_run_writes_them(
    tmp_path: Path, clean: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    elsewhere = PartTarget(tmp_path / "on-another-machine", run="0123456789abcdef")
    frames = experiment.run_chunk(experiment.load_experiment(toy()).tasks()[0])
    stored = elsewhere.store(range(0, 1), 0, frames)
    assert all(s.data is not None for s in stored) and not elsewhere.path.exists(), "nothing written where unseen"
    stale = tmp_path / "stale"
    run(stale)
    assert not PartTarget(stale, run="0123456789abcdef").visible(), "an earlier run's folder is not this run's"
    monkeypatch.setattr(PartTarget, "visible", lambda self: False)
    assert parts(run(tmp_path / "x").folder) == clean, "the run writes the bytes its workers could not"


def test_a_chunks_empty_table_is_recorded_empty_with_no_file(tmp_path: Path, simulated: list) -> None:
    folder = run(tmp_path / "x").folder  # the toy scenario needs no Diet: its calendar has no rows
    assert [p.name for p in (folder / "calendar").glob("*.parquet")] == ["p00000-r0000000.parquet"]
    assert manifest(folder)["parts"]["calendar/p00003-r0000002.parquet"] == {"rows": 0, "bytes": 0, "sha256": None}
    calendar = read_table(folder, "calendar")
    assert calendar.empty and list(calendar.columns) == ["point", *CALENDAR_COLUMNS]
    later = read_rows(folder, "calendar", points=[3])
    assert later.empty and list(later.columns) == list(calendar.columns)
    simulated.clear()
    assert run(folder).manifest["events"] is True and simulated == [], "a part recorded empty is done"


def test_a_file_where_a_part_was_recorded_empty_is_removed_and_its_chunk_simulated_again(
    tmp_path: Path, clean: dict[str, bytes], simulated: list
) -> None:
    folder = run(tmp_path / "x").folder
    stray = folder / "calendar" / "p00002-r0000002.parquet"
    stray.write_bytes((folder / "calendar" / "p00000-r0000000.parquet").read_bytes())
    simulated.clear()
    with pytest.warns(StoreNotice, match=r"calendar/p00002-r0000002\.parquet \(a file where .* recorded empty"):
        run(folder)
    assert simulated == [(2, 2)] and parts(folder) == clean


def test_a_folder_of_an_older_pko_sim_with_empty_part_files_still_resumes_and_reads(
    tmp_path: Path, simulated: list
) -> None:
    folder = run(tmp_path / "x").folder
    first = folder / "calendar" / "p00000-r0000000.parquet"
    for key in manifest(folder)["parts"]:  # as a pko-sim that wrote every empty part
        if key.startswith("calendar/") and not (folder / key).exists():
            (folder / key).write_bytes(first.read_bytes())
    digest, size = hashlib.sha256(first.read_bytes()).hexdigest(), first.stat().st_size
    for path in (folder / "manifest.json", folder / JOURNAL):
        text = path.read_text().replace('"sha256": null', f'"sha256": "{digest}"')
        path.write_text(text.replace('"bytes": 0', f'"bytes": {size}'))
    simulated.clear()
    run(folder)
    assert simulated == [], "their records still match"
    assert read_table(folder, "calendar").empty


# --- 8: a deleted or corrupt manifest; --no-events, then events ---------------------------


@pytest.mark.parametrize("damage", ["deleted", "corrupt", "not an object"])
def test_a_lost_manifest_is_rebuilt_from_the_part_record_without_simulating(
    tmp_path: Path, clean: dict[str, bytes], simulated: list, damage: str
) -> None:
    folder = run(tmp_path / "x").folder
    path = folder / "manifest.json"
    {"deleted": path.unlink, "corrupt": lambda: path.write_text('{"name": "toy", "parts": {'),
     "not an object": lambda: path.write_text("[]")}[damage]()  # fmt: skip
    simulated.clear()
    with pytest.warns(StoreNotice, match="checked against the part record"):
        again = run(folder)
    assert simulated == [], "every part matched its record"
    assert parts(folder) == clean
    assert again.manifest["status"] == "complete" and len(manifest(folder)["parts"]) == 32


def test_without_manifest_and_part_record_every_part_is_simulated_again(
    tmp_path: Path, clean: dict[str, bytes], simulated: list
) -> None:
    folder = run(tmp_path / "x").folder
    (folder / "manifest.json").unlink()
    (folder / JOURNAL).unlink()
    simulated.clear()
    with pytest.warns(StoreNotice, match="no stored part can be checked"):
        run(folder)
    assert len(simulated) == 8
    assert parts(folder) == clean


def test_a_folder_whose_part_record_is_of_another_run_is_still_refused(tmp_path: Path) -> None:
    folder = run(tmp_path / "x").folder
    (folder / "manifest.json").unlink()
    with pytest.raises(ResultsFolderConflict, match=r"another run .*manifest\.json is missing"):
        run_experiment(toy(replications=6), out=folder, executor="serial")


def test_a_corrupt_manifest_is_a_message_on_the_command_line(tmp_path: Path) -> None:
    path = tmp_path / "exp.yaml"
    path.write_text(yaml.safe_dump(toy()))
    out = tmp_path / "x"
    args = ["sweep", str(path), "--executor", "serial", "--no-progress", "--out", str(out)]
    assert runner.invoke(app, args).exit_code == 0
    (out / "manifest.json").write_bytes(b"\xff\xfe not json")
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "manifest.json is unreadable" in result.output and "Traceback" not in result.output
    summarized = runner.invoke(app, ["summarize", str(out)])
    assert summarized.exit_code == 0, summarized.output
    (out / "manifest.json").write_text("{")
    for command in (["summarize", str(out)], ["report", str(out)], ["plot", str(out)]):
        refused = runner.invoke(app, command)
        assert refused.exit_code == 1 and "manifest.json is unreadable" in refused.output, command
        assert "run the same pko-sim" in refused.output


def test_no_events_then_a_normal_run_writes_the_event_tables_and_says_so(
    tmp_path: Path, clean: dict[str, bytes]
) -> None:
    lean = run(tmp_path / "x", events=False)
    assert lean.manifest["events"] is False and lean.manifest["tables"] == ["deployments"]
    full = run(tmp_path / "x")
    assert full.manifest["events"] is True
    assert full.manifest["tables"] == ["events", "deployments", "calendar", "engaged"]
    assert parts(full.folder) == clean
    again_lean = run(tmp_path / "x", events=False)
    assert again_lean.manifest["events"] is True, "the event tables are still there, and the manifest says so"


# --- 7: one writer per folder; temporary files per run ------------------------------------

HOLDER = """
import sys, time
from pathlib import Path
from sim.sweep.lock import locked
with locked(Path(sys.argv[1])):
    print("locked", flush=True)
    time.sleep(600)
"""


def hold_lock(folder: Path) -> subprocess.Popen:
    """Another process holding the folder's lock (as a live run does) until it is killed."""
    proc = subprocess.Popen([sys.executable, "-c", HOLDER, str(folder)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None and proc.stdout.readline().strip() == "locked"
    return proc


def test_a_second_run_beside_a_live_one_is_refused_naming_its_process(tmp_path: Path) -> None:
    folder = run(tmp_path / "x").folder
    before = parts(folder)
    holder = hold_lock(folder)
    try:
        with pytest.raises(FolderInUse, match=rf"results folder .*x is in use by process {holder.pid}\b"):
            run(folder)
        with pytest.raises(FolderInUse, match=f"in use by process {holder.pid}"):
            run(folder, resume=False)
        path = tmp_path / "exp.yaml"
        path.write_text(yaml.safe_dump(toy()))
        fresh = runner.invoke(app, ["sweep", str(path), "--fresh", "--executor", "serial", "--no-progress",
                                    "--out", str(folder)])  # fmt: skip
        assert fresh.exit_code == 1 and f"in use by process {holder.pid}" in fresh.output
        assert parts(folder) == before, "--fresh beside a live run deletes nothing"
    finally:
        holder.kill()
        holder.wait()


def test_a_stale_lock_of_a_killed_run_is_taken_over(tmp_path: Path, clean: dict[str, bytes]) -> None:
    folder = tmp_path / "x"
    holder = hold_lock(folder)
    holder.kill()
    holder.wait()
    assert (folder / LOCK_FILE).exists(), "a killed run leaves its lock file behind"
    with pytest.warns(StoreNotice, match=rf"taking over the lock left by process {holder.pid}.*no longer running"):
        run(folder)
    assert parts(folder) == clean
    assert not (folder / LOCK_FILE).exists(), "a finished run releases its lock"


def test_another_thread_of_the_same_process_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "x"
    taken, release, refused = threading.Event(), threading.Event(), []

    def hold() -> None:
        with locked(folder):
            taken.set()
            release.wait(WAIT)

    thread = threading.Thread(target=hold)
    thread.start()
    try:
        assert taken.wait(WAIT)
        with pytest.raises(FolderInUse, match="in use by process"):
            run(folder)
        refused.append(True)
    finally:
        release.set()
        thread.join(WAIT)
    assert refused and run(folder).manifest["status"] == "complete"


def test_a_run_clears_only_the_temporary_files_of_ended_processes(tmp_path: Path) -> None:
    folder = run(tmp_path / "x").folder
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(ended.stdout)
    dead = folder / "events" / f".p00000-r0000000.parquet.pid{dead_pid}.abcd1234.tmp"
    live = folder / "figures" / f".timeline.png.pid{os.getpid()}.abcd1234.tmp"
    live.parent.mkdir()
    dead.write_bytes(b"half a part")
    live.write_bytes(b"a figure being drawn by pko-sim plot")
    run(folder)
    assert not dead.exists(), "a killed run's temporary file is cleared"
    assert live.exists(), "a live process's temporary file is left alone"


def test_out_naming_a_file_is_a_clear_error(tmp_path: Path) -> None:
    target = tmp_path / "a-file"
    target.write_text("")
    result = runner.invoke(app, ["run", "configs/baseline.yaml", "-n", "1", "--no-progress", "--out", str(target)])
    assert result.exit_code == 1 and "a file, not a folder" in result.output


def test_parts_whose_categories_differ_in_size_read_together(tmp_path: Path) -> None:
    """Design points with more than 127 deployment ids code them int16, the others int8: both read as one table."""
    few = pd.DataFrame({"point": [0, 0], "replication": [0, 1], "deployment": pd.Categorical(["a", "b"])})
    many = pd.DataFrame(
        {"point": [1] * 300, "replication": range(300), "deployment": pd.Categorical([f"d{k}" for k in range(300)])}
    )
    (tmp_path / "deployments").mkdir()
    for k, frame in enumerate((few, many)):
        frame.to_parquet(tmp_path / "deployments" / f"p{k:05d}-r0000000.parquet", index=False)
    both = read_rows(tmp_path, "deployments")
    assert len(both) == 302 and both["deployment"].iloc[[0, -1]].tolist() == ["a", "d299"]
    assert read_rows(tmp_path, "deployments", replications=[1])["deployment"].tolist() == ["b", "d1"]
    summary = pd.concat(scan(tmp_path, "deployments"), ignore_index=True)
    assert summary["deployment"].tolist() == both["deployment"].tolist()
