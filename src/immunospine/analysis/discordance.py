"""Discordance: pain and measured inflammation that do not go together, visit by visit.

At every visit with a disease-activity score or a CRP result, the diary pain of the 14 days up to
and including the visit (``WINDOW_DAYS``; at least ``MIN_WINDOW_DAYS`` days with a value) is set
against the inflammation measured that day:

- **inflammation low**: every marker available that day is low — ASDAS < 2.1 (inactive or low
  disease activity), DAS28 < 3.2, CRP at or below the result's reference upper limit;
- **inflammation high**: any marker is high — ASDAS ≥ 2.1, DAS28 ≥ 3.2, CRP above the upper limit;
- **pain high**: the 14-day mean pain ≥ ``PAIN_HIGH`` (5 of 10); **pain low**: < ``PAIN_LOW`` (3).

A pattern is flagged when it is seen at ``MIN_VISITS`` visits or more (two fortnights, weeks
apart). Pain high with inflammation low suggests considering non-inflammatory or centrally
sensitised pain and points to the 2016 ACR fibromyalgia criteria (``fibromyalgia_acr_2016``);
inflammation high with pain low is reported so that silent activity is not missed. The
thresholds are this tool's choice for a screen, not clinical cut-offs; ASDAS itself contains
the patient's back pain, which makes the first pattern rarer and more telling.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from immunospine.analysis.series import PatientData

__all__ = ["FIBROMYALGIA_CRITERIA", "MIN_VISITS", "PAIN_HIGH", "PAIN_LOW", "discordance"]

WINDOW_DAYS = 14
MIN_WINDOW_DAYS = 7
PAIN_HIGH = 5.0
PAIN_LOW = 3.0
ASDAS_LOW_BELOW = 2.1
DAS28_LOW_BELOW = 3.2
MIN_VISITS = 2
FIBROMYALGIA_CRITERIA = "fibromyalgia_acr_2016"


def _state(row: pd.Series) -> str | None:
    marks = []
    if math.isfinite(row["asdas"]):
        marks.append(row["asdas"] < ASDAS_LOW_BELOW)
    if math.isfinite(row["das28"]):
        marks.append(row["das28"] < DAS28_LOW_BELOW)
    if math.isfinite(row["crp_mg_l"]) and math.isfinite(row["crp_upper"]):
        marks.append(row["crp_mg_l"] <= row["crp_upper"])
    if not marks:
        return None
    if all(marks):
        return "low"
    return "high"


def discordance(data: PatientData) -> dict[str, Any]:
    """``{"pain_high_inflammation_low": {...}, "inflammation_high_pain_low": {...},
    "n_visits_assessed", "rules"}``; each pattern has ``flagged``, ``visits``, ``text``."""
    pain = data.daily["pain_nrs"] if not data.daily.empty else pd.Series(dtype=float)
    assessed: list[dict[str, Any]] = []
    visits = data.visits
    for day, (_, row) in zip(pd.DatetimeIndex(visits.index), visits.iterrows(), strict=True):
        state = _state(row)
        if state is None or pain.empty:
            continue
        window = pain[(pain.index > day - pd.Timedelta(days=WINDOW_DAYS)) & (pain.index <= day)]
        values = window.to_numpy(dtype=float)
        values = values[np.isfinite(values)]
        if len(values) < MIN_WINDOW_DAYS:
            continue
        assessed.append(
            {
                "on": day.date().isoformat(),
                "pain_mean_14d": float(values.mean()),
                "pain_days": len(values),
                "inflammation": state,
                "asdas": _num(row["asdas"]),
                "das28": _num(row["das28"]),
                "crp_mg_l": _num(row["crp_mg_l"]),
            }
        )
    high_low = [
        v for v in assessed if v["inflammation"] == "low" and v["pain_mean_14d"] >= PAIN_HIGH
    ]
    low_high = [
        v for v in assessed if v["inflammation"] == "high" and v["pain_mean_14d"] < PAIN_LOW
    ]
    n = len(assessed)
    return {
        "n_visits_assessed": n,
        "pain_high_inflammation_low": {
            "flagged": len(high_low) >= MIN_VISITS,
            "n_visits": len(high_low),
            "visits": high_low,
            "see": FIBROMYALGIA_CRITERIA,
            "text": (
                f"At {len(high_low)} of {n} visits your pain over the two weeks before was high "
                "(5 or more of 10) while measured inflammation was low. Part of the pain may "
                "not come from inflammation: non-inflammatory or centrally sensitised pain "
                "(as in fibromyalgia) is worth considering with your doctor, e.g. with the "
                "2016 ACR fibromyalgia criteria. This is a pattern in the records, not a "
                "diagnosis."
            )
            if len(high_low) >= MIN_VISITS
            else None,
        },
        "inflammation_high_pain_low": {
            "flagged": len(low_high) >= MIN_VISITS,
            "n_visits": len(low_high),
            "visits": low_high,
            "text": (
                f"At {len(low_high)} of {n} visits measured inflammation was high while your "
                "pain over the two weeks before was low (under 3 of 10). Inflammation can be "
                "active without much pain; your doctor may want to follow it up."
            )
            if len(low_high) >= MIN_VISITS
            else None,
        },
        "rules": {
            "window_days": WINDOW_DAYS,
            "min_window_days": MIN_WINDOW_DAYS,
            "pain_high_at_least": PAIN_HIGH,
            "pain_low_below": PAIN_LOW,
            "inflammation_low": "ASDAS < 2.1, DAS28 < 3.2 and CRP ≤ upper limit (all available)",
            "inflammation_high": "ASDAS ≥ 2.1, DAS28 ≥ 3.2 or CRP > upper limit (any)",
            "min_visits": MIN_VISITS,
        },
    }


def _num(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None
