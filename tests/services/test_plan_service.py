"""The programme for a patient in the record: plan, session log, today's list, iCalendar."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from immunospine.errors import InputError, NotFound
from immunospine.records import Condition, Diagnosis, DiaryEntry, Intervention, Patient
from immunospine.reports import icalendar
from immunospine.services import audit, database, plan, record
from immunospine.storage.uow import Database

TODAY = date(2026, 12, 7)  # a Monday: week 6 of a programme started on 2 November
START = date(2026, 11, 2)


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    handle = Database.connect(f"sqlite:///{tmp_path / 'plan.db'}")
    database.upgrade(handle)
    try:
        yield handle
    finally:
        handle.dispose()


def _patient(db: Database, pid: str = "AX-1", *conditions: Condition) -> None:
    dx = tuple(Diagnosis(condition=c, diagnosed_on=date(2020, 1, 6)) for c in conditions)
    record.add_patient(db, Patient(patient_id=pid, year_of_birth=1984, diagnoses=dx), actor="dr")


def _diary(db: Database, pid: str, day: date, **values: object) -> None:
    at = datetime(day.year, day.month, day.day, 20, 0, tzinfo=UTC)
    record.add_entry(db, DiaryEntry(patient_id=pid, recorded_at=at, **values), actor="p")  # type: ignore[arg-type]


@pytest.fixture
def axspa(db: Database) -> Database:
    _patient(db, "AX-1", Condition.RHEUMATOID_ARTHRITIS, Condition.AXIAL_SPONDYLOARTHRITIS)
    record.record_assessment(
        db, "AX-1", "basfi", {f"q{i}": 4.5 for i in range(1, 11)}, date(2026, 10, 1), actor="dr"
    )
    record.record_assessment(
        db, "AX-1", "basdai", {f"q{i}": 3 for i in range(1, 7)}, date(2026, 10, 1), actor="dr"
    )
    plan.log_session(db, "AX-1", "brisk_walking", actor="p", on=START, minutes=20)
    return db


def test_plan_reads_the_record_and_explains_the_flare(axspa: Database) -> None:
    _diary(axspa, "AX-1", date(2026, 12, 1), flare=True, pain_nrs=7)
    result = plan.plan_for(axspa, "AX-1", actor="dr", today=TODAY)
    data = result.to_dict()
    assert data["week"] == 6
    assert data["week_start"] == "2026-12-07"
    assert data["diagnosis"] == "axspa"  # axspa before ra
    assert data["inputs"]["basfi"]["score"] == 4.5
    assert data["inputs"]["programme_start"] == "2026-11-02"
    assert data["eased"] is True
    assert any("flare on Tuesday 1 December" in e for e in data["explanations"])
    assert data["not_a_diagnosis"].startswith("This supports a decision")
    assert data["adherence"]["done"] == 1
    trail = audit.audit_trail(axspa, actor="auditor", patient_id="AX-1")
    assert ("dr", "read", "plan") in [(a.actor, a.action, a.entity) for a in trail]


def test_week_and_start_can_be_chosen(axspa: Database) -> None:
    options = plan.Options(
        week=1, start=date(2026, 11, 30), minutes_per_week=60, prefer=("cycling",)
    )
    data = plan.plan_for(axspa, "AX-1", actor="dr", today=TODAY, options=options).to_dict()
    assert (data["week"], data["week_start"]) == (1, "2026-11-30")
    assert sum(s["minutes"] for s in data["sessions"]) <= 60
    assert {s["session"] for s in data["sessions"]} >= {"spinal_mobility"}


def test_log_session_done_and_missed_feed_adherence(axspa: Database) -> None:
    stored = plan.log_session(axspa, "AX-1", "strength_training", actor="p", on=TODAY, minutes=25)
    assert (stored["kind"], stored["activity"], stored["duration_min"]) == (
        "exercise",
        "strength_training",
        25,
    )
    missed = plan.log_session(
        axspa, "AX-1", "relaxation", actor="p", on=TODAY, missed=True, reason="no time"
    )
    assert (missed["kind"], missed["note"], missed["duration_min"]) == (
        "stress_reduction",
        "missed: no time",
        None,
    )
    assert plan.is_missed(Intervention.parse_json(json.dumps(missed)))
    result = plan.plan_for(axspa, "AX-1", actor="p", today=TODAY)
    assert result.adherence.missed_reasons == (("no time", 1),)
    assert "strength_training" in result.logged_today


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"session": "yoga"}, "session"),
        ({"session": "relaxation", "missed": True}, "reason"),
        ({"session": "relaxation", "missed": True, "reason": "  "}, "reason"),
        ({"session": "relaxation", "reason": "tired"}, "reason"),
        ({"session": "relaxation", "missed": True, "reason": "x", "minutes": 5}, "minutes"),
        ({"session": "relaxation", "missed": True, "reason": "x" * 201}, "reason"),
        ({"session": "relaxation", "minutes": 0}, "body.duration_min"),
        ({"session": "relaxation", "on": date(2030, 1, 1)}, "body.performed_on"),
    ],
)
def test_log_session_refuses_bad_input(
    axspa: Database, kwargs: dict[str, object], field: str
) -> None:
    args: dict[str, object] = {"on": TODAY, **kwargs}
    session = str(args.pop("session"))
    with pytest.raises(InputError) as err:
        plan.log_session(axspa, "AX-1", session, actor="p", **args)  # type: ignore[arg-type]
    assert err.value.problems[0].field == field


def test_a_record_without_diagnosis_or_patient(db: Database) -> None:
    _patient(db, "NODX")
    with pytest.raises(InputError) as err:
        plan.plan_for(db, "NODX", actor="dr", today=TODAY)
    assert err.value.problems[0].field == "diagnosis"
    with pytest.raises(NotFound):
        plan.plan_for(db, "NOBODY", actor="dr", today=TODAY)


def test_bad_options_are_input_errors(axspa: Database) -> None:
    for options, field in [
        (plan.Options(prefer=("yoga",)), "prefer[0]"),
        (plan.Options(minutes_per_week=5), "minutes_per_week"),
        (plan.Options(red_flags=("hurts",)), "red_flags[0]"),
    ]:
        with pytest.raises(InputError) as err:
            plan.plan_for(axspa, "AX-1", actor="dr", today=TODAY, options=options)
        assert err.value.problems[0].field == field


def test_poor_sleep_from_the_diary_adds_the_sleep_routine(db: Database) -> None:
    _patient(db, "RA-1", Condition.RHEUMATOID_ARTHRITIS)
    for day in (1, 2, 3):
        _diary(db, "RA-1", date(2026, 12, day), sleep_quality_nrs=3)
    result = plan.plan_for(db, "RA-1", actor="p", today=TODAY)
    assert result.inputs["sleep_problem"] is True
    assert "sleep_routine" in {s.session for s in result.plan.sessions}
    assert result.plan.week == 1  # nothing logged: the programme starts this week


def test_today_lists_questionnaires_and_sessions(axspa: Database) -> None:
    plan.log_session(axspa, "AX-1", "spinal_mobility", actor="p", on=TODAY, minutes=12)
    items = plan.today_list(axspa, "AX-1", actor="p", today=TODAY)
    kinds = {i["type"] for i in items}
    assert kinds == {"questionnaire", "session"}
    mobility = [i for i in items if i["id"] == "spinal_mobility"]
    assert mobility and mobility[0]["done"] is True
    asdas = [i for i in items if i["id"] == "asdas"]
    assert asdas and asdas[0]["detail"] == "never done"
    assert all(i["due_on"] <= TODAY.isoformat() for i in items)


def test_today_with_a_red_flag_shows_the_advice(axspa: Database) -> None:
    options = plan.Options(red_flags=("new_pain_after_fall",))
    items = plan.today_list(axspa, "AX-1", actor="p", today=TODAY, options=options)
    flags = [i for i in items if i["type"] == "red_flag"]
    assert flags and "axial spondyloarthritis" in flags[0]["detail"]
    assert not [i for i in items if i["type"] == "session"]


def test_ics_is_rfc5545(axspa: Database) -> None:
    result = plan.plan_for(
        axspa, "AX-1", actor="p", today=TODAY, options=plan.Options(prefer=("swimming",))
    )
    text = plan.plan_ics(result, stamp=datetime(2026, 12, 7, 8, 30, tzinfo=UTC))
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    raw = text.encode("utf-8").split(b"\r\n")
    assert max(len(line) for line in raw) <= 75
    unfolded = text.replace("\r\n ", "").split("\r\n")
    assert unfolded.count("BEGIN:VEVENT") == len(result.plan.sessions)
    uids = [line for line in unfolded if line.startswith("UID:")]
    assert len(set(uids)) == len(uids) == len(result.plan.sessions)
    assert "DTSTAMP:20261207T083000Z" in unfolded
    assert "DTSTART;VALUE=DATE:20261207" in unfolded
    assert "TRIGGER;RELATED=START:PT9H0M" in unfolded
    assert "AX-1" not in text  # the pseudonym stays out of the phone's calendar
    assert any(line.startswith("SUMMARY:Swimming (") for line in unfolded)


def test_fold_and_escape() -> None:
    assert icalendar.escape_text("a,b;c\\d\ne\r\nf") == "a\\,b\\;c\\\\d\\ne\\nf"
    line = "DESCRIPTION:" + "é" * 80
    folded = icalendar.fold(line)
    pieces = folded.split("\r\n")
    assert all(len(p.encode("utf-8")) <= 75 for p in pieces)
    assert all(p.startswith(" ") for p in pieces[1:])
    assert "".join(p[1:] if i else p for i, p in enumerate(pieces)) == line
    assert icalendar.fold("SHORT") == "SHORT"


def test_scores_are_passed_exactly(db: Database) -> None:
    """ASDAS 2.097 is low activity (< 2.1); rounding it to 2.1 would make it high."""
    from immunospine.records import Assessment
    from immunospine.services.plan import _request_data

    patient = Patient(
        patient_id="EX",
        year_of_birth=1980,
        diagnoses=(Diagnosis(condition=Condition.AXIAL_SPONDYLOARTHRITIS, diagnosed_on=START),),
    )
    asdas = Assessment(
        patient_id="EX",
        assessed_on=START,
        calculator="asdas_crp",
        version="1",
        inputs={},
        score=2.097,
        category="low",
        result={},
    )
    data, inputs = _request_data(patient, [asdas], [], TODAY)
    assert data["asdas"] == 2.097
    assert inputs["asdas"]["score"] == 2.097


def test_flares_found_by_the_caller_give_the_same_plan(axspa: Database) -> None:
    """A page that has read the whole record passes the flares it found; the plan is the same
    as when the plan service looks for them itself."""
    _diary(axspa, "AX-1", date(2026, 12, 1), flare=True, pain_nrs=7)
    own = plan.plan_for(axspa, "AX-1", actor="dr", today=TODAY).to_dict()
    given = plan.plan_for(
        axspa, "AX-1", actor="dr", today=TODAY, flare_dates=[date(2026, 12, 1)]
    ).to_dict()
    assert given == own
    listed = plan.today_list(axspa, "AX-1", actor="dr", today=TODAY, flare_dates=[])
    assert listed == plan.today_list(axspa, "AX-1", actor="dr", today=TODAY, flare_dates=[])
