"""Import and export whole patient records as FHIR R4 Bundles, streaming, in bounded memory.

Export reads one patient's timeline at a time (each read audited), turns it into validated
resources and writes them straight into ONE Bundle JSON document: a temporary file beside the
target, renamed over it at the end, so a failed export leaves no half-written file.

Import is all or nothing and reports every problem. It reads the file twice, entry by entry:
pass 1 validates every resource and keeps only keys (patients, where each reference points);
then, in ONE transaction, the duplicates are looked for, and pass 2 maps the remaining
resources to records and writes them in batches with their audit entries (``actor`` = who
imports). Any problem, in either pass, rolls the whole transaction back.

Duplicates refused: a Bundle whose identifier was imported before (found in the audit log) and a
patient pseudonym that already exists.

Progress: ``on_progress(phase, done, total)`` with phase ``"exporting"`` (patients),
``"checking"`` (bytes of the file read, pass 1) or ``"importing"`` (entries, pass 2).
"""

from __future__ import annotations

import os
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO
from uuid import uuid4

from sqlalchemy import select

from immunospine.errors import FieldProblem, InputError
from immunospine.fhir.bundle_index import BundleFile, LoadedBundle, index_bundle
from immunospine.fhir.bundle_writer import write_bundle
from immunospine.fhir.export import BundleEntries, bundle_head
from immunospine.fhir.reader import records
from immunospine.fhir.validation import FhirImportError, problem_report
from immunospine.records import EntryRecord, Patient, Timeline
from immunospine.services import record
from immunospine.services.record import audit, audit_entry, check_actor
from immunospine.storage.tables import AuditRow
from immunospine.storage.uow import Database, UnitOfWork

__all__ = [
    "BATCH_RECORDS",
    "ExportSummary",
    "ImportSummary",
    "Progress",
    "check_output_file",
    "existing_patients",
    "export_fhir",
    "fhir_problem_report",
    "import_fhir",
    "patient_ids",
    "replacing",
    "store_records",
    "store_timelines",
    "timelines",
]

BUNDLE_ENTITY = "fhir_bundle"
BATCH_RECORDS = 2_000
"""Records of one kind written per INSERT during an import."""

Progress = Callable[[str, int, int], None]
"""``on_progress(phase, done, total)``: see the module docstring for the phases."""


@dataclass(frozen=True)
class ImportSummary:
    """What an import wrote: patients created and records per kind."""

    patients: int
    records: dict[str, int]
    patient_ids: tuple[str, ...] = ()
    """The patients created, in the order written."""

    @property
    def total(self) -> int:
        return sum(self.records.values())


@dataclass(frozen=True)
class ExportSummary:
    """What an export wrote: patients, and FHIR resources (entries of the Bundle)."""

    patients: int
    resources: int
    path: Path


def _noop(phase: str, done: int, total: int) -> None:
    """No progress report."""


# --- output files ----
def check_output_file(path: Path, *, field: str = "out") -> Path:
    """``path`` if a file can be written there; ``InputError`` on ``field`` saying what is wrong."""
    if path.is_dir():
        raise InputError.single(
            (field,),
            f"is a folder; give a file path inside it, e.g. {path / 'export.json'}",
            str(path),
        )
    parent = path.parent
    if not parent.exists():
        raise InputError.single(
            (field,), f"cannot be written: the folder {parent} does not exist", str(path)
        )
    if not parent.is_dir():
        raise InputError.single((field,), f"cannot be written: {parent} is not a folder", str(path))
    if not os.access(parent, os.W_OK):
        raise InputError.single(
            (field,), f"cannot be written: no permission to write in {parent}", str(path)
        )
    return path


@contextmanager
def replacing(path: Path, *, field: str = "out") -> Iterator[TextIO]:
    """A text file that replaces ``path`` only when the block ends without an exception."""
    check_output_file(path, field=field)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        os.chmod(temp, 0o666 & ~_umask())  # as an ordinary new file (mkstemp makes it 0600)
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as out:
            yield out
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# --- reading ----
def patient_ids(db: Database, wanted: Sequence[str] | None) -> list[str]:
    """``wanted`` (each checked to exist, ``InputError`` naming the missing), or every patient."""
    with db.transaction() as uow:
        if wanted is None:
            return uow.patients.ids()
        found = uow.patients.birth_years(wanted)
    missing = [pid for pid in wanted if pid not in found]
    if missing:
        problems = tuple(
            FieldProblem(("patient",), "no such patient in the database", "not_found", pid, True)
            for pid in missing
        )
        raise InputError(f"no such patient(s): {', '.join(missing)}", problems)
    return list(dict.fromkeys(wanted))


def timelines(db: Database, ids: Iterable[str], *, actor: str) -> Iterator[Timeline]:
    """Whole records of ``ids``, one at a time (each read audited)."""
    for pid in ids:
        yield record.timeline(db, pid, actor=actor)


# --- FHIR export ----
def export_fhir(
    db: Database,
    path: Path,
    wanted: Sequence[str] | None = None,
    *,
    actor: str,
    on_progress: Progress | None = None,
) -> ExportSummary:
    """Write the patients' whole records (default: all) to ``path`` as one FHIR R4 Bundle."""
    check_actor(actor)
    check_output_file(path)
    ids = patient_ids(db, wanted)
    report = on_progress or _noop
    maker = BundleEntries()

    def entries() -> Iterator[dict[str, Any]]:
        report("exporting", 0, len(ids))
        for done, tl in enumerate(timelines(db, ids, actor=actor), 1):
            yield from maker.of_patient(tl)
            report("exporting", done, len(ids))

    head = bundle_head(str(uuid4()), datetime.now(UTC))
    with replacing(path) as out:
        count = write_bundle(out, head, entries())
    return ExportSummary(patients=len(ids), resources=count, path=path)


# --- FHIR import ----
def import_fhir(
    db: Database,
    source: Path | dict[str, Any],
    *,
    actor: str,
    on_progress: Progress | None = None,
) -> ImportSummary:
    """Import a Bundle (a JSON file, or one in memory) in one transaction, all or nothing.

    ``FhirImportError`` lists every problem; ``BundleSyntaxError`` when the file is not JSON.
    """
    check_actor(actor)
    report = on_progress or _noop
    bundle = BundleFile(source) if isinstance(source, Path) else LoadedBundle(source)
    index = index_bundle(bundle, on_entry=lambda _i: report("checking", *bundle.progress()))
    first_digest = bundle.digest if isinstance(bundle, BundleFile) else None
    problems = index.problems
    with db.transaction() as uow:
        duplicates = _duplicates(uow, index.identifier, index.patients.values())
        if duplicates:
            if not problems:
                raise FhirImportError(
                    "duplicate import refused; nothing was imported", tuple(duplicates)
                )
            problems.items.extend(duplicates)
        writer = _Writer(uow, actor, "fhir")
        if not problems:
            for patient in index.patients.values():
                writer.patient(patient)
        total = index.entries
        for rec in records(bundle, index, on_entry=lambda i: report("importing", i + 1, total)):
            if not problems:
                writer.add(rec)
        if isinstance(bundle, BundleFile) and bundle.digest != first_digest:
            problems.add(("bundle",), "the file changed while it was being imported")
        if problems:
            n = len(problems.items)
            raise FhirImportError(
                f"the bundle was not imported: {n} problem(s)", tuple(problems.items)
            )
        summary = writer.finish()
        if index.identifier is not None:
            audit(uow, actor, "create", None, BUNDLE_ENTITY, None, index.identifier)
    return summary


def fhir_problem_report(exc: Exception, *, limit: int | None = None) -> str:
    """The text of a refused FHIR import: its first ``limit`` problems, then how many more."""
    if isinstance(exc, FhirImportError):
        return problem_report(exc.headline, exc.problems, limit=limit)
    return str(exc)


def _duplicates(
    uow: UnitOfWork, identifier: str | None, patients: Iterable[Patient]
) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    if identifier is not None:
        seen = uow.session.execute(
            select(AuditRow.at, AuditRow.actor).where(
                AuditRow.entity == BUNDLE_ENTITY, AuditRow.detail == identifier
            )
        ).first()
        if seen is not None:
            problems.append(
                FieldProblem(
                    ("bundle", "identifier"),
                    f"this bundle was already imported on {seen.at.isoformat()} by "
                    f"{seen.actor}; refused",
                    "duplicate",
                    identifier,
                    True,
                )
            )
    return problems + existing_patients(uow, [p.patient_id for p in patients])


def existing_patients(uow: UnitOfWork, ids: Sequence[str]) -> list[FieldProblem]:
    """A problem for each of ``ids`` already in the database."""
    existing = uow.patients.birth_years(ids)
    return [
        FieldProblem(
            ("patient", pid),
            f"patient {pid} already exists in the database (imported before?); refused",
            "duplicate",
            pid,
            True,
        )
        for pid in ids
        if pid in existing
    ]


# --- writing records ----
class _Writer:
    """Writes patients and records in the caller's transaction, in batches, counting for audit."""

    def __init__(self, uow: UnitOfWork, actor: str, source: str) -> None:
        self.uow, self.actor, self.source = uow, actor, source
        self.patients = 0
        self.patient_ids: list[str] = []
        self.batches: dict[type[Any], list[EntryRecord]] = {}
        self.per_patient: Counter[tuple[str, str]] = Counter()

    def patient(self, patient: Patient) -> None:
        self.uow.patients.add(patient)
        audit(
            self.uow, self.actor, "create", patient.patient_id, "patient", None,
            f"import: {self.source}",
        )  # fmt: skip
        self.patients += 1
        self.patient_ids.append(patient.patient_id)

    def add(self, rec: EntryRecord) -> None:
        batch = self.batches.setdefault(type(rec), [])
        batch.append(rec)
        self.per_patient[(rec.patient_id, rec.RECORD)] += 1
        if len(batch) >= BATCH_RECORDS:
            self.uow.records.add_many(batch)
            batch.clear()

    def finish(self) -> ImportSummary:
        for batch in self.batches.values():
            self.uow.records.add_many(batch)
            batch.clear()
        detail = f"import: {self.source}"
        self.uow.audit.append(
            [
                audit_entry(self.actor, "create", pid, kind, None, f"{detail}: {n}")
                for (pid, kind), n in self.per_patient.items()
            ]
        )
        counts: Counter[str] = Counter()
        for (_pid, kind), n in self.per_patient.items():
            counts[kind] += n
        return ImportSummary(
            patients=self.patients, records=dict(counts), patient_ids=tuple(self.patient_ids)
        )


def store_timelines(
    uow: UnitOfWork, tls: Sequence[Timeline], *, actor: str, source: str
) -> ImportSummary:
    """Write new patients and all their records in the caller's transaction, audited."""
    writer = _Writer(uow, actor, source)
    for tl in tls:
        writer.patient(tl.patient)
        for e in tl.entries:
            writer.add(e.record)
    return writer.finish()


def store_records(
    uow: UnitOfWork, recs: Iterable[EntryRecord], *, actor: str, source: str
) -> ImportSummary:
    """Write records of patients already stored, in the caller's transaction, audited."""
    writer = _Writer(uow, actor, source)
    for rec in recs:
        writer.add(rec)
    return writer.finish()
