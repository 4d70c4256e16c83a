"""Input and output helpers of the commands that read or print JSON (``calc``, ``triage``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from immunospine.errors import InputError
from immunospine.services.json_output import SIGNIFICANT_DIGITS, for_output

__all__ = ["SIGNIFICANT_DIGITS", "dumps_json", "for_output", "read_json_text"]


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


def dumps_json(value: Any, *, indent: int | None = None) -> str:
    """JSON for standard output: non-ASCII kept, numbers without float noise."""
    return json.dumps(for_output(value), ensure_ascii=False, indent=indent)
