"""Flares from records already read (the pre-visit data's timeline) are the flares
``detect_flares`` finds reading the record itself; the pages leave out the analysis."""

from __future__ import annotations

from datetime import UTC, date, datetime

from immunospine.records import Assessment, Condition, DiaryEntry
from immunospine.services import previsit, record, tracking
from immunospine.storage.uow import Database
from tests.services.test_record_tracking import _add, _asdas, _basdai
from tests.storage.dbfixtures import db, db_url  # noqa: F401

TODAY = date(2021, 12, 31)


def _patient(db: Database) -> None:  # noqa: F811
    _add(db, "FI", Condition.AXIAL_SPONDYLOARTHRITIS)
    _asdas(db, "FI", date(2021, 1, 1), 2, 2)
    _asdas(db, "FI", date(2021, 7, 1), 8, 40)  # big rise: flare
    _basdai(db, "FI", date(2021, 1, 1), 3.9)
    _basdai(db, "FI", date(2021, 4, 1), 4.0)  # crosses 4
    for day, flare in ((3, True), (4, False), (5, True)):
        record.add_entry(
            db,
            DiaryEntry(
                patient_id="FI",
                recorded_at=datetime(2021, 5, day, 8, tzinfo=UTC),
                pain_nrs=3,
                flare=flare,
                note=f"day {day}",
            ),
            actor="pt",
        )


def test_flares_in_any_order_are_the_flares_detect_flares_finds(db: Database) -> None:  # noqa: F811
    _patient(db)
    timeline = record.timeline(db, "FI", actor="dr")
    records = [e.record for e in reversed(timeline.entries)]
    found = tracking.flares_in(
        (r for r in records if isinstance(r, Assessment)),
        (r for r in records if isinstance(r, DiaryEntry)),
    )
    expected = tracking.detect_flares(db, "FI", actor="dr")
    assert found == expected
    assert [e.kind for e in found] == [
        "basdai_crossed_4", "patient_marked", "patient_marked", "asdas_worsening",
    ]  # fmt: skip


def test_the_previsit_data_mark_the_same_flares_and_may_leave_out_the_analysis(
    db: Database,  # noqa: F811
) -> None:
    _patient(db)
    data = previsit.gather_previsit(db, "FI", actor="dr", today=TODAY, analysis=False)
    expected = tracking.detect_flares(db, "FI", actor="dr")
    assert [(f.on, f.kind, f.detail) for f in data.flares] == [
        (e.on, e.kind, e.detail) for e in expected
    ]
    assert data.analysis is None
    since = previsit.gather_previsit(
        db, "FI", actor="dr", since=date(2021, 5, 4), today=TODAY, analysis=False
    )
    assert [(f.on, f.kind) for f in since.flares] == [
        (date(2021, 5, 5), "patient_marked"),
        (date(2021, 7, 1), "asdas_worsening"),
    ]
