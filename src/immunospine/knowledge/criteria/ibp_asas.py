"""ASAS experts' criteria for inflammatory back pain (2009).

**Rule**: in chronic back pain (≥ 3 months), inflammatory back pain when ≥ 4 of 5 items are
present: age at onset < 40 years; insidious onset; improvement with exercise; no improvement
with rest; pain at night (with improvement upon getting up). Unknown items stay unknown.

**Inputs**: ``age_at_onset_years`` and four findings; "no improvement with rest" is read from
``improves_with_rest`` (false counts).

**Interpretation**: classification of back pain as inflammatory against expert judgement
(validation cohort sensitivity 79.6 %, specificity 72.4 %), not a diagnosis. The same rule is
the "IBP" feature of the ASAS axial SpA criteria.

**References**: Sieper 2009 (Ann Rheum Dis 68:784).

**Example**: onset 35 y, insidious, better with exercise, not better with rest, no night pain
→ 4/5, met (clinical.md A39 [C]).
"""

from __future__ import annotations

from immunospine.knowledge._inputs import ClinicalInputs
from immunospine.knowledge._logic import item
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
from immunospine.knowledge.criteria._references import SIEPER_2009_ASAS_IBP

AGE_AT_ONSET_BELOW_YEARS = 40
ITEMS_NEEDED = 4


class AsasIbpInputs(ClinicalInputs):
    age_at_onset_years: float | None = measure(
        "age at onset of back pain in years (item: < 40)", ge=0, le=120
    )
    insidious_onset: bool | None = finding("insidious onset of back pain")
    improves_with_exercise: bool | None = finding("back pain improves with exercise")
    improves_with_rest: bool | None = finding(
        "back pain improves with rest (the item is 'no improvement with rest')"
    )
    night_pain: bool | None = finding("pain at night, with improvement upon getting up")


def evaluate(x: AsasIbpInputs) -> Result:
    parts = (
        numeric_item(
            "age_at_onset_years",
            x.age_at_onset_years,
            holds=lambda v: v < AGE_AT_ONSET_BELOW_YEARS,
            label="age at onset",
            rule=f"< {AGE_AT_ONSET_BELOW_YEARS} years",
        ),
        item("insidious_onset", x.insidious_onset, label="insidious onset"),
        item("improves_with_exercise", x.improves_with_exercise, label="improves with exercise"),
        absent_item(
            "improves_with_rest",
            x.improves_with_rest,
            present="improves with rest",
            absent="no improvement with rest",
        ),
        item("night_pain", x.night_pain, label="night pain improving on getting up"),
    )
    outcome = count_at_least(ITEMS_NEEDED, parts, what="ASAS IBP items")
    return criteria_result(
        SPEC, outcome, score=count_true(parts), components={"items_needed": ITEMS_NEEDED}
    )


SPEC = CalculatorSpec(
    name="ibp_asas",
    version="2009.1",
    title="ASAS experts' criteria for inflammatory back pain (2009)",
    kind="criteria",
    inputs=AsasIbpInputs,
    compute=evaluate,
    references=(SIEPER_2009_ASAS_IBP,),
    score_range=(0.0, 5.0),
    interpretation="Inflammatory back pain (ASAS) when ≥ 4 of 5 items are present, in patients "
    "with back pain for ≥ 3 months. Classification of the back pain, not a diagnosis.",
)
