"""ODI — Oswestry Disability Index, version 2.1a.

**Formula**: ``ODI % = 100 × (sum of answered sections) / (5 × number of answered sections)``.
Each of the 10 sections has six statements scored 0 (first) to 5 (last).

**Inputs**: ``sections``, a list of exactly 10 answers in questionnaire order — pain intensity,
personal care, lifting, walking, sitting, standing, sleeping, sex life, social life,
travelling — each an integer 0–5 or ``null`` when unanswered or not applicable (pain "at the
moment"; the rest as the patient is today). Optional ``max_missing_sections`` (0–9, default 1).

**Missing sections**: the official scoring sheet shows one section missed or not applicable
(total 16 → 16/45 = 35.56 %), so by default one missing section is scored with the smaller
denominator and listed in ``missing``; two or more are refused with an ``InputError`` naming
``sections``. Sites that apply the per-section denominator rule of other implementations to
more missing sections can raise ``max_missing_sections`` (not in the official sheet).

**Interpretation** (Fairbank 2000): minimal 0–20 %, moderate 21–40 %, severe 41–60 %, crippled
61–80 %, bed-bound (or exaggerating) 81–100 %. With a missing section the score is not an integer
(35.56 %), so the bands are read as: minimal ≤ 20 < moderate ≤ 40 < severe ≤ 60 < crippled ≤ 80
< bed_bound (20 is minimal, 20.01 moderate), on the unrounded score. The minimum detectable change
(90 % confidence) is 10 percentage points. Do not mix with the LOINC 97909-6 banding on 0–50.

**References**: Fairbank 2000 (Spine 25:2940).

**Example**: all 10 answered, total 16 → 32 % (moderate); 9 answered, total 16 → 35.56 %.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from immunospine.errors import InputError
from immunospine.knowledge._inputs import ClinicalInputs
from immunospine.knowledge._spec import CalculatorSpec, Reference, bands_from_cutoffs
from immunospine.knowledge._types import Result

FAIRBANK_2000_ODI = Reference(
    "Fairbank JCT, Pynsent PB. The Oswestry Disability Index. Spine 2000;25:2940-53",
    pmid="11074683",
)

SECTIONS = (
    "pain_intensity",
    "personal_care",
    "lifting",
    "walking",
    "sitting",
    "standing",
    "sleeping",
    "sex_life",
    "social_life",
    "travelling",
)
POINTS_PER_SECTION = 5

BANDS = bands_from_cutoffs(
    ("minimal", "moderate", "severe", "crippled", "bed_bound"),
    (20.0, 40.0, 60.0, 80.0),
    upper_inclusive=(True, True, True, True),
)
"""minimal ≤ 20 < moderate ≤ 40 < severe ≤ 60 < crippled ≤ 80 < bed_bound (percent)."""

SectionAnswer = Annotated[int, Field(ge=0, le=5)] | None


class OdiInputs(ClinicalInputs):
    sections: Annotated[
        list[SectionAnswer],
        Field(
            min_length=10,
            max_length=10,
            description="the 10 ODI sections in questionnaire order, each 0–5 or null (unanswered)",
        ),
    ]
    max_missing_sections: Annotated[
        int,
        Field(
            ge=0,
            le=9,
            description="unanswered sections still scored (0–9; default 1, the official sheet)",
        ),
    ] = 1


def score(x: OdiInputs) -> Result:
    unanswered = [i for i, answer in enumerate(x.sections) if answer is None]
    if len(unanswered) > x.max_missing_sections:
        raise InputError.single(
            "sections",
            f"{len(unanswered)} sections unanswered "
            f"({', '.join(SECTIONS[i] for i in unanswered)}); at most "
            f"{x.max_missing_sections} may be missing (max_missing_sections)",
            list(x.sections),
            context=SPEC.name,
        )
    answered = [a for a in x.sections if a is not None]
    total = sum(answered)
    possible = POINTS_PER_SECTION * len(answered)
    # Integers first, one division last: an exact band edge (e.g. 10/50) stays exactly 20.0.
    percent = total * 100 / possible
    return SPEC.result(
        score=percent,
        components={
            "section_total": total,
            "possible_total": possible,
            "sections_answered": len(answered),
            "unanswered_sections": [SECTIONS[i] for i in unanswered],
        },
        missing=tuple(f"sections[{i}]" for i in unanswered),
    )


SPEC = CalculatorSpec(
    name="odi",
    version="2.1a.1",
    title="Oswestry Disability Index (ODI) v2.1a",
    kind="instrument",
    inputs=OdiInputs,
    compute=score,
    references=(FAIRBANK_2000_ODI,),
    bands=BANDS,
    score_range=(0.0, 100.0),
    interpretation="0–100 %, higher is more disabled: minimal ≤ 20 < moderate ≤ 40 < severe ≤ 60 "
    "< crippled ≤ 80 < bed-bound. A change of 10 percentage points is the minimum detectable "
    "change (90 % confidence).",
    unverified=(
        "scoring more than one missing section (max_missing_sections > 1) follows the "
        "per-section rule 'for every question not answered, the denominator is reduced by 5' "
        "stated by secondary scoring guides (seen in issue 14); the official sheet shows only "
        "the one-missing-section example (16/45)",
    ),
    options={"max_missing_sections": "unanswered sections still scored (0–9, default 1)"},
)
