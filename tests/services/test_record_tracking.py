"""Response, flares, treat-to-target and the questionnaire schedule, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from immunospine.errors import InputError
from immunospine.records import Condition, Diagnosis, DiaryEntry, LabResult, LabTest, Patient
from immunospine.services import audit, record, tracking
from immunospine.storage.uow import Database
from tests.storage.dbfixtures import db, db_url  # noqa: F401

BASE, FOLLOW = date(2021, 1, 4), date(2021, 4, 5)


def _add(db: Database, pid: str, *conditions: Condition) -> None:  # noqa: F811
    dx = tuple(Diagnosis(condition=c, diagnosed_on=date(2018, 1, 1)) for c in conditions)
    record.add_patient(db, Patient(patient_id=pid, year_of_birth=1978, diagnoses=dx), actor="dr")


def _asdas(db: Database, pid: str, on: date, bp: float, crp: float, *, glob: float = 6) -> None:  # noqa: F811
    inputs = {
        "back_pain": bp,
        "morning_stiffness_duration": 5,
        "patient_global": glob,
        "peripheral_pain": 2,
        "crp_mg_l": crp,
    }
    record.record_assessment(db, pid, "asdas_crp", inputs, on, actor="dr")


def _basdai(db: Database, pid: str, on: date, q: float, q5: float | None = None) -> None:  # noqa: F811
    items = {f"q{i}": q for i in range(1, 7)}
    if q5 is not None:
        items["q5"] = items["q6"] = q5
    record.record_assessment(db, pid, "basdai", items, on, actor="dr")


def _das28(db: Database, pid: str, on: date, tjc: int, sjc: int, esr: float, gh: float) -> None:  # noqa: F811
    inputs = {
        "tender_joints_28": tjc,
        "swollen_joints_28": sjc,
        "esr_mm_h": esr,
        "patient_global_health": gh,
    }
    record.record_assessment(db, pid, "das28_esr", inputs, on, actor="dr")


def test_response_between_two_visits(db: Database) -> None:  # noqa: F811
    _add(db, "AX", Condition.AXIAL_SPONDYLOARTHRITIS)
    _asdas(db, "AX", BASE, 7, 30, glob=6)
    _basdai(db, "AX", BASE, 6, q5=6)
    record.record_assessment(
        db, "AX", "basfi", {f"q{i}": 5 for i in range(1, 11)}, BASE, actor="dr"
    )
    _asdas(db, "AX", FOLLOW, 4, 3, glob=3)
    _basdai(db, "AX", FOLLOW, 2.5, q5=3)
    record.record_assessment(
        db, "AX", "basfi", {f"q{i}": 4.5 for i in range(1, 11)}, FOLLOW, actor="dr"
    )
    record.add_entry(
        db,
        LabResult(patient_id="AX", collected_on=FOLLOW, test=LabTest.CRP, unit="mg/L", value=2.5),
        actor="lab",
    )
    report = tracking.response_between(db, "AX", BASE, FOLLOW, actor="dr")
    r = report.results
    assert r["asdas_response"].components["change"] < -1.1
    assert r["asdas_response"].category in ("clinically_important_improvement", "major_improvement")
    assert r["asas20"].verdict == "met" and r["asas40"].verdict == "met"
    assert r["basdai50"].verdict == "met"
    assert "eular_response" in report.not_computed  # no DAS28 for this patient
    assert "asas_5of6" in report.not_computed  # no spinal mobility measured
    assert "lateral_spinal_flexion_cm" in report.not_computed["asas_5of6"]
    assert report.to_dict()["results"]["asas20"]["name"] == "asas20"
    with pytest.raises(InputError):
        tracking.response_between(db, "AX", FOLLOW, BASE, actor="dr")


def test_eular_response_for_ra(db: Database) -> None:  # noqa: F811
    _add(db, "RA", Condition.RHEUMATOID_ARTHRITIS)
    _das28(db, "RA", BASE, 8, 5, 30, 50)
    _das28(db, "RA", FOLLOW, 2, 1, 12, 20)
    report = tracking.response_between(db, "RA", BASE, FOLLOW, actor="dr")
    assert report.results["eular_response"].category == "good"


def test_flares(db: Database) -> None:  # noqa: F811
    _add(db, "FL", Condition.AXIAL_SPONDYLOARTHRITIS)
    _asdas(db, "FL", date(2021, 1, 1), 2, 2)  # ≈ 1.6
    _asdas(db, "FL", date(2021, 4, 1), 3, 3)  # small rise: no flare
    _asdas(db, "FL", date(2021, 7, 1), 8, 40)  # big rise: flare
    _basdai(db, "FL", date(2021, 1, 1), 3.9)
    _basdai(db, "FL", date(2021, 4, 1), 4.0)  # 3.9 → 4.0 crosses 4
    _basdai(db, "FL", date(2021, 7, 1), 6.0)  # already ≥ 4: not a new crossing
    record.add_entry(
        db,
        DiaryEntry(
            patient_id="FL",
            recorded_at=datetime(2021, 5, 3, 8, tzinfo=UTC),
            flare=True,
            note="hips",
        ),
        actor="pt",
    )
    record.add_entry(
        db,
        DiaryEntry(patient_id="FL", recorded_at=datetime(2021, 5, 4, 8, tzinfo=UTC), pain_nrs=3),
        actor="pt",
    )
    events = tracking.detect_flares(db, "FL", actor="dr")
    assert [(e.on, e.kind) for e in events] == [
        (date(2021, 4, 1), "basdai_crossed_4"),
        (date(2021, 5, 3), "patient_marked"),
        (date(2021, 7, 1), "asdas_worsening"),
    ]
    assert events[1].detail == "hips"


def test_asdas_worsening_threshold_is_0_9(db: Database) -> None:  # noqa: F811
    _add(db, "W", Condition.AXIAL_SPONDYLOARTHRITIS)
    # back_pain coefficient 0.121: +7 units = +0.847 (no flare), then +8 more = +0.968 (flare)
    _asdas(db, "W", date(2021, 1, 1), 0, 2)
    _asdas(db, "W", date(2021, 2, 1), 7, 2)
    _asdas(db, "W", date(2021, 3, 1), 0, 2)
    _asdas(db, "W", date(2021, 4, 1), 8, 2)
    events = tracking.detect_flares(db, "W", actor="dr")
    assert [e.on for e in events] == [date(2021, 4, 1)]


def test_treat_to_target_uses_latest_relevant_score(db: Database) -> None:  # noqa: F811
    _add(db, "A-ON", Condition.AXIAL_SPONDYLOARTHRITIS)
    _asdas(db, "A-ON", date(2020, 1, 1), 8, 40)  # high, then
    _asdas(db, "A-ON", date(2021, 1, 1), 1, 1, glob=1)  # inactive: on target
    _add(db, "A-OFF", Condition.AXIAL_SPONDYLOARTHRITIS)
    _asdas(db, "A-OFF", date(2020, 1, 1), 1, 1, glob=1)
    _asdas(db, "A-OFF", date(2021, 1, 1), 8, 40)
    _basdai(db, "A-OFF", date(2021, 6, 1), 1)  # not a relevant score for the ASDAS target
    _add(db, "A-NONE", Condition.AXIAL_SPONDYLOARTHRITIS)
    _add(db, "R-OFF", Condition.RHEUMATOID_ARTHRITIS)
    _das28(db, "R-OFF", date(2021, 1, 1), 8, 5, 30, 50)
    _add(db, "BOTH", Condition.RHEUMATOID_ARTHRITIS, Condition.AXIAL_SPONDYLOARTHRITIS)
    _das28(db, "BOTH", date(2021, 1, 1), 0, 0, 5, 5)  # RA on target
    _asdas(db, "BOTH", date(2021, 1, 1), 8, 40)  # axSpA off target
    _add(db, "MECH", Condition.MECHANICAL_BACK_PAIN)

    status = {(s.patient_id, s.target): s.status for s in tracking.treat_to_target(db, actor="dr")}
    assert status == {
        ("A-NONE", "ASDAS < 2.1"): "no_data",
        ("A-OFF", "ASDAS < 2.1"): "off_target",
        ("A-ON", "ASDAS < 2.1"): "on_target",
        ("BOTH", "ASDAS < 2.1"): "off_target",
        ("BOTH", "DAS28 < 3.2"): "on_target",
        ("R-OFF", "DAS28 < 3.2"): "off_target",
    }
    off = tracking.off_target(db, actor="lead")
    assert [(s.patient_id, s.calculator) for s in off] == [
        ("A-OFF", "asdas_crp"),
        ("BOTH", "asdas_crp"),
        ("R-OFF", "das28_esr"),
    ]
    assert off[0].assessed_on == date(2021, 1, 1)
    trail = audit.audit_trail(db, actor="auditor", by_actor="lead")
    assert sorted(a.patient_id or "" for a in trail if a.entity == "treat_to_target") == [
        "A-OFF",
        "BOTH",
        "R-OFF",
    ]
    # configurable: with a stricter target (ASDAS < 0.5) A-ON's latest 1.30 is off target too
    strict = tracking.Target(Condition.AXIAL_SPONDYLOARTHRITIS, ("asdas_crp",), 0.5, "ASDAS < 0.5")
    assert {s.patient_id for s in tracking.off_target(db, actor="dr", targets=[strict])} == {
        "A-ON",
        "A-OFF",
        "BOTH",
    }


def test_due_questionnaires(db: Database) -> None:  # noqa: F811
    _add(db, "AX", Condition.AXIAL_SPONDYLOARTHRITIS)
    _asdas(db, "AX", date(2021, 1, 1), 3, 3)
    _basdai(db, "AX", date(2021, 3, 1), 3)
    record.record_assessment(
        db, "AX", "basfi", {f"q{i}": 2 for i in range(1, 11)}, date(2021, 3, 1), actor="dr"
    )
    _add(db, "RA", Condition.RHEUMATOID_ARTHRITIS)
    today = date(2021, 4, 2)  # 91 days after 1 January
    due = {
        (d.patient_id, d.questionnaire): d
        for d in tracking.due_questionnaires(db, actor="dr", today=today)
    }
    assert set(due) == {("AX", "asdas"), ("RA", "das28")}
    assert due["AX", "asdas"].due_on == date(2021, 4, 2) and due["AX", "asdas"].last_on == date(
        2021, 1, 1
    )
    assert due["RA", "das28"].last_on is None and due["RA", "das28"].due_on == today
    earlier = tracking.due_questionnaires(db, actor="dr", today=date(2021, 4, 1))
    assert [(d.patient_id, d.questionnaire) for d in earlier] == [("RA", "das28")]
    monthly = [tracking.ScheduleRule(Condition.AXIAL_SPONDYLOARTHRITIS, "basdai", ("basdai",), 28)]
    got = tracking.due_questionnaires(
        db, actor="dr", today=today, schedule=monthly, patient_id="AX"
    )
    assert [(d.questionnaire, d.due_on) for d in got] == [("basdai", date(2021, 3, 29))]
