"""Keele STarT Back Screening Tool (SBST), 9-item version.

**Formula**: total = items 1–8 (agree = 1, disagree = 0) + item 9 (bothersomeness: 1 for "very
much" or "extremely", else 0), range 0–9. Psychosocial (distress) subscale = items 5–9, 0–5.

**Inputs** (last 2 weeks): ``items``, a list of exactly 8 integers 0/1 in questionnaire order —
1 pain spread down the leg(s); 2 pain in shoulder or neck; 3 only walked short distances;
4 dressed more slowly; 5 not safe to be physically active (fear); 6 worrying thoughts
(anxiety); 7 back pain terrible, never going to get better (catastrophising); 8 not enjoyed
things (low mood) — and ``bothersomeness`` (item 9): ``not_at_all``, ``slightly``,
``moderately``, ``very_much`` or ``extremely``. No missing-item rule is published: all required.

**Interpretation** (Keele rule, Hill 2008): total ≤ 3 → low risk; psychosocial subscale ≥ 4 →
high risk; otherwise (total ≥ 4, subscale ≤ 3) medium risk. The tool stratifies initial
treatment of non-specific back pain; it does not screen for inflammatory disease.
Free for non-commercial use; commercial use is licensed by Keele University.

**References**: Hill 2008 (Arthritis Rheum 59:632).

**Example** (awell-score test data): items 1,0,1,0,0,1,0,0 and "extremely" → total 4,
subscale 2 → medium.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from immunospine.knowledge._inputs import ClinicalInputs
from immunospine.knowledge._spec import CalculatorSpec, Reference
from immunospine.knowledge._types import Result

HILL_2008_START_BACK = Reference(
    "Hill JC, Dunn KM, Lewis M, et al. A primary care back pain screening tool: identifying "
    "patient subgroups for initial treatment. Arthritis Rheum 2008;59:632-41",
    doi="10.1002/art.23563",
)

Bothersomeness = Literal["not_at_all", "slightly", "moderately", "very_much", "extremely"]
BOTHERSOME = frozenset({"very_much", "extremely"})
"""Answers to item 9 that score 1."""
LOW_RISK_MAX_TOTAL = 3
HIGH_RISK_MIN_SUBSCALE = 4
PSYCHOSOCIAL_ITEMS = slice(4, 8)
"""Items 5–8 of the list; item 9 (bothersomeness) completes the subscale."""

ItemAnswer = Annotated[int, Field(ge=0, le=1)]


class StartBackInputs(ClinicalInputs):
    items: Annotated[
        list[ItemAnswer],
        Field(
            min_length=8,
            max_length=8,
            description="items 1–8 in questionnaire order, 1 = agree, 0 = disagree",
        ),
    ]
    bothersomeness: Bothersomeness = Field(
        description="item 9: not_at_all, slightly, moderately, very_much or extremely"
    )


def score(x: StartBackInputs) -> Result:
    item9 = 1 if x.bothersomeness in BOTHERSOME else 0
    total = sum(x.items) + item9
    subscale = sum(x.items[PSYCHOSOCIAL_ITEMS]) + item9
    if subscale >= HIGH_RISK_MIN_SUBSCALE:
        category = "high"
    elif total <= LOW_RISK_MAX_TOTAL:
        category = "low"
    else:
        category = "medium"
    return SPEC.result(
        score=float(total),
        category=category,
        components={
            "total": total,
            "psychosocial_subscale": subscale,
            "bothersomeness_item_score": item9,
        },
    )


SPEC = CalculatorSpec(
    name="start_back",
    version="9item.1",
    title="Keele STarT Back Screening Tool (9-item)",
    kind="instrument",
    inputs=StartBackInputs,
    compute=score,
    references=(HILL_2008_START_BACK,),
    categories=("low", "medium", "high"),
    score_range=(0.0, 9.0),
    interpretation="Risk of a poor outcome of back pain: total ≤ 3 low; psychosocial subscale "
    "(items 5–9) ≥ 4 high; otherwise medium. Guides initial treatment; not a screen for "
    "inflammatory disease.",
)
