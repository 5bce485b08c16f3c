"""Experimental designs and sensitivity indices for sweeps over a scenario's assumptions.

Why: every number the simulator produces rests on stated, configurable assumptions (how long the
Diet deliberates, how long a plan period runs, how many units rotate).  Users ask *which of those
assumptions drive the outcomes*.  This module answers that in two steps: :func:`make_design` says
which scenario variants to run, and :func:`analyze` turns one metric per variant into sensitivity
indices.  It knows nothing about the model: a :class:`Factor` is a dotted path into a scenario
mapping (``"diet.deliberation.first_house.median"``, ``"deployments[0].period.value"``) with its
range, and a design point is a plain ``{path: value}`` mapping that an experiment file applies to
its scenario before simulating.

The designs, and what each is for:

``grid``
    The cartesian product of a few levels per factor.  For plots and tables over one or two
    factors where every combination matters; it grows exponentially with the number of factors.
``one_at_a_time``
    The base point, then each factor moved to its low and then its high value with the others at
    base.  ``1 + 2k`` runs; gives the tornado chart.  Blind to interactions.
``latin_hypercube``
    Space-filling random points (``scipy.stats.qmc``).  For surrogate fitting and for looking at
    the spread of outcomes over the whole box; no indices of its own.
``morris``
    Elementary-effects screening (SALib): ``samples * (k + 1)`` runs rank many factors cheaply and
    separate the negligible ones from the influential.
``sobol``
    Saltelli sampling and Sobol' variance decomposition (SALib): ``samples * (k + 2)`` runs give
    first-order and total indices, the quantitative answer once screening has narrowed the factors.

Categorical factors (``levels`` that are words or booleans, e.g. ``cap.policy`` over ``wait`` and
``scale_down``) take part in every kind.  ``grid`` runs each level; ``one_at_a_time`` needs exactly
two levels and moves the factor from the first to the second (its ``low`` and ``high``), so the
base scenario's value must be one of them.  ``latin_hypercube``, ``morris`` and ``sobol`` sample
the factor on the unit interval and cut it into ``k`` equal bins, bin ``i`` giving level ``i``
(``min(floor(u * k), k - 1)``): every level is equally likely, which is the input distribution
the Sobol' indices then refer to.  Morris' signed ``mu`` follows the order the levels are listed
in; ``mu_star`` and ``sigma`` do not depend on it.  ``Design.X`` holds a categorical factor's level
index (grid, one-at-a-time) or its unit value (the sampled kinds), never the word.

SALib and SciPy do the sampling and the analysis; this module only validates, names and reshapes.
Seeds are explicit everywhere: every random step takes ``seed`` and builds its own generator, so
global random state is never read or changed and the same call gives the same design.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from SALib.analyze import morris as morris_analyze
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample
from scipy.stats import qmc

from sim.randomness import whole_days

DESIGN_KINDS = ("grid", "one_at_a_time", "latin_hypercube", "morris", "sobol")

_NEEDS_BOUNDS = ("one_at_a_time", "latin_hypercube", "morris", "sobol")
_INDEX_KINDS = ("morris", "sobol", "one_at_a_time")


@dataclass(frozen=True)
class Factor:
    """One factor of an experiment, named by a dotted path into the scenario.

    ``low`` and ``high`` bound the factor; every kind needs them except ``grid`` when ``levels``
    lists the grid's values explicitly.  ``integer=True`` rounds the values in a design's points
    to whole numbers (halves up), for counts; the raw matrix ``Design.X`` keeps the unrounded
    values that the analysis needs.  ``levels`` holding a word or a boolean make the factor
    categorical: its points take exactly those values (see the module docstring for each kind).
    """

    path: str
    low: float | None = None
    high: float | None = None
    levels: tuple[float | str | bool, ...] | None = None
    integer: bool = False

    @property
    def categorical(self) -> bool:
        """Whether the factor takes words or booleans rather than numbers."""
        return self.levels is not None and any(isinstance(v, str | bool) for v in self.levels)


@dataclass(frozen=True, eq=False)
class Design:
    """A design: the points to run, and what :func:`analyze` needs to turn results into indices.

    ``points`` holds one ``{path: value}`` mapping per run, in order (integer factors rounded);
    ``X`` is the raw ``n_points x n_factors`` matrix as SALib or SciPy produced it, read-only and
    before rounding; ``problem`` is the SALib problem dict (``num_vars``, ``names`` = the paths,
    ``bounds``); ``options`` carries the sampling options the analysis must repeat.  Designs
    compare by identity (``X`` is an array); compare ``points`` or ``X`` to compare contents.
    """

    kind: str
    factors: tuple[Factor, ...]
    points: tuple[dict[str, float | str | bool], ...]
    X: np.ndarray
    problem: dict
    options: dict


def make_design(
    kind: str,
    factors: Sequence[Factor],
    *,
    base: Mapping[str, float | str | bool] | None = None,
    samples: int = 8,
    grid_levels: int = 3,
    morris_levels: int = 4,
    seed: int = 0,
) -> Design:
    """Build a design of ``kind`` (one of :data:`DESIGN_KINDS`) over ``factors``.

    ``base`` gives every factor's base value and is required by ``one_at_a_time`` (ignored
    otherwise).  ``samples`` is the number of points for ``latin_hypercube``, of trajectories for
    ``morris`` and the base sample size ``N`` for ``sobol`` (a power of two).  ``grid_levels`` is
    the number of evenly spaced levels of a grid factor without explicit ``levels``;
    ``morris_levels`` the number of Morris grid levels (SALib warns if it is odd).  ``seed`` makes
    the stochastic kinds reproducible.  Raises :class:`ValueError` on an unknown kind, no or
    duplicate factors, or bounds the kind needs that are missing or not increasing.
    """
    factors = tuple(factors)
    _validate(kind, factors)
    if kind == "grid":
        if grid_levels < 2:
            raise ValueError(f"grid_levels must be at least 2, got {grid_levels}")
        axes = [_grid_levels(f, grid_levels) for f in factors]
        bounds = [[min(axis), max(axis)] for axis in axes]
    else:  # a categorical factor's column is its unit value (sampled kinds) or level index 0/1 (one-at-a-time)
        bounds = [[0.0, 1.0] if f.categorical else [float(f.low), float(f.high)] for f in factors]
    if kind in ("latin_hypercube", "morris", "sobol") and samples < 1:
        raise ValueError(f"samples must be at least 1, got {samples}")
    problem = {"num_vars": len(factors), "names": [f.path for f in factors], "bounds": bounds}

    options: dict = {}
    if kind == "grid":
        X = np.array(list(itertools.product(*axes)), dtype=float)
    elif kind == "one_at_a_time":
        X = _one_at_a_time(factors, base)
    elif kind == "latin_hypercube":
        unit = qmc.LatinHypercube(d=len(factors), rng=seed).random(samples)
        X = qmc.scale(unit, [b[0] for b in bounds], [b[1] for b in bounds])
    elif kind == "morris":
        if morris_levels < 2:
            raise ValueError(f"morris_levels must be at least 2, got {morris_levels}")
        X = morris_sample.sample(_salib_copy(problem), N=samples, num_levels=morris_levels, seed=seed)
        options = {"num_levels": morris_levels}
    else:
        if samples & (samples - 1):
            raise ValueError(
                f"sobol needs samples to be a power of two, got {samples}; try {1 << samples.bit_length()}"
            )
        X = sobol_sample.sample(_salib_copy(problem), N=samples, calc_second_order=False, seed=seed)
        options = {"calc_second_order": False}

    X = np.asarray(X, dtype=float)
    X.flags.writeable = False
    sampled = kind in ("latin_hypercube", "morris", "sobol")
    points = tuple(
        {f.path: _point_value(f, v, sampled=sampled) for f, v in zip(factors, row, strict=True)} for row in X
    )
    return Design(
        kind=kind,
        factors=factors,
        points=points,
        X=X,
        problem=problem,
        options=options,
    )


def analyze(design: Design, y: np.ndarray, *, seed: int = 0) -> pd.DataFrame:
    """Sensitivity of one metric to the design's factors, one row per factor, in factor order.

    ``y`` holds one value per design point, in the design's order (typically the mean of a metric
    over replications).  ``morris`` gives columns ``factor, mu, mu_star, sigma, mu_star_conf``;
    ``sobol`` gives ``factor, S1, S1_conf, ST, ST_conf`` (first-order and total indices with
    bootstrap confidence half-widths); ``one_at_a_time`` gives ``factor, low, high, y_low,
    y_high, y_base, effect`` with ``effect = y_high - y_low``, the input of a tornado chart.
    ``seed`` drives SALib's bootstrap.  Raises :class:`ValueError` for other kinds, for ``y`` of
    the wrong shape, with NaN or infinite values, or (for ``sobol``) constant.
    """
    if design.kind not in _INDEX_KINDS:
        raise ValueError("sensitivity indices need a morris, sobol or one_at_a_time design")
    y = np.asarray(y, dtype=float)
    n = len(design.points)
    if y.shape != (n,):
        raise ValueError(f"y must be 1-D with one value per design point ({n}), got shape {y.shape}")
    n_nan = int(np.isnan(y).sum())
    if n_nan:
        raise ValueError(f"y has {n_nan} NaN value(s) out of {n}; every design point needs a result")
    n_inf = int(np.isinf(y).sum())
    if n_inf:
        raise ValueError(f"y has {n_inf} infinite value(s) out of {n}; every design point needs a finite result")

    names = design.problem["names"]
    if design.kind == "morris":
        res = morris_analyze.analyze(
            _salib_copy(design.problem), design.X, y, num_levels=design.options["num_levels"], seed=seed
        )
        columns = ["mu", "mu_star", "sigma", "mu_star_conf"]
    elif design.kind == "sobol":
        if np.ptp(y) == 0:
            raise ValueError("y is constant, so its variance is zero and Sobol indices are undefined")
        res = sobol_analyze.analyze(
            _salib_copy(design.problem), y, calc_second_order=design.options["calc_second_order"], seed=seed
        )
        columns = ["S1", "S1_conf", "ST", "ST_conf"]
    else:
        lows = [design.points[1 + 2 * i][name] for i, name in enumerate(names)]
        highs = [design.points[2 + 2 * i][name] for i, name in enumerate(names)]
        if any(f.categorical for f in design.factors):  # one column type for Parquet: words and numbers as text
            lows, highs = [_shown(v) for v in lows], [_shown(v) for v in highs]
        y_low, y_high = y[1::2], y[2::2]
        return pd.DataFrame(
            {
                "factor": names,
                "low": lows,
                "high": highs,
                "y_low": y_low,
                "y_high": y_high,
                "y_base": np.full(len(names), y[0]),
                "effect": y_high - y_low,
            }
        )
    table = {"factor": names}
    table.update({c: np.ma.filled(np.ma.asarray(res[c], dtype=float), np.nan) for c in columns})
    return pd.DataFrame(table)


# --- are the indices worth reading? ---------------------------------------------------------

SOBOL_MIN_SAMPLES = 512
"""Smallest Sobol' base sample ``N`` trusted without a warning (README, "Sample sizes")."""
MORRIS_MIN_TRAJECTORIES = 10
"""Fewest Morris trajectories trusted without a warning (README, "Sample sizes")."""
SOBOL_MAX_CONF = 0.1
"""Widest 95% half-width (``S1_conf``, ``ST_conf``) of a Sobol' index, on the 0-1 scale of variance shares."""
MORRIS_MAX_RELATIVE_CONF = 0.25
"""Widest ``mu_star_conf`` as a share of the metric's largest ``mu_star``: wider could reorder the factors."""


def sample_size_warnings(design: Design) -> list[str]:
    """Why a Morris or Sobol design is too small for stable indices, known before anything runs."""
    k = len(design.factors)
    if design.kind == "sobol":
        n = len(design.points) // (k + 2)
        if n < SOBOL_MIN_SAMPLES:
            return [
                f"sobol base sample N = {n} is below {SOBOL_MIN_SAMPLES}: the indices' bootstrap intervals will be "
                f"wide and S1 can come out negative; use design.samples {SOBOL_MIN_SAMPLES} or more"
            ]
    if design.kind == "morris":
        r = len(design.points) // (k + 1)
        if r < MORRIS_MIN_TRAJECTORIES:
            return [
                f"morris uses {r} trajectories, below {MORRIS_MIN_TRAJECTORIES}: the ranking of the factors may "
                f"change with the seed; use design.samples {MORRIS_MIN_TRAJECTORIES} or more"
            ]
    return []


def stability(design: Design, table: pd.DataFrame) -> pd.DataFrame:
    """``table`` (one metric's :func:`analyze` rows) with ``stable`` and ``note`` columns.

    Why: a small Sobol' or Morris design still prints numbers, and an S1 of -0.28 reads like a
    finding.  A row is unstable when the design is below its minimum size
    (:func:`sample_size_warnings`), when an index's 95% interval is wider than
    :data:`SOBOL_MAX_CONF` (Sobol') or :data:`MORRIS_MAX_RELATIVE_CONF` of the largest
    ``mu_star`` (Morris), or when a Sobol' index is negative beyond its interval (a variance
    share cannot be negative, so that is sampling noise).  ``note`` says which, in words.
    """
    if design.kind not in ("morris", "sobol"):
        return table
    size = sample_size_warnings(design)
    notes = []
    for _, row in table.iterrows():
        reasons = ["design too small"] if size else []
        if design.kind == "sobol":
            for index in ("S1", "ST"):
                value, conf = float(row[index]), float(row[f"{index}_conf"])
                if conf > SOBOL_MAX_CONF:
                    reasons.append(
                        f"{index} = {value:.2f}, 95% interval {value - conf:.2f} to {value + conf:.2f} "
                        f"(wider than ±{SOBOL_MAX_CONF})"
                    )
                if value + conf < 0:
                    reasons.append(f"{index} = {value:.2f} is negative beyond its interval (±{conf:.2f})")
        else:
            largest = float(table["mu_star"].max())
            conf = float(row["mu_star_conf"])
            if largest > 0 and conf > MORRIS_MAX_RELATIVE_CONF * largest:
                reasons.append(
                    f"mu_star = {float(row['mu_star']):.3g} ± {conf:.3g}, wider than "
                    f"{MORRIS_MAX_RELATIVE_CONF:.0%} of the largest mu_star ({largest:.3g})"
                )
        notes.append("; ".join(reasons))
    return table.assign(stable=[not n for n in notes], note=notes)


def _validate(kind: str, factors: tuple[Factor, ...]) -> None:
    """Check the kind and the factors against it; raise ValueError naming the offending path."""
    if kind not in DESIGN_KINDS:
        raise ValueError(f"unknown design kind {kind!r}; choose one of {', '.join(DESIGN_KINDS)}")
    if not factors:
        raise ValueError("a design needs at least one factor")
    seen: set[str] = set()
    for f in factors:
        if f.path in seen:
            raise ValueError(f"factor {f.path!r} appears more than once")
        seen.add(f.path)
        if f.categorical:
            _validate_categorical(kind, f)
            continue
        if f.low is not None and f.high is not None and not f.low < f.high:
            raise ValueError(f"factor {f.path!r}: low ({f.low}) must be below high ({f.high})")
        needs_bounds = kind in _NEEDS_BOUNDS or (kind == "grid" and f.levels is None)
        if needs_bounds and (f.low is None or f.high is None):
            how = " (or explicit levels)" if kind == "grid" else ""
            raise ValueError(f"factor {f.path!r} needs low and high{how} for a {kind} design")
        if kind == "grid" and f.levels is not None and len(f.levels) == 0:
            raise ValueError(f"factor {f.path!r}: levels is empty")


def _shown(value: float | str | bool) -> str:
    """A factor value as text: numbers as ``:g`` does, words and booleans as they are."""
    return f"{value:g}" if isinstance(value, float | int) and not isinstance(value, bool) else str(value)


def _validate_categorical(kind: str, f: Factor) -> None:
    """A categorical factor takes its levels only: no bounds, no rounding, no repeats, two for one-at-a-time."""
    levels = list(f.levels or ())
    if f.low is not None or f.high is not None:
        raise ValueError(f"factor {f.path!r} is categorical (levels {levels}); give levels only, not low/high")
    if f.integer:
        raise ValueError(f"factor {f.path!r} is categorical (levels {levels}); integer applies to numbers only")
    if len({repr(v) for v in levels}) != len(levels):
        raise ValueError(f"factor {f.path!r}: levels {levels} repeat a value")
    if kind == "one_at_a_time" and len(levels) != 2:
        raise ValueError(
            f"factor {f.path!r}: a one_at_a_time design moves a categorical factor between exactly two levels "
            f"(its low and high), got {len(levels)}; use a grid design to run every level"
        )


def _point_value(f: Factor, x: float, *, sampled: bool) -> float | str | bool:
    """A design point's value of factor ``f`` from its raw matrix entry ``x``.

    A categorical factor's ``x`` is a unit value cut into equal bins (``sampled``) or a level
    index; a numeric factor's is the value itself, rounded for an ``integer`` factor.
    """
    if f.categorical:
        levels = f.levels or ()
        index = min(int(x * len(levels)), len(levels) - 1) if sampled else int(x)
        return levels[index]
    return whole_days(x) if f.integer else float(x)


def _grid_levels(factor: Factor, grid_levels: int) -> list[float]:
    """The factor's explicit levels (a categorical factor's indices), else ``grid_levels`` values from low to high."""
    if factor.categorical:
        return [float(i) for i in range(len(factor.levels or ()))]
    if factor.levels is not None:
        return [float(v) for v in factor.levels]
    return [float(v) for v in np.linspace(factor.low, factor.high, grid_levels)]


def _one_at_a_time(factors: tuple[Factor, ...], base: Mapping[str, float | str | bool] | None) -> np.ndarray:
    """The base row, then for each factor a row at its low and a row at its high, others at base.

    A categorical factor's entries are level indices: its low is the first level, its high the
    second, and its base value must be one of them.
    """
    if base is None:
        raise ValueError("a one_at_a_time design needs base values for every factor")
    for f in factors:
        if f.path not in base:
            raise ValueError(f"base has no value for factor {f.path!r}, which a one_at_a_time design needs")
        if f.categorical and base[f.path] not in (f.levels or ()):
            raise ValueError(
                f"factor {f.path!r}: the base value {base[f.path]!r} is not one of its levels {list(f.levels or ())}"
            )
    base_row = np.array([float(f.levels.index(base[f.path]) if f.categorical and f.levels else base[f.path])
                         for f in factors])  # fmt: skip
    rows = [base_row]
    for i, f in enumerate(factors):
        for value in (0.0, 1.0) if f.categorical else (f.low, f.high):
            row = base_row.copy()
            row[i] = value
            rows.append(row)
    return np.vstack(rows)


def _salib_copy(problem: dict) -> dict:
    """A fresh copy of a problem dict for SALib, which adds keys (``groups``, ``sample_scaled``) to what it is given."""
    return {
        "num_vars": problem["num_vars"],
        "names": list(problem["names"]),
        "bounds": [list(b) for b in problem["bounds"]],
    }
