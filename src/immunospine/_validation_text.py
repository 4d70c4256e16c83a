"""Plain wording for validation problems: values as JSON, rules in words, never a regex.

Used by ``immunospine.errors`` (the one translator from pydantic's errors to ``InputError``). A
message says what the field must be in a user's words: ``must be a number``, ``must be at most
10``, ``must be a date as YYYY-MM-DD``; values are written as the user wrote them in JSON
(``true``, ``null``, ``{"a": 1}``), not as Python would print them.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from datetime import date, datetime, time
from decimal import Decimal
from enum import Enum
from typing import Any

__all__ = [
    "allowed_text",
    "field_names",
    "json_kind",
    "json_text",
    "number_text",
    "problem_message",
]


def number_text(value: float | int | Decimal) -> str:
    """A number as short as it is exact: ``0.1`` not ``0.1000000000000000055``, ``3`` not ``3.0``.

    Whole floats keep no ``.0``; others are repr's shortest round-trip form, which is what a
    user typed (JSON numbers are parsed to the nearest float).
    """
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value.is_finite() else str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return "NaN" if math.isnan(value) else ("Infinity" if value > 0 else "-Infinity")
        if value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    return str(value)


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return float(value) if value.is_finite() else str(value)
    if isinstance(value, tuple | set | frozenset):
        return list(value)
    if isinstance(value, Mapping):
        return dict(value)
    return str(value)


def json_text(value: Any) -> str:
    """``value`` written in JSON notation, as a user would have typed it (``true``, ``null``)."""
    if isinstance(value, float | Decimal) and not isinstance(value, bool):
        return number_text(value)
    try:
        return json.dumps(value, ensure_ascii=False, default=_plain, allow_nan=True)
    except ValueError:  # a circular structure: nothing a user typed
        return str(value)


def json_kind(value: Any) -> str:
    """What ``value`` is in JSON's words: ``a list``, ``text``, ``true or false``, ``null``."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float | Decimal):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, list | tuple):
        return "a list"
    return type(value).__name__


def _json_list(text: str) -> str:
    """pydantic's ``'a' or 'b'`` (Python quotes) with JSON quotes: ``"a" or "b"``."""
    return re.sub(r"'((?:[^'\\]|\\.)*)'", lambda m: json.dumps(m.group(1)), text)


_FHIR_FORMS = {
    "Decimal": "a number",
    "Integer": "a whole number",
    "PositiveInt": "a whole number above 0",
    "UnsignedInt": "a whole number of 0 or more",
    "Date": "a date as YYYY-MM-DD (or YYYY-MM, or YYYY)",
    "DateTime": "a date as YYYY-MM-DD, or a date and time as YYYY-MM-DDThh:mm:ss with a time zone",
    "Instant": "a date and time as YYYY-MM-DDThh:mm:ss with a time zone, e.g. +01:00 or Z",
    "Time": "a time of day as hh:mm:ss",
    "Boolean": "true or false",
    "Code": "a code without leading or trailing spaces",
    "Id": "an id of letters, digits, - and . (at most 64 characters)",
    "Uri": "a URI without spaces",
    "Url": "a URL without spaces",
    "Canonical": "a canonical URL without spaces",
    "Oid": "an OID as urn:oid:1.2.3",
    "Uuid": "a UUID as urn:uuid:…",
    "Base64Binary": "base64 text",
    "Markdown": "text",
    "String": "text",
}
_SPEC_REGEX = re.compile(r"^(\w+) value string does not match spec regex\.?$")


def _ctx(err: Mapping[str, Any], key: str) -> str:
    value = (err.get("ctx") or {}).get(key)
    return number_text(value) if isinstance(value, int | float | Decimal) else str(value)


def _places(n: str) -> str:
    return "1 decimal" if n == "1" else f"{n} decimals"


def _worded(err: Mapping[str, Any]) -> str | None:
    """pydantic's error in plain words, or None for one to keep as pydantic says it."""
    kind = str(err["type"])

    def c(key: str) -> str:
        return _ctx(err, key)

    words: dict[str, str] = {
        "missing": "is required",
        "bool_type": "must be true or false",
        "bool_parsing": "must be true or false",
        "int_type": "must be a whole number",
        "int_parsing": "must be a whole number",
        "int_from_float": "must be a whole number",
        "float_type": "must be a number",
        "float_parsing": "must be a number",
        "decimal_type": "must be a number",
        "decimal_parsing": "must be a number",
        "finite_number": "must be a finite number",
        "string_type": "must be text (a JSON string)",
        "dict_type": "must be a JSON object",
        "model_type": "must be a JSON object",
        "model_attributes_type": "must be a JSON object",
        "list_type": "must be a JSON list",
        "tuple_type": "must be a JSON list",
        "set_type": "must be a JSON list",
        "none_required": "must be null",
        "date_type": "must be a date as YYYY-MM-DD",
        "date_parsing": "must be a date as YYYY-MM-DD",
        "date_from_datetime_parsing": "must be a date as YYYY-MM-DD",
        "date_from_datetime_inexact": "must be a date as YYYY-MM-DD (without a time of day)",
        "date_future": "must be a date in the future",
        "date_past": "must be a date in the past",
        "datetime_type": "must be a date and time as YYYY-MM-DDThh:mm:ss",
        "datetime_parsing": "must be a date and time as YYYY-MM-DDThh:mm:ss",
        "datetime_from_date_parsing": "must be a date and time as YYYY-MM-DDThh:mm:ss",
        "timezone_aware": "must include a time zone (e.g. +01:00 or Z)",
        "timezone_naive": "must not include a time zone",
        "time_type": "must be a time of day as hh:mm:ss",
        "time_parsing": "must be a time of day as hh:mm:ss",
        "greater_than": f"must be above {c('gt')}",
        "greater_than_equal": f"must be at least {c('ge')}",
        "less_than": f"must be below {c('lt')}",
        "less_than_equal": f"must be at most {c('le')}",
        "multiple_of": f"must be a multiple of {c('multiple_of')}",
        "decimal_max_places": f"must be a number with at most {_places(c('decimal_places'))}",
        "decimal_max_digits": f"must be a number with at most {c('max_digits')} digits",
        "decimal_whole_digits": f"must have at most {c('whole_digits')} digits before the point",
        "string_too_short": f"must be at least {c('min_length')} characters long",
        "string_too_long": f"must be at most {c('max_length')} characters long",
        "string_pattern_mismatch": "is not in the allowed form",
        "too_short": f"must have at least {c('min_length')} items, not {c('actual_length')}",
        "too_long": f"must have at most {c('max_length')} items",
        "literal_error": f"must be {_json_list(c('expected'))}",
        "enum": f"must be {_json_list(c('expected'))}",
        "json_invalid": f"is not valid JSON ({c('error')})",
        "json_type": "must be JSON text",
        "uuid_type": "must be a UUID",
        "uuid_parsing": "must be a UUID",
        "url_type": "must be a URL",
        "url_parsing": "must be a URL",
    }
    return words.get(kind)


def problem_message(
    err: Mapping[str, Any], allowed: str = "", known: list[str] | None = None, context: str = ""
) -> str:
    """One pydantic error (a dict of ``ValidationError.errors()``) in plain words.

    ``allowed`` is the field's description (range and unit), added when the words do not already
    say it; ``known`` lists the fields an unknown one could have been; ``context`` names the
    calculator or record an unknown field is not part of.
    """
    kind = str(err["type"])
    if kind == "extra_forbidden":
        owner = f"an input of {context}" if context else "a known field"
        return f"is not {owner}" + (f"; allowed fields: {', '.join(known)}" if known else "")
    msg = _worded(err)
    if msg is None:
        msg = " ".join(str(err["msg"]).split())
        msg = msg.removeprefix("Value error, ").removeprefix("Assertion failed, ")
        spec = _SPEC_REGEX.match(msg)
        if spec is not None:
            form = _FHIR_FORMS.get(spec.group(1))
            msg = f"must be {form}" if form else f"is not a valid FHIR {spec.group(1)}"
        msg = _json_list(msg[:1].lower() + msg[1:])
    if kind == "missing":
        return msg + (f" ({allowed})" if allowed else "")
    if allowed and allowed not in msg:
        msg += f" (allowed: {allowed})"
    return msg


def _submodel(model: Any, loc: tuple[Any, ...]) -> Any:
    """The model (or type) found at ``loc`` inside ``model``; None when it is not a field."""
    current: Any = model
    for part in loc:
        fields = getattr(current, "model_fields", None)
        if isinstance(part, int):
            continue  # an element of a list field: stay on the list's element model
        if not fields or part not in fields:
            return None
        annotation = fields[part].annotation
        current = next(
            (a for a in _type_args(annotation) if hasattr(a, "model_fields")),
            annotation,
        )
    return current


def _type_args(annotation: Any) -> tuple[Any, ...]:
    args = getattr(annotation, "__args__", None)
    if not args:
        return (annotation,)
    return tuple(a for arg in args for a in _type_args(arg))


def field_names(model: Any, loc: tuple[Any, ...]) -> list[str]:
    """The fields of the model at ``loc`` (the parent of an unknown field), for a hint."""
    fields = getattr(_submodel(model, loc), "model_fields", None)
    return list(fields) if fields else []


def allowed_text(model: Any, loc: tuple[Any, ...]) -> str:
    """The description of the field at ``loc`` (it states the range and unit), if it has one."""
    names = tuple(p for p in loc if not isinstance(p, int))
    if not names:
        return ""
    parent = _submodel(model, names[:-1])
    fields = getattr(parent, "model_fields", None)
    if not fields or names[-1] not in fields:
        return ""
    return fields[names[-1]].description or ""
