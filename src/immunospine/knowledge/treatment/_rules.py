"""Small three-valued rules shared by the pathways (built on ``knowledge._logic``)."""

from __future__ import annotations

import math

from immunospine.knowledge._logic import Outcome, all_of, any_of, item
from immunospine.knowledge._types import Verdict
from immunospine.knowledge.instruments import asdas as asdas_instrument
from immunospine.knowledge.treatment.state import ADVANCED, FAILED, CurrentTherapy, TreatmentState

__all__ = [
    "ASDAS_HIGH",
    "ASDAS_IMPORTANT_FALL",
    "ASDAS_INACTIVE",
    "CRP_UPPER_NORMAL_MG_L",
    "MET",
    "NOT_MET",
    "advanced_now",
    "asdas_high",
    "failed_before",
    "fell_by",
    "nsaids_failed",
    "objective_inflammation",
    "threshold",
    "weeks_until",
]

ASDAS_INACTIVE, ASDAS_HIGH = asdas_instrument.STATES.cutoffs[:2]  # 1.3 and 2.1
ASDAS_IMPORTANT_FALL = 1.1
"""ASDAS clinically important improvement (Machado 2011), the 12-week response rule."""
CRP_UPPER_NORMAL_MG_L = 5.0
""""Raised CRP" here means above 5 mg/L, a common laboratory upper limit (the lab's own limit
is better; not a guideline figure)."""
NSAIDS_NEEDED = 2
NSAID_WEEKS_NEEDED = 4.0
RESPONSE_WEEKS = 12.0
MET = Verdict.MET
NOT_MET = Verdict.NOT_MET


def threshold(name: str, value: float | None, cut: float, label: str) -> Outcome:
    """``value ≥ cut`` as an outcome (``label`` names the score in the trace)."""
    if value is None:
        return Outcome(Verdict.INDETERMINATE, (), (name,))
    if value >= cut:
        return Outcome(MET, (f"{label} {value:g} ≥ {cut:g}",))
    return Outcome(NOT_MET, (f"{label} {value:g} < {cut:g}",))


def asdas_high(state: TreatmentState) -> Outcome:
    """High disease activity: ASDAS ≥ 2.1; without an ASDAS, BASDAI ≥ 4 (the 2016 alternative,
    not checked for 2022)."""
    if state.asdas is None and state.basdai is not None:
        out = threshold("basdai", state.basdai, 4.0, "BASDAI")
        note = "BASDAI used as no ASDAS was given (the 2016 alternative; not checked for 2022)"
        return Outcome(out.verdict, (*out.because, note), out.missing)
    return threshold("asdas", state.asdas, ASDAS_HIGH, "ASDAS")


def nsaids_failed(state: TreatmentState) -> Outcome:
    """At least two NSAIDs over at least 4 weeks in total; NSAIDs that cannot be used count."""
    if state.has("contraindications", "nsaid_contraindicated"):
        return Outcome(MET, ("NSAIDs cannot be used (a reason against them was given)",))
    tried = threshold("nsaids_tried", state.nsaids_tried, NSAIDS_NEEDED, "NSAIDs tried:")
    weeks = threshold(
        "nsaid_trial_weeks", state.nsaid_trial_weeks, NSAID_WEEKS_NEEDED, "weeks of NSAIDs:"
    )
    return all_of(tried, weeks)


def objective_inflammation(state: TreatmentState) -> Outcome:
    """Raised CRP, or active sacroiliitis on MRI, or sacroiliitis on X-ray."""
    crp: Outcome
    if state.crp_mg_l is None:
        crp = Outcome(Verdict.INDETERMINATE, (), ("crp_mg_l",))
    elif state.crp_mg_l > CRP_UPPER_NORMAL_MG_L:
        crp = Outcome(MET, (f"CRP {state.crp_mg_l:g} mg/L above {CRP_UPPER_NORMAL_MG_L:g}",))
    else:
        crp = Outcome(NOT_MET, (f"CRP {state.crp_mg_l:g} mg/L not above 5",))
    mri = item(
        "mri_active_sacroiliitis",
        state.mri_active_sacroiliitis,
        label="active sacroiliitis on MRI",
    )
    xray = item(
        "radiographic_sacroiliitis", state.radiographic_sacroiliitis, label="sacroiliitis on X-ray"
    )
    return any_of(crp, mri, xray)


def advanced_now(state: TreatmentState) -> tuple[tuple[int, CurrentTherapy], ...] | None:
    """The b/tsDMARDs taken now with their index in ``current``; None when unknown."""
    if state.current is None:
        return None
    return tuple((i, c) for i, c in enumerate(state.current) if c.drug_class in ADVANCED)


def failed_before(state: TreatmentState, classes: frozenset[str]) -> bool | None:
    """Whether a past therapy of ``classes`` stopped for a failure (None: ``past`` unknown)."""
    if state.past is None:
        return None
    return any(p.drug_class in classes and p.stop_reason in FAILED for p in state.past)


def fell_by(start: float, now: float, amount: float) -> bool:
    """Whether a score fell from ``start`` to ``now`` by at least ``amount`` (to 6 decimals:
    3.3 → 2.2 is a fall of 1.1, whatever binary floating point says)."""
    return round(start - now, 6) >= amount


def weeks_until(weeks_so_far: float, due: float = RESPONSE_WEEKS) -> int:
    """Whole weeks from now until week ``due`` (at least 1)."""
    return max(1, math.ceil(due - weeks_so_far))
