"""The stochastic Diet calendar: rules fitted to the real one since 1990, and the fit itself.

A generated calendar lets a study run past the real data (or replicate over many possible
political years): ordinary sessions each January, House of Councillors elections every three
years, autumn extraordinary sessions, and House of Representatives dissolutions as a hazard
within the four-year term, each with parameters that :func:`fit_calendar_params` estimates from
``sim/data/diet_sessions.csv`` and ``diet_events.csv``.  :class:`CalendarParams` documents every
rule and where its default comes from; :func:`generate_calendar` draws one calendar.
"""

from __future__ import annotations

import itertools
import math
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from sim import randomness
from sim.diet.calendar import _NEVER, DietCalendar, new_year_recess_days
from sim.randomness import whole_days

ORDINARY_ROLE_LAST_MONTH = 4
"""A special session convened in January-April stands in for that year's ordinary session.

This happened in 1990 (118th, 120 days, after the 117th ordinary session was dissolved) and in 2026
(221st, 150 days, after the 220th was dissolved on its first day).  Such sessions are left out of the
special-session length statistics and, in the generator, get an ordinary session's length.
"""

_ORDINARY_EARLY_DISSOLUTION_DAYS = 31
"""The generator dissolves an ordinary session at once only in its first 31 days, else on its last day.

Of the 13 dissolutions since 1990, none fell in the middle of an ordinary session, where the budget
is passed: two came at its start (the 117th on day 31, the 220th on day 1), four at or near its end
(126th, 147th, 162nd, 171st), the rest in autumn extraordinary sessions or out of session.
"""

SHORT_SESSION_MAX_DAYS = 10
"""Special and post-election summer sessions split cleanly into short (3-9 days) and long (24+)."""

HC_SESSION_WINDOW_DAYS = 30
"""Diet Act art. 2-3: the session after a House of Councillors election comes within 30 days."""

_EXPIRY_ELECTION_WINDOW_DAYS = 30
"""Public Offices Election Act art. 31(1): a term-expiry election is held in the last 30 days."""


_WARMUP_YEARS = 8
"""Years the generator runs before ``start`` so that the political cycle is in its steady state."""


# --------------------------------------------------------------------------------------------------
# The stochastic calendar


@dataclass(frozen=True)
class CalendarParams:
    """Knobs of :func:`generate_calendar`; the defaults are fitted to the real calendar.

    The fitted defaults were computed by :func:`fit_calendar_params` on ``sim/data`` (sessions
    convened 1990-2025) and rounded to 4 significant digits; ``tests/test_calendar.py`` checks that
    refitting reproduces them.  Fields marked *law* are rules, not fits.  All durations are in days.

    Rules of the generator, year by year:

    1. **Ordinary session** convened in January on a day drawn from a normal distribution (mean 21.06,
       sd 5.77, clipped to the observed 4..31), 150 days (*law*, Diet Act art. 10).  With probability
       8/19 it is extended once, by a gamma-distributed number of days (mean 52.6, sd 28.5), the
       extensions observed in years without a House of Councillors election.  In an election year
       the extension is cut so the session closes at least ``hc_min_days_after_close`` days before
       the planned election; that leaves most unextended, as observed (2 of 12, by 8 and 12 days).
       Over all years 10 of 31 sessions were extended, by 44.1 days on average.  A session never
       convenes until ``min_gap_days`` days after the previous one closed, so a late autumn session
       delays it.
    2. **House of Councillors election** every ``hc_election_interval_years`` (*law*: 3) years, in
       years congruent to ``hc_election_anchor_year`` modulo 3, in July (day uniform in 10..29), and
       never within 24 days after a session closes (Public Offices Election Act): if the previous
       session closes later, the election is 24-30 days after it.  A short extraordinary session
       follows it ``hc_session_delay`` days later (observed after 12 of 12 elections): 3-8 days, or
       with probability 1/12 an autumn-length session (the 143rd of 1998).
    3. **Autumn extraordinary sessions** (convened July-December, besides the post-election summer
       session): their number is drawn from the observed frequencies ``autumn_count_probs`` (0, 1 or
       2 a year).  The main (last) one is planned ``autumn_offset`` days after July 1 (normal, mean
       106 (mid-October), clipped to the observed 71..158), gamma length (mean 59.9, sd 27.9).  In a
       two-session year an earlier, mostly short session (a new Cabinet's; gamma, mean 20, sd 23.7)
       is planned to close a uniform ``autumn_gap`` (19-69 days) before it.  A session that cannot
       convene by the latest observed day (December 6) is dropped, and an autumn session closes in
       time for next year's ordinary session to convene as planned (two real ones ran into January).
    4. **House of Representatives** (*law*: 4-year term, ``hr_term_days``).  After each general
       election the next dissolution comes after a Weibull-distributed time (shape 4.44, scale 1178
       days, maximum likelihood on the 12 observed election-to-dissolution times); a draw beyond the
       term (7 % of them) means the term expires: a general election is held in its last 30 days
       without a dissolution, moved to 24-30 days after the close of any session in the way (Public
       Offices Election Act art. 31; a session still sitting when the term ends closes that day,
       Diet Act art. 10), and followed by an *extraordinary* session (Diet Act art. 2-3).
       A dissolution ends the session in progress that day (``ended_by='dissolution_hr'``), with one
       exception: a draw after the first 31 days of an ordinary session waits for its last day,
       since no real dissolution fell in the middle of one (``_ORDINARY_EARLY_DISSOLUTION_DAYS``).  If
       the Diet is not sitting, a one-day extraordinary session is convened and dissolved, as in
       1996 and 2017.  The general election follows 16-40 days later, the special session 9-18 days
       after that (uniform over the observed ranges; the legal limits are 40 and 30).  A special
       session is 3-9 days long, or with probability 3/11 gamma with mean 35 and sd 9.6.  A special
       session convened in January-April after that year's ordinary session was dissolved stands in
       for it: an ordinary session's length, as in 1990 (120 days) and 2026 (150 days).
    5. **Recess**: the real data records none.  With ``new_year_recess`` (default on) every session
       that contains the whole of Dec 28 - Jan 3 gets a recess on those days.
    """

    ordinary_day_mean: float = 21.06
    """Mean January day of month of ordinary-session convocation (34 sessions, 1992-2025)."""
    ordinary_day_sd: float = 5.773
    """Its sample standard deviation."""
    ordinary_day_min: int = 4
    """Earliest observed January convocation day (2016)."""
    ordinary_day_max: int = 31
    """Latest observed January convocation day (1994, 2001)."""
    ordinary_length_days: int = 150
    """*Law*: the term of an ordinary session (Diet Act art. 10)."""
    ordinary_extension_prob: float = 0.4211
    """Share extended, among ordinary sessions not cut by a dissolution in years without an HC
    election (8 of 19)."""
    ordinary_extension_mean_days: float = 52.62
    """Mean extension of those 8 sessions."""
    ordinary_extension_sd_days: float = 28.50
    """Sample standard deviation of the extensions."""

    hc_election_interval_years: int = 3
    """*Law*: House of Councillors members serve 6 years, half elected every 3."""
    hc_election_anchor_year: int = 2025
    """A year with an HC election; all others are a multiple of the interval away (last observed)."""
    hc_election_day_min: int = 10
    """Earliest July day of an observed HC election."""
    hc_election_day_max: int = 29
    """Latest July day of an observed HC election."""
    hc_min_days_after_close: int = 24
    """*Law*: an HC election comes at least 24 days after a session closes."""
    hc_max_days_after_close: int = 30
    """*Law*: and, when moved for that reason, at most 30 days after."""
    hc_session_prob: float = 1.0
    """Share of HC elections followed within 30 days by an extraordinary session (12 of 12)."""
    hc_session_delay_min_days: int = 9
    """Fewest days observed from HC election to that session."""
    hc_session_delay_max_days: int = 24
    """Most days observed from HC election to that session."""
    hc_session_short_min_days: int = 3
    """Shortest post-HC-election session."""
    hc_session_short_max_days: int = 8
    """Longest short post-HC-election session."""
    hc_session_long_prob: float = 0.08333
    """Share of long (over 10 days) post-HC-election sessions (1 of 12)."""

    autumn_count_probs: tuple[float, ...] = (0.08333, 0.7222, 0.1944)
    """P(0), P(1), P(2) autumn extraordinary sessions in a year (3, 26 and 7 of 36 years)."""
    autumn_offset_mean_days: float = 106.3
    """Mean days from July 1 to the convocation of a year's last (main) autumn session."""
    autumn_offset_sd_days: float = 22.29
    """Sample standard deviation of that offset."""
    autumn_offset_min_days: int = 71
    """Smallest observed offset."""
    autumn_offset_max_days: int = 158
    """Largest observed offset; no autumn session convenes later in the year."""
    autumn_length_mean_days: float = 59.93
    """Mean length of the main autumn sessions not cut by a dissolution."""
    autumn_length_sd_days: float = 27.93
    """Sample standard deviation of those lengths."""
    autumn_early_length_mean_days: float = 20.0
    """Mean length of the earlier session in a two-session autumn, if not cut by a dissolution."""
    autumn_early_length_sd_days: float = 23.71
    """Sample standard deviation of those lengths."""
    autumn_gap_min_days: int = 19
    """Fewest days without a session between two autumn sessions of the same year."""
    autumn_gap_max_days: int = 69
    """Most days without a session between two autumn sessions of the same year."""

    hr_term_days: int = 1461
    """*Law*: 4 years, the House of Representatives term (Constitution art. 45)."""
    dissolution_weibull_shape: float = 4.442
    """Weibull shape of the time from a general election to the next dissolution."""
    dissolution_weibull_scale_days: float = 1178.0
    """Weibull scale of that time."""
    election_delay_min_days: int = 16
    """Fewest days observed from dissolution to general election (legal limit: 40)."""
    election_delay_max_days: int = 40
    """Most days observed from dissolution to general election."""
    special_delay_min_days: int = 9
    """Fewest days observed from general election to special session (legal limit: 30)."""
    special_delay_max_days: int = 18
    """Most days observed from general election to special session."""
    special_short_min_days: int = 3
    """Shortest special session."""
    special_short_max_days: int = 9
    """Longest short (at most 10 days) special session."""
    special_long_prob: float = 0.2727
    """Share of long special sessions (3 of 11, leaving out the one standing in for an ordinary one)."""
    special_long_mean_days: float = 35.0
    """Mean length of the long special sessions (24, 42, 39 days)."""
    special_long_sd_days: float = 9.644
    """Sample standard deviation of those lengths."""

    min_gap_days: int = 1
    """Fewest days without a session between two sessions (128th to 129th, January 1994)."""
    new_year_recess: bool = True
    """Whether sessions spanning Dec 28 - Jan 3 get a recess on those days (an assumption)."""

    def __post_init__(self) -> None:
        """Reject inconsistent values: min above max, probabilities outside [0, 1], and the like."""
        for lo, hi in (
            ("ordinary_day_min", "ordinary_day_max"),
            ("hc_election_day_min", "hc_election_day_max"),
            ("hc_min_days_after_close", "hc_max_days_after_close"),
            ("hc_session_delay_min_days", "hc_session_delay_max_days"),
            ("hc_session_short_min_days", "hc_session_short_max_days"),
            ("autumn_offset_min_days", "autumn_offset_max_days"),
            ("autumn_gap_min_days", "autumn_gap_max_days"),
            ("election_delay_min_days", "election_delay_max_days"),
            ("special_delay_min_days", "special_delay_max_days"),
            ("special_short_min_days", "special_short_max_days"),
        ):
            if getattr(self, lo) > getattr(self, hi):
                raise ValueError(f"{lo} ({getattr(self, lo)}) is above {hi} ({getattr(self, hi)})")
        if not 1 <= self.ordinary_day_min <= self.ordinary_day_max <= 31:
            raise ValueError("ordinary_day_min..ordinary_day_max must be January days")
        if not 1 <= self.hc_election_day_min <= self.hc_election_day_max <= 31:
            raise ValueError("hc_election_day_min..hc_election_day_max must be July days")
        for name in (
            "ordinary_extension_prob",
            "hc_session_prob",
            "hc_session_long_prob",
            "special_long_prob",
        ):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be a probability, got {getattr(self, name)}")
        probs = self.autumn_count_probs
        if not probs or min(probs) < 0 or not math.isclose(sum(probs), 1.0, abs_tol=1e-3):
            raise ValueError(f"autumn_count_probs must be non-negative and sum to 1, got {probs}")
        if not self.ordinary_day_sd >= 0:
            raise ValueError(f"ordinary_day_sd must be 0 or more, got {self.ordinary_day_sd}")
        for name in (
            "ordinary_extension_mean_days",
            "ordinary_extension_sd_days",
            "autumn_offset_sd_days",
            "autumn_length_mean_days",
            "autumn_length_sd_days",
            "autumn_early_length_mean_days",
            "autumn_early_length_sd_days",
            "dissolution_weibull_shape",
            "dissolution_weibull_scale_days",
            "special_long_mean_days",
            "special_long_sd_days",
        ):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive, got {getattr(self, name)}")
        for name in ("ordinary_length_days", "hr_term_days", "hc_election_interval_years"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, got {getattr(self, name)}")
        if self.min_gap_days < 0 or self.hc_session_short_min_days < 1 or self.special_short_min_days < 1:
            raise ValueError("min_gap_days must be >= 0 and short session lengths >= 1")


@dataclass
class _HrEvent:
    """The next thing that renews the House of Representatives: a dissolution or a term expiry.

    For an expiry, ``day`` is the planned election day and ``term_end`` the last day of the term.
    """

    dissolution: bool
    day: int
    term_end: int = _NEVER


@dataclass
class _Generator:
    """State of one run of the stochastic calendar; see :class:`CalendarParams` for the rules.

    Sessions are kept as ``(kind, convened, closed, ended_by)`` tuples of day numbers.
    """

    p: CalendarParams
    rng: np.random.Generator
    first_year: int
    sessions: list[tuple[str, int, int, str]] = field(default_factory=list)
    dissolutions: list[int] = field(default_factory=list)
    elections: list[int] = field(default_factory=list)
    hc_elections: list[int] = field(default_factory=list)
    ordinary_planned: dict[int, int] = field(default_factory=dict)
    """Planned convocation day of each year's ordinary session, once drawn."""
    ordinary_dissolved: set[int] = field(default_factory=set)
    """Years whose ordinary session was ended by a dissolution."""

    autumn_cumulative: list[float] = field(init=False)
    """Cumulative probabilities of 0, 1, 2 autumn sessions, for one uniform draw a year."""
    last_close: int = field(init=False)
    """Closing day of the latest session placed."""
    hr_next: _HrEvent = field(init=False)
    """The next dissolution or term-expiry election of the House of Representatives."""

    def __post_init__(self) -> None:
        """Start as if the last session closed in early November and the last election was a while ago."""
        self.autumn_cumulative = list(itertools.accumulate(self.p.autumn_count_probs))
        jan1 = date(self.first_year, 1, 1).toordinal()
        self.last_close = jan1 - 60
        age = int(self.rng.integers(0, self.p.hr_term_days))
        self.hr_next = self._draw_hr_event(jan1 - age, age)

    # -- draws -------------------------------------------------------------------------------------

    def _uniform(self, lo: int, hi: int) -> int:
        """A whole number uniform on lo..hi inclusive."""
        return lo + int(self.rng.random() * (hi - lo + 1))  # a tenth of the cost of rng.integers

    def _clipped_normal(self, mean: float, sd: float, lo: int, hi: int) -> int:
        """A normal draw rounded to a whole number and clipped to lo..hi."""
        return min(hi, max(lo, whole_days(randomness.normal(self.rng, mean, sd))))  # rng.normal's number, faster

    def _gamma_days(self, mean: float, sd: float) -> int:
        """A gamma draw with the given mean and sd, rounded, at least 1."""
        shape = (mean / sd) ** 2
        return max(1, whole_days(float(self.rng.gamma(shape, sd * sd / mean))))

    def _ordinary_length(self) -> int:
        """Length of an ordinary session, extended or not."""
        p = self.p
        if self.rng.random() < p.ordinary_extension_prob:
            return p.ordinary_length_days + self._gamma_days(
                p.ordinary_extension_mean_days, p.ordinary_extension_sd_days
            )
        return p.ordinary_length_days

    def _special_length(self) -> int:
        """Length of a special (or post-expiry-election) session."""
        if self.rng.random() < self.p.special_long_prob:
            return self._gamma_days(self.p.special_long_mean_days, self.p.special_long_sd_days)
        return self._uniform(self.p.special_short_min_days, self.p.special_short_max_days)

    def _draw_hr_event(self, election: int, age: int = 0) -> _HrEvent:
        """Next dissolution or expiry for a House elected on ``election``, given none in ``age`` days.

        Weibull time to dissolution conditioned on exceeding ``age``:
        ``T = scale * ((age / scale)**shape + E)**(1 / shape)`` with ``E`` standard exponential.
        """
        k, scale = self.p.dissolution_weibull_shape, self.p.dissolution_weibull_scale_days
        t = scale * ((age / scale) ** k + float(self.rng.exponential())) ** (1.0 / k)
        wait = max(age + 1, whole_days(t))
        if wait < self.p.hr_term_days:
            return _HrEvent(True, election + wait)
        term_end = election + self.p.hr_term_days - 1
        return _HrEvent(False, term_end - self._uniform(0, _EXPIRY_ELECTION_WINDOW_DAYS - 1), term_end)

    # -- placing -----------------------------------------------------------------------------------

    def _settle(self, earliest: Callable[[], int], *, election: bool = False) -> int:
        """``earliest()`` once every House event before it has been played out.

        For a session, an event on its convocation day is left to :meth:`_place` (a dissolution that
        day makes it a one-day session); an election waits until after an event on its day.
        """
        while True:
            day = earliest()
            if self.hr_next.day > day or (self.hr_next.day == day and not election):
                return day
            self._play_hr_event()

    def _session_start(self, planned: int) -> Callable[[], int]:
        """``earliest`` for a session planned on ``planned``: not before the gap after the last close."""
        return lambda: max(planned, self.last_close + 1 + self.p.min_gap_days)

    def _election_day(self, planned: int) -> Callable[[], int]:
        """``earliest`` for an election planned on ``planned``: 24-30 days after a late session close."""
        lag = self._uniform(self.p.hc_min_days_after_close, self.p.hc_max_days_after_close)
        return lambda: planned if planned >= self.last_close + self.p.hc_min_days_after_close else self.last_close + lag

    def _play_hr_event(self) -> None:
        """Play out the pending House event, which falls between sessions."""
        event = self.hr_next
        if event.dissolution:
            day = max(event.day, self.last_close + 1 + self.p.min_gap_days)
            self.sessions.append(("extraordinary", day, day, "dissolution_hr"))
            self.last_close = day
            self._dissolve(day)
        else:
            event.day = self._election_day(event.day)()
            self.elections.append(event.day)
            self._after_election(event.day, "extraordinary")

    def _place(self, kind: str, planned: int, length: int, latest_close: int = _NEVER) -> None:
        """Convene a session planned on ``planned`` and play out a dissolution that ends it.

        ``latest_close`` cuts the session short (an ordinary session only to its 150 days; an autumn
        session so that the next ordinary session can convene as planned).
        """
        conv = self._settle(self._session_start(planned))
        close = conv + length - 1
        if latest_close < close:
            floor = conv + self.p.ordinary_length_days - 1 if kind == "ordinary" else conv
            close = max(min(close, latest_close), floor)
        event = self.hr_next
        if event.dissolution and event.day <= close:
            if kind == "ordinary" and event.day - conv >= _ORDINARY_EARLY_DISSOLUTION_DAYS:
                event.day = close  # the budget and the session's bills come first
            close = event.day
        elif not event.dissolution:
            if conv <= event.term_end <= close:
                close = event.term_end  # Diet Act art. 10: the session ends when the terms expire
            if event.day < close + self.p.hc_min_days_after_close:
                event.day = close + self._uniform(self.p.hc_min_days_after_close, self.p.hc_max_days_after_close)
        dissolved = event.dissolution and event.day == close
        self.sessions.append((kind, conv, close, "dissolution_hr" if dissolved else "closed"))
        self.last_close = close
        if dissolved:
            if kind == "ordinary":
                self.ordinary_dissolved.add(date.fromordinal(conv).year)
            self._dissolve(close)

    def _dissolve(self, day: int) -> None:
        """Dissolution on ``day``: general election, then the special session."""
        self.dissolutions.append(day)
        election = day + self._uniform(self.p.election_delay_min_days, self.p.election_delay_max_days)
        self.elections.append(election)
        self._after_election(election, "special")

    def _after_election(self, election: int, kind: str) -> None:
        """The session after a general election, and the new House's next dissolution or expiry."""
        conv = election + self._uniform(self.p.special_delay_min_days, self.p.special_delay_max_days)
        when = date.fromordinal(conv)
        stands_in = (
            kind == "special" and when.month <= ORDINARY_ROLE_LAST_MONTH and when.year in self.ordinary_dissolved
        )
        length = self._ordinary_length() if stands_in else self._special_length()
        event = self._draw_hr_event(election)
        event.day = max(event.day, conv)
        self.hr_next = event
        self._place(kind, conv, length)

    # -- the year ----------------------------------------------------------------------------------

    def year(self, year: int) -> None:
        """Ordinary session, HC election and its session, autumn sessions of ``year``."""
        p = self.p
        hc_year = (year - p.hc_election_anchor_year) % p.hc_election_interval_years == 0
        hc_planned = date(year, 7, self._uniform(p.hc_election_day_min, p.hc_election_day_max)).toordinal()
        self._ordinary(year, hc_planned - p.hc_min_days_after_close if hc_year else _NEVER)
        if hc_year:
            self._hc_election(hc_planned)
        self._autumn(year)

    def _ordinary_planned(self, year: int) -> int:
        """Planned convocation day of ``year``'s ordinary session, drawn on first use."""
        if year not in self.ordinary_planned:
            p = self.p
            day = self._clipped_normal(p.ordinary_day_mean, p.ordinary_day_sd, p.ordinary_day_min, p.ordinary_day_max)
            self.ordinary_planned[year] = date(year, 1, day).toordinal()
        return self.ordinary_planned[year]

    def _ordinary(self, year: int, latest_close: int) -> None:
        """The January ordinary session (delayed if the previous session runs late)."""
        self._place("ordinary", self._ordinary_planned(year), self._ordinary_length(), latest_close)

    def _hc_election(self, planned: int) -> None:
        """The House of Councillors election and the short session after it."""
        p = self.p
        day = self._settle(self._election_day(planned), election=True)
        self.hc_elections.append(day)
        if self.rng.random() >= p.hc_session_prob:
            return
        if self.rng.random() < p.hc_session_long_prob:
            length = self._gamma_days(p.autumn_length_mean_days, p.autumn_length_sd_days)
        else:
            length = self._uniform(p.hc_session_short_min_days, p.hc_session_short_max_days)
        delay = self._uniform(p.hc_session_delay_min_days, p.hc_session_delay_max_days)
        self._place("extraordinary", day + delay, length)

    def _autumn(self, year: int) -> None:
        """The year's autumn extraordinary sessions: the main one, and an earlier one if two."""
        p = self.p
        draw = float(self.rng.random()) * self.autumn_cumulative[-1]
        count = min(bisect_right(self.autumn_cumulative, draw), len(p.autumn_count_probs) - 1)
        if count == 0:
            return
        july1 = date(year, 7, 1).toordinal()
        offset = self._clipped_normal(
            p.autumn_offset_mean_days,
            p.autumn_offset_sd_days,
            p.autumn_offset_min_days,
            p.autumn_offset_max_days,
        )
        plans = [(july1 + offset, self._gamma_days(p.autumn_length_mean_days, p.autumn_length_sd_days))]
        for _ in range(count - 1):
            length = self._gamma_days(p.autumn_early_length_mean_days, p.autumn_early_length_sd_days)
            gap = self._uniform(p.autumn_gap_min_days, p.autumn_gap_max_days)
            plans.insert(0, (max(july1, plans[0][0] - gap - length), length))
        latest_close = self._ordinary_planned(year + 1) - 1 - p.min_gap_days
        for planned, length in plans:
            if self._settle(self._session_start(planned)) > july1 + p.autumn_offset_max_days:
                return
            self._place("extraordinary", planned, length, latest_close)


def generate_calendar(start: date, end: date, params: CalendarParams, rng: np.random.Generator) -> DietCalendar:
    """A stochastic calendar covering [start, end]; the same ``rng`` state gives the same calendar.

    The rules are described on :class:`CalendarParams`.  The generator starts
    ``_WARMUP_YEARS`` (8) years before ``start`` so that the House of Representatives' term is in
    its steady state, runs one year past ``end``, and keeps what overlaps [start, end] as
    :meth:`DietCalendar.historical` does.  Sessions are numbered 1, 2, ... from the first one kept.
    """
    if end < start:
        raise ValueError(f"end ({end}) is before start ({start})")
    gen = _Generator(params, rng, start.year - _WARMUP_YEARS)
    for year in range(start.year - _WARMUP_YEARS, end.year + 2):
        gen.year(year)
    return _kept(gen, start, end, params.new_year_recess)


def _kept(gen: _Generator, start: date, end: date, recess: bool) -> DietCalendar:
    """The generated calendar's part that overlaps [start, end], numbered 1, 2, ... from the first session.

    It keeps what :func:`~sim.diet.calendar.restrict_calendar` keeps, but works on the generator's day
    numbers, so that only the kept sessions become records, and builds the calendar from them unchecked
    (:meth:`~sim.diet.calendar.DietCalendar._generated`): generating calendars is most of a Diet-heavy
    run (issue 19).
    """
    first, last = start.toordinal(), end.toordinal()
    kept = [s for s in gen.sessions if s[2] >= first and s[1] <= last]
    lo = min(first, kept[0][1]) if kept else first
    hi = max(last, kept[-1][2]) if kept else last
    dissolutions = sorted(gen.dissolutions)
    k = bisect_right(dissolutions, lo) - 1
    if k >= 0:  # keep the dissolution that still holds on the first day (restrict_calendar's rule)
        convened = [s[1] for s in gen.sessions]
        i = bisect_right(convened, dissolutions[k])
        if lo <= (convened[i] - 1 if i < len(convened) else _NEVER):
            lo = dissolutions[k]
    # only kept sessions can hold a kept recess: lo and hi are their first and last days, or a
    # dissolution day or a day outside any session, and a New Year recess is seven days long
    recesses = [r for _, conv, close, _ in kept for r in new_year_recess_days(conv, close)] if recess else []
    return DietCalendar._generated(
        kept,
        [(a, b) for a, b in recesses if a >= lo and b <= hi],
        [d for d in dissolutions if lo <= d <= hi],
        sorted(d for d in gen.elections if lo <= d <= hi),
        sorted(d for d in gen.hc_elections if lo <= d <= hi),
    )
