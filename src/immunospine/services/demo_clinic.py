"""Seed a patient database with the synthetic demo clinic (``immunospine demo seed``).

Patients come from ``immunospine.demo.clinic`` and are written through the same validated,
audited path as an import (``interop.store_timelines``): one transaction per patient, so the
progress bar moves and a patient is never half written. Seeding refuses, before writing
anything, when any of the patients to be created already exists (same seed seeded twice).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from immunospine.demo.clinic import DEFAULT_END, clinic
from immunospine.errors import FieldProblem, InputError
from immunospine.services.interop import ImportSummary, store_timelines
from immunospine.services.record import check_actor
from immunospine.storage.uow import Database

__all__ = ["seed_clinic"]


def seed_clinic(
    db: Database,
    n_patients: int,
    seed: int,
    *,
    actor: str,
    end: date = DEFAULT_END,
    diary_days: int = 365,
    on_progress: Callable[[int, int], None] | None = None,
) -> ImportSummary:
    """Create ``n_patients`` demo patients; ``on_progress(done, total)`` after each one."""
    check_actor(actor)
    if n_patients < 1:
        raise InputError.single(("patients",), "must be at least 1", n_patients)
    ids = [f"demo-s{seed}-{i:05d}" for i in range(n_patients)]
    with db.transaction() as uow:
        existing = sorted(uow.patients.birth_years(ids))
    if existing:
        problems = tuple(
            FieldProblem(("patient", pid), "already exists", "duplicate", pid, True)
            for pid in existing
        )
        raise InputError(
            f"{len(existing)} demo patient(s) of seed {seed} already exist (e.g. {existing[0]}); "
            "use another --seed or a fresh database",
            problems,
        )
    patients, records = 0, dict[str, int]()
    for done, timeline in enumerate(clinic(n_patients, seed, end=end, diary_days=diary_days), 1):
        with db.transaction() as uow:
            summary = store_timelines(uow, [timeline], actor=actor, source=f"demo seed {seed}")
        patients += summary.patients
        for kind, n in summary.records.items():
            records[kind] = records.get(kind, 0) + n
        if on_progress:
            on_progress(done, n_patients)
    return ImportSummary(patients=patients, records=records)
