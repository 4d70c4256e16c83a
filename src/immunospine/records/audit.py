"""An audit entry: who did what to which patient's data, and when (UTC).

Entries are append-only: the storage layer offers no update or delete, and the database refuses
both by trigger. ``action`` is ``read``, ``create``, ``update`` or ``login`` (a sign-in attempt,
never with the password); ``entity`` is a record name
(``patient``, ``diary_entry``, ``timeline``, ``clinic_treat_to_target`` …).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import Field, field_validator

from immunospine.records._base import RecordModel

__all__ = ["AuditAction", "AuditEntry"]

AuditAction = Literal["read", "create", "update", "login"]


class AuditEntry(RecordModel):
    """One audited access. ``at`` is timezone-aware UTC; ``entity_id`` names a row when one."""

    RECORD = "audit_entry"

    id: int | None = None
    at: datetime
    actor: str = Field(min_length=1, max_length=128)
    action: AuditAction
    patient_id: str | None
    entity: str = Field(min_length=1, max_length=32)
    entity_id: int | None = None
    detail: str | None = None

    @field_validator("at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("must be timezone-aware")
        return value
