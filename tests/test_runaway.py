"""A runaway scenario (a loop of same-day events) ends with a clear error naming the deployment,
not with the machine's memory (issue 18, item 10)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

import sim
from sim.cli import app
from sim.model.world import MAX_EVENTS_PER_DAY, RunawayScenario
from tests.conftest import deployment, scenario

runner = CliRunner()


def _catching_up(lead: int) -> dict:
    """A plan whose Cabinet decides ``lead`` days ahead on extensions of one day: it extends
    the period over and over on the day of dispatch until the period's end is ``lead`` days away."""
    extending = deployment(id="catch_up", extension={"until_mission_end": True, "length": 1})
    return scenario(extending, procedure={"extension_lead": lead, "decision_to_dispatch": 14})


def test_a_loop_of_same_day_events_stops_with_the_deployment_named() -> None:
    with pytest.raises(RunawayScenario) as caught:
        sim.simulate(_catching_up(lead=5000), replications=1)
    message = str(caught.value)
    assert message.startswith(f"deployment catch_up logged more than {MAX_EVENTS_PER_DAY:,} events on day ")
    assert "plan_amended" in message and "a loop of same-day events" in message
    assert "extension_lead" in message, "it says what to change"


def test_the_same_catch_up_below_the_guard_runs_to_the_end() -> None:
    """Fifty extensions on one day are odd but finite: the guard does not stop them."""
    events = sim.simulate(_catching_up(lead=300), replications=1).events
    first = events[events.event == "plan_amended"].t.min()
    assert 50 < (events[events.event == "plan_amended"].t == first).sum() < MAX_EVENTS_PER_DAY


@pytest.mark.parametrize("executor", ["serial", "processes"])
def test_run_reports_a_runaway_without_a_traceback_or_a_promise_to_resume(executor: str, tmp_path: Path) -> None:
    file = tmp_path / "runaway.yaml"
    file.write_text(yaml.safe_dump(_catching_up(lead=5000)))
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(file), "--out", str(out), "-e", executor, "-w", "1", "--no-progress"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    flat = result.output.replace("\n", "")
    assert "deployment catch_up logged more than" in flat
    assert "resume" not in flat and "Running again would loop again" in flat
