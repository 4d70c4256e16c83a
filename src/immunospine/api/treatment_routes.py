"""Treatment options over HTTP (issue 12): ``POST /api/v1/treatment/options`` (open, like triage:
a state in, the options out, no record touched) and ``GET /api/v1/patients/{id}/options`` (signed
in, audited, the record routes' access rules: a record the caller may not see is a 404 worded as
a missing one). Answers are ``immunospine treatment options --json`` and ``immunospine patient
options ID --json``; a bad state is a 422 listing every problem under ``body``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse

from immunospine.api.auth import Caller
from immunospine.api.openapi import REF, body_schema_ref
from immunospine.api.record_common import AUDITED, ERR, PREFIX, READ_ERRORS, Db
from immunospine.errors import InputError
from immunospine.services import access
from immunospine.services.treatment import TreatmentState, options_for_patient, options_for_state

__all__ = ["add_treatment_routes"]

_OPEN_ERRORS: dict[int | str, dict[str, Any]] = {
    413: {**ERR, "description": "the body is too large"},
    415: {**ERR, "description": "the body is not JSON"},
    422: {**ERR, "description": "bad input: every problem is listed"},
}


def _state_text(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError.single(
            (), f"is not UTF-8 text (byte {exc.start + 1})", has_value=False
        ) from None


def add_treatment_routes(app: FastAPI) -> None:
    """Register both routes and the state's schema (call it after ``install_openapi``)."""
    open_router = APIRouter(prefix=PREFIX, tags=["treatment"])

    @open_router.post(
        "/treatment/options",
        responses=_OPEN_ERRORS,
        openapi_extra=body_schema_ref(TreatmentState),
    )
    async def treatment_options(request: Request) -> JSONResponse:
        """Options for a treatment state (docs/reference/treatment.md), as
        `immunospine treatment options --json`: to discuss with a clinician, never a
        prescription."""
        body = await request.body()
        try:
            answer = options_for_state(_state_text(body))
        except InputError as exc:
            problems = tuple(replace(p, loc=("body", *p.loc)) for p in exc.problems)
            raise InputError(exc.message, problems) from None
        return JSONResponse(answer.to_dict())

    record_router = APIRouter(prefix=PREFIX, tags=["records"], dependencies=[AUDITED])

    @record_router.get("/patients/{patient_id}/options", responses=READ_ERRORS)
    def patient_options(patient_id: str, who: Caller, db: Db) -> JSONResponse:
        """Treatment options for the patient, the state read from the record (as
        `immunospine patient options ID --json`)."""
        access.require_record_access(db, who, patient_id, write=False)
        return JSONResponse(options_for_patient(db, who.username, patient_id).to_dict())

    app.include_router(open_router)
    app.include_router(record_router)
    built = app.openapi

    def openapi() -> dict[str, Any]:
        doc = built()
        schemas = doc.setdefault("components", {}).setdefault("schemas", {})
        if "TreatmentState" not in schemas:
            schema = dict(TreatmentState.model_json_schema(ref_template=REF))
            for name, sub in schema.pop("$defs", {}).items():
                schemas.setdefault(name, sub)
            schemas["TreatmentState"] = schema
        return doc

    app.openapi = openapi  # type: ignore[method-assign]
