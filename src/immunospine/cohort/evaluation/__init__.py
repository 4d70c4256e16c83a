"""Worklist evaluation: a screen's worklist scored against a known truth (AUC, PPV, calibration).

Apart from the screening engine (``immunospine.cohort``'s ``plan``, ``features``, ``scoring``,
``runner``, ``backends``): it reads files the engine wrote and ``truth.parquet`` from the synthetic
generator (``cohort.synthetic``), and imports neither.

- ``worklist``: ``evaluate`` (Arrow tables in, an ``Evaluation`` out) and ``read_table``;
- ``metrics``: AUC, confusion counts, calibration bins, expected calibration error, calibration
  intercept and slope, Brier score over arrays;
- ``anchors``: published accuracy of real EHR/claims case-finding, shown beside the figures.
"""

from immunospine.cohort.evaluation.anchors import ANCHORS, Anchor
from immunospine.cohort.evaluation.metrics import (
    CalibrationBin,
    ThresholdMetrics,
    auc,
    brier,
    calibration_intercept_slope,
    calibration_table,
    confusion,
    expected_calibration_error,
)
from immunospine.cohort.evaluation.worklist import (
    DEFAULT_FLAG_CATEGORIES,
    DEFAULT_TOP_K,
    DISCLAIMER,
    FLAG_CATEGORIES,
    PROBABILITY_COLUMNS,
    TRUTH_COLUMNS,
    WORKLIST_COLUMNS,
    Evaluation,
    ProbabilityMetrics,
    evaluate,
    read_table,
)

__all__ = [
    "ANCHORS",
    "DEFAULT_FLAG_CATEGORIES",
    "DEFAULT_TOP_K",
    "DISCLAIMER",
    "FLAG_CATEGORIES",
    "PROBABILITY_COLUMNS",
    "TRUTH_COLUMNS",
    "WORKLIST_COLUMNS",
    "Anchor",
    "CalibrationBin",
    "Evaluation",
    "ProbabilityMetrics",
    "ThresholdMetrics",
    "auc",
    "brier",
    "calibration_intercept_slope",
    "calibration_table",
    "confusion",
    "evaluate",
    "expected_calibration_error",
    "read_table",
]
