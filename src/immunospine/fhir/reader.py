"""FHIR R4 Bundle → records: every resource validated, EVERY problem reported, nothing partial.

``read_bundle`` accepts a ``collection`` or ``transaction`` Bundle as written by
``immunospine.fhir.export`` (or by another system following the same mapping), validates each
resource against the ``fhir.resources`` R4B model and our code bindings, resolves references
(``fullUrl`` or ``Type/id``), and maps resources to records. Assessments are re-scored with the
installed knowledge core: the calculator version must match the Observation's, and the score and
category must match what the calculator gives for the QuestionnaireResponse's inputs.

Problems are collected across the whole bundle and raised together as ``FhirImportError``
(``problems`` located as ``("entry", index, resourceType, field…)``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from immunospine.errors import InputError, KnowledgeError
from immunospine.fhir import _resources as res
from immunospine.fhir import codes as c
from immunospine.fhir._fields import At, Problems, code_of, codes_of
from immunospine.fhir.questionnaire import decode_items, questionnaire_url
from immunospine.fhir.validation import FhirImportError, binding_problems, model_problems
from immunospine.knowledge import calculate
from immunospine.records import (
    Assessment,
    Diagnosis,
    DiaryEntry,
    EntryRecord,
    Patient,
    Timeline,
    entry_of,
)

__all__ = ["ReadBundle", "read_bundle"]

_SCORE_OF_LOINC = {v: k for k, v in c.SCORE_LOINC.items()}


@dataclass(frozen=True)
class ReadBundle:
    """What a bundle holds: its identifier (``system|value``, if any) and one timeline a patient."""

    identifier: str | None
    timelines: tuple[Timeline, ...]


@dataclass
class _Patient:
    index: int
    fields: dict[str, Any]
    diagnoses: list[Diagnosis]
    records: list[EntryRecord]


class _Reader:
    def __init__(self, entries: list[Any], problems: Problems) -> None:
        self.problems = problems
        self.resources: dict[int, dict[str, Any]] = {}
        self.refs: dict[str, int] = {}
        self.patients: dict[int, _Patient] = {}
        self.used_responses: set[int] = set()
        for i, entry in enumerate(entries):
            self._index(i, entry)

    def _index(self, i: int, entry: Any) -> None:
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if not isinstance(resource, dict):
            self.problems.add(("entry", i), "needs a resource object", code="missing")
            return
        rt = str(resource.get("resourceType"))
        found = model_problems(resource) + binding_problems(resource)
        for loc, msg in found:
            self.problems.add(("entry", i, rt, *loc), msg)
        if found:
            return
        self.resources[i] = resource
        if isinstance(entry.get("fullUrl"), str):
            self.refs[entry["fullUrl"]] = i
        if resource.get("id"):
            self.refs[f"{rt}/{resource['id']}"] = i

    def target(self, at: At, ref: Any, path: str, expected: str) -> int | None:
        """The entry index ``ref`` points at, if it resolves to a resource of ``expected`` type."""
        text = ref.get("reference") if isinstance(ref, dict) else None
        if text is None:
            at.add(path, f"is required (a reference to a {expected})", code="missing")
            return None
        i = self.refs.get(str(text))
        if i is None or self.resources[i].get("resourceType") != expected:
            at.add(
                path,
                f"does not resolve to a {expected} in this bundle",
                text,
                code="broken_reference",
            )
            return None
        return i

    def subject(self, at: At, resource: dict[str, Any]) -> _Patient | None:
        i = self.target(at, resource.get("subject"), "subject.reference", "Patient")
        return None if i is None else self.patients.get(i)

    def run(self) -> list[_Patient]:
        seen: dict[str, int] = {}
        for i, r in self.resources.items():
            if r["resourceType"] == "Patient":
                at = At(i, "Patient", self.problems)
                fields = res.patient_fields(at, r)
                if fields is None:
                    continue
                pid = fields["patient_id"]
                if pid in seen:
                    at.add(
                        ("identifier",),
                        f"patient {pid!r} is also entry {seen[pid]}",
                        pid,
                        code="duplicate",
                    )
                    continue
                seen[pid] = i
                self.patients[i] = _Patient(i, fields, [], [])
        for i, r in self.resources.items():
            rt = r["resourceType"]
            if rt in ("Patient", "Questionnaire", "QuestionnaireResponse"):
                continue
            at = At(i, rt, self.problems)
            patient = self.subject(at, r)
            if patient is None:
                continue
            self._one(at, r, patient)
        for i, r in self.resources.items():
            if r["resourceType"] == "QuestionnaireResponse" and i not in self.used_responses:
                At(i, "QuestionnaireResponse", self.problems).add(
                    "(resource)", "is not the derivedFrom of any score Observation"
                )
        return list(self.patients.values())

    def _one(self, at: At, r: dict[str, Any], patient: _Patient) -> None:
        pid = patient.fields["patient_id"]
        rt = r["resourceType"]
        record: EntryRecord | None = None
        if rt == "Condition":
            dx = res.diagnosis(at, r)
            if dx is not None:
                patient.diagnoses.append(dx)
            return
        if rt == "MedicationStatement":
            record = res.medication_course(at, r, pid)
        elif rt == "Procedure":
            record = res.intervention(at, r, pid)
        else:
            record = self._observation(at, r, pid)
        if record is None:
            return
        born = patient.fields["year_of_birth"]
        for name in ("assessed_on", "collected_on", "performed_on", "started_on", "stopped_on"):
            day = getattr(record, name, None)
            if day is not None and day.year < born:
                at.add(
                    (record.RECORD, name),
                    f"is before the patient's year of birth {born}",
                    day.isoformat(),
                    code="before_birth",
                )
                return
        if isinstance(record, DiaryEntry) and record.recorded_at.year < born:
            at.add(
                ("diary_entry", "recorded_at"),
                f"is before the patient's year of birth {born}",
                record.recorded_at.isoformat(),
                code="before_birth",
            )
            return
        patient.records.append(record)

    def _observation(self, at: At, r: dict[str, Any], pid: str) -> EntryRecord | None:
        code = r.get("code")
        systems = {s for s, _ in codes_of(code)}
        if c.DIARY_SYSTEM in systems:
            return res.diary_entry(at, r, pid)
        if c.IMAGING_SYSTEM in systems:
            return res.imaging_finding(at, r, pid)
        if c.LAB_SYSTEM in systems or any(
            s == c.LOINC and c.loinc_test(k) for s, k in codes_of(code)
        ):
            return res.lab_result(at, r, pid)
        calculator = code_of(code, c.INSTRUMENT_SYSTEM) or _SCORE_OF_LOINC.get(
            code_of(code, c.LOINC) or ""
        )
        if calculator is not None:
            return self._assessment(at, r, pid, calculator)
        at.add("code", "is not a diary, imaging, laboratory or instrument code", codes_of(code))
        return None

    def _assessment(
        self, at: At, r: dict[str, Any], pid: str, calculator: str
    ) -> Assessment | None:
        derived = r.get("derivedFrom") or [None]
        qi = self.target(at, derived[0], "derivedFrom[0].reference", "QuestionnaireResponse")
        assessed_on = at.day(r.get("effectiveDateTime"), "effectiveDateTime")
        if qi is None or assessed_on is None:
            return None
        self.used_responses.add(qi)
        qr = self.resources[qi]
        q_at = At(qi, "QuestionnaireResponse", self.problems)
        canonical = str(qr.get("questionnaire", ""))
        url, _, version = canonical.partition("|")
        if url != questionnaire_url(calculator) or not version:
            q_at.add("questionnaire", f"must be {questionnaire_url(calculator)}|VERSION", canonical)
            return None
        inputs, item_problems = decode_items(qr.get("item", []) or [])
        for msg in item_problems:
            q_at.add("item", msg)
        if item_problems:
            return None
        try:
            result = calculate(calculator, **inputs)
        except KnowledgeError as exc:
            at.add("code", str(exc), calculator, code="unknown_calculator")
            return None
        except InputError as exc:
            for p in exc.problems:
                q_at.add(("item", *p.loc), p.msg, p.value)
            return None
        coded = [
            str(x.get("version"))
            for x in (r.get("code") or {}).get("coding", [])
            if x.get("system") == c.INSTRUMENT_SYSTEM and x.get("version") is not None
        ]
        for given, where in [(version, q_at), *((v, at) for v in coded)]:
            if given != result.version:
                where.add(
                    "questionnaire" if where is q_at else "code.coding.version",
                    f"{calculator} was scored with version {given}; this immunospine has "
                    f"{result.version} and cannot verify it",
                    given,
                    code="version_mismatch",
                )
                return None
        self._check_score(at, r, result.score, result.category)
        return Assessment.of(pid, assessed_on, inputs, result)

    def _check_score(
        self, at: At, r: dict[str, Any], score: float | None, category: str | None
    ) -> None:
        given = (r.get("valueQuantity") or {}).get("value")
        if given is not None and (
            score is None or not math.isclose(float(given), score, rel_tol=1e-9, abs_tol=1e-9)
        ):
            at.add("valueQuantity.value", f"does not match the recomputed score {score}", given)
        concepts = [r.get("valueCodeableConcept")] + [
            comp.get("valueCodeableConcept") for comp in r.get("component", []) or []
        ]
        given_cat = next(
            (code_of(x, c.CATEGORY_SYSTEM) for x in concepts if code_of(x, c.CATEGORY_SYSTEM)), None
        )
        if given_cat is not None and given_cat != category:
            at.add(
                "component.valueCodeableConcept",
                f"does not match the recomputed category {category!r}",
                given_cat,
            )


def read_bundle(data: Any) -> ReadBundle:
    """The records of a Bundle, or ``FhirImportError`` listing every problem found."""
    problems = Problems()
    if not isinstance(data, dict) or data.get("resourceType") != "Bundle":
        got = data.get("resourceType") if isinstance(data, dict) else type(data).__name__
        problems.add(("bundle", "resourceType"), "must be 'Bundle'", got)
        raise FhirImportError("not a FHIR Bundle", tuple(problems.items))
    if data.get("type") not in ("collection", "transaction"):
        problems.add(("bundle", "type"), "must be 'collection' or 'transaction'", data.get("type"))
    entries = data.get("entry", [])
    if not isinstance(entries, list):
        problems.add(("bundle", "entry"), "must be a list")
        entries = []
    reader = _Reader(entries, problems)
    patients = reader.run()
    timelines = []
    for p in patients:
        at = At(p.index, "Patient", problems)
        try:
            patient = Patient.parse({**p.fields, "diagnoses": tuple(p.diagnoses)})
        except InputError as exc:
            at.record_error(exc)
            continue
        entries_ = sorted((entry_of(r) for r in p.records), key=lambda e: e.sort_key())
        timelines.append(Timeline(patient=patient, entries=tuple(entries_)))
    if problems:
        n = len(problems.items)
        raise FhirImportError(f"the bundle was not imported: {n} problem(s)", tuple(problems.items))
    ident = data.get("identifier") or {}
    identifier = f"{ident.get('system', '')}|{ident['value']}" if ident.get("value") else None
    return ReadBundle(identifier=identifier, timelines=tuple(timelines))
