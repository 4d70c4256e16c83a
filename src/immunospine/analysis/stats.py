"""Small statistical building blocks: OLS with AR(1) errors or Newey–West (HAC) errors, trends,
the Benjamini–Hochberg false-discovery rate.

Everything here works on plain numpy arrays; the analyses assemble designs and read the fits.
"""

from __future__ import annotations

import math
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "TREND_KNOT_DAYS",
    "Coefficient",
    "bh_q_values",
    "hac_lags",
    "ols_ar1",
    "ols_hac",
    "one_blas_thread",
    "trend_columns",
]

Array = NDArray[np.float64]

AR1_ITERATIONS = 1
TREND_KNOT_DAYS = 90
"""The slow trend is piecewise linear with a knot every 90 days: it absorbs drifts over
months (a new treatment, the seasons) so that what remains is day-to-day movement."""


def one_blas_thread() -> AbstractContextManager[object]:
    """Run the linear algebra on one thread: these matrices are small (hundreds of rows, tens
    of columns) and a multi-threaded BLAS spends more time starting and waiting for threads
    than computing (on the 2-core benchmark machine 6× slower for one patient)."""
    import scipy.linalg  # noqa: F401 - load every BLAS first: the limit applies to loaded ones
    import statsmodels.api  # noqa: F401

    try:
        from threadpoolctl import threadpool_limits  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover - installed with semopy
        return nullcontext()
    limits: AbstractContextManager[object] = threadpool_limits(limits=1, user_api="blas")
    return limits


@dataclass(frozen=True, slots=True)
class Coefficient:
    """One estimate with its 95 % confidence interval and two-sided p value."""

    estimate: float
    ci_low: float
    ci_high: float
    p_value: float
    se: float


def hac_lags(n: int) -> int:
    """Newey–West bandwidth ``floor(4·(n/100)^(2/9))`` (the usual rule of thumb), at least 1."""
    return max(1, int(4 * (n / 100) ** (2 / 9)))


def trend_columns(t: Array, span: float) -> Array:
    """A linear trend plus a hinge every ``TREND_KNOT_DAYS`` days (t in days from the start);
    ``span`` is the length of the series, hinges in the last 45 days are left out."""
    columns = [t / 365.0]
    knot = float(TREND_KNOT_DAYS)
    while knot < span - TREND_KNOT_DAYS / 2:
        columns.append(np.maximum(0.0, t - knot) / 365.0)
        knot += TREND_KNOT_DAYS
    return np.column_stack(columns)


def ols_hac(
    y: Array, x: Array, *, lags: int | None = None, robust: bool = True
) -> list[Coefficient] | None:
    """OLS of ``y`` on ``x`` (which must hold its own intercept) with Newey–West errors and
    Student-t intervals; ``None`` when ``x`` is not of full column rank or has no residual
    degrees of freedom."""
    import statsmodels.api as sm
    from scipy import stats

    n, k = x.shape
    if n <= k + 1 or np.linalg.matrix_rank(x) < k:
        return None
    maxlags = hac_lags(n) if lags is None else lags
    if robust:
        fit = sm.OLS(y, x).fit(
            cov_type="HAC", cov_kwds={"maxlags": maxlags, "use_correction": True}, use_t=True
        )
    else:
        fit = sm.OLS(y, x).fit()
    se = np.asarray(fit.bse, dtype=float)
    params = np.asarray(fit.params, dtype=float)
    df = n - k
    crit = float(stats.t.ppf(0.975, df))
    out = []
    for b, s in zip(params, se, strict=True):
        if not math.isfinite(s) or s <= 0:
            out.append(Coefficient(float(b), math.nan, math.nan, math.nan, math.nan))
            continue
        tval = b / s
        p = float(2 * stats.t.sf(abs(tval), df))
        out.append(Coefficient(float(b), float(b - crit * s), float(b + crit * s), p, float(s)))
    return out


def bh_q_values(p_values: list[float]) -> list[float]:
    """Benjamini–Hochberg q values (NaN p values stay NaN and are not counted)."""
    idx = [i for i, p in enumerate(p_values) if not math.isnan(p)]
    q = [math.nan] * len(p_values)
    if not idx:
        return q
    from statsmodels.stats.multitest import multipletests

    _, adjusted, _, _ = multipletests([p_values[i] for i in idx], method="fdr_bh")
    for i, value in zip(idx, adjusted, strict=True):
        q[i] = float(value)
    return q


def ols_ar1(
    y: Array, x: Array, day: Array, *, robust: bool = False
) -> tuple[list[Coefficient], int, float] | None:
    """Regression with AR(1) errors by calendar day (an AR error model).

    Two-step Cochrane–Orcutt: OLS, ``φ`` from the residuals of consecutive calendar days (``day``
    in days; pairs across a gap are not used), then OLS of ``y_t − φ·y_{t−1}`` on
    ``x_t − φ·x_{t−1}`` over the rows whose previous calendar day is in the data, with the
    model's own standard errors (``robust=True``: Newey–West errors on the transformed data
    instead; in the validation those were too narrow, 93.6 % coverage against 95.1 %).
    Returns the coefficients (of ``x``'s columns), the rows used and ``φ``; ``None`` when the
    design is rank-deficient or too short.
    """
    first = ols_hac(y, x, robust=False)
    if first is None:
        return None
    consecutive = np.flatnonzero(np.diff(day) == 1) + 1  # rows whose previous day is present
    if len(consecutive) <= x.shape[1] + 2:
        return None
    prev = consecutive - 1
    beta = np.array([c.estimate for c in first])
    phi = 0.0
    coefs: list[Coefficient] | None = None
    for _ in range(AR1_ITERATIONS):
        resid = y - x @ beta
        den = float(resid[prev] @ resid[prev])
        new_phi = float(resid[consecutive] @ resid[prev]) / den if den > 0 else 0.0
        new_phi = min(0.95, max(-0.95, new_phi))
        converged = coefs is not None and abs(new_phi - phi) < 1e-4
        phi = new_phi
        if converged:
            break
        coefs = ols_hac(
            y[consecutive] - phi * y[prev], x[consecutive] - phi * x[prev], robust=robust
        )
        if coefs is None:
            return None
        beta = np.array([c.estimate for c in coefs])
    if coefs is None:  # pragma: no cover - the loop runs at least once
        return None
    return coefs, len(consecutive), phi
