"""A patient record for the pre-visit report tests, written through the record services.

``build_axspa`` stores an axSpA patient with two years of quarterly visits (ASDAS-CRP, BASDAI,
BASFI and a CRP lab result each), a naproxen course stopped for inefficacy, an ongoing
adalimumab course, and a daily diary with a few patient-marked flare days. Values are
deterministic (``random.Random(SEED)``) so a test can name the latest scores.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from immunospine.records import (
    Condition,
    Diagnosis,
    DiaryEntry,
    DrugClass,
    LabResult,
    LabTest,
    MedicationCourse,
    Patient,
    Sex,
    StopReason,
)
from immunospine.services import record
from immunospine.storage.uow import Database

SEED = 20261206
ACTOR = "test"
START = date(2023, 1, 9)
VISITS = 9  # every 91 days: the last one on 2025-01-06


@dataclass(frozen=True)
class Built:
    patient_id: str
    last_visit: date
    asdas_inputs: dict[str, Any]
    basdai_inputs: dict[str, Any]
    crp_mg_l: float


def asdas_inputs(activity: float, crp: float) -> dict[str, Any]:
    return {
        "back_pain": round(activity),
        "morning_stiffness_duration": round(activity * 0.8),
        "patient_global": round(activity),
        "peripheral_pain": round(activity * 0.5),
        "crp_mg_l": crp,
    }


def basdai_inputs(activity: float) -> dict[str, Any]:
    return {f"q{i}": round(activity * (0.7 + 0.05 * i), 1) for i in range(1, 7)}


def build_axspa(db: Database, patient_id: str = "PV-042", *, diary_days: int = 730) -> Built:
    rng = random.Random(SEED)
    dx = Diagnosis(condition=Condition.AXIAL_SPONDYLOARTHRITIS, diagnosed_on=date(2022, 11, 2))
    patient = Patient(patient_id=patient_id, year_of_birth=1984, sex=Sex.MALE, diagnoses=(dx,))
    record.add_patient(db, patient, actor=ACTOR)
    naproxen = record.add_entry(
        db,
        MedicationCourse(
            patient_id=patient_id,
            drug="naproxen",
            drug_class=DrugClass.NSAID,
            dose=500,
            dose_unit="mg",
            frequency="twice daily",
            started_on=START,
        ),
        actor=ACTOR,
    )
    switch = START + timedelta(days=182)
    assert naproxen.id is not None
    record.stop_medication(db, naproxen.id, switch, StopReason.INEFFICACY, actor=ACTOR)
    record.add_entry(
        db,
        MedicationCourse(
            patient_id=patient_id,
            drug="adalimumab",
            drug_class=DrugClass.TNF_INHIBITOR,
            dose=40,
            dose_unit="mg",
            frequency="every 2 weeks",
            started_on=switch,
        ),
        actor=ACTOR,
    )
    asdas: dict[str, Any] = {}
    basdai: dict[str, Any] = {}
    crp = 0.0
    for v in range(VISITS):
        day = START + timedelta(days=91 * v)
        activity = 7.5 if day < switch else 3.0 + 1.5 * rng.random()
        crp = round(28.0 if day < switch else 3.0 + 6 * rng.random(), 1)
        asdas, basdai = asdas_inputs(activity, crp), basdai_inputs(activity)
        record.record_assessment(db, patient_id, "asdas_crp", asdas, day, actor=ACTOR)
        record.record_assessment(db, patient_id, "basdai", basdai, day, actor=ACTOR)
        basfi = {f"q{i}": round(activity * 0.6, 1) for i in range(1, 11)}
        record.record_assessment(db, patient_id, "basfi", basfi, day, actor=ACTOR)
        lab = LabResult(
            patient_id=patient_id, collected_on=day, test=LabTest.CRP, unit="mg/L", value=crp
        )
        record.add_entry(db, lab, actor=ACTOR)
    last = START + timedelta(days=91 * (VISITS - 1))
    first_diary = last - timedelta(days=diary_days - 1)
    record.add_diary_entries(db, diary(patient_id, first_diary, diary_days, rng), actor=ACTOR)
    return Built(patient_id, last, asdas, basdai, crp)


def diary(patient_id: str, first: date, days: int, rng: random.Random) -> list[DiaryEntry]:
    entries = []
    for d in range(days):
        day = first + timedelta(days=d)
        entries.append(
            DiaryEntry(
                patient_id=patient_id,
                recorded_at=datetime(day.year, day.month, day.day, 7, 30, tzinfo=UTC),
                pain_nrs=float(rng.randrange(2, 8)),
                morning_stiffness_min=rng.randrange(10, 90),
                sleep_hours=round(rng.uniform(5, 8.5), 1),
                stress_nrs=float(rng.randrange(0, 9)),
                flare=d % 97 == 50,
            )
        )
    return entries
