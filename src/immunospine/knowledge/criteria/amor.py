"""Amor criteria for spondylarthropathy (1990).

**Rule**: sum of points, spondylarthropathy when ≥ 6 (5 is used as "probable" SpA):

| item (present or past) | points |
|---|---|
| lumbar or dorsal pain at night, or lumbar or dorsal morning stiffness | 1 |
| asymmetric oligoarthritis | 2 |
| buttock pain 1, **or** alternating buttock pain 2 (counts once, at most 2) | 1 / 2 |
| sausage-like finger or toe (dactylitis) | 2 |
| heel pain or other well-defined enthesopathy | 2 |
| iritis (acute anterior uveitis) | 2 |
| non-gonococcal urethritis or cervicitis with or within 1 month before arthritis | 1 |
| acute diarrhoea with or within 1 month before arthritis | 1 |
| psoriasis and/or balanitis and/or IBD (counts once) | 2 |
| radiographic sacroiliitis (bilateral grade ≥ 2 or unilateral grade ≥ 3) | 3 |
| HLA-B27 and/or family history of AS, reactive arthritis, uveitis, psoriasis or IBD (once) | 2 |
| clear-cut improvement within 48 h of NSAIDs, or rapid relapse after stopping them | 2 |

The maximum is 22 with these counting rules (clinical.md states 24, which the table does not
add up to). Iritis scores 2 as in three sources; one secondary table (World J Orthop 2011,
PMC3302034 T3) gives 1 point and is taken to be in error (clinical.md §1e).

**Inputs**: findings named after the items. Unknown items stay unknown: the verdict is
``indeterminate`` while their points could still cross 6, and ``category`` is null while they
could still change it.

**Interpretation**: ``spa`` (≥ 6), ``probable_spa`` (5), ``not_met`` (< 5). Classification,
not a diagnosis. The modified Amor criteria (MRI sacroiliitis) are not implemented here.

**References**: Amor 1990 (Rev Rhum Mal Osteoartic 57:85).

**Example**: night pain 1 + alternating buttock pain 2 + NSAID response 2 + HLA-B27 2 = 7 →
``spa``; without HLA-B27 5 → ``probable_spa`` (clinical.md A32 [C]).
"""

from __future__ import annotations

from immunospine.knowledge._inputs import ClinicalInputs
from immunospine.knowledge._spec import CalculatorSpec, bands_from_cutoffs
from immunospine.knowledge._types import Result
from immunospine.knowledge.criteria._common import (
    Scored,
    criteria_result,
    finding,
    group,
    sum_at_least,
)
from immunospine.knowledge.criteria._references import AMOR_1990_SPA, RECALLED_IDENTIFIERS

POINTS_NEEDED = 6
MAXIMUM_POINTS = 22
CATEGORIES = bands_from_cutoffs(
    ("not_met", "probable_spa", "spa"), (5, POINTS_NEEDED), upper_inclusive=(False, False)
)
"""not_met < 5 ≤ probable_spa < 6 ≤ spa."""


class AmorInputs(ClinicalInputs):
    lumbar_or_dorsal_night_pain_or_morning_stiffness: bool | None = finding(
        "lumbar or dorsal pain at night, or lumbar or dorsal morning stiffness"
    )
    asymmetric_oligoarthritis: bool | None = finding("asymmetric oligoarthritis")
    buttock_pain: bool | None = finding("buttock pain (1 point)")
    alternating_buttock_pain: bool | None = finding(
        "alternating right/left buttock pain (2 points instead of 1)"
    )
    dactylitis: bool | None = finding("sausage-like finger or toe")
    heel_pain_or_enthesopathy: bool | None = finding("heel pain or other well-defined enthesopathy")
    iritis: bool | None = finding("iritis (acute anterior uveitis)")
    urethritis_or_cervicitis_before_arthritis: bool | None = finding(
        "non-gonococcal urethritis or cervicitis with, or within 1 month before, onset of arthritis"
    )
    acute_diarrhoea_before_arthritis: bool | None = finding(
        "acute diarrhoea with, or within 1 month before, onset of arthritis"
    )
    psoriasis: bool | None = finding("present or past psoriasis")
    balanitis: bool | None = finding("present or past balanitis")
    inflammatory_bowel_disease: bool | None = finding(
        "present or past ulcerative colitis or Crohn's disease"
    )
    radiographic_sacroiliitis: bool | None = finding(
        "radiographic sacroiliitis: bilateral grade ≥ 2 or unilateral grade ≥ 3"
    )
    hla_b27: bool | None = finding("HLA-B27 positive")
    family_history_spa: bool | None = finding(
        "family history of AS, reactive arthritis, uveitis, psoriasis or chronic IBD"
    )
    nsaid_response: bool | None = finding(
        "clear-cut improvement within 48 h of NSAIDs or rapid relapse after stopping them"
    )


def evaluate(x: AmorInputs) -> Result:
    domains = (
        group(
            Scored(
                "lumbar_or_dorsal_night_pain_or_morning_stiffness",
                x.lumbar_or_dorsal_night_pain_or_morning_stiffness,
                1,
                "night pain or morning stiffness",
            )
        ),
        group(
            Scored("asymmetric_oligoarthritis", x.asymmetric_oligoarthritis, 2, "oligoarthritis")
        ),
        group(
            Scored("buttock_pain", x.buttock_pain, 1, "buttock pain"),
            Scored(
                "alternating_buttock_pain",
                x.alternating_buttock_pain,
                2,
                "alternating buttock pain",
            ),
        ),
        group(Scored("dactylitis", x.dactylitis, 2, "dactylitis")),
        group(Scored("heel_pain_or_enthesopathy", x.heel_pain_or_enthesopathy, 2, "enthesopathy")),
        group(Scored("iritis", x.iritis, 2, "iritis")),
        group(
            Scored(
                "urethritis_or_cervicitis_before_arthritis",
                x.urethritis_or_cervicitis_before_arthritis,
                1,
                "urethritis or cervicitis",
            )
        ),
        group(
            Scored(
                "acute_diarrhoea_before_arthritis",
                x.acute_diarrhoea_before_arthritis,
                1,
                "acute diarrhoea",
            )
        ),
        group(
            Scored("psoriasis", x.psoriasis, 2, "psoriasis"),
            Scored("balanitis", x.balanitis, 2, "balanitis"),
            Scored("inflammatory_bowel_disease", x.inflammatory_bowel_disease, 2, "IBD"),
        ),
        group(Scored("radiographic_sacroiliitis", x.radiographic_sacroiliitis, 3, "sacroiliitis")),
        group(
            Scored("hla_b27", x.hla_b27, 2, "HLA-B27"),
            Scored("family_history_spa", x.family_history_spa, 2, "family history"),
        ),
        group(Scored("nsaid_response", x.nsaid_response, 2, "NSAID response")),
    )
    outcome = sum_at_least(POINTS_NEEDED, domains, what="Amor points")
    known = sum(d.known for d in domains)
    possible = sum(d.possible for d in domains)
    lowest, highest = CATEGORIES.classify(known), CATEGORIES.classify(possible)
    return criteria_result(
        SPEC,
        outcome,
        score=known,
        category=lowest if lowest == highest else None,
        components={"points_needed": POINTS_NEEDED, "points_max_possible": possible},
    )


SPEC = CalculatorSpec(
    name="amor",
    version="1990.1",
    title="Amor criteria for spondylarthropathy (1990)",
    kind="criteria",
    inputs=AmorInputs,
    compute=evaluate,
    references=(AMOR_1990_SPA,),
    categories=CATEGORIES.labels,
    score_range=(0.0, float(MAXIMUM_POINTS)),
    interpretation="Spondylarthropathy (Amor) when the points reach 6; 5 points is 'probable' "
    "SpA. Classification, not a diagnosis.",
    unverified=(
        f"Amor 1990 PMID: {RECALLED_IDENTIFIERS}",
        "the maximum of 22 points is computed from the item table; a secondary summary states 24",
    ),
)
