"""Record entries sent as JSON by the HTTP API (and the web pages): one diary entry, medication
course or intervention for a patient named elsewhere (the route), stopping a course, and one
patient's overview.

The body is a JSON object whose fields are the CSV format's columns for that record type
(docs/reference/csv-format.md) without ``patient_id`` (it comes from the route; if given it must
agree). It is validated by the record model itself (``DiaryEntry.parse_json`` …), so the
wording of every problem is the command line's; problems are located under ``body``. The body
models below (the record models without ``id`` and ``patient_id``) describe these bodies in the
OpenAPI document; they are never used to validate.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, create_model

from immunospine.errors import FieldProblem, InputError, NotFound
from immunospine.records import (
    Assessment,
    DiaryEntry,
    EntryRecord,
    Intervention,
    MedicationCourse,
    StopReason,
)
from immunospine.services import record, tracking
from immunospine.storage.uow import Database

__all__ = [
    "BODY_MODELS",
    "ENTRY_KINDS",
    "Database",
    "MedicationStop",
    "add_entry_json",
    "body_object",
    "patient_overview",
    "stop_medication_json",
    "under_body",
]

ENTRY_KINDS: dict[str, type[EntryRecord]] = {
    "diary_entry": DiaryEntry,
    "medication_course": MedicationCourse,
    "intervention": Intervention,
}
"""The record types a route adds one at a time, by their CSV ``record_type``."""


def _body_model(cls: type[BaseModel], name: str) -> type[BaseModel]:
    fields: dict[str, Any] = {
        n: (f.annotation, f) for n, f in cls.model_fields.items() if n not in ("id", "patient_id")
    }
    doc = (cls.__doc__ or "").strip().splitlines()[0]
    model: type[BaseModel] = create_model(
        name, __config__=ConfigDict(extra="forbid"), __doc__=doc, **fields
    )
    return model


class MedicationStop(BaseModel):
    """Stop a medication course: the last day and, if known, why."""

    model_config = ConfigDict(extra="forbid", strict=True)

    stopped_on: date
    stop_reason: StopReason | None = None


DiaryEntryBody = _body_model(DiaryEntry, "DiaryEntryBody")
MedicationCourseBody = _body_model(MedicationCourse, "MedicationCourseBody")
InterventionBody = _body_model(Intervention, "InterventionBody")
BODY_MODELS: dict[str, type[BaseModel]] = {
    "diary_entry": DiaryEntryBody,
    "medication_course": MedicationCourseBody,
    "intervention": InterventionBody,
    "medication_stop": MedicationStop,
}
"""Request body models (OpenAPI only), by record type."""


def body_object(text: str | bytes) -> dict[str, Any]:
    """The JSON object of a request body; ``InputError`` on ``body`` otherwise."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError.single(
            ("body",),
            f"is not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}",
            has_value=False,
            code="invalid_json",
        ) from None
    except UnicodeDecodeError as exc:
        raise InputError.single(
            ("body",),
            f"is not UTF-8 text (byte {exc.start + 1})",
            has_value=False,
            code="invalid_encoding",
        ) from None
    if not isinstance(value, dict):
        raise InputError.single(("body",), "must be a JSON object", value, code="object_expected")
    return value


def under_body(exc: InputError, record_name: str | None = None) -> InputError:
    """``exc`` with its problems located under ``body`` (the record name dropped)."""

    def moved(p: FieldProblem) -> FieldProblem:
        loc = p.loc[1:] if record_name and p.loc[:1] == (record_name,) else p.loc
        return replace(p, loc=("body", *loc))

    return InputError(exc.message, tuple(moved(p) for p in exc.problems))


def _with_patient(data: dict[str, Any], patient_id: str) -> dict[str, Any]:
    given = data.get("patient_id", patient_id)
    if given != patient_id:
        raise InputError.single(
            ("body", "patient_id"),
            f"must be the patient of the address ({json.dumps(patient_id)}) or left out",
            given,
            code="mismatch",
        )
    if "id" in data:
        raise InputError.single(
            ("body", "id"), "is given by the database; leave it out", data["id"], code="extra"
        )
    return {**data, "patient_id": patient_id}


def add_entry_json(
    db: Database, kind: str, patient_id: str, body: str | bytes, *, actor: str
) -> dict[str, Any]:
    """Store one ``kind`` record (``ENTRY_KINDS``) from a JSON body; returns it as stored."""
    cls = ENTRY_KINDS[kind]
    data = _with_patient(body_object(body), patient_id)
    try:
        entry = cls.parse_json(json.dumps(data))
    except InputError as exc:
        raise under_body(exc, cls.RECORD) from None
    try:
        stored = record.add_entry(db, entry, actor=actor)
    except InputError as exc:
        raise under_body(exc, cls.RECORD) from None
    return stored.model_dump(mode="json")


def stop_medication_json(
    db: Database, patient_id: str, course_id: int, body: str | bytes, *, actor: str
) -> dict[str, Any]:
    """Stop course ``course_id`` of ``patient_id`` (``MedicationStop`` body); ``NotFound`` when
    the course is not this patient's, in the words of a missing course."""
    data = body_object(body)
    try:
        stop = MedicationStop.model_validate_json(json.dumps(data))
    except Exception as exc:
        from pydantic import ValidationError

        if not isinstance(exc, ValidationError):
            raise
        raise InputError.from_validation(exc, model=MedicationStop, prefix=("body",)) from None
    with db.transaction() as uow:
        course = uow.records.get(MedicationCourse, course_id)
    if course is None or course.patient_id != patient_id:
        raise NotFound(f"medication course {course_id} not found")
    try:
        updated = record.stop_medication(
            db, course_id, stop.stopped_on, stop.stop_reason, actor=actor
        )
    except InputError as exc:
        raise under_body(exc, MedicationCourse.RECORD) from None
    return updated.model_dump(mode="json")


def patient_overview(db: Database, patient_id: str, *, actor: str) -> dict[str, Any]:
    """The patient with diagnoses, the latest score of each calculator, and target status
    (one audited read)."""
    patient = record.get_patient(db, patient_id, actor=actor)
    with db.transaction() as uow:
        latest: dict[str, Assessment] = {}
        for a in uow.records.of_patient(Assessment, patient_id):
            latest[a.calculator] = a  # oldest first: the last one wins
        targets = tracking.target_statuses(uow, patient_id=patient_id)
    return {
        "patient": patient.model_dump(mode="json"),
        "latest_scores": {
            name: {
                "id": a.id,
                "assessed_on": a.assessed_on.isoformat(),
                "score": a.score,
                "category": a.category,
                "version": a.version,
            }
            for name, a in sorted(latest.items())
        },
        "targets": [t.to_dict() for t in targets],
    }
