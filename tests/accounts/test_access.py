"""Authorisation at the service level (web-contract.md "Who may do what"), on both databases.

The matrix: {patient A, patient B, clinician of A, clinician of neither, admin} × {read A,
write A} with the exact outcome. A record the caller may not see is answered word for word as a
missing patient; a role that may not do something at all gets Forbidden whatever the id.
"""

from __future__ import annotations

import pytest

from immunospine.errors import Forbidden, NotFound
from immunospine.services import access, accounts
from immunospine.services.audit import audit_trail
from immunospine.storage.uow import Database
from tests.accounts.fixtures import USERS, clinic, settings  # noqa: F401
from tests.storage.dbfixtures import db, db_url  # noqa: F401


def _principal(name: str) -> accounts.Principal:
    role, pid = USERS[name]
    return accounts.Principal(name, role, pid)  # type: ignore[arg-type]


MATRIX = {
    # user:        (read A,    write A diary entry, write A lab result)
    "patient-a": ("ok", "ok", Forbidden),
    "patient-b": (NotFound, NotFound, Forbidden),
    "clin-a": ("ok", "ok", "ok"),
    "clin-none": (NotFound, NotFound, NotFound),
    "admin": (Forbidden, Forbidden, Forbidden),
}


def _outcome(
    handle: Database, name: str, patient_id: str, *, write: bool, entity: str | None
) -> object:
    try:
        access.require_record_access(
            handle, _principal(name), patient_id, write=write, entity=entity
        )
    except (NotFound, Forbidden) as exc:
        return type(exc)
    return "ok"


@pytest.mark.parametrize("name", list(MATRIX))
def test_authorisation_matrix(clinic: Database, name: str) -> None:  # noqa: F811
    got = (
        _outcome(clinic, name, "A", write=False, entity=None),
        _outcome(clinic, name, "A", write=True, entity="diary_entry"),
        _outcome(clinic, name, "A", write=True, entity="lab_result"),
    )
    assert got == MATRIX[name]


@pytest.mark.parametrize("name", ["patient-b", "clin-none"])
def test_invisible_record_looks_exactly_like_a_missing_one(clinic: Database, name: str) -> None:  # noqa: F811
    messages = []
    for pid in ("A", "ZZ-missing"):
        with pytest.raises(NotFound) as exc:
            access.timeline_for(clinic, _principal(name), pid)
        messages.append(str(exc.value).replace(pid, "ID"))
    assert messages[0] == messages[1] == "patient 'ID' not found"


def test_forbidden_does_not_depend_on_the_id(clinic: Database) -> None:  # noqa: F811
    for pid in ("A", "B", "ZZ-missing"):
        with pytest.raises(Forbidden) as exc:
            access.require_record_access(clinic, _principal("admin"), pid, write=False)
        assert pid not in str(exc.value)


def test_visible_patient_ids(clinic: Database) -> None:  # noqa: F811
    seen = {n: access.visible_patient_ids(clinic, _principal(n)) for n in MATRIX}
    assert seen == {
        "patient-a": {"A"},
        "patient-b": {"B"},
        "clin-a": {"A"},
        "clin-none": set(),
        "admin": set(),
    }


def test_require_role(clinic: Database) -> None:  # noqa: F811
    access.require_role(_principal("clin-a"), "clinician", "admin")
    with pytest.raises(Forbidden, match="patient user may not"):
        access.require_role(_principal("patient-a"), "clinician", "admin")


def test_timeline_for_reads_as_the_user_and_refusals_are_audited(clinic: Database) -> None:  # noqa: F811
    tl = access.timeline_for(clinic, _principal("clin-a"), "A")
    assert tl.patient.patient_id == "A"
    with pytest.raises(NotFound):
        access.timeline_for(clinic, _principal("patient-b"), "A")
    entries = audit_trail(clinic, actor="t", patient_id="A")
    reads = [(e.actor, e.entity, e.detail) for e in entries if e.action == "read"]
    assert ("clin-a", "timeline", None) in reads
    assert ("patient-b", "access", "refused: not visible") in reads
    assert not any(e.actor == "patient-b" and e.entity == "timeline" for e in entries)
