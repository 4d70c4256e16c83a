"""The OpenAPI document: FastAPI's, plus the calculator and triage input schemas as components.

The calculator routes read their body themselves (the command line's parser and wording), so
FastAPI does not see a body model; each ``POST /api/v1/calculators/NAME`` is described on its own
path, naming its input model by reference (``#/components/schemas/…``), and this module puts the
models' JSON Schemas there. (One route serves every name: 38 routes would be matched one by one
on every request.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi

__all__ = ["REF", "body_schema_ref", "install_openapi"]

REF = "#/components/schemas/{model}"


def body_schema_ref(model: type[Any]) -> dict[str, Any]:
    """The ``requestBody`` of an operation whose JSON body is ``model``."""
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": REF.format(model=model.__name__)}}},
        }
    }


def _add_schemas(components: dict[str, Any], models: Iterable[type[Any]]) -> None:
    for model in models:
        schema = dict(model.model_json_schema(ref_template=REF))
        for name, sub in schema.pop("$defs", {}).items():
            components.setdefault(name, sub)
        components.setdefault(model.__name__, schema)


def install_openapi(
    app: FastAPI,
    *,
    description: str,
    body_models: Callable[[], Iterable[type[Any]]],
    finish: Callable[[dict[str, Any]], None] = lambda doc: None,
) -> None:
    """Make ``app.openapi()`` return the full document (built once, on first request);
    ``finish`` may add to it (the one entry per calculator)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            doc = get_openapi(
                title=app.title,
                version=app.version,
                description=description,
                routes=app.routes,
            )
            components = doc.setdefault("components", {}).setdefault("schemas", {})
            _add_schemas(components, body_models())
            finish(doc)
            app.openapi_schema = doc
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
