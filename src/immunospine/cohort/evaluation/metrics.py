"""The accuracy measures of a worklist evaluation: AUC, confusion counts, calibration bins.

Pure functions over NumPy arrays (one entry per person); no files, no text.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = ["CalibrationBin", "ThresholdMetrics", "auc", "calibration_table", "confusion", "ratio"]


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
