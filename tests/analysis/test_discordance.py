"""Discordance: pain high while inflammation is low (and the reverse), visit by visit."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from immunospine.analysis.discordance import FIBROMYALGIA_CRITERIA, discordance
from immunospine.analysis.person import analyze_person
from immunospine.analysis.series import patient_data
from immunospine.records import (
    Assessment,
    DiaryEntry,
    LabResult,
    LabTest,
    Patient,
    Timeline,
    entry_of,
)

START = date(2026, 1, 1)


def _timeline(pain: float, asdas: float, crp: float, visits: int = 3) -> Timeline:
    records: list[object] = []
    for k in range(100):
        day = START + timedelta(days=k)
        at = datetime.combine(day, time(9), tzinfo=UTC)
        records.append(DiaryEntry(patient_id="p1", recorded_at=at, pain_nrs=pain, stress_nrs=3.0))
    for v in range(visits):
        day = START + timedelta(days=30 + 30 * v)
        records.append(
            Assessment(
                patient_id="p1",
                assessed_on=day,
                calculator="asdas_crp",
                version="1",
                inputs={},
                score=asdas,
                category=None,
                result={},
            )
        )
        records.append(
            LabResult(patient_id="p1", collected_on=day, test=LabTest.CRP, unit="mg/L", value=crp)
        )
    entries = sorted((entry_of(r) for r in records), key=lambda e: e.sort_key())  # type: ignore[arg-type]
    return Timeline(patient=Patient(patient_id="p1", year_of_birth=1980), entries=tuple(entries))


def test_pain_high_inflammation_low_points_to_fibromyalgia_criteria() -> None:
    result = discordance(patient_data(_timeline(pain=7.0, asdas=1.2, crp=1.0)))
    item = result["pain_high_inflammation_low"]
    assert item["flagged"] and item["n_visits"] == 3 and result["n_visits_assessed"] == 3
    assert item["see"] == FIBROMYALGIA_CRITERIA
    assert "centrally sensitised" in item["text"] and "not a diagnosis" in item["text"]
    assert not result["inflammation_high_pain_low"]["flagged"]


def test_inflammation_high_pain_low_is_reported() -> None:
    result = analyze_person(patient_data(_timeline(pain=1.0, asdas=3.0, crp=30.0)))
    item = result["discordance"]["inflammation_high_pain_low"]
    assert item["flagged"] and item["n_visits"] == 3
    assert any("Inflammation can be active" in s for s in result["statements"])


def test_one_visit_is_not_a_pattern() -> None:
    result = discordance(patient_data(_timeline(pain=7.0, asdas=1.2, crp=1.0, visits=1)))
    assert result["pain_high_inflammation_low"]["n_visits"] == 1
    assert not result["pain_high_inflammation_low"]["flagged"]
    assert result["pain_high_inflammation_low"]["text"] is None


def test_crp_high_with_low_asdas_is_not_low_inflammation() -> None:
    result = discordance(patient_data(_timeline(pain=7.0, asdas=1.2, crp=20.0)))
    assert not result["pain_high_inflammation_low"]["flagged"]
