"""The CSV exchange format: one row per record, a ``record_type`` column, documented columns.

A clinic can fill it from a spreadsheet: either one file holding every record type (all columns)
or one file per record type (``record_type``, ``patient_id`` and that type's columns). Dates are
ISO 8601 (``2024-05-01``), diary timestamps carry a time zone (``2024-05-01T07:30:00+02:00``),
booleans are ``true``/``false``, lists are separated by ``;``, and the column names carry the
units (``duration_min``, ``sleep_hours``; lab ``value`` is in ``unit``). The reference is
docs/reference/csv-format.md; ``COLUMNS`` here is its single source.

``parse_csv`` reports EVERY bad row (file, row number, column, value, what is allowed) in one
``InputError``; assessments are re-scored with the knowledge core (a ``version``, ``score`` or
``category`` given must match the recomputation).
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from immunospine.errors import FieldProblem, InputError, KnowledgeError
from immunospine.fhir.csv_columns import COLUMNS, RECORD_COLUMNS
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

__all__ = ["COLUMNS", "RECORD_COLUMNS", "CsvRecords", "Row", "parse_csv", "report", "write_csv"]

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
    """The parsed records, each with the row it came from."""

    patients: list[tuple[Row, Patient]] = field(default_factory=list)
    diagnoses: list[tuple[Row, str, Diagnosis]] = field(default_factory=list)
    entries: list[tuple[Row, EntryRecord]] = field(default_factory=list)


def _cell(kind: str, text: str) -> Any:
    match kind:
        case "int":
            return int(text.strip())
        case "float":
            value = float(text.strip())
            if not math.isfinite(value):
                raise ValueError
            return value
        case "bool":
            low = text.strip().lower()
            if low not in ("true", "false", "yes", "no", "1", "0"):
                raise ValueError
            return low in ("true", "yes", "1")
        case "date":
            return date.fromisoformat(text.strip())
        case "datetime":
            return datetime.fromisoformat(text.strip())
        case "list":
            return tuple(p.strip() for p in text.split(";") if p.strip())
        case "json":
            value = json.loads(text)
            if not isinstance(value, dict):
                raise ValueError
            return value
    return text


_ALLOWED_TEXT = {
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "date": "a date YYYY-MM-DD",
    "datetime": "a timestamp with time zone, e.g. 2024-05-01T07:30:00+02:00",
    "list": "names separated by ';'",
    "json": 'a JSON object, e.g. {"q1": 5}',
}


def _row_values(
    row: Row, record_type: str, raw: dict[str, str], out: list[FieldProblem]
) -> dict[str, Any]:
    own = RECORD_COLUMNS[record_type]
    values: dict[str, Any] = {}
    for column, text in raw.items():
        if column in ("record_type", "patient_id") or text is None or text == "":
            continue
        if column not in own:
            out.append(
                FieldProblem(
                    row.loc(column),
                    f"must be empty for a {record_type} row (its columns: {', '.join(own)})",
                    "not_allowed",
                    text,
                    True,
                )
            )
            continue
        kind, allowed, _ = COLUMNS[column]
        if kind == "enum":
            if allowed is not None and text.strip() not in allowed:
                out.append(
                    FieldProblem(
                        row.loc(column), f"allowed: {', '.join(allowed)}", "enum", text, True
                    )
                )
                continue
            values[column] = text.strip()
            continue
        try:
            values[column] = _cell(kind, text)
        except ValueError:
            out.append(
                FieldProblem(row.loc(column), f"must be {_ALLOWED_TEXT[kind]}", kind, text, True)
            )
    return values


def _record_problems(row: Row, exc: InputError, out: list[FieldProblem]) -> None:
    for p in exc.problems:
        column = str(p.loc[1]) if len(p.loc) > 1 else "(row)"
        if column == "inputs":
            column = "inputs_json"
        out.append(FieldProblem(row.loc(column), p.msg, p.code, p.value, p.has_value))


def _assessment(
    row: Row, pid: str, v: dict[str, Any], out: list[FieldProblem]
) -> Assessment | None:
    missing = [k for k in ("assessed_on", "calculator", "inputs_json") if k not in v]
    for k in missing:
        out.append(FieldProblem(row.loc(k), "is required for an assessment row", "missing"))
    if missing:
        return None
    try:
        result = calculate(v["calculator"], **v["inputs_json"])
    except KnowledgeError as exc:
        out.append(FieldProblem(row.loc("calculator"), str(exc), "unknown", v["calculator"], True))
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
        out.append(
            FieldProblem(
                row.loc("version"),
                f"must be {result.version} (the installed {result.name})",
                "version_mismatch",
                v["version"],
                True,
            )
        )
    if "score" in v and (
        result.score is None
        or not math.isclose(v["score"], result.score, rel_tol=1e-9, abs_tol=1e-9)
    ):
        out.append(
            FieldProblem(
                row.loc("score"),
                f"does not match the recomputed score {result.score}",
                "mismatch",
                v["score"],
                True,
            )
        )
    if "category" in v and v["category"] != result.category:
        out.append(
            FieldProblem(
                row.loc("category"),
                f"does not match the recomputed category {result.category!r}",
                "mismatch",
                v["category"],
                True,
            )
        )
    try:
        return Assessment.of(pid, v["assessed_on"], v["inputs_json"], result)
    except InputError as exc:
        _record_problems(row, exc, out)
        return None


def _build(
    row: Row,
    record_type: str,
    pid: str,
    v: dict[str, Any],
    result: CsvRecords,
    out: list[FieldProblem],
) -> None:
    try:
        if record_type == "patient":
            result.patients.append((row, Patient.parse({"patient_id": pid, **v})))
        elif record_type == "diagnosis":
            result.diagnoses.append((row, pid, Diagnosis.parse(v)))
        elif record_type == "assessment":
            a = _assessment(row, pid, v, out)
            if a is not None:
                result.entries.append((row, a))
        else:
            result.entries.append((row, _ENTRY_CLASS[record_type].parse({"patient_id": pid, **v})))
    except InputError as exc:
        _record_problems(row, exc, out)


def parse_csv(files: Sequence[tuple[str, str]]) -> CsvRecords:
    """Records from ``(file name, CSV text)`` pairs, or ``InputError`` listing every bad cell."""
    problems: list[FieldProblem] = []
    result = CsvRecords()
    for name, text in files:
        reader = csv.DictReader(io.StringIO(text))
        header = list(reader.fieldnames or [])
        unknown = [h for h in header if h not in COLUMNS]
        for h in unknown:
            problems.append(
                FieldProblem(
                    (name, 1, h),
                    f"is not a known column; known: {', '.join(COLUMNS)}",
                    "unknown_column",
                    h,
                    True,
                )
            )
        for h in ("record_type", "patient_id"):
            if h not in header:
                problems.append(FieldProblem((name, 1, h), "is a required column", "missing"))
        if unknown or "record_type" not in header or "patient_id" not in header:
            continue
        for number, raw in enumerate(reader, start=2):
            row = Row(name, number)
            if None in raw:
                problems.append(
                    FieldProblem(row.loc("(row)"), "has more cells than the header", "extra_cells")
                )
                continue
            record_type = (raw.get("record_type") or "").strip()
            if record_type not in RECORD_COLUMNS:
                problems.append(
                    FieldProblem(
                        row.loc("record_type"),
                        f"allowed: {', '.join(RECORD_COLUMNS)}",
                        "enum",
                        record_type,
                        True,
                    )
                )
                continue
            pid = raw.get("patient_id") or ""
            before = len(problems)
            values = _row_values(row, record_type, raw, problems)
            if len(problems) == before:
                _build(row, record_type, pid, values, result, problems)
    if problems:
        raise InputError(
            report(problems),
            tuple(problems),
        )
    return result


def report(problems: Sequence[FieldProblem]) -> str:
    """The message of a refused import: one line a problem, ``file row N, column C = value: …``."""
    lines = [f"the CSV was not imported: {len(problems)} problem(s)"]
    for p in problems:
        where = f"{p.loc[0]} row {p.loc[1]}, column {p.loc[2]}" if len(p.loc) == 3 else p.field
        lines.append(f"  {where}{f' = {p.value!r}' if p.has_value else ''}: {p.msg}")
    return "\n".join(lines)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, date | datetime):
        return value.isoformat()
    if isinstance(value, tuple):
        return ";".join(value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    if isinstance(value, float):
        return repr(value)
    return str(getattr(value, "value", value))


def record_row(record: Patient | Diagnosis | EntryRecord, patient_id: str) -> dict[str, str]:
    """The CSV cells of one record (``record_type`` and ``patient_id`` included)."""
    record_type = record.RECORD
    row = {"record_type": record_type, "patient_id": patient_id}
    for column in RECORD_COLUMNS[record_type]:
        attr = {"inputs_json": "inputs"}.get(column, column)
        row[column] = _text(getattr(record, attr))
    return row


def write_csv(rows: Sequence[dict[str, str]], record_type: str | None = None) -> str:
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
