"""Considerations beyond axSpA: other conditions worth discussing, each with why it was raised.

**Rules** (each consideration names the answers that raised it; the wording of the mechanism
comes from the autoimmune knowledge base, ``autoimmune.py``):

* ``psoriatic_spondyloarthritis`` — psoriasis is present (the probability model then also uses
  the lower HLA-B27 values of the 2006 letter);
* ``ibd_related_spondyloarthritis`` — Crohn's disease or ulcerative colitis is present;
* ``rheumatoid_arthritis_cervical_spine`` — arthritis in other joints (rheumatoid arthritis is
  the commonest inflammatory arthritis and affects the neck, not the lower back); neck pain is
  named when given;
* ``fibromyalgia`` — the ``fibromyalgia_acr_2016`` criteria are met, or the person reports
  widespread pain (criteria not met or not assessed);
* ``polymyalgia_rheumatica`` — age ≥ 50 with morning stiffness > 45 minutes (two items of the
  2012 EULAR/ACR provisional criteria, Dasgupta 2012);
* ``immune_mediated_nerve_or_spinal_cord_disease`` — worsening leg weakness or numbness, or new
  bladder or bowel problems (after emergency causes are excluded);
* ``steroid_or_disease_related_bone_fracture`` — osteoporosis or long-term steroid tablets;
* ``mechanical_back_pain`` — no red flag, and either the pain has lasted < 3 months or the IBP
  finding is false with no other SpA finding present.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from immunospine.knowledge._types import Verdict
from immunospine.knowledge.reasoning.autoimmune import disease
from immunospine.knowledge.reasoning.case import TriageCase
from immunospine.knowledge.reasoning.features import CHRONIC_MONTHS
from immunospine.knowledge.reasoning.red_flags import RedFlag
from immunospine.knowledge.registry import calculate

__all__ = ["CONDITIONS", "Consideration", "consider"]

PMR_AGE = 50
PMR_STIFFNESS_ABOVE_MINUTES = 45

CONDITIONS: tuple[str, ...] = (
    "psoriatic_spondyloarthritis",
    "ibd_related_spondyloarthritis",
    "rheumatoid_arthritis_cervical_spine",
    "fibromyalgia",
    "polymyalgia_rheumatica",
    "immune_mediated_nerve_or_spinal_cord_disease",
    "steroid_or_disease_related_bone_fracture",
    "mechanical_back_pain",
)


@dataclass(frozen=True, slots=True)
class Consideration:
    """A condition worth discussing, why it was raised and where to read more."""

    condition: str
    why: str
    knowledge_base: tuple[str, ...] = ()
    calculators: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "condition": self.condition,
            "why": self.why,
            "knowledge_base": list(self.knowledge_base),
            "calculators": list(self.calculators),
        }


def _from_kb(condition: str, reason: str, *keys: str) -> Consideration:
    entries = [disease(k) for k in keys]
    calculators = tuple(dict.fromkeys(c for e in entries for c in e.calculators))
    return Consideration(
        condition, f"{reason} {entries[0].how_it_reaches_the_back}", keys, calculators
    )


def _fibromyalgia(case: TriageCase) -> Consideration | None:
    verdict = None
    if case.fibromyalgia is not None:
        verdict = calculate("fibromyalgia_acr_2016", **case.fibromyalgia.model_dump()).verdict
    if verdict is Verdict.MET:
        reason = (
            "Your answers meet the 2016 fibromyalgia criteria (widespread pain with tiredness)."
        )
    elif case.widespread_pain is True:
        reason = "You report pain in many parts of the body."
    else:
        return None
    return _from_kb("fibromyalgia", reason, "fibromyalgia_with_autoimmune_disease")


def consider(
    case: TriageCase, findings: Mapping[str, bool | None], red_flags: tuple[RedFlag, ...]
) -> tuple[Consideration, ...]:
    """Every consideration the case raises, in the order of ``CONDITIONS``."""
    bp, rf = case.back_pain, case.red_flags
    out: list[Consideration] = []
    if findings.get("psoriasis") is True:
        out.append(
            _from_kb(
                "psoriatic_spondyloarthritis",
                "You have psoriasis, which can come with inflammation of the spine and joints.",
                "psoriatic_arthritis",
            )
        )
    if findings.get("ibd") is True:
        out.append(
            _from_kb(
                "ibd_related_spondyloarthritis",
                "You have Crohn's disease or ulcerative colitis, which can come with "
                "inflammation of the spine and joints.",
                "ibd_related_spondyloarthritis",
            )
        )
    if findings.get("peripheral_arthritis") is True:
        neck = " together with neck pain" if bp.neck_pain is True else ""
        out.append(
            _from_kb(
                "rheumatoid_arthritis_cervical_spine",
                f"You have had swollen joints elsewhere{neck}; rheumatoid arthritis is the "
                "commonest cause of that and can affect the neck.",
                "rheumatoid_arthritis",
            )
        )
    fibro = _fibromyalgia(case)
    if fibro is not None:
        out.append(fibro)
    stiffness = bp.morning_stiffness_minutes
    if case.age >= PMR_AGE and stiffness is not None and stiffness > PMR_STIFFNESS_ABOVE_MINUTES:
        out.append(
            _from_kb(
                "polymyalgia_rheumatica",
                f"You are {case.age} and stiff for {stiffness:g} minutes in the morning.",
                "polymyalgia_rheumatica",
                "giant_cell_arteritis",
            )
        )
    if rf.progressive_neurological_deficit is True or rf.bladder_or_bowel_dysfunction is True:
        out.append(
            _from_kb(
                "immune_mediated_nerve_or_spinal_cord_disease",
                "You report worsening weakness or numbness, or bladder or bowel problems. Once "
                "emergency causes are ruled out, immune diseases of the nerves or spinal cord are "
                "among the causes to think about.",
                "acute_transverse_myelitis",
                "multiple_sclerosis",
                "neuromyelitis_optica_spectrum_disorder",
                "guillain_barre_syndrome",
                "chronic_inflammatory_demyelinating_polyneuropathy",
            )
        )
    if rf.osteoporosis_or_long_term_steroids is True:
        out.append(
            _from_kb(
                "steroid_or_disease_related_bone_fracture",
                "You have thin bones or take steroid tablets for a long time; a small break in a "
                "spinal bone can cause sudden back pain.",
                "systemic_lupus_erythematosus",
                "polymyalgia_rheumatica",
                "idiopathic_inflammatory_myopathy",
                "coeliac_disease",
            )
        )
    acute = bp.duration_months is not None and bp.duration_months < CHRONIC_MONTHS
    others = [k for k, v in findings.items() if k != "inflammatory_back_pain" and v is True]
    mechanical = findings.get("inflammatory_back_pain") is False and not others
    if not red_flags and (acute or mechanical):
        why = (
            "The pain began less than 3 months ago; most new back pain comes from muscles, "
            "joints and discs and settles within weeks."
            if acute
            else "Your back pain does not have the pattern of inflammation and no other sign of "
            "spondyloarthritis is recorded; most back pain comes from muscles, joints and discs."
        )
        out.append(Consideration("mechanical_back_pain", why))
    return tuple(out)
