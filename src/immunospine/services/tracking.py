"""Following patients over time: response, flares, treat-to-target and questionnaire schedules.

Every clinical rule comes from the knowledge core by calculator name (``asdas_response``,
``asas20``, ``asas40``, ``asas_5of6``, ``basdai50``, ``eular_response``); this module only
gathers each visit's data and applies configuration (targets, intervals). All reads are audited.

- **Response** between two visit dates: each response calculator whose inputs the two visits
  supply is computed; the others are listed with what was missing.
- **Flares**: ASDAS clinically important worsening (≥ 0.9 vs the previous ASDAS of the same
  kind, as ``asdas_response`` decides), patient-marked diary flares, and BASDAI rising from below
  4 to 4 or more (``basdai.ACTIVE_THRESHOLD``).
- **Treat-to-target**: the latest relevant score per patient against a configurable target
  (defaults: ASDAS < 2.1 for axSpA, DAS28 < 3.2 for RA), computed in SQL for a whole clinic.
- **Schedule**: which questionnaires are due, by configurable interval per diagnosis.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, Literal

from immunospine.errors import InputError, KnowledgeError, NotFound
from immunospine.knowledge import Result, calculate, get_calculator
from immunospine.knowledge.instruments import asdas, das28
from immunospine.knowledge.instruments.basdai import ACTIVE_THRESHOLD as BASDAI_ACTIVE
from immunospine.records import Assessment, Condition, DiaryEntry, LabResult, LabTest
from immunospine.services.record import audit, audit_entry, check_actor
from immunospine.storage.uow import Database, UnitOfWork

__all__ = [
    "DEFAULT_SCHEDULE",
    "DEFAULT_TARGETS",
    "RESPONSE_CALCULATORS",
    "DueQuestionnaire",
    "FlareEvent",
    "ResponseReport",
    "ScheduleRule",
    "Target",
    "TargetStatus",
    "assessment_dates",
    "detect_flares",
    "due_questionnaires",
    "flares_in",
    "off_target",
    "response_between",
    "response_for",
    "response_in",
    "target_statuses",
    "treat_to_target",
    "visit_facts",
]

RESPONSE_CALCULATORS = (
    "asdas_response",
    "asas20",
    "asas40",
    "asas_5of6",
    "basdai50",
    "eular_response",
)
_VARIANTS = {
    "asdas_response": ("asdas_crp", "asdas_esr"),
    "eular_response": ("das28_esr", "das28_crp"),
}
_VARIANT_FIELD = {"asdas_response": "asdas", "eular_response": "das28"}


@dataclass(frozen=True, slots=True)
class Target:
    """Treat-to-target: patients with ``condition`` should have their latest score among
    ``calculators`` below ``below``."""

    condition: Condition
    calculators: tuple[str, ...]
    below: float
    label: str


# Default targets come from the instruments' own bands: the upper edge of "low" activity.
_ASDAS_LOW_UPPER = asdas.STATES.cutoffs[1]  # 2.1
_DAS28_LOW_UPPER = das28.STATES.cutoffs[1]  # 3.2
DEFAULT_TARGETS = (
    Target(
        Condition.AXIAL_SPONDYLOARTHRITIS,
        ("asdas_crp", "asdas_esr"),
        _ASDAS_LOW_UPPER,
        f"ASDAS < {_ASDAS_LOW_UPPER:g}",
    ),
    Target(
        Condition.RHEUMATOID_ARTHRITIS,
        ("das28_esr", "das28_crp"),
        _DAS28_LOW_UPPER,
        f"DAS28 < {_DAS28_LOW_UPPER:g}",
    ),
)
"""ASDAS < 2.1 (low disease activity or better) for axSpA; DAS28 ≤ 3.2 is low activity, so the
RA target is written as < 3.2 per the task's definition. Pass your own ``targets`` to change."""


@dataclass(frozen=True, slots=True)
class ScheduleRule:
    """Patients with ``condition`` should complete one of ``calculators`` every ``every_days``."""

    condition: Condition
    questionnaire: str
    calculators: tuple[str, ...]
    every_days: int


DEFAULT_SCHEDULE = (
    ScheduleRule(Condition.AXIAL_SPONDYLOARTHRITIS, "basdai", ("basdai",), 91),
    ScheduleRule(Condition.AXIAL_SPONDYLOARTHRITIS, "asdas", ("asdas_crp", "asdas_esr"), 91),
    ScheduleRule(Condition.AXIAL_SPONDYLOARTHRITIS, "basfi", ("basfi",), 182),
    ScheduleRule(Condition.RHEUMATOID_ARTHRITIS, "das28", ("das28_esr", "das28_crp"), 91),
)
"""Every 3 months (91 days) for BASDAI/ASDAS and DAS28, every 6 months for BASFI."""

TargetState = Literal["on_target", "off_target", "no_data"]


@dataclass(frozen=True, slots=True)
class TargetStatus:
    patient_id: str
    target: str
    status: TargetState
    calculator: str | None
    assessed_on: date | None
    score: float | None

    def to_dict(self) -> dict[str, Any]:
        return {
            "patient_id": self.patient_id,
            "target": self.target,
            "status": self.status,
            "calculator": self.calculator,
            "assessed_on": self.assessed_on.isoformat() if self.assessed_on else None,
            "score": self.score,
        }


@dataclass(frozen=True, slots=True)
class DueQuestionnaire:
    patient_id: str
    questionnaire: str
    last_on: date | None
    due_on: date

    def to_dict(self) -> dict[str, Any]:
        return {
            "patient_id": self.patient_id,
            "questionnaire": self.questionnaire,
            "last_on": self.last_on.isoformat() if self.last_on else None,
            "due_on": self.due_on.isoformat(),
        }


@dataclass(frozen=True, slots=True)
class FlareEvent:
    on: date
    kind: Literal["asdas_worsening", "patient_marked", "basdai_crossed_4"]
    detail: str
    source_id: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "on": self.on.isoformat(),
            "kind": self.kind,
            "detail": self.detail,
            "source_id": self.source_id,
        }


@dataclass(frozen=True, slots=True)
class ResponseReport:
    patient_id: str
    baseline_on: date
    follow_up_on: date
    results: dict[str, Result] = field(default_factory=dict)
    not_computed: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "patient_id": self.patient_id,
            "baseline_on": self.baseline_on.isoformat(),
            "follow_up_on": self.follow_up_on.isoformat(),
            "results": {k: r.to_dict() for k, r in self.results.items()},
            "not_computed": dict(self.not_computed),
        }


def visit_facts(assessments: Sequence[Assessment], labs: Sequence[LabResult]) -> dict[str, Any]:
    """One visit's values under the names the response calculators use.

    The last assessment of each calculator on the day wins. ``back_pain`` and
    ``patient_global`` come from ASDAS inputs (``back_pain`` falls back to BASDAI q2);
    ``crp_mg_l`` from a CRP lab result, else the ASDAS-CRP input.
    """
    latest = {a.calculator: a for a in assessments}
    facts: dict[str, Any] = {name: a.score for name, a in latest.items() if a.score is not None}
    if "basdai" in latest:
        q = latest["basdai"].inputs
        facts.update(basdai_q5=q.get("q5"), basdai_q6=q.get("q6"), back_pain=q.get("q2"))
    for name in ("asdas_esr", "asdas_crp"):  # CRP last, so it wins
        if name in latest:
            q = latest[name].inputs
            facts.update(back_pain=q.get("back_pain"), patient_global=q.get("patient_global"))
            if "crp_mg_l" in q:
                facts["crp_mg_l"] = q["crp_mg_l"]
    for name in ("basmi_lin", "basmi_2step"):
        if name in latest and "lateral_lumbar_flexion_cm" in latest[name].inputs:
            facts["lateral_spinal_flexion_cm"] = latest[name].inputs["lateral_lumbar_flexion_cm"]
    for lab in labs:
        if lab.test is LabTest.CRP and lab.value is not None:
            facts["crp_mg_l"] = lab.value
    return {k: v for k, v in facts.items() if v is not None}


def _response_inputs(name: str, before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    if name in _VARIANTS:
        value = _VARIANT_FIELD[name]
        for variant in _VARIANTS[name]:
            if variant in before and variant in after:
                return {
                    "baseline": {value: before[variant], "variant": variant},
                    "follow_up": {value: after[variant], "variant": variant},
                }
        return {"baseline": {}, "follow_up": {}}
    spec = get_calculator(name)
    out: dict[str, Any] = {}
    for side, facts in (("baseline", before), ("follow_up", after)):
        sub = getattr(spec.inputs.model_fields[side].annotation, "model_fields", {})
        out[side] = {k: facts[k] for k in sub if k in facts}
    return out


def response_between(
    db: Database, patient_id: str, baseline_on: date, follow_up_on: date, *, actor: str
) -> ResponseReport:
    """Every response criterion the two visits allow (audited read)."""
    if follow_up_on <= baseline_on:
        raise InputError.single(
            ("response", "follow_up_on"),
            f"must be after baseline_on {baseline_on.isoformat()}",
            follow_up_on.isoformat(),
        )
    with db.transaction() as uow:
        audit(uow, actor, "read", patient_id, "response")
        if not uow.patients.birth_years([patient_id]):
            raise NotFound(f"patient {patient_id!r} not found")
        return response_in(uow, patient_id, baseline_on, follow_up_on)


def response_in(
    uow: UnitOfWork, patient_id: str, baseline_on: date, follow_up_on: date
) -> ResponseReport:
    """``response_between`` inside an open transaction (not audited: the caller audits)."""
    facts = []
    for day in (baseline_on, follow_up_on):
        a = uow.records.of_patient(Assessment, patient_id, since=day, until=day)
        labs = uow.records.of_patient(LabResult, patient_id, since=day, until=day)
        facts.append(visit_facts(a, labs))
    report = ResponseReport(patient_id, baseline_on, follow_up_on)
    for name in RESPONSE_CALCULATORS:
        try:
            get_calculator(name)
        except KnowledgeError:
            report.not_computed[name] = "calculator not available"
            continue
        inputs = _response_inputs(name, facts[0], facts[1])
        try:
            report.results[name] = calculate(name, **inputs)
        except InputError as exc:
            missing = sorted({p.field for p in exc.problems})
            report.not_computed[name] = "missing: " + ", ".join(missing)
    return report


def assessment_dates(uow: UnitOfWork, patient_id: str) -> list[date]:
    """The distinct dates on which the patient has any assessment, oldest first."""
    return sorted({a.assessed_on for a in uow.records.of_patient(Assessment, patient_id)})


def response_for(
    db: Database,
    patient_id: str,
    *,
    actor: str,
    baseline_on: date | None = None,
    follow_up_on: date | None = None,
) -> ResponseReport:
    """``response_between`` with defaults: the follow-up is the latest visit (an assessment
    date) on or before ``follow_up_on``, the baseline the visit before it (or ``baseline_on``).
    ``InputError`` on ``baseline_on`` when the patient has fewer than two visits to compare."""
    check_actor(actor)
    with db.transaction() as uow:
        if not uow.patients.birth_years([patient_id]):
            raise NotFound(f"patient {patient_id!r} not found")
        dates = assessment_dates(uow, patient_id)
    follow = follow_up_on or next((d for d in reversed(dates) if d), None)
    if follow_up_on is None and baseline_on is not None:
        follow = dates[-1] if dates else None
    base = baseline_on or next((d for d in reversed(dates) if follow and d < follow), None)
    if follow is None or base is None:
        raise InputError.single(
            ("baseline_on",),
            f"has no earlier visit to compare with ({len(dates)} visit date(s) recorded)",
            code="missing",
            has_value=False,
        )
    return response_between(db, patient_id, base, follow, actor=actor)


def detect_flares(db: Database, patient_id: str, *, actor: str) -> list[FlareEvent]:
    """ASDAS worsening, patient-marked flares and BASDAI crossing 4, in date order."""
    with db.transaction() as uow:
        audit(uow, actor, "read", patient_id, "flares")
        assessments = uow.records.of_patient(Assessment, patient_id)
        diary = uow.records.of_patient(DiaryEntry, patient_id)
    return flares_in(assessments, diary)


def flares_in(assessments: Iterable[Assessment], diary: Iterable[DiaryEntry]) -> list[FlareEvent]:
    """The flares ``detect_flares`` finds, from records already read (e.g. a timeline's), in
    date order. The records are taken in storage order (assessments by date then id, diary
    entries by time then id) whatever order they come in, so the answer is the same."""
    events: list[FlareEvent] = []
    previous: dict[str, Assessment] = {}
    for a in sorted(assessments, key=lambda a: (a.assessed_on, a.id or 0)):
        if a.score is None:
            continue
        before = previous.get(a.calculator)
        previous[a.calculator] = a
        if before is None or before.score is None:
            continue
        if a.calculator in ("asdas_crp", "asdas_esr"):
            r = calculate(
                "asdas_response",
                baseline={"asdas": before.score, "variant": a.calculator},
                follow_up={"asdas": a.score, "variant": a.calculator},
            )
            if r.components.get("clinically_important_worsening"):
                events.append(
                    FlareEvent(
                        a.assessed_on,
                        "asdas_worsening",
                        f"{a.calculator} {before.score:.2f} → {a.score:.2f} "
                        f"(+{a.score - before.score:.2f} since {before.assessed_on.isoformat()})",
                        a.id,
                    )
                )
        elif a.calculator == "basdai" and before.score < BASDAI_ACTIVE <= a.score:
            events.append(
                FlareEvent(
                    a.assessed_on,
                    "basdai_crossed_4",
                    f"BASDAI {before.score:.1f} → {a.score:.1f} (crossed {BASDAI_ACTIVE:g})",
                    a.id,
                )
            )
    for d in sorted(diary, key=lambda d: (d.recorded_at, d.id or 0)):
        if d.flare:
            events.append(
                FlareEvent(d.recorded_on, "patient_marked", d.note or "marked by patient", d.id)
            )
    events.sort(key=lambda e: e.on)
    return events


def treat_to_target(
    db: Database,
    *,
    actor: str,
    targets: Sequence[Target] = DEFAULT_TARGETS,
    patient_id: str | None = None,
    off_target_only: bool = False,
) -> list[TargetStatus]:
    """Treat-to-target status per patient and applicable target, computed in SQL.

    ``no_data``: the patient has the diagnosis but no relevant score yet. Each patient whose
    data is returned gets a ``read`` audit entry, written in the same transaction.
    """
    check_actor(actor)
    with db.transaction() as uow:
        out = target_statuses(
            uow, targets=targets, patient_id=patient_id, off_target_only=off_target_only
        )
        _audit_many(uow, actor, {s.patient_id for s in out}, "treat_to_target")
    return out


def target_statuses(
    uow: UnitOfWork,
    *,
    targets: Sequence[Target] = DEFAULT_TARGETS,
    patient_id: str | None = None,
    off_target_only: bool = False,
) -> list[TargetStatus]:
    """``treat_to_target`` inside an open transaction (not audited: the caller audits)."""
    out: list[TargetStatus] = []
    for t in targets:
        rows = uow.clinic.latest_scores(
            t.condition.value,
            t.calculators,
            t.below,
            off_target_only=off_target_only,
            patient_id=patient_id,
        )
        out.extend(
            TargetStatus(
                r["patient_id"], t.label, r["status"], r["calculator"], r["assessed_on"], r["score"]
            )
            for r in rows
        )
    out.sort(key=lambda s: (s.patient_id, s.target))
    return out


def off_target(
    db: Database, *, actor: str, targets: Sequence[Target] = DEFAULT_TARGETS
) -> list[TargetStatus]:
    """Patients whose latest relevant score misses their target (the clinic's work list)."""
    return treat_to_target(db, actor=actor, targets=targets, off_target_only=True)


def due_questionnaires(
    db: Database,
    *,
    actor: str,
    today: date,
    schedule: Sequence[ScheduleRule] = DEFAULT_SCHEDULE,
    patient_id: str | None = None,
) -> list[DueQuestionnaire]:
    """Questionnaires due on ``today`` (never done, or last done ``every_days`` ago or more)."""
    check_actor(actor)
    out: list[DueQuestionnaire] = []
    with db.transaction() as uow:
        for rule in schedule:
            cutoff = today - timedelta(days=rule.every_days)
            rows = uow.clinic.last_assessed(
                rule.condition.value,
                rule.calculators,
                due_if_before_or_on=cutoff,
                patient_id=patient_id,
            )
            for r in rows:
                last = r["last_on"]
                due = today if last is None else last + timedelta(days=rule.every_days)
                out.append(DueQuestionnaire(r["patient_id"], rule.questionnaire, last, due))
        _audit_many(uow, actor, {d.patient_id for d in out}, "schedule")
    out.sort(key=lambda d: (d.due_on, d.patient_id, d.questionnaire))
    return out


def _audit_many(uow: UnitOfWork, actor: str, patient_ids: set[str], entity: str) -> None:
    audit_entry(actor, "read", None, entity)  # validates actor and entity once
    uow.audit.append_for_patients(
        at=datetime.now(UTC),
        actor=actor,
        action="read",
        entity=entity,
        patient_ids=sorted(patient_ids),
    )
