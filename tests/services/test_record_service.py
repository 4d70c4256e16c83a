"""Entry, timeline and audit through the services, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from sqlalchemy import delete, text, update

from immunospine.errors import InputError, NotFound, StorageError
from immunospine.knowledge import calculate
from immunospine.records import (
    Condition,
    Diagnosis,
    DiaryEntry,
    DrugClass,
    ImagingFinding,
    ImagingModality,
    Intervention,
    InterventionKind,
    LabResult,
    LabTest,
    MedicationCourse,
    Patient,
    StopReason,
)
from immunospine.services import audit, record
from immunospine.storage.tables import AuditRow
from immunospine.storage.uow import Database
from tests.storage.dbfixtures import db, db_url  # noqa: F401

ASDAS = {
    "back_pain": 6,
    "morning_stiffness_duration": 5,
    "patient_global": 6,
    "peripheral_pain": 4,
    "crp_mg_l": 10,
}
CET = timezone(timedelta(hours=1))


def _patient(db: Database, pid: str = "P1", born: int = 1980) -> Patient:  # noqa: F811
    p = Patient(
        patient_id=pid,
        year_of_birth=born,
        diagnoses=(
            Diagnosis(condition=Condition.AXIAL_SPONDYLOARTHRITIS, diagnosed_on=date(2015, 1, 1)),
        ),
    )
    return record.add_patient(db, p, actor="dr.a")


def _counts(db: Database) -> dict[str, int]:  # noqa: F811
    with db.transaction() as uow:
        tables = [
            "patients",
            "diagnoses",
            "assessments",
            "lab_results",
            "diary_entries",
            "medication_courses",
        ]
        return {
            t: uow.session.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()  # noqa: S608
            for t in tables
        }


def test_assessment_is_scored_and_stored_with_inputs_and_version(db: Database) -> None:  # noqa: F811
    _patient(db)
    a = record.record_assessment(db, "P1", "asdas_crp", ASDAS, date(2020, 1, 1), actor="dr.a")
    assert a.id is not None
    expected = calculate("asdas_crp", **ASDAS)
    assert a.score == pytest.approx(expected.score) and a.category == "high"
    assert a.version == expected.version and a.inputs == ASDAS
    again = calculate(a.calculator, **a.inputs)  # recomputable from what was stored
    assert again.score == pytest.approx(a.score)
    (entry,) = record.timeline(db, "P1", actor="dr.a").of_kind("assessment")
    assert entry.record == a


def test_bad_assessment_input_names_record_and_field(db: Database) -> None:  # noqa: F811
    _patient(db)
    before = _counts(db)
    with pytest.raises(InputError) as exc:
        record.record_assessment(
            db, "P1", "asdas_crp", {**ASDAS, "crp_mg_l": -1}, date(2020, 1, 1), actor="dr.a"
        )
    assert exc.value.problems[0].loc == ("assessment", "inputs", "crp_mg_l")
    assert _counts(db) == before


def test_dates_before_birth_are_refused_and_nothing_is_written(db: Database) -> None:  # noqa: F811
    _patient(db, born=1980)
    before = _counts(db)
    audit_before = len(audit.audit_trail(db, actor="auditor"))
    cases = [
        (
            LabResult(
                patient_id="P1",
                collected_on=date(1979, 12, 31),
                test=LabTest.CRP,
                unit="mg/L",
                value=3.0,
            ),
            ("lab_result", "collected_on"),
        ),
        (
            DiaryEntry(patient_id="P1", recorded_at=datetime(1979, 6, 1, tzinfo=UTC)),
            ("diary_entry", "recorded_at"),
        ),
        (
            MedicationCourse(
                patient_id="P1",
                drug="naproxen",
                drug_class=DrugClass.NSAID,
                started_on=date(1970, 1, 1),
            ),
            ("medication_course", "started_on"),
        ),
    ]
    for rec, loc in cases:
        with pytest.raises(InputError) as exc:
            record.add_entry(db, rec, actor="dr.a")
        assert exc.value.problems[0].loc == loc
    with pytest.raises(InputError) as exc:
        record.record_assessment(db, "P1", "asdas_crp", ASDAS, date(1979, 1, 1), actor="dr.a")
    assert exc.value.problems[0].loc == ("assessment", "assessed_on")
    assert _counts(db) == before
    # the failed writes left no audit entries either (only the two audit-trail reads)
    assert len(audit.audit_trail(db, actor="auditor")) == audit_before + 1


def test_unknown_patient_and_duplicates(db: Database) -> None:  # noqa: F811
    with pytest.raises(NotFound):
        record.add_entry(
            db,
            DiaryEntry(patient_id="NOPE", recorded_at=datetime(2020, 1, 1, tzinfo=UTC)),
            actor="x",
        )
    with pytest.raises(NotFound):
        record.timeline(db, "NOPE", actor="x")
    _patient(db)
    with pytest.raises(InputError) as exc:
        _patient(db)
    assert exc.value.problems[0].loc == ("patient", "patient_id")
    with pytest.raises(InputError) as exc:
        record.get_patient(db, "P1", actor="  ")
    assert exc.value.problems[0].loc == ("actor",)


def test_bulk_diary_is_all_or_nothing(db: Database) -> None:  # noqa: F811
    _patient(db)
    good = [
        DiaryEntry(
            patient_id="P1", recorded_at=datetime(2020, 1, 1, 8, tzinfo=CET) + timedelta(hours=i)
        )
        for i in range(50)
    ]
    bad = DiaryEntry(patient_id="P1", recorded_at=datetime(1950, 1, 1, tzinfo=UTC))
    with pytest.raises(InputError):
        record.add_diary_entries(db, [*good, bad], actor="import", chunk_size=7)
    assert _counts(db)["diary_entries"] == 0
    seen: list[int] = []
    assert (
        record.add_diary_entries(db, good, actor="import", chunk_size=7, on_progress=seen.append)
        == 50
    )
    assert seen[-1] == 50 and len(seen) == 8
    trail = audit.audit_trail(db, actor="auditor", patient_id="P1", by_actor="import")
    assert [(a.action, a.entity, a.detail) for a in trail] == [
        ("create", "diary_entry", "bulk: 50 entries")
    ]


def test_timeline_is_in_date_order_with_typed_entries(db: Database) -> None:  # noqa: F811
    _patient(db)
    record.add_entry(
        db,
        DiaryEntry(
            patient_id="P1", recorded_at=datetime(2020, 3, 2, 21, 0, tzinfo=CET), pain_nrs=5
        ),
        actor="pt",
    )
    record.add_entry(
        db,
        DiaryEntry(patient_id="P1", recorded_at=datetime(2020, 3, 2, 7, 0, tzinfo=CET), pain_nrs=7),
        actor="pt",
    )
    # 23:30 at UTC-5 is already 3 March in UTC, but the diary day is 2 March
    record.add_entry(
        db,
        DiaryEntry(
            patient_id="P1",
            recorded_at=datetime(2020, 3, 2, 23, 30, tzinfo=timezone(timedelta(hours=-5))),
        ),
        actor="pt",
    )
    record.record_assessment(db, "P1", "asdas_crp", ASDAS, date(2020, 3, 2), actor="dr.a")
    record.add_entry(
        db,
        LabResult(
            patient_id="P1", collected_on=date(2020, 1, 15), test=LabTest.HLA_B27, positive=True
        ),
        actor="lab",
    )
    record.add_entry(
        db,
        ImagingFinding(
            patient_id="P1",
            performed_on=date(2019, 5, 1),
            modality=ImagingModality.RADIOGRAPH_SACROILIAC,
            grade_left=2,
            grade_right=2,
        ),
        actor="rad",
    )
    course = record.add_entry(
        db,
        MedicationCourse(
            patient_id="P1",
            drug="adalimumab",
            drug_class=DrugClass.TNF_INHIBITOR,
            dose=40,
            dose_unit="mg",
            started_on=date(2020, 2, 1),
        ),
        actor="dr.a",
    )
    record.add_entry(
        db,
        Intervention(
            patient_id="P1",
            kind=InterventionKind.EXERCISE,
            performed_on=date(2020, 2, 10),
            activity="swimming",
            duration_min=30,
        ),
        actor="pt",
    )
    tl = record.timeline(db, "P1", actor="dr.a")
    kinds = [e.kind for e in tl.entries]
    assert kinds == [
        "imaging_finding",
        "lab_result",
        "medication_course",
        "intervention",
        "assessment",
        "diary_entry",
        "diary_entry",
        "diary_entry",
    ]
    assert [e.on for e in tl.entries] == sorted(e.on for e in tl.entries)
    diary = [e.record for e in tl.of_kind("diary_entry")]
    assert [d.pain_nrs for d in diary[:2]] == [7, 5]
    assert diary[2].recorded_at.utcoffset() == timedelta(hours=-5)
    assert tl.to_dict()["entries"][0]["record"]["modality"] == "radiograph_sij"
    stopped = record.stop_medication(
        db, course.id or 0, date(2020, 9, 1), StopReason.INEFFICACY, actor="dr.a"
    )
    assert stopped.stopped_on == date(2020, 9, 1)
    with pytest.raises(InputError) as exc:
        record.stop_medication(db, course.id or 0, date(2020, 1, 1), None, actor="dr.a")
    assert exc.value.problems[0].loc == ("medication_course", "stopped_on")
    (course_entry,) = record.timeline(db, "P1", actor="dr.a").of_kind("medication_course")
    assert course_entry.record == stopped
    section = record.timeline(
        db, "P1", actor="dr.a", since=date(2020, 3, 1), until=date(2020, 3, 2)
    )
    assert {e.kind for e in section.entries} == {"assessment", "diary_entry"}


def test_reads_and_writes_are_audited_and_queryable(db: Database) -> None:  # noqa: F811
    start = datetime.now(UTC) - timedelta(seconds=1)
    _patient(db, "P1")
    _patient(db, "P2")
    record.record_assessment(
        db, "P1", "basdai", {f"q{i}": 3 for i in range(1, 7)}, date(2021, 1, 1), actor="nurse.b"
    )
    record.timeline(db, "P1", actor="dr.a")
    record.get_patient(db, "P2", actor="nurse.b")
    trail = audit.audit_trail(db, actor="auditor", patient_id="P1")
    assert [(a.actor, a.action, a.entity) for a in trail] == [
        ("dr.a", "create", "patient"),
        ("nurse.b", "create", "assessment"),
        ("dr.a", "read", "timeline"),
    ]
    assert all(a.at.tzinfo is not None and start <= a.at for a in trail)
    by_nurse = audit.audit_trail(db, actor="auditor", by_actor="nurse.b")
    assert {(a.patient_id, a.action) for a in by_nurse} == {("P1", "create"), ("P2", "read")}
    assert audit.audit_trail(db, actor="auditor", until=start) == []
    # the audit query itself was audited
    assert audit.audit_trail(db, actor="x", by_actor="auditor")[0].entity == "audit_log"
    with pytest.raises(InputError):
        audit.audit_trail(db, actor="auditor", since=datetime(2020, 1, 1))  # noqa: DTZ001


@pytest.mark.parametrize(
    "statement",
    [
        update(AuditRow).values(actor="someone else"),
        delete(AuditRow),
    ],
    ids=["update", "delete"],
)
def test_audit_rows_cannot_be_changed(db: Database, statement: object) -> None:  # noqa: F811
    _patient(db)
    with pytest.raises(StorageError, match="append-only"), db.transaction() as uow:
        uow.session.execute(statement)  # type: ignore[call-overload]
    assert len(audit.audit_trail(db, actor="auditor")) == 1
