"""Invariants of the Diet procedure over random explicit calendars and portfolios (hypothesis)."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sim
from sim import law
from sim.diet.calendar import DietCalendar
from sim.law import renewal_due_day
from sim.scenario import explicit_calendar

START = dt.date(2024, 1, 1)
END = dt.date(2032, 1, 1)


@st.composite
def calendars(draw: st.DrawFn) -> dict:
    sessions, recesses = [], []
    day = START + dt.timedelta(days=draw(st.integers(0, 60)))
    while day < END:
        length = draw(st.integers(3, 160))
        closed = day + dt.timedelta(days=length - 1)
        dissolved = draw(st.booleans()) and draw(st.booleans()) and draw(st.booleans())
        sessions.append({"kind": "ordinary", "convened": day.isoformat(), "closed": closed.isoformat(),
                         "ended_by": "dissolution_hr" if dissolved else "closed"})  # fmt: skip
        if length > 20 and draw(st.booleans()):
            first = day + dt.timedelta(days=draw(st.integers(1, length - 10)))
            recesses.append({"start": first.isoformat(),
                             "end": (first + dt.timedelta(days=draw(st.integers(0, 8)))).isoformat()})  # fmt: skip
        day = closed + dt.timedelta(days=draw(st.integers(1, 120)))
    return {"source": "explicit", "sessions": sessions, "recesses": recesses}


@st.composite
def scenarios(draw: st.DrawFn) -> dict:
    deployments = []
    for i in range(draw(st.integers(1, 3))):
        request = START + dt.timedelta(days=draw(st.integers(0, 900)))
        deployments.append({
            "id": f"d{i}", "operation": "un_pko", "subtype": "a", "request": request.isoformat(),
            "period": draw(st.integers(60, 2500)),
            "contingents": [{"kind": "sdf_unit", "personnel": 200, "tasks": ["g", "s"]}],
        })  # fmt: skip
    return draw(around(deployments))


@st.composite
def around(draw: st.DrawFn, deployments: list[dict], **procedure: int) -> dict:
    """A scenario around ``deployments``: random lags, a random explicit calendar, random Houses."""
    probability = st.sampled_from([0.0, 0.5, 1.0])
    return {
        "name": "prop", "start": START.isoformat(), "end": END.isoformat(), "replications": 1,
        "seed": draw(st.integers(0, 10_000)),
        "procedure": {"request_to_decision": draw(st.integers(0, 40)),
                      "decision_to_dispatch": draw(st.integers(0, 40)), **procedure},
        "diet": {
            "calendar": draw(calendars()),
            "deliberation": {"first_house": {"dist": "uniform", "low": 0, "high": 12},
                             "second_house": {"dist": "uniform", "low": 0, "high": 12}},
            "approval_probability": {"representatives": draw(probability), "councillors": draw(probability)},
            "carry_over": draw(st.booleans()),
            "renewal_lead": draw(st.integers(0, 40)),
        },
        "deployments": deployments,
    }  # fmt: skip


def diet_sits(calendar: DietCalendar, day: dt.date) -> bool:
    return calendar.in_session(day) and not calendar.hr_dissolved(day)


PROPERTY = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.large_base_example],
)


@PROPERTY
@given(scenarios())
def test_no_dispatch_needing_prior_approval_before_approval_while_the_diet_sits(data: dict) -> None:
    result = sim.simulate(data)
    for dep, ev in result.events.groupby("deployment", observed=True):
        events = ev["event"].astype(str).tolist()
        if "dispatch_started" not in events:
            continue
        dispatched = ev.loc[ev["event"] == "dispatch_started", "t"].iloc[0]
        path = result.deployments.set_index("deployment").loc[dep, "approval_path"]
        if path == "prior":
            granted = ev.loc[(ev["event"] == "approval_granted") & (ev["detail"] == "prior"), "t"]
            assert not granted.empty and granted.iloc[0] <= dispatched
        else:
            assert path == "post"
            calendar = explicit_calendar(result.scenario.diet.calendar)
            seam = ev.loc[ev["event"] == "corps_established", "date"].iloc[0].date()
            assert not diet_sits(calendar, seam), "the proviso applies only when the Diet does not sit"


@PROPERTY
@given(scenarios())
def test_every_house_decides_inside_a_session(data: dict) -> None:
    result = sim.simulate(data)
    calendar = explicit_calendar(result.scenario.diet.calendar)
    for day in result.events.loc[result.events["event"] == "house_decided", "date"]:
        assert calendar.in_session(day.date()), day


@PROPERTY
@given(scenarios())
def test_every_renewal_is_sought_in_its_window_or_at_the_first_session_after(data: dict) -> None:
    result = sim.simulate(data)
    calendar = explicit_calendar(result.scenario.diet.calendar)
    for _, ev in result.events.groupby("deployment", observed=True):
        granted = ev[(ev["event"] == "approval_granted") & ev["detail"].isin(["prior", "post"])]
        if granted.empty:
            continue
        approved = granted["date"].iloc[0].date()
        sought = ev[(ev["event"] == "approval_sought") & ev["detail"].astype(str).str.startswith("renewal")]
        for term, first in sought.groupby(sought["detail"].astype(str)):
            day = first["date"].iloc[0].date()
            number = int(term.split()[1])
            due = renewal_due_day(approved, number)
            opens = due - dt.timedelta(days=law.RENEWAL_WINDOW_DAYS)
            if day <= due:
                assert opens <= day and diet_sits(calendar, day)
                continue
            session = calendar.session_on(day)
            assert session is not None and session.convened == day and diet_sits(calendar, day)
            if number == 1:  # later terms may open late if the previous renewal ran long
                # a lead is a preference inside the window, never a reason to skip its sitting days
                window = [due - dt.timedelta(days=k) for k in range(law.RENEWAL_WINDOW_DAYS + 1)]
                assert not any(diet_sits(calendar, d) for d in window), "the Diet sat in the window"
