"""RMDQ — Roland–Morris Disability Questionnaire, 24-item version.

**Formula**: the number of statements ticked, 0–24 (higher is more disabled).

**Inputs**: ``items``, a list of exactly 24 booleans in questionnaire order: ``true`` when the
patient ticked the statement ("because of my back pain …") as applying **today**. An item the
patient marks "not applicable" is scored ``false`` (Roland & Fairbank 2000). No missing-item rule
is published, so every item is required (``null`` is refused).

**Interpretation**: no severity bands are published. A change of about 4–5 points is the minimum
detectable change (90 % confidence); the scale is least reliable below 4 and above 20.

**References**: Roland & Morris 1983 (development); Roland & Fairbank 2000 (review, scoring).

**Example**: 9 statements ticked → 9.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from immunospine.knowledge._inputs import ClinicalInputs
from immunospine.knowledge._spec import CalculatorSpec, Reference
from immunospine.knowledge._types import Result

ROLAND_1983_RMDQ = Reference(
    "Roland M, Morris R. A study of the natural history of back pain. Part I: development of a "
    "reliable and sensitive measure of disability in low-back pain. Spine 1983;8:141-4",
)
ROLAND_2000_RMDQ_ODI = Reference(
    "Roland M, Fairbank J. The Roland-Morris Disability Questionnaire and the Oswestry "
    "Disability Questionnaire. Spine 2000;25:3115-24",
)

ITEM_COUNT = 24


class RmdqInputs(ClinicalInputs):
    items: Annotated[
        list[bool],
        Field(
            min_length=ITEM_COUNT,
            max_length=ITEM_COUNT,
            description="the 24 RMDQ statements in order, true when ticked as applying today",
        ),
    ]


def score(x: RmdqInputs) -> Result:
    ticked = sum(x.items)
    return SPEC.result(
        score=float(ticked),
        components={"items_ticked": ticked, "items_answered": len(x.items)},
    )


SPEC = CalculatorSpec(
    name="rmdq",
    version="24.1",
    title="Roland-Morris Disability Questionnaire (RMDQ-24)",
    kind="instrument",
    inputs=RmdqInputs,
    compute=score,
    references=(ROLAND_1983_RMDQ, ROLAND_2000_RMDQ_ODI),
    score_range=(0.0, float(ITEM_COUNT)),
    interpretation="0–24 statements ticked, higher is more disabled; no severity bands are "
    "published. A change of 4–5 points is the minimum detectable change (90 % confidence).",
    notes="DOI/PMID of the Roland papers were not confirmed in a source read for this project, so "
    "the citations are given as text only.",
)
