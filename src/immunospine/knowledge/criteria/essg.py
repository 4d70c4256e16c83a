"""European Spondylarthropathy Study Group (ESSG) preliminary criteria for SpA (1991).

**Rule**: (inflammatory spinal pain **or** synovitis) **and** ≥ 1 of the group-B features.

* Inflammatory spinal pain: past or present spinal pain (back, dorsal or cervical) with ≥ 4 of
  onset before 45 years, insidious onset, improved by exercise, morning stiffness, ≥ 3 months.
* Synovitis: past or present asymmetric arthritis or arthritis predominantly of the lower limbs.
* Group B: family history (1st/2nd-degree relative with AS, psoriasis, acute uveitis, reactive
  arthritis or IBD); psoriasis; IBD (diagnosed by a doctor and confirmed by radiography or
  endoscopy); alternating buttock pain; enthesopathy (Achilles or plantar fascia); urethritis /
  cervicitis or acute diarrhoea within 1 month before arthritis (one item); radiographic
  sacroiliitis (bilateral grade 2–4 or unilateral 3–4).

**Inputs**: findings named after the items; ``age_at_onset_years`` and
``spinal_pain_duration_months`` are numbers.

**Interpretation**: classification of spondylarthropathy, not a diagnosis (sensitivity and
specificity about 87 %).

**References**: Dougados 1991 (Arthritis Rheum 34:1218).

**Example**: spinal pain, onset 30 y, insidious, better with exercise, morning stiffness,
24 months → inflammatory spinal pain; father has psoriasis → met (clinical.md §1d [C]).
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
    measure,
    numeric_item,
)
from immunospine.knowledge.criteria._references import DOUGADOS_1991_ESSG, RECALLED_IDENTIFIERS

AGE_AT_ONSET_BELOW_YEARS = 45
DURATION_AT_LEAST_MONTHS = 3
SPINAL_ITEMS_NEEDED = 4


class EssgInputs(ClinicalInputs):
    spinal_pain: bool | None = finding("past or present spinal pain (back, dorsal or cervical)")
    age_at_onset_years: float | None = measure(
        "age at onset of spinal pain in years (item: < 45)", ge=0, le=120
    )
    insidious_onset: bool | None = finding("insidious onset of spinal pain")
    improves_with_exercise: bool | None = finding("spinal pain improved by exercise")
    morning_stiffness: bool | None = finding("spinal pain with morning stiffness")
    spinal_pain_duration_months: float | None = measure(
        "duration of spinal pain in months (item: ≥ 3)", ge=0
    )
    asymmetric_arthritis: bool | None = finding("past or present asymmetric arthritis")
    lower_limb_predominant_arthritis: bool | None = finding(
        "past or present arthritis predominantly in the lower limbs"
    )
    family_history_spa: bool | None = finding(
        "1st/2nd-degree relative with AS, psoriasis, acute uveitis, reactive arthritis or IBD"
    )
    psoriasis: bool | None = finding("past or present psoriasis diagnosed by a doctor")
    inflammatory_bowel_disease: bool | None = finding(
        "Crohn's disease or ulcerative colitis diagnosed by a doctor and confirmed by "
        "radiography or endoscopy"
    )
    alternating_buttock_pain: bool | None = finding("past or present alternating buttock pain")
    enthesopathy: bool | None = finding(
        "past or present pain or tenderness at the Achilles tendon or plantar fascia insertion"
    )
    urethritis_or_cervicitis_before_arthritis: bool | None = finding(
        "non-gonococcal urethritis or cervicitis within 1 month before arthritis"
    )
    acute_diarrhoea_before_arthritis: bool | None = finding(
        "acute diarrhoea within 1 month before arthritis"
    )
    radiographic_sacroiliitis: bool | None = finding(
        "radiographic sacroiliitis: bilateral grade 2-4 or unilateral grade 3-4"
    )


def evaluate(x: EssgInputs) -> Result:
    spinal_items = (
        numeric_item(
            "age_at_onset_years",
            x.age_at_onset_years,
            holds=lambda v: v < AGE_AT_ONSET_BELOW_YEARS,
            label="age at onset",
            rule=f"< {AGE_AT_ONSET_BELOW_YEARS} years",
        ),
        item("insidious_onset", x.insidious_onset, label="insidious onset"),
        item("improves_with_exercise", x.improves_with_exercise, label="improved by exercise"),
        item("morning_stiffness", x.morning_stiffness, label="morning stiffness"),
        numeric_item(
            "spinal_pain_duration_months",
            x.spinal_pain_duration_months,
            holds=lambda v: v >= DURATION_AT_LEAST_MONTHS,
            label="spinal pain duration months",
            rule=f"≥ {DURATION_AT_LEAST_MONTHS}",
        ),
    )
    spinal = labelled(
        "inflammatory spinal pain",
        all_of(
            item("spinal_pain", x.spinal_pain, label="spinal pain"),
            count_at_least(SPINAL_ITEMS_NEEDED, spinal_items, what="spinal pain items"),
        ),
    )
    synovitis = labelled(
        "synovitis",
        any_of(
            item("asymmetric_arthritis", x.asymmetric_arthritis, label="asymmetric arthritis"),
            item(
                "lower_limb_predominant_arthritis",
                x.lower_limb_predominant_arthritis,
                label="arthritis predominantly in the lower limbs",
            ),
        ),
    )
    features = (
        item("family_history_spa", x.family_history_spa, label="family history"),
        item("psoriasis", x.psoriasis),
        item("inflammatory_bowel_disease", x.inflammatory_bowel_disease, label="IBD"),
        item("alternating_buttock_pain", x.alternating_buttock_pain),
        item("enthesopathy", x.enthesopathy),
        any_of(
            item(
                "urethritis_or_cervicitis_before_arthritis",
                x.urethritis_or_cervicitis_before_arthritis,
                label="urethritis or cervicitis",
            ),
            item(
                "acute_diarrhoea_before_arthritis",
                x.acute_diarrhoea_before_arthritis,
                label="acute diarrhoea",
            ),
        ),
        item("radiographic_sacroiliitis", x.radiographic_sacroiliitis, label="sacroiliitis"),
    )
    group_b = labelled("group B", count_at_least(1, features, what="group B features"))
    outcome = all_of(labelled("entry", any_of(spinal, synovitis)), group_b)
    return criteria_result(
        SPEC,
        outcome,
        components={
            "inflammatory_spinal_pain": spinal.verdict,
            "synovitis": synovitis.verdict,
            "group_b_features_present": count_true(features),
        },
    )


SPEC = CalculatorSpec(
    name="essg",
    version="1991.1",
    title="ESSG preliminary classification criteria for spondylarthropathy (1991)",
    kind="criteria",
    inputs=EssgInputs,
    compute=evaluate,
    references=(DOUGADOS_1991_ESSG,),
    interpretation="Spondylarthropathy (ESSG) when inflammatory spinal pain or synovitis is "
    "present together with ≥ 1 group-B feature. Classification, not a diagnosis.",
    unverified=(f"Dougados 1991 DOI and PMID: {RECALLED_IDENTIFIERS}",),
    notes="Seen in issue 14: the title, journal and abstract (ScienceOpen record: 403 patients, "
    "674 controls; inflammatory spinal pain or synovitis with ≥ 1 of the listed features) and the "
    "citation Arthritis Rheum 1991;34:1218-27 (clinicaltoubib.com); the DOI and PMID were not "
    "shown there.",
)
