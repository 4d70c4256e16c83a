"""Input and output helpers of the commands that read or print JSON (``calc``, ``triage``)."""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import Any

from immunospine.errors import InputError


def read_json_text(path: Path | None, *, context: str, what: str) -> str:
    """The text of ``path``, or of standard input when no path is given (and stdin is a pipe)."""
    if path is None:
        if sys.stdin is None or sys.stdin.isatty():
            raise InputError.single(
                ("--input",),
                f"no {what}: give --input FILE or pipe a JSON object to standard input",
                context=context,
                has_value=False,
            )
        return sys.stdin.read()
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError.single(
            ("--input",), f"cannot be read ({exc.strerror})", str(path), context=context
        ) from None


SIGNIFICANT_DIGITS = 15
"""Digits a printed number keeps: all that a float64 holds reliably, none of its noise."""


def for_output(value: Any) -> Any:
    """``value`` with every float rounded to ``SIGNIFICANT_DIGITS`` significant digits.

    Display only: ``0.058 * 3.1`` is ``0.17980000000000002`` in binary floating point and is
    printed as ``0.1798``, as a person computing it would write it. The result objects keep the
    exact values (the calculator contract: faces round when they show a score).
    """
    if isinstance(value, float):
        return float(f"{value:.{SIGNIFICANT_DIGITS}g}") if math.isfinite(value) else value
    if isinstance(value, dict):
        return {k: for_output(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [for_output(v) for v in value]
    return value


def dumps_json(value: Any, *, indent: int | None = None) -> str:
    """JSON for standard output: non-ASCII kept, numbers without float noise."""
    return json.dumps(for_output(value), ensure_ascii=False, indent=indent)
