"""Import and export records in the CSV exchange format (``immunospine.tabular``).

Import is all or nothing: every row of every file is checked, the rows are compared with the
database (unknown patients, dates before birth, duplicates), and EVERY problem of both kinds is
reported together, in file and row order (the header is row 1). Only when there is none is
everything written, in ONE transaction, with its audit entries (``actor`` = who imports). New
patients need a ``patient`` row; other rows may also add to patients already stored.

Export writes one patient at a time (each read audited) to one file, or to one file per record
type in a folder; files are replaced only when the export succeeded.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from immunospine.errors import FieldProblem, InputError
from immunospine.records import Diagnosis, Timeline
from immunospine.services.interop import (
    ImportSummary,
    Progress,
    check_output_file,
    patient_ids,
    replacing,
    store_records,
    store_timelines,
    timelines,
)
from immunospine.services.record import audit, check_actor
from immunospine.storage.uow import Database, UnitOfWork
from immunospine.tabular import csv_format
from immunospine.tabular.csv_format import COLUMNS, RECORD_COLUMNS, CsvRecords, Row

__all__ = ["CsvExportSummary", "export_csv", "import_csv", "problem_report"]


@dataclass(frozen=True)
class CsvExportSummary:
    """What an export wrote: patients, data rows (one a record) and the files."""

    patients: int
    rows: int
    files: tuple[Path, ...]


def problem_report(problems: Sequence[FieldProblem], *, limit: int | None = None) -> str:
    """The text of a refused CSV import: the first ``limit`` problems, then how many more."""
    return csv_format.report(problems, limit=limit)


# --- export ----
def export_csv(
    db: Database,
    out: Path,
    wanted: Sequence[str] | None = None,
    *,
    actor: str,
    on_progress: Progress | None = None,
) -> CsvExportSummary:
    """Write records as CSV: ``out`` ending in ``.csv`` gets every record type in one file,
    any other ``out`` is a folder (created if its parent exists) with one file per record type.
    """
    check_actor(actor)
    one_file = out.suffix.lower() == ".csv"
    if one_file:
        check_output_file(out)
    else:
        _check_folder(out)
    ids = patient_ids(db, wanted)
    if not one_file:
        out.mkdir(exist_ok=True)
    rows = 0
    with ExitStack() as stack:
        writers: dict[str, csv.DictWriter[str]] = {}
        if one_file:
            shared = _writer(stack.enter_context(replacing(out)), list(COLUMNS))
            writers = dict.fromkeys(RECORD_COLUMNS, shared)
            files: tuple[Path, ...] = (out,)
        else:
            files = tuple(out / f"{kind}.csv" for kind in RECORD_COLUMNS)
            for kind, path in zip(RECORD_COLUMNS, files, strict=True):
                columns = ["record_type", "patient_id", *RECORD_COLUMNS[kind]]
                writers[kind] = _writer(stack.enter_context(replacing(path)), columns)
        if on_progress:
            on_progress("exporting", 0, len(ids))
        for done, tl in enumerate(timelines(db, ids, actor=actor), 1):
            for kind, row in _rows(tl):
                writers[kind].writerow(row)
                rows += 1
            if on_progress:
                on_progress("exporting", done, len(ids))
    return CsvExportSummary(patients=len(ids), rows=rows, files=files)


def _check_folder(out: Path) -> None:
    if out.exists() and not out.is_dir():
        raise InputError.single(
            ("out",), "is a file; give a folder, or a file name ending in .csv", str(out)
        )
    if not out.exists():
        check_output_file(out)


def _writer(handle: Any, columns: list[str]) -> csv.DictWriter[str]:
    writer = csv.DictWriter(handle, fieldnames=columns, restval="", lineterminator="\n")
    writer.writeheader()
    return writer


def _rows(tl: Timeline) -> list[tuple[str, dict[str, str]]]:
    pid = tl.patient.patient_id
    out = [("patient", csv_format.record_row(tl.patient, pid))]
    out += [("diagnosis", csv_format.record_row(d, pid)) for d in tl.patient.diagnoses]
    out += [(e.kind, csv_format.record_row(e.record, pid)) for e in tl.entries]
    return out


# --- import ----
def import_csv(db: Database, files: Sequence[tuple[str, str]], *, actor: str) -> ImportSummary:
    """Import ``(file name, CSV text)`` pairs in one transaction; ``InputError`` lists every
    problem (``problems`` in file and row order), if any.
    """
    check_actor(actor)
    parsed = csv_format.read_csv(files)
    with db.transaction() as uow:
        problems = parsed.problems + _database_problems(uow, parsed)
        if problems:
            order = {name: i for i, (name, _) in enumerate(files)}
            problems.sort(key=lambda p: (order.get(str(p.loc[0]), -1), _row_number(p)))
            raise InputError(csv_format.report(problems), tuple(problems))
        new = {p.patient_id: p for _, p in parsed.patients}
        dx_new: dict[str, list[Diagnosis]] = {}
        for _, pid, dx in parsed.diagnoses:
            if pid in new:
                dx_new.setdefault(pid, []).append(dx)
            else:
                uow.patients.add_diagnosis(pid, dx)
                audit(uow, actor, "create", pid, "diagnosis", None, "import: csv")
        patients = [
            Timeline(
                patient=p.model_copy(
                    update={"diagnoses": p.diagnoses + tuple(dx_new.get(pid, ()))}
                ),
                entries=(),
            )
            for pid, p in new.items()
        ]
        store_timelines(uow, patients, actor=actor, source="csv")
        stored = store_records(uow, (r for _, r in parsed.entries), actor=actor, source="csv")
    counts = dict(stored.records)
    if parsed.diagnoses:
        counts["diagnosis"] = len(parsed.diagnoses)
    return ImportSummary(patients=len(new), records=counts)


def _row_number(p: FieldProblem) -> int:
    return p.loc[1] if len(p.loc) > 1 and isinstance(p.loc[1], int) else 0


def _database_problems(uow: UnitOfWork, parsed: CsvRecords) -> list[FieldProblem]:
    """Unknown patients, dates before birth and duplicates (in the files or in the database)."""
    problems: list[FieldProblem] = []
    ids = {p.patient_id for _, p in parsed.patients} | parsed.flawed_patients
    ids |= {pid for _, pid, _ in parsed.diagnoses} | {r.patient_id for _, r in parsed.entries}
    stored = uow.patients.birth_years(ids)
    born: dict[str, int] = dict(stored)
    first_row: dict[str, Row] = {}
    for row, p in parsed.patients:
        if p.patient_id in stored:
            msg = f"patient {p.patient_id} already exists in the database"
            problems.append(_dup(row, "patient_id", msg, p.patient_id))
        elif p.patient_id in first_row:
            msg = f"repeats the patient row {first_row[p.patient_id].number}"
            problems.append(_dup(row, "patient_id", msg, p.patient_id))
        else:
            first_row[p.patient_id] = row
            born[p.patient_id] = p.year_of_birth
    seen: dict[str, Row] = {}
    existing: dict[tuple[str, type[Any]], set[str]] = {}
    items: list[tuple[Row, str, Any]] = [(r, pid, d) for r, pid, d in parsed.diagnoses]
    items += [(r, rec.patient_id, rec) for r, rec in parsed.entries]
    for row, pid, rec in items:
        if pid not in born:
            if pid not in parsed.flawed_patients:  # its patient row's problems are listed
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
        year = _clinical_year(rec)
        if year is not None and year < born[pid]:
            msg = f"is dated before the patient's year of birth {born[pid]}"
            problems.append(FieldProblem(row.loc("(row)"), msg, "before_birth", year, True))
        key = _key(pid, rec)
        if key in seen:
            msg = f"repeats row {seen[key].number} of {seen[key].file}"
            problems.append(_dup(row, "(row)", msg, None))
            continue
        seen[key] = row
        if pid in stored and key in _stored_keys(uow, pid, type(rec), existing):
            problems.append(_dup(row, "(row)", "is already stored for this patient", None))
    return problems


def _key(pid: str, rec: Any) -> str:
    data = rec.model_dump(mode="json", exclude={"id"})
    return f"{pid}|{type(rec).__name__}|{json.dumps(data, sort_keys=True)}"


def _dup(row: Row, column: str, msg: str, value: Any) -> FieldProblem:
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
