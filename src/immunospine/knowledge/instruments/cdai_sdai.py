"""CDAI and SDAI — Clinical and Simplified Disease Activity Index for rheumatoid arthritis.

**Formulae** (Smolen 2003; Aletaha 2005):

    CDAI = TJC28 + SJC28 + patient global (0–10) + evaluator global (0–10)          range 0–76
    SDAI = CDAI + CRP in mg/dL

The SDAI was defined with CRP in mg/dL; our input is ``crp_mg_l`` (the project's one CRP unit),
so it is divided by 10 internally and the converted value is shown as ``crp_mg_dl`` in the
components. Unit trap: CRP 12 mg/L adds 1.2, not 12.

**Interpretation** (Aletaha & Smolen 2005): CDAI remission ≤ 2.8 < low ≤ 10 < moderate ≤ 22 <
high; SDAI remission ≤ 3.3 < low ≤ 11 < moderate ≤ 26 < high.

**Arithmetic**: the index is a plain sum of numbers written with one or two decimals, so it is
added in decimal (each input taken at its shortest decimal form) before the state is assigned;
binary floating point could otherwise turn 1.1 + 1.7 into 2.8000000000000003 and move a
remission boundary case into "low". ``batch_score`` uses ordinary floating point.

**References**: Smolen 2003 (SDAI); Aletaha 2005 (CDAI); Aletaha & Smolen 2005 (cut-offs).

**Example**: TJC 4, SJC 3, patient global 5, evaluator global 4 → CDAI 16 (moderate);
with CRP 12 mg/L (1.2 mg/dL) → SDAI 17.2 (moderate).
"""

from __future__ import annotations

from decimal import Decimal

import numpy as np
from numpy.typing import NDArray

from immunospine.knowledge._inputs import NRS, ClinicalInputs, Count28, CrpMgL
from immunospine.knowledge._spec import CalculatorSpec, Reference, bands_from_cutoffs
from immunospine.knowledge._types import Result

SMOLEN_2003_SDAI = Reference(
    "Smolen JS, Breedveld FC, Schiff MH, et al. A simplified disease activity index for "
    "rheumatoid arthritis for use in clinical practice. Rheumatology (Oxford) 2003;42:244-57",
    doi="10.1093/rheumatology/keg072",
    pmid="12595618",
)
ALETAHA_2005_CDAI = Reference(
    "Aletaha D, Nell VPK, Stamm T, et al. Acute phase reactants add little to composite disease "
    "activity indices for rheumatoid arthritis: validation of a clinical activity score. "
    "Arthritis Res Ther 2005;7:R796-806",
    doi="10.1186/ar1740",
    pmid="15987481",
)
ALETAHA_SMOLEN_2005_CUTOFFS = Reference(
    "Aletaha D, Smolen J. The Simplified Disease Activity Index (SDAI) and the Clinical Disease "
    "Activity Index (CDAI): a review of their usefulness and validity in rheumatoid arthritis. "
    "Clin Exp Rheumatol 2005;23(5 Suppl 39):S100-8",
    pmid="16273793",
)

_LABELS = ("remission", "low", "moderate", "high")
CDAI_STATES = bands_from_cutoffs(_LABELS, (2.8, 10.0, 22.0), upper_inclusive=(True, True, True))
"""remission ≤ 2.8 < low ≤ 10 < moderate ≤ 22 < high."""
SDAI_STATES = bands_from_cutoffs(_LABELS, (3.3, 11.0, 26.0), upper_inclusive=(True, True, True))
"""remission ≤ 3.3 < low ≤ 11 < moderate ≤ 26 < high."""

MG_L_PER_MG_DL = 10


class CdaiInputs(ClinicalInputs):
    tender_joints_28: Count28
    swollen_joints_28: Count28
    patient_global: NRS
    evaluator_global: NRS


class SdaiInputs(CdaiInputs):
    crp_mg_l: CrpMgL


def _decimal(value: float) -> Decimal:
    """The shortest decimal that round-trips to ``value`` (what the clinician wrote)."""
    return Decimal(repr(value))


def _clinical_terms(x: CdaiInputs) -> dict[str, Decimal]:
    return {
        "tender_joints_28": Decimal(x.tender_joints_28),
        "swollen_joints_28": Decimal(x.swollen_joints_28),
        "patient_global": _decimal(x.patient_global),
        "evaluator_global": _decimal(x.evaluator_global),
    }


def score_cdai(x: CdaiInputs) -> Result:
    terms = _clinical_terms(x)
    return SPEC_CDAI.result(
        score=float(sum(terms.values())), components={k: float(v) for k, v in terms.items()}
    )


def score_sdai(x: SdaiInputs) -> Result:
    terms = _clinical_terms(x)
    terms["crp_mg_dl"] = _decimal(x.crp_mg_l) / MG_L_PER_MG_DL
    return SPEC_SDAI.result(
        score=float(sum(terms.values())), components={k: float(v) for k, v in terms.items()}
    )


Columns = dict[str, NDArray[np.float64]]


def batch_cdai(cols: Columns) -> NDArray[np.float64]:
    """CDAI over whole columns (binary floating point; see the module docstring)."""
    out = np.add(cols["tender_joints_28"], cols["swollen_joints_28"], dtype=np.float64)
    out += cols["patient_global"]
    out += cols["evaluator_global"]
    return out


def batch_sdai(cols: Columns) -> NDArray[np.float64]:
    """SDAI over whole columns; CRP converted from mg/L to mg/dL."""
    out = batch_cdai(cols)
    out += np.divide(cols["crp_mg_l"], MG_L_PER_MG_DL)
    return out


SPEC_CDAI = CalculatorSpec(
    name="cdai",
    version="2005.1",
    title="Clinical Disease Activity Index (CDAI)",
    kind="instrument",
    inputs=CdaiInputs,
    compute=score_cdai,
    references=(ALETAHA_2005_CDAI, ALETAHA_SMOLEN_2005_CUTOFFS),
    bands=CDAI_STATES,
    score_range=(0.0, 76.0),
    interpretation="remission ≤ 2.8 < low ≤ 10 < moderate ≤ 22 < high disease activity "
    "(Aletaha & Smolen 2005).",
    batch_score=batch_cdai,
)

SPEC_SDAI = CalculatorSpec(
    name="sdai",
    version="2005.1",
    title="Simplified Disease Activity Index (SDAI)",
    kind="instrument",
    inputs=SdaiInputs,
    compute=score_sdai,
    references=(SMOLEN_2003_SDAI, ALETAHA_SMOLEN_2005_CUTOFFS),
    bands=SDAI_STATES,
    interpretation="remission ≤ 3.3 < low ≤ 11 < moderate ≤ 26 < high disease activity "
    "(Aletaha & Smolen 2005). CRP enters in mg/dL (the crp_mg_l input divided by 10).",
    unverified=(
        "some calculators cap CRP at 10 mg/dL (range 0–86); seen in one secondary source only "
        "(rheumakit), so no cap is applied here",
    ),
    batch_score=batch_sdai,
)

SPECS = (SPEC_CDAI, SPEC_SDAI)
