"""BASDAI50 — a major improvement of the BASDAI between two visits.

**Rule**: the original definition is an improvement of ≥ 50 % of the baseline BASDAI
(Rudwaleit 2004); the verdict follows it. The ASAS anti-TNF recommendations extend the response
criterion to "≥ 50 % **or** ≥ 2 units (0–10)" (Braun 2003, ASAS anti-TNF consensus: "at least
50% or 2 units (on a 0–10 scale) of the BASDAI"); that variant is reported as a separate flag,
never as the verdict.

**Inputs**: ``baseline`` and ``follow_up``, each an object with ``basdai`` (0–10), e.g.
``calculate("basdai50", baseline={"basdai": 6.0}, follow_up={"basdai": 2.8})``.

**Result**: ``verdict`` met / not met (≥ 50 %); ``score`` = relative improvement in % (null
when the baseline is 0, where it is undefined and the verdict is not met); ``components``:
absolute and relative improvement, ``basdai50`` and ``asas_50_percent_or_2_units`` flags.
Changes are compared after rounding to 6 decimals (``_change``).

**References**: Rudwaleit 2004; Braun 2003 (ASAS anti-TNF consensus); Garrett 1994 (BASDAI).

**Example** [C]: 6.0 → 3.0 is 50 % → met; 6.0 → 3.5 is 41.7 % (2.5 units) → not met, but the
ASAS "≥ 50 % or ≥ 2 units" flag is true.
"""

from __future__ import annotations

from immunospine.knowledge._inputs import NRS, ClinicalInputs
from immunospine.knowledge._spec import CalculatorSpec, Reference
from immunospine.knowledge._types import Result, Verdict
from immunospine.knowledge.references import GARRETT_1994_BASDAI
from immunospine.knowledge.response._change import DomainChange

BRAUN_2003_ASAS_ANTI_TNF = Reference(
    "Braun J, Pham T, Sieper J, et al. International ASAS consensus statement for the use of "
    "anti-tumour necrosis factor agents in patients with ankylosing spondylitis. "
    "Ann Rheum Dis 2003;62:817-24",
    doi="10.1136/ard.62.9.817",
)
"""Seen in issue 14: citation, DOI and the response definition in the ARD record's abstract."""

RUDWALEIT_2004_BASDAI50 = Reference(
    "Rudwaleit M, Listing J, Brandt J, Braun J, Sieper J. Prediction of a major clinical response "
    "(BASDAI 50) to tumour necrosis factor alpha blockers in ankylosing spondylitis. "
    "Ann Rheum Dis 2004;63:665-70",
    doi="10.1136/ard.2003.016386",
)

RELATIVE_PERCENT = 50.0
ABSOLUTE_UNITS = 2.0


class BasdaiVisit(ClinicalInputs):
    """The BASDAI at one visit."""

    basdai: NRS


class Basdai50Inputs(ClinicalInputs):
    """The BASDAI at baseline and at follow-up."""

    baseline: BasdaiVisit
    follow_up: BasdaiVisit


def score(x: Basdai50Inputs) -> Result:
    change = DomainChange("basdai", x.baseline.basdai, x.follow_up.basdai)
    relative = change.improved_by(percent=RELATIVE_PERCENT)
    absolute = change.improvement >= ABSOLUTE_UNITS
    percent = change.improvement_percent
    shown = "undefined (baseline 0)" if percent is None else f"{percent:g} %"
    return SPEC.result(
        score=percent,
        components={
            **change.as_component(),
            "basdai50": relative,
            "asas_50_percent_or_2_units": relative or absolute,
        },
        verdict=Verdict.MET if relative else Verdict.NOT_MET,
        because=(
            f"BASDAI {x.baseline.basdai:g} → {x.follow_up.basdai:g}: improvement "
            f"{change.improvement:g} units, {shown} (need ≥ 50 %)",
        ),
    )


SPEC = CalculatorSpec(
    name="basdai50",
    version="2004.1",
    title="BASDAI50 response (≥ 50 % improvement of the BASDAI)",
    kind="response",
    inputs=Basdai50Inputs,
    compute=score,
    references=(RUDWALEIT_2004_BASDAI50, BRAUN_2003_ASAS_ANTI_TNF, GARRETT_1994_BASDAI),
    interpretation="Met: the BASDAI improved by ≥ 50 % of its baseline value (Rudwaleit 2004). "
    "Score: relative improvement in %. The components also flag the ASAS anti-TNF variant "
    "'≥ 50 % or ≥ 2 units'.",
    notes="The '≥ 2 units' arm (flag asas_50_percent_or_2_units) was seen in issue 14 in the "
    "abstract of Braun 2003 (ARD 62:817, doi 10.1136/ard.62.9.817): response is 'improvement "
    "of at least 50% or 2 units (on a 0–10 scale) of the BASDAI' plus expert opinion.",
)
