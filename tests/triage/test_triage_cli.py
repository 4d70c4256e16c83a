"""``immunospine triage``: JSON by default, a readable text report, exit 2 on bad input."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from immunospine.cli import main

CASE = {
    "age": 32,
    "sex": "female",
    "back_pain": {
        "duration_months": 14,
        "age_at_onset": 27,
        "insidious_onset": True,
        "morning_stiffness_minutes": 45,
        "improves_with_exercise": True,
        "improves_with_rest": False,
        "night_pain": True,
        "wakes_second_half_of_night": True,
        "alternating_buttock_pain": False,
    },
    "findings": {"hla_b27": True},
    "red_flags": {"saddle_anaesthesia": False},
    "pretest_probability": 0.05,
}
CONTRACT_KEYS = {
    "urgency",
    "red_flags",
    "inflammatory_back_pain",
    "axspa",
    "referral",
    "considerations",
    "explanation",
    "disclaimer",
}


def run(
    args: list[str], stdin: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


def test_json_from_file_has_every_contract_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "case.json"
    path.write_text(json.dumps(CASE), encoding="utf-8")
    code, out, err = run(["triage", "--input", str(path)], "", monkeypatch, capsys)
    assert code == 0, err
    result = json.loads(out)
    assert set(result) >= CONTRACT_KEYS
    assert set(result["inflammatory_back_pain"]) >= {"calin", "berlin", "asas"}
    assert set(result["axspa"]) >= {"probability", "category", "contributions"}
    assert set(result["referral"]) >= {"refer_to_rheumatology", "strategies", "next_tests"}
    for strategy in result["referral"]["strategies"]:
        assert set(strategy) >= {"name", "verdict", "reference"}
    names = [s["name"] for s in result["referral"]["strategies"]]
    assert names == ["asas_2015", "nice_ng65", "cafaspa", "berlin_2005", "braun_2011"]
    assert "supports a decision, not a diagnosis" in result["disclaimer"]


def test_text_report_is_readable_and_carries_the_disclaimer(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(["triage", "--format", "text"], json.dumps(CASE), monkeypatch, capsys)
    assert code == 0
    assert out.startswith("Back pain triage")
    assert "What to do: routine" in out
    assert "supports a decision, not a diagnosis" in out
    assert "{" not in out


def test_text_report_lists_warning_signs_and_considerations(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    case = {"age": 40, "red_flags": {"saddle_anaesthesia": True}, "findings": {"psoriasis": True}}
    code, out, _ = run(["triage", "-f", "text"], json.dumps(case), monkeypatch, capsys)
    assert code == 0
    assert "What to do: emergency" in out
    assert "Warning signs:" in out
    assert "Also worth discussing:" in out


@pytest.mark.parametrize(
    ("case", "field"),
    [
        ({"age": 30, "back_pain": {"age_at_onset": 31}}, "back_pain.age_at_onset"),
        ({"age": "thirty"}, "age"),
        ({}, "age"),
        ({"age": 30, "findings": {"hla_b27": 1}}, "findings.hla_b27"),
        ({"age": 30, "extra": True}, "extra"),
    ],
)
def test_bad_input_exits_2_naming_the_field(
    case: dict[str, object],
    field: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = run(["triage"], json.dumps(case), monkeypatch, capsys)
    assert code == 2
    assert out == ""
    assert field in err


@pytest.mark.parametrize("text", ["not json", "[1, 2]", '{"age": NaN}'])
def test_malformed_json_exits_2(
    text: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["triage"], text, monkeypatch, capsys)
    assert code == 2
    assert out == ""
    assert "triage" in err


@pytest.mark.parametrize(
    ("text", "field"),
    [
        ('{"age": NaN}', "age ="),
        ('{"age": 30, "back_pain": {"duration_months": Infinity}}', "back_pain.duration_months"),
        ('{"age": 30, "pretest_probability": -Infinity}', "pretest_probability"),
    ],
)
def test_nan_or_infinity_names_the_field(
    text: str, field: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """triage-contract.md: invalid input exits 2 with a message naming the field."""
    code, out, err = run(["triage"], text, monkeypatch, capsys)
    assert code == 2
    assert out == ""
    assert field in err
    assert "not a number that JSON allows" in err


def test_a_key_given_twice_names_the_key(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["triage"], '{"age": 30, "age": 31}', monkeypatch, capsys)
    assert code == 2
    assert out == ""
    assert "age = 31: is given twice" in err


def test_unreadable_file_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["triage", "--input", str(tmp_path / "no.json")], "", monkeypatch, capsys)
    assert code == 2
    assert out == ""
    assert "--input" in err


def test_no_input_on_a_terminal_exits_2(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    class Tty(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr("sys.stdin", Tty())
    code = main(["triage"])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == ""
    assert "--input" in err


def test_public_api_triage_is_the_service() -> None:
    import immunospine
    from immunospine.services.triage import triage

    assert immunospine.triage is triage


def test_text_report_of_an_emergency_is_about_the_emergency(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    case = {**CASE, "red_flags": {"saddle_anaesthesia": True}}
    code, out, _ = run(["triage", "-f", "text"], json.dumps(case), monkeypatch, capsys)
    assert code == 0
    assert "emergency department" in out
    assert "Referral tools:" not in out
    assert "the warning sign comes first" in out
    assert "rheumatologist" not in out and "next tests" not in out


def test_text_report_says_nice_ng65_does_not_apply_under_16(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    case = {**CASE, "age": 15, "back_pain": {**CASE["back_pain"], "age_at_onset": 13}}  # type: ignore[dict-item]
    code, out, _ = run(["triage", "-f", "text"], json.dumps(case), monkeypatch, capsys)
    assert code == 0
    nice = next(line for line in out.splitlines() if "NICE NG65" in line)
    assert "does not apply" in nice
