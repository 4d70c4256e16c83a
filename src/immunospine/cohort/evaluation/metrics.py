"""The accuracy measures of a worklist evaluation: AUC, confusion counts, calibration bins.

Pure functions over NumPy arrays (one entry per person); no files, no text.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = [
    "CalibrationBin",
    "ThresholdMetrics",
    "auc",
    "brier",
    "calibration_intercept_slope",
    "calibration_table",
    "confusion",
    "expected_calibration_error",
    "ratio",
]

#: Bins of the expected calibration error and the reliability table: 10 equal-width bins of the
#: probability (0-0.1, …, 0.9-1.0), each weighted by its share of persons.
ECE_BINS = 10


@dataclass(frozen=True, slots=True)
class ThresholdMetrics:
    """Confusion counts when one rule flags persons: ``categories`` (flagged = the worklist category
    is one of them) or ``top_k`` (the first ``top_k`` listed persons by rank); the other is empty.

    ``flagged`` can be below ``top_k`` when the worklist is shorter. Ratios are None when their
    denominator is 0.
    """

    categories: tuple[str, ...]
    top_k: int | None
    flagged: int
    tp: int
    fp: int
    fn: int
    tn: int
    sensitivity: float | None
    specificity: float | None
    ppv: float | None
    npv: float | None


@dataclass(frozen=True, slots=True)
class CalibrationBin:
    """Listed persons whose probability lies in [lower, upper): predicted vs observed axSpA rate."""

    lower: float
    upper: float
    count: int
    positives: int
    mean_predicted: float | None
    observed_rate: float | None


def ratio(a: int, b: int) -> float | None:
    """``a / b``, or None when ``b`` is 0."""
    return a / b if b else None


def auc(scores: npt.ArrayLike, labels: npt.ArrayLike) -> float | None:
    """Exact rank-based (Mann-Whitney) AUC with mid-ranks for ties; None without both classes."""
    s = np.asarray(scores, dtype=np.float64)
    y = np.asarray(labels, dtype=bool)
    pos = int(y.sum())
    neg = y.size - pos
    if pos == 0 or neg == 0:
        return None
    _, inverse, counts = np.unique(s, return_inverse=True, return_counts=True)
    upper = np.cumsum(counts)
    midrank = upper - (counts - 1) / 2.0
    rank_sum = float(midrank[inverse][y].sum())
    return (rank_sum - pos * (pos + 1) / 2.0) / (pos * neg)


def confusion(
    flagged: npt.ArrayLike,
    labels: npt.ArrayLike,
    *,
    categories: tuple[str, ...] = (),
    top_k: int | None = None,
) -> ThresholdMetrics:
    """Counts and ratios of ``flagged`` against the true ``labels`` (both one entry per person)."""
    f = np.asarray(flagged, dtype=bool)
    y = np.asarray(labels, dtype=bool)
    tp = int((f & y).sum())
    fp = int((f & ~y).sum())
    fn = int((~f & y).sum())
    tn = int((~f & ~y).sum())
    return ThresholdMetrics(
        categories,
        top_k,
        tp + fp,
        tp,
        fp,
        fn,
        tn,
        ratio(tp, tp + fn),
        ratio(tn, tn + fp),
        ratio(tp, tp + fp),
        ratio(tn, tn + fn),
    )


def calibration_table(
    probability: npt.ArrayLike, labels: npt.ArrayLike, bins: int = 10
) -> tuple[CalibrationBin, ...]:
    """Equal-width probability bins (deciles by default): count, mean predicted, observed rate."""
    p = np.asarray(probability, dtype=np.float64)
    y = np.asarray(labels, dtype=bool)
    b = np.minimum((p * bins).astype(np.int64), bins - 1)
    count = np.bincount(b, minlength=bins)
    positives = np.bincount(b, weights=y.astype(np.float64), minlength=bins)
    psum = np.bincount(b, weights=p, minlength=bins)
    out = []
    for i in range(bins):
        n = int(count[i])
        out.append(
            CalibrationBin(
                i / bins,
                (i + 1) / bins,
                n,
                int(positives[i]),
                float(psum[i] / n) if n else None,
                float(positives[i] / n) if n else None,
            )
        )
    return tuple(out)


def expected_calibration_error(
    probability: npt.ArrayLike, labels: npt.ArrayLike, bins: int = ECE_BINS
) -> float | None:
    """Σ over equal-width bins of (persons in bin / persons) × |mean predicted − observed rate|.

    Weighted by persons, so it mostly reflects where most persons are: a constant prediction at
    the right base rate scores well; read it beside the slope, the Brier score and the AUC.
    """
    table = calibration_table(probability, labels, bins)
    n = sum(b.count for b in table)
    if n == 0:
        return None
    return float(
        sum(
            b.count / n * abs(b.mean_predicted - b.observed_rate)
            for b in table
            if b.count and b.mean_predicted is not None and b.observed_rate is not None
        )
    )


def brier(probability: npt.ArrayLike, labels: npt.ArrayLike) -> float | None:
    """Mean squared difference between probability and outcome (0 best); None without persons."""
    p = np.asarray(probability, dtype=np.float64)
    y = np.asarray(labels, dtype=np.float64)
    return float(np.mean((p - y) ** 2)) if p.size else None


def _logistic(
    x: npt.NDArray[np.float64], y: npt.NDArray[np.float64], offset: npt.NDArray[np.float64],
    fit_slope: bool,
) -> tuple[float, float]:  # fmt: skip
    a, b = 0.0, 1.0
    for _ in range(100):
        eta = np.clip(a + b * x + offset, -35, 35)
        p = 1 / (1 + np.exp(-eta))
        w = p * (1 - p) + 1e-12
        if fit_slope:
            g = np.array([np.sum(y - p), np.sum((y - p) * x)])
            h = np.array([[w.sum(), (w * x).sum()], [(w * x).sum(), (w * x * x).sum()]])
            step = np.linalg.solve(h + 1e-9 * np.eye(2), g)
        else:
            step = np.array([np.sum(y - p) / w.sum(), 0.0])
        a, b = a + float(step[0]), b + float(step[1])
        if float(np.abs(step).max()) < 1e-9:
            break
    return a, b


def calibration_intercept_slope(
    probability: npt.ArrayLike, labels: npt.ArrayLike
) -> tuple[float | None, float | None]:
    """Calibration intercept and slope (logistic recalibration; ideal 0 and 1).

    Slope: ``b`` of ``logit P(y) = a + b·logit(p)``. Intercept (calibration-in-the-large):
    ``a`` of ``logit P(y) = a + logit(p)`` (slope fixed at 1). Probabilities are clipped to
    [1e-9, 1 − 1e-9]. None without both outcomes.
    """
    p = np.clip(np.asarray(probability, dtype=np.float64), 1e-9, 1 - 1e-9)
    y = np.asarray(labels, dtype=np.float64)
    if p.size == 0 or y.min() == y.max():
        return None, None
    lp = np.log(p / (1 - p))
    intercept, _ = _logistic(np.zeros_like(lp), y, lp, fit_slope=False)
    _, slope = _logistic(lp, y, np.zeros_like(lp), fit_slope=True)
    return intercept, slope
