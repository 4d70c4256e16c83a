"""Follow from the command line (issue 8 §2): add, diagnose, visit record, list, timeline,
response, flares, due; text for people and ``--json`` for programs; bad input exits 2."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from immunospine.cli import main
from immunospine.records import DiaryEntry, MedicationCourse
from immunospine.services import database, record
from immunospine.services.record import TIMELINE_KINDS

BASDAI_HIGH = {"q1": 6, "q2": 7, "q3": 5, "q4": 4, "q5": 6, "q6": 5}
BASDAI_LOW = {"q1": 2, "q2": 3, "q3": 2, "q4": 1, "q5": 2, "q6": 2}
ASDAS_HIGH = {
    "back_pain": 7,
    "morning_stiffness_duration": 6,
    "patient_global": 7,
    "peripheral_pain": 3,
}
ASDAS_LOW = {
    "back_pain": 3,
    "morning_stiffness_duration": 2,
    "patient_global": 3,
    "peripheral_pain": 1,
}


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "clinic.db"
    assert main(["db", "upgrade", "--db", str(path)]) == 0
    return str(path)


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def _visit(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    db: str,
    on: str,
    body: dict[str, Any],
    *extra: str,
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(body)))
    return _run(capsys, "visit", "record", "P1", "--on", on, "--db", db, *extra)


def _add_p1(capsys: pytest.CaptureFixture[str], db: str) -> None:
    assert (
        _run(
            capsys, "patient", "add", "P1", "--year-of-birth", "1985", "--sex", "male", "--db", db
        )[0]
        == 0
    )
    assert (
        _run(
            capsys,
            "patient",
            "diagnose",
            "P1",
            "--condition",
            "axspa",
            "--on",
            "2020-01-01",
            "--db",
            db,
        )[0]
        == 0
    )


def test_add_and_diagnose_name_the_option_and_allowed_values(
    db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run(
        capsys,
        "patient",
        "add",
        "P1",
        "--year-of-birth",
        "1985",
        "--sex",
        "female",
        "--db",
        db,
        "--json",
    )
    assert code == 0 and json.loads(out)["sex"] == "female"
    code, out, err = _run(
        capsys, "patient", "add", "P2", "--year-of-birth", "1985", "--sex", "f", "--db", db
    )
    assert code == 2 and out == "" and "--sex" in err and "female, male, other, unknown" in err
    code, out, err = _run(
        capsys, "patient", "add", "P2", "--year-of-birth", "1850", "--sex", "male", "--db", db
    )
    assert code == 2 and "--year-of-birth" in err and "1900" in err
    code, _, err = _run(
        capsys, "patient", "add", "P1", "--year-of-birth", "1985", "--sex", "male", "--db", db
    )
    assert code == 2 and "already exists" in err
    code, _, err = _run(capsys, "patient", "add", "P9", "--year-of-birth", "1985", "--db", db)
    assert code == 2 and "--sex" in err  # never defaulted silently
    code, _, err = _run(
        capsys, "patient", "diagnose", "P1", "--condition", "AS", "--on", "2020-01-01", "--db", db
    )
    assert code == 2 and "--condition" in err and "axspa" in err
    code, _, err = _run(
        capsys,
        "patient",
        "diagnose",
        "P1",
        "--condition",
        "axspa",
        "--on",
        "1950-01-01",
        "--db",
        db,
    )
    assert code == 2 and "--on" in err and "year of birth" in err
    code, out, _ = _run(
        capsys,
        "patient",
        "diagnose",
        "P1",
        "--condition",
        "axspa",
        "--on",
        "2020-01-01",
        "--criteria",
        "asas_axspa",
        "--db",
        db,
    )
    assert code == 0 and "axspa" in out
    handle = database.open_database(db)
    patient = record.get_patient(handle, "P1", actor="t")
    handle.dispose()
    assert patient.diagnoses[0].criteria_met == ("asas_axspa",)


def test_visit_record_text_json_and_change(
    db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    _add_p1(capsys, db)
    first = {
        "labs": {"crp_mg_l": 12, "esr_mm_h": 30},
        "assessments": {"basdai": BASDAI_HIGH, "asdas_crp": ASDAS_HIGH},
    }
    code, out, err = _visit(monkeypatch, capsys, db, "2024-01-10", first)
    assert code == 0, err
    assert "CRP 12 mg/L (abnormal)" in out and "asdas_crp 3.67 (very high)" in out
    assert "first recorded visit" in out and "OFF TARGET" in out
    second = {
        "labs": {"crp_mg_l": 3},
        "assessments": {"basdai": BASDAI_LOW, "asdas_crp": ASDAS_LOW},
    }
    path = tmp_path / "visit.json"
    path.write_text(json.dumps(second), encoding="utf-8")
    code, out, err = _run(
        capsys,
        "visit",
        "record",
        "P1",
        "--on",
        "2024-04-10",
        "--input",
        str(path),
        "--db",
        db,
        "--json",
    )
    assert code == 0, err
    result = json.loads(out)
    assert result["previous_visit_on"] == "2024-01-10"
    assert result["change"]["results"]["basdai50"]["verdict"] == "met"
    assert result["targets"][0]["status"] == "on_target"
    assert result["scores"]["asdas_crp"]["score"] == pytest.approx(1.68, abs=0.01)


def test_bad_visit_exits_2_naming_the_field_and_stores_nothing(
    db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _add_p1(capsys, db)
    bad = {
        "labs": {"crp_mg_l": 12},
        "assessments": {
            "basdai": {**BASDAI_HIGH, "q3": 11},
            "asdas_crp": {**ASDAS_HIGH, "crp_mg_l": 15},
        },
    }
    code, out, err = _visit(monkeypatch, capsys, db, "2024-01-10", bad)
    assert code == 2 and out == ""
    assert "assessments.basdai.q3 = 11" in err
    assert "assessments.asdas_crp.crp_mg_l = 15" in err and "labs.crp_mg_l = 12" in err
    monkeypatch.setattr("sys.stdin", io.StringIO("{not json"))
    code, out, err = _run(capsys, "visit", "record", "P1", "--on", "2024-01-10", "--db", db)
    assert code == 2 and "--input" in err and "not JSON" in err
    code, out, _ = _run(capsys, "patient", "timeline", "P1", "--db", db, "--json")
    assert json.loads(out)["entries"] == []


def test_timeline_reads_as_a_clinician_writes(
    db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _add_p1(capsys, db)
    body = {"labs": {"crp_mg_l": 12, "hla_b27": True}, "assessments": {"basdai": BASDAI_HIGH}}
    assert _visit(monkeypatch, capsys, db, "2024-01-10", body)[0] == 0
    handle = database.open_database(db)
    record.add_entry(
        handle,
        MedicationCourse.parse(
            {
                "patient_id": "P1",
                "drug": "adalimumab",
                "drug_class": "tnf_inhibitor",
                "dose": 40.0,
                "dose_unit": "mg",
                "frequency": "every 14 days",
                "started_on": date(2024, 1, 12),
            }
        ),
        actor="t",
    )
    record.add_entry(
        handle,
        DiaryEntry.model_validate_json(
            json.dumps(
                {
                    "patient_id": "P1",
                    "recorded_at": "2024-01-13T07:30:00+01:00",
                    "pain_nrs": 6,
                    "morning_stiffness_min": 45,
                    "flare": True,
                }
            )
        ),
        actor="t",
    )
    handle.dispose()
    code, out, _ = _run(capsys, "patient", "timeline", "P1", "--db", db)
    assert code == 0
    assert "CRP 12 mg/L (abnormal)" in out and "HLA-B27 positive" in out
    assert "adalimumab 40 mg every 14 days" in out
    assert "pain 6/10" in out and "stiffness 45 min" in out and "flare: yes" in out
    assert not re.search(r"\bTrue\b|\bFalse\b|\bNone\b|\w=\d", out)
    code, out, _ = _run(
        capsys,
        "patient",
        "timeline",
        "P1",
        "--db",
        db,
        "--since",
        "2024-01-11",
        "--kind",
        "diary_entry,medication_course",
        "--json",
    )
    kinds = [e["kind"] for e in json.loads(out)["entries"]]
    assert kinds == ["medication_course", "diary_entry"]
    code, out, err = _run(capsys, "patient", "timeline", "P1", "--db", db, "--kind", "labs")
    assert code == 2 and out == "" and "--kind" in err and ", ".join(TIMELINE_KINDS) in err


def test_response_flares_and_due(
    db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _add_p1(capsys, db)
    code, _, err = _run(capsys, "patient", "response", "P1", "--db", db)
    assert code == 2 and "--from" in err  # fewer than two visits
    visits = [("2024-01-10", ASDAS_LOW, BASDAI_LOW, 3), ("2024-04-10", ASDAS_HIGH, BASDAI_HIGH, 30)]
    for on, asdas, basdai, crp in visits:
        body = {"labs": {"crp_mg_l": crp}, "assessments": {"basdai": basdai, "asdas_crp": asdas}}
        assert _visit(monkeypatch, capsys, db, on, body)[0] == 0
    code, out, _ = _run(capsys, "patient", "response", "P1", "--db", db)
    assert code == 0 and "change from 2024-01-10 to 2024-04-10" in out
    assert "ASDAS change: clinically important worsening" in out
    code, out, _ = _run(
        capsys,
        "patient",
        "response",
        "P1",
        "--db",
        db,
        "--json",
        "--from",
        "2024-01-10",
        "--to",
        "2024-04-10",
    )
    assert set(json.loads(out)["results"]) >= {"asdas_response", "basdai50"}
    code, out, _ = _run(capsys, "patient", "flares", "P1", "--db", db)
    assert code == 0 and "ASDAS worsening" in out and "BASDAI crossed 4" in out
    code, out, _ = _run(capsys, "patient", "flares", "P1", "--db", db, "--json")
    assert {f["kind"] for f in json.loads(out)} == {"asdas_worsening", "basdai_crossed_4"}
    code, out, _ = _run(capsys, "patient", "due", "P1", "--db", db, "--today", "2024-05-01")
    assert code == 0 and "basfi" in out and "never" in out and "basdai" not in out
    code, out, _ = _run(
        capsys, "patient", "due", "P1", "--db", db, "--today", "2024-08-01", "--json"
    )
    assert {d["questionnaire"] for d in json.loads(out)} == {"asdas", "basdai", "basfi"}
    assert _run(capsys, "patient", "flares", "NOBODY", "--db", db)[0] == 1


def test_list_every_patient_with_filters_stale_and_limit(
    db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _add_p1(capsys, db)
    for pid in ("P2", "P3"):
        assert (
            _run(
                capsys,
                "patient",
                "add",
                pid,
                "--year-of-birth",
                "1990",
                "--sex",
                "other",
                "--db",
                db,
            )[0]
            == 0
        )
    assert (
        _run(
            capsys,
            "patient",
            "diagnose",
            "P2",
            "--condition",
            "axspa",
            "--on",
            "2021-01-01",
            "--db",
            db,
        )[0]
        == 0
    )
    for on, asdas, basdai in [
        ("2024-01-10", ASDAS_LOW, BASDAI_LOW),
        ("2024-04-10", ASDAS_HIGH, BASDAI_HIGH),
    ]:
        body = {"labs": {"crp_mg_l": 20}, "assessments": {"basdai": basdai, "asdas_crp": asdas}}
        assert _visit(monkeypatch, capsys, db, on, body)[0] == 0
    code, out, _ = _run(capsys, "patient", "list", "--db", db, "--today", "2024-05-01")
    lines = out.splitlines()
    assert code == 0 and lines[0].split()[:3] == ["patient", "diagnoses", "latest"]
    assert [line.split()[0] for line in lines[1:4]] == ["P1", "P2", "P3"]
    assert "OFF TARGET" in lines[1] and "2024-04-10" in lines[1] and "(stale)" not in lines[1]
    assert "no score yet" in lines[2] and "no target" in lines[3]
    assert lines[-1] == "3 of 3 patients listed"
    code, out, _ = _run(capsys, "patient", "list", "--db", db, "--today", "2024-09-01")
    assert "2024-04-10 (stale)" in out
    code, out, _ = _run(capsys, "patient", "list", "--db", db, "--limit", "1")
    assert "showing 1 of 3 matching patients; 2 left out" in out
    code, out, _ = _run(capsys, "patient", "list", "--db", db, "--json", "--off-target")
    listing = json.loads(out)
    assert [p["patient_id"] for p in listing["patients"]] == ["P1"] and listing["left_out"] == 0
    code, out, _ = _run(
        capsys, "patient", "list", "--db", db, "--json", "--flare-since", "2024-04-01"
    )
    assert [p["patient_id"] for p in json.loads(out)["patients"]] == ["P1"]
    assert json.loads(out)["patients"][0]["last_flare_on"] == "2024-04-10"
    code, out, _ = _run(
        capsys, "patient", "list", "--db", db, "--json", "--flare-since", "2024-05-01"
    )
    assert json.loads(out)["patients"] == []
    code, out, _ = _run(
        capsys, "patient", "list", "--db", db, "--json", "--due", "--today", "2024-05-01"
    )
    due = {p["patient_id"]: p["due"] for p in json.loads(out)["patients"]}
    assert due == {"P1": ["basfi"], "P2": ["basdai", "asdas", "basfi"]}


def test_visit_in_the_future_names_the_on_option(
    db: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _add_p1(capsys, db)
    code, out, err = _visit(monkeypatch, capsys, db, "2999-01-01", {"labs": {"crp_mg_l": 3}})
    assert code == 2 and out == ""
    assert '--on = "2999-01-01": is in the future' in err
