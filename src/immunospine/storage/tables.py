"""ORM tables of the patient database: storage shape only, no clinical logic (``*Row`` classes).

One table per record kind, keyed by the patient's pseudonym. Timestamps are stored in UTC
(``UtcDateTime``); a diary entry also keeps the UTC offset it was entered with, so its local
diary day survives the round trip. ``audit_log`` has no foreign key (it outlives what it
describes) and refuses UPDATE and DELETE by database trigger (see the initial migration).

Accounts (issue 9) live beside the record: ``users`` (Argon2id hashes only; a patient user is
linked to exactly one patient, other roles to none, enforced by a check constraint),
``care_team`` (which clinician follows which patient) and ``login_attempts`` (the rate limiter's
memory, shared by every server process).

Indexes serve the three hot paths: a patient's timeline (``patient_id`` + date on every table),
the clinic-wide treat-to-target query (``calculator, patient_id, assessed_on`` on assessments,
``condition`` on diagnoses) and audit queries (patient, actor and time).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

__all__ = [
    "AssessmentRow",
    "AuditRow",
    "Base",
    "CareTeamRow",
    "DiagnosisRow",
    "DiaryEntryRow",
    "ImagingFindingRow",
    "InterventionRow",
    "LabResultRow",
    "LoginAttemptRow",
    "MedicationCourseRow",
    "PatientRow",
    "UserRow",
    "UtcDateTime",
    "WebSessionRow",
]

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Json = JSON().with_variant(JSONB(), "postgresql")


class UtcDateTime(TypeDecorator[datetime]):
    """Aware datetimes stored as UTC; naive values are refused, results come back in UTC."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def _patient_fk() -> Mapped[str]:
    return mapped_column(String(64), ForeignKey("patients.patient_id"), nullable=False)


class PatientRow(Base):
    __tablename__ = "patients"

    patient_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    year_of_birth: Mapped[int] = mapped_column(Integer, nullable=False)
    sex: Mapped[str] = mapped_column(String(16), nullable=False)


class DiagnosisRow(Base):
    __tablename__ = "diagnoses"
    __table_args__ = (Index(None, "condition", "patient_id"), Index(None, "patient_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    patient_id: Mapped[str] = _patient_fk()
    condition: Mapped[str] = mapped_column(String(32), nullable=False)
    diagnosed_on: Mapped[date] = mapped_column(Date, nullable=False)
    criteria_met: Mapped[list[str]] = mapped_column(Json, nullable=False)
    note: Mapped[str | None] = mapped_column(Text)


class AssessmentRow(Base):
    __tablename__ = "assessments"
    __table_args__ = (
        Index(None, "patient_id", "assessed_on"),
        Index(None, "calculator", "patient_id", "assessed_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    patient_id: Mapped[str] = _patient_fk()
    assessed_on: Mapped[date] = mapped_column(Date, nullable=False)
    calculator: Mapped[str] = mapped_column(String(64), nullable=False)
    version: Mapped[str] = mapped_column(String(32), nullable=False)
    inputs: Mapped[dict[str, Any]] = mapped_column(Json, nullable=False)
    score: Mapped[float | None] = mapped_column(Float)
    category: Mapped[str | None] = mapped_column(String(64))
    result: Mapped[dict[str, Any]] = mapped_column(Json, nullable=False)


class LabResultRow(Base):
    __tablename__ = "lab_results"
    __table_args__ = (Index(None, "patient_id", "collected_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    patient_id: Mapped[str] = _patient_fk()
    collected_on: Mapped[date] = mapped_column(Date, nullable=False)
    test: Mapped[str] = mapped_column(String(16), nullable=False)
    unit: Mapped[str | None] = mapped_column(String(16))
    value: Mapped[float | None] = mapped_column(Float)
    positive: Mapped[bool | None] = mapped_column(Boolean)
    reference_low: Mapped[float | None] = mapped_column(Float)
    reference_high: Mapped[float | None] = mapped_column(Float)


class ImagingFindingRow(Base):
    __tablename__ = "imaging_findings"
    __table_args__ = (Index(None, "patient_id", "performed_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    patient_id: Mapped[str] = _patient_fk()
    performed_on: Mapped[date] = mapped_column(Date, nullable=False)
    modality: Mapped[str] = mapped_column(String(32), nullable=False)
    active_sacroiliitis: Mapped[bool | None] = mapped_column(Boolean)
    structural_lesions: Mapped[bool | None] = mapped_column(Boolean)
    grade_left: Mapped[int | None] = mapped_column(Integer)
    grade_right: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)


class MedicationCourseRow(Base):
    __tablename__ = "medication_courses"
    __table_args__ = (
        Index(None, "patient_id", "started_on"),
        CheckConstraint("stopped_on IS NULL OR stopped_on >= started_on", name="stop_after_start"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    patient_id: Mapped[str] = _patient_fk()
    drug: Mapped[str] = mapped_column(String(120), nullable=False)
    drug_class: Mapped[str] = mapped_column(String(32), nullable=False)
    dose: Mapped[float | None] = mapped_column(Float)
    dose_unit: Mapped[str | None] = mapped_column(String(20))
    frequency: Mapped[str | None] = mapped_column(String(60))
    started_on: Mapped[date] = mapped_column(Date, nullable=False)
    stopped_on: Mapped[date | None] = mapped_column(Date)
    stop_reason: Mapped[str | None] = mapped_column(String(32))


class InterventionRow(Base):
    __tablename__ = "interventions"
    __table_args__ = (Index(None, "patient_id", "performed_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    patient_id: Mapped[str] = _patient_fk()
    kind: Mapped[str] = mapped_column(String(32), nullable=False)
    performed_on: Mapped[date] = mapped_column(Date, nullable=False)
    activity: Mapped[str | None] = mapped_column(String(120))
    duration_min: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)


class DiaryEntryRow(Base):
    __tablename__ = "diary_entries"
    __table_args__ = (Index(None, "patient_id", "recorded_at"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    patient_id: Mapped[str] = _patient_fk()
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    utc_offset_min: Mapped[int] = mapped_column(Integer, nullable=False)
    pain_nrs: Mapped[float | None] = mapped_column(Float)
    morning_stiffness_min: Mapped[int | None] = mapped_column(Integer)
    fatigue_nrs: Mapped[float | None] = mapped_column(Float)
    sleep_hours: Mapped[float | None] = mapped_column(Float)
    sleep_quality_nrs: Mapped[float | None] = mapped_column(Float)
    stress_nrs: Mapped[float | None] = mapped_column(Float)
    flare: Mapped[bool] = mapped_column(Boolean, nullable=False)
    note: Mapped[str | None] = mapped_column(Text)


class AuditRow(Base):
    """Append-only: who did what to which patient's data, when (UTC)."""

    __tablename__ = "audit_log"
    __table_args__ = (
        Index(None, "patient_id", "at"),
        Index(None, "actor", "at"),
        Index(None, "at"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    actor: Mapped[str] = mapped_column(String(128), nullable=False)
    action: Mapped[str] = mapped_column(String(16), nullable=False)
    patient_id: Mapped[str | None] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(32), nullable=False)
    entity_id: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[str | None] = mapped_column(Text)


ROLES = ("patient", "clinician", "admin")
"""Account roles (web-contract.md)."""


class UserRow(Base):
    """An account: a username, its Argon2id hash and role; a patient user names their record."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint("role IN ('patient', 'clinician', 'admin')", name="role"),
        CheckConstraint("(role = 'patient') = (patient_id IS NOT NULL)", name="patient_link"),
        Index(None, "patient_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(64), nullable=False, unique=True)
    password_hash: Mapped[str] = mapped_column(String(255), nullable=False)
    role: Mapped[str] = mapped_column(String(16), nullable=False)
    patient_id: Mapped[str | None] = mapped_column(String(64), ForeignKey("patients.patient_id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    disabled: Mapped[bool] = mapped_column(Boolean, nullable=False)


class CareTeamRow(Base):
    """A patient in a clinician's care team (one row per pair)."""

    __tablename__ = "care_team"
    __table_args__ = (UniqueConstraint("clinician_id", "patient_id"), Index(None, "patient_id"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    clinician_id: Mapped[int] = mapped_column(Integer, ForeignKey("users.id"), nullable=False)
    patient_id: Mapped[str] = _patient_fk()
    added_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)


class LoginAttemptRow(Base):
    """One sign-in attempt (never the password): what the rate limiter counts."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index(None, "username", "at"), Index(None, "address", "at"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    username: Mapped[str] = mapped_column(String(128), nullable=False)
    address: Mapped[str] = mapped_column(String(64), nullable=False)
    at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    succeeded: Mapped[bool] = mapped_column(Boolean, nullable=False)


class WebSessionRow(Base):
    """A signed-in browser session (web pages). Only a hash of the cookie's token is stored, so
    a copy of the database cannot be used to sign in; signing out deletes the row."""

    __tablename__ = "web_sessions"
    __table_args__ = (Index(None, "username"), Index(None, "expires_at"))

    token_sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    username: Mapped[str] = mapped_column(String(64), nullable=False)
    csrf_token: Mapped[str] = mapped_column(String(64), nullable=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    last_seen_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime, nullable=False)
