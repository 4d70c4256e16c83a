"""DAS28 — Disease Activity Score in 28 joints, with ESR or CRP, four- and three-variable forms.

**Formulae** (Prevoo 1995; official DAS site, "alternative validated formulae"):

    DAS28-ESR    = 0.56·√TJC28 + 0.28·√SJC28 + 0.70·ln(ESR) + 0.014·GH
    DAS28-CRP    = 0.56·√TJC28 + 0.28·√SJC28 + 0.36·ln(CRP + 1) + 0.014·GH + 0.96
    DAS28-ESR-3v = [0.56·√TJC28 + 0.28·√SJC28 + 0.70·ln(ESR)]·1.08 + 0.16
    DAS28-CRP-3v = [0.56·√TJC28 + 0.28·√SJC28 + 0.36·ln(CRP + 1)]·1.10 + 1.15

**Inputs**: tender and swollen joint counts of the 28-joint set (shoulders, elbows, wrists,
MCP 1–5, PIP 1–5 including the thumb IP, knees, both sides); ESR in mm/h, first hour, > 0 because
of the logarithm; CRP in mg/L (× 10 if your laboratory reports mg/dL); GH = patient's global
assessment of general health or disease activity on a 0–100 mm VAS.

**Interpretation** (EULAR; das-score.nl): remission < 2.6 ≤ low ≤ 3.2 < moderate ≤ 5.1 < high.
das-score.nl words low activity as "< 3.2" while the EULAR response table uses "≤ 3.2"; the
calculator contract fixes 3.2 as *low*. On ``das28_crp`` the option ``cutoffs="crp_specific"``
gives the Fleischmann 2017 cut-offs 2.4 / 2.9 / 4.6, read with the same sides as the standard
set: remission < 2.4 ≤ low ≤ 2.9 < moderate ≤ 4.6 < high (the paper reports "remission < 2.4,
low ≤ 2.9, high > 4.6"). Classify on the unrounded value.

**References**: Prevoo 1995; Fleischmann 2017 (CRP-specific cut-offs).

**Example**: TJC 8, SJC 5, ESR 30, GH 50 → 5.2909 (high); with CRP 20 mg/L → 4.9660 (moderate).
"""

from __future__ import annotations

import math
from typing import Annotated, Literal

import numpy as np
from numpy.typing import NDArray
from pydantic import Field

from immunospine.knowledge._inputs import ClinicalInputs, Count28, CrpMgL, Vas100
from immunospine.knowledge._spec import CalculatorSpec, Reference, bands_from_cutoffs
from immunospine.knowledge._types import Result

PREVOO_1995_DAS28 = Reference(
    "Prevoo ML, van 't Hof MA, Kuper HH, et al. Modified disease activity scores that include "
    "twenty-eight-joint counts. Development and validation in a prospective longitudinal study "
    "of patients with rheumatoid arthritis. Arthritis Rheum 1995;38:44-8",
    doi="10.1002/art.1780380107",
)
FLEISCHMANN_2017_DAS28_CRP_CUTOFFS = Reference(
    "Fleischmann RM, van der Heijde D, Gardiner PV, et al. DAS28-CRP and DAS28-ESR cut-offs for "
    "high disease activity in rheumatoid arthritis are not interchangeable. "
    "RMD Open 2017;3:e000382",
    doi="10.1136/rmdopen-2016-000382",
    pmid="28255449",
)

EsrPositiveMmH = Annotated[
    float, Field(gt=0, description="erythrocyte sedimentation rate in mm/h (> 0: DAS28 takes ln)")
]
Cutoffs = Literal["standard", "crp_specific"]

_LABELS = ("remission", "low", "moderate", "high")
STATES = bands_from_cutoffs(_LABELS, (2.6, 3.2, 5.1), upper_inclusive=(False, True, True))
"""remission < 2.6 ≤ low ≤ 3.2 < moderate ≤ 5.1 < high (EULAR; calculator contract)."""
CRP_SPECIFIC_STATES = bands_from_cutoffs(
    _LABELS, (2.4, 2.9, 4.6), upper_inclusive=(False, True, True)
)
"""remission < 2.4 ≤ low ≤ 2.9 < moderate ≤ 4.6 < high (Fleischmann 2017, our reading)."""

_CUTOFFS_DOC = (
    "activity cut-offs: 'standard' (2.6 / 3.2 / 5.1; default) or 'crp_specific' "
    "(2.4 / 2.9 / 4.6, Fleischmann 2017)"
)


class _JointCounts(ClinicalInputs):
    tender_joints_28: Count28
    swollen_joints_28: Count28


class Das28Esr3vInputs(_JointCounts):
    esr_mm_h: EsrPositiveMmH


class Das28Crp3vInputs(_JointCounts):
    crp_mg_l: CrpMgL


class Das28EsrInputs(Das28Esr3vInputs):
    patient_global_health: Vas100


class Das28CrpInputs(Das28Crp3vInputs):
    patient_global_health: Vas100
    cutoffs: Cutoffs = "standard"


def _joint_terms(x: _JointCounts) -> dict[str, float]:
    return {
        "tender_joints": 0.56 * math.sqrt(x.tender_joints_28),
        "swollen_joints": 0.28 * math.sqrt(x.swollen_joints_28),
    }


def score_esr(x: Das28EsrInputs) -> Result:
    terms = _joint_terms(x)
    terms["esr"] = 0.70 * math.log(x.esr_mm_h)
    terms["global_health"] = 0.014 * x.patient_global_health
    return SPEC_ESR.result(score=sum(terms.values()), components=terms)


def score_crp(x: Das28CrpInputs) -> Result:
    terms = _joint_terms(x)
    terms["crp"] = 0.36 * math.log1p(x.crp_mg_l)
    terms["global_health"] = 0.014 * x.patient_global_health
    terms["constant"] = 0.96
    value = sum(terms.values())
    bands = CRP_SPECIFIC_STATES if x.cutoffs == "crp_specific" else STATES
    return SPEC_CRP.result(
        score=value,
        category=bands.classify(value),
        components={**terms, "cutoffs": x.cutoffs},
    )


def score_esr_3v(x: Das28Esr3vInputs) -> Result:
    terms = _joint_terms(x)
    terms["esr"] = 0.70 * math.log(x.esr_mm_h)
    return SPEC_ESR_3V.result(score=sum(terms.values()) * 1.08 + 0.16, components=terms)


def score_crp_3v(x: Das28Crp3vInputs) -> Result:
    terms = _joint_terms(x)
    terms["crp"] = 0.36 * math.log1p(x.crp_mg_l)
    return SPEC_CRP_3V.result(score=sum(terms.values()) * 1.10 + 1.15, components=terms)


Columns = dict[str, NDArray[np.float64]]


def _batch_core(cols: Columns, *, esr: bool) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """0.56·√TJC + 0.28·√SJC + laboratory term, plus the scratch array (two allocations)."""
    out = np.sqrt(cols["tender_joints_28"], dtype=np.float64)
    out *= 0.56
    scratch = np.sqrt(cols["swollen_joints_28"], dtype=np.float64)
    scratch *= 0.28
    out += scratch
    if esr:
        np.log(cols["esr_mm_h"], out=scratch)
        scratch *= 0.70
    else:
        np.log1p(cols["crp_mg_l"], out=scratch)
        scratch *= 0.36
    out += scratch
    return out, scratch


def batch_esr(cols: Columns) -> NDArray[np.float64]:
    """DAS28-ESR over whole columns (same formula as ``score_esr``)."""
    out, scratch = _batch_core(cols, esr=True)
    np.multiply(cols["patient_global_health"], 0.014, out=scratch)
    out += scratch
    return out


def batch_crp(cols: Columns) -> NDArray[np.float64]:
    """DAS28-CRP over whole columns (same formula as ``score_crp``)."""
    out, scratch = _batch_core(cols, esr=False)
    np.multiply(cols["patient_global_health"], 0.014, out=scratch)
    out += scratch
    out += 0.96
    return out


def batch_esr_3v(cols: Columns) -> NDArray[np.float64]:
    """DAS28-ESR (3 variables) over whole columns."""
    out, _ = _batch_core(cols, esr=True)
    out *= 1.08
    out += 0.16
    return out


def batch_crp_3v(cols: Columns) -> NDArray[np.float64]:
    """DAS28-CRP (3 variables) over whole columns."""
    out, _ = _batch_core(cols, esr=False)
    out *= 1.10
    out += 1.15
    return out


_INTERPRETATION = (
    "remission < 2.6 ≤ low ≤ 3.2 < moderate ≤ 5.1 < high disease activity (EULAR). "
    "EULAR response: a good response needs an improvement > 1.2 reaching ≤ 3.2; an "
    "improvement ≤ 0.6 is no response."
)
_THREE_VARIABLE_UNVERIFIED = (
    "the four-variable activity cut-offs (2.6 / 3.2 / 5.1) are applied to the three-variable "
    "form as das-score.nl presents a single cut-off set; a separate validation for the "
    "three-variable form was not confirmed",
)

SPEC_ESR = CalculatorSpec(
    name="das28_esr",
    version="1995.1",
    title="Disease Activity Score in 28 joints with ESR (DAS28-ESR)",
    kind="instrument",
    inputs=Das28EsrInputs,
    compute=score_esr,
    references=(PREVOO_1995_DAS28,),
    bands=STATES,
    interpretation=_INTERPRETATION,
    batch_score=batch_esr,
)

SPEC_CRP = CalculatorSpec(
    name="das28_crp",
    version="1995.1",
    title="Disease Activity Score in 28 joints with CRP (DAS28-CRP)",
    kind="instrument",
    inputs=Das28CrpInputs,
    compute=score_crp,
    references=(PREVOO_1995_DAS28, FLEISCHMANN_2017_DAS28_CRP_CUTOFFS),
    bands=STATES,
    interpretation=_INTERPRETATION
    + " With cutoffs='crp_specific': remission < 2.4 ≤ low ≤ 2.9 < moderate ≤ 4.6 < high.",
    unverified=(
        "which side of each Fleischmann 2017 CRP-specific cut-off (2.4 / 2.9 / 4.6) a value "
        "equal to it falls on is our reading (the same sides as the standard set)",
    ),
    options={"cutoffs": _CUTOFFS_DOC},
    batch_score=batch_crp,
)

SPEC_ESR_3V = CalculatorSpec(
    name="das28_esr_3v",
    version="1995.1",
    title="Disease Activity Score in 28 joints with ESR, three variables (no global health)",
    kind="instrument",
    inputs=Das28Esr3vInputs,
    compute=score_esr_3v,
    references=(PREVOO_1995_DAS28,),
    bands=STATES,
    interpretation=_INTERPRETATION,
    unverified=_THREE_VARIABLE_UNVERIFIED,
    batch_score=batch_esr_3v,
)

SPEC_CRP_3V = CalculatorSpec(
    name="das28_crp_3v",
    version="1995.1",
    title="Disease Activity Score in 28 joints with CRP, three variables (no global health)",
    kind="instrument",
    inputs=Das28Crp3vInputs,
    compute=score_crp_3v,
    references=(PREVOO_1995_DAS28,),
    bands=STATES,
    interpretation=_INTERPRETATION,
    unverified=_THREE_VARIABLE_UNVERIFIED,
    batch_score=batch_crp_3v,
)

SPECS = (SPEC_ESR, SPEC_CRP, SPEC_ESR_3V, SPEC_CRP_3V)
