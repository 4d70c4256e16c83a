"""Hypothesis strategies over the record models: any valid whole patient record."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import Any

from hypothesis import strategies as st

from immunospine.knowledge import calculate
from immunospine.records import (
    LAB_UNITS,
    Assessment,
    Condition,
    Diagnosis,
    DiaryEntry,
    DrugClass,
    EntryRecord,
    ImagingFinding,
    ImagingModality,
    Intervention,
    InterventionKind,
    LabResult,
    LabTest,
    MedicationCourse,
    Patient,
    Sex,
    StopReason,
    Timeline,
    entry_of,
)

PID = "P-hyp"
days = st.dates(date(2001, 1, 1), date(2024, 12, 31))
text = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=20)
maybe_text = st.none() | text
nrs = st.floats(0, 10, allow_nan=False)
maybe_nrs = st.none() | nrs


def _assessment(day: date, calculator: str, inputs: dict[str, Any]) -> Assessment:
    return Assessment.of(PID, day, inputs, calculate(calculator, **inputs))


inputs = st.one_of(
    st.tuples(
        st.just("basdai"),
        st.fixed_dictionaries({f"q{i}": nrs | st.integers(0, 10) for i in range(1, 7)}),
    ),
    st.tuples(
        st.just("odi"),
        st.fixed_dictionaries(
            {
                "sections": st.lists(
                    st.none() | st.integers(0, 5), min_size=10, max_size=10
                ).filter(lambda s: s.count(None) <= 1)
            }
        ),
    ),
    st.tuples(
        st.just("rmdq"),
        st.fixed_dictionaries({"items": st.lists(st.booleans(), min_size=24, max_size=24)}),
    ),
    st.tuples(st.just("pain_nrs"), st.fixed_dictionaries({"pain": st.integers(0, 10)})),
    st.tuples(
        st.just("start_back"),
        st.fixed_dictionaries(
            {
                "items": st.lists(st.integers(0, 1), min_size=8, max_size=8),
                "bothersomeness": st.sampled_from(
                    ["not_at_all", "slightly", "moderately", "very_much", "extremely"]
                ),
            }
        ),
    ),
    st.tuples(
        st.just("das28_crp"),
        st.fixed_dictionaries(
            {
                "tender_joints_28": st.integers(0, 28),
                "swollen_joints_28": st.integers(0, 28),
                "crp_mg_l": st.floats(0, 300, allow_nan=False),
                "patient_global_health": st.floats(0, 100, allow_nan=False),
            }
        ),
    ),
)
assessments = st.builds(lambda d, ci: _assessment(d, *ci), days, inputs)


@st.composite
def lab_results(draw: st.DrawFn) -> LabResult:
    test = draw(st.sampled_from(list(LabTest)))
    day = draw(days)
    if LAB_UNITS[test] is None:
        return LabResult(patient_id=PID, collected_on=day, test=test, positive=draw(st.booleans()))
    value = st.floats(0, 5000, allow_nan=False)
    return LabResult(
        patient_id=PID,
        collected_on=day,
        test=test,
        unit=LAB_UNITS[test],
        value=draw(value),
        reference_low=draw(st.none() | value),
        reference_high=draw(st.none() | value),
    )


@st.composite
def imaging(draw: st.DrawFn) -> ImagingFinding:
    modality = draw(st.sampled_from(list(ImagingModality)))
    day, note = draw(days), draw(maybe_text)
    if modality is ImagingModality.MRI_SACROILIAC:
        flag = st.none() | st.booleans()
        return ImagingFinding(
            patient_id=PID,
            performed_on=day,
            modality=modality,
            active_sacroiliitis=draw(flag),
            structural_lesions=draw(flag),
            note=note,
        )
    grade = st.integers(0, 4)
    return ImagingFinding(
        patient_id=PID,
        performed_on=day,
        modality=modality,
        grade_left=draw(grade),
        grade_right=draw(grade),
        note=note,
    )


@st.composite
def medications(draw: st.DrawFn) -> MedicationCourse:
    start = draw(days)
    stop = draw(
        st.none()
        | st.integers(0, 3000).map(lambda n: min(start + timedelta(days=n), date(2024, 12, 31)))
    )
    dose = draw(st.none() | st.floats(0.01, 5000, allow_nan=False))
    unit = draw(text) if dose is not None else draw(st.none() | text)
    return MedicationCourse(
        patient_id=PID,
        drug=draw(text),
        drug_class=draw(st.sampled_from(list(DrugClass))),
        dose=dose,
        dose_unit=unit,
        frequency=draw(maybe_text),
        started_on=start,
        stopped_on=stop,
        stop_reason=draw(st.none() | st.sampled_from(list(StopReason))) if stop else None,
    )


interventions = st.builds(
    lambda k, d, a, m, n: Intervention(
        patient_id=PID, kind=k, performed_on=d, activity=a, duration_min=m, note=n
    ),
    st.sampled_from(list(InterventionKind)),
    days,
    maybe_text,
    st.none() | st.integers(1, 1440),
    maybe_text,
)
zones = st.integers(-12 * 60, 14 * 60).map(lambda m: timezone(timedelta(minutes=m)))
diaries = st.builds(
    lambda at, z, p, ms, f, sh, sq, s, fl, n: DiaryEntry(
        patient_id=PID,
        recorded_at=at.replace(tzinfo=z),
        pain_nrs=p,
        morning_stiffness_min=ms,
        fatigue_nrs=f,
        sleep_hours=sh,
        sleep_quality_nrs=sq,
        stress_nrs=s,
        flare=fl,
        note=n,
    ),
    st.datetimes(datetime(2001, 1, 2), datetime(2024, 12, 30)),  # noqa: DTZ001 - naive bounds, zone added
    zones,
    maybe_nrs,
    st.none() | st.integers(0, 1440),
    maybe_nrs,
    st.none() | st.floats(0, 24, allow_nan=False),
    maybe_nrs,
    maybe_nrs,
    st.booleans(),
    maybe_text,
)
entries = st.one_of(assessments, lab_results(), imaging(), medications(), interventions, diaries)
diagnoses = st.builds(
    lambda c, d, cm, n: Diagnosis(condition=c, diagnosed_on=d, criteria_met=cm, note=n),
    st.sampled_from(list(Condition)),
    days,
    st.lists(st.sampled_from(["asas_axspa", "caspar", "modified_new_york"]), max_size=2).map(tuple),
    maybe_text,
)


@st.composite
def timelines(draw: st.DrawFn) -> Timeline:
    patient = Patient(
        patient_id=PID,
        year_of_birth=draw(st.integers(1900, 2000)),
        sex=draw(st.sampled_from(list(Sex))),
        diagnoses=tuple(draw(st.lists(diagnoses, max_size=2))),
    )
    records: list[EntryRecord] = draw(st.lists(entries, max_size=8))
    ordered = sorted((entry_of(r) for r in records), key=lambda e: e.sort_key())
    return Timeline(patient=patient, entries=tuple(ordered))
