"""Form helpers shared by the pages: typed values from posted text, and problems by field.

Posted text becomes a number only when it reads as one; anything else is passed on as typed so
the service's validation names the field and the value (never a silent zero or a dropped
answer). An empty field means "not answered" and is left out.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, datetime
from typing import Any

from immunospine.errors import FieldProblem, InputError

__all__ = ["field_errors", "local_today", "typed_fields"]

_WRAPPERS = {"body", "assessment", "inputs", "assessments", "labs", "visit"}


def typed_fields(
    form: Mapping[str, str],
    *,
    numbers: Iterable[str] = (),
    texts: Iterable[str] = (),
    flags: Iterable[str] = (),
) -> dict[str, Any]:
    """The answered fields of ``form``: ``numbers`` as int/float, ``texts`` stripped, ``flags``
    (checkboxes) as booleans (present = true, absent = false)."""
    out: dict[str, Any] = {}
    for name in numbers:
        raw = form.get(name, "").strip()
        if raw:
            out[name] = number_or_text(raw)
    for name in texts:
        raw = form.get(name, "").strip()
        if raw:
            out[name] = raw
    for name in flags:
        out[name] = form.get(name, "") in ("on", "true", "1", "yes")
    return out


def number_or_text(raw: str) -> Any:
    """``raw`` as an int or float when it reads as one, else unchanged."""
    try:
        number = float(raw.replace(",", "."))
    except ValueError:
        return raw
    if number != number or number in (float("inf"), float("-inf")):
        return raw
    return int(number) if number.is_integer() and "." not in raw and "," not in raw else number


def _field_of(problem: FieldProblem) -> str:
    parts = [str(p) for p in problem.loc if str(p) not in _WRAPPERS]
    return parts[-1] if parts else "form"


def field_errors(exc: InputError, known: Iterable[str] = ()) -> dict[str, str]:
    """``{field: message}`` of an ``InputError``; a problem on no known field goes to ``form``."""
    names = set(known)
    out: dict[str, str] = {}
    for problem in exc.problems or (FieldProblem(("form",), exc.message),):
        name = _field_of(problem)
        if names and name not in names:
            name = "form"
        shown = (
            f"{problem.msg} (you entered {problem.value!r})" if problem.has_value else problem.msg
        )
        out[name] = f"{out[name]}; {shown}" if name in out else shown
    return out


def local_today() -> date:
    """Today in the server's time zone (the date a page records)."""
    return datetime.now().astimezone().date()
