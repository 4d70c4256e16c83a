"""Record routes that exchange whole records: FHIR export and import, the pre-visit report
(PDF), and the audit log (admin). Registered by ``record_routes.add_record_routes``; the same
rules: authorise with ``services.access`` first, then the command line's service with
``actor=`` the username.
"""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse, Response

from immunospine.api.auth import Caller
from immunospine.api.record_common import (
    READ_ERRORS,
    WRITE_ERRORS,
    Body,
    Db,
    IsoDate,
    JsonAnswer,
    body_ref,
)
from immunospine.errors import FhirError, InputError
from immunospine.services import access, record_entries

__all__ = ["add_exchange_routes"]


def add_exchange_routes(router: APIRouter) -> None:
    """The pre-visit report, FHIR export and import, and the audit log (prefix ``/api/v1``)."""

    @router.get(
        "/patients/{patient_id}/report.pdf",
        responses={**READ_ERRORS, 200: {"content": {"application/pdf": {}}}},
        response_class=Response,
    )
    def report(patient_id: str, who: Caller, db: Db, since: IsoDate | None = None) -> Response:
        """The one-page pre-visit report (A4 PDF), as `immunospine patient report`."""
        from immunospine.services import previsit

        access.require_record_access(db, who, patient_id, write=False)
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

    @router.get(
        "/patients/{patient_id}/fhir",
        responses={**READ_ERRORS, 200: {"content": {"application/fhir+json": {}}}},
        response_class=Response,
    )
    def fhir_export(patient_id: str, who: Caller, db: Db) -> Response:
        """The whole record as one FHIR R4 Bundle (as `immunospine fhir export --patient`)."""
        from immunospine.services import interop

        access.require_record_access(db, who, patient_id, write=False)
        with tempfile.TemporaryDirectory(prefix="immunospine-fhir-") as folder:
            out = Path(folder) / "bundle.json"
            interop.export_fhir(db, out, [patient_id], actor=who.username)
            content = out.read_bytes()
        return Response(content, media_type="application/fhir+json")

    @router.post(
        "/fhir",
        status_code=201,
        responses={k: v for k, v in WRITE_ERRORS.items() if k != 404},
        openapi_extra=body_ref("FhirBundle"),
    )
    def fhir_import(who: Caller, db: Db, body: Body) -> JSONResponse:
        """Import a FHIR R4 Bundle (clinician or admin), all or nothing: 422 lists every
        problem → 201 `{"patients", "records", "patient_ids"}` (patients created, records per
        kind). A clinician is put in the care team of the patients the Bundle creates, so they
        can see what they imported."""
        from immunospine.services import accounts, interop

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
        if who.role == "clinician":
            for pid in summary.patient_ids:
                accounts.assign(db, who.username, pid, actor=who.username)
        answer = {
            "patients": summary.patients,
            "records": dict(summary.records),
            "patient_ids": list(summary.patient_ids),
        }
        return JSONResponse(answer, status_code=201)

    @router.get("/audit", tags=["audit"], responses=READ_ERRORS)
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
        return JsonAnswer([e.model_dump(mode="json") for e in entries])
