"""Change between two assessments, compared with published thresholds without float surprises.

Every change is rounded to ``CHANGE_DECIMALS`` (6) decimal places before it meets a cut-off, and so
is every threshold derived from a baseline (20 % of 7 → 1.4). In IEEE doubles 3.3 − 2.2 is
1.0999999999999996, which would otherwise miss "a decrease of ≥ 1.1"; clinical inputs never carry
more than 6 decimals, so the rounding removes only floating-point noise, never clinical meaning.

A relative change from a baseline of 0 is undefined. Response definitions do not say what to do
then (clinical.md §4e), so here a zero baseline is never "improved" by a relative criterion, and
any rise from 0 counts as an unbounded relative worsening (the absolute arm still applies).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

CHANGE_DECIMALS = 6
"""Decimal places kept before comparing a change with a threshold (see the module docstring)."""


def settle(value: float) -> float:
    """``value`` rounded to ``CHANGE_DECIMALS`` places, so cut-offs compare as in decimal."""
    return round(value, CHANGE_DECIMALS)


@dataclass(frozen=True, slots=True)
class DomainChange:
    """One domain measured twice. ``higher_is_better`` for mobility (a longer reach is better)."""

    name: str
    baseline: float
    follow_up: float
    higher_is_better: bool = False

    @property
    def improvement(self) -> float:
        """Absolute improvement in the domain's units; negative when the domain got worse."""
        if self.higher_is_better:
            return settle(self.follow_up - self.baseline)
        return settle(self.baseline - self.follow_up)

    @property
    def improvement_percent(self) -> float | None:
        """Improvement relative to baseline, in %; ``None`` where undefined (baseline 0)."""
        if self.baseline == 0:
            return None
        percent = self.improvement / self.baseline * 100
        return settle(percent) if math.isfinite(percent) else None

    @property
    def worsened(self) -> bool:
        """Any worsening at all (ASAS40's rule for the remaining domain)."""
        return self.improvement < 0

    def improved_by(self, *, percent: float, units: float = 0.0) -> bool:
        """Improved by ≥ ``percent`` % of baseline and ≥ ``units``; never from a zero baseline."""
        if self.baseline == 0:
            return False
        needed = settle(self.baseline * percent / 100)
        return self.improvement >= units and self.improvement >= needed

    def worsened_by(self, *, percent: float, units: float) -> bool:
        """Worse by ≥ ``percent`` % of baseline and ≥ ``units`` (any rise from 0 is ≥ any %)."""
        worsening = -self.improvement
        if worsening <= 0 or worsening < units:
            return False
        return self.baseline == 0 or worsening >= settle(self.baseline * percent / 100)

    def as_component(self) -> dict[str, float | None]:
        """The values a clinician needs to check the verdict by hand."""
        return {
            "baseline": self.baseline,
            "follow_up": self.follow_up,
            "absolute_improvement": self.improvement,
            "relative_improvement_percent": self.improvement_percent,
        }
