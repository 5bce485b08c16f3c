"""Specifications of the experimental designs and sensitivity indices (sim/designs.py)."""

from __future__ import annotations

import numpy as np
import pytest

from sim.sweep.designs import DESIGN_KINDS, Design, Factor, analyze, make_design

A = Factor("diet.deliberation.first_house.median", low=10.0, high=40.0)
B = Factor("deployments[0].period.value", low=90.0, high=365.0)
C = Factor("deployments[0].units", low=1.0, high=5.0, integer=True)
FACTORS = (A, B, C)
BASE = {A.path: 20.0, B.path: 180.0, C.path: 2.0}
STOCHASTIC = ("latin_hypercube", "morris", "sobol")


def design(kind: str, factors=FACTORS, **kwargs) -> Design:
    """A design over the three standard factors with the standard base."""
    return make_design(kind, factors, base=BASE, **kwargs)


def values(d: Design, path: str) -> np.ndarray:
    """One factor's column of the design points."""
    return np.array([p[path] for p in d.points])


# --------------------------------------------------------------------------------------------------
# Sizes and bounds


@pytest.mark.parametrize(
    ("kind", "kwargs", "expected"),
    [
        ("grid", {"grid_levels": 3}, 27),
        ("one_at_a_time", {}, 1 + 2 * 3),
        ("latin_hypercube", {"samples": 10}, 10),
        ("morris", {"samples": 5}, 5 * (3 + 1)),
        ("sobol", {"samples": 8}, 8 * (3 + 2)),
    ],
)
def test_each_kind_has_the_expected_number_of_points_inside_the_bounds(kind, kwargs, expected):
    d = design(kind, **kwargs)
    assert d.kind == kind
    assert len(d.points) == expected
    assert d.X.shape == (expected, 3)
    for f in FACTORS:
        assert f.low <= values(d, f.path).min() and values(d, f.path).max() <= f.high
    assert d.problem == {
        "num_vars": 3,
        "names": [f.path for f in FACTORS],
        "bounds": [[f.low, f.high] for f in FACTORS],
    }


def test_every_kind_is_covered():
    assert set(DESIGN_KINDS) == {"grid", "one_at_a_time", "latin_hypercube", "morris", "sobol"}


def test_the_analysis_options_are_recorded():
    assert design("morris", morris_levels=6).options == {"num_levels": 6}
    assert design("sobol").options == {"calc_second_order": False}


def test_the_raw_matrix_is_read_only():
    with pytest.raises(ValueError):
        design("latin_hypercube").X[0, 0] = 0.0


# --------------------------------------------------------------------------------------------------
# Grid and one-at-a-time structure


def test_grid_is_the_cartesian_product_with_the_first_factor_varying_slowest():
    x = Factor("x", low=0.0, high=1.0)
    y = Factor("y", levels=(5.0, 7.0))
    d = make_design("grid", [x, y], grid_levels=3)
    assert [(p["x"], p["y"]) for p in d.points] == [
        (0.0, 5.0),
        (0.0, 7.0),
        (0.5, 5.0),
        (0.5, 7.0),
        (1.0, 5.0),
        (1.0, 7.0),
    ]
    assert d.problem["bounds"] == [[0.0, 1.0], [5.0, 7.0]]


def test_explicit_grid_levels_take_precedence_over_bounds():
    f = Factor("x", low=0.0, high=100.0, levels=(1.0, 2.0, 3.0, 4.0))
    assert [p["x"] for p in make_design("grid", [f], grid_levels=2).points] == [1.0, 2.0, 3.0, 4.0]


def test_one_at_a_time_is_the_base_then_low_and_high_of_each_factor_in_turn():
    d = design("one_at_a_time")
    assert d.points[0] == BASE
    for i, f in enumerate(FACTORS):
        low, high = d.points[1 + 2 * i], d.points[2 + 2 * i]
        assert low == {**BASE, f.path: f.low}
        assert high == {**BASE, f.path: f.high}


# --------------------------------------------------------------------------------------------------
# Seeds and rounding


@pytest.mark.parametrize("kind", STOCHASTIC)
def test_the_same_seed_gives_the_same_design(kind):
    first, second = design(kind, seed=3), design(kind, seed=3)
    assert first.points == second.points
    np.testing.assert_array_equal(first.X, second.X)


@pytest.mark.parametrize("kind", STOCHASTIC)
def test_a_different_seed_gives_a_different_design(kind):
    assert not np.array_equal(design(kind, seed=3).X, design(kind, seed=4).X)


@pytest.mark.parametrize("kind", DESIGN_KINDS)
def test_integer_factors_are_rounded_in_the_points_but_not_in_the_raw_matrix(kind):
    d = design(kind, grid_levels=4)  # a 4-level grid on [1, 5] puts C at 2.33 and 3.67
    column = [p[C.path] for p in d.points]
    assert all(type(v) is int for v in column)
    raw = d.X[:, FACTORS.index(C)]
    np.testing.assert_array_equal(column, np.floor(raw + 0.5))
    assert all(type(p[A.path]) is float for p in d.points)
    if kind in ("grid", "latin_hypercube", "sobol"):
        assert not np.array_equal(raw, np.round(raw))


# --------------------------------------------------------------------------------------------------
# Validation


def test_an_unknown_kind_lists_the_known_kinds():
    with pytest.raises(ValueError, match=r"unknown design kind 'factorial'.*grid, one_at_a_time.*sobol"):
        make_design("factorial", FACTORS)


def test_a_design_needs_factors():
    with pytest.raises(ValueError, match="at least one factor"):
        make_design("grid", [])


def test_duplicate_paths_are_rejected():
    with pytest.raises(ValueError, match=r"deployments\[0\]\.period\.value"):
        make_design("grid", [B, A, B])


@pytest.mark.parametrize("kind", DESIGN_KINDS)
def test_missing_bounds_name_the_factor_and_the_kind(kind):
    half = Factor("withdrawal.median", low=1.0)
    with pytest.raises(ValueError, match=rf"'withdrawal\.median' needs low and high.*{kind}"):
        make_design(kind, [A, half], base={A.path: 20.0, half.path: 5.0})


def test_a_grid_factor_with_levels_needs_no_bounds():
    assert len(make_design("grid", [Factor("x", levels=(1.0, 2.0))]).points) == 2


@pytest.mark.parametrize("kind", DESIGN_KINDS)
@pytest.mark.parametrize("high", [10.0, 5.0])
def test_low_must_be_below_high(kind, high):
    with pytest.raises(ValueError, match=r"'diet\.x'.*low \(10\.0\) must be below high"):
        make_design(kind, [Factor("diet.x", low=10.0, high=high)], base={"diet.x": 10.0})


def test_one_at_a_time_needs_a_base_value_for_every_factor():
    with pytest.raises(ValueError, match=r"needs base values"):
        make_design("one_at_a_time", FACTORS)
    with pytest.raises(ValueError, match=r"'deployments\[0\]\.units'"):
        make_design("one_at_a_time", FACTORS, base={A.path: 20.0, B.path: 180.0})


def test_sobol_samples_must_be_a_power_of_two_and_the_next_one_is_suggested():
    with pytest.raises(ValueError, match="power of two, got 6; try 8"):
        design("sobol", samples=6)


@pytest.mark.parametrize(
    ("kind", "kwargs", "message"),
    [
        ("grid", {"grid_levels": 1}, "grid_levels"),
        ("latin_hypercube", {"samples": 0}, "samples"),
        ("morris", {"morris_levels": 1}, "morris_levels"),
    ],
)
def test_sizes_must_be_positive(kind, kwargs, message):
    with pytest.raises(ValueError, match=message):
        design(kind, **kwargs)


# --------------------------------------------------------------------------------------------------
# Sensitivity indices recover a known answer: y = 10 * x0, the other factors inert

X0, X1, X2 = Factor("x0", low=0.0, high=2.0), Factor("x1", low=-1.0, high=1.0), Factor("x2", low=5.0, high=9.0)
TOY = (X0, X1, X2)


def toy(d: Design) -> np.ndarray:
    """The toy model evaluated at every design point."""
    return np.array([10 * p["x0"] + 0 * p["x1"] + 0 * p["x2"] for p in d.points])


def test_morris_finds_the_one_factor_that_drives_the_output():
    d = make_design("morris", TOY, samples=10, seed=1)
    table = analyze(d, toy(d), seed=1).set_index("factor")
    assert list(table.columns) == ["mu", "mu_star", "sigma", "mu_star_conf"]
    assert list(table.index) == ["x0", "x1", "x2"]
    assert table.loc["x0", "mu_star"] > 1.0
    assert table.loc[["x1", "x2"], "mu_star"].abs().max() < 1e-9


def test_sobol_finds_the_one_factor_that_drives_the_output():
    d = make_design("sobol", TOY, samples=256, seed=1)
    table = analyze(d, toy(d), seed=1).set_index("factor")
    assert list(table.columns) == ["S1", "S1_conf", "ST", "ST_conf"]
    assert table.loc["x0", "S1"] > 0.9 and table.loc["x0", "ST"] > 0.9
    assert (table.loc[["x1", "x2"], ["S1", "ST"]].abs() < 0.05).all().all()


def test_one_at_a_time_effects_are_the_tornado_chart_input():
    d = make_design("one_at_a_time", TOY, base={"x0": 1.0, "x1": 0.0, "x2": 7.0})
    table = analyze(d, toy(d))
    assert list(table.columns) == ["factor", "low", "high", "y_low", "y_high", "y_base", "effect"]
    assert list(table["factor"]) == ["x0", "x1", "x2"]
    np.testing.assert_allclose(table["effect"], [10 * (2.0 - 0.0), 0.0, 0.0])
    np.testing.assert_allclose(table["y_base"], 10.0)
    np.testing.assert_allclose(table[["low", "high"]], [[0.0, 2.0], [-1.0, 1.0], [5.0, 9.0]])


def test_the_same_seed_gives_the_same_indices_and_leaves_the_design_untouched():
    d = make_design("morris", TOY, samples=6, seed=2)
    problem = {"num_vars": 3, "names": ["x0", "x1", "x2"], "bounds": [[0.0, 2.0], [-1.0, 1.0], [5.0, 9.0]]}
    y = toy(d) + np.linspace(0, 1, len(d.points))
    assert analyze(d, y, seed=5).equals(analyze(d, y, seed=5))
    assert d.problem == problem


# --------------------------------------------------------------------------------------------------
# Analysis errors


@pytest.mark.parametrize("kind", ["grid", "latin_hypercube"])
def test_designs_without_indices_are_refused(kind):
    d = make_design(kind, TOY)
    with pytest.raises(ValueError, match="sensitivity indices need a morris, sobol or one_at_a_time design"):
        analyze(d, toy(d))


def test_nan_results_are_counted_in_the_error():
    d = make_design("morris", TOY, samples=4)
    y = toy(d)
    y[[0, 3]] = np.nan
    with pytest.raises(ValueError, match="2 NaN value"):
        analyze(d, y)


def test_infinite_results_are_refused():
    d = make_design("one_at_a_time", TOY, base={"x0": 1.0, "x1": 0.0, "x2": 7.0})
    y = toy(d)
    y[1] = np.inf
    with pytest.raises(ValueError, match="1 infinite value"):
        analyze(d, y)


def test_y_needs_one_value_per_point():
    d = make_design("morris", TOY, samples=4)
    with pytest.raises(ValueError, match=r"one value per design point \(16\)"):
        analyze(d, toy(d)[:-1])


def test_constant_results_have_no_sobol_indices():
    d = make_design("sobol", TOY, samples=8)
    with pytest.raises(ValueError, match="constant"):
        analyze(d, np.ones(len(d.points)))
