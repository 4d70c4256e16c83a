"""Validation of FHIR resources against the ``fhir.resources`` R4B models, plus our own bindings.

``fhir.resources`` has no R4 package; its ``R4B`` (4.3.0) models are the closest maintained R4
models and are wire-compatible for the resources used here. They check structure, cardinality
and data types but not required code bindings (``Observation.status = "bogus"`` passes), so
``binding_problems`` checks the bindings this mapping relies on.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import re
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError

from immunospine.errors import (
    FhirError,
    FieldProblem,
    MissingExtraError,
    json_text,
    validation_problems,
)

__all__ = [
    "SUPPORTED",
    "FhirImportError",
    "binding_problems",
    "model_problems",
    "problem_report",
    "shape_key",
    "validate_resource",
]

SUPPORTED = (
    "Patient",
    "Condition",
    "Questionnaire",
    "QuestionnaireResponse",
    "Observation",
    "MedicationStatement",
    "Procedure",
)
"""Resource types read and written by the mapping."""

_BINDINGS: dict[str, dict[str, frozenset[str]]] = {
    "Patient": {"gender": frozenset({"male", "female", "other", "unknown"})},
    "Observation": {
        "status": frozenset(
            {"registered", "preliminary", "final", "amended", "corrected", "cancelled"}
            | {"entered-in-error", "unknown"}
        )
    },
    "QuestionnaireResponse": {
        "status": frozenset({"in-progress", "completed", "amended", "entered-in-error", "stopped"})
    },
    "Questionnaire": {"status": frozenset({"draft", "active", "retired", "unknown"})},
    "MedicationStatement": {
        "status": frozenset(
            {"active", "completed", "entered-in-error", "intended", "stopped", "on-hold"}
            | {"unknown", "not-taken"}
        )
    },
    "Procedure": {
        "status": frozenset(
            {"preparation", "in-progress", "not-done", "on-hold", "stopped", "completed"}
            | {"entered-in-error", "unknown"}
        )
    },
}


class FhirImportError(FhirError):
    """A bundle that cannot be imported; ``problems`` lists every problem found.

    Each problem's ``loc`` is ``("entry", index, resourceType, field, …)`` (or ``("bundle", …)``
    for the bundle itself), so a report can name the resource and the field.
    """

    def __init__(self, message: str, problems: tuple[FieldProblem, ...]) -> None:
        super().__init__(problem_report(message, problems))
        self.headline = message
        self.problems = problems


def problem_report(
    headline: str, problems: Sequence[FieldProblem], *, limit: int | None = None
) -> str:
    """``headline`` then one line a problem (field = value as JSON: rule), at most ``limit``."""
    listed = problems if limit is None else problems[:limit]
    lines = [headline]
    for p in listed:
        value = f" = {_json(p.value)}" if p.has_value else ""
        lines.append(f"  {p.field}{value}: {p.msg}")
    if len(listed) < len(problems):
        lines.append(f"  … and {len(problems) - len(listed)} more problem(s) not listed")
    return "\n".join(lines)


def _json(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        return json.dumps(str(value), ensure_ascii=False)


def _model(resource_type: str) -> Any:
    try:
        from fhir.resources.R4B import get_fhir_model_class
    except ImportError as exc:  # pragma: no cover - the extra is installed in development
        raise MissingExtraError("fhir", feature="FHIR import and export") from exc
    return get_fhir_model_class(resource_type)


def model_problems(resource: dict[str, Any]) -> list[tuple[tuple[str | int, ...], str]]:
    """Problems the R4B model finds in ``resource``: ``(field path, message)`` each."""
    rt = resource.get("resourceType")
    if rt not in SUPPORTED:
        allowed = ", ".join(SUPPORTED)
        return [
            (("resourceType",), f"{json_text(rt)} is not a supported resource type ({allowed})")
        ]
    key = shape_key(resource)
    if key in _VALID_SHAPES:
        return []
    try:
        _model(str(rt)).model_validate(resource)
    except ValidationError as exc:
        return [(p.loc or ("(resource)",), p.msg) for p in validation_problems(exc)]
    if len(_VALID_SHAPES) >= _MAX_SHAPES:
        _VALID_SHAPES.clear()
    _VALID_SHAPES.add(key)
    return []


# --- validating each class of equivalent resources once --------------------------------------
# Validating one resource with the R4B models takes about half a millisecond, which dominates a
# whole-clinic export or import (a year of daily diary is 365 Observations a patient that differ
# only in their numbers and timestamps). The models' verdict on a primitive depends only on its
# JSON type and on the class of its value below, never on the value itself, so a resource whose
# "shape" (structure with each value replaced by its class) was found valid before is valid:
#   * numbers: int or float, finite or not, the sign (positiveInt, unsignedInt), whether a
#     float is integral and whether the value fits a 32-bit integer (FHIR integer);
#   * strings in the exact form Python writes a date (YYYY-MM-DD) or a dateTime with seconds,
#     optional microseconds and a UTC offset, which parse as real calendar dates and times: the
#     form, with the offset kept verbatim (FHIR allows at most ±14:00);
#   * canonical UUIDs, bare or as ``urn:uuid:…`` (what export uses for ids and references);
#   * every other string is kept verbatim, booleans by type.
# Problems are never cached: an invalid resource is validated again to report its own messages.
_UUID = re.compile(r"(urn:uuid:)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATE_TIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{6})?([+-][0-9]{2}:[0-9]{2})"
)
_INT32 = (-(2**31), 2**31 - 1)
_MAX_SHAPES = 100_000
_VALID_SHAPES: set[bytes] = set()


def shape_key(resource: Any) -> bytes:
    """A digest of ``resource`` with each value replaced by its class (see above)."""
    parts: list[str] = []
    _shape(resource, parts)  # key order kept: a reordered resource is only validated again
    encoded = json.dumps(parts, ensure_ascii=False).encode("utf-8")  # unambiguous, unlike a join
    return hashlib.blake2b(encoded, digest_size=16).digest()


def _shape(value: Any, parts: list[str]) -> None:
    kind = type(value)
    if kind is dict:
        parts.append("{")
        for k, v in value.items():
            parts.append(f"k:{k}")
            _shape(v, parts)
        parts.append("}")
    elif kind is list:
        parts.append("[")
        for v in value:
            _shape(v, parts)
        parts.append("]")
    elif kind is str:
        parts.append(_string_class(value))
    elif kind is int or kind is float:
        parts.append(_number_class(value))
    elif kind is bool:
        parts.append("b")
    else:  # None, or a type JSON does not produce: kept as it is
        parts.append(f"?:{kind.__name__}:{value!r}")


@functools.lru_cache(maxsize=4096, typed=True)
def _number_class(value: float) -> str:
    if not math.isfinite(value):
        return f"n:{value!r}"
    sign = (value > 0) - (value < 0)
    fits = _INT32[0] <= value <= _INT32[1]
    integral = isinstance(value, int) or value.is_integer()
    return f"n:{type(value).__name__}:{sign}:{integral}:{fits}"


@functools.lru_cache(maxsize=65536)
def _string_class(text: str) -> str:
    if _UUID.fullmatch(text):
        return "uuid:urn" if text.startswith("urn:") else "uuid"
    if _DATE.fullmatch(text):
        try:
            date.fromisoformat(text)
        except ValueError:
            return "s:" + text
        return "date"
    match = _DATE_TIME.fullmatch(text)
    if match:
        try:
            datetime.fromisoformat(text)
        except ValueError:
            return "s:" + text
        return f"dateTime:{bool(match.group(1))}:{match.group(2)}"
    return "s:" + text


def binding_problems(resource: dict[str, Any]) -> list[tuple[tuple[str | int, ...], str]]:
    """Required code bindings the models do not enforce (status, gender)."""
    out: list[tuple[tuple[str | int, ...], str]] = []
    for field, allowed in _BINDINGS.get(str(resource.get("resourceType")), {}).items():
        value = resource.get(field)
        if value is not None and value not in allowed:
            codes = ", ".join(sorted(allowed))
            out.append(((field,), f"{json_text(value)} is not a valid code; allowed: {codes}"))
    return out


def validate_resource(resource: dict[str, Any]) -> None:
    """Raise ``FhirError`` if a resource we built does not validate (a bug in the mapping)."""
    problems = model_problems(resource) + binding_problems(resource)
    if problems:
        detail = "; ".join(f"{'.'.join(map(str, loc))}: {msg}" for loc, msg in problems)
        raise FhirError(f"exported {resource.get('resourceType')} is not valid FHIR: {detail}")
