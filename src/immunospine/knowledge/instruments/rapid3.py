"""RAPID3 — Routine Assessment of Patient Index Data 3 (from the MDHAQ).

**Formula** (Pincus 2008): ``FN = round(sum of MDHAQ function items 1a–1j / 3, 1)`` (0–10);
``RAPID3 = FN + pain + patient_global`` (0–30).

**Inputs**: ``function_items`` — the ten scored MDHAQ function items 1a–1j, in form order, each
0 = without any difficulty … 3 = unable to do (items 1k–1m are collected but not scored);
``pain`` and ``patient_global`` — the MDHAQ 21-circle scales, 0–10 in steps of 0.5. A value
between the circles (e.g. 2.3) is refused rather than silently moved to a circle.

**Rounding**: FN is computed in exact integer arithmetic as round-half-up of ``sum × 10 / 3`` to
tenths, so 13/3 → 4.3 and 14/3 → 4.7 with no binary floating-point error. Because the sum is an
integer, sum/3 never ends in exactly 5 hundredths (its tenths are .0, .3 or .7 after rounding), so
no tie ever has to be broken; half-up is the conventional reading had one arisen. The total is
then added in decimal, so category boundaries are compared on the exact value.

**Interpretation** (Pincus 2008; CamCOPS): near remission ≤ 3 < low ≤ 6 < moderate ≤ 12 < high.
The published bands are written 0–3, 3.1–6, 6.1–12, > 12; with tenths as the unit these are the
intervals above.

**References**: Pincus 2008.

**Example** (CamCOPS unit test): items 1,2,3,0,1,0,3,0,1,2 (sum 13 → FN 4.3), pain 0.5,
patient global 2.0 → 6.8 (moderate).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import Field

from immunospine.knowledge._inputs import ClinicalInputs
from immunospine.knowledge._spec import CalculatorSpec, Reference, bands_from_cutoffs
from immunospine.knowledge._types import Result

PINCUS_2008_RAPID3 = Reference(
    "Pincus T, Swearingen CJ, Bergman M, Yazici Y. RAPID3 (Routine Assessment of Patient Index "
    "Data 3), a rheumatoid arthritis index without formal joint counts for routine care: "
    "proposed severity categories compared to disease activity score and clinical disease "
    "activity index categories. J Rheumatol 2008;35:2136-47",
    pmid="18793006",
)

FUNCTION_ITEM_COUNT = 10

FunctionItem = Annotated[int, Field(ge=0, le=3)]
HalfStepScale = Annotated[
    float,
    Field(
        ge=0,
        le=10,
        multiple_of=0.5,
        description="0–10 in steps of 0.5 (the MDHAQ 21-circle scale)",
    ),
]

STATES = bands_from_cutoffs(
    ("near_remission", "low", "moderate", "high"),
    (3.0, 6.0, 12.0),
    upper_inclusive=(True, True, True),
)
"""near remission ≤ 3 < low ≤ 6 < moderate ≤ 12 < high."""


class Rapid3Inputs(ClinicalInputs):
    function_items: Annotated[
        list[FunctionItem],
        Field(
            min_length=FUNCTION_ITEM_COUNT,
            max_length=FUNCTION_ITEM_COUNT,
            description="MDHAQ function items 1a–1j: a list of exactly 10 integers, each 0–3",
        ),
    ]
    pain: HalfStepScale
    patient_global: HalfStepScale


def function_score(item_sum: int) -> Decimal:
    """FN = sum/3 rounded half-up to one decimal, in exact integer arithmetic."""
    tenths = (20 * item_sum + 3) // 6  # floor(sum·10/3 + 1/2)
    return Decimal(tenths) / 10


def score(x: Rapid3Inputs) -> Result:
    item_sum = sum(x.function_items)
    fn = function_score(item_sum)
    # Both scales are multiples of 0.5, so their binary floats are exact decimals.
    total = fn + Decimal(x.pain) + Decimal(x.patient_global)
    return SPEC.result(
        score=float(total),
        components={
            "function_item_sum": item_sum,
            "function": float(fn),
            "pain": x.pain,
            "patient_global": x.patient_global,
        },
    )


SPEC = CalculatorSpec(
    name="rapid3",
    version="2008.1",
    title="Routine Assessment of Patient Index Data 3 (RAPID3)",
    kind="instrument",
    inputs=Rapid3Inputs,
    compute=score,
    references=(PINCUS_2008_RAPID3,),
    bands=STATES,
    score_range=(0.0, 30.0),
    interpretation="0–30: near remission ≤ 3 < low severity ≤ 6 < moderate ≤ 12 < high "
    "(Pincus 2008).",
)
