"""Initial patient record: patients, diagnoses, assessments, labs, imaging, treatment, diary, audit.

Revision ID: 0001
Revises:
Create Date: 2025-01-01

The audit log is append-only at the database level: SQLite triggers and a PostgreSQL trigger
function refuse UPDATE and DELETE (and TRUNCATE on PostgreSQL) on ``audit_log``.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

JSON = sa.JSON().with_variant(JSONB(), "postgresql")
TIMESTAMP = sa.DateTime(timezone=True)
APPEND_ONLY = "audit_log is append-only: UPDATE and DELETE are refused"


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True)


def _fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["patient_id"], ["patients.patient_id"], name=f"fk_{table}_patient_id_patients"
    )


def _patient_col() -> sa.Column[str]:
    return sa.Column("patient_id", sa.String(64), nullable=False)


def upgrade() -> None:
    op.create_table(
        "patients",
        sa.Column("patient_id", sa.String(64), nullable=False),
        sa.Column("year_of_birth", sa.Integer(), nullable=False),
        sa.Column("sex", sa.String(16), nullable=False),
        sa.PrimaryKeyConstraint("patient_id", name="pk_patients"),
    )
    op.create_table(
        "diagnoses",
        _id(),
        _patient_col(),
        sa.Column("condition", sa.String(32), nullable=False),
        sa.Column("diagnosed_on", sa.Date(), nullable=False),
        sa.Column("criteria_met", JSON, nullable=False),
        sa.Column("note", sa.Text()),
        sa.PrimaryKeyConstraint("id", name="pk_diagnoses"),
        _fk("diagnoses"),
    )
    op.create_index("ix_diagnoses_condition_patient_id", "diagnoses", ["condition", "patient_id"])
    op.create_index("ix_diagnoses_patient_id", "diagnoses", ["patient_id"])
    op.create_table(
        "assessments",
        _id(),
        _patient_col(),
        sa.Column("assessed_on", sa.Date(), nullable=False),
        sa.Column("calculator", sa.String(64), nullable=False),
        sa.Column("version", sa.String(32), nullable=False),
        sa.Column("inputs", JSON, nullable=False),
        sa.Column("score", sa.Float()),
        sa.Column("category", sa.String(64)),
        sa.Column("result", JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_assessments"),
        _fk("assessments"),
    )
    op.create_index(
        "ix_assessments_patient_id_assessed_on", "assessments", ["patient_id", "assessed_on"]
    )
    op.create_index(
        "ix_assessments_calculator_patient_id_assessed_on",
        "assessments",
        ["calculator", "patient_id", "assessed_on"],
    )
    op.create_table(
        "lab_results",
        _id(),
        _patient_col(),
        sa.Column("collected_on", sa.Date(), nullable=False),
        sa.Column("test", sa.String(16), nullable=False),
        sa.Column("unit", sa.String(16)),
        sa.Column("value", sa.Float()),
        sa.Column("positive", sa.Boolean()),
        sa.Column("reference_low", sa.Float()),
        sa.Column("reference_high", sa.Float()),
        sa.PrimaryKeyConstraint("id", name="pk_lab_results"),
        _fk("lab_results"),
    )
    op.create_index(
        "ix_lab_results_patient_id_collected_on", "lab_results", ["patient_id", "collected_on"]
    )
    op.create_table(
        "imaging_findings",
        _id(),
        _patient_col(),
        sa.Column("performed_on", sa.Date(), nullable=False),
        sa.Column("modality", sa.String(32), nullable=False),
        sa.Column("active_sacroiliitis", sa.Boolean()),
        sa.Column("structural_lesions", sa.Boolean()),
        sa.Column("grade_left", sa.Integer()),
        sa.Column("grade_right", sa.Integer()),
        sa.Column("note", sa.Text()),
        sa.PrimaryKeyConstraint("id", name="pk_imaging_findings"),
        _fk("imaging_findings"),
    )
    op.create_index(
        "ix_imaging_findings_patient_id_performed_on",
        "imaging_findings",
        ["patient_id", "performed_on"],
    )
    op.create_table(
        "medication_courses",
        _id(),
        _patient_col(),
        sa.Column("drug", sa.String(120), nullable=False),
        sa.Column("drug_class", sa.String(32), nullable=False),
        sa.Column("dose", sa.Float()),
        sa.Column("dose_unit", sa.String(20)),
        sa.Column("frequency", sa.String(60)),
        sa.Column("started_on", sa.Date(), nullable=False),
        sa.Column("stopped_on", sa.Date()),
        sa.Column("stop_reason", sa.String(32)),
        sa.PrimaryKeyConstraint("id", name="pk_medication_courses"),
        sa.CheckConstraint(
            "stopped_on IS NULL OR stopped_on >= started_on",
            name="ck_medication_courses_stop_after_start",
        ),
        _fk("medication_courses"),
    )
    op.create_index(
        "ix_medication_courses_patient_id_started_on",
        "medication_courses",
        ["patient_id", "started_on"],
    )
    op.create_table(
        "interventions",
        _id(),
        _patient_col(),
        sa.Column("kind", sa.String(32), nullable=False),
        sa.Column("performed_on", sa.Date(), nullable=False),
        sa.Column("activity", sa.String(120)),
        sa.Column("duration_min", sa.Integer()),
        sa.Column("note", sa.Text()),
        sa.PrimaryKeyConstraint("id", name="pk_interventions"),
        _fk("interventions"),
    )
    op.create_index(
        "ix_interventions_patient_id_performed_on", "interventions", ["patient_id", "performed_on"]
    )
    op.create_table(
        "diary_entries",
        _id(),
        _patient_col(),
        sa.Column("recorded_at", TIMESTAMP, nullable=False),
        sa.Column("utc_offset_min", sa.Integer(), nullable=False),
        sa.Column("pain_nrs", sa.Float()),
        sa.Column("morning_stiffness_min", sa.Integer()),
        sa.Column("fatigue_nrs", sa.Float()),
        sa.Column("sleep_hours", sa.Float()),
        sa.Column("sleep_quality_nrs", sa.Float()),
        sa.Column("stress_nrs", sa.Float()),
        sa.Column("flare", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text()),
        sa.PrimaryKeyConstraint("id", name="pk_diary_entries"),
        _fk("diary_entries"),
    )
    op.create_index(
        "ix_diary_entries_patient_id_recorded_at", "diary_entries", ["patient_id", "recorded_at"]
    )
    op.create_table(
        "audit_log",
        _id(),
        sa.Column("at", TIMESTAMP, nullable=False),
        sa.Column("actor", sa.String(128), nullable=False),
        sa.Column("action", sa.String(16), nullable=False),
        sa.Column("patient_id", sa.String(64)),
        sa.Column("entity", sa.String(32), nullable=False),
        sa.Column("entity_id", sa.Integer()),
        sa.Column("detail", sa.Text()),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_patient_id_at", "audit_log", ["patient_id", "at"])
    op.create_index("ix_audit_log_actor_at", "audit_log", ["actor", "at"])
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    _protect_audit_log()


def _protect_audit_log() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for event in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER audit_log_no_{event.lower()} BEFORE {event} ON audit_log "
                f"BEGIN SELECT RAISE(ABORT, '{APPEND_ONLY}'); END"
            )
        return
    op.execute(
        "CREATE FUNCTION audit_log_refuse_change() RETURNS trigger LANGUAGE plpgsql AS "
        f"$$ BEGIN RAISE EXCEPTION '{APPEND_ONLY}' USING ERRCODE = 'insufficient_privilege'; "
        "END $$"
    )
    op.execute(
        "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
        "FOR EACH ROW EXECUTE FUNCTION audit_log_refuse_change()"
    )
    op.execute(
        "CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log "
        "FOR EACH STATEMENT EXECUTE FUNCTION audit_log_refuse_change()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
        op.execute("DROP TRIGGER IF EXISTS audit_log_no_truncate ON audit_log")
        op.execute("DROP FUNCTION IF EXISTS audit_log_refuse_change()")
    for table in (
        "audit_log",
        "diary_entries",
        "interventions",
        "medication_courses",
        "imaging_findings",
        "lab_results",
        "assessments",
        "diagnoses",
        "patients",
    ):
        op.drop_table(table)
