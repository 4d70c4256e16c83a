"""The CSV exchange format: one row per record, a ``record_type`` column, documented columns.

A clinic can fill it from a spreadsheet: either one file holding every record type (all columns)
or one file per record type (``record_type``, ``patient_id`` and that type's columns). Dates are
ISO 8601 (``2024-05-01``), diary timestamps carry a time zone (``2024-05-01T07:30:00+02:00``),
booleans are ``true``/``false``, lists are separated by ``;``, and the column names carry the
units (``duration_min``, ``sleep_hours``; lab ``value`` is in ``unit``). The reference is
docs/reference/csv-format.md; ``COLUMNS`` is its single source.

``read_csv`` checks EVERY row of every file and collects every problem (file, row number,
column, value as written, what is allowed); a bad cell does not hide the row's other problems,
and a bad patient row does not make that patient's other rows "unknown". Rows are numbered as a
spreadsheet shows them: the header is row 1, the first data row is row 2, blank rows count.
Assessments are re-scored with the knowledge core (a ``version``, ``score`` or ``category``
given must match the recomputation).
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from immunospine.errors import FieldProblem, InputError, KnowledgeError
from immunospine.knowledge import calculate
from immunospine.records import (
    Assessment,
    Diagnosis,
    DiaryEntry,
    EntryRecord,
    ImagingFinding,
    Intervention,
    LabResult,
    MedicationCourse,
    Patient,
)
from immunospine.tabular.cells import ALLOWED_TEXT, cell_text, cell_value, shown
from immunospine.tabular.columns import COLUMNS, RECORD_COLUMNS

__all__ = [
    "COLUMNS",
    "RECORD_COLUMNS",
    "CsvRecords",
    "Row",
    "parse_csv",
    "read_csv",
    "record_row",
    "report",
    "write_csv",
]

_ENTRY_CLASS: dict[str, Any] = {
    "lab_result": LabResult,
    "imaging_finding": ImagingFinding,
    "medication_course": MedicationCourse,
    "intervention": Intervention,
    "diary_entry": DiaryEntry,
}


@dataclass(frozen=True)
class Row:
    """Where a record came from: file name and spreadsheet row number (header is row 1)."""

    file: str
    number: int

    def loc(self, column: str) -> tuple[str | int, ...]:
        return (self.file, self.number, column)


@dataclass
class CsvRecords:
    """The records that parsed, each with its row, and every problem found in the files.

    ``flawed_patients`` are the ids of ``patient`` rows that had problems: their other rows are
    checked as usual but not reported as belonging to an unknown patient.
    """

    patients: list[tuple[Row, Patient]] = field(default_factory=list)
    diagnoses: list[tuple[Row, str, Diagnosis]] = field(default_factory=list)
    entries: list[tuple[Row, EntryRecord]] = field(default_factory=list)
    problems: list[FieldProblem] = field(default_factory=list)
    flawed_patients: set[str] = field(default_factory=set)


def _problem(row: Row, column: str, msg: str, code: str, value: Any = None) -> FieldProblem:
    return FieldProblem(row.loc(column), msg, code, value, value is not None)


def _row_values(
    row: Row, record_type: str, raw: dict[str, str], out: list[FieldProblem]
) -> tuple[dict[str, Any], set[str]]:
    """The typed values of a row's non-empty cells, and the columns whose cells were bad."""
    own = RECORD_COLUMNS[record_type]
    values: dict[str, Any] = {}
    bad: set[str] = set()
    for column, text in raw.items():
        if column in ("record_type", "patient_id") or column not in COLUMNS or text == "":
            continue
        if column not in own:
            msg = f"must be empty for a {record_type} row (its columns: {', '.join(own)})"
            out.append(_problem(row, column, msg, "not_allowed", text))
            bad.add(column)
            continue
        kind, allowed, _ = COLUMNS[column]
        if kind == "enum":
            if allowed is not None and text.strip() not in allowed:
                out.append(_problem(row, column, f"allowed: {', '.join(allowed)}", "enum", text))
                bad.add(column)
            else:
                values[column] = text.strip()
            continue
        try:
            values[column] = cell_value(kind, text)
        except ValueError:
            out.append(_problem(row, column, f"must be {ALLOWED_TEXT[kind]}", kind, text))
            bad.add(column)
    return values, bad


def _record_problems(row: Row, exc: InputError, bad: set[str], out: list[FieldProblem]) -> None:
    """A record's own problems, located at the row's column (none for cells already reported)."""
    for p in exc.problems:
        column = str(p.loc[1]) if len(p.loc) > 1 else "(row)"
        if column == "inputs":
            column = "inputs_json"
        if column in bad:
            continue
        out.append(FieldProblem(row.loc(column), p.msg, p.code, p.value, p.has_value))


def _assessment(
    row: Row, pid: str, v: dict[str, Any], bad: set[str], out: list[FieldProblem]
) -> Assessment | None:
    missing = [k for k in ("assessed_on", "calculator", "inputs_json") if k not in v]
    for k in missing:
        if k not in bad:
            out.append(_problem(row, k, "is required for an assessment row", "missing"))
    if missing:
        return None
    try:
        result = calculate(v["calculator"], **v["inputs_json"])
    except KnowledgeError as exc:
        out.append(_problem(row, "calculator", str(exc), "unknown", v["calculator"]))
        return None
    except InputError as exc:
        for p in exc.problems:
            out.append(
                FieldProblem(
                    row.loc("inputs_json"), f"{p.field}: {p.msg}", p.code, p.value, p.has_value
                )
            )
        return None
    if "version" in v and v["version"] != result.version:
        msg = f"must be {result.version} (the installed {result.name})"
        out.append(_problem(row, "version", msg, "version_mismatch", v["version"]))
    if "score" in v and (
        result.score is None
        or not math.isclose(v["score"], result.score, rel_tol=1e-9, abs_tol=1e-9)
    ):
        msg = f"does not match the recomputed score {result.score}"
        out.append(_problem(row, "score", msg, "mismatch", v["score"]))
    if "category" in v and v["category"] != result.category:
        msg = f"does not match the recomputed category {shown(result.category)}"
        out.append(_problem(row, "category", msg, "mismatch", v["category"]))
    data = {
        "patient_id": pid,
        "assessed_on": v["assessed_on"],
        "calculator": result.name,
        "version": result.version,
        "inputs": dict(v["inputs_json"]),
        "score": result.score,
        "category": result.category,
        "result": result.to_dict(),
    }
    try:
        return Assessment.parse(data)
    except InputError as exc:  # e.g. a future assessed_on: refused like every other record
        _record_problems(row, exc, bad, out)
        return None


def _build(
    row: Row, record_type: str, pid: str, v: dict[str, Any], bad: set[str], result: CsvRecords
) -> None:
    out = result.problems
    before = len(out)
    try:
        if record_type == "patient":
            result.patients.append((row, Patient.parse({"patient_id": pid, **v})))
        elif record_type == "diagnosis":
            result.diagnoses.append((row, pid, Diagnosis.parse(v)))
        elif record_type == "assessment":
            a = _assessment(row, pid, v, bad, out)
            if a is not None:
                result.entries.append((row, a))
        else:
            result.entries.append((row, _ENTRY_CLASS[record_type].parse({"patient_id": pid, **v})))
    except InputError as exc:
        _record_problems(row, exc, bad, out)
    if record_type == "patient" and (bad or len(out) > before):
        result.flawed_patients.add(pid)


def _header_problems(name: str, header: list[str], out: list[FieldProblem]) -> bool:
    """Report unknown, repeated and missing columns; ``False`` when rows cannot be read."""
    seen: set[str] = set()
    for h in header:
        if h not in COLUMNS:
            msg = f"is not a known column; known: {', '.join(COLUMNS)}"
            out.append(FieldProblem((name, 1, h), msg, "unknown_column", h, True))
        elif h in seen:
            out.append(FieldProblem((name, 1, h), "appears twice in the header", "duplicate"))
        seen.add(h)
    for h in ("record_type", "patient_id"):
        if h not in header:
            out.append(FieldProblem((name, 1, h), "is a required column", "missing"))
    return "record_type" in header and "patient_id" in header and len(seen) == len(header)


def _rows(name: str, text: str, out: list[FieldProblem]) -> Iterator[tuple[int, list[str]]]:
    """``(row number, cells)`` of every row, the header being row 1; unreadable rows reported."""
    reader = csv.reader(io.StringIO(text, newline=""))
    number = 0
    while True:
        number += 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            out.append(
                FieldProblem((name, number, "(row)"), f"is not valid CSV: {exc}", "csv_syntax")
            )
            continue
        yield number, cells


def _read_file(name: str, text: str, result: CsvRecords) -> None:
    out = result.problems
    rows = _rows(name, text, out)
    first = next(rows, None)
    if first is None or first[0] != 1:
        out.append(FieldProblem((name, 1, "(header)"), "needs a header row", "missing"))
        return
    header = first[1]
    if not _header_problems(name, header, out):
        return
    for number, cells in rows:
        if not any(cells):
            continue  # a blank row: counted, skipped
        row = Row(name, number)
        if len(cells) != len(header):
            what = "more" if len(cells) > len(header) else "fewer"
            msg = f"has {what} cells ({len(cells)}) than the header ({len(header)})"
            if what == "fewer":
                msg += "; a truncated row?"
            out.append(_problem(row, "(row)", msg, "cell_count"))
            continue
        _read_row(row, dict(zip(header, cells, strict=True)), result)


def _read_row(row: Row, raw: dict[str, str], result: CsvRecords) -> None:
    record_type = raw["record_type"].strip()
    pid = raw["patient_id"]
    if record_type not in RECORD_COLUMNS:
        msg = f"allowed: {', '.join(RECORD_COLUMNS)}"
        result.problems.append(_problem(row, "record_type", msg, "enum", record_type))
        return
    values, bad = _row_values(row, record_type, raw, result.problems)
    _build(row, record_type, pid, values, bad, result)


def read_csv(files: Iterable[tuple[str, str]]) -> CsvRecords:
    """Records from ``(file name, CSV text)`` pairs, with every problem in ``problems``."""
    result = CsvRecords()
    for name, text in files:
        _read_file(name, text, result)
    return result


def parse_csv(files: Iterable[tuple[str, str]]) -> CsvRecords:
    """``read_csv``, raising ``InputError`` listing every problem if there is any."""
    result = read_csv(files)
    if result.problems:
        raise InputError(report(result.problems), tuple(result.problems))
    return result


def report(problems: Sequence[FieldProblem], *, limit: int | None = None) -> str:
    """The message of a refused import: one line a problem, ``file row N, column C = value: …``.

    With ``limit``, only the first ``limit`` problems are listed, then how many were left out.
    """
    lines = [f"the CSV was not imported: {len(problems)} problem(s)"]
    listed = problems if limit is None else problems[:limit]
    for p in listed:
        where = f"{p.loc[0]} row {p.loc[1]}, column {p.loc[2]}" if len(p.loc) == 3 else p.field
        lines.append(f"  {where}{f' = {shown(p.value)}' if p.has_value else ''}: {p.msg}")
    if len(listed) < len(problems):
        lines.append(f"  … and {len(problems) - len(listed)} more problem(s) not listed")
    return "\n".join(lines)


def record_row(record: Patient | Diagnosis | EntryRecord, patient_id: str) -> dict[str, str]:
    """The CSV cells of one record (``record_type`` and ``patient_id`` included)."""
    record_type = record.RECORD
    row = {"record_type": record_type, "patient_id": patient_id}
    for column in RECORD_COLUMNS[record_type]:
        attr = {"inputs_json": "inputs"}.get(column, column)
        row[column] = cell_text(getattr(record, attr))
    return row


def write_csv(rows: Iterable[dict[str, str]], record_type: str | None = None) -> str:
    """CSV text: all columns, or only ``record_type``'s (plus ``record_type``, ``patient_id``)."""
    columns = (
        list(COLUMNS)
        if record_type is None
        else ["record_type", "patient_id", *RECORD_COLUMNS[record_type]]
    )
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in columns})
    return buffer.getvalue()
