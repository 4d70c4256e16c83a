"""``immunospine plan show|log|today`` end to end on a SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from immunospine.cli import main

VISIT = {
    "assessments": {
        "basfi": {f"q{i}": 4.5 for i in range(1, 11)},
        "basdai": {f"q{i}": 3 for i in range(1, 7)},
    }
}


@pytest.fixture
def clinic(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    db = str(tmp_path / "c.db")
    visit = tmp_path / "v.json"
    visit.write_text(json.dumps(VISIT), encoding="utf-8")
    for args in (
        ["db", "upgrade"],
        ["patient", "add", "P-1", "--year-of-birth", "1986", "--sex", "male"],
        ["patient", "diagnose", "P-1", "--condition", "axspa", "--on", "2024-03-01"],
        ["visit", "record", "P-1", "--on", "2026-11-02", "--input", str(visit)],
    ):
        assert main([*args, "--db", db]) == 0
    capsys.readouterr()
    return db


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_log_show_today_and_ics(
    clinic: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = ["--db", clinic]
    code, out, _ = _run(
        [
            "plan",
            "log",
            "P-1",
            "--session",
            "brisk_walking",
            "--minutes",
            "20",
            "--on",
            "2026-11-30",
            *db,
        ],
        capsys,
    )
    assert code == 0
    assert "brisk_walking done on 2026-11-30, 20 min" in out
    code, out, _ = _run(
        [
            "plan",
            "log",
            "P-1",
            "--session",
            "relaxation",
            "--missed",
            "--reason",
            "no time",
            "--on",
            "2026-12-01",
            "--json",
            *db,
        ],
        capsys,
    )
    assert code == 0
    assert json.loads(out)["note"] == "missed: no time"
    code, out, _ = _run(
        [
            "plan",
            "log",
            "P-1",
            "--session",
            "posture_practice",
            "--missed",
            "--reason",
            "sore",
            "--on",
            "2026-12-02",
            *db,
        ],
        capsys,
    )
    assert "logged as missed (sore)" in out
    ics = tmp_path / "week.ics"
    code, out, _ = _run(
        ["plan", "show", "P-1", "--today", "2026-12-07", "--ics", str(ics), *db], capsys
    )
    assert code == 0
    assert "programme week 2" in out
    assert "Why this plan" in out
    assert "This supports a decision, it is not a diagnosis." in out
    assert "missed: no time ×1, sore ×1" in out
    assert ics.read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")
    code, out, _ = _run(["plan", "show", "P-1", "--week", "1", "--json", *db], capsys)
    data = json.loads(out)
    assert (data["week"], data["week_start"], data["status"]) == (1, "2026-11-30", "plan")
    code, out, _ = _run(["plan", "today", "P-1", "--today", "2026-12-07", *db], capsys)
    assert code == 0
    assert "[?] Questionnaire: ASDAS" in out
    assert "Spine and hip mobility routine" in out
    code, out, _ = _run(["plan", "today", "P-1", "--today", "2026-12-07", "--json", *db], capsys)
    assert {i["type"] for i in json.loads(out)} == {"questionnaire", "session"}
    code, out, _ = _run(
        ["plan", "today", "P-1", "--today", "2026-12-07", "--red-flag", "new_pain_after_fall", *db],
        capsys,
    )
    assert "[!] new neck or back pain" in out
    assert "Spine and hip mobility routine" not in out


def test_nothing_due_and_red_flag(clinic: str, capsys: pytest.CaptureFixture[str]) -> None:
    db = ["--db", clinic]
    code, out, _ = _run(
        ["plan", "show", "P-1", "--red-flag", "new_pain_after_fall", "--fused-spine", *db], capsys
    )
    assert code == 0
    assert "NO PLAN THIS WEEK" in out
    assert "tell them you have axial spondyloarthritis" in out
    code, out, _ = _run(
        [
            "plan",
            "show",
            "P-1",
            "--json",
            "--prefer",
            "swimming",
            "--no-osteoporosis",
            "--fall-risk",
            "--minutes",
            "400",
            *db,
        ],
        capsys,
    )
    assert "balance_training" in {s["session"] for s in json.loads(out)["sessions"]}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["log", "P-1", "--session", "yoga"], '--session = "yoga": is not a session'),
        (["log", "P-1", "--session", "relaxation", "--missed"], "--reason: is required"),
        (["log", "P-1", "--session", "relaxation", "--minutes", "0"], "--minutes = 0"),
        (["log", "P-1", "--session", "relaxation", "--on", "2099-01-01"], '--on = "2099-01-01"'),
        (["show", "P-1", "--minutes", "5"], "--minutes = 5: must be at least 10"),
        (["show", "P-1", "--prefer", "yoga", "--prefer", "swimming"], '--prefer = "yoga"'),
        (["show", "P-1", "--week", "0"], "--week = 0"),
        (["show", "P-1", "--red-flag", "ouch"], '--red-flag = "ouch"'),
        (["today", "P-1", "--avoid", "nap"], '--avoid = "nap"'),
    ],
)
def test_bad_input_exits_2_naming_the_flag(
    clinic: str, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    code, out, err = _run(["plan", *args, "--db", clinic], capsys)
    assert code == 2
    assert out == ""
    assert message in err


def test_unknown_patient_exits_1(clinic: str, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = _run(["plan", "today", "NOPE", "--db", clinic], capsys)
    assert (code, out) == (1, "")
    assert "not found" in err
