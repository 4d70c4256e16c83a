"""The patient record's front door: validated entry, audited reads, the timeline.

Every function takes the ``Database`` and an ``actor`` (who is doing this, e.g. ``"dr.lee"``)
and runs in one transaction that also appends the audit entry, so a write and its audit entry
are committed together or not at all. Records are validated twice: by their own model (ranges,
units, stop ≥ start, no future dates) and here against the patient (no clinical date before
the year of birth, the patient must exist). Errors name the record and the field.

Assessments are scored here with the knowledge core (``calculate``) and stored with their raw
inputs, calculator name and version, so they can be recomputed and audited.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from itertools import islice
from typing import Any, TypeVar

from immunospine.errors import FieldProblem, InputError, NotFound
from immunospine.knowledge import calculate
from immunospine.records import (
    Assessment,
    AuditAction,
    AuditEntry,
    Condition,
    Diagnosis,
    DiaryEntry,
    EntryRecord,
    ImagingFinding,
    Intervention,
    LabResult,
    MedicationCourse,
    Patient,
    Sex,
    StopReason,
    Timeline,
    TimelineEntry,
    entry_of,
)
from immunospine.services.answer_cache import AnswerCache, json_bytes
from immunospine.storage.repositories import row_values
from immunospine.storage.uow import Database, UnitOfWork

__all__ = [
    "CONDITIONS",
    "SEXES",
    "TIMELINE_ANSWERS",
    "TIMELINE_KINDS",
    "TIMELINE_RECORDS",
    "Timeline",
    "TimelineEntry",
    "add_diagnosis",
    "add_diary_entries",
    "add_entry",
    "add_patient",
    "audit",
    "audit_entry",
    "cached_timeline_json",
    "check_actor",
    "diagnose",
    "get_patient",
    "read_timeline",
    "record_assessment",
    "register_patient",
    "stop_medication",
    "timeline",
    "timeline_json",
    "timeline_kinds",
]

R = TypeVar("R", bound=EntryRecord)

SEXES = tuple(s.value for s in Sex)
"""Allowed ``sex`` values (FHIR administrative gender)."""
CONDITIONS = tuple(c.value for c in Condition)
"""Allowed diagnosis ``condition`` values."""
TIMELINE_KINDS = (
    "assessment",
    "lab_result",
    "imaging_finding",
    "medication_course",
    "intervention",
    "diary_entry",
)
"""The kinds of timeline entry, for filtering (``timeline(kinds=…)``)."""

CLINICAL_DATE: dict[type[Any], str] = {
    Assessment: "assessed_on",
    LabResult: "collected_on",
    ImagingFinding: "performed_on",
    MedicationCourse: "started_on",
    Intervention: "performed_on",
    DiaryEntry: "recorded_at",
}


def audit(
    uow: UnitOfWork,
    actor: str,
    action: AuditAction,
    patient_id: str | None,
    entity: str,
    entity_id: int | None = None,
    detail: str | None = None,
) -> None:
    """Append one audit entry in the current transaction."""
    uow.audit.append([audit_entry(actor, action, patient_id, entity, entity_id, detail)])


def check_actor(actor: str) -> str:
    """``actor`` if it names someone; ``InputError`` on ``actor`` otherwise."""
    if not isinstance(actor, str) or not actor.strip() or len(actor) > 128:
        raise InputError.single(
            ("actor",), "must name who is acting (1–128 characters)", actor, code="missing"
        )
    return actor


def audit_entry(
    actor: str,
    action: AuditAction,
    patient_id: str | None,
    entity: str,
    entity_id: int | None = None,
    detail: str | None = None,
) -> AuditEntry:
    check_actor(actor)
    return AuditEntry(
        at=datetime.now(UTC),
        actor=actor,
        action=action,
        patient_id=patient_id,
        entity=entity,
        entity_id=entity_id,
        detail=detail,
    )


def add_patient(db: Database, patient: Patient, *, actor: str) -> Patient:
    """Store a new patient; ``InputError`` on ``patient.patient_id`` if the id is taken."""
    with db.transaction() as uow:
        if uow.patients.birth_years([patient.patient_id]):
            raise InputError.single(
                ("patient", "patient_id"), "already exists", patient.patient_id, code="duplicate"
            )
        uow.patients.add(patient)
        audit(uow, actor, "create", patient.patient_id, "patient")
    return patient


def register_patient(
    db: Database, patient_id: str, year_of_birth: int, sex: str, *, actor: str
) -> Patient:
    """``add_patient`` from plain values; errors name ``patient_id``, ``year_of_birth``, ``sex``."""
    patient = Patient.parse({"patient_id": patient_id, "year_of_birth": year_of_birth, "sex": sex})
    return add_patient(db, patient, actor=actor)


def diagnose(
    db: Database,
    patient_id: str,
    condition: str,
    diagnosed_on: date,
    *,
    actor: str,
    criteria_met: Sequence[str] = (),
    note: str | None = None,
) -> Patient:
    """``add_diagnosis`` from plain values; errors name ``condition``, ``diagnosed_on``."""
    diagnosis = Diagnosis.parse(
        {
            "condition": condition,
            "diagnosed_on": diagnosed_on,
            "criteria_met": tuple(criteria_met),
            "note": note,
        }
    )
    return add_diagnosis(db, patient_id, diagnosis, actor=actor)


def add_diagnosis(db: Database, patient_id: str, diagnosis: Diagnosis, *, actor: str) -> Patient:
    """Add a diagnosis to an existing patient; returns the updated patient."""
    with db.transaction() as uow:
        born = _birth_year(uow, patient_id)
        if diagnosis.diagnosed_on.year < born:
            raise _before_birth("diagnosis", "diagnosed_on", diagnosis.diagnosed_on, born)
        uow.patients.add_diagnosis(patient_id, diagnosis)
        audit(uow, actor, "create", patient_id, "diagnosis")
        patient = uow.patients.get(patient_id)
    if patient is None:  # pragma: no cover - checked above in the same transaction
        raise NotFound(f"patient {patient_id!r} not found")
    return patient


def get_patient(db: Database, patient_id: str, *, actor: str) -> Patient:
    """The patient (audited read); ``NotFound`` if there is none."""
    with db.transaction() as uow:
        audit(uow, actor, "read", patient_id, "patient")
        patient = uow.patients.get(patient_id)
        if patient is None:
            raise NotFound(f"patient {patient_id!r} not found")
    return patient


def record_assessment(
    db: Database,
    patient_id: str,
    calculator: str,
    inputs: Mapping[str, Any],
    assessed_on: date,
    *,
    actor: str,
) -> Assessment:
    """Score ``calculator`` on ``inputs`` with the knowledge core and store the result.

    Input problems raise ``InputError`` located at ``("assessment", "inputs", field)``.
    """
    try:
        result = calculate(calculator, **dict(inputs))
    except InputError as exc:
        problems = tuple(
            FieldProblem(("assessment", "inputs", *p.loc), p.msg, p.code, p.value, p.has_value)
            for p in exc.problems
        )
        raise InputError(f"assessment: {exc.message}", problems) from None
    assessment = Assessment.of(patient_id, assessed_on, dict(inputs), result)
    return add_entry(db, assessment, actor=actor)


def add_entry(db: Database, record: R, *, actor: str) -> R:
    """Validate ``record`` against its patient and store it; returns it with its ``id``."""
    with db.transaction() as uow:
        born = _birth_year(uow, record.patient_id)
        _check_dates(record, born)
        stored = uow.records.add(record)
        audit(uow, actor, "create", record.patient_id, record.RECORD, stored.id)
    return stored


def stop_medication(
    db: Database,
    course_id: int,
    stopped_on: date,
    reason: StopReason | None,
    *,
    actor: str,
) -> MedicationCourse:
    """End a medication course (validated as a whole: stop ≥ start, not in the future)."""
    with db.transaction() as uow:
        course = uow.records.get(MedicationCourse, course_id)
        if course is None:
            raise NotFound(f"medication course {course_id} not found")
        data = course.model_dump()
        data.update(stopped_on=stopped_on, stop_reason=reason)
        updated = MedicationCourse.parse(data)
        uow.records.stop_medication(course_id, stopped_on, reason)
        audit(uow, actor, "update", course.patient_id, "medication_course", course_id)
    return updated


def add_diary_entries(
    db: Database,
    entries: Iterable[DiaryEntry],
    *,
    actor: str,
    chunk_size: int = 20_000,
    on_progress: Callable[[int], None] | None = None,
) -> int:
    """The bulk path: validate and insert many diary entries in ONE transaction.

    Either every entry is stored or none is. One audit entry per patient is written, with the
    count in ``detail``. ``on_progress(n)`` is called with the running total after each chunk.
    """
    total = 0
    per_patient: dict[str, int] = {}
    it = iter(entries)
    with db.transaction() as uow:
        while batch := list(islice(it, chunk_size)):
            born = uow.patients.birth_years({e.patient_id for e in batch})
            rows = []
            for i, entry in enumerate(batch):
                year = born.get(entry.patient_id)
                if year is None:
                    raise NotFound(
                        f"diary_entry[{total + i}]: patient {entry.patient_id!r} not found"
                    )
                _check_dates(entry, year)
                per_patient[entry.patient_id] = per_patient.get(entry.patient_id, 0) + 1
                rows.append(row_values(entry))
            total += uow.records.add_rows(DiaryEntry, rows)
            if on_progress:
                on_progress(total)
        uow.audit.append(
            [
                audit_entry(actor, "create", pid, "diary_entry", None, f"bulk: {n} entries")
                for pid, n in sorted(per_patient.items())
            ]
        )
    return total


def timeline(
    db: Database,
    patient_id: str,
    *,
    actor: str,
    since: date | None = None,
    until: date | None = None,
    kinds: Iterable[str] | None = None,
) -> Timeline:
    """Everything recorded for a patient, in date order (audited read).

    ``since``/``until`` bound the clinical date (inclusive); ``kinds`` keeps only those entry
    kinds (see ``TIMELINE_KINDS``; an unknown kind is an ``InputError`` naming the allowed ones).
    """
    wanted = timeline_kinds(kinds)
    with db.transaction() as uow:
        audit(uow, actor, "read", patient_id, "timeline")
        # As in ``cached_timeline_json``: the revision is read before the records, so a kept
        # timeline is never older than the record it stands for. Records are frozen, so one
        # kept timeline can be shared by every request that reads it.
        revision = uow.records.revision(patient_id)
        key = (patient_id, since, until, tuple(sorted(wanted)))
        found = TIMELINE_RECORDS.get(uow, key, revision)
        if found is None:
            found = read_timeline(uow, patient_id, since=since, until=until, kinds=wanted)
            TIMELINE_RECORDS.put(uow, key, revision, found, 1024 * (len(found.entries) + 1))
        return found


def read_timeline(
    uow: UnitOfWork,
    patient_id: str,
    *,
    since: date | None = None,
    until: date | None = None,
    kinds: Collection[str] = TIMELINE_KINDS,
) -> Timeline:
    """``timeline`` inside an open transaction (not audited: the caller audits); ``kinds`` as
    checked by ``timeline_kinds``."""
    patient = uow.patients.get(patient_id)
    if patient is None:
        raise NotFound(f"patient {patient_id!r} not found")
    entries = [
        entry_of(record)
        for cls in CLINICAL_DATE
        if cls.RECORD in kinds
        for record in uow.records.of_patient(cls, patient_id, since=since, until=until)
    ]
    entries.sort(key=TimelineEntry.sort_key)
    return Timeline(patient=patient, entries=tuple(entries))


def timeline_json(
    db: Database,
    patient_id: str,
    *,
    actor: str,
    since: date | None = None,
    until: date | None = None,
    kinds: Iterable[str] | None = None,
) -> bytes:
    """``timeline(...).to_dict()`` as compact JSON (audited read), reused while the patient's
    record is unchanged (``answer_cache``)."""
    wanted = timeline_kinds(kinds)
    with db.transaction() as uow:
        audit(uow, actor, "read", patient_id, "timeline")
        return cached_timeline_json(uow, patient_id, since=since, until=until, kinds=wanted)


TIMELINE_RECORDS: AnswerCache[Timeline] = AnswerCache()
"""The timelines themselves (frozen records), keyed and kept like ``TIMELINE_ANSWERS``: the
pages and the report read a patient's whole record on every view."""
TIMELINE_ANSWERS: AnswerCache[bytes] = AnswerCache()
"""The timelines' JSON, keyed on patient and filters, valid for one ``RecordRepo.revision``."""


def cached_timeline_json(
    uow: UnitOfWork,
    patient_id: str,
    *,
    since: date | None = None,
    until: date | None = None,
    kinds: Collection[str] = TIMELINE_KINDS,
) -> bytes:
    """``timeline_json`` inside an open transaction (the caller audits)."""
    # The revision is read before the records: a write committed in between makes the text
    # newer than its revision, never older, so a stale answer is never served.
    revision = uow.records.revision(patient_id)
    key = (patient_id, since, until, tuple(sorted(kinds)))
    body = TIMELINE_ANSWERS.get(uow, key, revision)
    if body is None:
        tl = read_timeline(uow, patient_id, since=since, until=until, kinds=kinds)
        body = json_bytes(tl.to_dict())
        TIMELINE_ANSWERS.put(uow, key, revision, body, len(body))
    return body


def timeline_kinds(kinds: Iterable[str] | None) -> set[str]:
    """The kinds asked for (all when ``None``); ``InputError`` on ``kind`` naming an unknown one."""
    if kinds is None:
        return set(TIMELINE_KINDS)
    given = list(kinds)
    unknown = [k for k in given if k not in TIMELINE_KINDS]
    if unknown:
        raise InputError.single(
            ("kind",),
            f"is not a kind of timeline entry; allowed: {', '.join(TIMELINE_KINDS)}",
            ",".join(unknown),
        )
    return set(given)


def _birth_year(uow: UnitOfWork, patient_id: str) -> int:
    year = uow.patients.birth_years([patient_id]).get(patient_id)
    if year is None:
        raise NotFound(f"patient {patient_id!r} not found")
    return year


def _check_dates(record: EntryRecord, year_of_birth: int) -> None:
    field = CLINICAL_DATE[type(record)]
    fields: Sequence[str] = (
        (field, "stopped_on") if isinstance(record, MedicationCourse) else (field,)
    )
    for name in fields:
        value = getattr(record, name)
        if value is not None and value.year < year_of_birth:
            raise _before_birth(record.RECORD, name, value, year_of_birth)


def _before_birth(record: str, field: str, value: date, year_of_birth: int) -> InputError:
    return InputError.single(
        (record, field),
        f"is before the patient's year of birth {year_of_birth}",
        value.isoformat(),
        code="before_birth",
    )
