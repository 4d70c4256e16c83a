"""ASDAS response — clinically important change of the ASDAS between two visits.

**Rule** (clinical.md §4b), on ``change = follow-up − baseline`` (negative = better):

* ``major_improvement``: decrease ≥ 2.0 (Machado 2011);
* ``clinically_important_improvement``: decrease ≥ 1.1 (but < 2.0) (Machado 2011);
* ``clinically_important_worsening``: increase ≥ 0.9 (ASAS-endorsed, Molto 2018);
* ``no_important_change``: anything between.

The thresholds are imported from ``instruments/asdas.py`` (one source of truth). The change is
rounded to 6 decimals before the comparison (``_change``): 3.3 − 2.2 is 1.0999999999999996 in
floating point and must count as a decrease of 1.1. Both values must come from the same ASDAS
version; give ``variant`` on either visit and a mismatch is refused.

**Inputs**: ``baseline`` and ``follow_up``, each an object with ``asdas`` (≥ 0) and optional
``variant`` (``asdas_crp`` or ``asdas_esr``), e.g. ``calculate("asdas_response",
baseline={"asdas": 4.23844}, follow_up={"asdas": 1.81386})``.

**Result**: ``score`` = the change (follow-up − baseline); ``category`` as above; ``verdict`` met
when the decrease is clinically important (≥ 1.1, which includes a major improvement);
``components``: both values, the change, one flag per threshold and both disease-activity states.

**References**: Machado 2011 (improvement thresholds); Molto 2018 (worsening).

**Example** (clinical.md A8 [C]): 4.23844 → 1.81386: change −2.42458 → major improvement.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from immunospine.errors import InputError
from immunospine.knowledge._inputs import ClinicalInputs
from immunospine.knowledge._spec import CalculatorSpec, Reference, bands_from_cutoffs
from immunospine.knowledge._types import Result, Verdict
from immunospine.knowledge.instruments.asdas import (
    CLINICALLY_IMPORTANT_IMPROVEMENT,
    CLINICALLY_IMPORTANT_WORSENING,
    ESR_CUTOFFS_NOTE,
    MAJOR_IMPROVEMENT,
    STATES,
)
from immunospine.knowledge.references import MACHADO_2011_ASDAS_CUTOFFS
from immunospine.knowledge.response._change import settle

MOLTO_2018_ASDAS_WORSENING = Reference(
    "Molto A, Gossec L, Meghnathi B, et al. An Assessment in SpondyloArthritis International "
    "Society (ASAS)-endorsed definition of clinically important worsening in axial "
    "spondyloarthritis based on ASDAS. Ann Rheum Dis 2018;77:124-7",
    doi="10.1136/annrheumdis-2017-212178",
)

CHANGE_BANDS = bands_from_cutoffs(
    (
        "major_improvement",
        "clinically_important_improvement",
        "no_important_change",
        "clinically_important_worsening",
    ),
    (-MAJOR_IMPROVEMENT, -CLINICALLY_IMPORTANT_IMPROVEMENT, CLINICALLY_IMPORTANT_WORSENING),
    upper_inclusive=(True, True, False),
)
"""change ≤ −2.0 < … ≤ −1.1 < … < 0.9 ≤ change (change = follow-up − baseline, rounded)."""


class AsdasVisit(ClinicalInputs):
    """One visit's ASDAS value and, optionally, which ASDAS it is."""

    asdas: Annotated[float, Field(ge=0, description="ASDAS value (≥ 0)")]
    variant: Literal["asdas_crp", "asdas_esr"] | None = Field(
        default=None, description="which ASDAS: 'asdas_crp' or 'asdas_esr' (optional)"
    )


class AsdasResponseInputs(ClinicalInputs):
    """The ASDAS at baseline and at follow-up, from the same ASDAS version."""

    baseline: AsdasVisit
    follow_up: AsdasVisit


def score(x: AsdasResponseInputs) -> Result:
    variants = {v.variant for v in (x.baseline, x.follow_up)} - {None}
    if len(variants) > 1:
        raise InputError.single(
            ("follow_up", "variant"),
            f"must be the same ASDAS as the baseline ({x.baseline.variant}): a change between "
            "ASDAS-CRP and ASDAS-ESR is not defined",
            x.follow_up.variant,
            context=SPEC.name,
        )
    change = settle(x.follow_up.asdas - x.baseline.asdas)
    decrease = -change
    category = CHANGE_BANDS.classify(change)
    important = decrease >= CLINICALLY_IMPORTANT_IMPROVEMENT
    return SPEC.result(
        score=change,
        category=category,
        components={
            "baseline_asdas": x.baseline.asdas,
            "follow_up_asdas": x.follow_up.asdas,
            "change": change,
            "major_improvement": decrease >= MAJOR_IMPROVEMENT,
            "clinically_important_improvement": important,
            "clinically_important_worsening": change >= CLINICALLY_IMPORTANT_WORSENING,
            "baseline_state": STATES.classify(x.baseline.asdas),
            "follow_up_state": STATES.classify(x.follow_up.asdas),
            "variant": next(iter(variants), None),
        },
        verdict=Verdict.MET if important else Verdict.NOT_MET,
        because=(
            f"ASDAS {x.baseline.asdas:g} → {x.follow_up.asdas:g}: change {change:+g} → "
            f"{category.replace('_', ' ')} (improvement ≥ {CLINICALLY_IMPORTANT_IMPROVEMENT:g}, "
            f"major ≥ {MAJOR_IMPROVEMENT:g}, worsening ≥ {CLINICALLY_IMPORTANT_WORSENING:g})",
        ),
    )


SPEC = CalculatorSpec(
    name="asdas_response",
    version="2018.1",
    title="ASDAS response: clinically important improvement, major improvement or worsening",
    kind="response",
    inputs=AsdasResponseInputs,
    compute=score,
    references=(MACHADO_2011_ASDAS_CUTOFFS, MOLTO_2018_ASDAS_WORSENING),
    bands=CHANGE_BANDS,
    interpretation="Score: change in ASDAS (follow-up − baseline; negative is better). A "
    "decrease of ≥ 1.1 is a clinically important improvement (verdict met), ≥ 2.0 a major "
    "improvement; an increase of ≥ 0.9 is a clinically important worsening.",
    notes="The disease-activity states in the components use the ASDAS-CRP cut-offs for "
    "ASDAS-ESR values too. " + ESR_CUTOFFS_NOTE,
)
