"""The columns of the CSV exchange format: the single source of docs/reference/csv-format.md."""

from __future__ import annotations

from typing import Any

from immunospine.records import (
    Condition,
    DrugClass,
    ImagingModality,
    InterventionKind,
    LabTest,
    Sex,
    StopReason,
)

__all__ = ["COLUMNS", "RECORD_COLUMNS"]

_BOOL = ("true", "false")


def _enum(values: Any) -> tuple[str, ...]:
    return tuple(v.value for v in values)


COLUMNS: dict[str, tuple[str, tuple[str, ...] | None, str]] = {
    "record_type": ("enum", None, "which record the row holds"),
    "patient_id": ("str", None, "pseudonymous patient id: letters, digits, _ . - (1–64)"),
    "year_of_birth": ("int", None, "four-digit year of birth"),
    "sex": ("enum", _enum(Sex), "sex (FHIR administrative gender)"),
    "condition": ("enum", _enum(Condition), "diagnosis"),
    "diagnosed_on": ("date", None, "date the diagnosis was made"),
    "criteria_met": ("list", None, "calculator names of the criteria met, ';'-separated"),
    "assessed_on": ("date", None, "date of the assessment"),
    "calculator": ("str", None, "calculator name, e.g. basdai, asdas_crp"),
    "version": ("str", None, "calculator version (optional on import; must match)"),
    "inputs_json": ("json", None, "the calculator inputs as a JSON object"),
    "score": ("float", None, "score (optional on import; must match the recomputation)"),
    "category": ("str", None, "category (optional on import; must match)"),
    "collected_on": ("date", None, "date the sample was collected"),
    "test": ("enum", _enum(LabTest), "laboratory test"),
    "value": ("float", None, "lab value in `unit` (CRP mg/L, ESR mm/h, RF IU/mL, anti-CCP U/mL)"),
    "unit": ("str", None, "the lab unit: mg/L, mm/h, IU/mL, U/mL; empty for HLA-B27"),
    "positive": ("bool", _BOOL, "qualitative result (HLA-B27)"),
    "reference_low": ("float", None, "lab's own lower reference limit, in `unit`"),
    "reference_high": ("float", None, "lab's own upper reference limit, in `unit`"),
    "performed_on": ("date", None, "date of the imaging or the intervention"),
    "modality": ("enum", _enum(ImagingModality), "sacroiliac imaging kind"),
    "active_sacroiliitis": ("bool", _BOOL, "MRI: active sacroiliitis"),
    "structural_lesions": ("bool", _BOOL, "MRI: structural lesions"),
    "grade_left": ("int", None, "radiograph: modified New York grade 0–4, left"),
    "grade_right": ("int", None, "radiograph: modified New York grade 0–4, right"),
    "drug": ("str", None, "generic drug name"),
    "drug_class": ("enum", _enum(DrugClass), "drug class"),
    "dose": ("float", None, "dose in `dose_unit`"),
    "dose_unit": ("str", None, "dose unit, e.g. mg"),
    "frequency": ("str", None, "free text, e.g. every 2 weeks"),
    "started_on": ("date", None, "first day of the course"),
    "stopped_on": ("date", None, "last day of the course (empty while ongoing)"),
    "stop_reason": ("enum", _enum(StopReason), "why the course stopped"),
    "kind": ("enum", _enum(InterventionKind), "intervention kind"),
    "activity": ("str", None, "what was done, e.g. swimming, mindfulness"),
    "duration_min": ("int", None, "duration in minutes"),
    "recorded_at": ("datetime", None, "diary timestamp with time zone"),
    "pain_nrs": ("float", None, "pain 0–10"),
    "morning_stiffness_min": ("int", None, "morning stiffness in minutes"),
    "fatigue_nrs": ("float", None, "fatigue 0–10"),
    "sleep_hours": ("float", None, "hours slept"),
    "sleep_quality_nrs": ("float", None, "sleep quality 0–10"),
    "stress_nrs": ("float", None, "stress 0–10"),
    "flare": ("bool", _BOOL, "the patient marked a flare"),
    "note": ("str", None, "free-text note"),
}
"""Every column: (type, allowed values or None, description)."""

RECORD_COLUMNS: dict[str, tuple[str, ...]] = {
    "patient": ("year_of_birth", "sex"),
    "diagnosis": ("condition", "diagnosed_on", "criteria_met", "note"),
    "assessment": ("assessed_on", "calculator", "version", "inputs_json", "score", "category"),
    "lab_result": (
        "collected_on",
        "test",
        "value",
        "unit",
        "positive",
        "reference_low",
        "reference_high",
    ),
    "imaging_finding": (
        "performed_on",
        "modality",
        "active_sacroiliitis",
        "structural_lesions",
        "grade_left",
        "grade_right",
        "note",
    ),
    "medication_course": (
        "drug",
        "drug_class",
        "dose",
        "dose_unit",
        "frequency",
        "started_on",
        "stopped_on",
        "stop_reason",
    ),
    "intervention": ("kind", "performed_on", "activity", "duration_min", "note"),
    "diary_entry": (
        "recorded_at",
        "pain_nrs",
        "morning_stiffness_min",
        "fatigue_nrs",
        "sleep_hours",
        "sleep_quality_nrs",
        "stress_nrs",
        "flare",
        "note",
    ),
}
"""The columns of each record type (besides ``record_type`` and ``patient_id``)."""

COLUMNS["record_type"] = ("enum", tuple(RECORD_COLUMNS), COLUMNS["record_type"][2])
