"""Record one clinic visit: its labs and questionnaires, scored and stored in one transaction.

A visit is one JSON object (the command line, the HTTP API and the web form send the same)::

    {"labs": {"crp_mg_l": 12, "esr_mm_h": 30},
     "assessments": {"basdai": {"q1": 5, ...}, "asdas_crp": {"back_pain": 6, ...}}}

A lab value is given once and fills every calculator input of the same name (CRP feeds ASDAS-CRP,
DAS28-CRP and SDAI; ESR feeds ASDAS-ESR and DAS28-ESR). The same value given again inside an
assessment must agree: a different one is an error, never silently resolved. Lab values are
stored as lab results (also when they came only inside an assessment). Every problem in the visit
is reported at once, located like ``assessments.basdai.q3``; nothing is stored unless all of it
is valid. The result carries the stored scores, the change since the previous visit (every
response definition both visits allow, see ``tracking.response_in``) and the treat-to-target
status.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from immunospine.errors import FieldProblem, InputError, KnowledgeError, NotFound
from immunospine.knowledge import Result, calculate, catalogue, get_calculator
from immunospine.records import LAB_UNITS, Assessment, LabResult, LabTest, latest_allowed_date
from immunospine.services import tracking
from immunospine.services.record import audit, check_actor
from immunospine.storage.uow import Database

__all__ = ["LAB_FIELDS", "VISIT_FIELDS", "VisitResult", "record_visit", "visit_calculators"]

LAB_FIELDS: dict[str, LabTest] = {
    "crp_mg_l": LabTest.CRP,
    "esr_mm_h": LabTest.ESR,
    "rf_iu_ml": LabTest.RHEUMATOID_FACTOR,
    "anti_ccp_u_ml": LabTest.ANTI_CCP,
    "hla_b27": LabTest.HLA_B27,
}
"""Lab names in a visit, units in the name; ``hla_b27`` is true or false."""

VISIT_FIELDS = ("on", "labs", "assessments")


def visit_calculators() -> tuple[str, ...]:
    """Calculators a visit may record: every scored instrument and criteria set, not the
    response definitions (those compare two visits and are computed, not entered)."""
    skip = set(tracking.RESPONSE_CALCULATORS) | {"axspa_probability"}
    return tuple(c.name for c in catalogue() if c.name not in skip)


@dataclass(frozen=True, slots=True)
class VisitResult:
    """What a recorded visit stored and what it means."""

    patient_id: str
    on: date
    assessments: tuple[Assessment, ...]
    labs: tuple[LabResult, ...]
    previous_on: date | None
    response: tracking.ResponseReport | None
    targets: tuple[tracking.TargetStatus, ...] = field(default=())

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready; exact, unrounded scores."""
        return {
            "patient_id": self.patient_id,
            "on": self.on.isoformat(),
            "scores": {
                a.calculator: {
                    "id": a.id,
                    "score": a.score,
                    "category": a.category,
                    "version": a.version,
                    "verdict": a.result.get("verdict"),
                }
                for a in self.assessments
            },
            "labs": [
                {
                    "id": lab.id,
                    "test": lab.test.value,
                    "value": lab.value,
                    "unit": lab.unit,
                    "abnormal": lab.abnormal,
                }
                | ({"positive": lab.positive} if lab.positive is not None else {})
                for lab in self.labs
            ],
            "previous_visit_on": self.previous_on.isoformat() if self.previous_on else None,
            "change": self.response.to_dict() if self.response else None,
            "targets": [t.to_dict() for t in self.targets],
        }


def record_visit(
    db: Database,
    patient_id: str,
    on: date | None,
    visit: Any,
    *,
    actor: str,
) -> VisitResult:
    """Validate, score and store one visit of ``patient_id`` (all or nothing, audited).

    ``on`` is the visit date; it may instead (or as well, equal) come as ``visit["on"]``.
    Raises ``InputError`` listing every problem, ``NotFound`` for an unknown patient.
    """
    check_actor(actor)
    on = _visit_date(on, visit)
    labs_in, assessments_in = _split(visit)
    problems: list[FieldProblem] = []
    lab_values = _lab_values(labs_in, problems)
    inputs = _assessment_inputs(assessments_in, lab_values, problems)
    results = _score(inputs, problems)
    labs = _lab_records(patient_id, on, lab_values, problems)
    if problems:
        raise _visit_error(problems)
    assessments = [Assessment.of(patient_id, on, inputs[name], r) for name, r in results.items()]
    if not assessments and not labs:
        raise InputError.single(
            ("visit",),
            "has no labs and no assessments: nothing to record",
            code="empty",
            has_value=False,
        )
    with db.transaction() as uow:
        born = uow.patients.birth_years([patient_id]).get(patient_id)
        if born is None:
            raise NotFound(f"patient {patient_id!r} not found")
        if on.year < born:
            raise InputError.single(
                ("on",),
                f"is before the patient's year of birth {born}",
                on.isoformat(),
                code="before_birth",
            )
        already = {
            a.calculator for a in uow.records.of_patient(Assessment, patient_id, since=on, until=on)
        }
        twice = [
            FieldProblem(
                ("assessments", a.calculator),
                f"is already recorded for this patient on {on.isoformat()}",
                "duplicate",
            )
            for a in assessments
            if a.calculator in already
        ]
        if twice:
            raise _visit_error(twice)
        stored_labs = tuple(uow.records.add(lab) for lab in labs)
        stored = tuple(uow.records.add(a) for a in assessments)
        note = f"visit {on.isoformat()}"
        for lab in stored_labs:
            audit(uow, actor, "create", patient_id, lab.RECORD, lab.id, note)
        for a in stored:
            audit(uow, actor, "create", patient_id, a.RECORD, a.id, note)
        earlier = [d for d in tracking.assessment_dates(uow, patient_id) if d < on]
        previous = earlier[-1] if earlier else None
        response = tracking.response_in(uow, patient_id, previous, on) if previous else None
        targets = tuple(tracking.target_statuses(uow, patient_id=patient_id))
    return VisitResult(patient_id, on, stored, stored_labs, previous, response, targets)


def _visit_date(on: date | None, visit: Any) -> date:
    given = visit.get("on") if isinstance(visit, Mapping) else None
    if given is not None:
        try:
            parsed = date.fromisoformat(given) if isinstance(given, str) else None
        except ValueError:
            parsed = None
        if parsed is None:
            raise InputError.single(("on",), "must be a date YYYY-MM-DD", given, code="date")
        if on is not None and parsed != on:
            raise InputError.single(
                ("on",), f"differs from the visit date given separately, {on.isoformat()}", given
            )
        on = parsed
    if on is None:
        raise InputError.single(
            ("on",), "is required (the visit date, YYYY-MM-DD)", code="missing", has_value=False
        )
    if on > latest_allowed_date():
        raise InputError.single(("on",), "is in the future", on.isoformat(), code="future")
    return on


def _split(visit: Any) -> tuple[Mapping[str, Any], Mapping[str, Any]]:
    if not isinstance(visit, Mapping):
        raise InputError.single(
            ("visit",), "must be a JSON object with labs and/or assessments", visit
        )
    unknown = sorted(set(visit) - set(VISIT_FIELDS))
    if unknown:
        raise _visit_error(
            [
                FieldProblem(
                    (k,), f"is not a visit field; allowed: {', '.join(VISIT_FIELDS)}", "extra"
                )
                for k in unknown
            ]
        )
    parts = []
    for name in ("labs", "assessments"):
        value = visit.get(name, {})
        if not isinstance(value, Mapping):
            raise InputError.single((name,), "must be a JSON object", value, code="type")
        parts.append(value)
    return parts[0], parts[1]


def _lab_values(labs: Mapping[str, Any], problems: list[FieldProblem]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, value in labs.items():
        test = LAB_FIELDS.get(name)
        if test is None:
            allowed = ", ".join(LAB_FIELDS)
            problems.append(
                FieldProblem(("labs", name), f"is not a lab; allowed: {allowed}", "extra")
            )
            continue
        out[name] = value
    return out


def _assessment_inputs(
    assessments: Mapping[str, Any], labs: dict[str, Any], problems: list[FieldProblem]
) -> dict[str, dict[str, Any]]:
    """Each assessment's inputs with the visit's lab values filled in; conflicts are problems."""
    allowed = visit_calculators()
    out: dict[str, dict[str, Any]] = {}
    source: dict[str, tuple[str | int, ...]] = {k: ("labs", k) for k in labs}
    for name, given in assessments.items():
        loc: tuple[str | int, ...] = ("assessments", name)
        if name not in allowed:
            problems.append(
                FieldProblem(
                    loc,
                    f"is not a calculator a visit records; allowed: {', '.join(allowed)}",
                    "extra",
                )
            )
            continue
        if not isinstance(given, Mapping):
            problems.append(
                FieldProblem(loc, "must be a JSON object of inputs", "type", given, True)
            )
            continue
        fields = get_calculator(name).inputs.model_fields
        values = dict(given)
        for lab in LAB_FIELDS:
            if lab not in fields:
                continue
            if lab in values and lab in labs:
                if values[lab] != labs[lab]:
                    where = ".".join(str(p) for p in source[lab])
                    problems.append(
                        FieldProblem(
                            (*loc, lab),
                            f"differs from {where} = {_json(labs[lab])}; give the value once "
                            f"(in labs.{lab}) or make them agree",
                            "conflict",
                            values[lab],
                            True,
                        )
                    )
            elif lab in values:
                labs[lab] = values[lab]  # an assessment's lab value is the visit's lab value
                source[lab] = (*loc, lab)
            elif lab in labs:
                values[lab] = labs[lab]
        out[name] = values
    return out


def _score(inputs: dict[str, dict[str, Any]], problems: list[FieldProblem]) -> dict[str, Result]:
    out: dict[str, Result] = {}
    for name, values in inputs.items():
        try:
            out[name] = calculate(name, **values)
        except InputError as exc:
            problems.extend(
                FieldProblem(("assessments", name, *p.loc), p.msg, p.code, p.value, p.has_value)
                for p in exc.problems
            )
        except KnowledgeError as exc:  # pragma: no cover - names are checked above
            problems.append(FieldProblem(("assessments", name), str(exc), "unknown"))
    return out


def _lab_records(
    patient_id: str, on: date, values: dict[str, Any], problems: list[FieldProblem]
) -> list[LabResult]:
    out = []
    for name, value in values.items():
        test = LAB_FIELDS[name]
        qualitative = LAB_UNITS[test] is None
        data: dict[str, Any] = {"patient_id": patient_id, "collected_on": on, "test": test}
        if qualitative:
            if not isinstance(value, bool):
                problems.append(
                    FieldProblem(("labs", name), "must be true or false", "type", value, True)
                )
                continue
            data["positive"] = value
        else:
            if isinstance(value, bool) or not isinstance(value, int | float):
                problems.append(
                    FieldProblem(
                        ("labs", name),
                        f"must be a number in {LAB_UNITS[test]}",
                        "type",
                        value,
                        True,
                    )
                )
                continue
            data.update(value=float(value), unit=LAB_UNITS[test])
        try:
            out.append(LabResult.parse(data))
        except InputError as exc:
            problems.extend(
                FieldProblem(
                    ("on",) if p.loc[-1] == "collected_on" else ("labs", name),
                    p.msg,
                    p.code,
                    p.value,
                    p.has_value,
                )
                for p in exc.problems
            )
    return out


def _json(value: Any) -> str:
    try:
        return json.dumps(value, ensure_ascii=False)
    except TypeError:
        return str(value)


def _visit_error(problems: list[FieldProblem]) -> InputError:
    lines = [f"{p.field}{f' = {_json(p.value)}' if p.has_value else ''}: {p.msg}" for p in problems]
    return InputError("visit: " + "; ".join(lines), tuple(problems))
