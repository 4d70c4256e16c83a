"""Accounts: users (Argon2id hashes, roles), care teams and login attempts.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06

A patient user is linked to exactly one patient record and other roles to none (a check
constraint); ``login_attempts`` is the rate limiter's memory, shared by every server process.
Downgrading to 0001 drops these three tables (the patient record is untouched).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TIMESTAMP = sa.DateTime(timezone=True)


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True)


def upgrade() -> None:
    op.create_table(
        "users",
        _id(),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("patient_id", sa.String(64)),
        sa.Column("created_at", TIMESTAMP, nullable=False),
        sa.Column("disabled", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_users"),
        sa.UniqueConstraint("username", name="uq_users_username"),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.patient_id"], name="fk_users_patient_id_patients"
        ),
        sa.CheckConstraint("role IN ('patient', 'clinician', 'admin')", name="ck_users_role"),
        sa.CheckConstraint(
            "(role = 'patient') = (patient_id IS NOT NULL)", name="ck_users_patient_link"
        ),
    )
    op.create_index("ix_users_patient_id", "users", ["patient_id"])
    op.create_table(
        "care_team",
        _id(),
        sa.Column("clinician_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.String(64), nullable=False),
        sa.Column("added_at", TIMESTAMP, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_care_team"),
        sa.UniqueConstraint(
            "clinician_id", "patient_id", name="uq_care_team_clinician_id_patient_id"
        ),
        sa.ForeignKeyConstraint(
            ["clinician_id"], ["users.id"], name="fk_care_team_clinician_id_users"
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.patient_id"], name="fk_care_team_patient_id_patients"
        ),
    )
    op.create_index("ix_care_team_patient_id", "care_team", ["patient_id"])
    op.create_table(
        "login_attempts",
        _id(),
        sa.Column("username", sa.String(128), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
        sa.Column("at", TIMESTAMP, nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_login_attempts"),
    )
    op.create_index("ix_login_attempts_username_at", "login_attempts", ["username", "at"])
    op.create_index("ix_login_attempts_address_at", "login_attempts", ["address", "at"])


def downgrade() -> None:
    for table in ("login_attempts", "care_team", "users"):
        op.drop_table(table)
