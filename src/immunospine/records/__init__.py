"""Patient-level domain records shared by every face: frozen, strict pydantic models.

Records hold what was observed, never how it is stored: ``storage`` converts them to and from
rows, ``services`` validate, score and persist them. Build records from untrusted data with
``Model.parse(dict)`` or ``Model.parse_json(text)``; errors are ``InputError`` located as
``(record, field)``.

Record kinds: ``Patient`` (with ``Diagnosis``), ``Assessment``, ``LabResult``, ``ImagingFinding``,
``MedicationCourse``, ``Intervention`` and ``DiaryEntry``; ``Timeline`` orders them per patient.
"""

from immunospine.records._base import RecordModel, latest_allowed_date
from immunospine.records.assessment import Assessment
from immunospine.records.audit import AuditAction, AuditEntry
from immunospine.records.observation import (
    DEFAULT_REFERENCE_RANGES,
    LAB_UNITS,
    DiaryEntry,
    ImagingFinding,
    ImagingModality,
    LabResult,
    LabTest,
)
from immunospine.records.patient import Condition, Diagnosis, Patient, Sex
from immunospine.records.timeline import EntryKind, EntryRecord, Timeline, TimelineEntry, entry_of
from immunospine.records.treatment import (
    DrugClass,
    Intervention,
    InterventionKind,
    MedicationCourse,
    StopReason,
)

__all__ = [
    "DEFAULT_REFERENCE_RANGES",
    "LAB_UNITS",
    "Assessment",
    "AuditAction",
    "AuditEntry",
    "Condition",
    "Diagnosis",
    "DiaryEntry",
    "DrugClass",
    "EntryKind",
    "EntryRecord",
    "ImagingFinding",
    "ImagingModality",
    "Intervention",
    "InterventionKind",
    "LabResult",
    "LabTest",
    "MedicationCourse",
    "Patient",
    "RecordModel",
    "Sex",
    "StopReason",
    "Timeline",
    "TimelineEntry",
    "entry_of",
    "latest_allowed_date",
]
