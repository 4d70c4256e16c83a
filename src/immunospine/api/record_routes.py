"""The record routes (web-contract.md "Record routes"): a signed-in caller's patients.

Every route authorises first with ``services.access`` (a record the caller may not see is a 404
worded exactly as a missing one; a role that may not do this at all is a 403 whatever the id),
then calls the same service as the command line with ``actor=`` the username, so the audit log
names the user. Answers are the command line's ``--json`` output of the matching command
(``patient list|timeline|response|flares|due``, ``visit record``, ``patient add``). Bodies are
read as text and validated by the services (the command line's wording, problems under
``body``); their models are in the OpenAPI document. Routes are sync ``def``: they run in the
thread pool and use the application's one database (``auth.app_database``).
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import JSONResponse, Response

from immunospine.api.auth import Caller, add_auth_routes, app_database
from immunospine.api.models import ErrorEnvelope
from immunospine.api.openapi import REF
from immunospine.errors import FhirError, InputError
from immunospine.services import access, record_entries
from immunospine.services.accounts import Principal
from immunospine.services.record_entries import Database

__all__ = ["BODY_SCHEMAS", "add_record_routes"]

PREFIX = "/api/v1"
Db = Annotated[Database, Depends(app_database)]


async def _raw_body(request: Request) -> bytes:
    """The request body as sent (the guards have checked its type, size and depth)."""
    return await request.body()


Body = Annotated[bytes, Depends(_raw_body)]

_E = {"model": ErrorEnvelope}
_READ_ERRORS: dict[int | str, dict[str, Any]] = {
    401: {**_E, "description": "not signed in"},
    403: {**_E, "description": "this role may not do this"},
    404: {**_E, "description": "no such patient (or not one the caller may see)"},
    422: {**_E, "description": "bad input: every problem is listed"},
}
_WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    **_READ_ERRORS,
    413: {**_E, "description": "the body is too large"},
    415: {**_E, "description": "the body is not JSON"},
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


def _body(name: str) -> dict[str, Any]:
    return {
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": REF.format(model=name)}}},
        }
    }


@contextmanager
def _problems_under_body(record_name: str | None = None) -> Iterator[None]:
    try:
        yield
    except InputError as exc:
        if any(p.loc[:1] == ("body",) for p in exc.problems):
            raise
        raise record_entries.under_body(exc, record_name) from None


def _today() -> date:
    return datetime.now().astimezone().date()


def _read(db: Database, who: Principal, patient_id: str) -> None:
    access.require_record_access(db, who, patient_id, write=False)


def _questionnaires_only(visit: dict[str, Any], lab_fields: Any) -> bool:
    """Whether a visit holds no lab value (none in ``labs``, none inside an assessment): the
    part of a visit a patient may send (their questionnaires)."""
    if visit.get("labs"):
        return False
    assessments = visit.get("assessments")
    if not isinstance(assessments, dict):
        return True
    return not any(
        isinstance(inputs, dict) and any(k in lab_fields for k in inputs)
        for inputs in assessments.values()
    )


def add_record_routes(app: FastAPI) -> None:
    """Register the token route, the record routes and their body schemas in the OpenAPI
    document (call it after ``install_openapi``)."""
    add_auth_routes(app)
    router = APIRouter(prefix=PREFIX, tags=["records"])
    _list_and_create(router)
    _reads(router)
    _writes(router)
    _exchange(router)
    app.include_router(router)
    _add_schemas(app)


def _add_schemas(app: FastAPI) -> None:
    """Put the body models in the document's components (after ``install_openapi``)."""
    built = app.openapi

    def openapi() -> dict[str, Any]:
        doc = built()
        schemas = doc.setdefault("components", {}).setdefault("schemas", {})
        if "VisitBody" not in schemas:
            for model in record_entries.BODY_MODELS.values():
                schema = dict(model.model_json_schema(ref_template=REF))
                for name, sub in schema.pop("$defs", {}).items():
                    schemas.setdefault(name, sub)
                schemas.setdefault(model.__name__, schema)
            for name, schema in BODY_SCHEMAS.items():
                schemas.setdefault(name, schema)
        return doc

    app.openapi = openapi  # type: ignore[method-assign]


def _list_and_create(router: APIRouter) -> None:
    @router.get("/patients", responses=_READ_ERRORS)
    def list_patients(
        who: Caller,
        db: Db,
        off_target: bool = False,
        due: bool = False,
        flare_since: date | None = None,
        limit: Annotated[int | None, Query(ge=1)] = None,
    ) -> JSONResponse:
        """The patients the caller may see, each with the latest target score, target status,
        questionnaires due and last flare (as `immunospine patient list --json`)."""
        from immunospine.services import clinic_list

        access.require_role(who, *access.RECORD_ROLES)
        listing = clinic_list.list_patients(
            db,
            actor=who.username,
            today=_today(),
            off_target=off_target,
            flare_since=flare_since,
            due=due,
            limit=limit,
            only=access.visible_patient_ids(db, who),
        )
        return JSONResponse(listing.to_dict())

    @router.post(
        "/patients",
        status_code=201,
        responses={**_WRITE_ERRORS, 409: {**_E, "description": "the id is taken"}},
        openapi_extra=_body("NewPatientBody"),
    )
    def create_patient(who: Caller, db: Db, body: Body) -> JSONResponse:
        """Add a patient (clinician or admin): `{"patient_id", "year_of_birth", "sex"}` →
        201 the patient (as `immunospine patient add --json`). A clinician who adds a patient
        is also put in that patient's care team, so they can see the record they created."""
        from immunospine.services import accounts, record

        access.require_role(who, "clinician", "admin")
        with _problems_under_body("patient"):
            data = record_entries.body_object(body)
            unknown = sorted(set(data) - {"patient_id", "year_of_birth", "sex"})
            if unknown:
                raise InputError.single(
                    ("body", unknown[0]),
                    "is not a field of a new patient (allowed: patient_id, year_of_birth, sex)",
                    data[unknown[0]],
                    code="extra_forbidden",
                )
            patient = record.register_patient(
                db,
                data.get("patient_id"),  # type: ignore[arg-type]
                data.get("year_of_birth"),  # type: ignore[arg-type]
                data.get("sex", "unknown"),
                actor=who.username,
            )
        if who.role == "clinician":
            accounts.assign(db, who.username, patient.patient_id, actor=who.username)
        return JSONResponse(patient.model_dump(mode="json"), status_code=201)


def _reads(router: APIRouter) -> None:
    @router.get("/patients/{patient_id}", responses=_READ_ERRORS)
    def get_patient(patient_id: str, who: Caller, db: Db) -> JSONResponse:
        """The patient with diagnoses, the latest score of each calculator, target status."""
        _read(db, who, patient_id)
        return JSONResponse(record_entries.patient_overview(db, patient_id, actor=who.username))

    @router.get("/patients/{patient_id}/timeline", responses=_READ_ERRORS)
    def timeline(
        patient_id: str,
        who: Caller,
        db: Db,
        since: date | None = None,
        until: date | None = None,
        kind: Annotated[
            str | None,
            Query(
                description="comma-separated kinds: assessment, lab_result, "
                "imaging_finding, medication_course, intervention, diary_entry"
            ),
        ] = None,
    ) -> JSONResponse:
        """Everything recorded for the patient in date order (`patient timeline --json`)."""
        kinds = [k.strip() for k in kind.split(",") if k.strip()] if kind is not None else None
        tl = access.timeline_for(db, who, patient_id, since=since, until=until, kinds=kinds)
        return JSONResponse(tl.to_dict())

    @router.get("/patients/{patient_id}/response", responses=_READ_ERRORS)
    def response(
        patient_id: str,
        who: Caller,
        db: Db,
        from_: Annotated[date | None, Query(alias="from")] = None,
        to: date | None = None,
    ) -> JSONResponse:
        """Response between two visits (default: the last two), as `patient response --json`."""
        from immunospine.services import tracking

        _read(db, who, patient_id)
        report = tracking.response_for(
            db, patient_id, actor=who.username, baseline_on=from_, follow_up_on=to
        )
        return JSONResponse(report.to_dict())

    @router.get("/patients/{patient_id}/flares", responses=_READ_ERRORS)
    def flares(patient_id: str, who: Caller, db: Db) -> JSONResponse:
        """ASDAS worsening, BASDAI crossing 4 and diary-marked flares (`patient flares --json`)."""
        from immunospine.services import tracking

        _read(db, who, patient_id)
        events = tracking.detect_flares(db, patient_id, actor=who.username)
        return JSONResponse([e.to_dict() for e in events])

    @router.get("/patients/{patient_id}/due", responses=_READ_ERRORS)
    def due(patient_id: str, who: Caller, db: Db, today: date | None = None) -> JSONResponse:
        """Questionnaires due (`patient due --json`); `today` defaults to the server's date."""
        from immunospine.services import tracking

        _read(db, who, patient_id)
        rows = tracking.due_questionnaires(
            db, actor=who.username, today=today or _today(), patient_id=patient_id
        )
        return JSONResponse([d.to_dict() for d in rows])

    @router.get(
        "/patients/{patient_id}/report.pdf",
        responses={**_READ_ERRORS, 200: {"content": {"application/pdf": {}}}},
        response_class=Response,
    )
    def report(patient_id: str, who: Caller, db: Db, since: date | None = None) -> Response:
        """The one-page pre-visit report (A4 PDF), as `immunospine patient report`."""
        from immunospine.services import previsit

        _read(db, who, patient_id)
        data = previsit.gather_previsit(db, patient_id, actor=who.username, since=since)
        with tempfile.TemporaryDirectory(prefix="immunospine-report-") as folder:
            pdf = Path(folder) / "report.pdf"
            previsit.write_previsit(data, pdf)
            content = pdf.read_bytes()
        return Response(
            content,
            media_type="application/pdf",
            headers={"Content-Disposition": f'inline; filename="{patient_id}-report.pdf"'},
        )


def _writes(router: APIRouter) -> None:
    @router.post(
        "/patients/{patient_id}/visits",
        status_code=201,
        responses=_WRITE_ERRORS,
        openapi_extra=_body("VisitBody"),
    )
    def visit(patient_id: str, who: Caller, db: Db, body: Body) -> JSONResponse:
        """Record one visit: `{"on", "labs", "assessments"}` → 201 the stored scores, the
        change since the last visit and the target status (as `visit record --json`). A
        patient may send questionnaires only (no labs)."""
        from immunospine.services import visit as visits

        data = record_entries.body_object(body)
        entity = "assessment" if _questionnaires_only(data, visits.LAB_FIELDS) else "visit"
        access.require_record_access(db, who, patient_id, write=True, entity=entity)
        with _problems_under_body():
            result = visits.record_visit(db, patient_id, None, data, actor=who.username)
        return JSONResponse(result.to_dict(), status_code=201)

    def entry_route(path: str, kind: str, summary: str) -> None:
        model = record_entries.BODY_MODELS[kind]

        def add(patient_id: str, who: Caller, db: Db, body: Body) -> JSONResponse:
            access.require_record_access(db, who, patient_id, write=True, entity=kind)
            stored = record_entries.add_entry_json(db, kind, patient_id, body, actor=who.username)
            return JSONResponse(stored, status_code=201)

        router.add_api_route(
            f"/patients/{{patient_id}}/{path}",
            add,
            methods=["POST"],
            status_code=201,
            name=f"add_{kind}",
            summary=summary,
            description=f"{summary}: the CSV `{kind}` columns (without `patient_id`) → 201 the "
            "record as stored, with its `id`.",
            responses=_WRITE_ERRORS,
            openapi_extra=_body(model.__name__),
        )

    entry_route("diary", "diary_entry", "Add one diary entry")
    entry_route("medications", "medication_course", "Start a medication course")
    entry_route("interventions", "intervention", "Add an intervention")

    @router.patch(
        "/patients/{patient_id}/medications/{course_id}",
        responses=_WRITE_ERRORS,
        openapi_extra=_body("MedicationStop"),
    )
    def stop_medication(
        patient_id: str, course_id: int, who: Caller, db: Db, body: Body
    ) -> JSONResponse:
        """Stop a medication course: `{"stopped_on", "stop_reason"}` → the course."""
        access.require_record_access(db, who, patient_id, write=True, entity="medication_course")
        stopped = record_entries.stop_medication_json(
            db, patient_id, course_id, body, actor=who.username
        )
        return JSONResponse(stopped)


def _exchange(router: APIRouter) -> None:
    @router.get(
        "/patients/{patient_id}/fhir",
        responses={**_READ_ERRORS, 200: {"content": {"application/fhir+json": {}}}},
        response_class=Response,
    )
    def fhir_export(patient_id: str, who: Caller, db: Db) -> Response:
        """The whole record as one FHIR R4 Bundle (as `immunospine fhir export --patient`)."""
        from immunospine.services import interop

        _read(db, who, patient_id)
        with tempfile.TemporaryDirectory(prefix="immunospine-fhir-") as folder:
            out = Path(folder) / "bundle.json"
            interop.export_fhir(db, out, [patient_id], actor=who.username)
            content = out.read_bytes()
        return Response(content, media_type="application/fhir+json")

    @router.post(
        "/fhir",
        status_code=201,
        responses={**_WRITE_ERRORS, 404: {**_E, "description": "unused"}},
        openapi_extra=_body("FhirBundle"),
    )
    def fhir_import(who: Caller, db: Db, body: Body) -> JSONResponse:
        """Import a FHIR R4 Bundle (clinician or admin), all or nothing: 422 lists every
        problem → 201 `{"patients", "records"}` (patients created, records per kind)."""
        from immunospine.services import interop

        access.require_role(who, "clinician", "admin")
        bundle = record_entries.body_object(body)
        try:
            summary = interop.import_fhir(db, bundle, actor=who.username)
        except FhirError as exc:
            problems = getattr(exc, "problems", None)
            if problems is None:
                raise InputError.single(("body",), str(exc), has_value=False) from None
            moved = tuple(replace(p, loc=("body", *p.loc)) for p in problems)
            headline = getattr(exc, "headline", str(exc))
            raise InputError(headline, moved) from None
        return JSONResponse(
            {"patients": summary.patients, "records": dict(summary.records)}, status_code=201
        )

    @router.get("/audit", tags=["audit"], responses=_READ_ERRORS)
    def audit_log(
        who: Caller,
        db: Db,
        patient_id: str | None = None,
        limit: Annotated[int | None, Query(ge=1)] = None,
    ) -> JSONResponse:
        """The audit log, oldest first (admin only): who read or changed what, and when."""
        from immunospine.services.audit import audit_trail

        access.require_role(who, "admin")
        entries = audit_trail(db, actor=who.username, patient_id=patient_id, limit=limit)
        return JSONResponse([e.model_dump(mode="json") for e in entries])
