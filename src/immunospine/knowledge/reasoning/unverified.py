"""Which unverified facts a triage result leans on, in words a person can read (issue 14).

A result that depends on a fact nobody confirmed in a source says so where it is read: a
likelihood ratio that moved the axSpA probability, a red flag that was raised, a referral
strategy that was applied, a consideration drawn from a knowledge-base entry with an unread
source. Facts the result did not use (a finding not given, a negative result that is ignored)
are not mentioned. The whole list: ``docs/reference/unverified-facts.md``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from immunospine.knowledge.probability.axspa import LIKELIHOOD_RATIOS
from immunospine.knowledge.reasoning.considerations import Consideration
from immunospine.knowledge.reasoning.red_flags import RedFlag
from immunospine.knowledge.reasoning.referral import StrategyVerdict, strategy_info

__all__ = ["triage_notes"]


def triage_notes(
    red_flags: Iterable[RedFlag],
    contributions: Iterable[Mapping[str, Any]],
    strategies: Iterable[StrategyVerdict],
    considerations: Iterable[Consideration],
) -> tuple[str, ...]:
    """One sentence per unverified fact the result used, red flags first."""
    notes = [
        f"The warning sign '{f.label}' has not yet been confirmed in a published guideline; it "
        "is shown to stay on the safe side."
        for f in red_flags
        if not f.verified
    ]
    notes += [
        f"The weight given to {LIKELIHOOD_RATIOS[c['finding']].label} in the chance of axial "
        f"spondyloarthritis (×{c['likelihood_ratio']:g}) has not yet been checked against its "
        "published source."
        for c in contributions
        if not c["verified"] and not c["ignored"]
    ]
    info = strategy_info()
    notes += [
        f"The referral rule {info[s.name].title} has not yet been checked against its source."
        for s in strategies
        if not info[s.name].verified
    ]
    notes += [
        f"'{c.name or c.condition}' is suggested from a knowledge-base entry whose sources have "
        "not all been checked."
        for c in considerations
        if not c.verified
    ]
    return tuple(notes)
