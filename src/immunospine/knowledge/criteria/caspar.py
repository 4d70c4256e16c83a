"""CASPAR classification criteria for psoriatic arthritis (2006).

**Rule**: entry — established inflammatory articular disease (joint, spine or entheseal);
then ≥ 3 points from:

| criterion | points |
|---|---|
| 1a current psoriasis (skin or scalp, judged by a clinician) | 2 |
| 1b personal history of psoriasis — only if 1a is absent | 1 |
| 1c family history of psoriasis (1st/2nd-degree relative) — only if 1a and 1b are absent | 1 |
| 2 typical psoriatic nail dystrophy on current examination | 1 |
| 3 negative rheumatoid factor (any method except latex) | 1 |
| 4 dactylitis, current or recorded history (counts once) | 1 |
| 5 juxta-articular new bone formation on hand or foot radiographs | 1 |

Criterion 1 gives at most 2, criterion 4 at most 1; the maximum is 6.

**Inputs**: findings named after the criteria. An unknown item stays unknown (for 1b/1c it
matters only while a higher item of criterion 1 is not known present).

**Interpretation**: psoriatic arthritis (CASPAR) when ≥ 3 points; specificity 98.7 %,
sensitivity 91.4 %. Classification, not a diagnosis.

**References**: Taylor 2006 (Arthritis Rheum 54:2665).

**Example**: current psoriasis (2) + RF negative (1) = 3, met; personal history (1) + RF negative
(1) = 2, not met (clinical.md A31, §3b [C]).
"""

from __future__ import annotations

from immunospine.knowledge._inputs import ClinicalInputs
from immunospine.knowledge._logic import all_of, item
from immunospine.knowledge._spec import CalculatorSpec
from immunospine.knowledge._types import Result
from immunospine.knowledge.criteria._common import (
    Scored,
    criteria_result,
    finding,
    group,
    labelled,
    sum_at_least,
)
from immunospine.knowledge.criteria._references import TAYLOR_2006_CASPAR

POINTS_NEEDED = 3


class CasparInputs(ClinicalInputs):
    inflammatory_articular_disease: bool | None = finding(
        "established inflammatory articular disease (joint, spine or entheseal)"
    )
    current_psoriasis: bool | None = finding(
        "psoriatic skin or scalp disease present today, judged by a clinician"
    )
    personal_history_of_psoriasis: bool | None = finding(
        "history of psoriasis from the patient or a health professional"
    )
    family_history_of_psoriasis: bool | None = finding(
        "psoriasis in a 1st- or 2nd-degree relative, by patient report"
    )
    psoriatic_nail_dystrophy: bool | None = finding(
        "onycholysis, pitting or hyperkeratosis on current examination"
    )
    rheumatoid_factor_negative: bool | None = finding(
        "rheumatoid factor negative (any method except latex, local reference range)"
    )
    dactylitis_current: bool | None = finding("current swelling of an entire digit")
    dactylitis_history: bool | None = finding("history of dactylitis recorded by a clinician")
    juxta_articular_new_bone_formation: bool | None = finding(
        "ill-defined ossification near joint margins (not osteophytes) on hand or foot radiographs"
    )


def evaluate(x: CasparInputs) -> Result:
    entry = labelled(
        "entry",
        item(
            "inflammatory_articular_disease",
            x.inflammatory_articular_disease,
            label="inflammatory articular disease",
        ),
    )
    domains = (
        group(
            Scored("current_psoriasis", x.current_psoriasis, 2, "current psoriasis"),
            Scored(
                "personal_history_of_psoriasis",
                x.personal_history_of_psoriasis,
                1,
                "personal history of psoriasis",
            ),
            Scored(
                "family_history_of_psoriasis",
                x.family_history_of_psoriasis,
                1,
                "family history of psoriasis",
            ),
        ),
        group(Scored("psoriatic_nail_dystrophy", x.psoriatic_nail_dystrophy, 1, "nail dystrophy")),
        group(Scored("rheumatoid_factor_negative", x.rheumatoid_factor_negative, 1, "RF negative")),
        group(
            Scored("dactylitis_current", x.dactylitis_current, 1, "dactylitis"),
            Scored("dactylitis_history", x.dactylitis_history, 1, "dactylitis history"),
        ),
        group(
            Scored(
                "juxta_articular_new_bone_formation",
                x.juxta_articular_new_bone_formation,
                1,
                "juxta-articular new bone",
            )
        ),
    )
    outcome = all_of(entry, sum_at_least(POINTS_NEEDED, domains, what="CASPAR points"))
    return criteria_result(
        SPEC,
        outcome,
        score=sum(d.known for d in domains),
        components={
            "points_needed": POINTS_NEEDED,
            "points_max_possible": sum(d.possible for d in domains),
            "entry": entry.verdict,
        },
    )


SPEC = CalculatorSpec(
    name="caspar",
    version="2006.1",
    title="CASPAR classification criteria for psoriatic arthritis (2006)",
    kind="criteria",
    inputs=CasparInputs,
    compute=evaluate,
    references=(TAYLOR_2006_CASPAR,),
    score_range=(0.0, 6.0),
    interpretation="Psoriatic arthritis (CASPAR) when inflammatory articular disease is present "
    "and the points reach 3. Classification, not a diagnosis.",
)
