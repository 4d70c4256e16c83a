"""Results as JSON for every face: the command line prints, the HTTP API answers, the same data."""

from __future__ import annotations

import math
from typing import Any

__all__ = ["SIGNIFICANT_DIGITS", "for_output", "for_output_checked"]

SIGNIFICANT_DIGITS = 15
"""Digits a shown number keeps: all that a float64 holds reliably, none of its noise."""


def for_output(value: Any) -> Any:
    """``value`` with every float rounded to ``SIGNIFICANT_DIGITS`` significant digits.

    Display only: ``0.058 * 3.1`` is ``0.17980000000000002`` in binary floating point and is
    shown as ``0.1798``, as a person computing it would write it. The result objects keep the
    exact values (the calculator contract: faces round when they show a score). A number next
    to the largest float is kept as it is: rounded up, it would overflow to infinity.
    """
    return for_output_checked(value)[0]


def for_output_checked(value: Any) -> tuple[Any, bool]:
    """``for_output(value)`` and whether every number in it is finite (one pass)."""
    finite = [True]
    return _rounded(value, finite), finite[0]


def _rounded(value: Any, finite: list[bool]) -> Any:
    kind = type(value)
    if kind is float or (kind is not bool and kind is not int and isinstance(value, float)):
        if not math.isfinite(value):
            finite[0] = False
            return value
        rounded = float(f"{value:.{SIGNIFICANT_DIGITS}g}")
        return rounded if math.isfinite(rounded) else value
    if kind is dict or (kind is not str and isinstance(value, dict)):
        return {k: _rounded(v, finite) for k, v in value.items()}
    if kind is list or kind is tuple or (kind is not str and isinstance(value, list | tuple)):
        return [_rounded(v, finite) for v in value]
    return value
