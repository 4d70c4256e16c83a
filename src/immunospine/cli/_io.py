"""Input helpers shared by the commands that read one JSON object (``calc``, ``triage``)."""

from __future__ import annotations

import sys
from pathlib import Path

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
