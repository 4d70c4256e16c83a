"""One CSV cell ↔ one Python value, by the column's type in ``COLUMNS``.

Reading never guesses: a cell that is not of its column's type is a problem, reported with the
text exactly as written and what the column takes.
"""

from __future__ import annotations

import json
import math
from datetime import date, datetime
from typing import Any

__all__ = ["ALLOWED_TEXT", "cell_text", "cell_value", "shown"]

ALLOWED_TEXT = {
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "date": "a date YYYY-MM-DD",
    "datetime": "a timestamp with time zone, e.g. 2024-05-01T07:30:00+02:00",
    "list": "names separated by ';'",
    "json": 'a JSON object, e.g. {"q1": 5}',
}
"""What a cell of each column type must hold, in words (for error messages)."""


def cell_value(kind: str, text: str) -> Any:
    """The value of a non-empty cell of a ``kind`` column; ``ValueError`` if it is not one."""
    match kind:
        case "int":
            return int(text.strip())
        case "float":
            value = float(text.strip())
            if not math.isfinite(value):
                raise ValueError(text)
            return value
        case "bool":
            low = text.strip().lower()
            if low not in ("true", "false", "yes", "no", "1", "0"):
                raise ValueError(text)
            return low in ("true", "yes", "1")
        case "date":
            return date.fromisoformat(text.strip())
        case "datetime":
            return datetime.fromisoformat(text.strip())
        case "list":
            return tuple(p.strip() for p in text.split(";") if p.strip())
        case "json":
            value = json.loads(text)
            if not isinstance(value, dict):
                raise ValueError(text)
            return value
    return text


def cell_text(value: Any) -> str:
    """The cell that reads back as ``value`` (empty for ``None``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, tuple):
        return ";".join(value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, float):
        return repr(value)
    return str(getattr(value, "value", value))


def shown(value: Any) -> str:
    """``value`` as JSON, the way a user writes it (``"abc"``, ``5``, ``true``), never a repr."""
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return json.dumps(str(value), ensure_ascii=False)
