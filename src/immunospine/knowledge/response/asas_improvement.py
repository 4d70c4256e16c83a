"""ASAS20 and ASAS40 — ASAS improvement criteria between two visits.

**Rule** (clinical.md §4e), over four domains (see ``_asas``): patient global, total back pain,
BASFI, and inflammation (mean of BASDAI q5 and q6), all 0–10.

* ``asas20`` (Anderson 2001): improvement of ≥ 20 % **and** ≥ 1 unit in ≥ 3 of the 4 domains,
  and no worsening of ≥ 20 % **and** ≥ 1 unit in the remaining domain.
* ``asas40`` (Brandt 2004): improvement of ≥ 40 % **and** ≥ 2 units in ≥ 3 of the 4 domains,
  and no worsening at all in the remaining domain.

**Inputs**: ``baseline`` and ``follow_up``, each an object with ``patient_global``,
``back_pain``, ``basfi``, ``basdai_q5`` and ``basdai_q6`` (0–10). All are required.

**Result**: ``verdict`` met / not met; ``score`` = number of domains improved (0–4);
``components`` gives each domain's baseline, follow-up, absolute and relative improvement and
whether it improved or worsened by the rule's measure. Changes are compared after rounding to 6
decimals (``_change``). A domain with baseline 0 cannot improve by a relative criterion
(undefined; not specified in the sources); a rise from 0 counts as a relative worsening.

**References**: Anderson 2001 (ASAS20); Brandt 2004 (ASAS40).

**Example** (clinical.md §4e [C]): baseline global 6, pain 7, BASFI 5, inflammation 6 → global 3,
pain 4, BASFI 4.5, inflammation 3: three domains improve ≥ 40 % and ≥ 2 units, BASFI is better,
not worse → ASAS20 met and ASAS40 met.
"""

from __future__ import annotations

from dataclasses import dataclass

from immunospine.knowledge._inputs import ClinicalInputs
from immunospine.knowledge._spec import CalculatorSpec
from immunospine.knowledge._types import Result, Verdict
from immunospine.knowledge.response._asas import (
    ANDERSON_2001_ASAS20,
    BRANDT_2004_ASAS40,
    AsasAssessment,
    domain_changes,
    listed,
)
from immunospine.knowledge.response._change import DomainChange


class AsasImprovementInputs(ClinicalInputs):
    """The same ASAS domains at two visits."""

    baseline: AsasAssessment
    follow_up: AsasAssessment


@dataclass(frozen=True, slots=True)
class _Rule:
    percent: float
    units: float
    worsening_text: str
    any_worsening: bool  # ASAS40: no worsening at all; ASAS20: not ≥ percent and ≥ units

    def worse(self, domain: DomainChange) -> bool:
        if self.any_worsening:
            return domain.worsened
        return domain.worsened_by(percent=self.percent, units=self.units)


ASAS20_RULE = _Rule(20.0, 1.0, "worse by ≥ 20 % and ≥ 1 unit", any_worsening=False)
ASAS40_RULE = _Rule(40.0, 2.0, "worse at all", any_worsening=True)
DOMAINS_NEEDED = 3


def _evaluate(spec: CalculatorSpec, rule: _Rule, x: AsasImprovementInputs) -> Result:
    domains = domain_changes(x.baseline, x.follow_up)
    improved = [d.name for d in domains if d.improved_by(percent=rule.percent, units=rule.units)]
    remaining = [d for d in domains if d.name not in improved]
    worse = [d.name for d in remaining if rule.worse(d)]
    met = len(improved) >= DOMAINS_NEEDED and not worse
    because = [
        f"{len(improved)} of 4 domains improved by ≥ {rule.percent:g} % and ≥ {rule.units:g} "
        f"unit{'s' if rule.units != 1 else ''} (need {DOMAINS_NEEDED}): {listed(improved)}"
    ]
    if remaining:
        because.append(
            f"remaining domain{'s' if len(remaining) > 1 else ''} {rule.worsening_text}: "
            f"{listed(worse)}"
        )
    components: dict[str, object] = {
        d.name: {
            **d.as_component(),
            "improved": d.name in improved,
            "worsened": d.name in worse,
        }
        for d in domains
    }
    components["domains_improved"] = len(improved)
    return spec.result(
        score=float(len(improved)),
        components=components,
        verdict=Verdict.MET if met else Verdict.NOT_MET,
        because=tuple(because),
    )


def score_asas20(x: AsasImprovementInputs) -> Result:
    return _evaluate(SPEC_ASAS20, ASAS20_RULE, x)


def score_asas40(x: AsasImprovementInputs) -> Result:
    return _evaluate(SPEC_ASAS40, ASAS40_RULE, x)


_BASELINE_ZERO = (
    "a domain with baseline 0 is never 'improved' (relative change undefined) and any rise from 0 "
    "is a relative worsening: the sources do not say how to handle a zero baseline"
)

SPEC_ASAS20 = CalculatorSpec(
    name="asas20",
    version="2001.1",
    title="ASAS20 improvement criteria (Assessment of SpondyloArthritis international Society)",
    kind="response",
    inputs=AsasImprovementInputs,
    compute=score_asas20,
    references=(ANDERSON_2001_ASAS20,),
    score_range=(0.0, 4.0),
    interpretation="Met: ≥ 20 % and ≥ 1 unit improvement in ≥ 3 of 4 ASAS domains (patient "
    "global, back pain, BASFI, inflammation) and no worsening of ≥ 20 % and ≥ 1 unit in the "
    "remaining domain. Score: domains improved (0–4).",
    notes=_BASELINE_ZERO,
)

SPEC_ASAS40 = CalculatorSpec(
    name="asas40",
    version="2004.1",
    title="ASAS40 improvement criteria (Assessment of SpondyloArthritis international Society)",
    kind="response",
    inputs=AsasImprovementInputs,
    compute=score_asas40,
    references=(BRANDT_2004_ASAS40, ANDERSON_2001_ASAS20),
    score_range=(0.0, 4.0),
    interpretation="Met: ≥ 40 % and ≥ 2 units improvement in ≥ 3 of 4 ASAS domains (patient "
    "global, back pain, BASFI, inflammation) and no worsening at all in the remaining domain. "
    "Score: domains improved (0–4).",
    notes=_BASELINE_ZERO,
)

SPECS = (SPEC_ASAS20, SPEC_ASAS40)
