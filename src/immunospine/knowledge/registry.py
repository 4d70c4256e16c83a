"""The one catalogue of calculators: lookup, validation at the boundary, and ``calculate``.

Calculators live one per module under ``instruments/``, ``criteria/``, ``response/`` and
``probability/``; each module exposes ``SPEC`` (or ``SPECS``). The catalogue is filled on first use
by importing those packages' modules (no import-time work in ``immunospine`` itself).
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterable, Mapping
from functools import cache
from types import ModuleType
from typing import Any

from pydantic import ValidationError

from immunospine.errors import FieldProblem, InputError, KnowledgeError
from immunospine.knowledge._spec import CalculatorSpec
from immunospine.knowledge._types import Result

_PACKAGES = ("instruments", "criteria", "response", "probability")


@cache
def _load() -> dict[str, CalculatorSpec]:
    modules = []
    for package in _PACKAGES:
        pkg = importlib.import_module(f"immunospine.knowledge.{package}")
        for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
            if not info.name.startswith("_"):
                modules.append(importlib.import_module(f"{pkg.__name__}.{info.name}"))
    return index_specs(modules)


def index_specs(modules: Iterable[ModuleType]) -> dict[str, CalculatorSpec]:
    """Every spec of ``modules`` by name, sorted; a name defined twice is an error."""
    found: dict[str, CalculatorSpec] = {}
    for module in modules:
        for spec in specs_of(module):
            if spec.name in found:
                raise ValueError(f"calculator {spec.name!r} is defined twice")
            found[spec.name] = spec
    return dict(sorted(found.items()))


def specs_of(module: ModuleType) -> tuple[CalculatorSpec, ...]:
    """The ``SPECS`` (or single ``SPEC``) a calculator module exposes; anything else is an error."""
    specs = getattr(module, "SPECS", None) or (getattr(module, "SPEC", None),)
    for spec in specs:
        if not isinstance(spec, CalculatorSpec):
            raise TypeError(f"{module.__name__} exposes no CalculatorSpec")
    return tuple(specs)


def catalogue() -> tuple[CalculatorSpec, ...]:
    """Every calculator, sorted by name."""
    return tuple(_load().values())


def get_calculator(name: str) -> CalculatorSpec:
    """The spec called ``name``; ``KnowledgeError`` lists the known names when there is none."""
    specs = _load()
    try:
        return specs[name]
    except KeyError:
        raise KnowledgeError(
            f"unknown calculator {name!r}; known calculators: {', '.join(specs)}"
        ) from None


def validate_inputs(spec: CalculatorSpec, inputs: Mapping[str, Any]) -> Any:
    """Validate ``inputs`` against the model, or raise an ``InputError`` naming each field."""
    if not isinstance(inputs, Mapping):
        raise InputError.single(
            (),
            f"inputs must be a JSON object, got {type(inputs).__name__}",
            inputs,
            context=spec.name,
            has_value=False,
        )
    try:
        return spec.inputs.model_validate(dict(inputs))
    except ValidationError as exc:
        raise input_error_from(spec.name, spec.inputs, exc) from None


def calculate(name: str, /, **inputs: Any) -> Result:
    """Score one calculator: ``calculate("asdas_crp", back_pain=6, ..., crp_mg_l=10)``."""
    spec = get_calculator(name)
    return spec.compute(validate_inputs(spec, inputs))


def input_error_from(context: str, model: type[Any], exc: ValidationError) -> InputError:
    """Translate pydantic's errors into an ``InputError``: field, value, what is allowed."""
    problems = []
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        kind = err["type"]
        has_value = kind != "missing"
        value = err.get("input")
        allowed = _allowed(model, loc)
        if kind == "extra_forbidden":
            known = ", ".join(_field_names(model, loc[:-1]))
            msg = f"is not an input of {context}; allowed fields: {known}"
        elif kind == "missing":
            msg = "is required" + (f" ({allowed})" if allowed else "")
        else:
            msg = err["msg"][0].lower() + err["msg"][1:]
            if allowed and allowed not in msg:
                msg += f" (allowed: {allowed})"
        problems.append(FieldProblem(loc, msg, kind, _jsonable(value), has_value))
    lines = []
    for p in problems:
        shown = f" = {p.value!r}" if p.has_value else ""
        lines.append(f"{p.field}{shown}: {p.msg}")
    message = f"{context}: " + "; ".join(lines)
    return InputError(message, tuple(problems))


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict | list | str | int | float | bool) or value is None:
        return value
    return repr(value)


def _field_names(model: type[Any], loc: tuple[Any, ...]) -> list[str]:
    sub = _submodel(model, loc)
    fields = getattr(sub, "model_fields", None)
    return list(fields) if fields else []


def _submodel(model: type[Any], loc: tuple[Any, ...]) -> Any:
    current: Any = model
    for part in loc:
        fields = getattr(current, "model_fields", None)
        if not fields or not isinstance(part, str) or part not in fields:
            return None
        annotation = fields[part].annotation
        current = next(
            (
                a
                for a in getattr(annotation, "__args__", (annotation,))
                if hasattr(a, "model_fields")
            ),
            annotation,
        )
    return current


def _allowed(model: type[Any], loc: tuple[Any, ...]) -> str:
    """The field's own description (which states its range and unit), if it has one."""
    if not loc:
        return ""
    parent = _submodel(model, loc[:-1]) if len(loc) > 1 else model
    fields = getattr(parent, "model_fields", None)
    name = loc[-1]
    if isinstance(name, int):  # an element of a list: describe the list field
        return _allowed(model, tuple(p for p in loc if not isinstance(p, int)))
    if not fields or name not in fields:
        return ""
    info = fields[name]
    return info.description or ""
