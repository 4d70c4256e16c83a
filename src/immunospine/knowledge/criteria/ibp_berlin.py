"""Berlin criteria for inflammatory back pain (Rudwaleit 2006).

**Rule**: in chronic back pain (patients younger than 50, as studied), inflammatory back pain
when ≥ 2 of 4 items are present (option ``threshold: 3`` gives the high-specificity variant,
≥ 3 of 4): morning stiffness > 30 minutes; improvement with exercise but not with rest;
awakening because of back pain during the second half of the night only; alternating buttock
pain.

**Inputs**: ``morning_stiffness_minutes`` (number), ``improves_with_exercise`` and
``improves_with_rest`` (the item needs the first true and the second false),
``wakes_second_half_of_night``, ``alternating_buttock_pain``.

**Interpretation**: ≥ 2 of 4: sensitivity 70.3 %, specificity 81.2 %, LR+ 3.7; ≥ 3 of 4:
LR+ 12.4 (derivation paper). The LR+ of the chosen variant is in ``components`` for the
Bayesian approach. Classification of back pain, not a diagnosis.

**References**: Rudwaleit 2006 (Arthritis Rheum 54:569).

**Example**: stiffness 45 min, better with exercise not rest, wakes in the second half of the
night, no alternating buttock pain → 3/4, met under both variants (clinical.md A38 [C]).
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from immunospine.knowledge._inputs import ClinicalInputs
from immunospine.knowledge._logic import all_of, item
from immunospine.knowledge._spec import CalculatorSpec
from immunospine.knowledge._types import Result
from immunospine.knowledge.criteria._common import (
    absent_item,
    count_at_least,
    count_true,
    criteria_result,
    finding,
    measure,
    numeric_item,
)
from immunospine.knowledge.criteria._references import (
    RECALLED_IDENTIFIERS,
    RUDWALEIT_2006_BERLIN_IBP,
)

MORNING_STIFFNESS_ABOVE_MINUTES = 30
POSITIVE_LIKELIHOOD_RATIO = {2: 3.7, 3: 12.4}
"""LR+ for axial SpA of ≥ 2 and ≥ 3 of 4 items (Rudwaleit 2006)."""


class BerlinIbpInputs(ClinicalInputs):
    morning_stiffness_minutes: float | None = measure(
        "duration of morning stiffness of the back in minutes (item: > 30)", ge=0, le=1440
    )
    improves_with_exercise: bool | None = finding("back pain improves with exercise")
    improves_with_rest: bool | None = finding(
        "back pain improves with rest (the item is 'better with exercise but not with rest')"
    )
    wakes_second_half_of_night: bool | None = finding(
        "awakened by back pain during the second half of the night only"
    )
    alternating_buttock_pain: bool | None = finding("alternating buttock pain")
    threshold: Literal[2, 3] = Field(
        default=2, description="items needed: 2 (default) or 3 (high-specificity variant)"
    )


def evaluate(x: BerlinIbpInputs) -> Result:
    parts = (
        numeric_item(
            "morning_stiffness_minutes",
            x.morning_stiffness_minutes,
            holds=lambda v: v > MORNING_STIFFNESS_ABOVE_MINUTES,
            label="morning stiffness minutes",
            rule=f"> {MORNING_STIFFNESS_ABOVE_MINUTES}",
        ),
        all_of(
            item("improves_with_exercise", x.improves_with_exercise, label="better with exercise"),
            absent_item(
                "improves_with_rest",
                x.improves_with_rest,
                present="better with rest",
                absent="not better with rest",
            ),
        ),
        item(
            "wakes_second_half_of_night",
            x.wakes_second_half_of_night,
            label="awakening in the second half of the night",
        ),
        item("alternating_buttock_pain", x.alternating_buttock_pain),
    )
    outcome = count_at_least(x.threshold, parts, what="Berlin items")
    return criteria_result(
        SPEC,
        outcome,
        score=count_true(parts),
        components={
            "threshold": x.threshold,
            "positive_likelihood_ratio": POSITIVE_LIKELIHOOD_RATIO[x.threshold],
        },
    )


SPEC = CalculatorSpec(
    name="ibp_berlin",
    version="2006.1",
    title="Berlin criteria for inflammatory back pain (Rudwaleit 2006)",
    kind="criteria",
    inputs=BerlinIbpInputs,
    compute=evaluate,
    references=(RUDWALEIT_2006_BERLIN_IBP,),
    score_range=(0.0, 4.0),
    interpretation="Inflammatory back pain (Berlin) when ≥ 2 of 4 items are present "
    "(LR+ 3.7); ≥ 3 of 4 is the high-specificity variant (LR+ 12.4). For chronic back pain in "
    "patients younger than 50. Classification of the back pain, not a diagnosis.",
    unverified=(
        "the full author list and that the set is 'criteria set 7' of the paper (only the "
        "abstract, which names no set number, was read)",
        f"Rudwaleit 2006 PMID: {RECALLED_IDENTIFIERS}",
    ),
    notes="Seen in issue 14: the abstract (scilit.net record; researchhub) gives the four items, "
    "≥ 2 of 4 (sensitivity 70.3 %, specificity 81.2 %, LR+ 3.7), ≥ 3 of 4 (LR+ 12.4), 213 "
    "patients younger than 50, and the DOI 10.1002/art.21619 (Arthritis Rheum 2006;54(2):569-78); "
    "secondary sources call the set the Berlin criteria.",
    options={"threshold": "items needed: 2 (default, LR+ 3.7) or 3 (LR+ 12.4)"},
)
