"""ASAS HI — Assessment of SpondyloArthritis international Society Health Index.

**Formula**: 17 dichotomous items, "I agree" = 1, "I do not agree" = 0; the score is the number
of items agreed with, 0–17, higher is worse health. The separate set of 9 environmental items is
not part of the score.

**Inputs**: ``items`` — a list of exactly 17 booleans in form order, ``true`` = "I agree". No
missing-item or not-applicable rule (e.g. for the sexual-function or driving items) was found
in the published sources, so all 17 answers are required.

**Interpretation** (Kiltz 2018): good health ≤ 5 < moderate < 12 ≤ poor health. The smallest
detectable change is 3.0 points.

**References**: Kiltz 2015 (development); Kiltz 2018 (measurement properties and cut-offs).

**Example**: 4 items agreed → 4 (good); 13 → poor.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from immunospine.knowledge._inputs import ClinicalInputs
from immunospine.knowledge._spec import CalculatorSpec, Reference, bands_from_cutoffs
from immunospine.knowledge._types import Result

KILTZ_2015_ASAS_HI = Reference(
    "Kiltz U, van der Heijde D, Boonen A, et al. Development of a health index in patients with "
    "ankylosing spondylitis (ASAS HI): final result of a global initiative based on the ICF "
    "guided by ASAS. Ann Rheum Dis 2015;74:830-5",
    doi="10.1136/annrheumdis-2013-203967",
    pmid="24399232",
)
KILTZ_2018_ASAS_HI_PROPERTIES = Reference(
    "Kiltz U, van der Heijde D, Boonen A, et al. Measurement properties of the ASAS Health "
    "Index: results of a global study in patients with axial and peripheral spondyloarthritis. "
    "Ann Rheum Dis 2018;77:1311-7",
)

ITEM_COUNT = 17
SMALLEST_DETECTABLE_CHANGE = 3.0

STATES = bands_from_cutoffs(
    ("good", "moderate", "poor"), (5.0, 12.0), upper_inclusive=(True, False)
)
"""good ≤ 5 < moderate < 12 ≤ poor (Kiltz 2018)."""


class AsasHiInputs(ClinicalInputs):
    items: Annotated[
        list[bool],
        Field(
            min_length=ITEM_COUNT,
            max_length=ITEM_COUNT,
            description="a list of exactly 17 booleans, true = 'I agree'",
        ),
    ]


def score(x: AsasHiInputs) -> Result:
    agreed = sum(x.items)
    return SPEC.result(
        score=float(agreed),
        components={
            "items_agreed": agreed,
            "agreed_item_numbers": [i for i, v in enumerate(x.items, start=1) if v],
        },
    )


SPEC = CalculatorSpec(
    name="asas_hi",
    version="2018.1",
    title="ASAS Health Index (ASAS HI)",
    kind="instrument",
    inputs=AsasHiInputs,
    compute=score,
    references=(KILTZ_2015_ASAS_HI, KILTZ_2018_ASAS_HI_PROPERTIES),
    bands=STATES,
    score_range=(0.0, 17.0),
    interpretation="0–17, higher is worse health: good ≤ 5 < moderate < 12 ≤ poor health "
    "(Kiltz 2018). A change of 3 or more exceeds the smallest detectable change.",
    unverified=(
        "the exact wording of the 17 items and of the scoring instruction (licensed via ASAS; "
        "not retrieved); scoring 'I agree' = 1 is as widely described",
    ),
    notes="Kiltz 2018 (cut-offs, confirmed from a report of the paper) is cited by text only; "
    "its DOI/PMID were not confirmed from a source.",
)
