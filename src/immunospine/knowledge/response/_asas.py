"""What the ASAS response definitions share: the four domains, their inputs and their sources.

The four ASAS domains, each 0–10 (clinical.md §4e): ``patient_global`` (patient global assessment
of disease activity), ``back_pain`` (total back pain), ``basfi`` (function, the BASFI score) and
inflammation, the mean of BASDAI question 5 (severity of morning stiffness) and question 6
(duration of morning stiffness), computed here from ``basdai_q5`` and ``basdai_q6``.
"""

from __future__ import annotations

from immunospine.knowledge._inputs import NRS, ClinicalInputs
from immunospine.knowledge._spec import Reference
from immunospine.knowledge.response._change import DomainChange, settle

ANDERSON_2001_ASAS20 = Reference(
    "Anderson JJ, Baron G, van der Heijde D, Felson DT, Dougados M. Ankylosing spondylitis "
    "assessment group preliminary definition of short-term improvement in ankylosing "
    "spondylitis. Arthritis Rheum 2001;44:1876-86",
    doi="10.1002/1529-0131(200108)44:8<1876::AID-ART326>3.0.CO;2-F",
    pmid="11508441",
)
BRANDT_2004_ASAS40 = Reference(
    "Brandt J, Listing J, Sieper J, Rudwaleit M, van der Heijde D, Braun J. Development and "
    "preselection of criteria for short term improvement after anti-TNF alpha treatment in "
    "ankylosing spondylitis. Ann Rheum Dis 2004;63:1438-44",
    doi="10.1136/ard.2003.016717",
)

DOMAINS = ("patient_global", "back_pain", "basfi", "inflammation")


class AsasAssessment(ClinicalInputs):
    """One visit's ASAS domains, all 0–10 numeric rating scales (or the BASFI score)."""

    patient_global: NRS
    back_pain: NRS
    basfi: NRS
    basdai_q5: NRS
    basdai_q6: NRS


def inflammation(x: AsasAssessment) -> float:
    """The ASAS inflammation domain: mean of BASDAI q5 and q6."""
    return settle((x.basdai_q5 + x.basdai_q6) / 2)


def domain_values(x: AsasAssessment) -> dict[str, float]:
    """The four domains of one visit, named as in ``DOMAINS``."""
    return {
        "patient_global": x.patient_global,
        "back_pain": x.back_pain,
        "basfi": x.basfi,
        "inflammation": inflammation(x),
    }


def domain_changes(baseline: AsasAssessment, follow_up: AsasAssessment) -> list[DomainChange]:
    """The four domains, each measured at baseline and follow-up (lower is better for all)."""
    before, after = domain_values(baseline), domain_values(follow_up)
    return [DomainChange(name, before[name], after[name]) for name in DOMAINS]


def listed(names: list[str]) -> str:
    """Names for a trace line, or "none"."""
    return ", ".join(names) or "none"
