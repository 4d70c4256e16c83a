"""The synthetic demo clinic: determinism, realism checks, the diary's known model, the CLI."""

from __future__ import annotations

import bisect
import math
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from immunospine.cli import main
from immunospine.demo.clinic import clinic, patient_record
from immunospine.demo.diary import PAIN_MODEL
from immunospine.errors import InputError
from immunospine.knowledge import calculate
from immunospine.records import Assessment, Condition, DrugClass, LabTest, MedicationCourse
from immunospine.services import database, demo_clinic


def test_same_seed_same_records_and_other_seed_differs() -> None:
    a = list(clinic(4, seed=1, diary_days=20))
    b = list(clinic(4, seed=1, diary_days=20))
    assert a == b
    c = list(clinic(4, seed=2, diary_days=20))
    assert [t.entries for t in a] != [t.entries for t in c]
    assert patient_record(1, 3, diary_days=20) == a[3]


def test_clinic_looks_like_a_clinic() -> None:
    tls = list(clinic(30, seed=4, diary_days=0))
    conditions = Counter(t.patient.diagnoses[0].condition for t in tls)
    assert set(conditions) == {
        Condition.AXIAL_SPONDYLOARTHRITIS,
        Condition.PSORIATIC_ARTHRITIS,
        Condition.RHEUMATOID_ARTHRITIS,
        Condition.MECHANICAL_BACK_PAIN,
    }
    for tl in tls:
        kinds = {e.kind for e in tl.entries}
        assert {"assessment", "lab_result", "medication_course", "intervention"} <= kinds
        for e in tl.of_kind("assessment"):
            a = e.record
            assert isinstance(a, Assessment)
            assert calculate(a.calculator, **a.inputs).score == a.score
        courses = [e.record for e in tl.of_kind("medication_course")]
        assert (
            sum(1 for m in courses if isinstance(m, MedicationCourse) and m.stopped_on is None) <= 1
        )
    switched = [
        [m.record.drug_class for m in t.of_kind("medication_course")]  # type: ignore[union-attr]
        for t in tls
        if t.patient.has(Condition.AXIAL_SPONDYLOARTHRITIS)
    ]
    assert any(DrugClass.IL17_INHIBITOR in s or DrugClass.TNF_INHIBITOR in s for s in switched)


def test_diary_pain_follows_the_documented_model() -> None:
    rows, pain = [], []
    for tl in clinic(20, seed=8, diary_days=365):
        crp = sorted(
            (e.record.collected_on, e.record.value)  # type: ignore[union-attr]
            for e in tl.of_kind("lab_result")
            if e.record.test is LabTest.CRP  # type: ignore[union-attr]
        )
        days = [d for d, _ in crp]
        for e in tl.of_kind("diary_entry"):
            d = e.record
            k = bisect.bisect_right(days, d.recorded_on) - 1  # type: ignore[union-attr]
            rows.append([1.0, math.log1p(crp[k][1]), d.stress_nrs, d.sleep_hours])  # type: ignore[union-attr]
            pain.append(d.pain_nrs)  # type: ignore[union-attr]
    assert len(pain) > 5000
    x, y = np.array(rows), np.array(pain)
    coef, *_ = np.linalg.lstsq(x, y, rcond=None)
    resid = y - x @ coef
    se = np.sqrt(np.diag(np.linalg.inv(x.T @ x)) * resid.var(ddof=4))
    expected = np.array(
        [PAIN_MODEL.intercept, PAIN_MODEL.inflammation, PAIN_MODEL.stress, -PAIN_MODEL.sleep]
    )
    assert np.all(np.abs(coef - expected) < 4 * se), (coef, se)
    assert np.all(np.abs(coef[1:] - expected[1:]) < 0.05), coef
    assert resid.std() == pytest.approx(PAIN_MODEL.noise_sd, abs=0.05)


def test_seed_service_refuses_a_second_seeding(tmp_path: Path) -> None:
    db = database.open_database(f"sqlite:///{tmp_path / 'd.db'}")
    database.upgrade(db)
    seen: list[tuple[int, int]] = []
    summary = demo_clinic.seed_clinic(
        db, 2, 3, actor="t", diary_days=5, on_progress=lambda d, t: seen.append((d, t))
    )
    assert summary.patients == 2 and seen == [(1, 2), (2, 2)]
    with pytest.raises(InputError, match="already exist"):
        demo_clinic.seed_clinic(db, 3, 3, actor="t", diary_days=5)
    with db.transaction() as uow:
        assert len(uow.patients.ids()) == 2


def test_demo_without_subcommand_runs_the_demo_and_seed_works(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "demo"
    args = ["demo", "--out", str(out), "--clinic-patients", "2", "--population", "2000"]
    assert main(args) == 0
    printed = capsys.readouterr().out
    for part in ("1. Find", "2. Score", "3. Follow", "4. Scale", "does not diagnose"):
        assert part in printed
    url = f"sqlite:///{tmp_path / 'seed.db'}"
    assert main(["db", "upgrade", "--db", url]) == 0
    assert (
        main(["demo", "seed", "--db", url, "--patients", "2", "--seed", "1", "--diary-days", "3"])
        == 0
    )
    assert "seeded 2 synthetic patient(s)" in capsys.readouterr().out
    assert main(["demo", "seed", "--db", url, "--patients", "2", "--seed", "1"]) == 2
