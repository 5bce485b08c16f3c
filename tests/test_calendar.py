"""Specifications of the Diet calendar (sim/calendar.py): sessions, recesses, dissolutions, sitting days."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sim.diet.calendar import DietCalendar, Recess, Session
from sim.diet.fit import fit_calendar_params
from sim.diet.generator import CalendarParams, generate_calendar

# --------------------------------------------------------------------------------------------------
# A hand-built calendar: the 217th ordinary session (150 days) with a made-up 10-day recess in March,
# then the 218th extraordinary session after the 2025 House of Councillors election.

ORDINARY = {"number": 217, "kind": "ordinary", "convened": "2025-01-24", "closed": "2025-06-22?"}
SUMMER = {"number": 218, "kind": "extraordinary", "convened": "2025-08-01", "closed": "2025-08-05"}
MARCH_RECESS = ("2025-03-01", "2025-03-10")


@pytest.fixture
def cal() -> DietCalendar:
    """The hand-built calendar."""
    return DietCalendar.explicit([ORDINARY, SUMMER], recesses=[MARCH_RECESS], hc_elections=["2025-07-20"])


def test_a_session_counts_both_its_first_and_last_day(cal: DietCalendar) -> None:
    # Jan 24..Jun 22 2025: 8 + 28 + 31 + 30 + 31 + 22 = 150 days, the ordinary session's term.
    assert cal.sessions[0].length_days == 150
    assert cal.in_session(date(2025, 1, 24)) and cal.in_session(date(2025, 6, 22))
    assert not cal.in_session(date(2025, 1, 23)) and not cal.in_session(date(2025, 6, 23))


def test_a_recess_is_in_session_but_not_sitting(cal: DietCalendar) -> None:
    assert cal.in_session(date(2025, 3, 5))
    assert not cal.sitting(date(2025, 3, 5))
    assert cal.sitting(date(2025, 2, 28)) and cal.sitting(date(2025, 3, 11))


def test_days_between_sessions_are_neither_in_session_nor_sitting(cal: DietCalendar) -> None:
    assert not cal.in_session(date(2025, 7, 1))
    assert not cal.sitting(date(2025, 7, 1))
    assert cal.session_on(date(2025, 7, 1)) is None
    assert cal.session_on(date(2025, 8, 3)).number == 218


def test_first_session_convened_after_is_strictly_after(cal: DietCalendar) -> None:
    assert cal.first_session_convened_after(date(2025, 7, 1)).number == 218
    assert cal.first_session_convened_after(date(2025, 3, 5)).number == 218  # not the current one
    assert cal.first_session_convened_after(date(2025, 8, 1)) is None
    assert cal.first_session_convened_on_or_after(date(2025, 8, 1)).number == 218
    assert cal.first_session_convened_on_or_after(date(2025, 1, 1)).number == 217


def test_session_close_after_gives_the_close_of_the_current_session(cal: DietCalendar) -> None:
    assert cal.session_close_after(date(2025, 3, 5)) == date(2025, 6, 22)
    assert cal.session_close_after(date(2025, 7, 1)) is None


def test_sitting_days_skip_a_recess(cal: DietCalendar) -> None:
    # After Feb 25: Feb 26, 27, 28 (3), Mar 1-10 recess (0), Mar 11, 12 (2) -> 5.
    assert cal.sitting_days_between(date(2025, 2, 25), date(2025, 3, 12)) == 5
    # 7 sitting days after Feb 25: Feb 26, 27, 28, Mar 11, 12, 13, 14 -> Mar 14 (Mar 4 without the recess).
    assert cal.add_sitting_days(date(2025, 2, 25), 7) == date(2025, 3, 14)


def test_sitting_days_between_is_half_open(cal: DietCalendar) -> None:
    d = date(2025, 4, 1)
    assert cal.sitting_days_between(d, d) == 0
    assert cal.sitting_days_between(d, d + timedelta(days=1)) == 1  # counts b, not a
    assert cal.sitting_days_between(d + timedelta(days=1), d) == -1
    # The whole year: 150 - 10 recess days + 5 days of the 218th session = 145.
    assert cal.sitting_days_between(date(2025, 1, 1), date(2025, 12, 31)) == 145


def test_adding_sitting_days_crosses_the_gap_between_sessions(cal: DietCalendar) -> None:
    # After Jun 20: Jun 21, 22 (2), then Aug 1, 2, 3, 4, 5 (5) -> the 7th is Aug 5.
    assert cal.add_sitting_days(date(2025, 6, 20), 7) == date(2025, 8, 5)
    assert cal.add_sitting_days(date(2025, 6, 20), 8) is None  # the calendar runs out


def test_adding_sitting_days_from_a_recess_day_starts_after_the_recess(cal: DietCalendar) -> None:
    assert cal.add_sitting_days(date(2025, 3, 5), 1) == date(2025, 3, 11)


def test_adding_zero_sitting_days_returns_the_start_day(cal: DietCalendar) -> None:
    assert cal.add_sitting_days(date(2025, 7, 1), 0) == date(2025, 7, 1)
    with pytest.raises(ValueError, match="negative"):
        cal.add_sitting_days(date(2025, 7, 1), -1)


def test_ordinal_queries_agree_with_date_queries(cal: DietCalendar) -> None:
    for offset in range(-5, 230):
        d = date(2025, 1, 20) + timedelta(days=offset)
        o = d.toordinal()
        assert cal.in_session_ord(o) == cal.in_session(d)
        assert cal.sitting_ord(o) == cal.sitting(d)
        assert cal.hr_dissolved_ord(o) == cal.hr_dissolved(d)
        assert cal.session_on_ord(o) == cal.session_on(d)
        assert cal.first_session_convened_after_ord(o) == cal.first_session_convened_after(d)
        assert cal.sitting_days_between_ord(o - 9, o) == cal.sitting_days_between(d - timedelta(days=9), d)
        added = cal.add_sitting_days_ord(o, 7)
        assert cal.add_sitting_days(d, 7) == (None if added is None else date.fromordinal(added))


def test_to_records_makes_a_tidy_frame(cal: DietCalendar) -> None:
    frame = pd.DataFrame(cal.to_records())
    assert list(frame.columns) == ["kind", "number", "convened", "closed", "ended_by"]
    assert list(frame["kind"]) == ["ordinary", "recess", "hc_election", "extraordinary"]
    assert frame["convened"].is_monotonic_increasing


def test_record_rows_are_the_records_values_in_order() -> None:
    """The calendar table takes record_rows: each is a record's values, a session before a dissolution
    on its own first day (the 194th, convened and dissolved on 2017-09-28)."""
    cal = DietCalendar.historical(date(2017, 1, 1), date(2017, 12, 31))
    rows = cal.record_rows()
    assert rows == [tuple(record.values()) for record in cal.to_records()]
    that_day = [row[:2] for row in rows if row[2] == date(2017, 9, 28)]
    assert that_day == [("extraordinary", 194), ("hr_dissolution", None)]


# --------------------------------------------------------------------------------------------------
# Dissolution: the 214th extraordinary session, dissolved 2024-10-09; election 10-27; 215th special.


@pytest.fixture
def dissolved() -> DietCalendar:
    """The autumn 2024 dissolution, given only through the session's ``ended_by``."""
    return DietCalendar.explicit(
        [
            {"number": 214, "kind": "extraordinary", "convened": "2024-10-01", "closed": "2024-10-09",
             "ended_by": "dissolution_hr"},
            {"number": 215, "kind": "special", "convened": "2024-11-11", "closed": "2024-11-14"},
        ],
        elections=["2024-10-27"],
    )  # fmt: skip


def test_explicit_takes_a_dissolution_from_the_session_it_ended(dissolved: DietCalendar) -> None:
    assert dissolved.dissolutions == (date(2024, 10, 9),)


def test_house_is_dissolved_from_dissolution_until_the_special_session(dissolved: DietCalendar) -> None:
    assert not dissolved.hr_dissolved(date(2024, 10, 8))
    assert dissolved.hr_dissolved(date(2024, 10, 9))  # the dissolution day ...
    assert dissolved.in_session(date(2024, 10, 9))  # ... is also the session's last day
    assert dissolved.hr_dissolved(date(2024, 10, 27))  # election day
    assert dissolved.hr_dissolved(date(2024, 11, 10))  # the day before the special session
    assert not dissolved.hr_dissolved(date(2024, 11, 11))


def test_without_a_later_session_the_house_stays_dissolved() -> None:
    cal = DietCalendar.explicit(
        [
            {
                "kind": "extraordinary",
                "convened": "2017-09-28",
                "closed": "2017-09-28",
                "ended_by": "dissolution_hr",
            }
        ]
    )
    assert cal.hr_dissolved(date(2030, 1, 1))


# --------------------------------------------------------------------------------------------------
# Validation


def _s(convened: str, closed: str, ended_by: str = "closed", number: int | None = None) -> Session:
    return Session(number, "extraordinary", date.fromisoformat(convened), date.fromisoformat(closed), ended_by)


def test_overlapping_sessions_are_rejected() -> None:
    with pytest.raises(ValueError, match=r"session 2 .* overlaps session 1"):
        DietCalendar([_s("2025-01-01", "2025-02-01", number=1), _s("2025-02-01", "2025-03-01", number=2)])


def test_sessions_out_of_order_are_rejected() -> None:
    with pytest.raises(ValueError, match="chronological order"):
        DietCalendar([_s("2025-05-01", "2025-06-01"), _s("2025-01-01", "2025-02-01")])


def test_a_session_closing_before_it_convenes_is_rejected() -> None:
    with pytest.raises(ValueError, match="closes before it is convened"):
        _s("2025-02-01", "2025-01-01")


def test_a_recess_outside_any_session_is_rejected() -> None:
    with pytest.raises(ValueError, match=r"recess 2025-03-01\.\.2025-03-05 is not inside any session"):
        DietCalendar([_s("2025-01-01", "2025-02-01")], [Recess(date(2025, 3, 1), date(2025, 3, 5))])


def test_a_recess_running_past_its_session_is_rejected() -> None:
    with pytest.raises(ValueError, match="runs past session"):
        DietCalendar([_s("2025-01-01", "2025-02-01")], [Recess(date(2025, 1, 30), date(2025, 2, 5))])


def test_a_dissolution_must_end_the_session_it_falls_in() -> None:
    with pytest.raises(ValueError, match="falls inside session"):
        DietCalendar([_s("2025-01-01", "2025-02-01")], dissolutions=[date(2025, 1, 15)])


def test_a_session_ended_by_dissolution_needs_that_dissolution() -> None:
    with pytest.raises(ValueError, match="no dissolution on 2025-02-01"):
        DietCalendar([_s("2025-01-01", "2025-02-01", ended_by="dissolution_hr")])


def test_a_second_dissolution_before_the_special_session_is_rejected() -> None:
    with pytest.raises(ValueError, match="still dissolved"):
        DietCalendar([_s("2025-01-01", "2025-02-01")], dissolutions=[date(2025, 3, 1), date(2025, 3, 20)])


def test_unknown_kind_and_fields_are_rejected() -> None:
    with pytest.raises(ValueError, match="kind must be one of"):
        DietCalendar.explicit([{"kind": "emergency", "convened": "2025-01-01", "closed": "2025-01-02"}])
    with pytest.raises(ValueError, match="unknown session field"):
        DietCalendar.explicit([{"kind": "special", "convened": "2025-01-01", "closed": "2025-01-02", "x": 1}])


# --------------------------------------------------------------------------------------------------
# The real calendar


def test_historical_peace_and_security_legislation_passed_in_session() -> None:
    cal = DietCalendar.historical()
    s = cal.session_on(date(2015, 9, 19))
    assert (s.number, s.kind, s.convened, s.closed) == (189, "ordinary", date(2015, 1, 26), date(2015, 9, 27))


def test_historical_2014_dissolution() -> None:
    cal = DietCalendar.historical()
    assert cal.hr_dissolved(date(2014, 11, 21))
    assert cal.session_on(date(2014, 11, 21)).ended_by == "dissolution_hr"
    assert cal.hr_dissolved(date(2014, 12, 23)) and not cal.hr_dissolved(date(2014, 12, 24))


def test_historical_first_session_after_the_2012_dissolution_is_the_special_session() -> None:
    s = DietCalendar.historical().first_session_convened_after(date(2012, 11, 17))
    assert (s.number, s.kind, s.convened) == (182, "special", date(2012, 12, 26))


def test_historical_reads_uncertain_values() -> None:
    cal = DietCalendar.historical()
    by_number = {s.number: s for s in cal.sessions}
    assert len(cal.sessions) == 105 and by_number[117].convened == date(1989, 12, 25)
    assert by_number[217].closed == date(2025, 6, 22)  # '2025-06-22?' in the csv
    assert by_number[221].closed == date(2026, 7, 17) and by_number[221].ended_by == "closed"
    assert (len(cal.dissolutions), len(cal.elections), len(cal.hc_elections)) == (13, 13, 12)
    assert cal.recesses == ()


def test_historical_window_keeps_overlapping_sessions_and_the_dissolution_in_force() -> None:
    year_2015 = DietCalendar.historical(date(2015, 1, 1), date(2015, 12, 31))
    assert [s.number for s in year_2015.sessions] == [189]
    campaign = DietCalendar.historical(date(2014, 12, 1), date(2015, 3, 1))
    assert [s.number for s in campaign.sessions] == [188, 189]
    assert campaign.dissolutions == (date(2014, 11, 21),)
    assert campaign.hr_dissolved(date(2014, 12, 1))


# --------------------------------------------------------------------------------------------------
# Property: sitting-day arithmetic against a day-by-day count


@st.composite
def calendars(draw: st.DrawFn) -> tuple[DietCalendar, set[int], int, int]:
    """A random calendar, its set of sitting day numbers, and the span of days to query."""
    first = day = draw(st.integers(738_000, 738_100))
    sessions, recesses, sitting = [], [], set()
    for _ in range(draw(st.integers(0, 5))):
        conv = day + draw(st.integers(0, 20))  # 0: convened the day after the previous close
        close = conv + draw(st.integers(0, 40))
        cuts = sorted(draw(st.lists(st.integers(conv, close), max_size=6, unique=True)))
        pairs = list(zip(cuts[::2], cuts[1::2], strict=False))
        sessions.append(Session(None, "extraordinary", date.fromordinal(conv), date.fromordinal(close)))
        recesses += [Recess(date.fromordinal(a), date.fromordinal(b)) for a, b in pairs]
        sitting |= {d for d in range(conv, close + 1) if not any(a <= d <= b for a, b in pairs)}
        day = close + 1
    return DietCalendar(sessions, recesses), sitting, first - 5, day + 5


@settings(max_examples=200, deadline=None)
@given(data=calendars(), a_offset=st.integers(0, 400), b_offset=st.integers(0, 400), n=st.integers(0, 80))
def test_sitting_days_between_and_add_sitting_days_agree_with_a_day_by_day_count(
    data: tuple[DietCalendar, set[int], int, int], a_offset: int, b_offset: int, n: int
) -> None:
    cal, sitting, lo, hi = data
    a, b = lo + a_offset % (hi - lo), lo + b_offset % (hi - lo)
    brute = sum(1 for d in range(a + 1, b + 1) if d in sitting) - sum(1 for d in range(b + 1, a + 1) if d in sitting)
    assert cal.sitting_days_between_ord(a, b) == brute
    assert cal.sitting_ord(b) == (b in sitting)

    result = cal.add_sitting_days_ord(a, n)
    later = sorted(d for d in sitting if d > a)
    if n == 0:
        assert result == a
    elif n > len(later):
        assert result is None
    else:
        assert result == later[n - 1]  # the n-th sitting day after a
        assert cal.sitting_ord(result)
        assert cal.sitting_days_between_ord(a, result) == n  # the two are inverse
        assert cal.sitting_days_between_ord(a, result - 1) == n - 1  # and it is the first such day


# --------------------------------------------------------------------------------------------------
# The stochastic calendar


def _statistics(cal: DietCalendar, first_year: int, last_year: int) -> dict[str, float]:
    """The real-data statistics of diet_NOTES.md, for calendar years first_year..last_year."""
    years = range(first_year, last_year + 1)
    lo, hi = date(first_year, 1, 1).toordinal(), date(last_year, 12, 31).toordinal()
    in_session = 0
    for s in cal.sessions:
        in_session += max(0, min(s.closed.toordinal(), hi) - max(s.convened.toordinal(), lo) + 1)
    counted = [s for s in cal.sessions if s.convened.year in years]
    return {
        "days_per_year": in_session / len(years),
        "sessions_per_year": len(counted) / len(years),
        "ordinary_length": float(np.mean([s.length_days for s in counted if s.kind == "ordinary"])),
        "fraction_in_session": in_session / (hi - lo + 1),
    }


def test_real_statistics_are_what_the_notes_say() -> None:
    stats = _statistics(DietCalendar.historical(), 1990, 2025)
    assert stats["days_per_year"] == pytest.approx(227.8, abs=0.05)
    assert stats["sessions_per_year"] == pytest.approx(2.8, abs=0.05)
    assert stats["ordinary_length"] == pytest.approx(164.9, abs=0.05)
    assert stats["fraction_in_session"] == pytest.approx(0.624, abs=0.0005)


def test_a_long_generated_calendar_matches_the_real_statistics() -> None:
    # Tolerances (real value ± tolerance); over 100 seeds the 200-year means were 226.6 ± 3.0 days,
    # 2.87 ± 0.04 sessions, 161.8 ± 2.4 days and 0.620 ± 0.008.
    cal = generate_calendar(date(2000, 1, 1), date(2199, 12, 31), CalendarParams(), np.random.default_rng(7))
    stats = _statistics(cal, 2000, 2199)
    assert stats["days_per_year"] == pytest.approx(227.8, abs=20)
    assert stats["sessions_per_year"] == pytest.approx(2.8, abs=0.4)
    assert stats["ordinary_length"] == pytest.approx(164.0, abs=15)
    assert stats["fraction_in_session"] == pytest.approx(0.62, abs=0.06)


def test_generated_calendar_is_deterministic_given_the_rng() -> None:
    def make(seed: int) -> list[dict[str, object]]:
        return generate_calendar(
            date(2030, 1, 1), date(2060, 1, 1), CalendarParams(), np.random.default_rng(seed)
        ).to_records()

    assert make(3) == make(3)
    assert make(3) != make(4)


def test_generated_calendar_follows_the_rules() -> None:
    cal = generate_calendar(date(2030, 1, 1), date(2079, 12, 31), CalendarParams(), np.random.default_rng(11))
    assert cal.sessions[0].closed >= date(2030, 1, 1) and cal.sessions[-1].convened <= date(2079, 12, 31)
    assert [s.number for s in cal.sessions] == list(range(1, len(cal.sessions) + 1))
    for day in (*cal.elections, *cal.hc_elections):
        assert not cal.in_session(day)
    assert all(h.month >= 7 for h in cal.hc_elections)
    assert {h.year % 3 for h in cal.hc_elections} == {2025 % 3}
    for d in cal.dissolutions:
        assert cal.hr_dissolved(d)
        after = cal.first_session_convened_after(d)
        assert after is None or after.kind == "special"
    # Dissolved and in session only on a dissolution day (the dissolved session's last day).
    day = date(2030, 1, 1)
    while day <= date(2079, 12, 31):
        if cal.hr_dissolved(day) and cal.in_session(day):
            assert day in cal.dissolutions
        day += timedelta(days=1)
    ordinary = [s for s in cal.sessions if s.kind == "ordinary"]
    assert sum(s.convened.month == 1 for s in ordinary) >= 0.9 * len(ordinary)


def test_generated_new_year_recess_can_be_switched_off() -> None:
    def make(on: bool) -> DietCalendar:
        params = CalendarParams(new_year_recess=on)
        return generate_calendar(date(2000, 1, 1), date(2099, 12, 31), params, np.random.default_rng(5))

    with_recess, without = make(True), make(False)
    assert with_recess.sessions == without.sessions
    assert without.recesses == ()
    assert with_recess.recesses  # some autumn sessions run past New Year in a century
    for r in with_recess.recesses:
        assert (r.start.month, r.start.day, r.end.month, r.end.day) == (12, 28, 1, 3)
        s = with_recess.session_on(r.start)
        assert s is not None and s.closed >= r.end
        assert not with_recess.sitting(date(r.end.year, 1, 1))


def test_calendar_params_reject_inconsistent_values() -> None:
    with pytest.raises(ValueError, match="ordinary_day_min"):
        CalendarParams(ordinary_day_min=25, ordinary_day_max=5)
    with pytest.raises(ValueError, match="probability"):
        CalendarParams(special_long_prob=1.5)
    with pytest.raises(ValueError, match="autumn_count_probs"):
        CalendarParams(autumn_count_probs=(0.5, 0.2))
    with pytest.raises(ValueError, match="ordinary_day_sd must be 0 or more"):
        CalendarParams(ordinary_day_sd=-5.0)


def test_fitted_parameters_match_the_hard_coded_defaults() -> None:
    fitted, defaults = fit_calendar_params(), CalendarParams()
    for f in dataclasses.fields(CalendarParams):
        got, want = getattr(fitted, f.name), getattr(defaults, f.name)
        if isinstance(want, tuple | float):  # rounded to 4 significant digits
            assert got == pytest.approx(want, rel=1e-3), f.name
        else:
            assert got == want, f.name


@pytest.mark.parametrize("seed", range(8))
def test_a_generated_calendar_keeps_what_restricting_the_whole_generated_calendar_keeps(seed: int) -> None:
    """The generator restricts on its day numbers (speed); it must keep what restrict_calendar keeps."""
    from sim.diet import generator as g
    from sim.diet.calendar import Recess, Session, new_year_recess_days, restrict_calendar

    start, end = date(2026, 1, 1), date(2041, 1, 1)
    gen = g._Generator(g.CalendarParams(), np.random.default_rng(seed), start.year - g._WARMUP_YEARS)
    for year in range(start.year - g._WARMUP_YEARS, end.year + 2):
        gen.year(year)
    whole = [Session(n, kind, date.fromordinal(a), date.fromordinal(b), why)
             for n, (kind, a, b, why) in enumerate(gen.sessions, 1)]  # fmt: skip
    days = [sorted(date.fromordinal(d) for d in ds) for ds in (gen.dissolutions, gen.elections, gen.hc_elections)]
    recesses = [Recess(date.fromordinal(a), date.fromordinal(b))
                for _, conv, close, _ in gen.sessions for a, b in new_year_recess_days(conv, close)]  # fmt: skip
    restricted = restrict_calendar(whole, recesses, *days, start, end)
    kept = g._kept(gen, start, end, recess=True)
    assert [(s.kind, s.convened, s.closed, s.ended_by) for s in kept.sessions] == [
        (s.kind, s.convened, s.closed, s.ended_by) for s in restricted.sessions
    ]
    assert [s.number for s in kept.sessions] == list(range(1, len(kept.sessions) + 1))
    assert (kept.recesses, kept.dissolutions, kept.elections, kept.hc_elections) == (
        restricted.recesses, restricted.dissolutions, restricted.elections, restricted.hc_elections
    )  # fmt: skip


@pytest.mark.parametrize("seed", range(40))
def test_a_generated_calendar_passes_every_check_of_a_calendar_built_from_its_records(seed: int) -> None:
    """The generator's calendar is built unchecked (speed); the checked constructor must accept its
    records and build the same lookup tables from them."""
    params = CalendarParams(new_year_recess=seed % 4 != 0)
    cal = generate_calendar(date(2026, 1, 1), date(2046, 1, 1), params, np.random.default_rng(seed))
    sessions = [Session(s.number, s.kind, s.convened, s.closed, s.ended_by) for s in cal.sessions]
    checked = DietCalendar(sessions, cal.recesses, cal.dissolutions, cal.elections, cal.hc_elections)
    assert checked.record_rows() == cal.record_rows()
    tables = ("_conv", "_close", "_seg_start", "_seg_end", "_cum_before", "_cum_through", "_diss_start", "_diss_end")
    for name in (*tables, "_total"):
        assert getattr(checked, name) == getattr(cal, name), name
    assert [dataclasses.astuple(s) for s in checked.sessions] == [dataclasses.astuple(s) for s in cal.sessions]
