"""ASAS classification criteria for peripheral spondyloarthritis (2011).

**Rule**: entry — peripheral arthritis (usually asymmetric and/or predominantly lower limb)
and/or enthesitis and/or dactylitis; **plus** either

* group A, ≥ 1 of: uveitis, psoriasis, Crohn's disease/ulcerative colitis, preceding infection,
  HLA-B27, sacroiliitis on imaging (MRI or radiograph); **or**
* group B, ≥ 2 of the remaining: arthritis, enthesitis, dactylitis, inflammatory back pain in
  the past, family history of SpA.

The entry feature does not count twice: a patient who enters with arthritis needs two *other*
group-B features. Since entry needs one of arthritis/enthesitis/dactylitis, this is computed
as ≥ 3 of the five group-B features (one of them the entry feature). This reading is
clinical.md's interpretation [M], listed in ``unverified``.

**Inputs**: findings; enthesitis is at any site (not only the heel).

**Interpretation**: for patients with peripheral manifestations only (patients with back pain
are classified with ``asas_axspa``). Classification, not a diagnosis (sensitivity 77.8 %,
specificity 82.9 %).

**References**: Rudwaleit 2011 (Ann Rheum Dis 70:25).

**Example**: knee arthritis + psoriasis → group A, met; heel enthesitis + dactylitis + family
history → group B, met (clinical.md §2b [C]).
"""

from __future__ import annotations

from immunospine.knowledge._inputs import ClinicalInputs
from immunospine.knowledge._logic import all_of, any_of, item
from immunospine.knowledge._spec import CalculatorSpec
from immunospine.knowledge._types import Result
from immunospine.knowledge.criteria._common import (
    count_at_least,
    count_true,
    criteria_result,
    finding,
    labelled,
)
from immunospine.knowledge.criteria._references import RUDWALEIT_2011_ASAS_PSPA

GROUP_B_NEEDED_WITH_ENTRY = 3
"""The entry feature plus two other group-B features."""


class AsasPspaInputs(ClinicalInputs):
    peripheral_arthritis: bool | None = finding(
        "peripheral arthritis (usually asymmetric and/or predominantly lower limb)"
    )
    enthesitis: bool | None = finding(
        "past or present pain or tenderness at examination of an enthesis (any site)"
    )
    dactylitis: bool | None = finding("past or present dactylitis diagnosed by a physician")
    uveitis: bool | None = finding(
        "past or present anterior uveitis confirmed by an ophthalmologist"
    )
    psoriasis: bool | None = finding("past or present psoriasis diagnosed by a physician")
    inflammatory_bowel_disease: bool | None = finding(
        "past or present Crohn's disease or ulcerative colitis diagnosed by a physician"
    )
    preceding_infection: bool | None = finding(
        "urethritis/cervicitis or diarrhoea within 1 month before arthritis, enthesitis or "
        "dactylitis"
    )
    hla_b27: bool | None = finding("HLA-B27 positive")
    mri_sacroiliitis: bool | None = finding("sacroiliitis on MRI")
    radiographic_sacroiliitis: bool | None = finding(
        "radiographic sacroiliitis (bilateral grade 2-4 or unilateral grade 3-4)"
    )
    past_inflammatory_back_pain: bool | None = finding(
        "inflammatory back pain in the past (rheumatologist's judgement)"
    )
    family_history_spa: bool | None = finding(
        "1st/2nd-degree relative with AS, psoriasis, acute uveitis, reactive arthritis or IBD"
    )


def evaluate(x: AsasPspaInputs) -> Result:
    arthritis = item("peripheral_arthritis", x.peripheral_arthritis, label="arthritis")
    enthesitis = item("enthesitis", x.enthesitis)
    dactylitis = item("dactylitis", x.dactylitis)
    entry = labelled("entry", any_of(arthritis, enthesitis, dactylitis))
    group_a_features = (
        item("uveitis", x.uveitis),
        item("psoriasis", x.psoriasis),
        item("inflammatory_bowel_disease", x.inflammatory_bowel_disease, label="IBD"),
        item("preceding_infection", x.preceding_infection, label="preceding infection"),
        item("hla_b27", x.hla_b27, label="HLA-B27"),
        any_of(
            item("mri_sacroiliitis", x.mri_sacroiliitis, label="sacroiliitis on MRI"),
            item(
                "radiographic_sacroiliitis",
                x.radiographic_sacroiliitis,
                label="radiographic sacroiliitis",
            ),
        ),
    )
    group_b_features = (
        arthritis,
        enthesitis,
        dactylitis,
        item(
            "past_inflammatory_back_pain",
            x.past_inflammatory_back_pain,
            label="past inflammatory back pain",
        ),
        item("family_history_spa", x.family_history_spa, label="family history of SpA"),
    )
    group_a = labelled("group A", count_at_least(1, group_a_features, what="group A features"))
    group_b = labelled(
        "group B",
        count_at_least(
            GROUP_B_NEEDED_WITH_ENTRY,
            group_b_features,
            what="group B features counting the entry feature",
        ),
    )
    outcome = all_of(entry, any_of(group_a, group_b))
    return criteria_result(
        SPEC,
        outcome,
        components={
            "entry": entry.verdict,
            "group_a": group_a.verdict,
            "group_b": group_b.verdict,
            "group_a_features_present": count_true(group_a_features),
            "group_b_features_present": count_true(group_b_features),
        },
    )


SPEC = CalculatorSpec(
    name="asas_pspa",
    version="2011.1",
    title="ASAS classification criteria for peripheral spondyloarthritis (2011)",
    kind="criteria",
    inputs=AsasPspaInputs,
    compute=evaluate,
    references=(RUDWALEIT_2011_ASAS_PSPA,),
    interpretation="Peripheral SpA (ASAS) when arthritis, enthesitis or dactylitis is present "
    "with ≥ 1 group-A feature or ≥ 2 other group-B features. For patients with peripheral "
    "manifestations only. Classification, not a diagnosis.",
    unverified=(
        "the entry feature does not count again in group B: our reading of '≥ 2 other SpA "
        "features' (wording seen in a J Rheumatol table after Rudwaleit 2011, jrheum.org table "
        "23653); the original paper's text on this point was not read",
    ),
)
