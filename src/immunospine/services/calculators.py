"""Calculator use-cases shared by every face: score, describe the catalogue, read JSON."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any

from immunospine.errors import FieldProblem, InputError, json_kind
from immunospine.knowledge import (
    CalculatorSpec,
    Result,
    calculate,
    catalogue,
    get_calculator,
    validate_inputs,
)
from immunospine.services.json_output import for_output_checked

__all__ = [
    "calculate",
    "calculator_names",
    "describe",
    "describe_all",
    "get_calculator_or_error",
    "input_model",
    "parse_json_object",
    "result_json",
    "score_json",
]


def describe(spec: CalculatorSpec) -> dict[str, Any]:
    """One catalogue entry as JSON: name, version, citation, input schema and bands."""
    bands = None
    if spec.bands is not None:
        bands = [
            {
                "category": b.label,
                "lower": None if math.isinf(b.lo) else b.lo,
                "lower_inclusive": b.lo_inclusive,
                "upper": None if math.isinf(b.hi) else b.hi,
                "upper_inclusive": b.hi_inclusive,
            }
            for b in spec.bands.bands
        ]
    return {
        "name": spec.name,
        "version": spec.version,
        "title": spec.title,
        "kind": spec.kind,
        "categories": list(spec.categories),
        "bands": bands,
        "score_range": list(spec.score_range) if spec.score_range else None,
        "interpretation": spec.interpretation,
        "citation": spec.citation,
        "references": [
            {"citation": r.citation, "doi": r.doi, "pmid": r.pmid} for r in spec.references
        ],
        "unverified": list(spec.unverified),
        "input_schema": spec.inputs.model_json_schema(),
        "batch": spec.batch_score is not None,
    }


def describe_all() -> list[dict[str, Any]]:
    return [describe(spec) for spec in catalogue()]


@dataclass(frozen=True, slots=True)
class _NonFinite:
    """Stands in for a ``NaN``/``Infinity`` token until its field is known."""

    token: str


def _find_non_finite(
    value: Any, loc: tuple[str | int, ...] = ()
) -> tuple[tuple[str | int, ...], str] | None:
    """Where the first ``NaN``/``Infinity`` in ``value`` is, and its token; None if none."""
    if isinstance(value, _NonFinite):
        return loc, value.token
    children: list[tuple[str | int, Any]]
    if isinstance(value, dict):
        children = list(value.items())
    elif isinstance(value, list):
        children = list(enumerate(value))
    else:
        return None
    for key, child in children:
        found = _find_non_finite(child, (*loc, key))
        if found is not None:
            return found
    return None


def parse_json_object(text: str, *, source: str = "input") -> dict[str, Any]:
    """Parse a JSON object strictly (``NaN``/``Infinity`` are refused, duplicate keys too).

    A ``NaN`` or ``Infinity`` is refused naming its field (``crp_mg_l``, ``items[3]``), as the
    calculator contract asks of every bad input.
    """

    def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                raise InputError.single(
                    (key,), "is given twice", value, context=source, code="duplicate_key"
                )
            out[key] = value
        return out

    try:
        value = json.loads(text, parse_constant=_NonFinite, object_pairs_hook=_no_duplicates)
    except json.JSONDecodeError as exc:
        raise InputError.single(
            (),
            f"is not valid JSON ({exc.msg} at line {exc.lineno}, column {exc.colno})",
            context=source,
            has_value=False,
            code="invalid_json",
        ) from None
    found = _find_non_finite(value)
    if found is not None:
        loc, token = found
        msg = (
            "is not a number that JSON allows (give a finite number, or null where the field "
            "may be unknown)"
        )
        problem = FieldProblem(loc, msg, "invalid_number", token, True, written=token)
        raise InputError.from_problems((problem,), source)
    if not isinstance(value, dict):
        raise InputError.single(
            (),
            f"must be a JSON object, not {json_kind(value)}",
            context=source,
            has_value=False,
            code="not_an_object",
        )
    return value


def get_calculator_or_error(name: str) -> CalculatorSpec:
    """The spec called ``name`` (``KnowledgeError`` listing known names otherwise)."""
    return get_calculator(name)


def score_json(name: str, text: str) -> Result:
    """Score ``name`` from a JSON object given as text (the CLI's and API's path)."""
    spec = get_calculator(name)
    inputs = parse_json_object(text, source=name)
    return spec.compute(validate_inputs(spec, inputs))


def result_json(result: Result) -> dict[str, Any]:
    """A result as every face shows it: ``immunospine calc`` prints it, the API answers it.

    A number that is not finite (inputs so large that a step overflows) is refused, naming
    where it is: JSON cannot hold it, and a score built on it means nothing. ``unverified``
    lists the calculator's facts not yet confirmed in a source (issue 14), so a result that
    leans on one says so.
    """
    out: dict[str, Any]
    out, finite = for_output_checked(
        {**result.to_dict(), "unverified": list(get_calculator(result.name).unverified)}
    )
    where = None if finite else _non_finite_number(out)
    if where is not None:
        raise InputError.single(
            (),
            f"the inputs are too large to compute with: the result's {where} is not a finite "
            "number; check each value's unit and range",
            context=result.name,
            has_value=False,
            code="not_finite",
        )
    return out


def _non_finite_number(value: Any, path: str = "") -> str | None:
    """The dotted path of the first infinite or NaN number in ``value``; None if none."""
    if isinstance(value, float):
        return None if math.isfinite(value) else path or "score"
    children: list[tuple[str, Any]] = []
    if isinstance(value, dict):
        children = [(f"{path}.{k}" if path else str(k), v) for k, v in value.items()]
    elif isinstance(value, list):
        children = [(f"{path}[{i}]", v) for i, v in enumerate(value)]
    for child_path, child in children:
        found = _non_finite_number(child, child_path)
        if found is not None:
            return found
    return None


def calculator_names() -> list[str]:
    """Every calculator's name, in catalogue order."""
    return [spec.name for spec in catalogue()]


def input_model(name: str) -> type[Any]:
    """The pydantic model of ``name``'s inputs (its JSON Schema describes the API's body)."""
    return get_calculator(name).inputs
