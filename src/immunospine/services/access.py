"""Who may do what (web-contract.md), decided here so that every face applies the same rules.

- a **patient** reads their own record and writes to it what a patient reports (diary entries,
  questionnaires, the medication they take, interventions); they cannot create patients or
  import;
- a **clinician** reads and writes the records of their care team, creates patients, imports;
- an **admin** manages users and reads the audit log, and reads records only through it.

Two answers for a refusal: ``Forbidden`` (HTTP 403) when the ROLE may not do this at all,
decided before any id is looked at, so it says nothing about which ids exist; ``NotFound`` (404),
word for word the message of a missing patient, when the record is not visible to this user,
so ids cannot be probed. Every refusal is audited (action ``read`` or ``update``, entity
``access``).

The routes call ``require_record_access`` (or ``require_role``) and then the record service with
``actor=principal.username``; ``timeline_for`` shows the pattern.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Literal

from immunospine.errors import Forbidden, NotFound
from immunospine.services import record
from immunospine.services.accounts import Principal, Role
from immunospine.storage.uow import Database, UnitOfWork

__all__ = [
    "PATIENT_WRITABLE",
    "RECORD_ROLES",
    "require_record_access",
    "require_role",
    "timeline_for",
    "visible_patient_ids",
]

RECORD_ROLES: tuple[Role, ...] = ("patient", "clinician")
"""Roles that read and write patient records through the record routes."""
PATIENT_WRITABLE = frozenset({"diary_entry", "assessment", "medication_course", "intervention"})
"""What a patient may add to their own record (entity names as in the audit log)."""


def require_role(principal: Principal, *roles: Role) -> None:
    """``Forbidden`` unless the principal has one of ``roles``."""
    if principal.role not in roles:
        raise Forbidden(f"a {principal.role} user may not do this (allowed: {', '.join(roles)})")


def visible_patient_ids(db: Database, principal: Principal) -> frozenset[str]:
    """The patient records ``principal`` may read: a patient their own, a clinician their care
    team, an admin none (admins read the audit log instead)."""
    with db.transaction() as uow:
        return frozenset(_visible(uow, principal))


def _visible(uow: UnitOfWork, principal: Principal) -> list[str]:
    if principal.role == "patient":
        pid = principal.patient_id
        return [pid] if pid and uow.patients.birth_years([pid]) else []
    if principal.role == "clinician":
        user = uow.users.get(principal.username)
        return uow.care_team.patients_of(user.id) if user is not None else []
    return []


def require_record_access(
    db: Database,
    principal: Principal,
    patient_id: str,
    *,
    write: bool,
    entity: str | None = None,
) -> None:
    """Allow ``principal`` to read (``write=False``) or write ``patient_id``'s record, or raise.

    ``entity`` names what is written (``diary_entry``, ``lab_result`` …): a patient may write
    only ``PATIENT_WRITABLE``. ``Forbidden`` when the role may not do this whatever the record;
    ``NotFound`` (the missing-patient message) when this record is not visible.
    """
    action: Literal["read", "update"] = "update" if write else "read"
    try:
        require_role(principal, *RECORD_ROLES)
        if write and principal.role == "patient" and entity not in PATIENT_WRITABLE:
            raise Forbidden(
                f"a patient may add only {', '.join(sorted(PATIENT_WRITABLE))} to their record"
            )
        with db.transaction() as uow:
            visible = patient_id in _visible(uow, principal)
        if not visible:
            raise NotFound(f"patient {patient_id!r} not found")
    except (Forbidden, NotFound) as exc:
        with db.transaction() as uow:
            reason = "role" if isinstance(exc, Forbidden) else "not visible"
            what = f" {entity}" if entity else ""
            record.audit(
                uow,
                principal.username,
                action,
                patient_id,
                "access",
                None,
                f"refused{what}: {reason}",
            )
        raise


def timeline_for(
    db: Database,
    principal: Principal,
    patient_id: str,
    *,
    since: date | None = None,
    until: date | None = None,
    kinds: Iterable[str] | None = None,
) -> record.Timeline:
    """``record.timeline`` for a signed-in user: the access rule first, then the audited read."""
    require_record_access(db, principal, patient_id, write=False)
    return record.timeline(
        db, patient_id, actor=principal.username, since=since, until=until, kinds=kinds
    )
