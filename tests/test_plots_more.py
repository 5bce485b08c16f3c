"""Figures of engagement against the cap, survival curves and sensitivity show what they claim."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PolyCollection
from matplotlib.container import BarContainer

import sim
from sim import figures


def _engaged_rows() -> pd.DataFrame:
    rows = [
        (0, "a", 0.0, 600, True, 600),
        (0, "b", 10.0, 900, True, 1500),
        (0, "a", 30.0, 0, False, 900),
        (0, "b", 50.0, 0, False, 0),
        (1, "a", 5.0, 100, True, 100),
    ]
    frame = pd.DataFrame(rows, columns=["replication", "deployment", "t", "persons", "performing", "total"])
    frame["deployment"] = pd.Categorical(frame["deployment"], categories=["a", "b", "c"])
    frame["date"] = pd.Timestamp("2026-01-01") + pd.to_timedelta(frame["t"], unit="D")
    return frame


def _line(ax, gid: str):
    lines = [line for line in ax.get_lines() if line.get_gid() == gid]
    assert len(lines) == 1, f"expected one line with gid {gid!r}"
    return lines[0]


def test_engaged_draws_the_cap_and_the_total() -> None:
    fig = figures.engaged(_engaged_rows(), replication=0, cap=2000)
    ax = fig.axes[0]
    cap = _line(ax, "cap")
    assert set(cap.get_ydata()) == {2000}
    assert cap.get_label() == "cap of 2,000 persons (Art. 19(1))"
    assert cap.get_linestyle() == "--"
    assert max(_line(ax, "total").get_ydata()) == 1500
    assert ax.get_ylabel() == "persons engaged" and ax.get_xlabel() == "date"
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert {"a", "b"} <= set(legend) and "c" not in legend  # only deployments of this replication
    plt.close(fig)


def test_engaged_labels_the_cap_it_is_given() -> None:
    fig = figures.engaged(_engaged_rows(), replication=1, cap=1500)
    cap = _line(fig.axes[0], "cap")
    assert set(cap.get_ydata()) == {1500} and cap.get_label() == "cap of 1,500 persons (Art. 19(1))"
    plt.close(fig)


def test_engaged_of_a_replication_with_no_one_engaged_says_so() -> None:
    """Only Art. 27 officers, or nothing dispatched: the figure is drawn, with the cap and a note."""
    for rows in (_engaged_rows(), _engaged_rows().iloc[0:0]):
        fig = figures.engaged(rows, replication=7, cap=1500)
        ax = fig.axes[0]
        assert set(_line(ax, "cap").get_ydata()) == {1500}
        assert [t.get_text() for t in ax.texts if t.get_gid() == "nobody"] == ["no persons engaged under the cap"]
        plt.close(fig)


def test_engaged_from_a_real_run_plots_the_tables_total() -> None:
    r = sim.simulate("configs/cap_stress.yaml", replications=2)
    fig = figures.engaged(r.engaged, replication=0)
    total = _line(fig.axes[0], "total")
    assert max(total.get_ydata()) == r.engaged.query("replication == 0")["total"].max()
    assert set(_line(fig.axes[0], "cap").get_ydata()) == {2000}
    plt.close(fig)


def _curve(scale: float) -> pd.DataFrame:
    days = np.array([0.0, 100.0, 200.0, 400.0])
    s = np.exp(-days / scale)
    return pd.DataFrame({"days": days, "survival": s, "ci_low": s * 0.8, "ci_high": np.minimum(s * 1.1, 1.0)})


def test_survival_has_a_line_and_a_band_per_curve() -> None:
    curves = {"baseline": _curve(300), "divided_diet": _curve(150), "cap_stress": _curve(600)}
    fig = figures.survival(curves)
    ax = fig.axes[0]
    gids = [line.get_gid() for line in ax.get_lines() if (line.get_gid() or "").startswith("survival:")]
    assert gids == [f"survival:{key}" for key in curves]
    assert sum(isinstance(c, PolyCollection) for c in ax.collections) == len(curves)
    line = _line(ax, "survival:divided_diet")
    assert line.get_drawstyle() == "steps-post"
    assert list(line.get_ydata()) == pytest.approx(list(curves["divided_diet"]["survival"]))
    assert ax.get_ylim() == (0, 1.05)
    assert ax.get_xlabel() == "days from dispatch to the termination decision"
    assert ax.get_ylabel() == "share of deployments still running"
    assert ax.get_title() == "Survival of deployments (Kaplan-Meier, censored at the horizon)"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(curves)
    plt.close(fig)


def _oat() -> pd.DataFrame:
    rows = [
        ("m", "procedure.request_to_decision.median", 5, 45, 10.0, 28.0, 18.0),
        ("m", "hazards.mission_end.rate", 0.0, 0.2, 25.0, 5.0, 18.0),
        ("m", "deployments[pko_engineers].contingents[0].personnel", 100, 600, 17.0, 19.0, 18.0),
        ("m", "diet.post_approval_lag.value", 0, 30, 18.0, 18.0, 18.0),
        ("other", "hazards.mission_end.rate", 0.0, 0.2, 1.0, 2.0, 1.5),
    ]
    frame = pd.DataFrame(rows, columns=["metric", "factor", "low", "high", "y_low", "y_high", "y_base"])
    frame["effect"] = frame["y_high"] - frame["y_low"]
    return frame


def test_tornado_puts_the_largest_effect_on_top() -> None:
    fig = figures.tornado(_oat(), "m")
    ax = fig.axes[0]
    bars = [p for p in ax.patches if (p.get_gid() or "").startswith("factor:")]
    top_down = [bar.get_gid() for bar in sorted(bars, key=lambda bar: -bar.get_y())]
    assert top_down == [
        "factor:hazards.mission_end.rate",  # effect -20
        "factor:procedure.request_to_decision.median",  # +18
        "factor:deployments[pko_engineers].contingents[0].personnel",
        "factor:diet.post_approval_lag.value",
    ]
    mission = next(bar for bar in bars if bar.get_gid() == "factor:hazards.mission_end.rate")
    request = next(bar for bar in bars if bar.get_gid() == "factor:procedure.request_to_decision.median")
    assert (mission.get_x(), mission.get_x() + mission.get_width()) == pytest.approx((25.0, 5.0))
    assert mission.get_facecolor() != request.get_facecolor()  # lowers vs raises
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[::-1] == [
        "mission_end.rate",
        "request_to_decision.median",
        "contingents[0].personnel",
        "post_approval_lag.value",
    ]
    assert list(_line(ax, "base").get_xdata()) == [18.0, 18.0]
    assert ax.get_xlabel() == "m" and ax.get_title() == "What moves m (one at a time)"
    plt.close(fig)


def test_tornado_without_rows_for_the_metric_names_it() -> None:
    with pytest.raises(ValueError, match="'missing'"):
        figures.tornado(_oat(), "missing")


def test_short_labels_keep_two_components_and_stay_distinct() -> None:
    assert figures.short_labels(["procedure.request_to_decision.median", "x"]) == ["request_to_decision.median", "x"]
    assert figures.short_labels(["deployments[a.b].period.value", "deployments[c].period.value"]) == [
        "deployments[a.b].period.value",
        "deployments[c].period.value",
    ]


def _morris() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "metric": ["d"] * 3 + ["e"],
            "factor": ["procedure.request_to_decision.median", "hazards.danger.rate", "hazards.mission_end.rate", "x"],
            "mu": [1.0, 5.0, -3.0, 1.0],
            "mu_star": [1.0, 5.0, 3.0, 1.0],
            "sigma": [0.5, 4.0, 1.0, 1.0],
            "mu_star_conf": [0.2, 1.0, 0.5, 0.1],
        }
    )


def _bar_containers(ax) -> list[BarContainer]:
    return [c for c in ax.containers if isinstance(c, BarContainer)]


def test_morris_shows_mu_star_with_intervals_and_mu_star_against_sigma() -> None:
    fig = figures.sensitivity(_morris(), "d")
    assert fig.get_suptitle() == "Morris screening: d"
    bars_ax, scatter_ax = fig.axes
    (bars,) = _bar_containers(bars_ax)
    assert len(bars) == 3 and bars.errorbar is not None
    assert [t.get_text() for t in bars_ax.get_yticklabels()][-1] == "danger.rate"  # largest mu* on top
    assert len(scatter_ax.collections[0].get_offsets()) == 3
    assert {t.get_text() for t in scatter_ax.texts} == {"request_to_decision.median", "danger.rate", "mission_end.rate"}
    plt.close(fig)


def test_sobol_shows_grouped_s1_and_st_with_intervals() -> None:
    frame = pd.DataFrame(
        {
            "metric": ["lapses"] * 3,
            "factor": ["diet.deliberation.first_house.median", "diet.deliberation.second_house.median", "diet.lag"],
            "S1": [0.6, 0.2, -0.05],
            "S1_conf": [0.1, 0.1, 0.05],
            "ST": [0.7, 0.3, 0.02],
            "ST_conf": [0.1, 0.1, 0.01],
        }
    )
    fig = figures.sensitivity(frame, "lapses")
    ax = fig.axes[0]
    assert ax.get_title() == "Sobol indices: lapses"
    containers = _bar_containers(ax)
    assert [c.get_label() for c in containers] == ["S1 (alone)", "ST (with interactions)"]
    assert all(len(c) == 3 and c.errorbar is not None for c in containers)
    assert [t.get_text() for t in ax.get_yticklabels()][-1] == "first_house.median"
    plt.close(fig)


def test_sensitivity_errors_name_the_problem() -> None:
    with pytest.raises(ValueError, match="'nope'"):
        figures.sensitivity(_morris(), "nope")
    with pytest.raises(ValueError, match="neither Morris"):
        figures.sensitivity(_oat(), "m")
