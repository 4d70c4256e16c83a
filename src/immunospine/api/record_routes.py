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

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Query, Request
from fastapi.responses import JSONResponse, Response

from immunospine.api.auth import Caller, add_auth_routes
from immunospine.api.exchange_routes import add_exchange_routes
from immunospine.api.openapi import REF
from immunospine.api.record_common import (
    AUDITED,
    BODY_SCHEMAS,
    ERR,
    PREFIX,
    READ_ERRORS,
    WRITE_ERRORS,
    Body,
    Db,
    IsoDate,
    audit_with_read,
    body_ref,
)
from immunospine.errors import InputError
from immunospine.services import access, record_entries
from immunospine.services.accounts import Principal
from immunospine.services.record_entries import Database

__all__ = ["add_record_routes"]


@contextmanager
def _problems_under_body(record_name: str | None = None) -> Iterator[None]:
    try:
        yield
    except InputError as exc:
        if any(p.loc[:1] == ("body",) for p in exc.problems):
            raise
        raise record_entries.under_body(exc, record_name) from None


def _located(exc: InputError, places: Mapping[str, tuple[str, ...]]) -> InputError:
    """``exc`` with the service's field names located as this route's parameters."""
    problems = tuple(
        replace(p, loc=places[str(p.loc[-1])]) if p.loc and str(p.loc[-1]) in places else p
        for p in exc.problems
    )
    return InputError(exc.message, problems)


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
    router = APIRouter(prefix=PREFIX, tags=["records"], dependencies=[AUDITED])
    _list_and_create(router)
    _reads(router)
    _writes(router)
    add_exchange_routes(router)
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
    @router.get("/patients", responses=READ_ERRORS)
    def list_patients(
        request: Request,
        who: Caller,
        db: Db,
        off_target: bool = False,
        due: bool = False,
        flare_since: IsoDate | None = None,
        limit: Annotated[int | None, Query(ge=1)] = None,
    ) -> Response:
        """The patients the caller may see, each with the latest target score, target status,
        questionnaires due and last flare (as `immunospine patient list --json`)."""
        access.require_role(who, *access.RECORD_ROLES)
        body = access.patient_list_json_for(
            db,
            who,
            today=_today(),
            off_target=off_target,
            flare_since=flare_since,
            due=due,
            limit=limit,
            also=audit_with_read(request, who),
        )
        return Response(body, media_type="application/json")

    @router.post(
        "/patients",
        status_code=201,
        responses={**WRITE_ERRORS, 409: {**ERR, "description": "the id is taken"}},
        openapi_extra=body_ref("NewPatientBody"),
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
    @router.get("/patients/{patient_id}", responses=READ_ERRORS)
    def get_patient(patient_id: str, who: Caller, db: Db) -> JSONResponse:
        """The patient with diagnoses, the latest score of each calculator, target status."""
        _read(db, who, patient_id)
        return JSONResponse(record_entries.patient_overview(db, patient_id, actor=who.username))

    @router.get("/patients/{patient_id}/timeline", responses=READ_ERRORS)
    def timeline(
        request: Request,
        patient_id: str,
        who: Caller,
        db: Db,
        since: IsoDate | None = None,
        until: IsoDate | None = None,
        kind: Annotated[
            str | None,
            Query(
                description="comma-separated kinds: assessment, lab_result, "
                "imaging_finding, medication_course, intervention, diary_entry"
            ),
        ] = None,
    ) -> Response:
        """Everything recorded for the patient in date order (`patient timeline --json`)."""
        kinds = [k.strip() for k in kind.split(",") if k.strip()] if kind is not None else None
        body = access.timeline_json_for(
            db,
            who,
            patient_id,
            since=since,
            until=until,
            kinds=kinds,
            also=audit_with_read(request, who),
        )
        return Response(body, media_type="application/json")

    @router.get("/patients/{patient_id}/response", responses=READ_ERRORS)
    def response(
        patient_id: str,
        who: Caller,
        db: Db,
        from_: Annotated[IsoDate | None, Query(alias="from")] = None,
        to: IsoDate | None = None,
    ) -> JSONResponse:
        """Response between two visits (default: the last two), as `patient response --json`."""
        from immunospine.services import tracking

        _read(db, who, patient_id)
        try:
            report = tracking.response_for(
                db, patient_id, actor=who.username, baseline_on=from_, follow_up_on=to
            )
        except InputError as exc:
            places = {"baseline_on": ("query", "from"), "follow_up_on": ("query", "to")}
            raise _located(exc, places) from None
        return JSONResponse(report.to_dict())

    @router.get("/patients/{patient_id}/flares", responses=READ_ERRORS)
    def flares(patient_id: str, who: Caller, db: Db) -> JSONResponse:
        """ASDAS worsening, BASDAI crossing 4 and diary-marked flares (`patient flares --json`)."""
        from immunospine.services import tracking

        _read(db, who, patient_id)
        events = tracking.detect_flares(db, patient_id, actor=who.username)
        return JSONResponse([e.to_dict() for e in events])

    @router.get("/patients/{patient_id}/due", responses=READ_ERRORS)
    def due(patient_id: str, who: Caller, db: Db, today: IsoDate | None = None) -> JSONResponse:
        """Questionnaires due (`patient due --json`); `today` defaults to the server's date."""
        from immunospine.services import tracking

        _read(db, who, patient_id)
        rows = tracking.due_questionnaires(
            db, actor=who.username, today=today or _today(), patient_id=patient_id
        )
        return JSONResponse([d.to_dict() for d in rows])


def _writes(router: APIRouter) -> None:
    @router.post(
        "/patients/{patient_id}/visits",
        status_code=201,
        responses=WRITE_ERRORS,
        openapi_extra=body_ref("VisitBody"),
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
            responses=WRITE_ERRORS,
            openapi_extra=body_ref(model.__name__),
        )

    entry_route("diary", "diary_entry", "Add one diary entry")
    entry_route("medications", "medication_course", "Start a medication course")
    entry_route("interventions", "intervention", "Add an intervention")

    @router.patch(
        "/patients/{patient_id}/medications/{course_id}",
        responses=WRITE_ERRORS,
        openapi_extra=body_ref("MedicationStop"),
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
