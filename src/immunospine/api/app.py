"""The application factory: the open routes, the docs page, the error envelope and the guards.

Layers, outermost first: security headers → catch-all (500 in the envelope) → body guard
(415/413/JSON depth) → FastAPI's routing, whose exception handlers turn every error into the
envelope (under ``/api/``).
"""

from __future__ import annotations

import re
from typing import Any, cast

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from immunospine.api.analysis_routes import add_analysis_routes
from immunospine.api.docs import add_docs
from immunospine.api.envelope import envelope, from_error
from immunospine.api.guards import BodyGuard, CatchAll, SecurityHeaders
from immunospine.api.knowledge_routes import add_knowledge_routes
from immunospine.api.open_routes import add_open_routes, calculator_paths
from immunospine.api.openapi import install_openapi
from immunospine.api.plan_routes import add_plan_routes
from immunospine.api.record_routes import add_record_routes
from immunospine.api.treatment_routes import add_treatment_routes
from immunospine.errors import ImmunospineError, InputError
from immunospine.settings import Settings, load_settings
from immunospine.web import add_pages

__all__ = ["create_app", "served_app"]

DESCRIPTION = (
    "Decision support for chronic back pain that may have an autoimmune cause: the calculators "
    "and triage (open), with the same results as the command line. Every error answers in one "
    'envelope: `{"error": {"type", "message", "problems": [{"loc", "msg", "value"}]}}`. '
    "Supports decisions; never a diagnosis."
)


def create_app(settings: Settings | None = None, *, database_url: str | None = None) -> FastAPI:
    """The HTTP API. ``settings`` default: the environment; ``database_url``: the patient
    database (default: the settings' one, as ``--db`` for every command)."""
    from immunospine.version import __version__

    s = settings or load_settings()
    app = FastAPI(
        title="immunospine",
        version=__version__,
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = s
    app.state.database_url = s.resolved_database_url(database_url)
    _add_error_handlers(app)
    add_open_routes(app)
    add_knowledge_routes(app)
    add_docs(app)
    install_openapi(app, description=DESCRIPTION, body_models=_body_models, finish=calculator_paths)
    add_record_routes(app)  # and the token route; after install_openapi (adds body schemas)
    add_plan_routes(app)
    add_analysis_routes(app)
    add_treatment_routes(app)  # after install_openapi (adds the state's schema)
    add_pages(app)
    app.add_middleware(
        BodyGuard, max_body_bytes=s.api_max_body_bytes, max_json_depth=s.api_max_json_depth
    )
    app.add_middleware(CatchAll)
    app.add_middleware(SecurityHeaders)
    return app


def served_app(settings: Settings | None = None, *, database_url: str | None = None) -> FastAPI:
    """``create_app`` for a server process (``immunospine serve``, each worker): the objects
    built at start-up (schemas, models, the catalogue) are moved out of the garbage
    collector's reach, so its passes during requests stay short (a steadier p99)."""
    import gc

    app = create_app(settings, database_url=database_url)
    gc.collect()
    gc.freeze()
    return app


def _body_models() -> list[type[Any]]:
    from immunospine.services import calculators
    from immunospine.services.triage import TriageCase

    return [*(calculators.input_model(n) for n in calculators.calculator_names()), TriageCase]


def _answer(request: Request, status: int, body: dict[str, Any], **kw: Any) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse(body, status_code=status, **kw)
    if request.url.path.startswith("/static/"):
        return PlainTextResponse(body["error"]["message"], status_code=status, **kw)
    from immunospine.web import error_page

    answer = error_page(request, status, body["error"]["message"])
    answer.headers.update(kw.get("headers") or {})
    return answer


def _add_error_handlers(app: FastAPI) -> None:
    async def our_error(request: Request, exc: Exception) -> Response:
        status, body = from_error(cast(ImmunospineError, exc))
        return _answer(request, status, body)

    async def http_error(request: Request, exc: Exception) -> Response:
        http = cast(StarletteHTTPException, exc)
        status = http.status_code
        message = _http_message(request, status, http.detail)
        headers = dict(http.headers or {})
        if status == 405:
            headers["Allow"] = ", ".join(_allowed_methods(request))
        return _answer(request, status, envelope(status, message), headers=headers)

    async def validation_error(request: Request, exc: Exception) -> Response:
        error = _translated(cast(RequestValidationError, exc))
        status, body = from_error(error)
        return _answer(request, status, body)

    app.add_exception_handler(ImmunospineError, our_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(RequestValidationError, validation_error)


def _allowed_methods(request: Request) -> list[str]:
    """Every method some route takes on this path, as the OpenAPI document lists them (the
    router names only the first matching route's), plus undocumented plain routes'."""
    app = request.app
    templates = getattr(app.state, "path_templates", None)
    if templates is None:
        templates = [
            (re.compile("^" + re.sub(r"\\{[^/]+?\\}", "[^/]+", re.escape(path)) + "$"), item)
            for path, item in app.openapi()["paths"].items()
        ]
        app.state.path_templates = templates
    path = request.url.path
    methods = {m.upper() for regex, item in templates if regex.match(path) for m in item}
    for route in app.router.routes:
        if getattr(route, "methods", None) and route.matches(request.scope)[0] is not Match.NONE:
            methods |= set(route.methods)
    return sorted(methods - {"PARAMETERS"})


def _http_message(request: Request, status: int, detail: Any) -> str:
    if status == 404:
        return f"no such route: {request.method} {request.url.path} (see /api/docs)"
    if status == 405:
        return f"{request.method} is not allowed on {request.url.path} (see /api/docs)"
    return str(detail)


def _translated(exc: RequestValidationError) -> InputError:
    """FastAPI's request errors in the command line's words (the one translator)."""
    from pydantic import ValidationError
    from pydantic_core import InitErrorDetails

    details: list[InitErrorDetails] = []
    for e in exc.errors():
        detail = InitErrorDetails(type=e["type"], loc=tuple(e["loc"]), input=e.get("input"))
        if e.get("ctx"):
            detail["ctx"] = e["ctx"]
        details.append(detail)
    try:
        as_pydantic = ValidationError.from_exception_data("request", details)
    except (KeyError, TypeError, ValueError):  # an error type pydantic does not know
        return InputError("; ".join(str(e.get("msg")) for e in exc.errors()))
    return InputError.from_validation(as_pydantic)
