"""ASAS classification criteria for axial spondyloarthritis (2009).

**Rule**: entry — back pain ≥ 3 months **and** age at onset < 45 years; then either arm:

* imaging arm: sacroiliitis on imaging (active inflammation on MRI highly suggestive of
  SpA-associated sacroiliitis, or definite radiographic sacroiliitis by the modified New York
  grading) **plus ≥ 1** SpA feature, where HLA-B27 counts as a feature;
* clinical arm: HLA-B27 positive **plus ≥ 2 other** SpA features (sacroiliitis is not one).

SpA features (11): inflammatory back pain (ASAS experts' criteria, see ``ibp_asas``), arthritis,
enthesitis (heel), uveitis, dactylitis, psoriasis, Crohn's disease/ulcerative colitis, good
response to NSAIDs, family history of SpA, HLA-B27, elevated CRP (in the presence of back pain,
other causes excluded).

**Inputs**: ``back_pain_duration_months`` and ``age_at_onset_years`` (numbers),
``mri_sacroiliitis``, ``radiographic_sacroiliitis`` and the 11 features as findings.

**Interpretation**: ``category`` is ``not_applicable`` (entry not met), ``imaging_arm`` or
``clinical_arm`` (met through that arm; the other arm not met or not determined),
``both`` (clinical.md §2a's label), ``not_classified`` (entry met or not known, neither arm
met) or null while the verdict is indeterminate. Classification, not a diagnosis
(sensitivity 82.9 %, specificity 84.4 %).

**References**: Rudwaleit 2009 part II (Ann Rheum Dis 68:777).

**Example**: back pain 12 months, onset 30 y, HLA-B27 positive, IBP, good NSAID response →
clinical arm, met (clinical.md A35 [C]).
"""

from __future__ import annotations

from immunospine.knowledge._inputs import ClinicalInputs
from immunospine.knowledge._logic import Outcome, all_of, any_of, item
from immunospine.knowledge._spec import CalculatorSpec
from immunospine.knowledge._types import Result, Verdict
from immunospine.knowledge.criteria._common import (
    count_at_least,
    count_true,
    criteria_result,
    finding,
    labelled,
    measure,
    numeric_item,
)
from immunospine.knowledge.criteria._references import RUDWALEIT_2009_ASAS_AXSPA

BACK_PAIN_AT_LEAST_MONTHS = 3
AGE_AT_ONSET_BELOW_YEARS = 45
CATEGORIES = ("imaging_arm", "clinical_arm", "both", "not_classified", "not_applicable")


class AsasAxspaInputs(ClinicalInputs):
    back_pain_duration_months: float | None = measure(
        "duration of back pain in months (entry: ≥ 3)", ge=0
    )
    age_at_onset_years: float | None = measure(
        "age at onset of back pain in years (entry: < 45)", ge=0, le=120
    )
    mri_sacroiliitis: bool | None = finding(
        "active inflammation of the sacroiliac joints on MRI highly suggestive of SpA"
    )
    radiographic_sacroiliitis: bool | None = finding(
        "definite radiographic sacroiliitis (bilateral grade 2-4 or unilateral grade 3-4)"
    )
    inflammatory_back_pain: bool | None = finding("inflammatory back pain by the ASAS criteria")
    arthritis: bool | None = finding("past or present active synovitis diagnosed by a physician")
    enthesitis_heel: bool | None = finding(
        "past or present pain or tenderness at the Achilles or plantar fascia insertion"
    )
    uveitis: bool | None = finding(
        "past or present anterior uveitis confirmed by an ophthalmologist"
    )
    dactylitis: bool | None = finding("past or present dactylitis diagnosed by a physician")
    psoriasis: bool | None = finding("past or present psoriasis diagnosed by a physician")
    inflammatory_bowel_disease: bool | None = finding(
        "past or present Crohn's disease or ulcerative colitis diagnosed by a physician"
    )
    nsaid_response: bool | None = finding(
        "back pain gone or much better 24-48 h after a full dose of an NSAID"
    )
    family_history_spa: bool | None = finding(
        "1st/2nd-degree relative with AS, psoriasis, acute uveitis, reactive arthritis or IBD"
    )
    hla_b27: bool | None = finding("HLA-B27 positive")
    elevated_crp: bool | None = finding(
        "CRP above normal with back pain, other causes of a raised CRP excluded"
    )


def _other_features(x: AsasAxspaInputs) -> tuple[Outcome, ...]:
    """The ten SpA features other than HLA-B27."""
    return (
        item("inflammatory_back_pain", x.inflammatory_back_pain, label="inflammatory back pain"),
        item("arthritis", x.arthritis),
        item("enthesitis_heel", x.enthesitis_heel, label="heel enthesitis"),
        item("uveitis", x.uveitis),
        item("dactylitis", x.dactylitis),
        item("psoriasis", x.psoriasis),
        item("inflammatory_bowel_disease", x.inflammatory_bowel_disease, label="IBD"),
        item("nsaid_response", x.nsaid_response, label="good NSAID response"),
        item("family_history_spa", x.family_history_spa, label="family history of SpA"),
        item("elevated_crp", x.elevated_crp, label="elevated CRP"),
    )


def _category(entry: Outcome, imaging: Outcome, clinical: Outcome, verdict: Verdict) -> str | None:
    if entry.verdict is Verdict.NOT_MET:
        return "not_applicable"
    if verdict is Verdict.NOT_MET:
        return "not_classified"
    if verdict is Verdict.INDETERMINATE:
        return None
    if imaging.verdict is Verdict.MET and clinical.verdict is Verdict.MET:
        return "both"
    return "imaging_arm" if imaging.verdict is Verdict.MET else "clinical_arm"


def evaluate(x: AsasAxspaInputs) -> Result:
    entry = labelled(
        "entry",
        all_of(
            numeric_item(
                "back_pain_duration_months",
                x.back_pain_duration_months,
                holds=lambda v: v >= BACK_PAIN_AT_LEAST_MONTHS,
                label="back pain months",
                rule=f"≥ {BACK_PAIN_AT_LEAST_MONTHS}",
            ),
            numeric_item(
                "age_at_onset_years",
                x.age_at_onset_years,
                holds=lambda v: v < AGE_AT_ONSET_BELOW_YEARS,
                label="age at onset",
                rule=f"< {AGE_AT_ONSET_BELOW_YEARS} years",
            ),
        ),
    )
    hla_b27 = item("hla_b27", x.hla_b27, label="HLA-B27")
    others = _other_features(x)
    sacroiliitis = any_of(
        item("mri_sacroiliitis", x.mri_sacroiliitis, label="sacroiliitis on MRI"),
        item(
            "radiographic_sacroiliitis",
            x.radiographic_sacroiliitis,
            label="radiographic sacroiliitis",
        ),
    )
    imaging = labelled(
        "imaging arm",
        all_of(sacroiliitis, count_at_least(1, (*others, hla_b27), what="SpA features")),
    )
    clinical = labelled(
        "clinical arm", all_of(hla_b27, count_at_least(2, others, what="other SpA features"))
    )
    outcome = all_of(entry, any_of(imaging, clinical))
    return criteria_result(
        SPEC,
        outcome,
        category=_category(entry, imaging, clinical, outcome.verdict),
        components={
            "entry": entry.verdict,
            "imaging_arm": imaging.verdict,
            "clinical_arm": clinical.verdict,
            "spa_features_present": count_true((*others, hla_b27)),
        },
    )


SPEC = CalculatorSpec(
    name="asas_axspa",
    version="2009.1",
    title="ASAS classification criteria for axial spondyloarthritis (2009)",
    kind="criteria",
    inputs=AsasAxspaInputs,
    compute=evaluate,
    references=(RUDWALEIT_2009_ASAS_AXSPA,),
    categories=CATEGORIES,
    interpretation="Axial SpA (ASAS) in patients with back pain ≥ 3 months and onset < 45 y: "
    "sacroiliitis on imaging + ≥ 1 SpA feature, or HLA-B27 + ≥ 2 other SpA features. "
    "Classification, not a diagnosis.",
    unverified=(
        "the MRI definition of sacroiliitis was updated by ASAS in 2016 (Lambert 2016); which "
        "definition an MRI report follows is left to the reader (from memory)",
    ),
)
