"""Pass 2 of a Bundle import: resources → records, EVERY problem reported, nothing partial.

``records`` reads the entries again after ``bundle_index.index_bundle`` (pass 1) and yields one
record at a time, so a caller can write them in batches while the problems are collected in the
index. It accepts a ``collection`` or ``transaction`` Bundle as written by
``immunospine.fhir.export`` (or by another system following the same mapping), resolves
references (``fullUrl`` or ``Type/id``) and maps resources to records. Assessments are re-scored
with the installed knowledge core: the calculator version must match the Observation's, and the
score and category must match what the calculator gives for the QuestionnaireResponse's inputs.
A QuestionnaireResponse is held only until the score Observations derived from it are read
(next to it in our own exports), so memory stays bounded.

``read_bundle`` does both passes for a Bundle in memory and returns the timelines, or raises
``FhirImportError`` listing every problem (located as ``("entry", index, resourceType, field…)``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from immunospine.errors import InputError, KnowledgeError
from immunospine.fhir import _resources as res
from immunospine.fhir import codes as c
from immunospine.fhir._fields import At, code_of, codes_of
from immunospine.fhir.bundle_index import BundleIndex, BundleSource, LoadedBundle, index_bundle
from immunospine.fhir.questionnaire import decode_items, questionnaire_url
from immunospine.fhir.validation import FhirImportError
from immunospine.knowledge import calculate
from immunospine.records import (
    Assessment,
    DiaryEntry,
    EntryRecord,
    Timeline,
    entry_of,
)

__all__ = ["ReadBundle", "read_bundle", "records"]

_SCORE_OF_LOINC = {v: k for k, v in c.SCORE_LOINC.items()}
_DATES = ("assessed_on", "collected_on", "performed_on", "started_on", "stopped_on")


@dataclass(frozen=True)
class ReadBundle:
    """What a bundle holds: its identifier (``system|value``, if any) and one timeline a patient."""

    identifier: str | None
    timelines: tuple[Timeline, ...]


class _Reader:
    def __init__(self, index: BundleIndex) -> None:
        self.index = index
        self.problems = index.problems
        self.responses: dict[int, dict[str, Any]] = {}
        self.waiting: dict[int, list[tuple[int, dict[str, Any]]]] = {}

    def one(self, i: int, r: dict[str, Any]) -> Iterator[EntryRecord]:
        """The record(s) of entry ``i``: a score may wait for its response, then come with it."""
        rt = r["resourceType"]
        if rt == "QuestionnaireResponse":
            self.responses[i] = r
            for j, obs in self.waiting.pop(i, []):
                yield from self._checked(j, obs)
            return
        qi = self.index.response_of(r)
        if qi is not None and qi not in self.responses:
            self.waiting.setdefault(qi, []).append((i, r))
            return
        yield from self._checked(i, r)

    def left_over(self) -> None:
        """Score Observations whose response never came (the file changed since pass 1)."""
        for waiting in self.waiting.values():
            for j, _ in waiting:
                At(j, "Observation", self.problems).add(
                    "derivedFrom[0].reference",
                    "the QuestionnaireResponse was not found on the second read",
                    code="broken_reference",
                )

    def _checked(self, i: int, r: dict[str, Any]) -> Iterator[EntryRecord]:
        rt = r["resourceType"]
        at = At(i, rt, self.problems)
        pi = self.index.target(at, r.get("subject"), "subject.reference", "Patient")
        patient = None if pi is None else self.index.patients.get(pi)
        if patient is None:
            return
        pid = patient.patient_id
        record: EntryRecord | None
        if rt == "MedicationStatement":
            record = res.medication_course(at, r, pid)
        elif rt == "Procedure":
            record = res.intervention(at, r, pid)
        else:
            record = self._observation(at, r, pid)
        if record is not None and self._after_birth(at, record, patient.year_of_birth):
            yield record

    @staticmethod
    def _after_birth(at: At, record: EntryRecord, born: int) -> bool:
        for name in _DATES:
            day = getattr(record, name, None)
            if day is not None and day.year < born:
                at.add(
                    (record.RECORD, name),
                    f"is before the patient's year of birth {born}",
                    day.isoformat(),
                    code="before_birth",
                )
                return False
        if isinstance(record, DiaryEntry) and record.recorded_at.year < born:
            at.add(
                ("diary_entry", "recorded_at"),
                f"is before the patient's year of birth {born}",
                record.recorded_at.isoformat(),
                code="before_birth",
            )
            return False
        return True

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
        qi = self.index.target(at, derived[0], "derivedFrom[0].reference", "QuestionnaireResponse")
        assessed_on = at.day(r.get("effectiveDateTime"), "effectiveDateTime")
        if qi is None or assessed_on is None:
            return None
        qr = self._response(qi)
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
        data = {
            "patient_id": pid,
            "assessed_on": assessed_on,
            "calculator": result.name,
            "version": result.version,
            "inputs": inputs,
            "score": result.score,
            "category": result.category,
            "result": result.to_dict(),
        }
        try:  # the record's own rules (e.g. no future date) are problems like any other
            return Assessment.parse(data)
        except InputError as exc:
            at.record_error(exc)
            return None

    def _response(self, qi: int) -> dict[str, Any]:
        """The response ``qi`` (already read), forgotten once its last score has used it."""
        qr = self.responses[qi]
        self.index.uses[qi] -= 1
        if self.index.uses[qi] <= 0:
            del self.responses[qi]
        return qr

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


def records(
    source: BundleSource, index: BundleIndex, on_entry: Callable[[int], None] | None = None
) -> Iterator[EntryRecord]:
    """Pass 2: every record of ``source``, in bundle order; problems go to ``index.problems``.

    A score Observation read before its QuestionnaireResponse is yielded when the response
    comes. ``on_entry(index)`` is called after each entry.
    """
    reader = _Reader(index)
    for i, entry in source.entries():
        if i not in index.skip:
            resource = entry["resource"]
            yield from reader.one(i, resource)
        if on_entry is not None:
            on_entry(i)
    reader.left_over()


def read_bundle(data: Any) -> ReadBundle:
    """The records of a Bundle in memory, or ``FhirImportError`` listing every problem found."""
    source = LoadedBundle(data)
    index = index_bundle(source)
    by_patient: dict[str, list[EntryRecord]] = {p.patient_id: [] for p in index.patients.values()}
    for record in records(source, index):
        by_patient[record.patient_id].append(record)
    if index.problems:
        n = len(index.problems.items)
        raise FhirImportError(
            f"the bundle was not imported: {n} problem(s)", tuple(index.problems.items)
        )
    timelines = []
    for patient in index.patients.values():
        entries = sorted((entry_of(r) for r in by_patient[patient.patient_id]), key=_order)
        timelines.append(Timeline(patient=patient, entries=tuple(entries)))
    return ReadBundle(identifier=index.identifier, timelines=tuple(timelines))


def _order(entry: Any) -> Any:
    return entry.sort_key()
