"""Patient-record benchmarks: bulk diary insert, a 10-year timeline, a clinic's T2T list.

    .venv/bin/python benchmarks/bench_record.py                      # SQLite in a temp folder
    .venv/bin/python benchmarks/bench_record.py --postgres URL       # also PostgreSQL (own schema)
    .venv/bin/python benchmarks/bench_record.py --diary 100000       # a quicker run

Goals: timeline of 10 years of daily entries < 50 ms; treat-to-target list for 10,000 patients
< 1 s. Data are synthetic (``random.Random(20240601)``). Setup of the clinic writes through the
storage unit of work in bulk; the timed steps go through the services, audit included.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from immunospine.knowledge import calculate
from immunospine.records import Assessment, Condition, Diagnosis, DiaryEntry, Patient
from immunospine.services import clinic_list, database, record, tracking
from immunospine.storage.uow import Database

SEED = 20240601
START = datetime(2014, 1, 1, 7, 30, tzinfo=UTC)


def diary(patient_id: str, days: int, rng: random.Random) -> Iterator[DiaryEntry]:
    for d in range(days):
        yield DiaryEntry(
            patient_id=patient_id,
            recorded_at=START + timedelta(days=d, minutes=rng.randrange(600)),
            pain_nrs=float(rng.randrange(11)),
            morning_stiffness_min=rng.randrange(120),
            fatigue_nrs=float(rng.randrange(11)),
            sleep_hours=round(rng.uniform(4, 9), 1),
            sleep_quality_nrs=float(rng.randrange(11)),
            stress_nrs=float(rng.randrange(11)),
            flare=rng.random() < 0.02,
        )


CPU: list[float] = []


def timed(fn: Callable[[], object], repeat: int = 1) -> tuple[float, object]:
    """Median wall time of ``repeat`` runs; the median CPU time goes to ``CPU[-1]``."""
    times, cpu, out = [], [], None
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        out = fn()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    CPU.append(statistics.median(cpu))
    return statistics.median(times), out


def run(db: Database, label: str, n_diary: int, n_clinic: int) -> None:
    rng = random.Random(SEED)
    database.upgrade(db)
    axspa = (Diagnosis(condition=Condition.AXIAL_SPONDYLOARTHRITIS, diagnosed_on=date(2012, 5, 1)),)
    ra = (Diagnosis(condition=Condition.RHEUMATOID_ARTHRITIS, diagnosed_on=date(2012, 5, 1)),)

    # 1. bulk insert of n_diary entries over 400 patients (one transaction, validated, audited)
    per = max(n_diary // 400, 1)
    for i in range(400):
        record.add_patient(db, Patient(patient_id=f"D{i:03d}", year_of_birth=1970), actor="bench")
    entries = (e for i in range(400) for e in diary(f"D{i:03d}", per, rng))
    secs, count = timed(lambda: record.add_diary_entries(db, entries, actor="bench"))
    print(f"{label}: bulk insert {count:,} diary entries: {secs:.1f} s ({count / secs:,.0f}/s)")

    # 2. timeline of a patient with 10 years of daily entries plus quarterly ASDAS
    record.add_patient(
        db, Patient(patient_id="T10Y", year_of_birth=1970, diagnoses=axspa), actor="b"
    )
    record.add_diary_entries(db, diary("T10Y", 3650, rng), actor="bench")
    for q in range(40):
        inputs = {
            "back_pain": rng.randrange(11),
            "morning_stiffness_duration": 5,
            "patient_global": 5,
            "peripheral_pain": 2,
            "crp_mg_l": 8,
        }
        record.record_assessment(
            db, "T10Y", "asdas_crp", inputs, date(2014, 1, 1) + timedelta(days=91 * q), actor="b"
        )
    secs, out = timed(lambda: record.timeline(db, "T10Y", actor="bench"), repeat=15)
    n_entries = len(out.entries)  # type: ignore[attr-defined]
    print(
        f"{label}: timeline, 10 years daily ({n_entries:,} entries): "
        f"{secs * 1000:.1f} ms (median of 15; CPU {CPU[-1] * 1000:.1f} ms)"
    )

    # 3. treat-to-target list for a clinic of n_clinic patients, 4 scores each
    with db.transaction() as uow:
        for i in range(n_clinic):
            is_ra = i % 5 == 0
            pid = f"C{i:05d}"
            uow.patients.add(
                Patient(
                    patient_id=pid, year_of_birth=1960 + i % 40, diagnoses=ra if is_ra else axspa
                )
            )
            batch = []
            for v in range(4):
                on = date(2022, 1, 1) + timedelta(days=91 * v)
                if is_ra:
                    inputs = {
                        "tender_joints_28": rng.randrange(10),
                        "swollen_joints_28": rng.randrange(6),
                        "esr_mm_h": float(rng.randrange(5, 60)),
                        "patient_global_health": float(rng.randrange(101)),
                    }
                    name = "das28_esr"
                else:
                    inputs = {
                        "back_pain": rng.randrange(11),
                        "morning_stiffness_duration": rng.randrange(11),
                        "patient_global": rng.randrange(11),
                        "peripheral_pain": rng.randrange(11),
                        "crp_mg_l": float(rng.randrange(30)),
                    }
                    name = "asdas_crp"
                batch.append(Assessment.of(pid, on, inputs, calculate(name, **inputs)))
            uow.records.add_many(batch)
    secs, off = timed(lambda: tracking.off_target(db, actor="bench"), repeat=5)
    print(
        f"{label}: off-target list, {n_clinic:,}-patient clinic ({len(off):,} off target): "  # type: ignore[arg-type]
        f"{secs * 1000:.0f} ms (median of 5, audit included; CPU {CPU[-1] * 1000:.0f} ms)"
    )
    secs, allst = timed(lambda: tracking.treat_to_target(db, actor="bench"), repeat=5)
    n_status = len(allst)  # type: ignore[arg-type]
    print(f"{label}: full T2T status, {n_status:,} patient-targets: {secs * 1000:.0f} ms")

    # 4. `patient list` (every patient, target, stale, due, flares), its filters, as --json does
    today = date(2023, 6, 1)
    cases: tuple[tuple[str, dict[str, Any]], ...] = (
        ("all", {}),
        ("(terminal: first 50)", {"limit": 50}),
        ("--off-target (terminal: first 50)", {"off_target": True, "limit": 50}),
        ("--off-target", {"off_target": True}),
        ("--due", {"due": True}),
        ("--flare-since", {"flare_since": date(2022, 6, 1)}),
    )
    for what, filters in cases:

        def listing_of(f: dict[str, Any] = filters) -> clinic_list.PatientList:
            return clinic_list.list_patients(db, actor="bench", today=today, **f)

        secs, listing = timed(listing_of, repeat=5)
        print(
            f"{label}: patient list {what}, {n_clinic:,}-patient clinic "
            f"({listing.matched:,} listed): {secs * 1000:.0f} ms "  # type: ignore[attr-defined]
            f"(median of 5, audit included; CPU {CPU[-1] * 1000:.0f} ms)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--diary", type=int, default=1_000_000)
    parser.add_argument("--clinic", type=int, default=10_000)
    parser.add_argument("--postgres", help="also run on this PostgreSQL URL (a temporary schema)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Database.connect(f"sqlite:///{tmp}/bench.db")
        run(db, "sqlite", args.diary, args.clinic)
        db.dispose()
    if args.postgres:
        schema = f"bench_{uuid.uuid4().hex[:12]}"
        admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        try:
            url = make_url(args.postgres).update_query_dict({"options": f"-csearch_path={schema}"})
            db = Database.connect(url.render_as_string(hide_password=False))
            run(db, "postgresql", args.diary, args.clinic)
            db.dispose()
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()


if __name__ == "__main__":
    main()
