"""What a signed-in person adds and reads on the web pages, with the same rules as the API.

Every function takes the ``Principal`` and checks access first (``services.access``): a patient
reaches only their own record, a clinician their care team. Writes go through the same
validated, audited record services as the command line and the HTTP API.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from immunospine.records import DrugClass, InterventionKind, LabResult, StopReason
from immunospine.services import access, record, record_entries
from immunospine.services.accounts import Principal
from immunospine.storage.uow import Database

__all__ = [
    "CHOICES",
    "add_diary_entry",
    "add_intervention",
    "add_medication",
    "latest_crp",
    "recent_interventions",
    "save_questionnaire",
]

CHOICES: Mapping[str, tuple[str, ...]] = {
    "drug_class": tuple(c.value for c in DrugClass),
    "stop_reason": tuple(r.value for r in StopReason),
    "kind": tuple(k.value for k in InterventionKind),
}
"""The allowed values of the record's choice fields, for forms."""


def save_questionnaire(
    db: Database,
    who: Principal,
    patient_id: str,
    calculator: str,
    inputs: Mapping[str, Any],
    on: date,
) -> dict[str, Any]:
    """Score and store one questionnaire (the same calculator as ``immunospine calc``)."""
    access.require_record_access(db, who, patient_id, write=True, entity="assessment")
    stored = record.record_assessment(db, patient_id, calculator, inputs, on, actor=who.username)
    return {
        "calculator": stored.calculator,
        "score": stored.score,
        "category": stored.category,
        "assessed_on": stored.assessed_on.isoformat(),
    }


def latest_crp(db: Database, who: Principal, patient_id: str) -> tuple[float, date] | None:
    """The latest CRP (mg/L) on record and its date, or ``None`` (an audited read)."""
    access.require_record_access(db, who, patient_id, write=False)
    with db.transaction() as uow:
        record.audit(uow, who.username, "read", patient_id, "lab_result", None, "latest CRP")
        labs = uow.records.of_patient(LabResult, patient_id)
    crp = [lab for lab in labs if lab.test.value == "crp" and lab.value is not None]
    if not crp:
        return None
    last = max(crp, key=lambda lab: lab.collected_on)
    return float(last.value or 0.0), last.collected_on


def _add(db: Database, who: Principal, patient_id: str, kind: str, data: dict[str, Any]) -> Any:
    access.require_record_access(db, who, patient_id, write=True, entity=kind)
    return record_entries.add_entry_json(db, kind, patient_id, json.dumps(data), actor=who.username)


def add_diary_entry(
    db: Database, who: Principal, patient_id: str, fields: Mapping[str, Any]
) -> dict[str, Any]:
    """Store one diary entry recorded now (fields as the CSV ``diary_entry`` columns)."""
    data = {"recorded_at": datetime.now(UTC).isoformat(), **fields}
    stored: dict[str, Any] = _add(db, who, patient_id, "diary_entry", data)
    return stored


def add_medication(
    db: Database, who: Principal, patient_id: str, fields: Mapping[str, Any]
) -> dict[str, Any]:
    """Store one medication course (fields as the CSV ``medication_course`` columns)."""
    stored: dict[str, Any] = _add(db, who, patient_id, "medication_course", dict(fields))
    return stored


def add_intervention(
    db: Database, who: Principal, patient_id: str, fields: Mapping[str, Any]
) -> dict[str, Any]:
    """Store one physiotherapy, exercise or stress-reduction session."""
    stored: dict[str, Any] = _add(db, who, patient_id, "intervention", dict(fields))
    return stored


def recent_interventions(
    db: Database, who: Principal, patient_id: str, limit: int = 20
) -> list[dict[str, Any]]:
    """The latest sessions on record, newest first (an audited read)."""
    from immunospine.records import Intervention

    access.require_record_access(db, who, patient_id, write=False)
    with db.transaction() as uow:
        record.audit(uow, who.username, "read", patient_id, "intervention", None, "recent")
        rows = uow.records.of_patient(Intervention, patient_id)
    rows = sorted(rows, key=lambda r: r.performed_on, reverse=True)[:limit]
    return [r.model_dump(mode="json") for r in rows]
