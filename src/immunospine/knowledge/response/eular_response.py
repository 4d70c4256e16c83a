"""EULAR response criteria — good, moderate or no response from two DAS28 values.

**Rule** (van Gestel 1996; clinical.md §4f), with ``improvement = baseline − follow-up``:

| follow-up DAS28   | improvement > 1.2 | 0.6 < improvement ≤ 1.2 | improvement ≤ 0.6 |
|-------------------|-------------------|-------------------------|-------------------|
| ≤ 3.2             | good              | moderate                | none              |
| > 3.2 and ≤ 5.1   | moderate          | moderate                | none              |
| > 5.1             | moderate          | none                    | none              |

The improvement is rounded to 6 decimals before the comparison (``_change``): 4.4 − 3.2 is
1.2000000000000002 in floating point and must count as exactly 1.2 (not > 1.2). Both values
must come from the same DAS28 version; give ``variant`` on either visit and a mismatch is refused.

**Inputs**: ``baseline`` and ``follow_up``, each an object with ``das28`` (0–10) and optional
``variant`` (``das28_esr`` or ``das28_crp``).

**Result**: ``category`` good / moderate / none; ``verdict`` met for a EULAR responder (good or
moderate); ``score`` = improvement (baseline − follow-up; positive is better); ``components``:
both values, the improvement and the table row and column used.

**References**: van Gestel 1996 (identifiers confirmed against the PubMed record).

**Example** (clinical.md A16 [C]): 5.29 → 3.09: improvement 2.2 > 1.2, follow-up ≤ 3.2 → good.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from immunospine.errors import InputError
from immunospine.knowledge._inputs import ClinicalInputs
from immunospine.knowledge._spec import CalculatorSpec, Reference
from immunospine.knowledge._types import Result, Verdict
from immunospine.knowledge.response._change import settle

VAN_GESTEL_1996_EULAR_RESPONSE = Reference(
    "van Gestel AM, Prevoo ML, van 't Hof MA, van Rijswijk MH, van de Putte LB, van Riel PL. "
    "Development and validation of the European League Against Rheumatism response criteria "
    "for rheumatoid arthritis. Arthritis Rheum 1996;39:34-40",
    doi="10.1002/art.1780390105",
    pmid="8546736",
)

LARGE_IMPROVEMENT = 1.2
"""improvement > 1.2"""
SMALL_IMPROVEMENT = 0.6
"""0.6 < improvement ≤ 1.2; ≤ 0.6 is no improvement"""
LOW_ACTIVITY = 3.2
"""follow-up DAS28 ≤ 3.2"""
HIGH_ACTIVITY = 5.1
"""follow-up DAS28 > 5.1"""

# rows: follow-up ≤ 3.2, ≤ 5.1, > 5.1; columns: improvement > 1.2, > 0.6, ≤ 0.6
TABLE = (
    ("good", "moderate", "none"),
    ("moderate", "moderate", "none"),
    ("moderate", "none", "none"),
)
ROWS = ("≤ 3.2", "> 3.2 and ≤ 5.1", "> 5.1")
COLUMNS = ("> 1.2", "> 0.6 and ≤ 1.2", "≤ 0.6")


class Das28Visit(ClinicalInputs):
    """One visit's DAS28 value and, optionally, which DAS28 it is."""

    # No lower bound: DAS28-ESR is negative when ESR < 1 mm/h (ln ESR < 0), which the DAS28
    # calculators accept (the contract only asks ESR > 0), so their output must be accepted here.
    das28: Annotated[
        float, Field(le=10, description="DAS28 value (≤ 10; negative only when ESR < 1 mm/h)")
    ]
    variant: Literal["das28_esr", "das28_crp"] | None = Field(
        default=None, description="which DAS28: 'das28_esr' or 'das28_crp' (optional)"
    )


class EularResponseInputs(ClinicalInputs):
    """The DAS28 at baseline and at follow-up, from the same DAS28 version."""

    baseline: Das28Visit
    follow_up: Das28Visit


def score(x: EularResponseInputs) -> Result:
    variants = {v.variant for v in (x.baseline, x.follow_up)} - {None}
    if len(variants) > 1:
        raise InputError.single(
            ("follow_up", "variant"),
            f"must be the same DAS28 as the baseline ({x.baseline.variant}): a change between "
            "DAS28-ESR and DAS28-CRP is not defined",
            x.follow_up.variant,
            context=SPEC.name,
        )
    improvement = settle(x.baseline.das28 - x.follow_up.das28)
    current = x.follow_up.das28
    row = 0 if current <= LOW_ACTIVITY else 1 if current <= HIGH_ACTIVITY else 2
    column = 0 if improvement > LARGE_IMPROVEMENT else 1 if improvement > SMALL_IMPROVEMENT else 2
    category = TABLE[row][column]
    return SPEC.result(
        score=improvement,
        category=category,
        components={
            "baseline_das28": x.baseline.das28,
            "follow_up_das28": current,
            "improvement": improvement,
            "follow_up_row": ROWS[row],
            "improvement_column": COLUMNS[column],
            "variant": next(iter(variants), None),
        },
        verdict=Verdict.NOT_MET if category == "none" else Verdict.MET,
        because=(
            f"DAS28 {x.baseline.das28:g} → {current:g}: improvement {improvement:g} "
            f"({COLUMNS[column]}), follow-up {ROWS[row]} → {category} response",
        ),
    )


SPEC = CalculatorSpec(
    name="eular_response",
    version="1996.1",
    title="EULAR response criteria (DAS28)",
    kind="response",
    inputs=EularResponseInputs,
    compute=score,
    references=(VAN_GESTEL_1996_EULAR_RESPONSE,),
    categories=("good", "moderate", "none"),
    interpretation="good / moderate / no response from the DAS28 improvement (> 1.2, > 0.6) and "
    "the follow-up DAS28 (≤ 3.2, ≤ 5.1, > 5.1). Verdict met for a responder (good or "
    "moderate). Score: improvement (baseline − follow-up).",
)
