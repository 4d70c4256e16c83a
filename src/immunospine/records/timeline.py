"""A patient's timeline: every record in date order, each entry typed by ``kind``.

Ordering: by clinical date; within a day, dated records (assessments, labs, imaging, treatment)
come first, then diary entries by time; ties keep a stable order by kind and id.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Literal

from pydantic import TypeAdapter

from immunospine.records.assessment import Assessment
from immunospine.records.observation import DiaryEntry, ImagingFinding, LabResult
from immunospine.records.patient import Patient
from immunospine.records.treatment import Intervention, MedicationCourse

__all__ = ["EntryKind", "EntryRecord", "Timeline", "TimelineEntry", "entries_to_dicts", "entry_of"]

EntryKind = Literal[
    "assessment",
    "lab_result",
    "imaging_finding",
    "medication_course",
    "intervention",
    "diary_entry",
]
EntryRecord = Assessment | LabResult | ImagingFinding | MedicationCourse | Intervention | DiaryEntry

_KIND_ORDER: dict[str, int] = {
    "medication_course": 0,
    "assessment": 1,
    "lab_result": 2,
    "imaging_finding": 3,
    "intervention": 4,
    "diary_entry": 5,
}


_NO_TIME = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """One dated entry: its ``kind``, clinical ``on`` date, optional time ``at`` and the record.

    A plain frozen dataclass (the record inside is already validated): a timeline of ten years
    of daily diary entries is built in a few milliseconds.
    """

    kind: EntryKind
    on: date
    record: EntryRecord
    at: datetime | None = None

    def sort_key(self) -> tuple[date, int, datetime, int]:
        at = self.at if self.at is not None else _NO_TIME
        return (self.on, _KIND_ORDER[self.kind], at, self.record.id or 0)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``{"kind", "on", "at", "record": {...}}``."""
        return self._as_dict(self.record.model_dump(mode="json"))

    def _as_dict(self, record: dict[str, Any]) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "on": self.on.isoformat(),
            "at": self.at.isoformat() if self.at else None,
            "record": record,
        }


_DUMPERS: dict[type[Any], TypeAdapter[list[Any]]] = {
    cls: TypeAdapter(list[cls])  # type: ignore[valid-type]
    for cls in (Assessment, LabResult, ImagingFinding, MedicationCourse, Intervention, DiaryEntry)
}


def entries_to_dicts(entries: Sequence[TimelineEntry]) -> list[dict[str, Any]]:
    """``[e.to_dict() for e in entries]``, the same values, with the records of each type
    dumped in one call (per-record ``model_dump`` was most of a long timeline's cost)."""
    positions: dict[type[Any], list[int]] = {}
    for i, entry in enumerate(entries):
        positions.setdefault(type(entry.record), []).append(i)
    records: list[Any] = [None] * len(entries)
    for cls, where in positions.items():
        dumped = _DUMPERS[cls].dump_python([entries[i].record for i in where], mode="json")
        for i, record in zip(where, dumped, strict=True):
            records[i] = record
    return [entry._as_dict(record) for entry, record in zip(entries, records, strict=True)]


def entry_of(record: EntryRecord) -> TimelineEntry:
    """Wrap a record as a timeline entry, dated by its clinical date."""
    match record:
        case Assessment():
            return TimelineEntry(kind="assessment", on=record.assessed_on, record=record)
        case LabResult():
            return TimelineEntry(kind="lab_result", on=record.collected_on, record=record)
        case ImagingFinding():
            return TimelineEntry(kind="imaging_finding", on=record.performed_on, record=record)
        case MedicationCourse():
            return TimelineEntry(kind="medication_course", on=record.started_on, record=record)
        case Intervention():
            return TimelineEntry(kind="intervention", on=record.performed_on, record=record)
        case DiaryEntry():
            return TimelineEntry(
                kind="diary_entry", on=record.recorded_on, at=record.recorded_at, record=record
            )


@dataclass(frozen=True, slots=True)
class Timeline:
    """The patient and every entry in date order (``entries`` is sorted by ``sort_key``)."""

    patient: Patient
    entries: tuple[TimelineEntry, ...]

    def of_kind(self, kind: EntryKind) -> tuple[TimelineEntry, ...]:
        return tuple(e for e in self.entries if e.kind == kind)

    def to_dict(self) -> dict[str, Any]:
        return {
            "patient": self.patient.model_dump(mode="json"),
            "entries": entries_to_dicts(self.entries),
        }
