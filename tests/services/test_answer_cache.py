"""Kept answers (``answer_cache``): the same JSON as built afresh, reused only while the data is
unchanged, every read still audited; and the audit log's one-row reads of many patients, given
back as one entry per patient. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import func, select

from immunospine.errors import Forbidden, NotFound
from immunospine.records import DiaryEntry, DrugClass, MedicationCourse
from immunospine.services import access, accounts, clinic_list, record, visit
from immunospine.services.answer_cache import AnswerCache, json_bytes
from immunospine.services.audit import audit_trail
from immunospine.storage.tables import AuditRow
from immunospine.storage.uow import Database
from tests.accounts.fixtures import clinic, settings  # noqa: F401
from tests.storage.dbfixtures import db, db_url  # noqa: F401

LOW = {"back_pain": 2, "morning_stiffness_duration": 2, "patient_global": 2, "peripheral_pain": 1}
HIGH = {"back_pain": 8, "morning_stiffness_duration": 7, "patient_global": 8, "peripheral_pain": 4}


def _patient(db: Database, pid: str = "A") -> None:  # noqa: F811
    record.register_patient(db, pid, 1980, "female", actor="t")
    record.diagnose(db, pid, "axspa", date(2020, 1, 1), actor="t")
    visit.record_visit(
        db, pid, date(2024, 1, 1), {"labs": {"crp_mg_l": 3}, "assessments": {"asdas_crp": LOW}},
        actor="t",
    )  # fmt: skip
    record.add_entry(
        db,
        DiaryEntry(patient_id=pid, recorded_at=datetime(2024, 1, 2, 7, 30, tzinfo=UTC), pain_nrs=4),
        actor="t",
    )


def _fresh(db: Database, pid: str, **filters: Any) -> dict[str, object]:  # noqa: F811
    """The timeline read afresh from the database (no kept answer)."""
    kinds = record.timeline_kinds(filters.pop("kinds", None))
    with db.transaction() as uow:
        return record.read_timeline(uow, pid, kinds=kinds, **filters).to_dict()


def _reads(db: Database, entity: str) -> int:  # noqa: F811
    return sum(1 for e in audit_trail(db, actor="auditor", by_actor="dr") if e.entity == entity)


def test_timeline_json_is_the_timeline_and_every_read_is_audited(db: Database) -> None:  # noqa: F811
    _patient(db)
    first = record.timeline_json(db, "A", actor="dr")
    text = json.dumps(_fresh(db, "A"), ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    assert first == text.encode("utf-8")
    assert record.timeline_json(db, "A", actor="dr") is first  # unchanged: the kept text
    assert _reads(db, "timeline") == 2
    diary = record.timeline_json(db, "A", actor="dr", kinds=["diary_entry"])
    assert json.loads(diary) == _fresh(db, "A", kinds=["diary_entry"])
    since = record.timeline_json(db, "A", actor="dr", since=date(2024, 1, 2))
    assert json.loads(since) == _fresh(db, "A", since=date(2024, 1, 2))


def test_a_write_to_the_record_is_seen_at_once(db: Database) -> None:  # noqa: F811
    _patient(db)
    _patient(db, "B")
    before = record.timeline_json(db, "A", actor="dr")
    b_before = record.timeline_json(db, "B", actor="dr")
    course = record.add_entry(
        db,
        MedicationCourse(
            patient_id="A",
            drug="naproxen",
            drug_class=DrugClass.NSAID,
            started_on=date(2024, 1, 3),
        ),
        actor="t",
    )
    added = record.timeline_json(db, "A", actor="dr")
    assert added != before and json.loads(added) == _fresh(db, "A")
    assert record.timeline_json(db, "B", actor="dr") is b_before  # another record: still kept
    record.stop_medication(db, course.id or 0, date(2024, 2, 1), None, actor="t")
    stopped = record.timeline_json(db, "A", actor="dr")
    assert stopped != added and json.loads(stopped) == _fresh(db, "A")
    record.diagnose(db, "A", "ra", date(2023, 1, 1), actor="t")
    diagnosed = record.timeline_json(db, "A", actor="dr")
    assert json.loads(diagnosed)["patient"] == _fresh(db, "A")["patient"]
    assert len(json.loads(diagnosed)["patient"]["diagnoses"]) == 2


def test_timeline_json_for_checks_access_first(clinic: Database) -> None:  # noqa: F811
    clin_a = accounts.Principal("clin-a", "clinician", None)
    body = access.timeline_json_for(clinic, clin_a, "A")
    assert json.loads(body) == _fresh(clinic, "A")
    assert access.timeline_json_for(clinic, clin_a, "A") is body
    for who, pid in ((clin_a, "B"), (accounts.Principal("patient-a", "patient", "A"), "B")):
        with pytest.raises(NotFound, match=r"^patient 'B' not found$"):
            access.timeline_json_for(clinic, who, pid)
    with pytest.raises(Forbidden):
        access.timeline_json_for(clinic, accounts.Principal("admin", "admin", None), "A")
    trail = audit_trail(clinic, actor="auditor")
    assert [(e.actor, e.patient_id, e.entity, e.detail) for e in trail[-4:]] == [
        ("clin-a", "A", "timeline", None),
        ("clin-a", "B", "access", "refused: not visible"),
        ("patient-a", "B", "access", "refused: not visible"),
        ("admin", "A", "access", "refused: role"),
    ]


def test_the_list_is_reused_until_the_clinic_changes(db: Database) -> None:  # noqa: F811
    _patient(db)
    _patient(db, "B")
    today = date(2024, 5, 1)
    first = clinic_list.list_patients(db, actor="dr", today=today)
    assert clinic_list.list_patients(db, actor="dr", today=today) is first
    assert clinic_list.list_patients(db, actor="dr", today=date(2024, 5, 2)) is not first
    visit.record_visit(
        db, "B", date(2024, 4, 1), {"labs": {"crp_mg_l": 30}, "assessments": {"asdas_crp": HIGH}},
        actor="t",
    )  # fmt: skip
    changed = clinic_list.list_patients(db, actor="dr", today=today, off_target=True)
    assert [r.patient_id for r in changed.rows] == ["B"]
    record.register_patient(db, "C", 1990, "male", actor="t")
    assert clinic_list.list_patients(db, actor="dr", today=today).total_patients == 3
    with db.transaction() as uow:
        text = clinic_list.read_list_json(uow, actor="dr", today=today)
        listing = clinic_list.read_list(uow, actor="dr", today=today)
    assert text == json_bytes(listing.to_dict())
    assert json.loads(text) == clinic_list.list_patients(db, actor="dr", today=today).to_dict()
    only_a = clinic_list.list_patients(db, actor="dr", today=today, only={"A"})
    assert [r.patient_id for r in only_a.rows] == ["A"]
    # every list read is audited with each patient shown, kept answer or not
    shown = [e.patient_id for e in audit_trail(db, actor="a", by_actor="dr")]
    assert shown == ["A", "B", "A", "B", "A", "B", "B", *["A", "B", "C"] * 4, "A"]


def test_a_read_of_many_patients_is_one_row_given_back_per_patient(db: Database) -> None:  # noqa: F811
    at = datetime(2024, 5, 1, 8, 0, tzinfo=UTC)
    with db.transaction() as uow:
        uow.audit.append_for_patients(
            at=at, actor="dr", action="read", entity="patient_list", patient_ids=["P-1", "p-1", "Q"]
        )
        uow.audit.append_for_patients(
            at=at, actor="dr", action="read", entity="schedule", patient_ids=["Q"]
        )
        uow.audit.append_for_patients(
            at=at, actor="dr", action="read", entity="schedule", patient_ids=[]
        )
        rows = uow.session.execute(select(func.count()).select_from(AuditRow)).scalar_one()
        assert rows == 2  # one row for the three, one for the one, none for none
        every = uow.audit.query()
        assert [(e.patient_id, e.entity, e.detail) for e in every] == [
            ("P-1", "patient_list", None),
            ("p-1", "patient_list", None),
            ("Q", "patient_list", None),
            ("Q", "schedule", None),
        ]
        assert [e.patient_id for e in uow.audit.query(patient_id="P-1")] == ["P-1"]  # case
        assert [e.entity for e in uow.audit.query(patient_id="Q")] == ["patient_list", "schedule"]
        assert uow.audit.query(patient_id="P") == []
        assert uow.audit.query(patient_id='", "') == []  # not an id: only its own rows
        assert [e.patient_id for e in uow.audit.query(limit=2)] == ["P-1", "p-1"]


def test_answer_cache_bounds() -> None:
    class Uow:  # what the cache reads of a unit of work: the session's engine
        def __init__(self, bind: object) -> None:
            self.session = self
            self.bind = bind

        def get_bind(self) -> object:
            return self.bind

    engine = type("Engine", (), {})()
    uow = Uow(engine)
    cache: AnswerCache[bytes] = AnswerCache(max_entries=2, max_bytes=10)
    cache.put(uow, "a", 1, b"aaaa", 4)  # type: ignore[arg-type]
    cache.put(uow, "b", 1, b"bbbb", 4)  # type: ignore[arg-type]
    assert cache.get(uow, "a", 1) == b"aaaa"  # type: ignore[arg-type]
    cache.put(uow, "c", 1, b"cccc", 4)  # type: ignore[arg-type]  # drops b (least recent)
    assert cache.get(uow, "b", 1) is None  # type: ignore[arg-type]
    assert cache.get(uow, "a", 2) is None  # type: ignore[arg-type]  # another revision
    assert cache.get(uow, "a", 1) is None  # type: ignore[arg-type]  # … dropped it
    cache.put(uow, "big", 1, b"x" * 11, 11)  # type: ignore[arg-type]  # larger than the bound
    assert cache.get(uow, "big", 1) is None  # type: ignore[arg-type]
    cache.put(uow, "c", 2, b"cc", 2)  # type: ignore[arg-type]
    assert cache.get(uow, "c", 2) == b"cc"  # type: ignore[arg-type]
    cache.clear()
    assert cache.get(uow, "c", 2) is None  # type: ignore[arg-type]


def test_json_bytes_writes_what_the_standard_library_writes() -> None:
    value = {"é": [1, 2.5, 1e-05, None, True, "a\u2028b\n"], "n": 10**30}
    expected = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    assert json.loads(json_bytes(value)) == json.loads(expected)
    assert json_bytes({"n": 10**30}) == b'{"n":1000000000000000000000000000000}'


def test_the_timeline_records_are_kept_until_the_record_changes(db: Database) -> None:  # noqa: F811
    _patient(db)
    first = record.timeline(db, "A", actor="dr")
    assert record.timeline(db, "A", actor="dr") is first  # unchanged: the kept timeline
    assert first.to_dict() == _fresh(db, "A")
    assert _reads(db, "timeline") == 2  # every read audited
    record.add_entry(
        db,
        DiaryEntry(patient_id="A", recorded_at=datetime(2024, 1, 5, 7, 0, tzinfo=UTC), pain_nrs=7),
        actor="t",
    )
    after = record.timeline(db, "A", actor="dr")
    assert after is not first and after.to_dict() == _fresh(db, "A")
    assert len(after.entries) == len(first.entries) + 1
    with pytest.raises(NotFound):
        record.timeline(db, "nobody", actor="dr")
