"""Import and export whole patient records: FHIR R4 Bundles and the CSV exchange format.

Imports are all or nothing: every record is validated first (every problem reported), then
duplicates are looked for in the database, and only then is everything written in ONE
transaction together with its audit entries (``actor`` = who imports). Exports read through the
audited ``record.timeline``.

Duplicates refused: a FHIR bundle whose identifier was imported before (found in the audit log),
a patient pseudonym that already exists, and (CSV) a record identical to one already stored or
repeated in the files.
"""

from __future__ import annotations

import json
import uuid
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from immunospine.errors import FieldProblem, InputError
from immunospine.fhir import csv_format
from immunospine.fhir.export import bundle_of
from immunospine.fhir.reader import read_bundle
from immunospine.fhir.validation import FhirImportError
from immunospine.records import Diagnosis, EntryRecord, Patient, Timeline
from immunospine.services import record
from immunospine.services.record import audit, audit_entry, check_actor
from immunospine.storage.tables import AuditRow
from immunospine.storage.uow import Database, UnitOfWork

__all__ = [
    "ImportSummary",
    "export_csv",
    "export_fhir",
    "import_csv",
    "import_fhir",
    "read_timelines",
    "store_timelines",
]

BUNDLE_ENTITY = "fhir_bundle"


@dataclass(frozen=True)
class ImportSummary:
    """What an import wrote: patients created and records per kind."""

    patients: int
    records: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.records.values())


def read_timelines(
    db: Database, patient_ids: Sequence[str] | None, *, actor: str
) -> list[Timeline]:
    """Whole records of ``patient_ids`` (default: every patient), each read audited."""
    check_actor(actor)
    if patient_ids is None:
        with db.transaction() as uow:
            patient_ids = uow.patients.ids()
    return [record.timeline(db, pid, actor=actor) for pid in patient_ids]


def export_fhir(db: Database, patient_ids: Sequence[str] | None, *, actor: str) -> dict[str, Any]:
    """A FHIR R4 ``collection`` Bundle of the patients' whole records (new identifier)."""
    timelines = read_timelines(db, patient_ids, actor=actor)
    return bundle_of(timelines, identifier=str(uuid.uuid4()), timestamp=datetime.now(UTC))


def import_fhir(db: Database, bundle: Any, *, actor: str) -> ImportSummary:
    """Import a Bundle in one transaction; ``FhirImportError`` lists every problem, if any."""
    check_actor(actor)
    read = read_bundle(bundle)
    with db.transaction() as uow:
        problems: list[FieldProblem] = []
        if read.identifier is not None:
            seen = uow.session.execute(
                select(AuditRow.at, AuditRow.actor).where(
                    AuditRow.entity == BUNDLE_ENTITY, AuditRow.detail == read.identifier
                )
            ).first()
            if seen is not None:
                problems.append(
                    FieldProblem(
                        ("bundle", "identifier"),
                        f"this bundle was already imported on {seen.at.isoformat()} by "
                        f"{seen.actor}; refused",
                        "duplicate",
                        read.identifier,
                        True,
                    )
                )
        problems += _existing_patients(uow, [tl.patient for tl in read.timelines])
        if problems:
            raise FhirImportError("duplicate import refused; nothing was imported", tuple(problems))
        summary = store_timelines(uow, read.timelines, actor=actor, source="fhir")
        if read.identifier is not None:
            audit(uow, actor, "create", None, BUNDLE_ENTITY, None, read.identifier)
    return summary


def _existing_patients(uow: UnitOfWork, patients: Iterable[Patient]) -> list[FieldProblem]:
    ids = [p.patient_id for p in patients]
    existing = uow.patients.birth_years(ids)
    return [
        FieldProblem(
            ("patient", pid),
            f"patient {pid!r} already exists in the database (imported before?); refused",
            "duplicate",
            pid,
            True,
        )
        for pid in ids
        if pid in existing
    ]


def store_timelines(
    uow: UnitOfWork, timelines: Sequence[Timeline], *, actor: str, source: str
) -> ImportSummary:
    """Write new patients and all their records in the caller's transaction, audited."""
    counts: Counter[str] = Counter()
    for tl in timelines:
        uow.patients.add(tl.patient)
        audit(uow, actor, "create", tl.patient.patient_id, "patient", None, f"import: {source}")
        _add_entries(uow, [e.record for e in tl.entries], actor, source, counts)
    return ImportSummary(patients=len(timelines), records=dict(counts))


def _add_entries(
    uow: UnitOfWork, records: Sequence[EntryRecord], actor: str, source: str, counts: Counter[str]
) -> None:
    by_kind: dict[tuple[type[Any], str], list[EntryRecord]] = {}
    for r in records:
        by_kind.setdefault((type(r), r.patient_id), []).append(r)
    audits = []
    for (_cls, pid), group in by_kind.items():
        uow.records.add_many(group)
        kind = group[0].RECORD
        counts[kind] += len(group)
        audits.append(
            audit_entry(actor, "create", pid, kind, None, f"import: {source}: {len(group)}")
        )
    uow.audit.append(audits)


def export_csv(
    db: Database, patient_ids: Sequence[str] | None, *, actor: str
) -> dict[str, list[dict[str, str]]]:
    """CSV rows per record type (``patient``, ``diagnosis``, ``assessment`` …)."""
    out: dict[str, list[dict[str, str]]] = {k: [] for k in csv_format.RECORD_COLUMNS}
    for tl in read_timelines(db, patient_ids, actor=actor):
        pid = tl.patient.patient_id
        out["patient"].append(csv_format.record_row(tl.patient, pid))
        out["diagnosis"] += [csv_format.record_row(d, pid) for d in tl.patient.diagnoses]
        for e in tl.entries:
            out[e.kind].append(csv_format.record_row(e.record, pid))
    return out


def import_csv(db: Database, files: Sequence[tuple[str, str]], *, actor: str) -> ImportSummary:
    """Import CSV files in one transaction; ``InputError`` lists every bad row, if any.

    New patients need a ``patient`` row; other rows may also add to patients already stored.
    """
    check_actor(actor)
    parsed = csv_format.parse_csv(files)
    with db.transaction() as uow:
        problems = _csv_problems(uow, parsed)
        if problems:
            raise InputError(
                csv_format.report(problems),
                tuple(problems),
            )
        new = {p.patient_id: p for _, p in parsed.patients}
        dx_new: dict[str, list[Diagnosis]] = {}
        for _, pid, dx in parsed.diagnoses:
            if pid in new:
                dx_new.setdefault(pid, []).append(dx)
            else:
                uow.patients.add_diagnosis(pid, dx)
                audit(uow, actor, "create", pid, "diagnosis", None, "import: csv")
        timelines = [
            Timeline(
                patient=p.model_copy(
                    update={"diagnoses": p.diagnoses + tuple(dx_new.get(pid, ()))}
                ),
                entries=(),
            )
            for pid, p in new.items()
        ]
        summary = store_timelines(uow, timelines, actor=actor, source="csv")
        counts: Counter[str] = Counter(summary.records)
        _add_entries(uow, [r for _, r in parsed.entries], actor, "csv", counts)
        if parsed.diagnoses:
            counts["diagnosis"] += len(parsed.diagnoses)
    return ImportSummary(patients=len(new), records=dict(counts))


def _csv_problems(uow: UnitOfWork, parsed: csv_format.CsvRecords) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    ids = {p.patient_id for _, p in parsed.patients}
    ids |= {pid for _, pid, _ in parsed.diagnoses} | {r.patient_id for _, r in parsed.entries}
    stored = uow.patients.birth_years(ids)
    born: dict[str, int] = dict(stored)
    first_row: dict[str, csv_format.Row] = {}
    for row, p in parsed.patients:
        if p.patient_id in stored:
            problems.append(
                _dup(
                    row,
                    "patient_id",
                    f"patient {p.patient_id!r} already exists in the database",
                    p.patient_id,
                )
            )
        elif p.patient_id in first_row:
            problems.append(
                _dup(
                    row,
                    "patient_id",
                    f"repeats the patient row {first_row[p.patient_id].number}",
                    p.patient_id,
                )
            )
        else:
            first_row[p.patient_id] = row
            born[p.patient_id] = p.year_of_birth
    seen: dict[str, csv_format.Row] = {}
    existing: dict[tuple[str, type[Any]], set[str]] = {}
    items: list[tuple[csv_format.Row, str, Any]] = [(r, pid, d) for r, pid, d in parsed.diagnoses]
    items += [(r, rec.patient_id, rec) for r, rec in parsed.entries]
    for row, pid, rec in items:
        if pid not in born:
            problems.append(
                FieldProblem(
                    row.loc("patient_id"),
                    "is neither in the database nor in a patient row",
                    "not_found",
                    pid,
                    True,
                )
            )
            continue
        day = _clinical_year(rec)
        if day is not None and day < born[pid]:
            problems.append(
                FieldProblem(
                    row.loc("(row)"),
                    f"is dated before the patient's year of birth {born[pid]}",
                    "before_birth",
                    day,
                    True,
                )
            )
        key = _key(pid, rec)
        if key in seen:
            problems.append(
                _dup(row, "(row)", f"repeats row {seen[key].number} of {seen[key].file}", None)
            )
            continue
        seen[key] = row
        if pid in stored and key in _stored_keys(uow, pid, type(rec), existing):
            problems.append(_dup(row, "(row)", "is already stored for this patient", None))
    return problems


def _key(pid: str, rec: Any) -> str:
    data = rec.model_dump(mode="json", exclude={"id"})
    return f"{pid}|{type(rec).__name__}|{json.dumps(data, sort_keys=True)}"


def _dup(row: csv_format.Row, column: str, msg: str, value: Any) -> FieldProblem:
    return FieldProblem(row.loc(column), msg + "; refused", "duplicate", value, value is not None)


def _clinical_year(rec: Any) -> int | None:
    for name in (
        "diagnosed_on",
        "assessed_on",
        "collected_on",
        "performed_on",
        "started_on",
        "recorded_at",
    ):
        value = getattr(rec, name, None)
        if value is not None:
            return int(value.year)
    return None


def _stored_keys(
    uow: UnitOfWork, pid: str, cls: type[Any], cache: dict[tuple[str, type[Any]], set[str]]
) -> set[str]:
    if (pid, cls) not in cache:
        if cls is Diagnosis:
            patient = uow.patients.get(pid)
            found: list[Any] = list(patient.diagnoses) if patient else []
        else:
            found = uow.records.of_patient(cls, pid)
        cache[(pid, cls)] = {_key(pid, r) for r in found}
    return cache[(pid, cls)]
