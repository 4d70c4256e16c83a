"""The open routes (web-contract.md): health, calculators and triage — nothing is stored.

Bodies are read as text and handed to the same service functions as ``immunospine calc`` and
``immunospine triage`` (``score_json``, ``triage_json``), so the answers and the error wording
are the command line's. Problems about the body are located under ``body``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any, Literal

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.routing import Route

from immunospine.api.models import (
    CalculatorInfo,
    CalculatorResult,
    ErrorEnvelope,
    Health,
    TriageAssessment,
)
from immunospine.api.openapi import body_schema_ref
from immunospine.errors import InputError
from immunospine.services import calculators
from immunospine.services.json_output import for_output

__all__ = ["add_open_routes"]

PREFIX = "/api/v1"
CalculatorKind = Literal["instrument", "criteria", "response", "probability"]
_ERR: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorEnvelope, "description": "no calculator of that name"},
    413: {"model": ErrorEnvelope, "description": "the body is too large"},
    415: {"model": ErrorEnvelope, "description": "the body is not JSON"},
    422: {"model": ErrorEnvelope, "description": "bad input: every problem is listed"},
}


@contextmanager
def _body_problems() -> Iterator[None]:
    """Re-raise an ``InputError`` with every problem located under ``body``."""
    try:
        yield
    except InputError as exc:
        problems = tuple(replace(p, loc=("body", *p.loc)) for p in exc.problems)
        raise InputError(exc.message, problems) from None


def _text(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError.single(
            (),
            f"is not UTF-8 text (byte {exc.start + 1})",
            has_value=False,
            code="invalid_encoding",
        ) from None


def _score(name: str, body: bytes) -> JSONResponse:
    with _body_problems():
        result = calculators.score_json(name, _text(body))
    return JSONResponse(calculators.result_json(result))


def _health_of(request: Request) -> dict[str, Any]:
    from immunospine.services.database import opened
    from immunospine.version import __version__

    state = request.app.state
    try:
        with opened(state.database_url, state.settings):
            database = "ok"
    except Exception:  # any reason (missing, old schema, server down) reads the same here
        database = "unavailable"
    return {"status": "ok", "version": __version__, "database": database}


def calculator_paths(doc: dict[str, Any]) -> None:
    """One path per calculator in the OpenAPI document, ``/api/v1/calculators/NAME``: its
    ``POST`` with NAME's input schema and its ``GET`` (the routes are the generic ones; a path of
    its own lists every method it takes, so ``Allow`` and the document agree)."""
    generic = doc["paths"][f"{PREFIX}/calculators/{{name}}"]
    for name in calculators.calculator_names():
        title = calculators.get_calculator_or_error(name).title
        post = {
            **generic["post"],
            "operationId": f"calculate_{name}",
            "summary": f"Score {title}",
            "description": f"The inputs of `{name}` → the result, as `immunospine calc {name}` "
            "prints it. Bad input: 422 listing every problem.",
            **body_schema_ref(calculators.input_model(name)),
        }
        get = {
            **generic["get"],
            "operationId": f"describe_{name}",
            "summary": f"Describe {title}",
            "responses": {"200": generic["get"]["responses"]["200"]},
        }
        for operation in (post, get):
            operation.pop("parameters", None)
        doc["paths"][f"{PREFIX}/calculators/{name}"] = {"get": get, "post": post}


def add_open_routes(app: FastAPI) -> None:
    """Register the open routes on ``app``."""
    from immunospine.services.triage import TriageCase, triage_json

    router = APIRouter(prefix=PREFIX)
    described = [for_output(entry) for entry in calculators.describe_all()]
    by_name = {entry["name"]: entry for entry in described}

    @router.get("/health", tags=["service"], response_model=Health)
    async def health(request: Request) -> JSONResponse:
        """The server answers; whether the patient database can be opened (never created)."""
        return JSONResponse(await asyncio.to_thread(_health_of, request))

    @router.get(
        "/calculators",
        tags=["calculators"],
        responses={200: {"model": list[CalculatorInfo]}},
    )
    async def list_calculators(kind: CalculatorKind | None = None) -> JSONResponse:
        """Every calculator (or those of one ``kind``): name, version, kind, citation, bands
        and input JSON Schema."""
        if kind is None:
            return JSONResponse(described)
        return JSONResponse([entry for entry in described if entry["kind"] == kind])

    @router.get(
        "/calculators/{name}",
        tags=["calculators"],
        responses={200: {"model": CalculatorInfo}, 404: _ERR[404]},
    )
    async def one_calculator(name: str) -> JSONResponse:
        """One calculator with its input JSON Schema."""
        if name not in by_name:
            calculators.get_calculator_or_error(name)  # raises, naming the known ones
        return JSONResponse(by_name[name])

    @router.post(
        "/calculators/{name}",
        tags=["calculators"],
        responses={200: {"model": CalculatorResult}, **_ERR},
        openapi_extra={
            "parameters": [
                {"name": "name", "in": "path", "required": True, "schema": {"type": "string"}}
            ],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": {"type": "object"}}},
            },
        },
    )
    async def calculate(request: Request) -> JSONResponse:
        """Score calculator NAME (each calculator also has its own entry with its schema)."""
        # The body guard has read the whole body already (the size and depth limits).
        return _score(request.path_params["name"], await request.body())

    @router.post(
        "/triage",
        tags=["triage"],
        responses={200: {"model": TriageAssessment}, **{k: _ERR[k] for k in (413, 415, 422)}},
        openapi_extra=body_schema_ref(TriageCase),
    )
    async def triage(request: Request) -> JSONResponse:
        """Triage one case of chronic back pain (triage-contract.md), as `immunospine triage`."""
        body = await request.body()
        with _body_problems():
            result = triage_json(_text(body))
        return JSONResponse(result.to_dict())

    app.include_router(router)
    # The hot path: the same endpoint as a plain route, first in the table, so scoring skips
    # FastAPI's per-request parameter solving (the FastAPI route above documents it).
    app.router.routes.insert(
        0, Route(f"{PREFIX}/calculators/{{name}}", calculate, methods=["POST"])
    )
