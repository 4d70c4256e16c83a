"""The patient: a pseudonym, year of birth, sex and dated diagnoses with the criteria they met.

No names, addresses or full birth dates are stored: ``patient_id`` is a pseudonym chosen by the
clinic (letters, digits, ``_ . -``; at most 64 characters) and only the year of birth is kept.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated

from pydantic import Field, ValidationInfo, field_validator

from immunospine.records._base import RecordModel, latest_allowed_date

__all__ = ["Condition", "Diagnosis", "Patient", "PatientId", "Sex"]

PatientId = Annotated[
    str,
    Field(
        pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$",
        description="pseudonymous patient id: letters, digits, _ . - (1–64 characters)",
    ),
]

EARLIEST_YEAR_OF_BIRTH = 1900


class Sex(StrEnum):
    """Sex recorded for clinical purposes (FHIR administrative-gender codes)."""

    FEMALE = "female"
    MALE = "male"
    OTHER = "other"
    UNKNOWN = "unknown"


class Condition(StrEnum):
    """Diagnoses the record follows; treat-to-target and schedules are configured per condition."""

    AXIAL_SPONDYLOARTHRITIS = "axspa"
    PERIPHERAL_SPONDYLOARTHRITIS = "pspa"
    PSORIATIC_ARTHRITIS = "psa"
    RHEUMATOID_ARTHRITIS = "ra"
    FIBROMYALGIA = "fibromyalgia"
    MECHANICAL_BACK_PAIN = "mechanical_back_pain"
    OTHER = "other"


class Diagnosis(RecordModel):
    """One diagnosis, the date it was made and the criteria sets it met (calculator names)."""

    RECORD = "diagnosis"

    condition: Condition = Field(strict=False)
    diagnosed_on: date
    criteria_met: tuple[str, ...] = Field(
        strict=False,
        default=(),
        description="calculator names of the criteria met, e.g. ('asas_axspa',)",
    )
    note: str | None = Field(default=None, max_length=2000)

    @field_validator("diagnosed_on")
    @classmethod
    def _not_future(cls, value: date) -> date:
        if value > latest_allowed_date():
            raise ValueError("is in the future")
        return value


class Patient(RecordModel):
    """A pseudonymous patient with zero or more diagnoses."""

    RECORD = "patient"

    patient_id: PatientId
    year_of_birth: int = Field(description="four-digit year of birth (1900 … this year)")
    sex: Sex = Field(default=Sex.UNKNOWN, strict=False)
    diagnoses: tuple[Diagnosis, ...] = Field(default=(), strict=False)

    @field_validator("year_of_birth")
    @classmethod
    def _plausible_year(cls, value: int) -> int:
        latest = latest_allowed_date().year
        if not EARLIEST_YEAR_OF_BIRTH <= value <= latest:
            raise ValueError(f"must be between {EARLIEST_YEAR_OF_BIRTH} and {latest}")
        return value

    @field_validator("diagnoses")
    @classmethod
    def _diagnoses_after_birth(
        cls, value: tuple[Diagnosis, ...], info: ValidationInfo
    ) -> tuple[Diagnosis, ...]:
        born = info.data.get("year_of_birth")
        for i, dx in enumerate(value):
            if born is not None and dx.diagnosed_on.year < born:
                raise ValueError(
                    f"diagnoses[{i}].diagnosed_on {dx.diagnosed_on.isoformat()} is before the "
                    f"year of birth {born}"
                )
        return value

    def has(self, condition: Condition) -> bool:
        """Whether any diagnosis is ``condition``."""
        return any(d.condition is condition for d in self.diagnoses)
