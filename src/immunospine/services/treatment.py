"""Treatment options (issue 12): a state as JSON, or the state read from a patient's record.

``options_for_state(text)`` parses a JSON object strictly and hands it to the pure knowledge core
(``knowledge.treatment``). ``options_for_patient(db, actor, patient_id)`` builds the state from
the record in one audited read (entity ``treatment_options``):

- ``diagnosis``: the latest recorded diagnosis that has a pathway (axspa → axspa, psa → psa,
  ra → ra, mechanical_back_pain → nonspecific_low_back_pain, fibromyalgia →
  chronic_primary_pain); none → ``InputError`` on ``diagnosis``;
- scores: the latest ASDAS (CRP or ESR), BASDAI, DAS28 (ESR or CRP), CDAI and STarT Back group;
- ``crp_mg_l``: the latest CRP; imaging: the latest MRI (active sacroiliitis) and radiograph
  (modified New York: both sides grade ≥ 2 or one side ≥ 3);
- medication: courses running on ``today`` → ``current`` (weeks since the start, the activity
  score on or before the start day); stopped courses → ``past`` with their stop reason; NSAIDs:
  how many different drugs and how many weeks in total. No medication on record → unknown
  (``null``), never "none";
- ``age_years`` from the year of birth (the age reached this year).

What the record does not hold (extra-musculoskeletal manifestations, peripheral arthritis,
contraindications, poor prognostic factors, pain duration) stays unknown, so the options that
need it are ``indeterminate`` and name it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from immunospine.errors import InputError, NotFound
from immunospine.knowledge.criteria.modified_new_york import BILATERAL_GRADE, UNILATERAL_GRADE
from immunospine.knowledge.treatment import (
    TreatmentOptions,
    TreatmentState,
    options_for,
    parse_state,
    treatment_options,
)
from immunospine.records import (
    Assessment,
    Condition,
    ImagingFinding,
    ImagingModality,
    LabResult,
    LabTest,
    MedicationCourse,
    Patient,
)
from immunospine.services.calculators import parse_json_object
from immunospine.services.record import audit
from immunospine.storage.uow import Database

__all__ = [
    "PATHWAY_OF_CONDITION",
    "TreatmentOptions",
    "TreatmentState",
    "options_for_patient",
    "options_for_state",
    "state_from_record",
]

PATHWAY_OF_CONDITION: dict[Condition, str] = {
    Condition.AXIAL_SPONDYLOARTHRITIS: "axspa",
    Condition.PSORIATIC_ARTHRITIS: "psa",
    Condition.RHEUMATOID_ARTHRITIS: "ra",
    Condition.MECHANICAL_BACK_PAIN: "nonspecific_low_back_pain",
    Condition.FIBROMYALGIA: "chronic_primary_pain",
}
"""The record's diagnoses that have a treatment pathway, and which one."""
SCORES: dict[str, tuple[str, ...]] = {
    "asdas": ("asdas_crp", "asdas_esr"),
    "basdai": ("basdai",),
    "das28": ("das28_esr", "das28_crp"),
    "cdai": ("cdai",),
}
START_SCORE = {"axspa": "asdas", "ra": "das28", "psa": "asdas"}
"""The score kept as ``score_at_start`` of a current therapy, per pathway."""


def options_for_state(text: str) -> TreatmentOptions:
    """The options for a state given as JSON text (``InputError`` names every bad field)."""
    return options_for(parse_json_object(text, source="treatment state"))


def options_for_patient(
    db: Database, actor: str, patient_id: str, *, today: date | None = None
) -> TreatmentOptions:
    """The options for a patient, the state read from their record (one audited read)."""
    return treatment_options(state_from_record(db, actor, patient_id, today=today))


def state_from_record(
    db: Database, actor: str, patient_id: str, *, today: date | None = None
) -> TreatmentState:
    """The ``TreatmentState`` of a patient's record on ``today`` (default: the local date)."""
    day = today or datetime.now().astimezone().date()
    with db.transaction() as uow:
        audit(uow, actor, "read", patient_id, "treatment_options")
        patient = uow.patients.get(patient_id)
        if patient is None:
            raise NotFound(f"patient {patient_id!r} not found")
        assessments = uow.records.of_patient(Assessment, patient_id, until=day)
        labs = uow.records.of_patient(LabResult, patient_id, until=day)
        imaging = uow.records.of_patient(ImagingFinding, patient_id, until=day)
        courses = uow.records.of_patient(MedicationCourse, patient_id, until=day)
    pathway = _pathway(patient)
    data: dict[str, Any] = {"diagnosis": pathway, **_scores(assessments)}
    crp = [lab.value for lab in labs if lab.test is LabTest.CRP and lab.value is not None]
    if crp:
        data["crp_mg_l"] = crp[-1]
    data.update(_imaging(imaging))
    data.update(_medication(courses, assessments, pathway, day))
    start_back = [a.category for a in assessments if a.calculator == "start_back" and a.category]
    if start_back:
        data["start_back_risk"] = start_back[-1]
    age = day.year - patient.year_of_birth
    if 16 <= age <= 120:
        data["age_years"] = age
    return parse_state(data)


def _pathway(patient: Patient) -> str:
    known = [d for d in patient.diagnoses if d.condition in PATHWAY_OF_CONDITION]
    if not known:
        recorded = ", ".join(d.condition.value for d in patient.diagnoses) or "none"
        allowed = ", ".join(c.value for c in PATHWAY_OF_CONDITION)
        raise InputError.single(
            ("diagnosis",),
            f"the record has no diagnosis with a treatment pathway (recorded: {recorded}; "
            f"pathways exist for: {allowed})",
            has_value=False,
            code="no_pathway",
        )
    latest = max(known, key=lambda d: d.diagnosed_on)
    return PATHWAY_OF_CONDITION[latest.condition]


def _scores(assessments: Sequence[Assessment]) -> dict[str, float]:
    out: dict[str, float] = {}
    for field, calculators in SCORES.items():
        scored = [
            a.score for a in assessments if a.calculator in calculators and a.score is not None
        ]
        if scored:
            out[field] = scored[-1]
    return out


def _score_on(assessments: Sequence[Assessment], field: str, day: date) -> float | None:
    """The latest score of ``field`` on or before ``day``."""
    scored = [
        a.score
        for a in assessments
        if a.calculator in SCORES[field] and a.score is not None and a.assessed_on <= day
    ]
    return scored[-1] if scored else None


def _imaging(findings: Sequence[ImagingFinding]) -> dict[str, bool]:
    out: dict[str, bool] = {}
    mri = [
        f.active_sacroiliitis
        for f in findings
        if f.modality is ImagingModality.MRI_SACROILIAC and f.active_sacroiliitis is not None
    ]
    if mri:
        out["mri_active_sacroiliitis"] = mri[-1]
    xray = [f for f in findings if f.modality is ImagingModality.RADIOGRAPH_SACROILIAC]
    if xray and xray[-1].grade_left is not None and xray[-1].grade_right is not None:
        left, right = xray[-1].grade_left, xray[-1].grade_right
        out["radiographic_sacroiliitis"] = (
            min(left, right) >= BILATERAL_GRADE or max(left, right) >= UNILATERAL_GRADE
        )
    return out


def _medication(
    courses: Sequence[MedicationCourse],
    assessments: Sequence[Assessment],
    pathway: str,
    day: date,
) -> dict[str, Any]:
    if not courses:
        return {}
    start_field = START_SCORE.get(pathway)
    current: list[dict[str, Any]] = []
    past: list[dict[str, Any]] = []
    for course in courses:
        if course.stopped_on is None or course.stopped_on >= day:
            entry: dict[str, Any] = {
                "drug_class": course.drug_class.value,
                "weeks": round((day - course.started_on).days / 7, 1),
            }
            if start_field is not None:
                entry["score_at_start"] = _score_on(assessments, start_field, course.started_on)
            current.append(entry)
        else:
            reason = course.stop_reason.value if course.stop_reason is not None else None
            past.append({"drug_class": course.drug_class.value, "stop_reason": reason})
    out: dict[str, Any] = {"current": current, "past": past}
    nsaids = [c for c in courses if c.drug_class.value == "nsaid"]
    if nsaids:
        out["nsaids_tried"] = len({c.drug.strip().lower() for c in nsaids})
        days = sum(((c.stopped_on or day) - c.started_on).days for c in nsaids)
        out["nsaid_trial_weeks"] = round(days / 7, 1)
    return out
