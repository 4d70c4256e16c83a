"""Treatments: medication courses and non-drug interventions (physiotherapy, exercise, stress care).

A course runs from ``started_on`` to ``stopped_on`` (``None`` while ongoing); ``stop_reason`` is
given with, and only with, a stop date.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import Field, ValidationInfo, field_validator

from immunospine.records._base import RecordModel, latest_allowed_date
from immunospine.records.patient import PatientId

__all__ = ["DrugClass", "Intervention", "InterventionKind", "MedicationCourse", "StopReason"]


class DrugClass(StrEnum):
    """Drug classes used in axSpA, PsA and RA care."""

    NSAID = "nsaid"
    CSDMARD = "csdmard"
    TNF_INHIBITOR = "tnf_inhibitor"
    IL17_INHIBITOR = "il17_inhibitor"
    IL23_INHIBITOR = "il23_inhibitor"
    IL6_INHIBITOR = "il6_inhibitor"
    JAK_INHIBITOR = "jak_inhibitor"
    CTLA4_FUSION = "ctla4_fusion"
    ANTI_CD20 = "anti_cd20"
    GLUCOCORTICOID = "glucocorticoid"
    ANALGESIC = "analgesic"
    OTHER = "other"


class StopReason(StrEnum):
    """Why a course stopped."""

    INEFFICACY = "inefficacy"
    LOSS_OF_RESPONSE = "loss_of_response"
    ADVERSE_EVENT = "adverse_event"
    REMISSION = "remission"
    PATIENT_CHOICE = "patient_choice"
    PREGNANCY = "pregnancy"
    COST_OR_ACCESS = "cost_or_access"
    COURSE_COMPLETED = "course_completed"
    OTHER = "other"


def _not_future(value: date) -> date:
    if value > latest_allowed_date():
        raise ValueError("is in the future")
    return value


class MedicationCourse(RecordModel):
    """One course of one drug. ``dose`` is in ``dose_unit`` per ``frequency`` (free text)."""

    RECORD = "medication_course"

    id: int | None = None
    patient_id: PatientId
    drug: str = Field(min_length=1, max_length=120, description="generic name, e.g. adalimumab")
    drug_class: DrugClass = Field(strict=False)
    dose: float | None = Field(default=None, gt=0)
    dose_unit: str | None = Field(
        default=None, max_length=20, validate_default=True, description="e.g. mg"
    )
    frequency: str | None = Field(default=None, max_length=60, description="e.g. every 2 weeks")
    started_on: date
    stopped_on: date | None = None
    stop_reason: StopReason | None = Field(default=None, validate_default=True, strict=False)

    check_started_on = field_validator("started_on")(_not_future)

    @field_validator("stopped_on")
    @classmethod
    def _stop_after_start(cls, value: date | None, info: ValidationInfo) -> date | None:
        if value is None:
            return value
        _not_future(value)
        start = info.data.get("started_on")
        if start is not None and value < start:
            raise ValueError(f"is before started_on {start.isoformat()}")
        return value

    @field_validator("stop_reason")
    @classmethod
    def _reason_with_stop(cls, value: StopReason | None, info: ValidationInfo) -> StopReason | None:
        if value is not None and info.data.get("stopped_on") is None:
            raise ValueError("is given but the course has no stopped_on date")
        return value

    @field_validator("dose_unit")
    @classmethod
    def _unit_with_dose(cls, value: str | None, info: ValidationInfo) -> str | None:
        if info.data.get("dose") is not None and not value:
            raise ValueError("is required when a dose is given")
        return value

    def active_on(self, day: date) -> bool:
        """Whether the course covers ``day``."""
        return self.started_on <= day and (self.stopped_on is None or day <= self.stopped_on)


class InterventionKind(StrEnum):
    """Non-drug interventions."""

    PHYSIOTHERAPY = "physiotherapy"
    EXERCISE = "exercise"
    STRESS_REDUCTION = "stress_reduction"


class Intervention(RecordModel):
    """A physiotherapy session, an exercise bout or a stress-reduction practice on one day.

    ``activity`` says what was done (exercise type such as "swimming", or the practice such as
    "mindfulness"); ``duration_min`` how long.
    """

    RECORD = "intervention"

    id: int | None = None
    patient_id: PatientId
    kind: InterventionKind = Field(strict=False)
    performed_on: date
    activity: str | None = Field(default=None, max_length=120)
    duration_min: int | None = Field(default=None, ge=1, le=1440)
    note: str | None = Field(default=None, max_length=2000)

    check_performed_on = field_validator("performed_on")(_not_future)
