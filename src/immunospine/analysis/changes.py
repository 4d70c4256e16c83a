"""Treatment changes as interrupted time series (segmented regression), before versus after.

For every event of ``PatientData.events`` (a medication start, stop or switch, the first day of
a physiotherapy block):

- **daily pain** (``pain_nrs``) in a window of up to ``WINDOW_DAYS`` days each side, cut short at
  the neighbouring events so that one segment holds one change::

      pain_t = a + b·t + c·after_t + d·(t − t0)·after_t + e_t

  ``c`` is the change in level at the event, ``d`` the change in slope (reported per 30 days);
  AR(1) errors by calendar day as for the lagged associations. Needs ``MIN_DAYS_EACH_SIDE``
  diary days on each side.
- **visit scores** (``asdas``, ``basdai``) within ``SCORE_WINDOW_DAYS`` each side:
  ``score = a + b·t + c·after`` by ordinary least squares (few points: no autocorrelation
  model), at least ``MIN_VISITS_EACH_SIDE`` visits on each side.

Other things change around a treatment (the reason it was changed, regression to the mean after
a flare): a change in level is an association in time, not the treatment's effect.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from immunospine.analysis.series import PatientData, TreatmentEvent
from immunospine.analysis.stats import ols_ar1

__all__ = ["MIN_DAYS_EACH_SIDE", "MIN_VISITS_EACH_SIDE", "WINDOW_DAYS", "treatment_changes"]

WINDOW_DAYS = 90
SCORE_WINDOW_DAYS = 365
MIN_DAYS_EACH_SIDE = 21
MIN_VISITS_EACH_SIDE = 2

_KIND_WORDS = {
    "start": "starting",
    "stop": "stopping",
    "switch": "switching",
    "physiotherapy_block": "starting a block of",
}


def treatment_changes(data: PatientData) -> list[dict[str, Any]]:
    """One entry per event: ``on``, ``kind``, ``what``, ``results`` (one per outcome: estimates or
    ``not_enough_data``) and ``text`` (a sentence about pain, or ``None``)."""
    out = []
    days = sorted({e.on for e in data.events})
    for event in data.events:
        i = days.index(event.on)
        prev_day = days[i - 1] if i > 0 else None
        next_day = days[i + 1] if i + 1 < len(days) else None
        results = [_pain_its(data, event, prev_day, next_day)]
        for score in ("asdas", "basdai"):
            results.append(_score_its(data, event, score))
        pain = results[0]
        out.append(
            {
                **event.to_dict(),
                "results": results,
                "text": _sentence(event, pain) if "level_change" in pain else None,
            }
        )
    return out


def _window(index: pd.DatetimeIndex, event: TreatmentEvent, prev_day: Any, next_day: Any) -> Any:
    t0 = pd.Timestamp(event.on)
    lo = t0 - pd.Timedelta(days=WINDOW_DAYS)
    hi = t0 + pd.Timedelta(days=WINDOW_DAYS)
    if prev_day is not None:
        lo = max(lo, pd.Timestamp(prev_day))
    if next_day is not None:
        hi = min(hi, pd.Timestamp(next_day) - pd.Timedelta(days=1))
    return (index >= lo) & (index <= hi)


def _pain_its(
    data: PatientData, event: TreatmentEvent, prev_day: Any, next_day: Any
) -> dict[str, Any]:
    base: dict[str, Any] = {"outcome": "pain_nrs"}
    if data.daily.empty:
        return {**base, "not_enough_data": "no diary entries"}
    pain = data.daily["pain_nrs"]
    sel = pain[_window(pd.DatetimeIndex(data.daily.index), event, prev_day, next_day)].dropna()
    t0 = pd.Timestamp(event.on)
    t = ((sel.index - t0).days).to_numpy(dtype=float)
    after = (t >= 0).astype(float)
    n_before, n_after = int((after == 0).sum()), int(after.sum())
    base.update(n_before=n_before, n_after=n_after)
    if min(n_before, n_after) < MIN_DAYS_EACH_SIDE:
        return {
            **base,
            "not_enough_data": f"{n_before} diary day(s) before and {n_after} after; at least "
            f"{MIN_DAYS_EACH_SIDE} needed on each side",
        }
    x = np.column_stack([np.ones(len(t)), t / 30.0, after, t * after / 30.0])
    fitted = ols_ar1(sel.to_numpy(dtype=float), x, t)
    if fitted is None:
        return {**base, "not_enough_data": "the segments cannot be told apart"}
    coefs = fitted[0]
    level, slope = coefs[2], coefs[3]
    return {
        **base,
        "level_change": level.estimate,
        "ci_low": level.ci_low,
        "ci_high": level.ci_high,
        "p_value": level.p_value,
        "slope_change_per_30_days": slope.estimate,
        "slope_ci_low": slope.ci_low,
        "slope_ci_high": slope.ci_high,
        "mean_before": float(sel[after == 0].mean()),
        "mean_after": float(sel[after == 1].mean()),
    }


def _score_its(data: PatientData, event: TreatmentEvent, score: str) -> dict[str, Any]:
    from scipy import stats

    base: dict[str, Any] = {"outcome": score}
    v = data.visits[score].dropna()
    if v.empty:
        return {
            **base,
            "n_before": 0,
            "n_after": 0,
            "not_enough_data": f"no visit with {score} in the period",
        }
    t0 = pd.Timestamp(event.on)
    v = v[
        (v.index >= t0 - pd.Timedelta(days=SCORE_WINDOW_DAYS))
        & (v.index <= t0 + pd.Timedelta(days=SCORE_WINDOW_DAYS))
    ]
    t = (pd.DatetimeIndex(v.index) - t0).days.to_numpy(dtype=float) if len(v) else np.array([])
    after = (t >= 0).astype(float)
    n_before, n_after = int((after == 0).sum()), int(after.sum())
    base.update(n_before=n_before, n_after=n_after)
    if min(n_before, n_after) < MIN_VISITS_EACH_SIDE or len(t) < 4:
        return {
            **base,
            "not_enough_data": f"{n_before} visit(s) with {score} before and {n_after} after; "
            f"at least {MIN_VISITS_EACH_SIDE} needed on each side",
        }
    x = np.column_stack([np.ones(len(t)), t / 365.0, after])
    y = v.to_numpy(dtype=float)
    if np.linalg.matrix_rank(x) < 3:
        return {**base, "not_enough_data": "the visits cannot separate trend and change"}
    beta, *_ = np.linalg.lstsq(x, y, rcond=None)
    resid = y - x @ beta
    df = len(y) - 3
    if df < 1:
        return {**base, "not_enough_data": f"{len(y)} visits leave no degrees of freedom"}
    sigma2 = float(resid @ resid) / df
    cov = sigma2 * np.linalg.inv(x.T @ x)
    se = math.sqrt(cov[2, 2])
    crit = float(stats.t.ppf(0.975, df))
    est = float(beta[2])
    p = float(2 * stats.t.sf(abs(est / se), df)) if se > 0 else math.nan
    return {
        **base,
        "level_change": est,
        "ci_low": est - crit * se,
        "ci_high": est + crit * se,
        "p_value": p,
    }


def _sentence(event: TreatmentEvent, pain: dict[str, Any]) -> str:
    est, lo, hi = pain["level_change"], pain["ci_low"], pain["ci_high"]
    direction = "higher" if est > 0 else "lower"
    a, b = (lo, hi) if est > 0 else (-hi, -lo)
    doing = _KIND_WORDS.get(event.kind, event.kind)
    return (
        f"After {doing} {event.what} on {event.on.isoformat()}, your pain was {abs(est):.1f} "
        f"points {direction} than the weeks before led to expect (95 % CI {a:.1f} to {b:.1f} "
        f"{direction}); other things may have changed at the same time."
    )
