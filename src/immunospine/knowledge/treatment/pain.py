"""Non-specific low back pain (NICE NG59, stratified by STarT Back) and chronic primary pain
(NICE NG193), each with what the guideline advises against.

NG59: advice and staying active for everyone; group exercise; with medium or high STarT Back
risk, manual therapy or a cognitive behavioural approach only within an exercise package, and a
combined physical-psychological programme for high risk (significant psychosocial obstacles);
NSAIDs at the lowest dose for the shortest time; weak opioids only for acute pain when NSAIDs
are unsuitable. NG193: exercise, ACT or CBT, acupuncture, an antidepressant from 18, and a list
of medicines not to start.
"""

from __future__ import annotations

from immunospine.knowledge._logic import Outcome, all_of
from immunospine.knowledge._types import Verdict
from immunospine.knowledge.treatment._answer import Builder, TreatmentOptions
from immunospine.knowledge.treatment.state import TreatmentState

__all__ = ["chronic_primary_pain_options", "low_back_pain_options"]

CHRONIC_WEEKS = 12.0
"""Pain for 12 weeks or more is chronic."""
NG59_AGAINST = (
    "paracetamol_alone",
    "opioids_chronic",
    "antidepressants",
    "anticonvulsants",
    "belts_corsets",
    "foot_orthotics",
    "rocker_sole_shoes",
    "traction",
    "acupuncture",
    "ultrasound",
    "pens",
    "tens",
    "interferential",
    "spinal_injections",
)
LBP_TARGET = (
    "less pain and disability, back to normal activities and work (no score target in NG59)"
)
PAIN_TARGET = "better quality of life, function and less distress (NG193: no score target)"


def low_back_pain_options(state: TreatmentState) -> TreatmentOptions:
    """The NG59 pathway."""
    b = Builder("nonspecific_low_back_pain", "nice_ng59")
    risk = state.start_back_risk
    if risk is None:
        b.add("risk_stratification", because=("the STarT Back risk group is not known",))
    b.add("self_management")
    b.add("group_exercise")
    packaged = ("manual_therapy_with_exercise", "psychological_with_exercise")
    if risk is None:
        for step_id in (*packaged, "combined_programme"):
            b.add(step_id, verdict="indeterminate", missing=("start_back_risk",))
    elif risk == "low":
        b.reassess.append(6)
        for step_id in packaged:
            b.change(step_id, "with a medium or high STarT Back risk")
        b.change("combined_programme", "with a high STarT Back risk (psychosocial obstacles)")
    else:
        for step_id in packaged:
            b.add(step_id, because=(f"STarT Back risk {risk}",))
        if risk == "high":
            b.add("combined_programme", because=("STarT Back risk high: psychosocial obstacles",))
        else:
            b.change("combined_programme", "with significant psychosocial obstacles (high risk)")
    _medicines(state, b)
    for step_id in NG59_AGAINST:
        b.add(step_id)
    return b.result(LBP_TARGET, default_weeks=12)


def _medicines(state: TreatmentState, b: Builder) -> None:
    contraindicated = state.has("contraindications", "nsaid_contraindicated")
    if not contraindicated:
        b.add("nsaid", because=("if a painkiller is needed",))
    unsuitable: Outcome
    if contraindicated:
        unsuitable = Outcome(Verdict.MET, ("NSAIDs cannot be used",))
    elif state.nsaids_tried is None:
        unsuitable = Outcome(Verdict.INDETERMINATE, (), ("nsaids_tried",))
    elif state.nsaids_tried >= 1:
        unsuitable = Outcome(Verdict.MET, ("an NSAID was tried",))
    else:
        unsuitable = Outcome(Verdict.NOT_MET, ("no NSAID tried yet",))
    weeks = state.pain_duration_weeks
    acute = (
        Outcome(Verdict.INDETERMINATE, (), ("pain_duration_weeks",))
        if weeks is None
        else Outcome(Verdict.MET, (f"pain for {weeks:g} weeks: acute",))
        if weeks < CHRONIC_WEEKS
        else Outcome(Verdict.NOT_MET, (f"pain for {weeks:g} weeks: chronic",))
    )
    b.gate(
        "weak_opioid_acute",
        all_of(acute, unsuitable),
        when="only for acute pain (under 12 weeks) when an NSAID is unsuitable or did not help",
    )


def chronic_primary_pain_options(state: TreatmentState) -> TreatmentOptions:
    """The NG193 pathway (chronic primary pain only: not pain explained by RA, axSpA, PsA)."""
    b = Builder("chronic_primary_pain", "nice_ng193")
    b.add("group_exercise")
    b.add("act_or_cbt")
    b.add("acupuncture")
    b.add("electrotherapy")
    age = state.age_years
    if age is None:
        b.add("antidepressant", verdict="indeterminate", missing=("age_years",))
    elif age >= 18:
        b.add("antidepressant", because=(f"age {age} (18 or over)",))
    else:
        b.change("antidepressant", "from age 18")
    b.add("do_not_initiate")
    if state.current is None:
        b.add("review_existing_medicines", verdict="indeterminate", missing=("current",))
    else:
        taken = sorted(
            {c.drug_class for c in state.current}
            & {"nsaid", "analgesic", "glucocorticoid", "other"}
        )
        if taken:
            b.add("review_existing_medicines", because=(f"taking now: {', '.join(taken)}",))
    return b.result(PAIN_TARGET, default_weeks=12)
