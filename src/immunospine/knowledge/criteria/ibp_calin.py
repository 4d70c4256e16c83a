"""Calin criteria for inflammatory back pain (1977).

**Rule**: inflammatory back pain when ≥ 4 of 5 items are present: age at onset < 40 years;
back pain for > 3 months; insidious onset; associated with morning stiffness (no duration
specified); improvement with exercise. Items not assessed stay unknown: the verdict is
``indeterminate`` while they could still decide it.

**Inputs**: ``age_at_onset_years``, ``back_pain_duration_months`` (numbers) and three findings.

**Interpretation**: classification of back pain as inflammatory, not a diagnosis. Original
sensitivity 95 % / specificity 85 % are quoted by a secondary source only (clinical.md §1a).

**References**: Calin 1977 (JAMA 237:2613).

**Example**: onset 28 y, 60 months, insidious, morning stiffness, better with exercise → 5/5,
met; the same with onset at 42 y and sudden onset → 3/5, not met (clinical.md §1a [C]).
"""

from __future__ import annotations

from immunospine.knowledge._inputs import ClinicalInputs
from immunospine.knowledge._logic import item
from immunospine.knowledge._spec import CalculatorSpec
from immunospine.knowledge._types import Result
from immunospine.knowledge.criteria._common import (
    count_at_least,
    count_true,
    criteria_result,
    finding,
    measure,
    numeric_item,
)
from immunospine.knowledge.criteria._references import CALIN_1977_IBP, RECALLED_IDENTIFIERS

AGE_AT_ONSET_BELOW_YEARS = 40
DURATION_ABOVE_MONTHS = 3
ITEMS_NEEDED = 4


class CalinIbpInputs(ClinicalInputs):
    age_at_onset_years: float | None = measure(
        "age at onset of back pain in years (item: < 40)", ge=0, le=120
    )
    back_pain_duration_months: float | None = measure(
        "duration of back pain in months (item: > 3)", ge=0
    )
    insidious_onset: bool | None = finding("insidious onset of back pain")
    morning_stiffness: bool | None = finding("back pain with morning stiffness (any duration)")
    improves_with_exercise: bool | None = finding("back pain improves with exercise")


def evaluate(x: CalinIbpInputs) -> Result:
    parts = (
        numeric_item(
            "age_at_onset_years",
            x.age_at_onset_years,
            holds=lambda v: v < AGE_AT_ONSET_BELOW_YEARS,
            label="age at onset",
            rule=f"< {AGE_AT_ONSET_BELOW_YEARS} years",
        ),
        numeric_item(
            "back_pain_duration_months",
            x.back_pain_duration_months,
            holds=lambda v: v > DURATION_ABOVE_MONTHS,
            label="back pain duration",
            rule=f"> {DURATION_ABOVE_MONTHS} months",
        ),
        item("insidious_onset", x.insidious_onset, label="insidious onset"),
        item("morning_stiffness", x.morning_stiffness, label="morning stiffness"),
        item("improves_with_exercise", x.improves_with_exercise, label="improves with exercise"),
    )
    outcome = count_at_least(ITEMS_NEEDED, parts, what="Calin items")
    return criteria_result(
        SPEC, outcome, score=count_true(parts), components={"items_needed": ITEMS_NEEDED}
    )


SPEC = CalculatorSpec(
    name="ibp_calin",
    version="1977.1",
    title="Calin criteria for inflammatory back pain (1977)",
    kind="criteria",
    inputs=CalinIbpInputs,
    compute=evaluate,
    references=(CALIN_1977_IBP,),
    score_range=(0.0, 5.0),
    interpretation="Inflammatory back pain (Calin) when ≥ 4 of 5 items are present. "
    "Classification of the back pain, not a diagnosis.",
    unverified=(
        "citation details of Calin 1977 (from memory)",
        f"Calin 1977 PMID: {RECALLED_IDENTIFIERS}",
    ),
)
