"""FHIR resource (validated JSON) → one record, reporting every problem into ``At``.

Each function returns the record, or ``None`` when a problem was reported. Records are built with
their own ``parse`` so the record rules (units, ranges, stop ≥ start, no future dates) apply.
"""

from __future__ import annotations

from typing import Any

from immunospine.errors import InputError
from immunospine.fhir import codes as c
from immunospine.fhir._fields import At, code_of, codes_of
from immunospine.fhir.export import DIARY_FIELDS, NEGATIVE, POSITIVE
from immunospine.records import (
    Diagnosis,
    DiaryEntry,
    ImagingFinding,
    ImagingModality,
    Intervention,
    LabResult,
    MedicationCourse,
    Patient,
    Sex,
)

__all__ = [
    "diagnosis",
    "diary_entry",
    "imaging_finding",
    "intervention",
    "lab_result",
    "medication_course",
    "patient_fields",
]


def _parse(at: At, cls: Any, data: dict[str, Any]) -> Any:
    try:
        return cls.parse(data)
    except InputError as exc:
        at.record_error(exc)
        return None


def patient_fields(at: At, r: dict[str, Any]) -> dict[str, Any] | None:
    """``patient_id``, ``year_of_birth`` and ``sex`` of a Patient (diagnoses come later)."""
    pid = None
    for ident in r.get("identifier", []) or []:
        if ident.get("system") == c.PATIENT_IDENTIFIER_SYSTEM:
            pid = ident.get("value")
    if pid is None:
        at.add("identifier", f"needs an identifier with system {c.PATIENT_IDENTIFIER_SYSTEM}")
    born = r.get("birthDate")
    year = None
    if born is None:
        at.add("birthDate", "is required (the year of birth, YYYY)", code="missing")
    else:
        try:
            year = int(str(born)[:4])
        except ValueError:
            at.add("birthDate", "must start with a four-digit year", born)
    gender = r.get("gender", Sex.UNKNOWN.value)
    if pid is None or year is None:
        return None
    data = {"patient_id": pid, "year_of_birth": year, "sex": gender}
    if _parse(at, Patient, data) is None:
        return None
    return data


def diagnosis(at: At, r: dict[str, Any]) -> Diagnosis | None:
    condition = code_of(r.get("code"), c.CONDITION_SYSTEM)
    if condition is None:
        at.add(("code",), f"needs a coding from {c.CONDITION_SYSTEM}", codes_of(r.get("code")))
    onset = at.day(r.get("onsetDateTime"), "onsetDateTime")
    criteria = tuple(
        str(e.get("valueCode"))
        for e in r.get("extension", []) or []
        if e.get("url") == c.CRITERIA_MET_URL
    )
    notes = r.get("note") or []
    if condition is None or onset is None:
        return None
    data: dict[str, Any] = {"condition": condition, "diagnosed_on": onset, "criteria_met": criteria}
    if notes:
        data["note"] = notes[0].get("text")
    result: Diagnosis | None = _parse(at, Diagnosis, data)
    return result


def _quantity_value(at: At, value: Any, path: str) -> float | None:
    if not isinstance(value, dict) or value.get("value") is None:
        at.add(path, "needs a value", code="missing")
        return None
    return float(value["value"])


def lab_result(at: At, r: dict[str, Any], patient_id: str) -> LabResult | None:
    test = code_of(r.get("code"), c.LAB_SYSTEM)
    if test is None:
        loinc = code_of(r.get("code"), c.LOINC)
        found = c.loinc_test(loinc) if loinc else None
        test = found.value if found else None
    if test is None:
        known = sorted(c.LAB_LOINC.values())
        at.add(
            "code",
            f"is not a known laboratory test (LOINC {', '.join(known)})",
            codes_of(r.get("code")),
        )
        return None
    collected = at.day(r.get("effectiveDateTime"), "effectiveDateTime")
    data: dict[str, Any] = {"patient_id": patient_id, "collected_on": collected, "test": test}
    if "valueQuantity" in r:
        q = r["valueQuantity"]
        data["value"] = _quantity_value(at, q, "valueQuantity")
        data["unit"] = q.get("unit")
    elif "valueCodeableConcept" in r:
        found_codes = codes_of(r["valueCodeableConcept"])
        pos = (POSITIVE["system"], POSITIVE["code"])
        neg = (NEGATIVE["system"], NEGATIVE["code"])
        if pos in found_codes:
            data["positive"] = True
        elif neg in found_codes:
            data["positive"] = False
        else:
            at.add(
                "valueCodeableConcept",
                "must be SNOMED CT 10828004 (positive) or 260385009 (negative)",
                found_codes,
            )
            return None
    ranges = r.get("referenceRange") or []
    if ranges:
        for end in ("low", "high"):
            if end in ranges[0]:
                data[f"reference_{end}"] = _quantity_value(
                    at, ranges[0][end], f"referenceRange.{end}"
                )
    if collected is None:
        return None
    result: LabResult | None = _parse(at, LabResult, data)
    return result


def imaging_finding(at: At, r: dict[str, Any], patient_id: str) -> ImagingFinding | None:
    modality = code_of(r.get("code"), c.IMAGING_SYSTEM)
    performed = at.day(r.get("effectiveDateTime"), "effectiveDateTime")
    data: dict[str, Any] = {
        "patient_id": patient_id,
        "performed_on": performed,
        "modality": modality,
    }
    allowed = (
        ("active_sacroiliitis", "structural_lesions")
        if modality == ImagingModality.MRI_SACROILIAC.value
        else ("grade_left", "grade_right")
    )
    for i, comp in enumerate(r.get("component", []) or []):
        name = code_of(comp.get("code"), c.IMAGING_SYSTEM)
        if name not in allowed:
            at.add(("component", i, "code"), f"must be one of {list(allowed)} for {modality}", name)
            continue
        data[name] = comp.get("valueBoolean", comp.get("valueInteger"))
    notes = r.get("note") or []
    if notes:
        data["note"] = notes[0].get("text")
    if performed is None:
        return None
    result: ImagingFinding | None = _parse(at, ImagingFinding, data)
    return result


def diary_entry(at: At, r: dict[str, Any], patient_id: str) -> DiaryEntry | None:
    recorded = at.moment(r.get("effectiveDateTime"), "effectiveDateTime")
    data: dict[str, Any] = {"patient_id": patient_id, "recorded_at": recorded}
    for i, comp in enumerate(r.get("component", []) or []):
        name = code_of(comp.get("code"), c.DIARY_SYSTEM)
        if name not in DIARY_FIELDS:
            at.add(("component", i, "code"), f"must be one of {list(DIARY_FIELDS)}", name)
            continue
        if DIARY_FIELDS[name] is None:
            data[name] = comp.get("valueBoolean")
            continue
        value = _quantity_value(at, comp.get("valueQuantity"), f"component[{i}].valueQuantity")
        data[name] = int(value) if name == "morning_stiffness_min" and value is not None else value
    notes = r.get("note") or []
    if notes:
        data["note"] = notes[0].get("text")
    if recorded is None:
        return None
    result: DiaryEntry | None = _parse(at, DiaryEntry, data)
    return result


def medication_course(at: At, r: dict[str, Any], patient_id: str) -> MedicationCourse | None:
    period = r.get("effectivePeriod") or {}
    started = at.day(period.get("start"), "effectivePeriod.start")
    stopped = at.day(period["end"], "effectivePeriod.end") if "end" in period else None
    drug_class = code_of(r.get("category"), c.DRUG_CLASS_SYSTEM)
    if drug_class is None:
        at.add("category", f"needs a coding from {c.DRUG_CLASS_SYSTEM}", code="missing")
    drug = (r.get("medicationCodeableConcept") or {}).get("text")
    if drug is None:
        at.add(
            "medicationCodeableConcept.text",
            "is required (the drug's generic name)",
            code="missing",
        )
    data: dict[str, Any] = {
        "patient_id": patient_id,
        "drug": drug,
        "drug_class": drug_class,
        "started_on": started,
        "stopped_on": stopped,
    }
    reasons = r.get("statusReason") or []
    if reasons:
        data["stop_reason"] = code_of(reasons[0], c.STOP_REASON_SYSTEM)
    dosage = (r.get("dosage") or [{}])[0]
    if "text" in dosage:
        data["frequency"] = dosage["text"]
    qty = ((dosage.get("doseAndRate") or [{}])[0]).get("doseQuantity")
    if qty:
        data["dose"] = float(qty["value"]) if qty.get("value") is not None else None
        data["dose_unit"] = qty.get("unit")
    if started is None or drug is None or drug_class is None:
        return None
    result: MedicationCourse | None = _parse(at, MedicationCourse, data)
    return result


def intervention(at: At, r: dict[str, Any], patient_id: str) -> Intervention | None:
    kind = code_of(r.get("code"), c.INTERVENTION_SYSTEM)
    if kind is None:
        at.add("code", f"needs a coding from {c.INTERVENTION_SYSTEM}", codes_of(r.get("code")))
    performed = at.day(r.get("performedDateTime"), "performedDateTime")
    data: dict[str, Any] = {"patient_id": patient_id, "kind": kind, "performed_on": performed}
    activity = (r.get("code") or {}).get("text")
    if activity is not None:
        data["activity"] = activity
    for ext in r.get("extension", []) or []:
        if ext.get("url") == c.DURATION_URL:
            minutes = _quantity_value(at, ext.get("valueDuration"), "extension.valueDuration")
            data["duration_min"] = None if minutes is None else int(minutes)
    notes = r.get("note") or []
    if notes:
        data["note"] = notes[0].get("text")
    if kind is None or performed is None:
        return None
    result: Intervention | None = _parse(at, Intervention, data)
    return result
