"""Validation of FHIR resources against the ``fhir.resources`` R4B models, plus our own bindings.

``fhir.resources`` has no R4 package; its ``R4B`` (4.3.0) models are the closest maintained R4
models and are wire-compatible for the resources used here. They check structure, cardinality
and data types but not required code bindings (``Observation.status = "bogus"`` passes), so
``binding_problems`` checks the bindings this mapping relies on.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from immunospine.errors import FhirError, FieldProblem, MissingExtraError

__all__ = [
    "SUPPORTED",
    "FhirImportError",
    "binding_problems",
    "model_problems",
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
        lines = [message, *(f"  {p.field}: {p.msg}" for p in problems)]
        super().__init__("\n".join(lines))
        self.problems = problems


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
        out: list[tuple[tuple[str | int, ...], str]] = []
        for err in exc.errors(include_url=False):
            loc = tuple(err["loc"]) or ("(resource)",)
            msg = " ".join(str(err["msg"]).split())
            out.append((loc, msg))
        return out
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
