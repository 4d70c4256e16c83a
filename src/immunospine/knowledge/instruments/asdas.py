"""ASDAS-CRP and ASDAS-ESR — Axial Spondyloarthritis Disease Activity Score.

**Formula** (Lukas 2009, published three-decimal coefficients, as fixed by the calculator contract):

    ASDAS-CRP = 0.121·back_pain + 0.058·morning_stiffness_duration + 0.110·patient_global
                + 0.073·peripheral_pain + 0.579·ln(max(CRP mg/L, 2) + 1)
    ASDAS-ESR = 0.079·back_pain + 0.069·morning_stiffness_duration + 0.113·patient_global
                + 0.086·peripheral_pain + 0.293·√ESR

``coefficients="rounded"`` selects the two-decimal set (0.12/0.06/0.11/0.07/0.58 and
0.08/0.07/0.11/0.09/0.29) that the ASAS online calculator and most apps use.

**Inputs**: back_pain = BASDAI q2, morning_stiffness_duration = BASDAI q6, patient_global
(0 = not active, 10 = very active), peripheral_pain = BASDAI q3, all 0–10 NRS over the past week;
CRP in mg/L (a value below 2 mg/L, including "below detection", counts as 2 — Machado 2015);
ESR in mm/h (no floor is published; ESR 0 gives a zero term).

**Interpretation** (Machado 2011 cut-offs, 2018 names): inactive < 1.3 ≤ low < 2.1 ≤ high ≤ 3.5 <
very high. Classify on the unrounded value. ASDAS-ESR uses the same cut-offs, as Machado 2011
did (Table 3) and as Georgiadis 2024 reports is usual, although the two scores are not
interchangeable (``ESR_CUTOFFS_NOTE``).

**References**: Lukas 2009; Machado 2011; Machado 2015; Machado 2018.

**Example**: back pain 6, duration 5, global 6, peripheral 4, CRP 10 → 3.3564 (high).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from immunospine.knowledge._inputs import NRS, ClinicalInputs, CrpMgL, EsrMmH
from immunospine.knowledge._spec import CalculatorSpec, bands_from_cutoffs
from immunospine.knowledge._types import Result
from immunospine.knowledge.references import (
    LUKAS_2009_ASDAS,
    MACHADO_2011_ASDAS_CUTOFFS,
    MACHADO_2015_ASDAS_CRP_FLOOR,
    MACHADO_2018_ASDAS_UPDATE,
)

CRP_FLOOR_MG_L = 2.0
"""CRP below 2 mg/L counts as 2 mg/L (Machado 2015)."""

Coefficients = Literal["published", "rounded"]

# back_pain, morning_stiffness_duration, patient_global, peripheral_pain, laboratory term
CRP_COEFFICIENTS: dict[str, tuple[float, float, float, float, float]] = {
    "published": (0.121, 0.058, 0.110, 0.073, 0.579),
    "rounded": (0.12, 0.06, 0.11, 0.07, 0.58),
}
ESR_COEFFICIENTS: dict[str, tuple[float, float, float, float, float]] = {
    "published": (0.079, 0.069, 0.113, 0.086, 0.293),
    "rounded": (0.08, 0.07, 0.11, 0.09, 0.29),
}

STATES = bands_from_cutoffs(
    ("inactive", "low", "high", "very_high"), (1.3, 2.1, 3.5), upper_inclusive=(False, False, True)
)
"""inactive < 1.3 ≤ low < 2.1 ≤ high ≤ 3.5 < very_high (Machado 2011; names Machado 2018)."""

CLINICALLY_IMPORTANT_IMPROVEMENT = 1.1
MAJOR_IMPROVEMENT = 2.0
CLINICALLY_IMPORTANT_WORSENING = 0.9

_COEFFICIENTS_DOC = (
    "coefficient set: 'published' (three decimals, Lukas 2009; default) or 'rounded' (two decimals)"
)


class _AsdasPatientItems(ClinicalInputs):
    back_pain: NRS
    morning_stiffness_duration: NRS
    patient_global: NRS
    peripheral_pain: NRS
    coefficients: Coefficients = "published"


class AsdasCrpInputs(_AsdasPatientItems):
    crp_mg_l: CrpMgL


class AsdasEsrInputs(_AsdasPatientItems):
    esr_mm_h: EsrMmH


def _patient_terms(x: _AsdasPatientItems, c: tuple[float, ...]) -> dict[str, float]:
    return {
        "back_pain": c[0] * x.back_pain,
        "morning_stiffness_duration": c[1] * x.morning_stiffness_duration,
        "patient_global": c[2] * x.patient_global,
        "peripheral_pain": c[3] * x.peripheral_pain,
    }


def score_crp(x: AsdasCrpInputs) -> Result:
    c = CRP_COEFFICIENTS[x.coefficients]
    terms = _patient_terms(x, c)
    crp_used = max(x.crp_mg_l, CRP_FLOOR_MG_L)
    terms["crp"] = c[4] * math.log1p(crp_used)
    return SPEC_CRP.result(
        score=sum(terms.values()),
        components={**terms, "crp_mg_l_used": crp_used, "coefficients": x.coefficients},
    )


def score_esr(x: AsdasEsrInputs) -> Result:
    c = ESR_COEFFICIENTS[x.coefficients]
    terms = _patient_terms(x, c)
    terms["esr"] = c[4] * math.sqrt(x.esr_mm_h)
    return SPEC_ESR.result(
        score=sum(terms.values()), components={**terms, "coefficients": x.coefficients}
    )


def _batch_score(
    cols: dict[str, NDArray[np.float64]],
    c: tuple[float, ...],
    lab_term: Callable[[NDArray[np.float64], NDArray[np.float64]], None],
    lab_column: str,
) -> NDArray[np.float64]:
    """Sum terms in the scalar formula's order (bit-identical), reusing one scratch buffer."""
    out = np.multiply(cols["back_pain"], c[0])
    scratch = np.empty_like(out)
    for name, weight in zip(
        ("morning_stiffness_duration", "patient_global", "peripheral_pain"), c[1:4], strict=True
    ):
        np.multiply(cols[name], weight, out=scratch)
        out += scratch
    lab_term(cols[lab_column], scratch)
    scratch *= c[4]
    out += scratch
    return out


def _crp_term(crp: NDArray[np.float64], out: NDArray[np.float64]) -> None:
    np.maximum(crp, CRP_FLOOR_MG_L, out=out)
    np.log1p(out, out=out)


def _esr_term(esr: NDArray[np.float64], out: NDArray[np.float64]) -> None:
    np.sqrt(esr, out=out)


def batch_crp(
    cols: dict[str, NDArray[np.float64]], coefficients: Coefficients = "published"
) -> NDArray[np.float64]:
    """ASDAS-CRP over whole columns (same formula and floor as ``score_crp``)."""
    return _batch_score(cols, CRP_COEFFICIENTS[coefficients], _crp_term, "crp_mg_l")


def batch_esr(
    cols: dict[str, NDArray[np.float64]], coefficients: Coefficients = "published"
) -> NDArray[np.float64]:
    """ASDAS-ESR over whole columns (same formula as ``score_esr``)."""
    return _batch_score(cols, ESR_COEFFICIENTS[coefficients], _esr_term, "esr_mm_h")


_INTERPRETATION = (
    "inactive < 1.3 ≤ low < 2.1 ≤ high ≤ 3.5 < very high disease activity (ASAS). "
    "A change of ≥ 1.1 is a clinically important improvement, ≥ 2.0 a major improvement; "
    "an increase of ≥ 0.9 is a clinically important worsening."
)

SPEC_CRP = CalculatorSpec(
    name="asdas_crp",
    version="2018.1",
    title="Axial Spondyloarthritis Disease Activity Score with CRP (ASDAS-CRP)",
    kind="instrument",
    inputs=AsdasCrpInputs,
    compute=score_crp,
    references=(
        LUKAS_2009_ASDAS,
        MACHADO_2011_ASDAS_CUTOFFS,
        MACHADO_2015_ASDAS_CRP_FLOOR,
        MACHADO_2018_ASDAS_UPDATE,
    ),
    bands=STATES,
    interpretation=_INTERPRETATION,
    options={"coefficients": _COEFFICIENTS_DOC},
    batch_score=batch_crp,
)

ESR_CUTOFFS_NOTE = (
    "ASDAS-ESR uses the ASDAS-CRP state cut-offs (1.3 / 2.1 / 3.5). Seen in issue 14: Machado "
    "2011 applied them to ASDAS-ESR in NOR-DMARD (Table 3, ard.bmj.com table 184982), and "
    "Georgiadis S et al. J Rheumatol 2024;51:673-7 (abstract) states that the same cut-offs are "
    "used for both although the two scores are not interchangeable; prefer ASDAS-CRP."
)
"""Why ASDAS-ESR shares the CRP cut-offs, with the sources seen (issue 14)."""

SPEC_ESR = CalculatorSpec(
    name="asdas_esr",
    version="2018.1",
    title="Axial Spondyloarthritis Disease Activity Score with ESR (ASDAS-ESR)",
    kind="instrument",
    inputs=AsdasEsrInputs,
    compute=score_esr,
    references=(LUKAS_2009_ASDAS, MACHADO_2011_ASDAS_CUTOFFS, MACHADO_2018_ASDAS_UPDATE),
    bands=STATES,
    interpretation=_INTERPRETATION,
    notes=ESR_CUTOFFS_NOTE,
    options={"coefficients": _COEFFICIENTS_DOC},
    batch_score=batch_esr,
)

SPECS = (SPEC_CRP, SPEC_ESR)
