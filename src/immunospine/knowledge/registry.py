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

from immunospine.errors import InputError, KnowledgeError, json_kind, json_text
from immunospine.knowledge._spec import CalculatorSpec
from immunospine.knowledge._types import Result

_PACKAGES = ("instruments", "criteria", "response", "probability")


@cache
def _module_names() -> tuple[str, ...]:
    """Every calculator module's dotted name, package by package, in name order."""
    names = []
    for package in _PACKAGES:
        pkg = importlib.import_module(f"immunospine.knowledge.{package}")
        for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
            if not info.name.startswith("_"):
                names.append(f"{pkg.__name__}.{info.name}")
    return tuple(names)


@cache
def _load() -> dict[str, CalculatorSpec]:
    return index_specs(importlib.import_module(name) for name in _module_names())


def _from_its_own_module(name: str) -> CalculatorSpec | None:
    """The spec ``name`` from the module named after it (``basdai`` → ``instruments.basdai``,
    ``asdas_crp`` → ``instruments.asdas``), importing that module alone; None if it is not there.

    Scoring one calculator from the command line then imports one module, not the catalogue.
    """
    for module_name in _module_names():
        short = module_name.rpartition(".")[2]
        if name == short or name.startswith(short + "_"):
            for spec in specs_of(importlib.import_module(module_name)):
                if spec.name == name:
                    return spec
    return None


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
    spec = _from_its_own_module(name)
    if spec is not None:
        return spec
    specs = _load()
    try:
        return specs[name]
    except KeyError:
        raise KnowledgeError(
            f"unknown calculator {json_text(name)}; known calculators: {', '.join(specs)}"
        ) from None


def validate_inputs(spec: CalculatorSpec, inputs: Mapping[str, Any]) -> Any:
    """Validate ``inputs`` against the model, or raise an ``InputError`` naming each field."""
    if not isinstance(inputs, Mapping):
        raise InputError.single(
            (),
            f"inputs must be a JSON object, not {json_kind(inputs)}",
            inputs,
            context=spec.name,
            has_value=False,
        )
    try:
        return spec.inputs.model_validate(dict(inputs))
    except ValidationError as exc:
        raise InputError.from_validation(exc, context=spec.name, model=spec.inputs) from None


def calculate(name: str, /, **inputs: Any) -> Result:
    """Score one calculator: ``calculate("asdas_crp", back_pain=6, ..., crp_mg_l=10)``."""
    spec = get_calculator(name)
    return spec.compute(validate_inputs(spec, inputs))
