"""What the triage renderers read from a triage result, as a typed protocol.

``services.triage.TriageResult`` satisfies it. The renderers sit below the services in the layers,
so they name the shape they need here instead of importing the service; mypy checks the match.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Protocol

from immunospine.knowledge import Result
from immunospine.knowledge.reasoning.case import TriageCase
from immunospine.knowledge.reasoning.considerations import Consideration
from immunospine.knowledge.reasoning.red_flags import RedFlag
from immunospine.knowledge.reasoning.referral import Referral
from immunospine.knowledge.reasoning.urgency import NextStep

__all__ = ["TriageView"]


class TriageView(Protocol):
    """The parts of a triage result a report shows (fields of ``services.triage.TriageResult``)."""

    @property
    def case(self) -> TriageCase: ...
    @property
    def step(self) -> NextStep: ...
    @property
    def red_flags(self) -> tuple[RedFlag, ...]: ...
    @property
    def red_flags_unknown(self) -> tuple[str, ...]: ...
    @property
    def ibp(self) -> Mapping[str, Result]: ...
    @property
    def probability(self) -> Result: ...
    @property
    def referral(self) -> Referral: ...
    @property
    def considerations(self) -> tuple[Consideration, ...]: ...
    @property
    def explanation(self) -> str: ...
    @property
    def disclaimer(self) -> str: ...
