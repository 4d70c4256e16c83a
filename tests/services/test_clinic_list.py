"""``clinic_list.list_patients`` on SQLite and PostgreSQL: every patient, filters, stale, limit."""

from __future__ import annotations

from datetime import date

import pytest

from immunospine.errors import InputError
from immunospine.services import clinic_list, record, visit
from immunospine.services.audit import audit_trail
from immunospine.storage.uow import Database
from tests.storage.dbfixtures import db, db_url  # noqa: F401

LOW = {"back_pain": 2, "morning_stiffness_duration": 2, "patient_global": 2, "peripheral_pain": 1}
HIGH = {"back_pain": 8, "morning_stiffness_duration": 7, "patient_global": 8, "peripheral_pain": 4}


def _clinic(db: Database) -> None:  # noqa: F811
    for pid, condition in (("A", "axspa"), ("B", "axspa"), ("C", "ra"), ("D", None)):
        record.register_patient(db, pid, 1980, "female", actor="t")
        if condition:
            record.diagnose(db, pid, condition, date(2020, 1, 1), actor="t")
    # A: low then high (ASDAS worsening: a flare); B: one high visit long ago.
    visit.record_visit(
        db,
        "A",
        date(2024, 1, 1),
        {"labs": {"crp_mg_l": 2}, "assessments": {"asdas_crp": LOW}},
        actor="t",
    )
    visit.record_visit(
        db,
        "A",
        date(2024, 4, 1),
        {"labs": {"crp_mg_l": 30}, "assessments": {"asdas_crp": HIGH}},
        actor="t",
    )
    visit.record_visit(
        db,
        "B",
        date(2023, 1, 1),
        {"labs": {"crp_mg_l": 3}, "assessments": {"asdas_crp": LOW}},
        actor="t",
    )


def test_every_patient_with_status_stale_due_and_flares(db: Database) -> None:  # noqa: F811
    _clinic(db)
    listing = clinic_list.list_patients(db, actor="dr.lee", today=date(2024, 5, 1))
    rows = {r.patient_id: r for r in listing.rows}
    assert list(rows) == ["A", "B", "C", "D"] and listing.left_out == 0
    assert rows["A"].status == "off_target" and rows["A"].assessed_on == date(2024, 4, 1)
    assert not rows["A"].stale and rows["A"].due == ("basdai", "basfi")
    assert rows["B"].status == "on_target" and rows["B"].stale
    assert rows["C"].status == "no_data" and rows["C"].due == ("das28",)
    assert rows["D"].target is None and rows["D"].conditions == ()
    read = audit_trail(db, actor="t", by_actor="dr.lee")
    assert sorted(e.patient_id or "" for e in read if e.entity == "patient_list") == [
        "A",
        "B",
        "C",
        "D",
    ]


def test_filters_and_limit(db: Database) -> None:  # noqa: F811
    _clinic(db)
    today = date(2024, 5, 1)

    def ids(**filters: object) -> list[str]:
        listing = clinic_list.list_patients(db, actor="t", today=today, **filters)  # type: ignore[arg-type]
        return [r.patient_id for r in listing.rows]

    assert ids(off_target=True) == ["A"]
    assert ids(flare_since=date(2024, 3, 1)) == ["A"]
    assert ids(flare_since=date(2024, 4, 2)) == []
    assert ids(due=True) == ["A", "B", "C"]
    assert ids(due=True, off_target=True) == ["A"]
    limited = clinic_list.list_patients(db, actor="t", today=today, limit=2)
    assert [r.patient_id for r in limited.rows] == ["A", "B"]
    assert limited.matched == 4 and limited.left_out == 2
    assert limited.rows[1].due == ("basdai", "asdas", "basfi")
    with pytest.raises(InputError):
        clinic_list.list_patients(db, actor="t", today=today, limit=0)


def test_two_targets_show_the_one_needing_action(db: Database) -> None:  # noqa: F811
    _clinic(db)
    record.diagnose(db, "A", "ra", date(2021, 1, 1), actor="t")  # RA too, no DAS28 yet
    record.diagnose(db, "B", "ra", date(2021, 1, 1), actor="t")
    rows = {
        r.patient_id: r
        for r in clinic_list.list_patients(db, actor="t", today=date(2024, 5, 1)).rows
    }
    assert rows["A"].status == "off_target" and rows["A"].target == "ASDAS < 2.1"
    assert rows["B"].status == "no_data" and rows["B"].target == "DAS28 < 3.2"
