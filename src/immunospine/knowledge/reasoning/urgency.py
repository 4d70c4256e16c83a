"""How urgently to act, and whom to see: the one place where the urgency rule lives.

**Rule**, first match wins:

1. any red flag for cauda equina → ``emergency`` (emergency department, now);
2. any other red flag (cancer, infection, fracture) → ``urgent`` (a doctor within days);
3. axSpA probable or definite (probability ≥ 0.80) and the entry not failed → ``soon``
   (rheumatology within weeks);
4. referral to rheumatology recommended → ``routine`` (routine referral through the GP);
5. referral undecided (answers or tests missing) → ``routine`` (GP, to complete the picture);
6. referral not recommended but another condition is worth discussing, or a sign of
   spondyloarthritis is present (e.g. onset after 45 with HLA-B27) → ``routine`` (GP);
7. otherwise → ``self_care`` (self-management; see a GP if not better within 6 weeks or if new
   symptoms appear).

Red flags therefore set the urgency whatever else the case says, as the triage contract requires.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from immunospine.knowledge._types import Verdict
from immunospine.knowledge.reasoning.considerations import Consideration
from immunospine.knowledge.reasoning.red_flags import RedFlag

__all__ = ["URGENCIES", "NextStep", "Urgency", "decide"]

Urgency = Literal["emergency", "urgent", "soon", "routine", "self_care"]
URGENCIES: tuple[Urgency, ...] = ("emergency", "urgent", "soon", "routine", "self_care")
"""From most to least urgent."""

SELF_CARE_REVIEW_WEEKS = 6
"""Back pain not settling with self-care within 4–6 weeks should be reviewed (clinical.md §8)."""


@dataclass(frozen=True, slots=True)
class NextStep:
    """The urgency, who to see, how fast, and the rule that decided it."""

    urgency: Urgency
    see: Literal["emergency_department", "gp", "rheumatology", "self_care"]
    how_fast: Literal["now", "within_days", "within_weeks", "routine", "if_not_improving"]
    reason: str


def decide(
    red_flags: tuple[RedFlag, ...],
    entry: Verdict,
    category: str,
    refer: bool | None,
    considerations: tuple[Consideration, ...],
    findings: Mapping[str, bool | None],
) -> NextStep:
    """Apply the urgency rule above."""
    suspected = {f.suspected for f in red_flags}
    if "cauda_equina" in suspected:
        return NextStep(
            "emergency", "emergency_department", "now", "red flag for cauda equina syndrome"
        )
    if suspected:
        names = ", ".join(sorted(suspected))
        return NextStep("urgent", "gp", "within_days", f"red flag for {names}")
    if entry is not Verdict.NOT_MET and category in ("probable", "definite"):
        return NextStep("soon", "rheumatology", "within_weeks", f"axSpA {category}")
    if refer is True:
        return NextStep("routine", "rheumatology", "routine", "referral recommended")
    if refer is None:
        return NextStep("routine", "gp", "routine", "referral undecided: answers or tests missing")
    other = [c.condition for c in considerations if c.condition != "mechanical_back_pain"]
    positive = [k for k, v in findings.items() if v is True]
    if other or positive:
        what = ", ".join(other + positive)
        return NextStep("routine", "gp", "routine", f"referral not recommended; discuss {what}")
    return NextStep(
        "self_care",
        "self_care",
        "if_not_improving",
        "no red flag, referral not recommended, nothing else raised",
    )
