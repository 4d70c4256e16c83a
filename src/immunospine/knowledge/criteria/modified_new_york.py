"""Modified New York criteria for ankylosing spondylitis (1984).

**Rule**:

* clinical criteria: (1) low back pain and stiffness for > 3 months that improves with exercise
  but is not relieved by rest; (2) limitation of motion of the lumbar spine in both the sagittal
  and frontal planes; (3) limitation of chest expansion relative to normal values for age and
  sex;
* radiological criterion: sacroiliitis grade ≥ 2 bilaterally or grade 3–4 unilaterally, i.e.
  ``(left ≥ 2 and right ≥ 2) or left ≥ 3 or right ≥ 3`` (grades 0 normal, 1 suspicious,
  2 minimal, 3 moderate, 4 ankylosis); unilateral grade 2 is not enough;
* **definite AS** = radiological criterion + ≥ 1 clinical criterion (verdict ``met``);
* **probable AS** = all three clinical criteria without the radiological one, or the
  radiological criterion without any clinical one (consider other causes of sacroiliitis).

**Inputs**: ``sacroiliitis_grade_left`` / ``sacroiliitis_grade_right`` (integers 0–4) and the
three clinical criteria as findings.

**Interpretation**: ``category`` is ``definite_as``, ``probable_as`` or ``not_met``, or null
while unknown inputs could still change it (found by trying every completion of the unknown
inputs). Classification, not a diagnosis.

**References**: van der Linden 1984 (Arthritis Rheum 27:361).

**Example**: left 2 / right 2 + clinical criterion 1 → definite AS; left 2 / right 1 + all three
clinical criteria → probable AS (clinical.md A33, A34 [C]).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import Field

from immunospine.knowledge._inputs import ClinicalInputs
from immunospine.knowledge._logic import Outcome, all_of, any_of, item
from immunospine.knowledge._spec import CalculatorSpec
from immunospine.knowledge._types import Result
from immunospine.knowledge.criteria._common import (
    categories_over_completions,
    count_at_least,
    count_true,
    criteria_result,
    finding,
    labelled,
    numeric_item,
)
from immunospine.knowledge.criteria._references import VAN_DER_LINDEN_1984_MNY

BILATERAL_GRADE = 2
UNILATERAL_GRADE = 3
GRADES = (0, 1, 2, 3, 4)
CATEGORIES = ("definite_as", "probable_as", "not_met")
_CLINICAL = (
    "low_back_pain_over_3_months_better_with_exercise_not_rest",
    "lumbar_motion_limited_sagittal_and_frontal",
    "chest_expansion_limited",
)


def _grade_field(side: str) -> Any:
    return Field(
        default=None,
        ge=0,
        le=4,
        description=f"radiographic sacroiliitis grade of the {side} sacroiliac joint, integer "
        "0-4 (0 normal, 1 suspicious, 2 minimal, 3 moderate, 4 ankylosis); null when unknown",
    )


class ModifiedNewYorkInputs(ClinicalInputs):
    sacroiliitis_grade_left: int | None = _grade_field("left")
    sacroiliitis_grade_right: int | None = _grade_field("right")
    low_back_pain_over_3_months_better_with_exercise_not_rest: bool | None = finding(
        "low back pain and stiffness for > 3 months, improved by exercise, not relieved by rest"
    )
    lumbar_motion_limited_sagittal_and_frontal: bool | None = finding(
        "limited motion of the lumbar spine in both the sagittal and frontal planes"
    )
    chest_expansion_limited: bool | None = finding(
        "limited chest expansion relative to normal values for age and sex"
    )


def categorise(values: Mapping[str, Any]) -> str:
    """The category of fully known inputs (used over every completion of unknown ones)."""
    left, right = values["sacroiliitis_grade_left"], values["sacroiliitis_grade_right"]
    radiological = (
        (left >= BILATERAL_GRADE and right >= BILATERAL_GRADE)
        or left >= UNILATERAL_GRADE
        or right >= UNILATERAL_GRADE
    )
    clinical = sum(bool(values[name]) for name in _CLINICAL)
    if radiological and clinical >= 1:
        return "definite_as"
    if (clinical == len(_CLINICAL) and not radiological) or (radiological and clinical == 0):
        return "probable_as"
    return "not_met"


def _grade_at_least(name: str, grade: int | None, cutoff: int, side: str) -> Outcome:
    return numeric_item(
        name, grade, holds=lambda g: g >= cutoff, label=f"{side} grade", rule=f"≥ {cutoff}"
    )


def evaluate(x: ModifiedNewYorkInputs) -> Result:
    left, right = x.sacroiliitis_grade_left, x.sacroiliitis_grade_right
    radiological = labelled(
        "radiological criterion",
        any_of(
            all_of(
                _grade_at_least("sacroiliitis_grade_left", left, BILATERAL_GRADE, "left"),
                _grade_at_least("sacroiliitis_grade_right", right, BILATERAL_GRADE, "right"),
            ),
            _grade_at_least("sacroiliitis_grade_left", left, UNILATERAL_GRADE, "left"),
            _grade_at_least("sacroiliitis_grade_right", right, UNILATERAL_GRADE, "right"),
        ),
    )
    clinical_items = (
        item(
            _CLINICAL[0],
            x.low_back_pain_over_3_months_better_with_exercise_not_rest,
            label="inflammatory low back pain > 3 months",
        ),
        item(
            _CLINICAL[1],
            x.lumbar_motion_limited_sagittal_and_frontal,
            label="limited lumbar motion",
        ),
        item(_CLINICAL[2], x.chest_expansion_limited, label="limited chest expansion"),
    )
    clinical = labelled(
        "clinical criteria", count_at_least(1, clinical_items, what="clinical criteria")
    )
    outcome = all_of(radiological, clinical)
    values = x.model_dump()
    domains: dict[str, tuple[Any, ...]] = {name: (False, True) for name in _CLINICAL}
    domains |= {"sacroiliitis_grade_left": GRADES, "sacroiliitis_grade_right": GRADES}
    reachable = categories_over_completions(categorise, values, domains)
    return criteria_result(
        SPEC,
        outcome,
        category=reachable.pop() if len(reachable) == 1 else None,
        components={
            "radiological": radiological.verdict,
            "clinical_criteria_present": count_true(clinical_items),
        },
    )


SPEC = CalculatorSpec(
    name="modified_new_york",
    version="1984.1",
    title="Modified New York criteria for ankylosing spondylitis (1984)",
    kind="criteria",
    inputs=ModifiedNewYorkInputs,
    compute=evaluate,
    references=(VAN_DER_LINDEN_1984_MNY,),
    categories=CATEGORIES,
    interpretation="Definite AS when the radiological criterion (bilateral grade ≥ 2 or "
    "unilateral grade ≥ 3 sacroiliitis) and ≥ 1 clinical criterion are met; probable AS with all "
    "3 clinical criteria alone or the radiological criterion alone. Classification, not a "
    "diagnosis.",
)
