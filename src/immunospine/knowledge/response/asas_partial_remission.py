"""ASAS partial remission — a low value in every ASAS domain at one visit.

**Rule** (clinical.md §4e): each of the four ASAS domains — patient global, total back pain,
BASFI and inflammation (mean of BASDAI q5 and q6) — is **not above 2** on its 0–10 scale.

Sources disagree at the edge: two secondary sources give "not above 2" (≤ 2) and one gives
"below 2"; the Anderson 2001 abstract itself words it as "< 20/100". The brief for this project
fixes ≤ 2 as the default (``threshold_rule="not_above_2"``); sites that follow the original
abstract can pass ``threshold_rule="below_2"`` (< 2). The difference matters only for a value of
exactly 2. Inflammation is rounded to 6 decimals before the comparison (``_change``).

**Inputs** (one visit): ``patient_global``, ``back_pain``, ``basfi``, ``basdai_q5``, ``basdai_q6``
(0–10); optional ``threshold_rule``.

**Result**: ``verdict`` met / not met; ``score`` = number of domains at or under the threshold
(0–4); ``components`` gives each domain's value and whether it passed.

**References**: Anderson 2001.

**Example** (clinical.md §4e [C]): global 3, pain 4, BASFI 4.5, inflammation 3 → not met.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from immunospine.knowledge._spec import CalculatorSpec
from immunospine.knowledge._types import Result, Verdict
from immunospine.knowledge.response._asas import (
    ANDERSON_2001_ASAS20,
    AsasAssessment,
    domain_values,
    listed,
)

THRESHOLD = 2.0


class PartialRemissionInputs(AsasAssessment):
    """The ASAS domains at one visit, and which reading of "2" to apply."""

    threshold_rule: Literal["not_above_2", "below_2"] = Field(
        default="not_above_2",
        description="'not_above_2' (≤ 2, default) or 'below_2' (< 2, Anderson 2001 abstract)",
    )


def score(x: PartialRemissionInputs) -> Result:
    values = domain_values(x)
    inclusive = x.threshold_rule == "not_above_2"
    sign = "≤" if inclusive else "<"
    passed = [
        name
        for name, value in values.items()
        if (value <= THRESHOLD if inclusive else value < THRESHOLD)
    ]
    above = [name for name in values if name not in passed]
    because = [f"{len(passed)} of 4 domains {sign} 2: {listed(passed)}"]
    if above:
        because.append(f"not {sign} 2: " + ", ".join(f"{n} {values[n]:g}" for n in above))
    components: dict[str, object] = {
        name: {"value": value, "passed": name in passed} for name, value in values.items()
    }
    components["threshold_rule"] = x.threshold_rule
    return SPEC.result(
        score=float(len(passed)),
        components=components,
        verdict=Verdict.NOT_MET if above else Verdict.MET,
        because=tuple(because),
    )


SPEC = CalculatorSpec(
    name="asas_partial_remission",
    version="2001.1",
    title="ASAS partial remission",
    kind="response",
    inputs=PartialRemissionInputs,
    compute=score,
    references=(ANDERSON_2001_ASAS20,),
    score_range=(0.0, 4.0),
    interpretation="Met: every ASAS domain (patient global, back pain, BASFI, inflammation) is "
    "not above 2 on 0–10. Score: domains at or under the threshold (0–4).",
    unverified=(
        "'not above 2' (≤ 2) is read from two secondary sources; another says 'below 2' and the "
        "Anderson 2001 abstract says '< 20/100'; threshold_rule='below_2' "
        "gives that reading",
    ),
)
