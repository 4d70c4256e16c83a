"""One person: what moved with the pain, lag by lag, with honest uncertainty.

**Lagged associations.** For each outcome (``pain_nrs``, ``morning_stiffness_min``,
``fatigue_nrs``) one distributed-lag regression over the calendar days::

    outcome_t = a + Σ_factor Σ_{l=0..L} b_{factor,l} · factor_{t−l} + trend(t) + e_t

with the diary factors that pass the minimum-data rules together (each estimate is adjusted
for the others and their lags), ``trend`` piecewise linear with a knot every 90 days
(``stats.TREND_KNOT_DAYS``), and errors ``e_t`` that may be autocorrelated: an AR(1) error
model by calendar day (two-step Cochrane–Orcutt, ``stats.ols_ar1``). Newey–West errors alone
gave intervals that were too narrow in the validation (docs/analysis-validation.md). Days
with a missing value in any column the model needs are left out; lags are by calendar day,
never by row.

CRP is measured only at visits: each result stands for its week (``series.CRP_CARRY_DAYS``), so
its model has one point per result — the outcome's mean over that week — regressed on the CRP
value and a linear trend (``lag_days`` 0, ``n`` = the results used).
``b_{factor,l}`` is reported in the outcome's units per unit of the factor (per 10 minutes for
exercise and stress reduction), with a 95 % CI (Student t), a p value and a Benjamini–Hochberg
q value across every association tested for this person.

**Minimum data** (``MIN_DAYS``, ``MIN_VARYING_DAYS``, ``MIN_LAB_RESULTS``): an outcome needs
``MIN_DAYS`` days with a value; a factor needs ``MIN_DAYS`` days where it and the outcome are both
known, its value must differ from its most common value on at least ``MIN_VARYING_DAYS`` of
them, and CRP needs ``MIN_LAB_RESULTS`` results in the period. Otherwise the output says "not
enough data" with the reason, never a number.

**Discordance, treatment changes** are in ``analysis.discordance`` and ``analysis.changes``.

Everything is an association in the person's own records, and every statement says so.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import pandas as pd

from immunospine.analysis.changes import treatment_changes
from immunospine.analysis.discordance import discordance
from immunospine.analysis.series import FACTORS, OUTCOMES, SCALE, PatientData
from immunospine.analysis.stats import bh_q_values, ols_ar1, one_blas_thread, trend_columns

__all__ = [
    "ASSOCIATION_NOTE",
    "DEFAULT_MAX_LAG",
    "MAX_LAG_LIMIT",
    "MIN_DAYS",
    "MIN_LAB_RESULTS",
    "MIN_VARYING_DAYS",
    "analyze_person",
    "lagged_associations",
]

DEFAULT_MAX_LAG = 3
MAX_LAG_LIMIT = 14
MIN_DAYS = 28
"""Days with both the outcome and the factor (and its lags) known, at the least."""
MIN_VARYING_DAYS = 7
"""Days on which the factor differs from its most common value, at the least."""
MIN_LAB_RESULTS = 6
"""CRP results in the period, at the least, before CRP is used as a daily factor."""
SIGNIFICANCE_Q = 0.05
"""Associations with q below this are put into words."""

ASSOCIATION_NOTE = (
    "These are associations in your own records, not proof that one thing causes another: "
    "something else may move both."
)

DIARY_FACTORS = tuple(f for f in FACTORS if f != "crp_mg_l")


@dataclass(frozen=True, slots=True)
class _Fit:
    outcome: str
    factor: str
    lag: int
    estimate: float
    ci_low: float
    ci_high: float
    p_value: float
    n: int


def analyze_person(
    data: PatientData, *, max_lag: int = DEFAULT_MAX_LAG, since: date | None = None
) -> dict[str, Any]:
    """The whole single-person analysis as JSON-ready values (names: see issue 11)."""
    with one_blas_thread():
        associations, missing = lagged_associations(data, max_lag=max_lag)
        disc = discordance(data)
        changes = treatment_changes(data)
    return {
        "patient_id": data.patient_id,
        "since": since.isoformat() if since else None,
        "first_day": data.daily.index[0].date().isoformat() if len(data.daily) else None,
        "last_day": data.daily.index[-1].date().isoformat() if len(data.daily) else None,
        "n_days": data.n_days,
        "max_lag": max_lag,
        "associations": associations,
        "discordance": disc,
        "treatment_changes": changes,
        "not_enough_data": missing,
        "statements": statements(associations, disc, changes),
        "method": METHOD,
        "note": ASSOCIATION_NOTE,
    }


METHOD = {
    "associations": "distributed-lag regression per outcome (diary factors jointly), "
    "piecewise-linear trend with a knot every 90 days, AR(1) errors by calendar day "
    "(two-step Cochrane–Orcutt), 95 % Student-t intervals, "
    "Benjamini–Hochberg q over all tests",
    "crp": "one point per CRP result: the outcome's mean over the week it stands for, OLS on "
    "CRP and a linear trend",
    "crp_between_visits": "a CRP result stands for its collection day and the 6 days after; "
    "otherwise missing (no interpolation); ASDAS/DAS28 are not carried",
    "exercise_units": "exercise_min and stress_reduction_min: estimates per 10 minutes",
    "minimum_data": f"{MIN_DAYS} days with outcome and factor, the factor varying on "
    f"{MIN_VARYING_DAYS} days, CRP: {MIN_LAB_RESULTS} results",
}


def lagged_associations(
    data: PatientData, *, max_lag: int = DEFAULT_MAX_LAG
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The lagged associations (with q values) and the not-enough-data list."""
    daily = data.daily
    fits: list[_Fit] = []
    missing: list[dict[str, Any]] = []
    if daily.empty or data.n_days == 0:
        missing.append(_missing(None, None, "no diary entries in the period"))
        return [], missing
    for outcome in OUTCOMES:
        y = daily[outcome].to_numpy(dtype=float)
        n_y = int(np.isfinite(y).sum())
        if n_y < MIN_DAYS:
            missing.append(
                _missing(outcome, None, f"{n_y} day(s) with {outcome}; at least {MIN_DAYS} needed")
            )
            continue
        eligible = []
        for factor in DIARY_FACTORS:
            reason = _factor_problem(daily, outcome, factor, max_lag)
            if reason:
                missing.append(_missing(outcome, factor, reason))
            else:
                eligible.append(factor)
        fits.extend(_fit_model(daily, outcome, eligible, max_lag, missing))
        crp_fit = _crp_fit(data, outcome)
        if isinstance(crp_fit, str):
            missing.append(_missing(outcome, "crp_mg_l", crp_fit))
        else:
            fits.append(crp_fit)
    q = bh_q_values([f.p_value for f in fits])
    rows = [
        {
            "outcome": f.outcome,
            "factor": f.factor,
            "lag_days": f.lag,
            "estimate": f.estimate,
            "ci_low": f.ci_low,
            "ci_high": f.ci_high,
            "p_value": f.p_value,
            "q_value": qv,
            "n": f.n,
            "per": f"per {_per(f.factor)}",
        }
        for f, qv in zip(fits, q, strict=True)
    ]
    return rows, missing


def _per(factor: str) -> str:
    from immunospine.analysis.series import UNITS

    return UNITS[factor]


def _missing(outcome: str | None, factor: str | None, reason: str) -> dict[str, Any]:
    return {"outcome": outcome, "factor": factor, "reason": f"not enough data: {reason}"}


def _crp_fit(data: PatientData, outcome: str) -> _Fit | str:
    """CRP against the outcome over the week each result stands for (see ``METHOD``): one point
    per CRP result, the outcome's mean over its 7 carried days (at least 3 with a value),
    OLS with a linear trend; the results are weeks apart, so their errors are taken as
    independent. The reason as text when there is not enough data."""
    from scipy import stats

    from immunospine.analysis.series import CRP_CARRY_DAYS

    daily, visits = data.daily, data.visits
    first, last = daily.index[0], daily.index[-1]
    series = daily[outcome]
    points = []
    for day, (_, row) in zip(pd.DatetimeIndex(visits.index), visits.iterrows(), strict=True):
        value = row["crp_mg_l"]
        if not math.isfinite(value) or day < first or day > last:
            continue
        week = series[
            (series.index >= day) & (series.index < day + pd.Timedelta(days=CRP_CARRY_DAYS))
        ]
        week = week.dropna()
        if len(week) >= 3:
            points.append((float(value), float(week.mean()), float((day - first).days)))
    if len(points) < MIN_LAB_RESULTS:
        return (
            f"{len(points)} CRP result(s) with {outcome} recorded in the week after; at least "
            f"{MIN_LAB_RESULTS} needed"
        )
    arr = np.array(points)
    x = np.column_stack([np.ones(len(arr)), arr[:, 0], arr[:, 2] / 365.0])
    y = arr[:, 1]
    if np.linalg.matrix_rank(x) < 3 or len(np.unique(arr[:, 0])) < 3:
        return "CRP hardly varies between results"
    beta, *_ = np.linalg.lstsq(x, y, rcond=None)
    resid = y - x @ beta
    df = len(y) - 3
    cov = float(resid @ resid) / df * np.linalg.inv(x.T @ x)
    se = math.sqrt(cov[1, 1])
    if se <= 0:
        return "CRP explains the outcome exactly: nothing to estimate an error from"
    crit = float(stats.t.ppf(0.975, df))
    b = float(beta[1])
    p = float(2 * stats.t.sf(abs(b / se), df))
    return _Fit(outcome, "crp_mg_l", 0, b, b - crit * se, b + crit * se, p, len(points))


def _factor_problem(daily: pd.DataFrame, outcome: str, factor: str, max_lag: int) -> str | None:
    y = daily[outcome].to_numpy(dtype=float)
    x = daily[factor].to_numpy(dtype=float)
    both = np.isfinite(y) & np.isfinite(x)
    for lag in range(1, max_lag + 1):
        shifted = np.full_like(x, np.nan)
        shifted[lag:] = x[:-lag]
        both &= np.isfinite(shifted)
    n = int(both.sum())
    if n < MIN_DAYS:
        return (
            f"{n} day(s) with {outcome} and {factor} over lags 0–{max_lag}; "
            f"at least {MIN_DAYS} needed"
        )
    values = x[both]
    uniques, counts = np.unique(values, return_counts=True)
    varying = n - int(counts.max())
    if len(uniques) < 2 or varying < MIN_VARYING_DAYS:
        return (
            f"{factor} hardly varies ({varying} day(s) differ from its usual value "
            f"{float(uniques[counts.argmax()]):g}; at least {MIN_VARYING_DAYS} needed)"
        )
    return None


def _fit_model(
    daily: pd.DataFrame,
    outcome: str,
    factors: list[str],
    max_lag: int,
    missing: list[dict[str, Any]],
) -> list[_Fit]:
    if not factors:
        return []
    n_all = len(daily)
    t = np.arange(n_all, dtype=float)
    y = daily[outcome].to_numpy(dtype=float)
    columns: list[np.ndarray] = []
    names: list[tuple[str, int]] = []
    for factor in factors:
        x = daily[factor].to_numpy(dtype=float) / SCALE.get(factor, 1.0)
        for lag in range(max_lag + 1):
            shifted = np.full(n_all, np.nan)
            shifted[lag:] = x[: n_all - lag] if lag else x
            columns.append(shifted)
            names.append((factor, lag))
    design = np.column_stack(columns)
    keep = np.isfinite(y) & np.isfinite(design).all(axis=1)
    n = int(keep.sum())
    if n < MIN_DAYS + len(names):
        for factor in factors:
            missing.append(
                _missing(
                    outcome,
                    factor,
                    f"{n} day(s) where every factor of the model is known; at least "
                    f"{MIN_DAYS + len(names)} needed",
                )
            )
        return []
    tk = t[keep]
    x = np.column_stack(
        [np.ones(n), design[keep], trend_columns(tk - tk[0], float(tk[-1] - tk[0]))]
    )
    fitted = ols_ar1(y[keep], x, tk)
    if fitted is None:
        # collinear factors: fall back to one model per factor
        if len(factors) > 1:
            out: list[_Fit] = []
            for factor in factors:
                out.extend(_fit_model(daily, outcome, [factor], max_lag, missing))
            return out
        missing.append(_missing(outcome, factors[0], "the factor moves with the trend only"))
        return []
    coefs, used, _phi = fitted
    return [
        _Fit(outcome, f, lag, c.estimate, c.ci_low, c.ci_high, c.p_value, used)
        for (f, lag), c in zip(names, coefs[1 : 1 + len(names)], strict=True)
        if math.isfinite(c.p_value)
    ]


# --- words ---------------------------------------------------------------------------------

_CONDITION = {
    "stress_nrs": "your stress was 1 point higher",
    "sleep_hours": "you had slept 1 hour longer",
    "sleep_quality_nrs": "your sleep quality was 1 point better",
    "exercise_min": "you had exercised 10 minutes more",
    "stress_reduction_min": "you had spent 10 minutes more on stress reduction",
    "crp_mg_l": "your CRP was 1 mg/L higher",
}
_OUTCOME = {
    "pain_nrs": ("your pain", "points"),
    "morning_stiffness_min": ("your morning stiffness", "minutes"),
    "fatigue_nrs": ("your fatigue", "points"),
}


def _when(factor: str, lag: int) -> str:
    condition = _CONDITION[factor]
    if lag == 0:
        return f"On days when {condition}"
    if lag == 1:
        return f"On the day after {condition}"
    return f"{lag} days after {condition}"


def association_sentence(row: dict[str, Any]) -> str:
    """One association in plain words, e.g. "On the day after you had slept 1 hour longer,
    your pain was on average 0.3 points lower (95 % CI 0.1 to 0.5 lower)"."""
    what, unit = _OUTCOME[row["outcome"]]
    est, lo, hi = row["estimate"], row["ci_low"], row["ci_high"]
    direction = "higher" if est > 0 else "lower"
    if est > 0:
        a, b = lo, hi
    else:
        a, b = -hi, -lo
    return (
        f"{_when(row['factor'], row['lag_days'])}, {what} was on average {abs(est):.1f} {unit} "
        f"{direction} (95 % CI {a:.1f} to {b:.1f} {direction})."
    )


def statements(
    associations: list[dict[str, Any]],
    disc: dict[str, Any],
    changes: list[dict[str, Any]],
) -> list[str]:
    """Plain-language sentences for the patient: the clear associations (q < 0.05), the
    discordance finding and the treatment changes; always ending with the association note."""
    out: list[str] = []
    found = sorted(
        (a for a in associations if a["q_value"] < SIGNIFICANCE_Q),
        key=lambda a: a["q_value"],
    )
    for row in found:
        out.append(association_sentence(row))
    if associations and not found:
        out.append(
            "None of the factors moved clearly with your symptoms in this period "
            "(no association passed the false-discovery check)."
        )
    for key in ("pain_high_inflammation_low", "inflammation_high_pain_low"):
        item = disc.get(key) or {}
        if item.get("flagged"):
            out.append(str(item["text"]))
    for change in changes:
        text = change.get("text")
        if text:
            out.append(str(text))
    out.append(ASSOCIATION_NOTE)
    return out
