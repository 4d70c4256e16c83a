"""Record models: strict validation, and errors that name the record and the field."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from immunospine.errors import InputError
from immunospine.records import (
    Condition,
    DiaryEntry,
    DrugClass,
    ImagingFinding,
    LabResult,
    LabTest,
    MedicationCourse,
    Patient,
    latest_allowed_date,
)

FUTURE = latest_allowed_date() + timedelta(days=1)


def _locs(exc: pytest.ExceptionInfo[InputError]) -> list[tuple[str | int, ...]]:
    return [tuple(p.loc) for p in exc.value.problems]


def test_patient_roundtrips_through_json() -> None:
    p = Patient.parse(
        {
            "patient_id": "P-001",
            "year_of_birth": 1980,
            "sex": "female",
            "diagnoses": [
                {
                    "condition": "axspa",
                    "diagnosed_on": date(2015, 3, 1),
                    "criteria_met": ["asas_axspa"],
                }
            ],
        }
    )
    assert p.has(Condition.AXIAL_SPONDYLOARTHRITIS)
    assert Patient.parse_json(p.model_dump_json()) == p


@pytest.mark.parametrize(
    ("data", "loc"),
    [
        ({"patient_id": "P 1", "year_of_birth": 1980}, ("patient", "patient_id")),
        ({"patient_id": "P1", "year_of_birth": 1800}, ("patient", "year_of_birth")),
        ({"patient_id": "P1", "year_of_birth": 1980, "name": "x"}, ("patient", "name")),
        (
            {
                "patient_id": "P1",
                "year_of_birth": 1980,
                "diagnoses": [{"condition": "ra", "diagnosed_on": date(1970, 1, 1)}],
            },
            ("patient", "diagnoses"),
        ),
        (
            {
                "patient_id": "P1",
                "year_of_birth": 1980,
                "diagnoses": [{"condition": "ra", "diagnosed_on": FUTURE}],
            },
            ("patient", "diagnoses", 0, "diagnosed_on"),
        ),
    ],
)
def test_patient_errors_name_record_and_field(
    data: dict[str, object], loc: tuple[str | int, ...]
) -> None:
    with pytest.raises(InputError) as exc:
        Patient.parse(data)  # type: ignore[arg-type]
    assert loc in _locs(exc)
    assert exc.value.problems[0].field.startswith("patient.")


def test_medication_stop_before_start_names_the_field() -> None:
    with pytest.raises(InputError) as exc:
        MedicationCourse.parse(
            {
                "patient_id": "P1",
                "drug": "adalimumab",
                "drug_class": "tnf_inhibitor",
                "started_on": date(2020, 5, 1),
                "stopped_on": date(2020, 4, 1),
                "stop_reason": "inefficacy",
            }
        )
    assert ("medication_course", "stopped_on") in _locs(exc)
    assert "before started_on" in str(exc.value)


def test_medication_reason_needs_a_stop_and_dose_needs_unit() -> None:
    with pytest.raises(InputError) as exc:
        MedicationCourse.parse(
            {
                "patient_id": "P1",
                "drug": "naproxen",
                "drug_class": DrugClass.NSAID,
                "dose": 500.0,
                "started_on": date(2020, 5, 1),
                "stop_reason": "adverse_event",
            }
        )
    assert set(_locs(exc)) == {
        ("medication_course", "stop_reason"),
        ("medication_course", "dose_unit"),
    }
    course = MedicationCourse(
        patient_id="P1", drug="naproxen", drug_class=DrugClass.NSAID, started_on=date(2020, 5, 1)
    )
    assert course.active_on(date(2030, 1, 1))


@pytest.mark.parametrize(
    ("test", "extra", "field"),
    [
        ("crp", {"unit": "mg/dL", "value": 1.0}, "unit"),
        ("crp", {"unit": "mg/L"}, "value"),
        ("esr", {"unit": "mm/h", "value": -1.0}, "value"),
        ("hla_b27", {}, "positive"),
        ("hla_b27", {"value": 1.0, "positive": True}, "value"),
    ],
)
def test_lab_units_and_values(test: str, extra: dict[str, object], field: str) -> None:
    with pytest.raises(InputError) as exc:
        LabResult.parse(
            {"patient_id": "P1", "collected_on": date(2021, 1, 1), "test": test, **extra}
        )
    assert ("lab_result", field) in _locs(exc)


def test_lab_reference_ranges() -> None:
    crp = LabResult(
        patient_id="P1", collected_on=date(2021, 1, 1), test=LabTest.CRP, unit="mg/L", value=12.0
    )
    assert crp.reference_range == (0.0, 5.0)
    assert crp.abnormal
    own = crp.model_copy(update={"reference_high": 15.0})
    assert not own.abnormal
    b27 = LabResult(
        patient_id="P1", collected_on=date(2021, 1, 1), test=LabTest.HLA_B27, positive=True
    )
    assert b27.abnormal and b27.reference_range is None


def test_imaging_fields_follow_modality() -> None:
    xr = ImagingFinding.parse(
        {
            "patient_id": "P1",
            "performed_on": date(2019, 1, 1),
            "modality": "radiograph_sij",
            "grade_left": 2,
            "grade_right": 3,
        }
    )
    assert (xr.grade_left, xr.grade_right) == (2, 3)
    with pytest.raises(InputError) as exc:
        ImagingFinding.parse(
            {
                "patient_id": "P1",
                "performed_on": date(2019, 1, 1),
                "modality": "radiograph_sij",
                "grade_left": 5,
                "grade_right": 1,
            }
        )
    assert ("imaging_finding", "grade_left") in _locs(exc)
    with pytest.raises(InputError) as exc:
        ImagingFinding.parse(
            {
                "patient_id": "P1",
                "performed_on": date(2019, 1, 1),
                "modality": "mri_sij",
                "grade_left": 2,
            }
        )
    assert ("imaging_finding", "grade_left") in _locs(exc)


def test_diary_needs_aware_past_timestamp() -> None:
    with pytest.raises(InputError) as exc:
        DiaryEntry.parse({"patient_id": "P1", "recorded_at": datetime(2024, 1, 1, 7, 0)})  # noqa: DTZ001
    assert ("diary_entry", "recorded_at") in _locs(exc)
    with pytest.raises(InputError) as exc:
        DiaryEntry.parse({"patient_id": "P1", "recorded_at": datetime.now(UTC) + timedelta(days=2)})
    assert "future" in str(exc.value)
    with pytest.raises(InputError) as exc:
        DiaryEntry.parse(
            {"patient_id": "P1", "recorded_at": datetime(2024, 1, 1, tzinfo=UTC), "pain_nrs": 11}
        )
    assert ("diary_entry", "pain_nrs") in _locs(exc)


def test_diary_local_day_and_json() -> None:
    entry = DiaryEntry.parse_json(
        '{"patient_id": "P1", "recorded_at": "2024-03-01T23:30:00-05:00", "pain_nrs": 4, "flare": true}'
    )
    assert entry.recorded_on == date(2024, 3, 1)
    assert entry.recorded_at.utcoffset() == timedelta(hours=-5)
    assert entry.flare


def test_latest_allowed_date_allows_todays_date_everywhere() -> None:
    now = datetime(2024, 6, 30, 23, 0, tzinfo=timezone(timedelta(hours=-10)))
    # 09:00 UTC on 1 July; at UTC+14 it is 23:00 on 1 July, the latest date anyone can enter.
    assert latest_allowed_date(now) == date(2024, 7, 1)
