"""Observations: laboratory results, sacroiliac imaging findings and daily diary entries.

Units are part of the model: each quantitative lab test has exactly one accepted unit
(``LAB_UNITS``) and a default normal range (``DEFAULT_REFERENCE_RANGES``) that a clinic may
override per result with its own laboratory's range.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

from pydantic import Field, ValidationInfo, field_validator

from immunospine.records._base import RecordModel, latest_allowed_date
from immunospine.records.patient import PatientId

__all__ = [
    "DEFAULT_REFERENCE_RANGES",
    "LAB_UNITS",
    "DiaryEntry",
    "ImagingFinding",
    "ImagingModality",
    "LabResult",
    "LabTest",
    "Nrs",
]

Nrs = Annotated[float, Field(ge=0, le=10, description="0–10 numeric rating scale")]


class LabTest(StrEnum):
    """Laboratory tests the record knows about."""

    CRP = "crp"
    ESR = "esr"
    HLA_B27 = "hla_b27"
    RHEUMATOID_FACTOR = "rf"
    ANTI_CCP = "anti_ccp"


LAB_UNITS: dict[LabTest, str | None] = {
    LabTest.CRP: "mg/L",
    LabTest.ESR: "mm/h",
    LabTest.HLA_B27: None,  # qualitative: positive / negative
    LabTest.RHEUMATOID_FACTOR: "IU/mL",
    LabTest.ANTI_CCP: "U/mL",
}
"""The one unit accepted per test (``None``: qualitative result in ``positive``)."""

DEFAULT_REFERENCE_RANGES: dict[LabTest, tuple[float, float]] = {
    LabTest.CRP: (0.0, 5.0),
    LabTest.ESR: (0.0, 20.0),
    LabTest.RHEUMATOID_FACTOR: (0.0, 14.0),
    LabTest.ANTI_CCP: (0.0, 20.0),
}
"""Typical adult normal ranges, used when a result gives none; assays differ, so labs override."""


def _not_future(value: date) -> date:
    if value > latest_allowed_date():
        raise ValueError("is in the future")
    return value


class LabResult(RecordModel):
    """One laboratory result.

    Quantitative tests (CRP mg/L, ESR mm/h, RF IU/mL, anti-CCP U/mL) need ``value`` in the unit
    of ``LAB_UNITS``; HLA-B27 needs ``positive`` and no value. ``reference_low`` /
    ``reference_high`` default to ``DEFAULT_REFERENCE_RANGES`` (see ``reference_range``).
    """

    RECORD = "lab_result"

    id: int | None = None
    patient_id: PatientId
    collected_on: date
    test: LabTest = Field(strict=False)
    unit: str | None = Field(default=None, validate_default=True)
    value: float | None = Field(default=None, ge=0, validate_default=True)
    positive: bool | None = Field(default=None, validate_default=True)
    reference_low: float | None = None
    reference_high: float | None = None

    check_collected_on = field_validator("collected_on")(_not_future)

    @field_validator("unit")
    @classmethod
    def _unit_of_test(cls, value: str | None, info: ValidationInfo) -> str | None:
        test = info.data.get("test")
        if test is None:
            return value
        expected = LAB_UNITS[test]
        if value != expected:
            wanted = f'must be "{expected}"' if expected else "must be empty (qualitative test)"
            raise ValueError(f"{wanted} for {test.value}")
        return value

    @field_validator("value")
    @classmethod
    def _value_for_quantitative(cls, value: float | None, info: ValidationInfo) -> float | None:
        test = info.data.get("test")
        if test is None:
            return value
        if LAB_UNITS[test] is None and value is not None:
            raise ValueError(f"must be empty for {test.value}; give positive=true/false")
        if LAB_UNITS[test] is not None and value is None:
            raise ValueError(f"is required for {test.value} (in {LAB_UNITS[test]})")
        return value

    @field_validator("positive")
    @classmethod
    def _positive_for_qualitative(cls, value: bool | None, info: ValidationInfo) -> bool | None:
        test = info.data.get("test")
        if test is not None and LAB_UNITS[test] is None and value is None:
            raise ValueError(f"is required for {test.value} (true or false)")
        return value

    @property
    def reference_range(self) -> tuple[float, float] | None:
        """The range used to call the value abnormal: the result's own, else the default."""
        default = DEFAULT_REFERENCE_RANGES.get(self.test)
        if default is None:
            return None
        low = self.reference_low if self.reference_low is not None else default[0]
        high = self.reference_high if self.reference_high is not None else default[1]
        return (low, high)

    @property
    def abnormal(self) -> bool:
        """Outside the reference range (quantitative) or positive (qualitative)."""
        if self.value is None:
            return bool(self.positive)
        rng = self.reference_range
        return rng is not None and not rng[0] <= self.value <= rng[1]


class ImagingModality(StrEnum):
    """Sacroiliac-joint imaging kinds."""

    MRI_SACROILIAC = "mri_sij"
    RADIOGRAPH_SACROILIAC = "radiograph_sij"


Grade = Annotated[int, Field(ge=0, le=4, description="modified New York grade 0–4")]


class ImagingFinding(RecordModel):
    """A sacroiliac-joint imaging finding.

    MRI: ``active_sacroiliitis`` (bone-marrow oedema as the ASAS MRI definition) and
    ``structural_lesions`` (erosions, fat metaplasia, sclerosis, ankylosis), each true/false/None.
    Radiograph: ``grade_left`` and ``grade_right``, modified New York grades 0–4, both required.
    """

    RECORD = "imaging_finding"

    id: int | None = None
    patient_id: PatientId
    performed_on: date
    modality: ImagingModality = Field(strict=False)
    active_sacroiliitis: bool | None = Field(default=None, validate_default=True)
    structural_lesions: bool | None = Field(default=None, validate_default=True)
    grade_left: Grade | None = Field(default=None, validate_default=True)
    grade_right: Grade | None = Field(default=None, validate_default=True)
    note: str | None = Field(default=None, max_length=2000)

    check_performed_on = field_validator("performed_on")(_not_future)

    @field_validator("active_sacroiliitis", "structural_lesions")
    @classmethod
    def _mri_only(cls, value: bool | None, info: ValidationInfo) -> bool | None:
        if value is not None and info.data.get("modality") is ImagingModality.RADIOGRAPH_SACROILIAC:
            raise ValueError("is an MRI finding; a radiograph records grade_left/grade_right")
        return value

    @field_validator("grade_left", "grade_right")
    @classmethod
    def _radiograph_grade(cls, value: int | None, info: ValidationInfo) -> int | None:
        modality = info.data.get("modality")
        if modality is ImagingModality.RADIOGRAPH_SACROILIAC and value is None:
            raise ValueError("is required for a radiograph (modified New York grade 0–4)")
        if modality is ImagingModality.MRI_SACROILIAC and value is not None:
            raise ValueError("is a radiograph grade; an MRI records active_sacroiliitis")
        return value


class DiaryEntry(RecordModel):
    """One patient diary entry; several a day are allowed, each with its own timestamp.

    ``recorded_at`` must be timezone-aware; its local date (``recorded_on``) is the diary day.
    Every symptom is optional (``None`` = not answered), so partial entries are kept as given.
    """

    RECORD = "diary_entry"

    id: int | None = None
    patient_id: PatientId
    recorded_at: datetime
    pain_nrs: Nrs | None = None
    morning_stiffness_min: int | None = Field(default=None, ge=0, le=1440)
    fatigue_nrs: Nrs | None = None
    sleep_hours: float | None = Field(default=None, ge=0, le=24)
    sleep_quality_nrs: Nrs | None = None
    stress_nrs: Nrs | None = None
    flare: bool = Field(default=False, description="the patient marked this entry as a flare")
    note: str | None = Field(default=None, max_length=2000)

    @field_validator("recorded_at")
    @classmethod
    def _aware_not_future(cls, value: datetime, info: ValidationInfo) -> datetime:
        if value.tzinfo is None or value.utcoffset() is None:
            raise ValueError("must carry a time zone (e.g. 2024-05-01T07:30:00+02:00)")
        context = info.context or {}
        latest = context.get("latest_allowed_date") or latest_allowed_date()
        if value.date() > latest:
            raise ValueError("is in the future")
        return value

    @property
    def recorded_on(self) -> date:
        """The diary day: the local date of ``recorded_at``."""
        return self.recorded_at.date()
