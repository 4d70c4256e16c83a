"""ASAS 5/6 — improvement of ≥ 20 % in at least 5 of 6 domains (Brandt 2004).

**Rule** (clinical.md §4e): the four ASAS domains (patient global, total back pain, BASFI,
inflammation = mean of BASDAI q5 and q6) plus CRP and spinal mobility (lateral spinal flexion);
met when ≥ 5 of the 6 improve by ≥ 20 %. No absolute-unit requirement is given in the source
text, so none is applied. Mobility improves when the lateral flexion distance **increases**; the
other five improve when they decrease.

**Inputs**: ``baseline`` and ``follow_up``, each an object with ``patient_global``,
``back_pain``, ``basfi``, ``basdai_q5``, ``basdai_q6`` (0–10), ``crp_mg_l`` (≥ 0) and
``lateral_spinal_flexion_cm`` (≥ 0; the mean of left and right, as in BASMI).

**Result**: ``verdict`` met / not met; ``score`` = number of domains improved (0–6);
``components`` per domain: baseline, follow-up, absolute and relative improvement, improved.
A domain with baseline 0 (e.g. CRP 0 mg/L) cannot improve by ≥ 20 % (relative change undefined;
not specified in the source). Changes are compared after rounding to 6 decimals (``_change``).

**References**: Brandt 2004.

**Example** [C]: global 6→3, pain 7→4, BASFI 5→4.5, inflammation 6→3, CRP 20→8 mg/L, lateral
flexion 10→13 cm: all but BASFI improve ≥ 20 % → 5 of 6 → met.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from immunospine.knowledge._inputs import ClinicalInputs, CrpMgL
from immunospine.knowledge._spec import CalculatorSpec
from immunospine.knowledge._types import Result, Verdict
from immunospine.knowledge.response._asas import (
    BRANDT_2004_ASAS40,
    AsasAssessment,
    domain_changes,
    listed,
)
from immunospine.knowledge.response._change import DomainChange

IMPROVEMENT_PERCENT = 20.0
DOMAINS_NEEDED = 5


class Asas5of6Assessment(AsasAssessment):
    """One visit: the four ASAS domains, CRP and lateral spinal flexion."""

    crp_mg_l: CrpMgL
    lateral_spinal_flexion_cm: Annotated[
        float,
        Field(ge=0, description="lateral spinal flexion in cm, mean of left and right (≥ 0)"),
    ]


class Asas5of6Inputs(ClinicalInputs):
    """The six domains at two visits."""

    baseline: Asas5of6Assessment
    follow_up: Asas5of6Assessment


def score(x: Asas5of6Inputs) -> Result:
    domains = [
        *domain_changes(x.baseline, x.follow_up),
        DomainChange("crp_mg_l", x.baseline.crp_mg_l, x.follow_up.crp_mg_l),
        DomainChange(
            "lateral_spinal_flexion_cm",
            x.baseline.lateral_spinal_flexion_cm,
            x.follow_up.lateral_spinal_flexion_cm,
            higher_is_better=True,
        ),
    ]
    improved = [d.name for d in domains if d.improved_by(percent=IMPROVEMENT_PERCENT)]
    met = len(improved) >= DOMAINS_NEEDED
    components: dict[str, object] = {
        d.name: {**d.as_component(), "improved": d.name in improved} for d in domains
    }
    components["domains_improved"] = len(improved)
    return SPEC.result(
        score=float(len(improved)),
        components=components,
        verdict=Verdict.MET if met else Verdict.NOT_MET,
        because=(
            f"{len(improved)} of 6 domains improved by ≥ 20 % (need {DOMAINS_NEEDED}): "
            f"{listed(improved)}",
        ),
    )


SPEC = CalculatorSpec(
    name="asas_5of6",
    version="2004.1",
    title="ASAS 5/6 improvement criteria (≥ 20 % in 5 of 6 domains)",
    kind="response",
    inputs=Asas5of6Inputs,
    compute=score,
    references=(BRANDT_2004_ASAS40,),
    score_range=(0.0, 6.0),
    interpretation="Met: ≥ 20 % improvement in ≥ 5 of 6 domains (patient global, back pain, "
    "BASFI, inflammation, CRP, lateral spinal flexion — an increase in flexion is an "
    "improvement). Score: domains improved (0–6).",
    notes="a domain with baseline 0 is never 'improved' (relative change undefined); the source "
    "does not say how to handle a zero baseline",
)
