"""BASMI — Bath Ankylosing Spondylitis Metrology Index: linear (BASMIlin) and 2-step forms.

**Inputs** (one number per measurement; for the bilateral ones the mean of right and left):
``lateral_lumbar_flexion_cm`` (mean R/L), ``tragus_to_wall_cm`` (mean R/L),
``modified_schober_cm`` (increase over the 10 cm baseline distraction),
``intermalleolar_distance_cm`` (maximal), ``cervical_rotation_deg`` (mean R/L). Each must be
≥ 0; the upper limits are plausibility bounds well beyond any human value, there to catch unit
mistakes such as millimetres entered as centimetres.

**BASMIlin** (van der Heijde 2008; ASAS handbook Table 9 — the ASAS-recommended form): each
measurement A becomes a score S, clamped to [0, 10], and the BASMI is the **mean** of the five:
lateral flexion S = (21.1 − A)/2.1; tragus-to-wall S = (A − 8)/3; modified Schober
S = (7.4 − A)/0.7; intermalleolar S = (124.5 − A)/10; cervical rotation S = (89.3 − A)/8.5.

**BASMI 2-step** (Jenkinson 1994; ASAS handbook Table 7; NASS Bath Indices Table 2): each
measurement scores 0 (mild), 1 (moderate) or 2 (severe) and the five are **summed** (0–10).
The published table writes the middle column as a closed range and the outer columns as strict
inequalities, so a value exactly on a limit scores 1:

============================  ==========  ====================  ==========
measurement                   0           1                     2
============================  ==========  ====================  ==========
lateral lumbar flexion        > 10 cm     5 ≤ A ≤ 10 cm         < 5 cm
tragus to wall                < 15 cm     15 ≤ A ≤ 30 cm        > 30 cm
modified Schober              > 4 cm      2 ≤ A ≤ 4 cm          < 2 cm
intermalleolar distance       > 100 cm    70 ≤ A ≤ 100 cm       < 70 cm
cervical rotation             > 70°       20 ≤ A ≤ 70°          < 20°
============================  ==========  ====================  ==========

**BASMI 10-step is not provided.** Its table (Jones 1995, ASAS handbook Table 8, NASS
Table 3) is in ``clinical.md`` only from memory; the sources we could read confirm a single
point of it (a mean cervical rotation of 30° scores 7, NASS) and not the other boundaries, and
the 2-step and 10-step forms are not interchangeable (van der Heijde 2008). Use BASMIlin, which
ASAS recommends and which is fully specified.

**Interpretation**: 0–10, higher is more limited spinal mobility; there are no cut-offs.

**References**: Jenkinson 1994; van der Heijde 2008.

**Example**: lateral flexion 10.6, tragus 20, Schober 3.9, intermalleolar 94.5, rotation 55.3
→ components 5, 4, 5, 3, 4 → BASMIlin 4.2.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from pydantic import Field

from immunospine.knowledge._inputs import ClinicalInputs
from immunospine.knowledge._spec import CalculatorSpec, Reference
from immunospine.knowledge._types import Result

JENKINSON_1994_BASMI = Reference(
    "Jenkinson TR, Mallorie PA, Whitelock HC, et al. Defining spinal mobility in ankylosing "
    "spondylitis (AS). The Bath AS Metrology Index. J Rheumatol 1994;21:1694-8",
    pmid="7799351",
)
VAN_DER_HEIJDE_2008_BASMI_LIN = Reference(
    "van der Heijde D, Landewé R, Feldtkeller E. Proposal of a linear definition of the Bath "
    "Ankylosing Spondylitis Metrology Index (BASMI) and comparison with the 2-step and 10-step "
    "definitions. Ann Rheum Dis 2008;67:489-93",
    doi="10.1136/ard.2007.074724",
)


def _measure(upper: float, what: str) -> Any:
    return Field(ge=0, le=upper, description=f"{what}, 0–{upper:g}")


class BasmiInputs(ClinicalInputs):
    lateral_lumbar_flexion_cm: Annotated[
        float, _measure(60, "lateral lumbar flexion in cm, mean of right and left")
    ]
    tragus_to_wall_cm: Annotated[
        float, _measure(80, "tragus-to-wall distance in cm, mean of right and left")
    ]
    modified_schober_cm: Annotated[
        float, _measure(15, "modified Schober: increase in cm over the 10 cm baseline")
    ]
    intermalleolar_distance_cm: Annotated[
        float, _measure(250, "maximal intermalleolar distance in cm")
    ]
    cervical_rotation_deg: Annotated[
        float, _measure(180, "cervical rotation in degrees, mean of right and left")
    ]


MEASUREMENTS = (
    "lateral_lumbar_flexion_cm",
    "tragus_to_wall_cm",
    "modified_schober_cm",
    "intermalleolar_distance_cm",
    "cervical_rotation_deg",
)

# BASMIlin: S = (A − offset) / slope for each measurement (van der Heijde 2008, Table 3).
_LINEAR: dict[str, Callable[[float], float]] = {
    "lateral_lumbar_flexion_cm": lambda a: (21.1 - a) / 2.1,
    "tragus_to_wall_cm": lambda a: (a - 8) / 3,
    "modified_schober_cm": lambda a: (7.4 - a) / 0.7,
    "intermalleolar_distance_cm": lambda a: (124.5 - a) / 10,
    "cervical_rotation_deg": lambda a: (89.3 - a) / 8.5,
}


def linear_component(measurement: str, value: float) -> float:
    """One BASMIlin component score, clamped to [0, 10]."""
    return min(10.0, max(0.0, _LINEAR[measurement](value)))


def _worse_when_lower(value: float, mild_above: float, severe_below: float) -> int:
    """0 above ``mild_above``, 2 below ``severe_below``, 1 on or between the two limits."""
    if value > mild_above:
        return 0
    if value < severe_below:
        return 2
    return 1


def two_step_component(measurement: str, value: float) -> int:
    """One 2-step component score (0, 1 or 2); a value on a limit scores 1 (see docstring)."""
    if measurement == "tragus_to_wall_cm":  # the only measurement that is worse when higher
        return 0 if value < 15 else 2 if value > 30 else 1
    limits = {
        "lateral_lumbar_flexion_cm": (10.0, 5.0),
        "modified_schober_cm": (4.0, 2.0),
        "intermalleolar_distance_cm": (100.0, 70.0),
        "cervical_rotation_deg": (70.0, 20.0),
    }[measurement]
    return _worse_when_lower(value, *limits)


def score_linear(x: BasmiInputs) -> Result:
    parts = {m: linear_component(m, getattr(x, m)) for m in MEASUREMENTS}
    return SPEC_LINEAR.result(score=sum(parts.values()) / len(parts), components=parts)


def score_two_step(x: BasmiInputs) -> Result:
    parts = {m: two_step_component(m, getattr(x, m)) for m in MEASUREMENTS}
    return SPEC_TWO_STEP.result(score=float(sum(parts.values())), components=parts)


_NOT_10_STEP = (
    "BASMI 10-step is not provided: its table (Jones 1995) could not be confirmed from a source."
)

SPEC_LINEAR = CalculatorSpec(
    name="basmi_lin",
    version="2008.1",
    title="Bath Ankylosing Spondylitis Metrology Index, linear definition (BASMIlin)",
    kind="instrument",
    inputs=BasmiInputs,
    compute=score_linear,
    references=(VAN_DER_HEIJDE_2008_BASMI_LIN, JENKINSON_1994_BASMI),
    score_range=(0.0, 10.0),
    interpretation="0–10 (mean of five component scores), higher is more limited spinal "
    "mobility. No cut-offs are defined. Recommended by ASAS.",
    notes=_NOT_10_STEP,
)

SPEC_TWO_STEP = CalculatorSpec(
    name="basmi_2step",
    version="1994.1",
    title="Bath Ankylosing Spondylitis Metrology Index, original 2-step definition (BASMI2)",
    kind="instrument",
    inputs=BasmiInputs,
    compute=score_two_step,
    references=(JENKINSON_1994_BASMI,),
    score_range=(0.0, 10.0),
    interpretation="0–10 (sum of five 0/1/2 scores), higher is more limited spinal mobility. "
    "No cut-offs are defined. Not interchangeable with BASMIlin.",
    unverified=(
        "a measurement exactly on a limit (10/5 cm, 15/30 cm, 4/2 cm, 100/70 cm, 70/20°) scores "
        "1: our reading of the table's closed middle ranges",
    ),
    notes=_NOT_10_STEP,
)

SPECS = (SPEC_LINEAR, SPEC_TWO_STEP)
