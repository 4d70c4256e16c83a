"""What the record routes share: the database and body parameters, date query parameters,
the documented error answers, and the body schemas the services' models do not give."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import date
from functools import partial
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BeforeValidator
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from immunospine.api.auth import Caller, app_database
from immunospine.api.models import ErrorEnvelope
from immunospine.api.openapi import REF
from immunospine.errors import ImmunospineError
from immunospine.services.accounts import Principal
from immunospine.services.answer_cache import json_bytes
from immunospine.services.audit import AuditStep
from immunospine.services.record_entries import Database

__all__ = [
    "AUDITED",
    "BODY_SCHEMAS",
    "ERR",
    "PREFIX",
    "READ_ERRORS",
    "WRITE_ERRORS",
    "Body",
    "Db",
    "IsoDate",
    "JsonAnswer",
    "audit_with_read",
    "body_ref",
]

PREFIX = "/api/v1"
Db = Annotated[Database, Depends(app_database)]


def _iso_date(value: object) -> object:
    """Only ``YYYY-MM-DD`` text is a date here (not ``0``, not a timestamp)."""
    if isinstance(value, str) and not _ISO_DATE.fullmatch(value):
        raise ValueError("must be a date as YYYY-MM-DD")
    return value


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
IsoDate = Annotated[date, BeforeValidator(_iso_date)]
"""A date query parameter, written ``YYYY-MM-DD``."""


async def _audited(request: Request, who: Caller, db: Db) -> AsyncIterator[None]:
    """Log the request with the user, the route and the outcome (after the route ran), unless
    the route succeeded and its own transaction did it (``audit_with_read``). Async, so that
    a request whose route logged itself does not pass through the thread pool twice more; the
    database write runs in the thread pool."""
    from immunospine.services.audit import record_request

    route = request.scope.get("route")
    status = int(getattr(route, "status_code", None) or 200)
    failed = True
    try:
        yield
        failed = False
    except ImmunospineError as exc:
        status = int(exc.http_status)
        raise
    except HTTPException as exc:
        status = exc.status_code
        raise
    except RequestValidationError:  # a query parameter out of range (was logged as 500)
        status = 422
        raise
    except Exception:
        status = 500
        raise
    finally:
        if failed or not getattr(request.state, "request_audited", False):
            await run_in_threadpool(
                partial(record_request, db),
                actor=who.username,
                method=request.method,
                route=str(getattr(route, "path", request.url.path)),
                patient_id=_patient_of(request),
                status=status,
            )


AUDITED = Depends(_audited)
"""A router dependency: every request by a signed-in user is in the audit log."""


def audit_with_read(request: Request, who: Principal) -> AuditStep:
    """The request's audit entry (as ``_audited`` writes it for a success) as a last step of
    the route's own read transaction (``also=``): one commit instead of two. ``_audited``
    then writes nothing, unless the route fails (then it logs the failure as usual)."""
    from immunospine.services.audit import request_audit

    route = request.scope.get("route")
    write = request_audit(
        actor=who.username,
        method=request.method,
        route=str(getattr(route, "path", request.url.path)),
        patient_id=_patient_of(request),
        status=int(getattr(route, "status_code", None) or 200),
    )

    def step(uow: Any) -> None:
        write(uow)
        request.state.request_audited = True

    return step


def _patient_of(request: Request) -> str | None:
    patient_id = request.path_params.get("patient_id") or request.query_params.get("patient_id")
    return patient_id[:64] if patient_id else None


class JsonAnswer(JSONResponse):
    """``JSONResponse`` rendered by orjson (``answer_cache.json_bytes``): the same JSON text,
    several times faster for long answers (the audit log). The timeline and the clinic list
    send JSON their services keep."""

    def render(self, content: Any) -> bytes:
        return json_bytes(content)


async def _raw_body(request: Request) -> bytes:
    """The request body as sent (the guards have checked its type, size and depth)."""
    return await request.body()


Body = Annotated[bytes, Depends(_raw_body)]

ERR = {"model": ErrorEnvelope}
READ_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {**ERR, "description": "not signed in"},
    403: {**ERR, "description": "this role may not do this"},
    404: {**ERR, "description": "no such patient (or not one the caller may see)"},
    422: {**ERR, "description": "bad input: every problem is listed"},
}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    **READ_ERRORS,
    413: {**ERR, "description": "the body is too large"},
    415: {**ERR, "description": "the body is not JSON"},
}


def _visit_body_schema() -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "on": {"type": "string", "format": "date", "description": "the visit date"},
            "labs": {
                "type": "object",
                "description": "crp_mg_l, esr_mm_h, rf_iu_ml, anti_ccp_u_ml, hla_b27 (true/false)",
            },
            "assessments": {
                "type": "object",
                "description": "calculator name → its inputs (as POST /api/v1/calculators/NAME)",
                "additionalProperties": {"type": "object"},
            },
        },
        "required": ["on"],
        "additionalProperties": False,
    }


BODY_SCHEMAS: dict[str, dict[str, Any]] = {
    "VisitBody": _visit_body_schema(),
    "NewPatientBody": {
        "type": "object",
        "properties": {
            "patient_id": {"type": "string", "description": "pseudonymous id, 1–64 characters"},
            "year_of_birth": {"type": "integer"},
            "sex": {"type": "string", "enum": ["female", "male", "other", "unknown"]},
        },
        "required": ["patient_id", "year_of_birth"],
        "additionalProperties": False,
    },
    "FhirBundle": {
        "type": "object",
        "description": "a FHIR R4 Bundle (resourceType Bundle) of whole patient records",
        "properties": {"resourceType": {"const": "Bundle"}},
        "required": ["resourceType"],
    },
}
"""Hand-written body schemas (bodies that no pydantic model of the services describes)."""


def body_ref(name: str) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": REF.format(model=name)}}},
        }
    }
