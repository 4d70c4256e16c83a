"""Plain-language wording of a triage assessment, for the person it is about.

No jargon: no "criteria", "likelihood", "IBP", "axSpA" or "NSAID"; a medical term appears only
with its explanation. The wording is built here, once, so every face (JSON, text report, the
self-check and the printable summary) shows the same words.
"""

from __future__ import annotations

from collections.abc import Mapping

from immunospine.knowledge._logic import Outcome
from immunospine.knowledge._types import Verdict
from immunospine.knowledge.reasoning.case import TriageCase
from immunospine.knowledge.reasoning.considerations import Consideration
from immunospine.knowledge.reasoning.features import CHRONIC_MONTHS, ONSET_BEFORE_YEARS
from immunospine.knowledge.reasoning.red_flags import RedFlag
from immunospine.knowledge.reasoning.referral import Referral
from immunospine.knowledge.reasoning.urgency import NextStep

__all__ = [
    "CHANCE_WORDS",
    "CONDITION_NAMES",
    "DISCLAIMER",
    "JARGON",
    "STEP_TEXT",
    "TEST_NAMES",
    "explain",
]

DISCLAIMER = (
    "This supports a decision, not a diagnosis. It cannot examine you and can be wrong; a doctor "
    "must confirm or rule out any condition. If you feel very unwell or your symptoms get worse "
    "quickly, get urgent medical help."
)
JARGON: tuple[str, ...] = (
    "axspa",
    "ibp",
    "nsaid",
    "likelihood",
    "odds",
    "criteria",
    "indeterminate",
    "verdict",
    "sensitivity",
    "specificity",
    "contribution",
)
"""Words the explanation must never contain (checked by the tests)."""

TEST_NAMES: Mapping[str, str] = {
    "hla_b27": "a blood test for the gene HLA-B27",
    "crp": "a blood test for inflammation (CRP)",
    "esr": "a blood test for inflammation (ESR)",
    "mri_sacroiliac_joints": "an MRI scan of the joints at the base of the spine",
    "radiograph_sacroiliac_joints": "an X-ray of those joints",
}
CONDITION_NAMES: Mapping[str, str] = {
    "psoriatic_spondyloarthritis": "spine and joint inflammation linked to psoriasis",
    "ibd_related_spondyloarthritis": "spine and joint inflammation linked to bowel inflammation",
    "rheumatoid_arthritis_cervical_spine": "rheumatoid arthritis, which can affect the neck",
    "fibromyalgia": "fibromyalgia (an over-sensitive pain system)",
    "polymyalgia_rheumatica": "polymyalgia rheumatica (stiff, aching shoulders and hips after 50)",
    "immune_mediated_nerve_or_spinal_cord_disease": "immune diseases of the nerves or spinal cord",
    "steroid_or_disease_related_bone_fracture": "a small break in a spinal bone",
    "mechanical_back_pain": "ordinary back pain from muscles, joints and discs",
}
CHANCE_WORDS: Mapping[str, str] = {
    "unlikely": "low",
    "possible": "possible but uncertain",
    "probable": "high",
    "definite": "very high",
}
STEP_TEXT: Mapping[tuple[str, str], str] = {
    ("emergency", "emergency_department"): "Go to an emergency department now.",
    ("urgent", "gp"): "See a doctor urgently, within the next few days.",
    ("soon", "rheumatology"): "Ask your doctor to refer you to a rheumatologist (a specialist "
    "in joint and spine inflammation) within the next few weeks.",
    ("routine", "rheumatology"): "Ask your doctor for a routine referral to a rheumatologist "
    "(a specialist in joint and spine inflammation).",
    ("routine", "gp"): "Book a routine appointment with your GP (family doctor) to talk this "
    "through.",
    ("self_care", "self_care"): "You can look after this yourself for now: keep moving and use "
    "simple pain relief if you need it. See your GP if it is not better within 6 weeks or if "
    "new symptoms appear.",
}


def _tests(names: tuple[str, ...]) -> str:
    both = "crp" in names and "esr" in names
    words = [
        "blood tests for inflammation (CRP and ESR)" if both and n == "crp" else TEST_NAMES[n]
        for n in names
        if not (both and n == "esr")
    ]
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " and " + words[-1]


def _inflammatory(ibp: Mapping[str, Verdict]) -> str:
    met = sum(v is Verdict.MET for v in ibp.values())
    open_ = sum(v is Verdict.INDETERMINATE for v in ibp.values())
    if met:
        return (
            f"Your back pain has the pattern typical of inflammation on {met} of "
            f"{len(ibp)} standard checklists."
        )
    if open_:
        return (
            "Some answers about your back pain are missing, so we cannot fully tell whether "
            "it has the pattern typical of inflammation."
        )
    return "Your back pain does not have the pattern typical of inflammation."


def _entry(case: TriageCase, entry: Outcome) -> str:
    if entry.verdict is not Verdict.NOT_MET:
        return ""
    bp = case.back_pain
    if bp.duration_months is not None and bp.duration_months < CHRONIC_MONTHS:
        return (
            f"Your back pain began less than {CHRONIC_MONTHS} months ago. These checks are "
            f"meant for back pain lasting {CHRONIC_MONTHS} months or more."
        )
    return (
        f"Your back pain began at age {bp.age_at_onset:g}, after {ONSET_BEFORE_YEARS}. These "
        f"checks are meant for back pain that began before {ONSET_BEFORE_YEARS}; inflammation "
        "of the spine starting later in life is uncommon, so the estimate below is less "
        "reliable for you and other causes are more likely."
    )


def explain(
    case: TriageCase,
    *,
    red_flags: tuple[RedFlag, ...],
    ibp: Mapping[str, Verdict],
    probability: float,
    category: str,
    entry: Outcome,
    referral: Referral,
    step: NextStep,
    considerations: tuple[Consideration, ...],
) -> str:
    """A short plain-language summary, most important first."""
    parts: list[str] = []
    if red_flags:
        labels = "; ".join(f.label for f in red_flags)
        parts.append(
            f"Some of your answers can be a sign of a serious problem that needs "
            f"checking first: {labels}."
        )
    parts.append(STEP_TEXT[(step.urgency, step.see)])
    entry_text = _entry(case, entry)
    if entry_text:
        parts.append(entry_text)
    parts.append(_inflammatory(ibp))
    parts.append(
        f"Putting your answers together, the chance that your back pain comes from inflammation "
        f"of the spine (axial spondyloarthritis) is about {round(probability * 100)} in 100, "
        f"which is {CHANCE_WORDS[category]}."
    )
    if referral.refer_to_rheumatology is True:
        parts.append("Seeing a rheumatologist is recommended.")
    elif referral.refer_to_rheumatology is False:
        parts.append("On these answers a rheumatologist is not needed for this question.")
    else:
        parts.append(
            "Whether you should see a rheumatologist depends on answers or tests that "
            "are still missing."
        )
    if referral.next_tests:
        parts.append(f"Helpful next tests: {_tests(referral.next_tests)}.")
    if considerations:
        names = "; ".join(CONDITION_NAMES.get(c.condition, c.name) for c in considerations)
        parts.append(f"Also worth discussing with your doctor: {names}.")
    return " ".join(parts)
