"""Treatment options from a JSON state and from a patient's record (service and command line)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from immunospine.cli import main
from immunospine.errors import InputError, NotFound
from immunospine.records import (
    Condition,
    Diagnosis,
    ImagingFinding,
    LabResult,
    MedicationCourse,
    Patient,
)
from immunospine.services import database, record, treatment
from immunospine.storage.uow import Database

TODAY = date(2026, 12, 7)
ASDAS = {"back_pain": 8, "morning_stiffness_duration": 6, "patient_global": 7, "peripheral_pain": 3}


@pytest.fixture
def url(tmp_path: Path) -> str:
    u = f"sqlite:///{tmp_path / 'treat.db'}"
    assert main(["db", "upgrade", "--db", u]) == 0
    return u


@pytest.fixture
def db(url: str) -> Iterator[Database]:
    handle = database.open_database(url)
    dx = (Diagnosis(condition=Condition.AXIAL_SPONDYLOARTHRITIS, diagnosed_on=date(2019, 1, 1)),)
    record.add_patient(
        handle, Patient(patient_id="P1", year_of_birth=1985, diagnoses=dx), actor="t"
    )

    def add(entry: Any) -> None:
        record.add_entry(handle, entry, actor="t")

    for drug, start, stop in (
        ("ibuprofen", date(2025, 1, 1), date(2025, 1, 20)),
        ("naproxen", date(2025, 2, 1), date(2025, 2, 20)),
    ):
        add(
            MedicationCourse(
                patient_id="P1",
                drug=drug,
                drug_class="nsaid",
                started_on=start,
                stopped_on=stop,
                stop_reason="inefficacy",
            )
        )
    record.record_assessment(
        handle, "P1", "asdas_crp", {**ASDAS, "crp_mg_l": 25}, date(2026, 6, 1), actor="t"
    )
    add(
        MedicationCourse(
            patient_id="P1",
            drug="adalimumab",
            drug_class="tnf_inhibitor",
            started_on=date(2026, 6, 2),
        )
    )
    record.record_assessment(
        handle,
        "P1",
        "asdas_crp",
        {
            "back_pain": 3,
            "morning_stiffness_duration": 2,
            "patient_global": 3,
            "peripheral_pain": 1,
            "crp_mg_l": 4,
        },
        date(2026, 11, 30),
        actor="t",
    )
    add(
        LabResult(
            patient_id="P1", collected_on=date(2026, 11, 30), test="crp", value=4, unit="mg/L"
        )
    )
    add(
        ImagingFinding(
            patient_id="P1",
            performed_on=date(2019, 1, 1),
            modality="radiograph_sij",
            grade_left=2,
            grade_right=2,
        )
    )
    add(
        ImagingFinding(
            patient_id="P1",
            performed_on=date(2019, 1, 1),
            modality="mri_sij",
            active_sacroiliitis=True,
        )
    )
    yield handle
    handle.dispose()


def test_state_from_record(db: Database) -> None:
    state = treatment.state_from_record(db, "dr", "P1", today=TODAY)
    assert state.diagnosis == "axspa"
    assert state.crp_mg_l == 4
    assert state.radiographic_sacroiliitis is True and state.mri_active_sacroiliitis is True
    assert state.nsaids_tried == 2 and state.nsaid_trial_weeks == pytest.approx(5.4)
    assert state.current is not None and state.current[0].drug_class == "tnf_inhibitor"
    assert state.current[0].weeks == pytest.approx(26.9)
    assert state.current[0].score_at_start is not None and state.current[0].score_at_start > 4
    assert state.past is not None and [p.stop_reason for p in state.past] == ["inefficacy"] * 2
    assert state.age_years == 41 and state.extra_musculoskeletal is None
    answer = treatment.options_for_patient(db, "dr", "P1", today=TODAY)
    assert {o.id: o.verdict for o in answer.options}["response_12_weeks"] == "recommended"
    with db.transaction() as uow:
        entries = uow.audit.query(patient_id="P1", actor="dr")
    assert [e.entity for e in entries] == ["treatment_options", "treatment_options"]


def test_patient_without_pathway_or_record(db: Database) -> None:
    with pytest.raises(NotFound):
        treatment.options_for_patient(db, "dr", "NOBODY")
    record.register_patient(db, "P2", 1990, "female", actor="t")
    with pytest.raises(InputError) as info:
        treatment.options_for_patient(db, "dr", "P2")
    assert info.value.problems[0].field == "diagnosis"
    record.diagnose(db, "P2", "mechanical_back_pain", date(2024, 1, 1), actor="t")
    answer = treatment.options_for_patient(db, "dr", "P2")
    assert answer.pathway == "nonspecific_low_back_pain"
    state = treatment.state_from_record(db, "dr", "P2")
    assert state.current is None and state.nsaids_tried is None


def test_options_for_state_json() -> None:
    answer = treatment.options_for_state('{"diagnosis": "ra", "current": [], "past": []}')
    assert answer.pathway == "ra"
    with pytest.raises(InputError, match="not valid JSON"):
        treatment.options_for_state("{")


def test_cli_treatment_options(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    state = {"diagnosis": "chronic_primary_pain", "age_years": 30, "current": []}
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(state)))
    assert main(["treatment", "options", "--input", "-", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["pathway"] == "chronic_primary_pain"
    path = tmp_path / "state.json"
    path.write_text(json.dumps(state))
    assert main(["treatment", "options", "--input", str(path)]) == 0
    text = capsys.readouterr().out
    assert "never a prescription" in text and "The guidelines advise against:" in text
    path.write_text('{"diagnosis": "axspa", "past": [{"drug_class": "x"}]}')
    assert main(["treatment", "options", "-i", str(path)]) == 2
    assert "past[0].drug_class" in capsys.readouterr().err


def test_cli_patient_options(db: Database, url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["patient", "options", "P1", "--db", url, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["pathway"] == "axspa"
    assert main(["patient", "options", "P1", "--db", url]) == 0
    text = capsys.readouterr().out
    assert text.startswith("Treatment options for P1: axial spondyloarthritis")
    assert "Depends on what is not known yet:" in text
    assert main(["patient", "options", "NOBODY", "--db", url]) == 1
