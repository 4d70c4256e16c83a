"""The audit trail: who read or changed which patient's data, and when.

The log is append-only (no update or delete exists in code; the database refuses both by
trigger). Querying the log is itself audited, as a read of entity ``audit_log``.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from immunospine.errors import InputError
from immunospine.records import AuditAction, AuditEntry
from immunospine.services.record import audit, check_actor
from immunospine.storage.uow import Database, UnitOfWork

__all__ = ["AuditStep", "audit_trail", "record_request", "request_audit"]

AuditStep = Callable[[UnitOfWork], None]
"""A last step of another service's transaction (its ``also=``), e.g. ``request_audit``."""


def audit_trail(
    db: Database,
    *,
    actor: str,
    patient_id: str | None = None,
    by_actor: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int | None = None,
) -> list[AuditEntry]:
    """Audit entries matching every filter, oldest first.

    Args:
        actor: who is asking (this query is audited too, after the entries are read).
        patient_id: only entries about this patient.
        by_actor: only entries made by this actor.
        since: entries at or after this aware datetime.
        until: entries before this aware datetime.
        limit: at most this many entries.
    """
    check_actor(actor)
    for name, value in (("since", since), ("until", until)):
        if value is not None and value.tzinfo is None:
            raise InputError.single(
                ("audit", name), "must be timezone-aware", value.isoformat(), code="naive"
            )
    with db.transaction() as uow:
        entries = uow.audit.query(
            patient_id=patient_id, actor=by_actor, since=since, until=until, limit=limit
        )
        audit(uow, actor, "read", patient_id, "audit_log")
    return entries


def record_request(
    db: Database, *, actor: str, method: str, route: str, patient_id: str | None, status: int
) -> None:
    """One API request in the log: who, the route (its template, not the ids) and the outcome
    (the HTTP status); entity ``api_request``. The services log what was read or changed."""
    with db.transaction() as uow:
        request_audit(
            actor=actor, method=method, route=route, patient_id=patient_id, status=status
        )(uow)


def request_audit(
    *, actor: str, method: str, route: str, patient_id: str | None, status: int
) -> AuditStep:
    """``record_request`` as a last step of another transaction (``also=`` of the services
    that take it), so that a read and the entry of its request are committed together."""
    action: AuditAction = "read" if method in ("GET", "HEAD") else "update"

    def write(uow: UnitOfWork) -> None:
        audit(uow, actor, action, patient_id, "api_request", None, f"{method} {route} -> {status}")

    return write
