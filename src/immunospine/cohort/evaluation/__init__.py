"""Worklist evaluation: a screen's worklist scored against a known truth (AUC, PPV, calibration).

Apart from the screening engine (``immunospine.cohort``'s ``plan``, ``features``, ``scoring``,
``runner``, ``backends``): it reads files the engine wrote and ``truth.parquet`` from the synthetic
generator (``cohort.synthetic``), and imports neither.

- ``worklist``: ``evaluate`` (Arrow tables in, an ``Evaluation`` out) and ``read_table``;
- ``metrics``: AUC, confusion counts and calibration bins over arrays;
- ``anchors``: published accuracy of real EHR/claims case-finding, shown beside the figures.
"""

from immunospine.cohort.evaluation.anchors import ANCHORS, Anchor
from immunospine.cohort.evaluation.metrics import (
    CalibrationBin,
    ThresholdMetrics,
    auc,
    calibration_table,
    confusion,
)
from immunospine.cohort.evaluation.worklist import (
    DEFAULT_FLAG_CATEGORIES,
    DEFAULT_TOP_K,
    DISCLAIMER,
    FLAG_CATEGORIES,
    TRUTH_COLUMNS,
    WORKLIST_COLUMNS,
    Evaluation,
    evaluate,
    read_table,
)

__all__ = [
    "ANCHORS",
    "DEFAULT_FLAG_CATEGORIES",
    "DEFAULT_TOP_K",
    "DISCLAIMER",
    "FLAG_CATEGORIES",
    "TRUTH_COLUMNS",
    "WORKLIST_COLUMNS",
    "Anchor",
    "CalibrationBin",
    "Evaluation",
    "ThresholdMetrics",
    "auc",
    "calibration_table",
    "confusion",
    "evaluate",
    "read_table",
]
