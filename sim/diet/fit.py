"""The generated calendar's parameters fitted to the real Diet calendar since 1990.

:func:`fit_calendar_params` derives every :class:`~sim.diet.generator.CalendarParams` default that
is not fixed by law from the real sessions, dissolutions and elections (``sim/data``); a test
checks that the shipped defaults are these fits, rounded.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from datetime import date
from itertools import pairwise

import numpy as np

from sim.diet.calendar import DietCalendar, Session
from sim.diet.generator import HC_SESSION_WINDOW_DAYS, ORDINARY_ROLE_LAST_MONTH, SHORT_SESSION_MAX_DAYS, CalendarParams


def _mean_sd(values: Sequence[float]) -> tuple[float, float]:
    """Mean and sample (n - 1) standard deviation."""
    arr = np.asarray(values, dtype=float)
    return float(arr.mean()), float(arr.std(ddof=1))


def _weibull_mle(durations: Sequence[float]) -> tuple[float, float]:
    """Maximum-likelihood Weibull (shape, scale) for complete (uncensored) durations.

    Solves ``sum(x^k ln x) / sum(x^k) - 1/k - mean(ln x) = 0`` for the shape ``k`` by bisection (the
    left side increases in ``k``), then ``scale = mean(x^k)^(1/k)``.  Durations are divided by their
    mean first to keep the powers in range.
    """
    x = np.asarray(durations, dtype=float)
    unit = x.mean()
    x = x / unit
    logs = np.log(x)

    def score(k: float) -> float:
        w = x**k
        return float((w * logs).sum() / w.sum() - 1.0 / k - logs.mean())

    lo, hi = 0.01, 100.0
    for _ in range(200):
        mid = 0.5 * (lo + hi)
        lo, hi = (mid, hi) if score(mid) < 0 else (lo, mid)
    k = 0.5 * (lo + hi)
    return k, float(np.mean(x**k) ** (1.0 / k) * unit)


def _next_after(days: Sequence[date], day: date) -> date | None:
    """The first of the sorted ``days`` strictly after ``day``, or ``None``."""
    i = bisect_right(days, day)
    return days[i] if i < len(days) else None


def _gap(prev: Session, nxt: Session) -> int:
    """Days with no session between two consecutive sessions."""
    return (nxt.convened - prev.closed).days - 1


def fit_calendar_params(
    calendar: DietCalendar | None = None, first_year: int = 1990, last_year: int = 2025
) -> CalendarParams:
    """Fit the :class:`CalendarParams` defaults to a calendar (the real one by default).

    Session statistics use the sessions convened in ``first_year``..``last_year`` and the House of
    Councillors elections in those years; the House of Representatives cycle (dissolution, election,
    special session) uses every dissolution and general election in the calendar, because there are
    few of them (13 since 1990, the last in January 2026).  Fields marked *law* on :class:`CalendarParams`
    keep their defaults.  The values are returned unrounded; the class defaults are these rounded to 4
    significant digits.  Definitions:

    * ordinary day: January day of month of ordinary sessions convened in January;
    * extension: over 150 days, among ordinary sessions not ended by a dissolution and convened in a
      year without an HC election (in those years the election caps the extension: 2 of 12 extended,
      by 8 and 12 days, which the generator's cap reproduces);
    * HC session: the first session after an HC election, if extraordinary and within 30 days;
      short means at most 10 days;
    * autumn session: an extraordinary session convened July-December that is neither an HC session
      nor convened and dissolved on the same day.  Counts per year; the last of a year is its main
      session (offset of its convocation from July 1, length if not dissolved), any earlier one an
      early session (length if not dissolved); gaps between two of the same year with nothing in
      between;
    * dissolution time: from each general election to the next dissolution;
    * special session: the first session after a general election that followed a dissolution;
      length statistics leave out those convened in January-April (they stood in for an ordinary one).
    """
    cal = calendar if calendar is not None else DietCalendar.historical()
    years = range(first_year, last_year + 1)
    window = [s for s in cal.sessions if s.convened.year in years]
    ordinary = [s for s in window if s.kind == "ordinary"]
    jan_days = [s.convened.day for s in ordinary if s.convened.month == 1]
    hc_years = {h.year for h in cal.hc_elections}
    undissolved = [s.length_days for s in ordinary if s.ended_by == "closed" and s.convened.year not in hc_years]
    base = CalendarParams.ordinary_length_days
    extensions = [n - base for n in undissolved if n > base]

    hc = [h for h in cal.hc_elections if h.year in years]
    hc_sessions = [
        (h, s)
        for h in hc
        if (s := cal.first_session_convened_after(h)) is not None
        and s.kind == "extraordinary"
        and (s.convened - h).days <= HC_SESSION_WINDOW_DAYS
    ]
    hc_delays = [(s.convened - h).days for h, s in hc_sessions]
    hc_lengths = [s.length_days for _, s in hc_sessions]
    hc_short = [n for n in hc_lengths if n <= SHORT_SESSION_MAX_DAYS]

    hc_session_set = {s for _, s in hc_sessions}
    autumn = [
        s
        for s in window
        if s.kind == "extraordinary"
        and s.convened.month >= 7
        and s not in hc_session_set
        and not (s.length_days == 1 and s.ended_by == "dissolution_hr")
    ]
    per_year = [[s for s in autumn if s.convened.year == y] for y in years]
    count_probs = tuple(
        sum(len(group) == k for group in per_year) / len(per_year) for k in range(max(map(len, per_year)) + 1)
    )
    mains = [group[-1] for group in per_year if group]
    earlier = [s for group in per_year for s in group[:-1]]
    offsets = [(s.convened - date(s.convened.year, 7, 1)).days for s in mains]
    index = {s: i for i, s in enumerate(cal.sessions)}
    gaps = [_gap(a, b) for group in per_year for a, b in pairwise(group) if index[b] == index[a] + 1]

    durations = [(d - g).days for g in cal.elections if (d := _next_after(cal.dissolutions, g)) is not None]
    election_delays, special_delays, special_lengths = [], [], []
    for d in cal.dissolutions:
        g = _next_after(cal.elections, d)
        s = None if g is None else cal.first_session_convened_after(g)
        if g is None or s is None:
            continue
        election_delays.append((g - d).days)
        special_delays.append((s.convened - g).days)
        if s.convened.month > ORDINARY_ROLE_LAST_MONTH:
            special_lengths.append(s.length_days)
    special_short = [n for n in special_lengths if n <= SHORT_SESSION_MAX_DAYS]
    special_long = [n for n in special_lengths if n > SHORT_SESSION_MAX_DAYS]

    shape, scale = _weibull_mle(durations)
    day_mean, day_sd = _mean_sd(jan_days)
    ext_mean, ext_sd = _mean_sd(extensions)
    off_mean, off_sd = _mean_sd(offsets)
    len_mean, len_sd = _mean_sd([s.length_days for s in mains if s.ended_by == "closed"])
    early_mean, early_sd = _mean_sd([s.length_days for s in earlier if s.ended_by == "closed"])
    long_mean, long_sd = _mean_sd(special_long)
    return CalendarParams(
        ordinary_day_mean=day_mean,
        ordinary_day_sd=day_sd,
        ordinary_day_min=min(jan_days),
        ordinary_day_max=max(jan_days),
        ordinary_extension_prob=len(extensions) / len(undissolved),
        ordinary_extension_mean_days=ext_mean,
        ordinary_extension_sd_days=ext_sd,
        hc_election_anchor_year=max(h.year for h in hc),
        hc_election_day_min=min(h.day for h in hc),
        hc_election_day_max=max(h.day for h in hc),
        hc_session_prob=len(hc_sessions) / len(hc),
        hc_session_delay_min_days=min(hc_delays),
        hc_session_delay_max_days=max(hc_delays),
        hc_session_short_min_days=min(hc_short),
        hc_session_short_max_days=max(hc_short),
        hc_session_long_prob=1 - len(hc_short) / len(hc_lengths),
        autumn_count_probs=count_probs,
        autumn_offset_mean_days=off_mean,
        autumn_offset_sd_days=off_sd,
        autumn_offset_min_days=min(offsets),
        autumn_offset_max_days=max(offsets),
        autumn_length_mean_days=len_mean,
        autumn_length_sd_days=len_sd,
        autumn_early_length_mean_days=early_mean,
        autumn_early_length_sd_days=early_sd,
        autumn_gap_min_days=min(gaps),
        autumn_gap_max_days=max(gaps),
        dissolution_weibull_shape=shape,
        dissolution_weibull_scale_days=scale,
        election_delay_min_days=min(election_delays),
        election_delay_max_days=max(election_delays),
        special_delay_min_days=min(special_delays),
        special_delay_max_days=max(special_delays),
        special_short_min_days=min(special_short),
        special_short_max_days=max(special_short),
        special_long_prob=len(special_long) / len(special_lengths),
        special_long_mean_days=long_mean,
        special_long_sd_days=long_sd,
        min_gap_days=min(_gap(a, b) for a, b in pairwise(window)),
    )
