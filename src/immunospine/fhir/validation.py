"""Validation of FHIR resources against the ``fhir.resources`` R4B models, plus our own bindings.

``fhir.resources`` has no R4 package; its ``R4B`` (4.3.0) models are the closest maintained R4
models and are wire-compatible for the resources used here. They check structure, cardinality
and data types but not required code bindings (``Observation.status = "bogus"`` passes), so
``binding_problems`` checks the bindings this mapping relies on.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from pydantic import ValidationError

from immunospine.errors import FhirError, FieldProblem, MissingExtraError, validation_problems

__all__ = [
    "SUPPORTED",
    "FhirImportError",
    "binding_problems",
    "model_problems",
    "problem_report",
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
        return [(("resourceType",), f"{rt!r} is not a supported resource type ({allowed})")]
    try:
        _model(str(rt)).model_validate(resource)
    except ValidationError as exc:
        return [(p.loc or ("(resource)",), p.msg) for p in validation_problems(exc)]
    return []


def binding_problems(resource: dict[str, Any]) -> list[tuple[tuple[str | int, ...], str]]:
    """Required code bindings the models do not enforce (status, gender)."""
    out: list[tuple[tuple[str | int, ...], str]] = []
    for field, allowed in _BINDINGS.get(str(resource.get("resourceType")), {}).items():
        value = resource.get(field)
        if value is not None and value not in allowed:
            out.append(((field,), f"{value!r} is not a valid code; allowed: {sorted(allowed)}"))
    return out


def validate_resource(resource: dict[str, Any]) -> None:
    """Raise ``FhirError`` if a resource we built does not validate (a bug in the mapping)."""
    problems = model_problems(resource) + binding_problems(resource)
    if problems:
        detail = "; ".join(f"{'.'.join(map(str, loc))}: {msg}" for loc, msg in problems)
        raise FhirError(f"exported {resource.get('resourceType')} is not valid FHIR: {detail}")
