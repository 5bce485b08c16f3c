"""Calibration: the baseline's lags, plan periods and extensions fitted to Japan's real deployments.

Why: the baseline's durations were assumptions read off a few cases.  This module fits them to
the whole record in ``sim/data`` (:func:`sim.record.load_deployments`, :func:`sim.record.load_plan_events`)
with ``scipy.stats``, writes the fitted values into a file the baseline includes
(``configs/baseline.calibrated.yaml``, see :mod:`sim.scenario.files`), and checks the calibrated model
against the record in a report.  ``pko-sim calibrate`` does all three.

What is fitted from what
------------------------
* ``procedure.decision_to_dispatch``: lognormal (``floc=0``) on the days from each Cabinet decision
  to its first departure, day-precision pairs only (:func:`lag_observations`).
* ``procedure.extension_lead``: lognormal (``floc=0``) on the days before the period it extended
  ran out at which each amendment was decided, for the amendments whose previous end is known
  and had not yet passed (``lead_days`` of :func:`extension_observations`), pooled over all groups
  like the lag (:func:`fit_lead`).
* a deployment's ``period``: the initial plan periods, ``period_until`` of a ``cabinet_decision``
  minus its date (:func:`plan_period_observations`).
* ``extension.length``: the plan amendments' new period ends, measured from the end they extended
  or else from the amendment's date (:func:`extension_observations`).
* ``extension.probability`` and ``max_extensions``: the geometric estimate from extension counts
  derived from the durations (:func:`extension_counts`, :func:`extension_probability`), divided by
  the chance an extension passes without a hazard-driven end (:meth:`Calibration.probability`,
  :func:`ending_rate`); the cap reaches the geometric's :data:`TAIL`.
* ``procedure.request_to_decision``: lognormal on the days from each dated request to its Cabinet
  decision (:func:`request_observations`, :func:`fit_request`).
* ``procedure.withdrawal``: lognormal on the days from each termination decision to the last return
  it ended, month-precision spans read as intervals (:func:`withdrawal_observations`, :func:`fit_withdrawal`).
* the period of a group whose contingents all came home in their first period (election observers,
  relief airlifts): fitted to their durations plus the lag's median, with no extension, lead or
  withdrawal (:func:`first_period_only`, :func:`first_period`, :data:`FIRST_PERIOD_ONLY`).
* total durations, first departure to last return (a hand-over within one plan is not an end,
  :func:`handovers`), by lognormal and Weibull maximum likelihood with ongoing deployments
  right-censored at :data:`AS_OF` and month-precision spans as intervals (:func:`fit_durations`).  The model has no
  duration parameter (a duration emerges from the period, the extensions and the field hazards), so
  these fits are not written into the scenario; they describe the record the report compares with.

Data groups
-----------
The record is grouped by operation type and the model's contingent kind (:func:`model_kind`); a
scenario deployment takes the fits of the group of its largest contingent (:func:`scenario_targets`).
The two procedure lags (decision to dispatch, extension lead) are pooled over all groups.
Plan periods and extension lengths come from the group, or, when the group has none, from its
operation type pooled over kinds (a plan is decided for the operation as a whole).  Extension
probabilities come from the group, else its operation type, else its kind pooled over operation
types, whichever first has a deployment that ended.  Every fit says which sample it rests on.

Small samples
-------------
Some groups have one to five observations.  Nothing is hidden: every :class:`Fit` records its n,
how many were censored or approximate (month-precision dates taken as the 1st, values the sources
mark with ``?``) and a goodness-of-fit statistic, and the report lists the caveats.

Modules
-------
* :mod:`sim.studies.calibration.observed`: the observation tables read from the real record.
* :mod:`sim.studies.calibration.fits`: the ``scipy.stats`` fits of those observations.
* :mod:`sim.studies.calibration.calibrated_file`: the scenario's targets, :class:`Calibration`, :func:`calibrate`
  and the calibrated file (:func:`render`, :func:`write_calibrated`).
* :mod:`sim.studies.calibration.report`: the calibrated model simulated against the record (:func:`write_report`).
* :mod:`sim.studies.calibration.band`: the forecast band, each real contingent against the 5-95% band of
  the deployments (listed, or arrivals drawn as a real mission of its group) that represent it
  (:func:`forecast_band`; :func:`band_table` and :func:`drawn_arrivals` in the report).

Their public names are re-exported here, so ``from sim.studies import calibration; calibration.calibrate(...)``
reads as it always has.
"""

from sim.studies.calibration.band import ARRIVAL_COLUMNS, BAND, forecast_band, representing, why_outside
from sim.studies.calibration.calibrated_file import (
    FIRST_PERIOD_ONLY,
    Calibration,
    Target,
    calibrate,
    ending_rate,
    render,
    scenario_targets,
    write_calibrated,
)
from sim.studies.calibration.fits import (
    DURATION_FAMILIES,
    MIN_FIT,
    MIN_LOGNORMAL,
    MIN_SIGMA,
    TAIL,
    Fit,
    Fits,
    extension_counts,
    extension_probability,
    first_period,
    first_period_only,
    fit_all,
    fit_durations,
    fit_interval,
    fit_lag,
    fit_lead,
    fit_length,
    fit_request,
    fit_withdrawal,
    interval_data,
    plan_fits,
)
from sim.studies.calibration.observed import (
    AS_OF,
    INDIVIDUAL_KINDS,
    PLAN_EVENTS_WITH_PERIOD,
    Group,
    Observations,
    duration_observations,
    extension_observations,
    group_label,
    handovers,
    interval_days,
    lag_observations,
    model_kind,
    observations,
    plan_period_observations,
    recorded_extensions,
    request_observations,
    withdrawal_observations,
)
from sim.studies.calibration.report import (
    CAVEATS,
    Comparison,
    band_summary,
    band_table,
    calibrated_scenario,
    comparisons,
    drawn_arrivals,
    qq_figure,
    read_band,
    write_report,
)

__all__ = [
    "ARRIVAL_COLUMNS",
    "AS_OF",
    "BAND",
    "CAVEATS",
    "DURATION_FAMILIES",
    "FIRST_PERIOD_ONLY",
    "INDIVIDUAL_KINDS",
    "MIN_FIT",
    "MIN_LOGNORMAL",
    "MIN_SIGMA",
    "PLAN_EVENTS_WITH_PERIOD",
    "TAIL",
    "Calibration",
    "Comparison",
    "Fit",
    "Fits",
    "Group",
    "Observations",
    "Target",
    "band_summary",
    "band_table",
    "calibrate",
    "calibrated_scenario",
    "comparisons",
    "drawn_arrivals",
    "duration_observations",
    "ending_rate",
    "extension_counts",
    "extension_observations",
    "extension_probability",
    "first_period",
    "first_period_only",
    "fit_all",
    "fit_durations",
    "fit_interval",
    "fit_lag",
    "fit_lead",
    "fit_length",
    "fit_request",
    "fit_withdrawal",
    "forecast_band",
    "group_label",
    "handovers",
    "interval_data",
    "interval_days",
    "lag_observations",
    "model_kind",
    "observations",
    "plan_fits",
    "plan_period_observations",
    "qq_figure",
    "read_band",
    "recorded_extensions",
    "render",
    "representing",
    "request_observations",
    "scenario_targets",
    "why_outside",
    "withdrawal_observations",
    "write_calibrated",
    "write_report",
]
