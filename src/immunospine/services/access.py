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

from collections.abc import Callable, Iterable
from datetime import date
from typing import Literal

from immunospine.errors import Forbidden, NotFound
from immunospine.services import clinic_list, record
from immunospine.services.accounts import Principal, Role
from immunospine.storage.uow import Database, UnitOfWork

__all__ = [
    "PATIENT_WRITABLE",
    "RECORD_ROLES",
    "check_record_access",
    "patient_list_for",
    "patient_list_json_for",
    "require_record_access",
    "require_role",
    "timeline_for",
    "timeline_json_for",
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
        return uow.clinic.care_team_of(principal.username)
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
    with db.transaction() as uow:
        refusal = check_record_access(uow, principal, patient_id, write=write, entity=entity)
    if refusal is not None:
        raise refusal


def check_record_access(
    uow: UnitOfWork,
    principal: Principal,
    patient_id: str,
    *,
    write: bool,
    entity: str | None = None,
) -> Forbidden | NotFound | None:
    """``require_record_access`` inside an open transaction: ``None`` when allowed, else the
    refusal to raise, already audited in this transaction (so commit it, then raise)."""
    refusal: Forbidden | NotFound | None = None
    if principal.role not in RECORD_ROLES:
        refusal = Forbidden(
            f"a {principal.role} user may not do this (allowed: {', '.join(RECORD_ROLES)})"
        )
    elif write and principal.role == "patient" and entity not in PATIENT_WRITABLE:
        refusal = Forbidden(
            f"a patient may add only {', '.join(sorted(PATIENT_WRITABLE))} to their record"
        )
    elif not _may_see(uow, principal, patient_id):
        refusal = NotFound(f"patient {patient_id!r} not found")
    if refusal is not None:
        reason = "role" if isinstance(refusal, Forbidden) else "not visible"
        what = f" {entity}" if entity else ""
        action: Literal["read", "update"] = "update" if write else "read"
        record.audit(
            uow, principal.username, action, patient_id, "access", None, f"refused{what}: {reason}"
        )
    return refusal


def _may_see(uow: UnitOfWork, principal: Principal, patient_id: str) -> bool:
    """``patient_id in _visible(uow, principal)``, without listing a whole care team."""
    if principal.role == "patient":
        return principal.patient_id == patient_id and bool(uow.patients.birth_years([patient_id]))
    if principal.role == "clinician":
        return uow.clinic.in_care_team(principal.username, patient_id)
    return False


def timeline_for(
    db: Database,
    principal: Principal,
    patient_id: str,
    *,
    since: date | None = None,
    until: date | None = None,
    kinds: Iterable[str] | None = None,
) -> record.Timeline:
    """``record.timeline`` for a signed-in user: the access rule first, then the audited read,
    in one transaction."""
    with db.transaction() as uow:
        refusal = check_record_access(uow, principal, patient_id, write=False)
        if refusal is None:
            wanted = record.timeline_kinds(kinds)
            record.audit(uow, principal.username, "read", patient_id, "timeline")
            return record.read_timeline(uow, patient_id, since=since, until=until, kinds=wanted)
    raise refusal


def timeline_json_for(
    db: Database,
    principal: Principal,
    patient_id: str,
    *,
    since: date | None = None,
    until: date | None = None,
    kinds: Iterable[str] | None = None,
    also: Callable[[UnitOfWork], None] | None = None,
) -> bytes:
    """``timeline_for(...).to_dict()`` as compact JSON (``record.timeline_json``: reused while
    the record is unchanged), authorised and audited in one transaction; ``also`` is a last
    step of that transaction when the read succeeds (``audit.request_audit``)."""
    with db.transaction() as uow:
        refusal = check_record_access(uow, principal, patient_id, write=False)
        if refusal is None:
            wanted = record.timeline_kinds(kinds)
            record.audit(uow, principal.username, "read", patient_id, "timeline")
            body = record.cached_timeline_json(
                uow, patient_id, since=since, until=until, kinds=wanted
            )
            if also is not None:
                also(uow)
            return body
    raise refusal


def patient_list_for(
    db: Database,
    principal: Principal,
    *,
    today: date,
    off_target: bool = False,
    flare_since: date | None = None,
    due: bool = False,
    limit: int | None = None,
    also: Callable[[UnitOfWork], None] | None = None,
) -> clinic_list.PatientList:
    """``clinic_list.list_patients`` of the patients ``principal`` may see
    (``visible_patient_ids``), in one transaction with the audit of the shown patients;
    ``also`` is a last step of that transaction (``audit.request_audit``)."""
    with db.transaction() as uow:
        listing = clinic_list.read_list(
            uow,
            actor=principal.username,
            today=today,
            off_target=off_target,
            flare_since=flare_since,
            due=due,
            limit=limit,
            only=frozenset(_visible(uow, principal)),
        )
        if also is not None:
            also(uow)
    return listing


def patient_list_json_for(
    db: Database,
    principal: Principal,
    *,
    today: date,
    off_target: bool = False,
    flare_since: date | None = None,
    due: bool = False,
    limit: int | None = None,
    also: Callable[[UnitOfWork], None] | None = None,
) -> bytes:
    """``patient_list_for(...).to_dict()`` as compact JSON (``clinic_list.read_list_json``)."""
    with db.transaction() as uow:
        body = clinic_list.read_list_json(
            uow,
            actor=principal.username,
            today=today,
            off_target=off_target,
            flare_since=flare_since,
            due=due,
            limit=limit,
            only=frozenset(_visible(uow, principal)),
        )
        if also is not None:
            also(uow)
    return body
