"""Records → FHIR R4: a whole patient record (or several) as one Bundle of type ``collection``.

Resource mapping (this docstring is its reference):

* ``Patient``: pseudonym as ``identifier`` (system ``…/NamingSystem/patient-pseudonym``), birth
  year as ``birthDate`` ``"YYYY"``, sex as ``gender``.
* ``Diagnosis`` → ``Condition``: immunospine condition code, ``onsetDateTime`` = date diagnosed,
  each criteria set met as a ``criteria-met`` extension, note as ``note``.
* ``Assessment`` → ``QuestionnaireResponse`` (raw inputs) + ``Observation`` (score, category)
  with ``derivedFrom`` the response; one ``Questionnaire`` per calculator and version used.
* ``LabResult`` → ``Observation`` (category ``laboratory``): LOINC code (CRP 1988-5, ESR 30341-2,
  HLA-B27 26028-1, RF 11572-5, anti-CCP 32218-0) plus the immunospine lab code;
  ``valueQuantity`` in the record's unit (UCUM code alongside); HLA-B27 as
  ``valueCodeableConcept`` SNOMED CT 10828004 positive / 260385009 negative; the result's own
  reference limits as ``referenceRange.low`` / ``.high`` (default ranges are not exported).
* ``ImagingFinding`` → ``Observation`` (category ``imaging``), code = modality
  (``mri_sij`` / ``radiograph_sij`` in ``…/CodeSystem/imaging``), components
  ``active_sacroiliitis`` / ``structural_lesions`` (boolean) or ``grade_left`` / ``grade_right``
  (integer), note.
* ``DiaryEntry`` → ``Observation`` (category ``survey``, code ``diary-entry``),
  ``effectiveDateTime`` with its UTC offset, one component per answered field (``pain_nrs``,
  ``fatigue_nrs``, ``sleep_quality_nrs``, ``stress_nrs`` in ``{score}``, ``morning_stiffness_min``
  in ``min``, ``sleep_hours`` in ``h``, ``flare`` boolean), note.
* ``MedicationCourse`` → ``MedicationStatement``: ``medicationCodeableConcept.text`` = drug,
  ``category`` = drug class (``…/CodeSystem/drug-classes``), ``dosage.text`` = frequency,
  ``dosage.doseAndRate.doseQuantity`` = dose and unit, ``effectivePeriod`` start/end,
  ``statusReason`` = stop reason (``…/CodeSystem/stop-reasons``); status active / stopped /
  completed.
* ``Intervention`` → ``Procedure``: code = kind (``…/CodeSystem/interventions``) with
  ``code.text`` = activity, ``performedDateTime``, duration as the ``…/StructureDefinition/
  duration`` extension (``valueDuration`` in min), note.

Not carried: database ids, the stored ``Assessment.result`` dict (recomputed on import from
the inputs), the audit log. Empty strings are not valid FHIR strings: an empty ``activity``,
``frequency`` or ``dose_unit`` is exported as absent.

Ids are deterministic (UUID 5 of the patient pseudonym and the entry's position), so exporting
the same record twice gives the same bundle apart from its identifier and timestamp.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from immunospine.fhir import codes as c
from immunospine.fhir.questionnaire import encode_items, questionnaire, questionnaire_url
from immunospine.fhir.validation import validate_resource
from immunospine.knowledge import get_calculator
from immunospine.records import (
    Assessment,
    Diagnosis,
    DiaryEntry,
    ImagingFinding,
    ImagingModality,
    Intervention,
    LabResult,
    MedicationCourse,
    Patient,
    StopReason,
    Timeline,
)

__all__ = [
    "DIARY_FIELDS",
    "NAMESPACE",
    "NEGATIVE",
    "POSITIVE",
    "BundleEntries",
    "bundle_head",
    "bundle_of",
    "normalised",
]

NAMESPACE = uuid.UUID("6f1c1a52-64c8-4f57-9d0e-3f0a3d1f5e11")
SNOMED = "http://snomed.info/sct"
POSITIVE = {"system": SNOMED, "code": "10828004", "display": "Positive"}
NEGATIVE = {"system": SNOMED, "code": "260385009", "display": "Negative"}

DIARY_FIELDS: dict[str, str | None] = {
    "pain_nrs": "{score}",
    "morning_stiffness_min": "min",
    "fatigue_nrs": "{score}",
    "sleep_hours": "h",
    "sleep_quality_nrs": "{score}",
    "stress_nrs": "{score}",
    "flare": None,
}
"""Diary fields carried as Observation components, with their UCUM unit (None: boolean)."""


def _urn(key: str) -> str:
    return str(uuid.uuid5(NAMESPACE, key))


def _cc(system: str, code: str, text: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"coding": [{"system": system, "code": code}]}
    if text:
        out["text"] = text
    return out


def _category(code: str) -> list[dict[str, Any]]:
    return [_cc(c.OBSERVATION_CATEGORY, code)]


def _quantity(value: float | int, unit: str, ucum: str | None = None) -> dict[str, Any]:
    return {"value": value, "unit": unit, "system": c.UCUM, "code": ucum or unit}


class BundleEntries:
    """Makes the entries of one Bundle, one patient at a time (validated, R4B models).

    Each calculator version's ``Questionnaire`` is emitted once, just before the first
    QuestionnaireResponse that uses it, so entries can be written out as they are made.
    """

    def __init__(self) -> None:
        self._questionnaires: set[tuple[str, str]] = set()
        self._entries: list[dict[str, Any]] = []

    def of_patient(self, tl: Timeline) -> list[dict[str, Any]]:
        """The entries of ``tl``'s patient (plus the Questionnaires not emitted before)."""
        self._entries = []
        _add_patient(self, tl)
        out, self._entries = self._entries, []
        return out

    def add(self, resource: dict[str, Any], key: str) -> str:
        rid = _urn(key)
        resource = {"resourceType": resource.pop("resourceType"), "id": rid, **resource}
        validate_resource(resource)
        full_url = f"urn:uuid:{rid}"
        self._entries.append({"fullUrl": full_url, "resource": resource})
        return full_url

    def questionnaire_ref(self, calculator: str, version: str) -> None:
        if (calculator, version) not in self._questionnaires:
            self._questionnaires.add((calculator, version))
            key = f"questionnaire/{calculator}|{version}"
            self.add(questionnaire(calculator, version, _urn(key)), key)


def bundle_head(identifier: str, timestamp: datetime | None = None) -> dict[str, Any]:
    """Every member of the Bundle but ``entry``: resourceType, identifier, type, timestamp."""
    head: dict[str, Any] = {
        "resourceType": "Bundle",
        "identifier": {"system": c.BUNDLE_IDENTIFIER_SYSTEM, "value": identifier},
        "type": "collection",
    }
    if timestamp is not None:
        head["timestamp"] = timestamp.isoformat()
    return head


def bundle_of(
    timelines: Iterable[Timeline], *, identifier: str, timestamp: datetime | None = None
) -> dict[str, Any]:
    """One ``collection`` Bundle holding every record of ``timelines``, in memory.

    For many patients use ``BundleEntries`` with ``bundle_writer.write_bundle`` instead.
    """
    entries = BundleEntries()
    bundle = bundle_head(identifier, timestamp)
    bundle["entry"] = [e for tl in timelines for e in entries.of_patient(tl)]
    return bundle


def _add_patient(b: BundleEntries, tl: Timeline) -> None:
    p = tl.patient
    pid = p.patient_id
    subject = {"reference": b.add(_patient(p), f"{pid}/patient")}
    for i, dx in enumerate(p.diagnoses):
        b.add(_condition(dx, subject), f"{pid}/diagnosis/{i}")
    for i, entry in enumerate(tl.entries):
        key = f"{pid}/{i}"
        record = entry.record
        match record:
            case Assessment():
                b.questionnaire_ref(record.calculator, record.version)
                qr = b.add(_response(record, subject), f"{key}/response")
                b.add(_score(record, subject, qr), key)
            case LabResult():
                b.add(_lab(record, subject), key)
            case ImagingFinding():
                b.add(_imaging(record, subject), key)
            case DiaryEntry():
                b.add(_diary(record, subject), key)
            case MedicationCourse():
                b.add(_medication(record, subject), key)
            case Intervention():
                b.add(_procedure(record, subject), key)


def _patient(p: Patient) -> dict[str, Any]:
    return {
        "resourceType": "Patient",
        "identifier": [{"system": c.PATIENT_IDENTIFIER_SYSTEM, "value": p.patient_id}],
        "gender": p.sex.value,
        "birthDate": f"{p.year_of_birth:04d}",
    }


def _condition(dx: Diagnosis, subject: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {"resourceType": "Condition"}
    if dx.criteria_met:
        out["extension"] = [{"url": c.CRITERIA_MET_URL, "valueCode": n} for n in dx.criteria_met]
    out.update(
        category=[
            _cc("http://terminology.hl7.org/CodeSystem/condition-category", "problem-list-item")
        ],
        code=_cc(c.CONDITION_SYSTEM, dx.condition.value),
        subject=subject,
        onsetDateTime=dx.diagnosed_on.isoformat(),
    )
    if dx.note is not None:
        out["note"] = [{"text": dx.note}]
    return out


def _response(a: Assessment, subject: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "questionnaire": f"{questionnaire_url(a.calculator)}|{a.version}",
        "status": "completed",
        "subject": subject,
        "authored": a.assessed_on.isoformat(),
    }
    items = encode_items(a.inputs)
    if items:
        out["item"] = items
    return out


def _score(a: Assessment, subject: dict[str, str], response: str) -> dict[str, Any]:
    spec = get_calculator(a.calculator)
    coding = [{"system": c.INSTRUMENT_SYSTEM, "code": a.calculator, "version": a.version}]
    if a.calculator in c.SCORE_LOINC:
        coding.insert(0, {"system": c.LOINC, "code": c.SCORE_LOINC[a.calculator]})
    out: dict[str, Any] = {
        "resourceType": "Observation",
        "status": "final",
        "category": _category("survey"),
        "code": {"coding": coding, "text": spec.title},
        "subject": subject,
        "effectiveDateTime": a.assessed_on.isoformat(),
        "derivedFrom": [{"reference": response}],
    }
    category = _cc(c.CATEGORY_SYSTEM, a.category, a.category) if a.category is not None else None
    if a.score is not None:
        out["valueQuantity"] = _quantity(a.score, "{score}")
        if category is not None:
            out["component"] = [
                {
                    "code": _cc(c.INSTRUMENT_SYSTEM, f"{a.calculator}.category"),
                    "valueCodeableConcept": category,
                }
            ]
    elif category is not None:
        out["valueCodeableConcept"] = category
    else:
        out["dataAbsentReason"] = _cc(
            "http://terminology.hl7.org/CodeSystem/data-absent-reason", "unknown"
        )
    return out


def _lab(r: LabResult, subject: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {
        "resourceType": "Observation",
        "status": "final",
        "category": _category("laboratory"),
        "code": {
            "coding": [
                {"system": c.LOINC, "code": c.LAB_LOINC[r.test]},
                {"system": c.LAB_SYSTEM, "code": r.test.value},
            ]
        },
        "subject": subject,
        "effectiveDateTime": r.collected_on.isoformat(),
    }
    if r.value is not None and r.unit is not None:
        out["valueQuantity"] = _quantity(r.value, r.unit, c.UCUM_OF_UNIT.get(r.unit))
    elif r.positive is not None:
        out["valueCodeableConcept"] = {
            "coding": [POSITIVE if r.positive else NEGATIVE],
            "text": "positive" if r.positive else "negative",
        }
    reference: dict[str, Any] = {}
    unit = r.unit or ""
    if r.reference_low is not None:
        reference["low"] = _quantity(r.reference_low, unit, c.UCUM_OF_UNIT.get(unit))
    if r.reference_high is not None:
        reference["high"] = _quantity(r.reference_high, unit, c.UCUM_OF_UNIT.get(unit))
    if reference:
        out["referenceRange"] = [reference]
    return out


def _component(code: str, system: str, **value: Any) -> dict[str, Any]:
    return {"code": _cc(system, code), **value}


def _imaging(r: ImagingFinding, subject: dict[str, str]) -> dict[str, Any]:
    components = []
    if r.modality is ImagingModality.MRI_SACROILIAC:
        for name in ("active_sacroiliitis", "structural_lesions"):
            value = getattr(r, name)
            if value is not None:
                components.append(_component(name, c.IMAGING_SYSTEM, valueBoolean=value))
    else:
        for name in ("grade_left", "grade_right"):
            value = getattr(r, name)
            if value is not None:
                components.append(_component(name, c.IMAGING_SYSTEM, valueInteger=value))
    out: dict[str, Any] = {
        "resourceType": "Observation",
        "status": "final",
        "category": _category("imaging"),
        "code": _cc(c.IMAGING_SYSTEM, r.modality.value),
        "subject": subject,
        "effectiveDateTime": r.performed_on.isoformat(),
    }
    if r.note is not None:
        out["note"] = [{"text": r.note}]
    if components:
        out["component"] = components
    return out


def _diary(r: DiaryEntry, subject: dict[str, str]) -> dict[str, Any]:
    components = []
    for name, unit in DIARY_FIELDS.items():
        value = getattr(r, name)
        if value is None:
            continue
        if unit is None:
            components.append(_component(name, c.DIARY_SYSTEM, valueBoolean=value))
        else:
            components.append(
                _component(name, c.DIARY_SYSTEM, valueQuantity=_quantity(value, unit))
            )
    out: dict[str, Any] = {
        "resourceType": "Observation",
        "status": "final",
        "category": _category("survey"),
        "code": _cc(c.DIARY_SYSTEM, "diary-entry", "Patient diary entry"),
        "subject": subject,
        "effectiveDateTime": r.recorded_at.isoformat(),
    }
    if r.note is not None:
        out["note"] = [{"text": r.note}]
    out["component"] = components
    return out


def _medication(r: MedicationCourse, subject: dict[str, str]) -> dict[str, Any]:
    if r.stopped_on is None:
        status = "active"
    elif r.stop_reason is StopReason.COURSE_COMPLETED:
        status = "completed"
    else:
        status = "stopped"
    period = {"start": r.started_on.isoformat()}
    if r.stopped_on is not None:
        period["end"] = r.stopped_on.isoformat()
    out: dict[str, Any] = {
        "resourceType": "MedicationStatement",
        "status": status,
        "category": _cc(c.DRUG_CLASS_SYSTEM, r.drug_class.value),
        "medicationCodeableConcept": {"text": r.drug},
        "subject": subject,
        "effectivePeriod": period,
    }
    if r.stop_reason is not None:
        out["statusReason"] = [_cc(c.STOP_REASON_SYSTEM, r.stop_reason.value)]
    dosage: dict[str, Any] = {}
    if r.frequency:
        dosage["text"] = r.frequency
    if r.dose is not None or r.dose_unit:
        qty: dict[str, Any] = {}
        if r.dose is not None:
            qty["value"] = r.dose
        if r.dose_unit:
            qty["unit"] = r.dose_unit
        dosage["doseAndRate"] = [{"doseQuantity": qty}]
    if dosage:
        out["dosage"] = [dosage]
    return out


def _procedure(r: Intervention, subject: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {"resourceType": "Procedure"}
    if r.duration_min is not None:
        out["extension"] = [
            {"url": c.DURATION_URL, "valueDuration": _quantity(r.duration_min, "min")}
        ]
    code = _cc(c.INTERVENTION_SYSTEM, r.kind.value, r.activity)
    out.update(
        status="completed",
        code=code,
        subject=subject,
        performedDateTime=r.performed_on.isoformat(),
    )
    if r.note is not None:
        out["note"] = [{"text": r.note}]
    return out


def normalised(bundle: dict[str, Any]) -> dict[str, Any]:
    """``bundle`` without generated parts: identifier, timestamp, meta and ids are dropped and
    every ``fullUrl`` / reference is replaced by the entry's position (``#0``, ``#1`` …).

    Two exports of the same clinical content give equal normalised bundles.
    """
    urls: dict[str, str] = {}
    for i, entry in enumerate(bundle.get("entry", [])):
        resource = entry.get("resource", {})
        urls[str(entry.get("fullUrl"))] = f"#{i}"
        if "id" in resource:
            urls[f"{resource.get('resourceType')}/{resource['id']}"] = f"#{i}"

    def walk(value: Any) -> Any:
        if isinstance(value, dict):
            return {
                k: (urls.get(v, v) if k == "reference" else walk(v))
                for k, v in value.items()
                if k not in ("id", "meta", "fullUrl")
            }
        if isinstance(value, list):
            return [walk(v) for v in value]
        return value

    out = {k: v for k, v in bundle.items() if k not in ("identifier", "timestamp", "id", "meta")}
    return dict(walk(out))
