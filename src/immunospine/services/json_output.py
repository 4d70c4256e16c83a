"""Results as JSON for every face: the command line prints, the HTTP API answers, the same data."""

from __future__ import annotations

import math
from typing import Any

__all__ = ["SIGNIFICANT_DIGITS", "for_output"]

SIGNIFICANT_DIGITS = 15
"""Digits a shown number keeps: all that a float64 holds reliably, none of its noise."""


def for_output(value: Any) -> Any:
    """``value`` with every float rounded to ``SIGNIFICANT_DIGITS`` significant digits.

    Display only: ``0.058 * 3.1`` is ``0.17980000000000002`` in binary floating point and is
    shown as ``0.1798``, as a person computing it would write it. The result objects keep the
    exact values (the calculator contract: faces round when they show a score). A number next
    to the largest float is kept as it is: rounded up, it would overflow to infinity.
    """
    if isinstance(value, float):
        if not math.isfinite(value):
            return value
        rounded = float(f"{value:.{SIGNIFICANT_DIGITS}g}")
        return rounded if math.isfinite(rounded) else value  # 1.7976931348623157e308 stays
    if isinstance(value, dict):
        return {k: for_output(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [for_output(v) for v in value]
    return value
